"""Render a document's citations and bibliography with citeproc-py, as pandoc inlines.

One pass per document and language: every cite is registered in document order (so
numeric styles number by first citation), the bibliography is sorted, ambiguous
author-date cites get year suffixes (2023a, 2023b), then each citation and entry is
rendered. Citation modes, collapsing and pandoc's prefixes and suffixes are handled
here rather than by citeproc-py, which knows none of them: each cite is rendered
alone, with its names marked, and the citation is put together around it.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

from . import disambiguation, elements, markup, patches, positions, sorting, speedups, styles, twocores
from . import items as csl_items
from . import names as csl_names
from .results import IN_TEXT, NORMAL, SUPPRESS, Cite, Entry, Inline, Result

__all__ = ["IN_TEXT", "NORMAL", "SUPPRESS", "Cite", "Entry", "Inline", "Result", "render"]

_LEADING_DELIMITER = re.compile(r"^(?:\s|,|;|:)+")
_BEGINS_WITH_TERM = re.compile("^(?:<[^>]+>)*" + "\ue003")


_patched = False
_patching = threading.Lock()  # documents render in parallel threads


def _patch_citeproc() -> None:
    """Our changes to citeproc-py's classes, in order, once (whichever thread comes
    first): each later module wraps what an earlier one set, so a second pass would
    wrap them twice."""
    global _patched
    with _patching:
        if not _patched:
            speedups.install()
            elements.install()
            csl_names.install()
            patches.install()
            _patched = True


def get_ready(items: list[dict[str, Any]]) -> None:
    """What a first rendering needs and no document decides: citeproc-py patched, the
    items made readable for it (``items.get_ready``)."""
    _patch_citeproc()
    csl_items.get_ready(items)


def render(items: dict[str, dict[str, Any]], groups: list[list[Cite]], style_path: Path,
           locale: str) -> Result:
    """Citations (one inline list per group) and bibliography entries, in order."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, Locator, formatter

    _patch_citeproc()
    style = styles.load(style_path, locale)
    ids = {key: f"k{n}" for n, key in enumerate(dict.fromkeys(c.key for g in groups for c in g))}
    source = csl_items.source(items, ids)
    for group in groups:  # CSL's first-reference-note-number: the note first citing it
        for cite in group:
            reference = source[ids[cite.key]]
            if cite.note is not None and "first_reference_note_number" not in reference:
                reference["first_reference_note_number"] = str(cite.note)
    bib = CitationStylesBibliography(style, source, formatter.html)
    citations = []
    for group in groups:
        cite_items = []
        for cite in group:
            extra = {"locator": Locator(*cite.locator)} if cite.locator else {}
            cite_items.append(CitationItem(ids[cite.key], **extra))
        citation = Citation(cite_items)
        citation.note_number = group[0].note if group else None  # read by ``positions``
        bib.register(citation)
        citations.append(citation)
    if style.root.bibliography is not None:  # a style may have none (citeproc-py fails)
        bib.sort()
    renderer = _Renderer(style, bib, locale)
    with sorting.remembering_keys():  # as written, before suffixes
        orders = [renderer.order(citation) for citation in citations]
    renderer.disambiguate()
    with patches.name_overrides(renderer.overrides):
        out = [renderer.citation(group, citation, order)
               for group, citation, order in zip(groups, citations, orders, strict=True)]
    keys = {v: k for k, v in ids.items()}
    with patches.name_overrides(renderer.overrides, bibliography=True):
        entries = renderer.bibliography(keys)
    positions.forget()
    return Result(out, entries)


