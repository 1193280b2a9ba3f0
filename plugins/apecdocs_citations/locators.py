"""Locators ("p. 12", "chap. 3", "§ 4") read off the front of a citation's suffix.

Pandoc's Markdown reader leaves ``[@key, p. 12, emphasis added]`` as one suffix; the
locator is the part a CSL style formats itself ("p. 12" in APA, "Chapter 3" in
another), the rest stays the author's text. Labels are the locator terms of the CSL
locale (English always, plus the document's), as pandoc reads them; a bare number is a
page; ``{...}`` marks a locator that is not a number.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from . import styles

# CSL 1.0.1's locators, the ones citeproc-py formats and pandoc's Markdown reader knows
# ("art. 9" or "tbl. 2" stay the author's own words, as with pandoc).
LOCATOR_TERMS = ("book", "chapter", "column", "figure", "folio", "issue", "line", "note",
                 "opus", "page", "paragraph", "part", "section", "sub-verbo", "verse", "volume")
SYMBOLS = {"§": "section", "§§": "section", "¶": "paragraph", "¶¶": "paragraph"}
_NUMBER = r"(?:[0-9][\w.:/]*|[ivxlcdm]+\b|[IVXLCDM]+\b|[A-Za-z]{0,3}[0-9][\w.:/]*)"
_VALUE = re.compile(
    rf"(?:\{{(?P<braced>[^{{}}]*)\}}|(?P<plain>{_NUMBER}(?:\s*(?:[-–—&]|,(?=\s*{_NUMBER}))\s*"
    rf"{_NUMBER})*))")


@functools.cache
def terms(locale: str) -> list[tuple[str, str]]:
    """``(label text, locator name)`` pairs, longest text first, e.g. ``("pp.", "page")``."""
    from lxml import etree

    found: dict[str, str] = dict(SYMBOLS)
    for name in dict.fromkeys(["en-US", locale]):
        path = styles.citeproc_data() / "locales" / f"locales-{name}.xml"
        if not path.is_file():
            continue
        for term in etree.parse(str(path)).iter("{*}term"):
            if term.get("name") not in LOCATOR_TERMS:
                continue
            texts = [term.text] + [c.text for c in term if isinstance(c.tag, str)]  # not comments
            for text in texts:
                if text and text.strip():
                    found.setdefault(text.strip().lower(), term.get("name"))
    return sorted(found.items(), key=lambda pair: -len(pair[0]))


def split_locator(text: str, locale: str) -> tuple[str, str, str] | None:
    """``(locator name, value, rest)`` for a suffix's text, or None when it has none."""
    match = re.match(r"^\s*,?[\s\u00a0]*", text)
    start = match.end() if match else 0
    body = text[start:]
    label = "page"
    lowered = body.lower()
    for term, name in terms(locale):
        if lowered.startswith(term) and (not term[-1].isalpha() or len(body) == len(term)
                                         or not body[len(term)].isalpha()):
            label, body = name, body[len(term):].lstrip(" \u00a0")
            break
    else:
        if not body[:1].isdigit() and not body.startswith("{"):
            return None
    value = _VALUE.match(body)
    if not value:
        return None
    found = value.group("braced") if value.group("braced") is not None else value.group("plain")
    rest = body[value.end():]
    if value.group("plain") is not None:
        trailing = re.search(r"[.:]+$", found)
        if trailing:  # sentence punctuation after the number belongs to the suffix
            found, rest = found[:trailing.start()], trailing.group() + rest
    return label, found.strip(), rest


def leading_text(inlines: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """The plain text of the leading ``Str``/``Space`` run, and the inlines after it."""
    parts: list[str] = []
    for n, node in enumerate(inlines):
        if node["t"] == "Str":
            parts.append(node["c"])
        elif node["t"] in ("Space", "SoftBreak"):
            parts.append(" ")
        else:
            return "".join(parts), inlines[n:]
    return "".join(parts), []
