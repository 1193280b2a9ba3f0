"""Word sections: a cover without a page number, front matter in lower-case roman, the
body in arabic from 1, a page-number footer and a running header.

Two halves. Before pandoc writes the DOCX, ``cover_end`` and ``mark_body`` put section
breaks into the AST as raw OpenXML paragraphs (a plugin knows where its cover ends; the
core knows where the first numbered chapter starts). After pandoc, ``apply`` completes
every section: page size and margins from the reference document's own section, page
numbering, and header and footer parts whose paragraphs use the ``Header`` and
``Footer`` styles, so a team restyles them in its reference.docx. A reference
document that brings its own header or footer keeps it for the front matter and body.
"""

from __future__ import annotations

import copy
from typing import Any

from lxml import etree

from .docx_package import DOCUMENT, R_NS, W_NS, DocxPackage, el, field_runs, text_run, w
from .pandoc_ast import raw_block

# A section break is a paragraph whose properties hold the section's own properties
# (those of the section it ends). The cover section: titlePg and no visible number.
COVER_END_XML = ('<w:p><w:pPr><w:sectPr><w:pgNumType w:fmt="lowerRoman" w:start="1"/>'
                 "<w:titlePg/></w:sectPr></w:pPr></w:p>")
FRONT_END_XML = '<w:p><w:pPr><w:sectPr><w:pgNumType w:fmt="lowerRoman"/></w:sectPr></w:pPr></w:p>'

# Children of w:sectPr in the order the schema requires.
SECT_ORDER = ["headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz",
              "pgMar", "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt",
              "vAlign", "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid",
              "printerSettings", "sectPrChange"]


def cover_end() -> dict[str, Any]:
    """A raw block ending the cover section (put it after the last cover page)."""
    return raw_block("openxml", COVER_END_XML)


def mark_body(ast: dict[str, Any]) -> bool:
    """End the front matter just before the first numbered chapter; False if none."""

    def visit(blocks: list[dict[str, Any]]) -> bool:
        for i, block in enumerate(blocks):
            if block["t"] == "Header" and block["c"][0] == 1 and "numbered" in block["c"][1][1]:
                blocks.insert(i, raw_block("openxml", FRONT_END_XML))
                return True
            if block["t"] == "Div" and visit(block["c"][1]):
                return True
        return False

    return visit(ast["blocks"])


def apply(pkg: DocxPackage, header_text: str, sections: bool) -> None:
    """Complete the document's sections, headers and footers in place."""
    body = pkg.xml(DOCUMENT).find(w("body"))
    final = body.find(w("sectPr"))
    if final is None:
        final = etree.SubElement(body, w("sectPr"))
    breaks = [s for s in body.iter(w("sectPr")) if s is not final]
    for sect in breaks:
        paragraph = sect.getparent().getparent()
        if all(child.tag == w("pPr") for child in paragraph):  # an empty break paragraph
            _attach_to_previous(paragraph)
    parts = _Parts(pkg, header_text)
    own_header = final.find(w("headerReference")) is not None
    own_footer = final.find(w("footerReference")) is not None
    inherited = [copy.deepcopy(r) for r in final
                 if r.tag in (w("headerReference"), w("footerReference"))]
    for i, sect in enumerate(breaks):
        if sect.find(w("headerReference")) is not None or sect.find(w("footerReference")) is not None:
            continue  # finished already (by an earlier pass, or written so on purpose)
        _copy_page(final, sect)
        number = sect.find(w("pgNumType"))
        if i == 0 and number is not None and number.get(w("start")) is None:
            number.set(w("start"), "1")  # the first section counts from 1 (i)
        if sect.find(w("titlePg")) is not None:  # the cover: nothing on any of its pages
            for kind in ("header", "footer"):
                for which in ("default", "first"):
                    sect.append(_reference(kind, which, parts.empty(kind)))
        else:  # front matter: the page number, no running header
            for ref in inherited:
                if ref.tag == w("footerReference"):
                    sect.append(copy.deepcopy(ref))
            if not own_header:
                sect.append(_reference("header", "default", parts.empty("header")))
            if not own_footer:
                sect.append(_reference("footer", "default", parts.page_footer()))
        _order(sect)
    if not own_header:
        final.append(_reference("header", "default", parts.running_header() if header_text
                                else parts.empty("header")))
    if not own_footer:
        final.append(_reference("footer", "default", parts.page_footer()))
    for old in final.findall(w("pgNumType")):
        final.remove(old)
    number = {"fmt": "decimal"}
    if sections and breaks:
        number["start"] = "1"
    final.append(el("pgNumType", number))
    _order(final)


