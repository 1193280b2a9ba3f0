"""Join two DOCX packages that pandoc wrote from the two halves of one document.

A long report is written as two halves at once, one pandoc per core (``halves``).
Each half numbers its own footnotes, bookmarks, pictures, relationships and lists from
the start, so the second half's are renumbered past the first's before its body is
appended: footnote and bookmark ids (``w:id``) by one offset, drawing ids likewise,
relationship ids renamed (pictures shared by both halves stored once), lists given
their own numbering definitions, styles the first half lacks added. Anything else the
second package holds is beyond what we know how to join: ``CannotMerge``, and the
caller writes the document whole instead.
"""

from __future__ import annotations

import copy
import hashlib
import posixpath
import re

from lxml import etree

from .docx_package import (
    CONTENT_TYPES,
    CT_NS,
    DOCUMENT,
    DOCUMENT_RELS,
    PIC_NS,
    R_NS,
    REL_NS,
    STYLES,
    W_NS,
    WP_NS,
    DocxPackage,
    w,
)

NUMBERING = "word/numbering.xml"
# The parts whose relationships and ids follow their text into the joined document.
TEXT_PARTS = (DOCUMENT, "word/footnotes.xml", "word/comments.xml")
_ID = w("id")
_NS = {"w": W_NS, "wp": WP_NS, "pic": PIC_NS}
# Attribute queries: a tenth of the time of matching elements by their attributes.
_LINKS = etree.XPath("//@r:*", namespaces={"r": R_NS})  # what names a relationship
_IDS = etree.XPath("//@w:id", namespaces=_NS)
_DRAWINGS = (f"{{{WP_NS}}}docPr", f"{{{PIC_NS}}}cNvPr")  # a picture's two ids
_VAL = w("val")


class CannotMerge(Exception):
    """The second half holds something the join does not handle."""


def merge(first: DocxPackage, second: DocxPackage) -> None:
    """Append ``second``'s body to ``first``'s, in place; ``first`` keeps its own
    section properties, settings, headers and document properties."""
    for name in second.names:
        if not first.has(name) and not name.startswith("word/media/"):
            raise CannotMerge(name)
    trees = {name: second.xml(name) for name in TEXT_PARTS if second.has(name)}
    _shift_ids(first, trees.values())
    _add_defaults(first, second)
    media = _Media(first, second)
    related = _rels(second, DOCUMENT_RELS)
    for name, root in trees.items():
        _relink(first, second, name, root, media, related)
    _renumber_lists(first, second, trees[DOCUMENT])
    _add_styles(first, second)
    _append_notes(first, trees, "word/footnotes.xml", "footnote")
    _append_notes(first, trees, "word/comments.xml", "comment")
    body = first.xml(DOCUMENT).find(w("body"))
    end = body[-1] if len(body) and body[-1].tag == w("sectPr") else None
    for child in list(trees[DOCUMENT].find(w("body"))):
        if child.tag == w("sectPr"):
            continue  # the first half's (the reference document's) page setup stays
        if end is None:
            body.append(child)
        else:
            end.addprevious(child)


def _ints(values: object) -> list[int]:
    return [int(v) for v in values if isinstance(v, str) and re.fullmatch(r"-?\d+", v)]


def _shift_ids(first: DocxPackage, roots: object) -> None:
    """Move the second half's numeric ``w:id`` (notes, bookmarks, revisions) and drawing
    ids past the first half's. One offset keeps every pair (a bookmark's start and end,
    a note and its reference) together; ids made of letters (comments) are the
    author's own and kept."""
    ids = _ints(v for name in TEXT_PARTS if first.has(name) for v in _IDS(first.xml(name)))
    offset = max([0, *ids]) + 1
    drawings = _ints(e.get("id") for e in first.xml(DOCUMENT).iter(*_DRAWINGS))
    drawing_offset = max([0, *drawings]) + 1
    for root in roots:
        for value in _IDS(root):
            if value.isdigit():  # not -1 (a separator) nor a comment's own name
                value.getparent().set(_ID, str(int(value) + offset))
        for node in root.iter(*_DRAWINGS):
            value = node.get("id")
            if value is not None and value.isdigit():
                node.set("id", str(int(value) + drawing_offset))


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return f"{folder}/_rels/{name}.rels"