class _Renderer:
    """One document's rendering with a citeproc-py style and bibliography: the state
    citeproc-py keeps between cites, our overrides, and the cites already rendered."""

    def __init__(self, style: Any, bib: Any, locale: str) -> None:
        self.style = style
        self.bib = bib
        self.citation_element = style.root.citation  # kept: citeproc-py keeps state on it
        self.citation_element.cites = []
        self.layout = self.citation_element.layout
        self.bib_element = style.root.bibliography
        self.overrides: dict[str, disambiguation.Override] = {}
        self.rendered: dict[tuple, str | None] = {}
        self.position_free = not style.root.xpath(".//cs:*[@position]",
                                                  namespaces={"cs": styles.CSL_NS[1:-1]})
        try:
            self.near_note = int(self.citation_element.get("near-note-distance", "5"))
        except ValueError:
            self.near_note = 5
        self.note_style = style.root.get("class") == "note"
        self.particles: set[str] = set()  # of the first item of the citation being made
        option = style.root.get_locale_option("punctuation-in-quote") or "false"
        self.quotes_take_punctuation = option.lower() == "true"

    def disambiguate(self) -> None:
        """Overrides and year suffixes for cites that would print alike (CSL 1.0.1)."""
        from citeproc import Citation, CitationItem

        probes = []
        for item in self.bib.items:
            probe = CitationItem(item.key)
            self.bib.register(Citation([probe]))
            probes.append(probe)

        def text(probe: Any) -> str:
            self.citation_element.cites = []
            with patches.marking_names():
                html = self.rendered[(probe.key, None)] = self._render(probe)
            return markup.plain(_unmark(html or "").replace(patches.TERM, ""))

        self.overrides = disambiguation.disambiguate(self.citation_element, probes, text)
        self.citation_element.cites = []
        changed = set(self.overrides) | {
            item.key for item in self.bib.items if dict.get(item.reference, "year_suffix")
            or dict.get(item.reference, patches.DISAMBIGUATE)}
        self.rendered = {k: v for k, v in self.rendered.items() if k[0] not in changed}

    def _render_cite(self, item: Any) -> str | None:
        """A cite's HTML with names marked; reused when the style never asks a cite's
        position, or when the cite is a first one (as its disambiguation probe was), so
        each key and locator is rendered once in that position."""
        if not self.position_free and positions.position(
                item, self.citation_element.cites, self.near_note) != {"first"}:
            return self._render(item)
        locator = (item.locator.label, item.locator.identifier) if item.has_locator else None
        key = (item.key, locator)
        if key not in self.rendered:
            self.rendered[key] = self._render(item)
        return self.rendered[key]

    def _render(self, item: Any) -> str | None:
        from citeproc.source import VariableError

        self.layout.repressed = {}
        try:
            text = self.layout.render_children(item)
        except VariableError:
            text = None
        return None if text is None else str(text)

    def order(self, citation: Any) -> list[int]:
        """The cites of a citation in the style's citation order (as written if none)."""
        order = list(range(len(citation.cites)))
        sort = self.citation_element.sort
        if sort is not None and len(order) > 1:
            ranked = sort.sort(list(citation.cites), self.layout)
            position = {id(item): n for n, item in enumerate(ranked)}
            order.sort(key=lambda n: position[id(citation.cites[n])])
        return order

    def citation(self, group: list[Cite], citation: Any, order: list[int]) -> list[Inline]:
        rendered = []
        with patches.marking_names():
            for n in order:
                item = citation.cites[n]
                html = self._render_cite(item)
                self.citation_element.cites.append(item)
                rendered.append((group[n], _split_names(self._fix(html or f"{group[n].key}?",
                                                                  punctuation=False,
                                                                  terms=True))))
        self.particles = _particles(citation.cites[order[0]]) if order else set()
        return self._assemble(rendered)

    def _fix(self, html: str, punctuation: bool = True, terms: bool = False) -> str:
        """Typography; the term marks go unless ``terms`` (a cite not yet assembled)."""
        if not terms:
            html = html.replace(patches.TERM, "")
        return markup.typography(html.replace(".\ue002.", ".\ue002"),
                                 punctuation and self.quotes_take_punctuation)

    def _assemble(self, rendered: list[tuple[Cite, tuple[str, str | None, str]]]) -> list[Inline]:
        """One citation from its rendered cites: modes, collapsing, the author's prefixes
        and suffixes (as slots, since they are inlines already), the layout's affixes."""
        layout, element = self.layout, self.citation_element
        collapse = element.get("collapse", "") in ("year", "year-suffix", "year-suffix-ranged")
        if collapse or element.get("cite-group-delimiter") is not None:
            rendered = _grouped(rendered)
        slots: dict[int, list[Inline]] = {}
        html, author_in_text = "", None
        previous: Cite | None = None
        previous_names, grouped = None, False
        for cite, (before, names, after) in rendered:
            without_names = before + (_LEADING_DELIMITER.sub("", after) if names is not None
                                      else after)
            body = before + (names or "") + after
            in_note_text = self.note_style and cite.in_note and cite.mode == IN_TEXT
            if cite.mode == SUPPRESS or (cite.mode == IN_TEXT and names and not in_note_text):
                body = without_names
                if cite.mode == IN_TEXT and previous is None:
                    author_in_text = names
            collapsing = bool(collapse and names and names == previous_names
                              and cite.mode == NORMAL and not cite.prefix)
            if collapsing:
                body = without_names
            if previous is not None:
                html += self._delimiter(previous, collapsing, grouped)
            grouped = collapsing
            previous, previous_names = cite, names if cite.mode == NORMAL else None
            if cite.prefix:
                slots[len(slots)] = [*cite.prefix, {"t": "Space"}]
                html += markup.slot(len(slots) - 1)
            html += body
            if cite.suffix:
                slots[len(slots)] = cite.suffix
                html += markup.slot(len(slots) - 1)
        if self.note_style:
            first = rendered[0][0]
            return self._note(html, author_in_text, slots, first.in_note,
                              bare=first.mode == IN_TEXT)
        html = str(layout.format(layout.wrap(html)))
        if author_in_text:
            html = author_in_text + " " + html
        return markup.render_inlines(self._fix(html), slots)

    def _note(self, html: str, author: str | None, slots: dict[int, list[Inline]],
              in_note: bool, bare: bool = False) -> list[Inline]:
        """A note style's citation: a footnote (after the author's name for ``@key``);
        inside the author's own footnote, without the layout's affixes and in
        parentheses (``@key`` there: the whole cite, as text), as pandoc writes it."""
        layout = self.layout
        if in_note:
            html = str(layout.format(html)) if bare else "(" + str(layout.format(html)) + ")"
            return markup.render_inlines(self._fix((author + " " if author else "") + html),
                                         slots)
        html = str(layout.format(layout.wrap(html)))
        body = markup.render_inlines(self._fix(html), slots)
        first = body[0] if body else None
        if first and first["t"] == "Str" and (_BEGINS_WITH_TERM.match(html)
                                              or first["c"] in self.particles):
            # a note that begins with a term or a name's particle begins with a capital
            # ("Ibid.", "De Bruijn"), as pandoc's citeproc writes it; one that begins
            # with a name ("wu") keeps its case
            body[0] = {"t": "Str", "c": first["c"][:1].upper() + first["c"][1:]}
        note = {"t": "Note", "c": [{"t": "Para", "c": body}]}
        return [*markup.render_inlines(self._fix(author)), note] if author else [note]

    def _delimiter(self, previous: Cite, collapsing: bool, after_group: bool) -> str:
        """Between cites: ", " within a collapsed group (unless the cite before it has a
        locator or suffix, as pandoc does), the after-collapse delimiter after a group,
        else the layout's own."""
        delimiter = self.layout.get("delimiter", "")
        if collapsing and not (previous.locator or previous.suffix):
            return self.citation_element.get("cite-group-delimiter", ", ")
        if after_group and not collapsing:
            return self.citation_element.get("after-collapse-delimiter", delimiter)
        return delimiter

    def bibliography(self, keys: dict[str, str]) -> list[Entry]:
        """Entries in bibliography order, each rendered from a cite without a locator;
        a long bibliography on two cores (``twocores``)."""
        if self.bib_element is None:
            return []
        found = twocores.render(list(self.bib.items), self._entries, self._entries)
        return [Entry(keys[key], left, body) for key, left, body in found]

    def _entries(self, registered: Any) -> list[tuple[str, list[Inline] | None, list[Inline]]]:
        """``(item key, number column or None, body)`` of each of ``registered`` that
        renders (an entry whose every variable is empty does not)."""
        from citeproc import Citation, CitationItem
        from citeproc.source import VariableError

        layout = self.bib_element.layout
        children = list(layout.iterchildren())
        aligned = self.bib_element.get("second-field-align") is not None and len(children) > 1
        entries = []
        for one in registered:
            item = CitationItem(one.key)
            self.bib.register(Citation([item]))
            layout.repressed = {}
            try:
                body = layout.render_children(item)
            except VariableError:
                body = None
            if body is None:
                continue
            html = str(layout.format(layout.wrap(body)))
            left = None
            if aligned:
                layout.repressed = {}
                try:
                    first = children[0].render(item)
                except VariableError:
                    first = None
                if first and html.startswith(str(first)):
                    left, html = str(first), html[len(str(first)):].lstrip()
            html = self._fix(html)
            entries.append((item.key,
                            markup.render_inlines(self._fix(left)) if left else None,
                            markup.render_inlines(html, links=True)))
        return entries


