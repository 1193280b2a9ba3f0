"""What a reviewer does to a DOCX, for the review tests: comments (python-docx), tracked
insertions and deletions and comment replies (WordprocessingML written by hand)."""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.text.run import Run

DATE = "2030-04-01T10:00:00Z"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"


class Reviewer:
    """Opens a built DOCX, lets one person comment and change it, saves a copy."""

    def __init__(self, path: Path, author: str) -> None:
        self.document = docx.Document(str(path))
        self.author = author
        self._ids = 900 + sum(1 for _ in self.document.element.body.iter(qn("w:ins")))
        self._notes: dict = {}  # footnote parts read as XML, written back on save

    def paragraphs(self):
        body = self.document.element.body
        return [p for p in body.iter(qn("w:p"))] + [
            p for root in self._notes.values() for p in root.iter(qn("w:p"))]

    def in_footnotes(self) -> Reviewer:
        """From now on, look for text in the footnotes too."""
        from docx.oxml.parser import parse_xml

        for part in self.document.part.package.iter_parts():
            if str(part.partname) == "/word/footnotes.xml" and part not in self._notes:
                self._notes[part] = getattr(part, "_element", None) or parse_xml(part.blob)
        return self

    def _run_with(self, text: str, within: str | None = None):
        return run_with(self.paragraphs(), text, within)

    def comment(self, text: str, on: str, within: str | None = None) -> None:
        run = Run(self._run_with(on, within), None)
        self.document.add_comment(runs=[run], text=text, author=self.author,
                                  initials=self.author[:2])

    def _mark(self, tag: str):
        self._ids += 1
        element = self.document.element.makeelement(qn(tag), {
            qn("w:id"): str(self._ids), qn("w:author"): self.author, qn("w:date"): DATE})
        return element

    def delete(self, text: str, within: str | None = None, insert: str = "") -> None:
        """Delete ``text`` as a tracked change, and insert ``insert`` in its place."""
        run = self._run_with(text, within)
        wrapper = self._mark("w:del")
        run.addprevious(wrapper)
        wrapper.append(run)
        t = run.find(qn("w:t"))
        t.tag = qn("w:delText")
        if insert:
            self._insert_after(wrapper, run, insert)

    def move(self, text: str, after: str, within: str | None = None) -> None:
        """Move ``text`` (a tracked move) to right after ``after``."""
        run = self._run_with(text, within)
        source = self._mark("w:moveFrom")
        run.addprevious(source)
        target_run = copy.deepcopy(run)
        source.append(run)
        run.find(qn("w:t")).tag = qn("w:delText")
        anchor = self._run_with(after)
        destination = self._mark("w:moveTo")
        destination.append(target_run)
        anchor.addnext(destination)

    def insert(self, text: str, after: str, within: str | None = None) -> None:
        """Insert ``text`` as a tracked change right after ``after``."""
        run = self._run_with(after, within)
        self._insert_after(run, run, text)

    def _insert_after(self, anchor, model, text: str) -> None:
        wrapper = self._mark("w:ins")
        new = copy.deepcopy(model)
        for child in list(new):
            if child.tag != qn("w:rPr"):
                new.remove(child)
        t = new.makeelement(qn("w:t"), {qn("xml:space"): "preserve"})
        t.text = text
        new.append(t)
        wrapper.append(new)
        anchor.addnext(wrapper)

    def save(self, path: Path) -> Path:
        from lxml import etree

        for part, root in self._notes.items():
            if not hasattr(part, "_element"):
                part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                            standalone=True)
        self.document.save(str(path))
        return path


def add_reply(path: Path, to: str, author: str, text: str) -> None:
    """Add a reply to the comment whose text is ``to``, as Word writes one: a comment of
    its own, at the same place, linked in commentsExtended.xml."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    from lxml import etree

    comments = etree.fromstring(parts["word/comments.xml"])
    document = etree.fromstring(parts["word/document.xml"])
    parent = next(c for c in comments.iter(qn("w:comment"))
                  if "".join(t.text or "" for t in c.iter(qn("w:t"))) == to)
    new_id = str(max(int(c.get(qn("w:id"))) for c in comments.iter(qn("w:comment"))) + 1)
    reply = copy.deepcopy(parent)
    reply.set(qn("w:id"), new_id)
    reply.set(qn("w:author"), author)
    reply.set(qn("w:date"), "2030-04-02T09:00:00Z")  # answered the next day
    texts = list(reply.iter(qn("w:t")))
    texts[0].text = text
    for extra in texts[1:]:
        extra.text = ""
    parent_para = parent.findall(qn("w:p"))[-1]
    parent_para.set(f"{{{W14}}}paraId", "10000001")
    reply.findall(qn("w:p"))[-1].set(f"{{{W14}}}paraId", "10000002")
    comments.append(reply)
    pid = parent.get(qn("w:id"))
    for tag in ("w:commentRangeStart", "w:commentRangeEnd", "w:commentReference"):
        mark = next(e for e in document.iter(qn(tag)) if e.get(qn("w:id")) == pid)
        if tag == "w:commentReference":
            mark = mark.getparent()  # the run holding the reference
            twin = copy.deepcopy(mark)
            twin.find(qn("w:commentReference")).set(qn("w:id"), new_id)
        else:
            twin = copy.deepcopy(mark)
            twin.set(qn("w:id"), new_id)
        mark.addnext(twin)
    extended = (f'<w15:commentsEx xmlns:w15="{W15}"><w15:commentEx w15:paraId="10000001" '
                f'w15:done="0"/><w15:commentEx w15:paraId="10000002" '
                f'w15:paraIdParent="10000001" w15:done="0"/></w15:commentsEx>')
    parts["word/comments.xml"] = etree.tostring(comments, xml_declaration=True,
                                                encoding="UTF-8", standalone=True)
    parts["word/document.xml"] = etree.tostring(document, xml_declaration=True,
                                                encoding="UTF-8", standalone=True)
    parts["word/commentsExtended.xml"] = extended.encode()
    types = parts["[Content_Types].xml"].decode()
    if "commentsExtended" not in types:
        parts["[Content_Types].xml"] = types.replace("</Types>", (
            '<Override PartName="/word/commentsExtended.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"/>'
            "</Types>")).encode()
        rels = parts["word/_rels/document.xml.rels"].decode()
        parts["word/_rels/document.xml.rels"] = rels.replace("</Relationships>", (
            '<Relationship Id="rIdApdExt" Type="http://schemas.microsoft.com/office/2011/'
            'relationships/commentsExtended" Target="commentsExtended.xml"/>'
            "</Relationships>")).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def run_with(paragraphs, text: str, within: str | None = None):
    """The run holding ``text`` (in a paragraph holding ``within``), split so that
    ``text`` is a run of its own."""
    for p in paragraphs:
        whole = "".join(t.text or "" for t in p.iter(qn("w:t")))
        if within and within not in whole:
            continue
        for r in p.iter(qn("w:r")):
            t = r.find(qn("w:t"))
            if t is None or text not in (t.text or ""):
                continue
            before, _, after = (t.text or "").partition(text)
            for piece, where in ((before, "before"), (after, "after")):
                if piece:
                    other = copy.deepcopy(r)
                    other.find(qn("w:t")).text = piece
                    other.find(qn("w:t")).set(qn("xml:space"), "preserve")
                    (r.addprevious if where == "before" else r.addnext)(other)
            t.text = text
            t.set(qn("xml:space"), "preserve")
            return r
    raise AssertionError(f"no run holds {text!r}")
