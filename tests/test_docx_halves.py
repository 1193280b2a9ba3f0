"""A long DOCX written as two halves at once and joined reads as the same document as
one written whole: same text, styles, lists, notes, links, pictures, bookmarks and
fields, with every id unique. Both are built here from one project and compared part
by part after replacing each id by its order of first use."""

from __future__ import annotations

import hashlib
import posixpath
import re
import struct
import threading
import zipfile
import zlib
from pathlib import Path

import pytest
from lxml import etree

from apecdocs import Project, docx_write, halves, pandoc
from apecdocs.errors import BuildFailed

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"

YAML = """\
project: {number: TEST 01 2024, title: Halves}
documents:
  - id: pub
    type: publication
    title: A Publication in Two Halves
    sources: [content/*.md]
    formats: [docx, html]
"""


def _png(rgb: tuple[int, int, int]) -> bytes:
    raw = b"".join(b"\x00" + bytes(rgb) * 4 for _ in range(4))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4">'
       '<rect width="4" height="4" fill="blue"/></svg>')

FIRST = """\
# One {#sec-one}

Text with a note[^a], a [link](https://example.org/a), a picture ![red](../images/r.png),
a vector one ![blue](../images/b.svg) and [the second chapter](#sec-two).

1. first
2. second
   - nested

- bullet a
- bullet b

[Said]{.comment-start id="c1" author="A"}commented[]{.comment-end id="c1"}
and [added]{.insertion author="B" date="2024-01-01"}.

| a | b |
|---|---|
| 1 | 2 |

: A table {#tbl-one}

![A figure](../images/g.png){#fig-one}

::: {custom-style="Boxed First"}
Styled text.
:::

[^a]: A note with [a link](https://example.org/n1).
"""

SECOND = """\
# Two {#sec-two}

Again a note[^b], [another link](https://example.org/b), the same picture
![red again](../images/r.png), a new one ![green](../images/g.png), the vector again
![blue](../images/b.svg) and back to [the first](#sec-one), @tbl-one and @fig-one.

3. third
4. fourth

- bullet c

## A part

[Also said]{.comment-start id="c2" author="A"}more[]{.comment-end id="c2"} and
[gone]{.deletion author="B"}.

| c | d |
|---|---|
| 3 | 4 |

: Another table {#tbl-two}

::: {custom-style="Boxed Second"}
Other styled text.
:::

[^b]: Second note, ![a picture in a note](../images/r.png).
"""


@pytest.fixture
def project(tmp_path):
    from conftest import write_project

    return write_project(tmp_path / "p", YAML, {
        "content/01-one.md": FIRST, "content/02-two.md": SECOND,
        "images/r.png": _png((255, 0, 0)), "images/g.png": _png((0, 255, 0)),
        "images/b.svg": SVG, "images/b.png": _png((0, 0, 255)),
    })


@pytest.fixture
def joins(monkeypatch):
    """Every DOCX split, with a spare process slot even on one core; the joins counted."""
    joined = []
    real = docx_write.merge

    def counting(first, second):
        real(first, second)
        joined.append(True)

    monkeypatch.setattr(halves, "SPLIT_BYTES", 0)
    monkeypatch.setattr(docx_write, "merge", counting)
    monkeypatch.setattr(pandoc, "_slots", threading.BoundedSemaphore(2))
    return joined