def _grouped(rendered: list[tuple[Cite, tuple[str, str | None, str]]]) -> list:
    """Cites with the same names brought together where the first of them stands (CSL
    cite grouping): "(Doe 1999; Smith 2002; Doe 2006)" -> "(Doe 1999, 2006; Smith 2002)"."""
    buckets: list[list] = []
    where: dict[str, int] = {}
    for entry in rendered:
        cite, (_, names, _) = entry
        movable = names is not None and cite.mode == NORMAL and not cite.prefix \
            and not cite.suffix
        if movable and names in where:
            buckets[where[names]].append(entry)
            continue
        if movable:
            where[names] = len(buckets)
        buckets.append([entry])
    return [entry for bucket in buckets for entry in bucket]


def _particles(item: Any) -> set[str]:
    """The non-dropping particles ("de", "van der") of an item's names."""
    found = set()
    for variable in disambiguation.NAME_VARIABLES:
        for name in dict.get(item.reference, variable) or []:
            particle = name.get("non-dropping-particle")
            if particle:
                found.add(str(particle).split()[0])
    return found


def _unmark(html: str) -> str:
    return html.replace(patches.NAMES_OPEN, "").replace(patches.NAMES_CLOSE, "")


def _split_names(html: str) -> tuple[str, str | None, str]:
    """Text before the first (outermost) marked names, the names, and the text after."""
    start = html.find(patches.NAMES_OPEN)
    if start < 0:
        return html, None, ""
    depth = 0
    for i in range(start, len(html)):
        if html[i] == patches.NAMES_OPEN:
            depth += 1
        elif html[i] == patches.NAMES_CLOSE:
            depth -= 1
            if depth == 0:
                return (_unmark(html[:start]), _unmark(html[start + 1:i]),
                        _unmark(html[i + 1:]))
    return _unmark(html), None, ""
