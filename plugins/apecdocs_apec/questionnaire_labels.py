"""The words the questionnaire form writes itself (Question, Part, Yes, No ...), per
language, from gettext catalogs shipped with the plugin and added to the core's labels
(``apecdocs.labels.add``), so a project's own overrides still win where it sets them.
"""

from __future__ import annotations

import functools
from pathlib import Path

from apecdocs import labels

LOCALES = Path(__file__).parent / "locales"
DOMAIN = "questionnaire"
# Every word the form and the annex write themselves; each shipped catalog has them all.
WORDS = ("Question", "Part", "required", "Please specify:", "Other (please specify)", "Yes", "No",
         "If “{answer}”, go to {question}.", "If “{answer}”:", "Introduction to respondents",
         "Economy", "Click or tap here to enter text.", "Choose an economy.")


@functools.cache
def register() -> None:
    """Add the shipped translations once per process."""
    import polib

    if not LOCALES.is_dir():
        return
    for folder in sorted(LOCALES.iterdir()):
        path = folder / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.is_file():
            entries = {e.msgid: e.msgstr for e in polib.pofile(str(path), encoding="utf-8")
                       if e.msgstr and not e.obsolete and "fuzzy" not in e.flags}
            labels.add(folder.name, {k: v for k, v in entries.items()
                                     if not labels.catalog(folder.name).get(k)})
