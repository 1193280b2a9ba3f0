"""A document's citations in its AST: found, checked, rendered (or taken from the cache),
written in place, and the bibliography put where the author wants it.

Cites of cross-references (``@fig-x``, ``@tbl-x``, ``@sec-x``, ``@eq-x``, pandoc-crossref's
``@fig:x``, or any id in the document) are left to the core. Everything else must be in
the bibliography: an unknown key fails with its source file and line and the nearest
known keys. The bibliography goes into a ``::: {#refs}`` div when there is one, else at
the end of the document's last source under a "References" heading in its language.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from apecdocs import ApecdocsError
from apecdocs.labels import label
from apecdocs.pandoc_ast import SOURCE_CLASS, attr, blocks, element_ids, text_inlines

from . import bibliography, locators, notes, rendercache, results, styles
from .results import EntryError
from .settings import Settings

CROSSREF = re.compile(r"^(fig|tbl|sec|eq|lst)[-:]")
REFS_ID = "refs"


def cite_document(ast: dict[str, Any], project: Any, document: Any, lang: str,
                  settings: Settings) -> None:
    """Render ``document``'s citations in place and put its bibliography in the AST."""
    found = collect(ast)
    refs = _refs_div(ast)
    if not found:
        return
    bib = bibliography.load(settings.bibliography, project.cache_dir)
    found = _without_crossrefs(ast, found, bib)
    if not found:
        return
    _check_keys(found, bib, settings)
    style_path = styles.resolve(project, settings.style, settings.style_where)
    style = styles.info(style_path)
    locale = styles.csl_locale(lang, style.default_locale)
    groups = [[_cite(c, locale) for c in node["c"][0]] for node, _ in found]
    if style.note:
        where = notes.numbers(ast["blocks"])
        for (node, _), group in zip(found, groups, strict=True):
            for cite in group:
                cite.note, cite.in_note = where.get(id(node), (None, False))
    keys = sorted({c.key for group in groups for c in group})
    items = {k: bib.item(k) for k in keys}
    digest = rendercache.digest(items, groups, style.digest, locale)
    result = rendercache.get(project.cache_dir, digest)
    if result is None:
        try:
            result = _engine().render(items, groups, style_path, locale)
        except EntryError as exc:
            entry = bib.entries[exc.key]
            raise ApecdocsError(f"entry '{exc.key}': {exc}", file=entry.file,
                                line=entry.line) from None
        rendercache.put(project.cache_dir, digest, result)
    for (node, _), inlines, group in zip(found, result.citations, groups, strict=True):
        cites = " ".join(dict.fromkeys(c.key for c in group))
        node["t"], node["c"] = "Span", [attr("", ["citation"], {"data-cites": cites}), inlines]
    if style.note:
        notes.tidy(ast["blocks"])
    if result.entries:  # a style may have no bibliography
        _place(ast, document, lang, bibliography_div(result.entries, style, refs), refs)


def get_ready(project: Any, settings: Settings) -> None:
    """While pandoc parses the document: the engine imported and its items readable."""
    bib = bibliography.load(settings.bibliography, project.cache_dir)
    _engine().get_ready([entry.item for entry in bib.entries.values()])


def entries_as_runs(ast: dict[str, Any]) -> None:
    """For DOCX: the bibliography's entries' words as the runs pandoc would write
    (``docx_runs``), a fraction of its writer's time."""
    from . import docx_runs

    refs = _refs_div(ast)
    if refs is not None:
        docx_runs.entries_as_runs(refs)


def _engine() -> Any:
    """The engine, with citeproc-py: imported on the first document whose citations are
    not in the render cache, so a warm build never loads it."""
    from . import engine

    return engine


def collect(ast: dict[str, Any]) -> list[tuple[dict[str, Any], Path | None]]:
    """Every Cite node in document order, with the source file it came from."""
    found = []
    for block in ast["blocks"]:
        path = None
        if block.get("t") == "Div" and SOURCE_CLASS in block["c"][0][1]:
            written = dict(block["c"][0][2]).get("path")
            path = Path(written) if written else None
        found += [(node, path) for node in _cites(block)]
    return found


_LEAVES = frozenset({"Str", "Space", "SoftBreak", "LineBreak", "Code", "CodeBlock", "RawBlock",
                     "RawInline", "Math", "HorizontalRule"})  # nothing in them can cite


def _cites(value: Any) -> list[dict[str, Any]]:
    """Cite nodes below ``value`` in document order (a lean walk: the AST is large; its
    depth is bounded where it is parsed, far below the recursion limit)."""
    out: list[dict[str, Any]] = []

    def walk(nodes: list) -> None:
        for item in nodes:
            kind = type(item)
            if kind is dict:
                tag = item.get("t")
                if tag == "Cite":
                    out.append(item)
                elif tag not in _LEAVES:
                    content = item.get("c")
                    if type(content) is list:
                        walk(content)
            elif kind is list:
                walk(item)

    walk([value])
    return out