def _attach_to_previous(marker: etree._Element) -> None:
    """Move a section break onto the paragraph before it, so it adds no empty line (which
    could spill onto a page of its own); drop a page break it makes redundant."""
    previous = marker.getprevious()
    while previous is not None and previous.tag in (w("bookmarkStart"), w("bookmarkEnd")):
        previous = previous.getprevious()
    if previous is not None and _only_page_break(previous):
        previous.getparent().remove(previous)
        previous = marker.getprevious()
        while previous is not None and previous.tag in (w("bookmarkStart"), w("bookmarkEnd")):
            previous = previous.getprevious()
    if previous is None or previous.tag != w("p") or previous.find(f"{w('pPr')}/{w('sectPr')}") \
            is not None or previous.find(f"{w('pPr')}/{w('framePr')}") is not None:
        return  # a framed paragraph (the imprint at the page's foot) is outside the flow
    sect = marker.find(f"{w('pPr')}/{w('sectPr')}")
    ppr = previous.find(w("pPr"))
    if ppr is None:
        ppr = el("pPr")
        previous.insert(0, ppr)
    change = ppr.find(w("pPrChange"))
    if change is not None:
        change.addprevious(sect)
    else:
        ppr.append(sect)
    marker.getparent().remove(marker)


def _only_page_break(node: etree._Element) -> bool:
    if node.tag != w("p"):
        return False
    runs = node.findall(w("r"))
    return bool(runs) and all(len(r) == 1 and r[0].tag == w("br") and r[0].get(w("type")) == "page"
                              for r in runs) and not node.findall(f".//{w('t')}")


def _copy_page(final: etree._Element, sect: etree._Element) -> None:
    for tag in ("footnotePr", "pgSz", "pgMar", "cols", "docGrid"):
        source = final.find(w(tag))
        if source is not None and sect.find(w(tag)) is None:
            sect.append(copy.deepcopy(source))


def _order(sect: etree._Element) -> None:
    rank = {f"{{{W_NS}}}{name}": i for i, name in enumerate(SECT_ORDER)}
    children = sorted(sect, key=lambda c: rank.get(c.tag, len(rank)))
    for child in children:
        sect.append(child)


def _reference(kind: str, which: str, rid: str) -> etree._Element:
    return el(f"{kind}Reference", {"type": which, f"{{{R_NS}}}id": rid})


class _Parts:
    """Header and footer parts, each made once and shared by the sections using it."""

    def __init__(self, pkg: DocxPackage, header_text: str) -> None:
        self.pkg = pkg
        self.header_text = header_text
        self.made: dict[str, str] = {}

    def _part(self, key: str, kind: str, paragraph: etree._Element) -> str:
        if key not in self.made:
            root = etree.Element(w("hdr" if kind == "header" else "ftr"),
                                 nsmap={"w": W_NS, "r": R_NS})
            root.append(paragraph)
            name = self.pkg.free_name(kind)
            self.made[key] = self.pkg.add_part(name, root, kind)
        return self.made[key]

    def empty(self, kind: str) -> str:
        style = "Header" if kind == "header" else "Footer"
        return self._part(f"empty-{kind}", kind, el("p", None, el("pPr", None,
                                                                   el("pStyle", {"val": style}))))

    def page_footer(self) -> str:
        paragraph = el("p", None, el("pPr", None, el("pStyle", {"val": "Footer"})),
                       *field_runs("PAGE", "1"))
        return self._part("page", "footer", paragraph)

    def running_header(self) -> str:
        paragraph = el("p", None, el("pPr", None, el("pStyle", {"val": "Header"})),
                       text_run(self.header_text))
        return self._part("title", "header", paragraph)