def _canonical(path: Path) -> list[bytes]:
    """The body, notes and comments with ids replaced by their order of first use,
    relationships by what they point at (a picture by its bytes), lists by their
    definitions; and the style ids."""
    with zipfile.ZipFile(path) as z:
        data = {n: z.read(n) for n in z.namelist()}

    def rels(part: str) -> dict[str, str]:
        folder, name = posixpath.split(part)
        found = {}
        if f"{folder}/_rels/{name}.rels" in data:
            for rel in etree.fromstring(data[f"{folder}/_rels/{name}.rels"]):
                target = rel.get("Target")
                if rel.get("TargetMode") != "External":
                    target = hashlib.sha256(
                        data[posixpath.normpath(posixpath.join(folder, target))]).hexdigest()
                found[rel.get("Id")] = target
        return found

    numbering = etree.fromstring(data["word/numbering.xml"])
    abstract = {a.get(f"{{{W}}}abstractNumId"): a for a in numbering.iter(f"{{{W}}}abstractNum")}
    nums = {n.get(f"{{{W}}}numId"): n for n in numbering.iter(f"{{{W}}}num")}
    ids: dict[tuple[str, str], str] = {}
    drawings: dict[str, str] = {}
    lists: dict[str, str] = {}

    def definition(num_id: str) -> str:
        num = nums[num_id]
        shape = abstract[num.find(f"{{{W}}}abstractNumId").get(f"{{{W}}}val")]
        levels = b"".join(etree.tostring(lvl) for lvl in shape.iter(f"{{{W}}}lvl"))
        overrides = b"".join(etree.tostring(o) for o in num.iter(f"{{{W}}}lvlOverride"))
        return hashlib.sha256(levels + overrides).hexdigest()[:8]

    def one(root: etree._Element, linked: dict[str, str]) -> bytes:
        for node in root.iter():
            for attr, value in list(node.attrib.items()):
                if attr.startswith(f"{{{R}}}"):
                    node.set(attr, linked[value])
            if node.get(f"{{{W}}}id") is not None:
                # Pandoc counts each kind of id apart (an insertion and a deletion may
                # both be 1); the join makes them unique. Canonical ids are per kind.
                kind = re.sub(r"(Range)?(Start|End)$|Reference$", "",
                              etree.QName(node).localname)
                key = (kind, node.get(f"{{{W}}}id"))
                node.set(f"{{{W}}}id", ids.setdefault(key, f"i{len(ids)}"))
            if node.tag in (f"{{{WP}}}docPr", f"{{{PIC}}}cNvPr"):
                node.set("id", drawings.setdefault(node.get("id"), f"d{len(drawings)}"))
            if node.tag == f"{{{W}}}numId":
                value = node.get(f"{{{W}}}val")
                lists.setdefault(value, f"l{len(lists)}:{definition(value)}")
                node.set(f"{{{W}}}val", lists[value])
        return etree.tostring(root)

    out = [one(etree.fromstring(data["word/document.xml"]), rels("word/document.xml"))]
    for part in ("word/footnotes.xml", "word/comments.xml"):
        root = etree.fromstring(data[part])
        linked = rels("word/document.xml") | rels(part)
        out.append(one(root, linked))
    styles = etree.fromstring(data["word/styles.xml"])
    out.append(b" ".join(sorted(s.get(f"{{{W}}}styleId").encode()
                                for s in styles.iter(f"{{{W}}}style"))))
    return out


def _unique(path: Path) -> None:
    """Bookmark, note and drawing ids are each used once."""
    with zipfile.ZipFile(path) as z:
        doc = etree.fromstring(z.read("word/document.xml"))
        notes = etree.fromstring(z.read("word/footnotes.xml"))
    starts = [b.get(f"{{{W}}}id") for b in doc.iter(f"{{{W}}}bookmarkStart")]
    assert len(starts) == len(set(starts))
    drawn = [d.get("id") for d in doc.iter(f"{{{WP}}}docPr")]
    assert len(drawn) == len(set(drawn))
    noted = [n.get(f"{{{W}}}id") for n in notes.iter(f"{{{W}}}footnote")]
    assert len(noted) == len(set(noted))


def test_halves_joined_read_as_the_document_written_whole(project, joins, monkeypatch):
    Project.load(project).build(formats=["docx"])
    assert joins, "the document was not written in halves"
    joined = project / "_build/en/pub.docx"
    split = _canonical(joined)
    _unique(joined)
    monkeypatch.setattr(halves, "SPLIT_BYTES", 1 << 60)
    Project.load(project).build(formats=["docx"], force=True)
    whole = _canonical(joined)
    assert len(joins) == 1
    for a, b in zip(split, whole, strict=True):
        assert a == b
    text = b"".join(split)
    # what the comparison covers: two notes, two comments, revisions, three lists, both
    # custom styles, the SVG's picture fallback, links both ways across the cut
    assert text.count(b"<w:footnoteReference") == 2 and text.count(b"<w:comment ") == 2
    assert b"<w:ins " in text and b"<w:del " in text and b"BoxedSecond" in split[-1]
    assert len(set(re.findall(rb'w:val="(l\d+):', text))) >= 5  # lists, nested included
    assert hashlib.sha256(_png((0, 0, 255))).hexdigest().encode() in text  # the SVG's PNG
    # a picture is stored once: its inner description is its alt text, not its data URI
    assert b"data:image" not in text and text.count(b'<pic:cNvPr descr="red again"') == 1
    assert b'<pic:cNvPr descr="a picture in a note"' in split[1]
    assert b'w:anchor="sec-one"' in text and b'w:anchor="sec-two"' in text


def test_the_cut_never_falls_inside_a_section():
    def header(level: int) -> dict:
        return {"t": "Header", "c": [level, ["", [], []], []]}

    def work(n: int) -> bytes:  # n nodes
        return b'{"t":"Str","c":"x"}' * n

    para = {"t": "Para", "c": []}
    nodes = [header(1), para, header(2), para, header(2), para, header(1), para, header(2)]
    sizes = [work(n) for n in (1, 10, 1, 30, 1, 10, 1, 5, 1)]
    # the middle is at the level-2 heading inside the first chapter: cut at the chapter
    assert halves._cut(nodes, sizes) == 6
    assert halves._cut([para, header(2), para], [work(5), work(1), work(5)]) == 1
    assert halves._cut([header(1), para], [work(1), work(9)]) is None
    # a long data URI is little work: the cut follows the nodes, not the bytes
    picture = b'{"t":"Image","c":"data:image/png;base64,' + b"A" * 10_000 + b'"}'
    assert halves._cut([para, header(1), para, header(1), para],
                           [picture, work(1), work(10), work(1), work(10)]) == 3