def _without_crossrefs(ast: dict[str, Any], found: list, bib: bibliography.Bibliography) -> list:
    ids: set[str] | None = None
    kept = []
    for node, path in found:
        keys = [c["citationId"] for c in node["c"][0]]
        if all(k in bib for k in keys):
            kept.append((node, path))
            continue
        if any(CROSSREF.match(k) for k in keys):
            continue
        if ids is None:
            ids = element_ids(ast["blocks"])
        if any(k in ids for k in keys):
            continue
        kept.append((node, path))
    return kept


def _check_keys(found: list, bib: bibliography.Bibliography, settings: Settings) -> None:
    unknown = [(c["citationId"], path) for node, path in found for c in node["c"][0]
               if c["citationId"] not in bib]
    if not unknown:
        return
    key, path = unknown[0]
    others = len({k for k, _ in unknown}) - 1
    close = difflib.get_close_matches(key, list(bib.entries), n=1, cutoff=0.6)
    names = ", ".join(p.name for p in settings.bibliography)
    raise ApecdocsError(
        f"unknown citation key '@{key}'" + (f" (and {others} more)" if others else ""),
        file=path, line=find_key_line(path, key) if path else None,
        hint=(f"Did you mean '@{close[0]}'? " if close else "")
        + f"Keys come from the bibliography ({names}).")


def find_key_line(path: Path, key: str) -> int | None:
    """The line citing ``@key`` (not a longer key that starts the same)."""
    pattern = re.compile(r"@\{?" + re.escape(key) + r"(?![\w]|[:.#$%&\-+?<>~/][\w])")
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                return number
    except OSError:
        pass
    return None


def _cite(citation: dict[str, Any], locale: str) -> results.Cite:
    suffix = citation.get("citationSuffix") or []
    text, rest = locators.leading_text(suffix)
    found = locators.split_locator(text, locale) if text.strip() else None
    locator = None
    if found:
        name, value, remainder = found
        locator = (name, value)
        suffix = _remainder_inlines(remainder) + rest
    mode = citation.get("citationMode", {}).get("t", results.NORMAL)
    return results.Cite(citation["citationId"], mode, citation.get("citationPrefix") or [], suffix,
                       locator)


def _remainder_inlines(text: str) -> list[dict[str, Any]]:
    inlines = text_inlines(text)
    if text[:1].isspace() and text.strip():
        inlines.insert(0, {"t": "Space"})
    return inlines


def _refs_div(ast: dict[str, Any]) -> dict[str, Any] | None:
    for block in blocks(ast["blocks"]):
        if block.get("t") == "Div" and block["c"][0][0] == REFS_ID:
            return block
    return None


def bibliography_div(entries: list[results.Entry], style: styles.StyleInfo,
                     refs: dict[str, Any] | None) -> dict[str, Any]:
    """The bibliography as a Div of ``csl-entry`` Divs, as pandoc's citeproc writes it;
    entries carry ``custom-style="Bibliography"`` for DOCX."""
    classes = ["references", "csl-bib-body"] + (["hanging-indent"] if style.hanging_indent else [])
    attrs = {k: v for k, v in (("entry-spacing", style.entry_spacing),
                               ("line-spacing", style.line_spacing)) if v is not None}
    if refs is not None:
        classes = list(dict.fromkeys(refs["c"][0][1] + classes))
        attrs = {**dict(refs["c"][0][2]), **attrs}
    divs = []
    for entry in entries:
        if entry.left is not None:
            inlines = [{"t": "Span", "c": [attr("", ["csl-left-margin"]), [*entry.left,
                                                                           {"t": "Space"}]]},
                       {"t": "Span", "c": [attr("", ["csl-right-inline"]), entry.body]}]
        else:
            inlines = entry.body
        divs.append({"t": "Div", "c": [attr(f"ref-{entry.key}", ["csl-entry"],
                                            {"custom-style": "Bibliography"}),
                                       [{"t": "Para", "c": inlines}]]})
    return {"t": "Div", "c": [attr(REFS_ID, classes, attrs), divs]}


def _place(ast: dict[str, Any], document: Any, lang: str, div: dict[str, Any],
           refs: dict[str, Any] | None) -> None:
    if refs is not None:
        refs["c"] = div["c"]
        return
    heading = {"t": "Header", "c": [1, attr("bibliography", ["unnumbered"]),
                                    text_inlines(label("References", lang))]}
    sources = {str(p) for p in document.sources}
    target = ast["blocks"]
    for block in ast["blocks"]:
        if block.get("t") == "Div" and SOURCE_CLASS in block["c"][0][1] \
                and dict(block["c"][0][2]).get("path") in sources:
            target = block["c"][1]
    target += [heading, div]
