"""Labels a language lacks, and slips in a project's ``labels:``: the build's one
warning per language and ``apecdocs check``'s findings."""

from __future__ import annotations

import difflib
import re
from typing import Any

from apecdocs import Finding, labels


def warning(project: Any, lang: str, missing: list[str] | None = None) -> str | None:
    """One sentence naming the words apecdocs writes that have no ``lang`` version
    (``missing``, else every such label)."""
    missing = labels.missing(lang, project) if missing is None else missing
    if not missing:
        return None
    shown = ", ".join(f"'{m}'" for m in missing[:10])
    more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
    return (f"{len(missing)} label(s) have no '{lang}' version and are written in English: "
            f"{shown}{more}; add them under labels: {lang}: in apecdocs.yaml or in "
            f"locales/{lang}/LC_MESSAGES/apecdocs.po (apecdocs i18n labels --lang {lang} "
            f"writes that file with every label to fill in)")


def add_warnings(project: Any, report: Any) -> None:
    """Per language, one warning on its first built output naming the labels this
    build wrote in English."""
    misses = labels.take_misses()
    seen: set[str] = set()
    for output in report.outputs:
        lang = output.target.lang
        if output.status != "built" or lang in seen or not misses.get(lang):
            continue
        seen.add(lang)
        own = labels.project_words(project, lang)
        text = warning(project, lang, [m for m in misses[lang] if m not in own])
        if text and text not in output.warnings:
            output.warnings.append(text)
            general = warning(project, lang)  # check's, for every label: this one is exact
            report.warnings = [w for w in report.warnings if not general or general not in w]


def findings(project: Any) -> list[Finding]:
    """``labels:`` entries that look like slips: a near miss of a label apecdocs
    writes, or a translation that drops or invents a ``{field}``."""
    known = labels.known()
    out = []
    for lang, table in (project.config.get("labels") or {}).items():
        for msgid, text in (table or {}).items():
            where = project.locate("labels", lang, msgid)
            if msgid in known:
                fields, given = set(re.findall(r"\{\w+\}", msgid)), set(re.findall(r"\{\w+\}", str(text)))
                if fields != given:
                    out.append(Finding(
                        f"label '{msgid}' for '{lang}' has the fields {sorted(given) or 'none'}, "
                        f"not {sorted(fields)}", where, "error",
                        "Keep every {field} of the label, moved where the language puts it.",
                        "i18n-labels"))
                continue
            close = difflib.get_close_matches(str(msgid), known, n=1, cutoff=0.8)
            if close:
                out.append(Finding(
                    f"'{msgid}' is not a label apecdocs writes", where, "warning",
                    f"Did you mean '{close[0]}'? (A new label is fine when your templates "
                    f"use it: {{{{ label(\"{msgid}\") }}}}.)", "i18n-labels"))
    return out
