"""Live Word fields: captions as ``SEQ``, cross-references as ``REF``, page numbers in
the contents and lists as ``PAGEREF``, and a request to update fields on opening.

apecdocs numbers figures and tables itself (the same numbers in every format) and pandoc
writes them as text. Here each caption's number becomes a ``SEQ`` field whose cached
result is that number, inside a bookmark; each "see Table 7" link to it becomes a ``REF``
field to the bookmark, its cached text the text apecdocs wrote. The document reads the
same before any update, and after a reviewer inserts a table and updates fields every
later number and every reference to them follows.

Where numbers carry a prefix (``Table 2.1`` by chapter, ``Table A.1`` in an annex), the
prefix stays text and the count runs in its own sequence (``Table_A``), derived from
the number apecdocs computed, so whichever numbering a document uses keeps its shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

from .docx_package import DOCUMENT, W_NS, DocxPackage, el, field_runs, text_run, w

CAPTION_STYLES = {"TableCaption", "ImageCaption"}
LIST_STYLES = re.compile(r"^(TOC\d|TableofFigures)$")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
VALID_BOOKMARK = re.compile(r"^[^\W\d_]\w{0,39}$")
# Settings that follow w:updateFields in the schema's sequence.
AFTER_UPDATE_FIELDS = {"hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids",
                       "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
                       "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade",
                       "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary",
                       "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator"}
CAPTIONS_BEFORE = {"readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults",
                   "doNotEmbedSmartTags", "decimalSymbol", "listSeparator"}


def sequence_name(label: str, prefix: str) -> str:
    """The ``SEQ`` identifier of a caption label and number prefix: ``Table``,
    ``Table_A``; letters of any script are kept (``表``), anything else becomes ``_``."""
    name = re.sub(r"\W", "_", label) + ("_" + re.sub(r"\W", "_", prefix) if prefix else "")
    return name if re.match(r"[^\W\d_]", name) else "Seq_" + name


def caption_pattern(labels: Iterable[str]) -> re.Pattern[str]:
    """``<label> <prefix><n>`` at the start of a caption, for the given labels."""
    alternatives = "|".join(re.escape(x) for x in sorted(set(labels), key=len, reverse=True))
    return re.compile(rf"^(?P<label>{alternatives})(?P<space>\s*)"
                      rf"(?P<prefix>(?:[^\s:：.]+[.\-–])*)(?P<seq>\d+)(?=[\s:：.]|$)")


class Fields:
    """The field rewrites of one document; ``apply`` runs them in order."""

    def __init__(self, pkg: DocxPackage, labels: Iterable[str],
                 pages: dict[str, str] | None = None) -> None:
        self.pkg = pkg
        self.root = pkg.xml(DOCUMENT)
        self.pattern = caption_pattern(labels)
        self.pages = pages or {}
        self.names = {b.get(w("name")) for b in self.root.iter(w("bookmarkStart"))}
        self.next_id = max([int(b.get(w("id"), "0")) for b in self.root.iter(w("bookmarkStart"))]
                           + [0]) + 1
        self.captions: dict[str, tuple[str, str]] = {}  # element id -> (bookmark, "Table 2")
        self.sequences: dict[str, int] = {}

    def apply(self) -> None:
        self.number_captions()
        self.cross_references()
        self.list_page_numbers()
        request_update(self.pkg)

    # -- captions --------------------------------------------------------------------

    def number_captions(self) -> None:
        open_marks: dict[str, str] = {}
        start, end, ident, name = w("bookmarkStart"), w("bookmarkEnd"), w("id"), w("name")
        for node in list(self.root.iter(start, end, w("p"))):
            if node.tag == start:
                open_marks[node.get(ident)] = node.get(name)
            elif node.tag == end:
                open_marks.pop(node.get(ident), None)
            elif _style(node) in CAPTION_STYLES:
                owner = next((name for name in reversed(open_marks.values())
                              if not name.startswith("_")), "")
                self._caption(node, owner)

    def _caption(self, paragraph: etree._Element, owner: str) -> None:
        runs = [r for r in paragraph if r.tag == w("r")]
        if paragraph.find(f".//{w('fldChar')}") is not None:
            return  # a field already: leave it as it is
        text = "".join(_run_text(r) for r in runs)
        match = self.pattern.match(text)
        if not match:
            return
        rpr = runs[0].find(w("rPr"))
        head = match.group("label") + match.group("space") + match.group("prefix")
        consumed = 0
        for run in runs:  # drop the runs holding the number; keep what follows it
            length = len(_run_text(run))
            if consumed >= match.end():
                break
            if consumed + length > match.end():
                _set_run_text(run, _run_text(run)[match.end() - consumed:])
            else:
                paragraph.remove(run)
            consumed += length
        ident = sequence_name(match.group("label"), match.group("prefix").rstrip(".-–"))
        self.sequences[ident] = self.sequences.get(ident, 0) + 1
        mark = self._bookmark_name("_Ref_" + (owner or f"{ident}_{self.sequences[ident]}"))
        start, end = self._bookmark(mark)
        new = [start, text_run(head, rpr),
               *field_runs(f"SEQ {ident} \\* ARABIC", match.group("seq"), rpr), end]
        ppr = paragraph.find(w("pPr"))
        index = 0 if ppr is None else list(paragraph).index(ppr) + 1
        paragraph[index:index] = new
        if owner:
            self.captions[owner] = (mark, match.group(0))

    def _bookmark_name(self, wanted: str) -> str:
        base = re.sub(r"\W", "_", wanted)[:36]
        name, n = base, 1
        while name in self.names:
            n += 1
            name = f"{base[:36 - len(str(n))]}_{n}"
        self.names.add(name)
        return name

    def _bookmark(self, name: str) -> tuple[etree._Element, etree._Element]:
        ident = str(self.next_id)
        self.next_id += 1
        return el("bookmarkStart", {"id": ident, "name": name}), el("bookmarkEnd", {"id": ident})

    # -- cross-references -----------------------------------------------------------

    def cross_references(self) -> None:
        """A link to a caption reading exactly its "Table 2" becomes ``REF`` to it."""
        for link in list(self.root.iter(w("hyperlink"))):
            target = self.captions.get(link.get(w("anchor"), ""))
            if not target or "".join(_run_text(r) for r in link.iter(w("r"))) != target[1]:
                continue
            first = link.find(w("r"))
            rpr = first.find(w("rPr")) if first is not None else None
            parent, index = link.getparent(), link.getparent().index(link)
            parent.remove(link)
            parent[index:index] = field_runs(f"REF {target[0]} \\h", target[1], rpr)

    # -- contents and lists --------------------------------------------------------

    def list_page_numbers(self) -> None:
        """Each entry of the contents and lists: a tab, then ``PAGEREF`` to its target,
        cached with its page number where one is known (empty otherwise)."""
        starts = {b.get(w("name")): b for b in self.root.iter(w("bookmarkStart"))}
        for paragraph in list(self.root.iter(w("p"))):
            if not LIST_STYLES.match(_style(paragraph)):
                continue
            link = paragraph.find(w("hyperlink"))
            anchor = link.get(w("anchor"), "") if link is not None else ""
            if not anchor or anchor not in starts or link.find(f".//{w('instrText')}") is not None:
                continue
            mark = self.captions[anchor][0] if anchor in self.captions else \
                self._valid_mark(anchor, starts[anchor])
            tab = el("r", None, el("tab"))
            link.extend([tab, *field_runs(f"PAGEREF {mark} \\h", self.pages.get(anchor, ""))])

    def _valid_mark(self, anchor: str, start: etree._Element) -> str:
        """A bookmark name a word processor accepts in a field (letters, digits and ``_``,
        at most 40) at the same place as ``anchor``: the anchor itself when it is one."""
        if VALID_BOOKMARK.match(anchor):
            return anchor
        name = self._bookmark_name("_Toc_" + anchor)
        new_start, new_end = self._bookmark(name)
        start.addnext(new_start)
        paragraph = new_start.getnext()
        while paragraph is not None and paragraph.tag != w("p"):
            paragraph = paragraph.getnext()
        if paragraph is not None:
            paragraph.append(new_end)
        else:
            new_start.addnext(new_end)
        return name


def request_update(pkg: DocxPackage) -> None:
    """``w:updateFields``: a word processor that honours it updates every field, the
    contents and lists with their page numbers included, when the file opens; and
    ``w:listSeparator`` so field switches read the same in every locale."""
    settings = pkg.xml("word/settings.xml")
    for tag in ("updateFields", "listSeparator"):
        for old in settings.findall(w(tag)):
            settings.remove(old)
    update = el("updateFields", {"val": "true"})
    following = next((c for c in settings if etree.QName(c).localname in AFTER_UPDATE_FIELDS),
                     None)
    if following is not None:
        following.addprevious(update)
    else:
        settings.append(update)
    separator = el("listSeparator", {"val": ","})
    extension = next((c for c in settings if etree.QName(c).namespace != W_NS), None)
    if extension is not None:
        extension.addprevious(separator)
    else:
        settings.append(separator)


def register_labels(pkg: DocxPackage, figure: str, table: str) -> None:
    """``w:captions``: the document's caption labels (``Figura``, ``表``...) and where
    each caption sits, so Word's Insert Caption, Cross-reference and Table of Figures
    dialogs offer them as they offer their own."""
    settings = pkg.xml("word/settings.xml")
    for old in settings.findall(w("captions")):
        settings.remove(old)
    captions = el("captions", None, el("caption", {"name": figure, "pos": "below"}),
                  el("caption", {"name": table, "pos": "above"}))
    following = next((c for c in settings if etree.QName(c).localname in CAPTIONS_BEFORE), None)
    if following is not None:
        following.addprevious(captions)
    else:
        settings.append(captions)


_PPR, _PSTYLE, _VAL = w("pPr"), w("pStyle"), w("val")


def _style(paragraph: etree._Element) -> str:
    """The paragraph's style id. The schema puts the properties first and the style
    first in them; children are looked at one by one only where it was not so."""
    props = paragraph[0] if len(paragraph) and paragraph[0].tag == _PPR else \
        paragraph.find(_PPR)
    if props is None:
        return ""
    style = props[0] if len(props) and props[0].tag == _PSTYLE else props.find(_PSTYLE)
    return style.get(_VAL, "") if style is not None else ""


def _run_text(run: etree._Element) -> str:
    return "".join(t.text or "" for t in run.iter(w("t")))


def _set_run_text(run: etree._Element, text: str) -> None:
    texts = run.findall(w("t"))
    for extra in texts[1:]:
        run.remove(extra)
    texts[0].text = text
    texts[0].set(XML_SPACE, "preserve")