class _Media:
    """The first package's pictures by content, so a picture in both halves is stored
    once; new ones get names of their own."""

    def __init__(self, first: DocxPackage, second: DocxPackage) -> None:
        self.first, self.second = first, second
        self._by_hash: dict[bytes, str] | None = None  # hashed when a picture first needs it

    @property
    def by_hash(self) -> dict[bytes, str]:
        if self._by_hash is None:
            first = self.first
            self._by_hash = {hashlib.sha256(first.data[n]).digest(): n for n in first.names
                             if n.startswith("word/media/") and n in first.data}
        return self._by_hash

    def place(self, name: str) -> str:
        """The first package's part holding the second's ``name``."""
        data = self.second.data[name]
        key = hashlib.sha256(data).digest()
        if key in self.by_hash:
            return self.by_hash[key]
        stem, ext = posixpath.splitext(name)
        new, number = f"{stem}b{ext}", 1
        while self.first.has(new):
            number += 1
            new = f"{stem}b{number}{ext}"
        self.first.data[new] = data
        self.first.names.append(new)
        self.by_hash[key] = new
        types = self.first.xml(CONTENT_TYPES)
        kind = _content_type(self.second, name)
        if kind is not None:
            override = etree.SubElement(types, f"{{{CT_NS}}}Override")
            override.set("PartName", "/" + new)
            override.set("ContentType", kind)
        return new


def _content_type(pkg: DocxPackage, name: str) -> str | None:
    """The override naming ``name``'s type, or None where its extension's default does."""
    for node in pkg.xml(CONTENT_TYPES).iter(f"{{{CT_NS}}}Override"):
        if node.get("PartName") == "/" + name:
            return node.get("ContentType")
    return None


def _add_defaults(first: DocxPackage, second: DocxPackage) -> None:
    """The content types by extension the second package declares and the first lacks."""
    ours = first.xml(CONTENT_TYPES)
    have = {d.get("Extension", "").lower() for d in ours.iter(f"{{{CT_NS}}}Default")}
    for node in second.xml(CONTENT_TYPES).iter(f"{{{CT_NS}}}Default"):
        if node.get("Extension", "").lower() not in have:
            first_override = ours.find(f"{{{CT_NS}}}Override")
            added = copy.deepcopy(node)
            if first_override is not None:
                first_override.addprevious(added)
            else:
                ours.append(added)


def _relink(first: DocxPackage, second: DocxPackage, part: str, root: etree._Element,
            media: _Media, related: dict[str, etree._Element]) -> None:
    """Give every relationship the second half's ``part`` uses a fresh id in the first
    package's relationships of that part, pointing at the same target. ``related``: the
    second half's document relationships, which pandoc uses from its notes too."""
    links = _LINKS(root)
    if not links:
        return
    rels_name = _rels_name(part)
    theirs = related if part == DOCUMENT else related | _rels(second, rels_name)
    if not first.has(rels_name):
        raise CannotMerge(rels_name)
    ours = first.xml(rels_name)
    used = {r.get("Id") for r in ours}
    same = {(r.get("Type"), r.get("Target"), r.get("TargetMode")): r.get("Id") for r in ours}
    renamed: dict[str, str] = {}
    for value in links:
        if value not in renamed:
            renamed[value] = _relate(first, theirs, value, ours, used, same, media)
        value.getparent().set(value.attrname, renamed[value])


def _rels(pkg: DocxPackage, name: str) -> dict[str, etree._Element]:
    return {r.get("Id"): r for r in pkg.xml(name)} if pkg.has(name) else {}


def _relate(first: DocxPackage, theirs: dict, old: str, ours: etree._Element, used: set,
            same: dict, media: _Media) -> str:
    rel = theirs.get(old)
    if rel is None:
        raise CannotMerge(f"relationship {old}")
    target, mode = rel.get("Target"), rel.get("TargetMode")
    if mode != "External":
        part = posixpath.normpath(posixpath.join("word", target))
        if part.startswith("word/media/") and part in media.second.data:
            target = posixpath.relpath(media.place(part), "word")
        elif not first.has(part):
            raise CannotMerge(part)
    key = (rel.get("Type"), target, mode)
    if key in same:
        return same[key]
    new, number = f"{old}b", 1
    while new in used:
        number += 1
        new = f"{old}b{number}"
    added = etree.SubElement(ours, f"{{{REL_NS}}}Relationship")
    added.set("Type", rel.get("Type"))
    added.set("Id", new)
    added.set("Target", target)
    if mode is not None:
        added.set("TargetMode", mode)
    used.add(new)
    same[key] = new
    return new


