"""Bibliography items made readable for citeproc-py, which is strict and literal.

It lowercases keys (so "Smith2020" and "smith2020" would collide: each item gets an id
of ours), needs dates as date-parts, prints CSL-JSON's own markup (``<i>``) as text,
knows no ``journalAbbreviation`` and warns about every field it does not know. What a
style can print is kept; family-name particles are split out as pandoc does.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

from . import markup
from .results import EntryError

__all__ = ["EntryError", "get_ready", "prepare", "readable", "source"]

_DATE = re.compile(r"^\s*(-?\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


def source(items: dict[str, dict[str, Any]], ids: dict[str, str]) -> Any:
    """citeproc-py's source for the cited ``items``, under our ids (``ids[key]``)."""
    from citeproc.source.json import CiteProcJSON

    source = CiteProcJSON([])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns about every field it ignores
        for key, internal in ids.items():
            try:
                source.update(CiteProcJSON([readable(items[key], internal)]))
            except Exception as exc:
                raise EntryError(key, f"citeproc-py cannot read this entry: {exc}") from None
    return source


# Each item's readable copy, kept by the item (a bibliography's items are shared and
# never changed: ``bibliography.parse``), with the item itself so that its id is not reused.
_readable: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}


def readable(item: dict[str, Any], internal_id: str) -> dict[str, Any]:
    """``prepare(item, internal_id)``, from a copy made once per item (``get_ready``)."""
    kept = _readable.get(id(item))
    if kept is None or kept[0] is not item:
        kept = _readable[id(item)] = (item, prepare(item, ""))
    return {**kept[1], "id": internal_id}


def get_ready(items: list[dict[str, Any]]) -> None:
    """Make the readable copies of ``items`` ahead of a rendering (``prepare_document``);
    an item citeproc-py cannot read is left for the rendering to report."""
    for item in items:
        try:
            readable(item, "")
        except Exception:
            continue


def prepare(item: dict[str, Any], internal_id: str) -> dict[str, Any]:
    """A copy citeproc-py can read: our own id (it lowercases keys), dates as date-parts,
    field markup protected, pandoc's empty type (BibTeX @misc) as "document"."""
    out: dict[str, Any] = {}
    for name, value in item.items():
        if name not in _KNOWN and name not in ("journalAbbreviation", "shortTitle"):
            continue  # read by no style; citeproc-py would parse it and warn
        if name in _NAME_FIELDS:
            value = [n for n in (value if isinstance(value, list) else []) if isinstance(n, dict)]
            value = [{k: _text(str(v)) for k, v in n.items() if v not in (None, "")}
                     for n in value]
            value = [_particles(n) for n in value
                     if n.get("family") or n.get("literal") or n.get("given")]
        elif name in _DATE_FIELDS:
            value = _date(value)
            if value is None:
                continue
        elif isinstance(value, str):
            value = _text(value)
        out[name] = value
    for alias, name in (("journalAbbreviation", "container-title-short"),
                        ("shortTitle", "title-short")):
        if alias in out and name not in out:
            out[name] = out.pop(alias)
    for old, new in _RENAMED:  # CSL 1.0.2 names, and the 1.0.1 names styles still use
        if new in out and old not in out:
            out[old] = out[new]
        elif old in out and new not in out:
            out[new] = out[old]
    out["id"] = internal_id
    out["type"] = item.get("type") or "document"
    return out


_NOCASE = re.compile(r'(<span class="nocase">.*?</span>)', re.I)
_RENAMED = (("event", "event-title"),)


def _text(value: str) -> str:
    """A field's text for citeproc-py, which prints data as it is into its HTML: the
    markup CSL-JSON allows is kept (``markup.protect``, nocase spans), any other ``&``,
    ``<``, ``>`` becomes a character of ``markup.DATA`` (not an entity, which title case
    would change), so "&noteId=" in a URL or "R&amp;D" print as written."""
    value = markup.protect(value)
    if "&" not in value and "<" not in value and ">" not in value:
        return value
    parts = _NOCASE.split(value)
    return "".join(p if n % 2 else p.translate(markup.DATA) for n, p in enumerate(parts))


_PARTICLE = re.compile(
    r"^((?:[a-z\u00df-\u00ff]+['\u2019]?\s+|[a-z]+['\u2019])+)(?=[A-Z\u00c0-\u00de])")


def _particles(name: dict[str, Any]) -> dict[str, Any]:
    """"de Bruijn" -> non-dropping particle "de", family "Bruijn" (as pandoc and
    citeproc-js parse names), so the name sorts and inverts by its family part."""
    family = name.get("family", "")
    match = _PARTICLE.match(family) if "non-dropping-particle" not in name else None
    if match and str(name.get("parse-names", "true")).lower() != "false":
        return {**name, "non-dropping-particle": match.group(1).strip(),
                "family": family[match.end():]}
    return name


def _known() -> frozenset[str]:
    from citeproc import VARIABLES

    return frozenset(v.replace("_", "-") for v in VARIABLES) | {"DOI", "ISBN", "ISSN", "PMCID",
                                                                 "PMID", "URL"} | _CSL_102


# What CSL 1.0.2 added, unknown to citeproc-py (``patches`` teaches it the names and dates).
NEW_NAMES = ("chair", "compiler", "contributor", "curator", "director", "executive-producer",
             "guest", "host", "narrator", "organizer", "performer", "producer",
             "reviewed-author", "script-writer", "series-creator")
NEW_DATES = ("available-date",)
_CSL_102 = frozenset({*NEW_NAMES, *NEW_DATES, "archive-collection", "division",
                      "event-title", "part-number", "part-title", "printing-number",
                      "reviewed-genre", "reviewed-title", "supplement-number",
                      "volume-title", "volume-title-short"})
_KNOWN = _known()
_NAME_FIELDS = {"author", "collection-editor", "composer", "container-author", "editor",
                "editorial-director", "illustrator", "interviewer", "original-author",
                "recipient", "translator", *NEW_NAMES}
_DATE_FIELDS = {"accessed", "container", "event-date", "issued", "original-date", "submitted",
                *NEW_DATES}


def _date(value: Any) -> dict[str, Any] | None:
    """A CSL date as ``{"date-parts": ...}``, from date-parts, "raw" or a plain string."""
    if isinstance(value, dict) and value.get("date-parts"):
        parts = [[int(p) for p in dp[:3] if str(p).lstrip("-").isdigit()]
                 for dp in value["date-parts"] if isinstance(dp, list)]
        parts = [p for p in parts if p]
        return {**{k: v for k, v in value.items() if k != "date-parts"}, "date-parts": parts} \
            if parts else None
    raw = value.get("raw") or value.get("literal") if isinstance(value, dict) else value
    if raw is None:
        return None
    match = _DATE.match(str(raw))
    if not match:
        return {"literal": str(raw)}
    return {"date-parts": [[int(g) for g in match.groups() if g]]}


