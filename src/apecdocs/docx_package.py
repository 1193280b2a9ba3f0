"""Read and rewrite the parts of a DOCX package (a zip of XML parts).

The DOCX post-processing steps (sections, fields) each change a few parts; this class
parses a part once, lets each step edit the tree, and writes the package back with its
parts in their original order. lxml keeps every namespace prefix as written, which
Word needs: ``mc:Ignorable`` names prefixes by text.
"""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml."
NSMAP = {"w": W_NS, "r": R_NS}
DOCUMENT = "word/document.xml"
DOCUMENT_RELS = "word/_rels/document.xml.rels"
STYLES = "word/styles.xml"
CONTENT_TYPES = "[Content_Types].xml"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
PIC_NS = "http://schemas.openxmlformats.org/drawingml/2006/picture"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
_PACKED = (".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff")  # compressed already


def w(tag: str) -> str:
    """``w:tag`` in Clark notation, for building elements."""
    return f"{{{W_NS}}}{tag}"


def el(tag: str, attrs: dict[str, str] | None = None, *children: etree._Element) -> etree._Element:
    """A ``w:`` element; attribute names without a prefix are ``w:`` attributes."""
    node = etree.Element(w(tag), nsmap={"w": W_NS})
    for key, value in (attrs or {}).items():
        node.set(key if key.startswith("{") else w(key), value)
    node.extend(children)
    return node


class DocxPackage:
    """The parts of one DOCX, parsed on demand and written back by ``save``."""

    def __init__(self, path: Path) -> None:
        with zipfile.ZipFile(path) as zin:
            self.names = [i.filename for i in zin.infolist()]
            self.data = {name: zin.read(name) for name in self.names}
        self.trees: dict[str, etree._Element] = {}

    def xml(self, name: str) -> etree._Element:
        if name not in self.trees:
            self.trees[name] = etree.fromstring(self.data[name])
        return self.trees[name]

    def has(self, name: str) -> bool:
        return name in self.data or name in self.trees

    def add_part(self, name: str, root: etree._Element, kind: str) -> str:
        """Add ``word/<kind>N.xml`` content, typed and related from the document; return
        the relationship id. ``kind`` is ``header`` or ``footer``."""
        self.trees[name] = root
        if name not in self.names:
            self.names.append(name)
        types = self.xml(CONTENT_TYPES)
        override = etree.SubElement(types, f"{{{CT_NS}}}Override")
        override.set("PartName", "/" + name)
        override.set("ContentType", f"{CONTENT_TYPE}{kind}+xml")
        rels = self.xml(DOCUMENT_RELS)
        return relate(rels, REL_TYPE + kind, name.removeprefix("word/"),
                      {r.get("Id") for r in rels})

    def free_name(self, stem: str) -> str:
        """``word/<stem>N.xml`` not yet in the package."""
        number = 1
        while self.has(f"word/{stem}{number}.xml"):
            number += 1
        return f"word/{stem}{number}.xml"

    def save(self, path: Path) -> None:
        for name, root in self.trees.items():
            self.data[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                             standalone=True)
        # Level 3: a third of the default's time on a long report, a tenth larger.
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=3) as zout:
            for name in self.names:
                packed = name.lower().endswith(_PACKED)  # deflating a PNG gains nothing
                zout.writestr(name, self.data[name],
                              compress_type=zipfile.ZIP_STORED if packed else None)

def relate(rels: etree._Element, rel_type: str, target: str, used: set[str], *,
           external: bool = False) -> str:
    """Add a relationship of ``rel_type`` to ``target`` to ``rels`` under the first
    ``rId<n>`` not in ``used`` (which it joins); return that id."""
    number = len(used) + 1
    while f"rId{number}" in used:
        number += 1
    rel = etree.SubElement(rels, f"{{{REL_NS}}}Relationship")
    rel.set("Id", f"rId{number}")
    rel.set("Type", rel_type)
    rel.set("Target", target)
    if external:
        rel.set("TargetMode", "External")
    used.add(f"rId{number}")
    return f"rId{number}"


def text_run(text: str, rpr: etree._Element | None = None) -> etree._Element:
    run = el("r")
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    t = etree.SubElement(run, w("t"))
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


def field_runs(instruction: str, cached: str, rpr: etree._Element | None = None,
               dirty: bool = False) -> list[etree._Element]:
    """The runs of a complex field: begin, instruction, separate, cached result, end."""

    def run(*children: etree._Element) -> etree._Element:
        r = el("r")
        if rpr is not None:
            r.append(copy.deepcopy(rpr))
        r.extend(children)
        return r

    instr = el("instrText")
    instr.text = f" {instruction} "
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    begin = {"fldCharType": "begin"} | ({"dirty": "true"} if dirty else {})
    return [run(el("fldChar", begin)), run(instr), run(el("fldChar", {"fldCharType": "separate"})),
            text_run(cached, rpr), run(el("fldChar", {"fldCharType": "end"}))]