def _renumber_lists(first: DocxPackage, second: DocxPackage, document: etree._Element) -> None:
    """Each list of the second half gets a list instance (``w:num``) of its own, as it
    would have in one run (sharing one would continue its numbering); a definition
    (``w:abstractNum``) equal to the first half's under the same id is shared."""
    if not second.has(NUMBERING):
        return
    if not first.has(NUMBERING):
        raise CannotMerge(NUMBERING)
    ours, theirs = first.xml(NUMBERING), second.xml(NUMBERING)
    abstract_tag, num_tag = w("abstractNum"), w("num")
    our_abstract = {a.get(w("abstractNumId")): a for a in ours.iter(abstract_tag)}
    next_abstract = max([0, *_ints(our_abstract)]) + 1
    next_num = max([0, *_ints(n.get(w("numId")) for n in ours.iter(num_tag))]) + 1
    roots = [document, *([second.xml(STYLES)] if second.has(STYLES) else [])]
    users = [node for root in roots for node in root.iter(w("numId"))]
    used = {node.get(_VAL) for node in users}
    abstract_map: dict[str, str] = {}
    for node in theirs.iter(abstract_tag):
        old = node.get(w("abstractNumId"))
        mine = our_abstract.get(old)
        if mine is not None and etree.tostring(mine) == etree.tostring(node):
            abstract_map[old] = old
            continue
        new = str(next_abstract)
        next_abstract += 1
        added = copy.deepcopy(node)
        added.set(w("abstractNumId"), new)
        nsid = added.find(w("nsid"))
        if nsid is not None:
            nsid.set(_VAL, f"{int(new) & 0xFFFFFFFF:08X}")
        _before_nums(ours, added)
        abstract_map[old] = new
    num_map: dict[str, str] = {}
    for node in theirs.iter(num_tag):
        old = node.get(w("numId"))
        if old not in used:
            continue
        added = copy.deepcopy(node)
        added.set(w("numId"), str(next_num))
        abstract = added.find(w("abstractNumId"))
        if abstract is not None and abstract.get(_VAL) in abstract_map:
            abstract.set(_VAL, abstract_map[abstract.get(_VAL)])
        _after_nums(ours, added)
        num_map[old] = str(next_num)
        next_num += 1
    for node in users:
        if node.get(_VAL) in num_map:
            node.set(_VAL, num_map[node.get(_VAL)])


def _before_nums(numbering: etree._Element, node: etree._Element) -> None:
    """Definitions come before the lists that use them (the schema's order)."""
    first_num = numbering.find(w("num"))
    if first_num is not None:
        first_num.addprevious(node)
    else:
        numbering.append(node)


def _after_nums(numbering: etree._Element, node: etree._Element) -> None:
    nums = numbering.findall(w("num"))
    if nums:
        nums[-1].addnext(node)
    else:
        numbering.append(node)


def _add_styles(first: DocxPackage, second: DocxPackage) -> None:
    """Styles the second half made (a ``custom-style`` the first half never used)."""
    if not second.has(STYLES):
        return
    ours = first.xml(STYLES)
    have = {s.get(w("styleId")) for s in ours.iter(w("style"))}
    for style in second.xml(STYLES).iter(w("style")):
        if style.get(w("styleId")) not in have:
            ours.append(copy.deepcopy(style))
            have.add(style.get(w("styleId")))


def _append_notes(first: DocxPackage, trees: dict[str, etree._Element], part: str,
                  tag: str) -> None:
    """The second half's notes (or comments) after the first's; separators stay single."""
    if part not in trees:
        return
    ours = first.xml(part)
    for node in list(trees[part].iter(w(tag))):
        if node.get(w("type")) in (None, "normal"):
            ours.append(node)

