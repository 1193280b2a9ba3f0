"""Read a reviewed DOCX: its comments (with replies) and tracked insertions and deletions.

Only the standard library: a DOCX is a zip of WordprocessingML. Each item keeps the
paragraph it is in as the reviewer's copy had it before any change (deleted text in,
inserted text out), its place in that text, the apecdocs marker of the paragraph and
the heading above it, so that it can be located in the sources and applied.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from ..errors import ApecdocsError
from .markers import DOCUMENT_PROPERTY, FILES_PROPERTY, NAME

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
W15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"
MAX_PART = 200 * 1024 * 1024  # bytes of one unpacked part: a larger one is no document
HEADING_NUMBER = re.compile(r"^\s*((?:\d+|[A-Z])(?:\.\d+)*)\.?\s+(.*)$")


@dataclass
class Reply:
    author: str
    date: str
    text: str


@dataclass
class Item:
    """One comment or one tracked change, as the reviewer left it."""

    kind: str  # "comment" or "change"
    author: str
    date: str
    reviewed: Path  # the DOCX it came from
    paragraph: str  # the paragraph's text before the change
    start: int  # where the item begins in ``paragraph``
    end: int
    comment: str = ""  # a comment's text
    inserted: str = ""  # a change's inserted text (empty for a deletion)
    moved: bool = False  # half of a tracked move: applied with its other half or not at all
    marker: str | None = None
    inherited: bool = False  # the marker is the previous paragraph's: this one has none
    order: int = 0  # paragraph number in the reviewed document
    section: str = ""  # "2.1 Scope": the heading above, as the reviewer saw it
    replies: list[Reply] = field(default_factory=list)
    done: bool = False

    @property
    def quoted(self) -> str:
        """The text the comment is anchored to, or that the change deletes."""
        return self.paragraph[self.start:self.end]

    @property
    def before(self) -> str:
        return self.paragraph[:self.start]

    @property
    def after(self) -> str:
        return self.paragraph[self.end:]


@dataclass
class Reviewed:
    """What one returned DOCX holds."""

    path: Path
    items: list[Item]
    files: list[str]  # the marker's file list, from the document's custom property
    document: str | None  # "report:en", as written by the build


def read(path: Path) -> Reviewed:
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise ApecdocsError(f"cannot read '{path}' as a DOCX file ({exc})", file=path,
                            hint="Pass the .docx file the reviewer sent back (not .doc).") from None
    with archive:
        names = set(archive.namelist())
        if "word/document.xml" not in names:
            raise ApecdocsError("not a Word document (no word/document.xml)", file=path,
                                hint="Pass the .docx file the reviewer sent back.")

        def part(name: str) -> ET.Element | None:
            if name not in names:
                return None
            if archive.getinfo(name).file_size > MAX_PART:
                raise ApecdocsError(f"'{name}' in the DOCX is too large to be a document",
                                    file=path)
            try:
                return ET.fromstring(archive.read(name))
            except ET.ParseError as exc:
                raise ApecdocsError(f"damaged DOCX: {name}: {exc}", file=path,
                                    hint="Open and save the file again in a word processor.") \
                    from None

        props = _properties(part("docProps/custom.xml"))
        headings = _heading_styles(part("word/styles.xml"))
        extended = part("word/commentsExtended.xml")
        comments = _comments(part("word/comments.xml"), extended)
        body = part("word/document.xml")
        notes = [part("word/footnotes.xml"), part("word/endnotes.xml")]
    reader = _BodyReader(path, headings)
    if body is not None:
        reader.read(body)
    for kind, root in zip(("footnote", "endnote"), notes, strict=True):
        for note in root if root is not None else []:  # found by their words: no markers
            if note.get(f"{W}type") in (None, "normal"):
                reader.marker = None
                reader.section = reader.note_sections.get((kind, note.get(f"{W}id")), "")
                reader.read(note)
    items = reader.changes
    by_para = {info["para"]: cid for cid, info in comments.items() if info["para"]}
    made: dict[str, Item] = {}
    for cid, info in comments.items():
        # Anchored to words, else to the point of its mark; else (a damaged file) kept
        # without a place rather than lost.
        anchor = reader.comment_anchors.get(cid) or reader.references.get(cid) or {
            "paragraph": "", "start": 0, "end": 0, "marker": None, "order": 0, "section": ""}
        made[cid] = Item("comment", info["author"], info["date"], path,
                         comment=info["text"], done=info["done"], **anchor)
    for cid, info in comments.items():  # a reply joins its thread, in the file's order
        root, seen = cid, {cid}
        while comments[root]["parent"] in by_para and by_para[comments[root]["parent"]] not in seen:
            root = by_para[comments[root]["parent"]]
            seen.add(root)
        if root != cid and root in made:
            made[root].replies.append(Reply(info["author"], info["date"], info["text"]))
            made.pop(cid, None)
    if extended is None:
        _thread_by_place(made)
    items += made.values()
    items.sort(key=lambda i: (i.order, i.start, i.kind != "change"))
    files = [f for f in props.get(FILES_PROPERTY, "").split("|") if f]
    return Reviewed(path, items, files, props.get(DOCUMENT_PROPERTY))


def _thread_by_place(made: dict[str, Item]) -> None:
    """Without thread information (a word processor that does not write it), comments
    on exactly the same words are taken as one thread, the first one asked first."""
    first: dict[tuple, Item] = {}
    for cid in sorted(made, key=lambda c: (made[c].date, int(c) if c.isdigit() else 0)):
        item = made[cid]
        place = (item.order, item.start, item.end, item.paragraph)
        if place in first and item.quoted:
            first[place].replies.append(Reply(item.author, item.date, item.comment))
            del made[cid]
        else:
            first.setdefault(place, item)


def _properties(root: ET.Element | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for prop in root if root is not None else []:
        value = next(iter(prop), None)
        if prop.get("name") and value is not None:
            out[prop.get("name", "")] = value.text or ""
    return out


def _heading_styles(root: ET.Element | None) -> set[str]:
    """Style ids of headings: named "heading N" or with an outline level."""
    out = {f"Heading{n}" for n in range(1, 10)}
    for style in root.iter(f"{W}style") if root is not None else []:
        name = style.find(f"{W}name")
        label = (name.get(f"{W}val") if name is not None else "") or ""
        if re.fullmatch(r"(?i)heading \d", label) or style.find(f"{W}pPr/{W}outlineLvl") \
                is not None:
            out.add(style.get(f"{W}styleId", ""))
    return out


def _comments(root: ET.Element | None, extended: ET.Element | None) -> dict[str, dict]:
    ext: dict[str, tuple[str, bool]] = {}
    for entry in extended.iter(f"{W15}commentEx") if extended is not None else []:
        ext[entry.get(f"{W15}paraId", "")] = (entry.get(f"{W15}paraIdParent", ""),
                                              entry.get(f"{W15}done") in ("1", "true"))
    out: dict[str, dict] = {}
    for comment in root.iter(f"{W}comment") if root is not None else []:
        paras = comment.findall(f".//{W}p")
        text = "\n".join(_plain(p) for p in paras).strip()
        para = paras[-1].get(f"{W14}paraId", "") if paras else ""
        parent, done = ext.get(para, ("", False))
        out[comment.get(f"{W}id", "")] = {
            "author": comment.get(f"{W}author", ""), "date": comment.get(f"{W}date", ""),
            "text": text, "para": para, "parent": parent, "done": done}
    return out


def _plain(element: ET.Element) -> str:
    return "".join(t.text or "" for t in element.iter() if t.tag in (f"{W}t", f"{W}delText"))


class _BodyReader:
    """Walks the document body in order, paragraph by paragraph."""

    def __init__(self, path: Path, headings: set[str]) -> None:
        self.path = path
        self.headings = headings
        self.changes: list[Item] = []
        self.comment_anchors: dict[str, dict] = {}
        self.references: dict[str, dict] = {}  # where each comment's mark is
        self.note_sections: dict[tuple[str, str | None], str] = {}  # the section of a note
        self.section = ""
        self.marker: str | None = None  # the last marker seen
        self.order = 0
        self._open: dict[str, tuple[int, int]] = {}  # comment id -> (paragraph, offset)
        self._texts: list[str] = []
        self._markers: list[str | None] = []
        self._inherited: list[bool] = []
        self._sections: list[str] = []

    def read(self, body: ET.Element) -> None:
        self._blocks(body)
        for cid, (para, offset) in list(self._open.items()):  # never closed: to its end
            self._close(cid, para, offset, para, len(self._texts[para]))

    def _blocks(self, element: ET.Element) -> None:
        for child in element:
            if child.tag == f"{W}p":
                self._paragraph(child)
            elif child.tag == f"{W}bookmarkStart":
                self._bookmark(child)
            elif child.tag in (f"{W}commentRangeStart", f"{W}commentRangeEnd"):
                self._range(child, len(self._texts), 0)
            else:
                self._blocks(child)  # tables, rows, cells, content controls

    def _bookmark(self, element: ET.Element) -> bool:
        name = element.get(f"{W}name", "")
        if NAME.match(name):
            self.marker = name
            return True
        return False

    def _range(self, element: ET.Element, para: int, offset: int) -> None:
        cid = element.get(f"{W}id", "")
        if element.tag == f"{W}commentRangeStart":
            self._open[cid] = (para, offset)
        elif cid in self._open:
            start_para, start = self._open.pop(cid)
            self._close(cid, start_para, start, para, offset)

    def _close(self, cid: str, para: int, start: int, end_para: int, end: int) -> None:
        if end_para >= len(self._texts):  # ended before a paragraph that was never read
            end_para, end = len(self._texts) - 1, len(self._texts[-1]) if self._texts else 0
        if para >= len(self._texts):
            return
        if end_para != para:  # across paragraphs: anchor to the first, to its end
            end = len(self._texts[para])
        self.comment_anchors[cid] = {
            "paragraph": self._texts[para], "start": start, "end": max(start, end),
            "marker": self._markers[para], "inherited": self._inherited[para], "order": para,
            "section": self._sections[para]}

    def _paragraph(self, p: ET.Element) -> None:
        index = len(self._texts)
        style = p.find(f"{W}pPr/{W}pStyle")
        heading = style is not None and style.get(f"{W}val") in self.headings or \
            p.find(f"{W}pPr/{W}outlineLvl") is not None
        segments: list[tuple[str, str, str, str, bool]] = []  # kind, text, author, date, moved
        ranges: list[tuple[ET.Element, int]] = []
        own_marker: list[str] = []
        text = ""

        def walk(element: ET.Element, change: tuple[str, str, str, bool] | None) -> None:
            nonlocal text
            for child in element:
                tag = child.tag
                if tag in (f"{W}ins", f"{W}moveTo", f"{W}del", f"{W}moveFrom"):
                    kind = "ins" if tag in (f"{W}ins", f"{W}moveTo") else "del"
                    walk(child, (kind, child.get(f"{W}author", ""), child.get(f"{W}date", ""),
                                 tag in (f"{W}moveTo", f"{W}moveFrom")))
                elif tag in (f"{W}pPr", f"{W}rPr", f"{W}instrText"):
                    continue
                elif tag in (f"{W}footnoteReference", f"{W}endnoteReference"):
                    kind = "footnote" if tag == f"{W}footnoteReference" else "endnote"
                    self.note_sections[(kind, child.get(f"{W}id"))] = self.section
                elif tag == f"{W}bookmarkStart":
                    if self._bookmark(child):
                        own_marker.append(child.get(f"{W}name", ""))
                elif tag in (f"{W}commentRangeStart", f"{W}commentRangeEnd",
                             f"{W}commentReference"):
                    ranges.append((child, len(text)))
                elif tag in (f"{W}t", f"{W}delText", f"{W}tab", f"{W}br", f"{W}cr",
                             f"{W}noBreakHyphen"):
                    piece = child.text or "" if tag in (f"{W}t", f"{W}delText") else \
                        "-" if tag == f"{W}noBreakHyphen" else " "
                    kind = change[0] if change else "text"
                    if kind != "ins":
                        text += piece
                    author, date, moved = change[1:] if change else ("", "", False)
                    segments.append((kind, piece, author, date, moved))
                else:
                    walk(child, change)

        walk(p, None)
        marker = own_marker[0] if own_marker else self.marker
        if heading and text.strip():
            self.section = " ".join(text.split())
        self._texts.append(text)
        self._markers.append(marker)
        self._inherited.append(not own_marker)
        self._sections.append(self.section)
        for element, offset in ranges:
            if element.tag == f"{W}commentReference":
                self.references[element.get(f"{W}id", "")] = {
                    "paragraph": text, "start": offset, "end": offset, "marker": marker,
                    "inherited": not own_marker, "order": index, "section": self.section}
            else:
                self._range(element, index, offset)
        self._changes(segments, text, index, marker, not own_marker)

    def _changes(self, segments: list[tuple[str, str, str, str, bool]], text: str, index: int,
                 marker: str | None, inherited: bool) -> None:
        """Adjacent insertions and deletions by one reviewer are one change."""
        offset = 0
        current: dict | None = None
        for kind, piece, author, date, moved in segments + [("text", "", "", "", False)]:
            if kind == "text" and not piece and current is None:
                continue
            if kind in ("ins", "del") and current is not None and current["author"] != author:
                self._emit(current, text, index, marker, inherited)
                current = None
            if kind in ("ins", "del"):
                if current is None:
                    current = {"author": author, "date": date, "start": offset, "end": offset,
                               "inserted": "", "moved": False}
                current["moved"] |= moved
                if kind == "del":
                    current["end"] += len(piece)
                else:
                    current["inserted"] += piece
            elif current is not None:
                self._emit(current, text, index, marker, inherited)
                current = None
            if kind != "ins":
                offset += len(piece)

    def _emit(self, change: dict, text: str, index: int, marker: str | None,
              inherited: bool) -> None:
        self.changes.append(Item(
            "change", change["author"], change["date"], self.path, text, change["start"],
            change["end"], inserted=change["inserted"], moved=change["moved"], marker=marker,
            inherited=inherited,
            order=index, section=self.section))


def split_section(heading: str) -> tuple[str, str]:
    """``"2.1 Scope"`` -> ``("2.1", "Scope")``; an unnumbered heading has no number."""
    match = HEADING_NUMBER.match(heading)
    return (match.group(1), match.group(2)) if match else ("", heading)