def test_second_half_gets_no_title_block_or_contents():
    from apecdocs.model import WriteOptions

    options = WriteOptions(toc=True, variables={"lang": "en", "toc-title": "Contents"},
                           metadata={"title": "T", "subject": "S"})
    second = halves.second_options(options)
    assert not second.toc and second.variables == {"lang": "en"}
    assert second.metadata == {"subject": "S"} and options.toc


def test_broken_raw_openxml_in_the_second_half_is_named(project, joins):
    Project.load(project).build(formats=["docx"])
    before = (project / "_build/en/pub.docx").read_bytes()
    (project / "content/02-two.md").write_text(SECOND + "\n```{=openxml}\n<w:p><w:r>\n```\n")
    with pytest.raises(BuildFailed) as err:
        Project.load(project).build(formats=["docx"])
    assert "DOCX written is broken" in str(err.value) and "content/02-two.md" in str(err.value)
    assert (project / "_build/en/pub.docx").read_bytes() == before
    assert not list((project / "_build/en").glob("*.half"))


def test_only_the_last_target_to_begin_takes_a_second_core(project, joins):
    # the HTML is still to be written when the DOCX begins: it gets the other core
    Project.load(project).build(formats=["docx", "html"])
    assert not joins
    # asked for one process at a time
    Project.load(project).build(formats=["docx"], jobs=1, force=True)
    assert not joins
    Project.load(project).build(formats=["docx"], force=True)
    assert len(joins) == 1


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_the_halves_hold_every_block_once_and_the_first_keeps_the_title(monkeypatch, fmt):
    import orjson

    from apecdocs.model import WriteOptions

    monkeypatch.setattr(halves, "SPLIT_BYTES", 0)
    blocks = [{"t": "Header", "c": [1, [f"h{n}", [], []], [{"t": "Str", "c": f"H{n}"}]]}
              if n % 3 == 0 else {"t": "Para", "c": [{"t": "Str", "c": f"p{n}"}]}
              for n in range(12)]
    ast = {"pandoc-api-version": [1, 23, 1], "blocks": blocks,
           "meta": {"title": {"t": "MetaString", "c": "T"}, "lang": {"t": "MetaString", "c": "en"}}}
    split = halves.dumps(ast, WriteOptions(), fmt)
    first, second = (orjson.loads(h) for h in split.halves)
    assert orjson.loads(split.whole) == ast
    seam = first["blocks"][-1] if fmt == "html" else None
    kept = first["blocks"][:-1] if fmt == "html" else first["blocks"]
    assert kept + second["blocks"] == blocks and second["blocks"][0]["t"] == "Header"
    assert first["meta"] == ast["meta"] and second["meta"] == {"lang": ast["meta"]["lang"]}
    assert seam is None or seam == {"t": "RawBlock", "c": ["html", halves.SEAM]}
    # numbered sections run across the cut: written whole
    assert halves.dumps(ast, WriteOptions(number_sections=True), fmt).halves is None


def test_each_half_is_read_in_its_own_thread_as_soon_as_it_is_written(tmp_path):
    """``then`` runs once per half, on the thread that waited for its pandoc, after that
    pandoc ended; what it returns comes back in order, and its failure is the caller's."""
    from apecdocs.model import WriteOptions

    def doc(word: str) -> bytes:
        return pandoc.dumps({"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": [
            {"t": "Para", "c": [{"t": "Str", "c": word}]}]})

    seen: list[tuple[str, str, bool]] = []

    def then(path: Path) -> str:
        seen.append((path.name, threading.current_thread().name, path.is_file()))
        return zipfile.ZipFile(path).read("word/document.xml").decode()

    jobs = [(doc("first"), tmp_path / "a.docx", WriteOptions()),
            (doc("second"), tmp_path / "b.docx", WriteOptions())]
    warnings, read = pandoc.write_both(jobs, "docx", then)
    assert warnings == [] and "first" in read[0] and "second" in read[1]
    assert sorted(name for name, _, _ in seen) == ["a.docx", "b.docx"]
    assert all(written for _, _, written in seen)
    assert len({thread for _, thread, _ in seen}) == 2

    def fails(path: Path) -> None:
        raise etree.XMLSyntaxError("broken", 1, 1, 1)

    with pytest.raises(etree.XMLSyntaxError):
        pandoc.write_both(jobs, "docx", fails)
