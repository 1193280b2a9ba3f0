"""Words apecdocs writes itself (Contents, Figure, Table ...), per language.

They live in gettext catalogs shipped with the package,
``locales/<lang>/LC_MESSAGES/apecdocs.po`` (English is the template of the others),
read once per language. English is the fallback: a missing or fuzzy translation shows
the English word, never a key. Plugins and projects add or override words with
``add``.
"""

from __future__ import annotations

import functools
from pathlib import Path

LOCALES = Path(__file__).parent / "locales"
DOMAIN = "apecdocs"

_added: dict[str, dict[str, str]] = {}


@functools.cache
def catalog(lang: str) -> dict[str, str]:
    """The shipped translations for ``lang`` (``{}`` when none ship)."""
    path = LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not lang or not path.is_file():
        return {}
    import polib

    return {e.msgid: e.msgstr for e in polib.pofile(str(path), encoding="utf-8")
            if e.msgstr and not e.obsolete and "fuzzy" not in e.flags}


def label(text: str, lang: str) -> str:
    """``text`` in ``lang`` (``vi`` or ``vi-VN``), or ``text`` itself."""
    for key in dict.fromkeys((lang, lang.replace("_", "-").split("-")[0])):
        found = _added.get(key, {}).get(text) or catalog(key).get(text)
        if found:
            return found
    return text


def add(lang: str, entries: dict[str, str]) -> None:
    _added.setdefault(lang, {}).update({k: v for k, v in entries.items() if v})


def languages() -> list[str]:
    """Languages with a shipped catalog."""
    return sorted(p.name for p in LOCALES.iterdir() if (p / "LC_MESSAGES").is_dir()) \
        if LOCALES.is_dir() else []
