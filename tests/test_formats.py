"""Every format opens and shows the content: headings, lists, tables, images, notes, TOC."""

from __future__ import annotations

import base64
import zipfile

import pytest

from apecdocs import Project
from conftest import docx_paragraphs, html_parse, html_text, pdf_text, squash

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg=="
)

YAML = """\
project:
  number: TEST 01 2024
  title: A Test Project
documents:
  - id: doc
    type: document
    title: Format Test
    toc: true
    lot: true
    number_sections: true
    sources: [content/*.md]
"""

CONTENT = {
    "content/01-intro.md": """\
        # Introduction {#sec-intro}

        A paragraph with *emphasis* and a note.[^n] See @tbl-data and @fig-pixel.

        - first item
        - second item

        [^n]: The footnote text.
        """,
    "content/02-data.md": """\
        # Data

        ## Figures in a table

        | Economy | Value |
        |---------|------:|
        | Chile   | 12    |
        | Peru    | 34    |

        : Values by economy {#tbl-data}

        ![A red pixel](pixel.png){#fig-pixel}
        """,
    "content/pixel.png": PNG,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import write_project

    root = write_project(tmp_path_factory.mktemp("formats") / "p", YAML, CONTENT)
    report = Project.load(root).build()
    return root, report


def test_report_lists_each_output(built):
    root, report = built
    assert report.ok
    assert sorted(o.target.format for o in report.outputs) == ["docx", "html", "pdf"]
    for output in report.outputs:
        assert output.path.is_file() and output.path.stat().st_size > 0
        assert output.path == root / "_build" / "en" / f"doc.{output.target.format}"
        assert output.seconds > 0


def test_docx_content(built):
    root, _ = built
    path = root / "_build/en/doc.docx"
    paragraphs = docx_paragraphs(path)
    text = "\n".join(paragraphs)
    assert "1 Introduction" in paragraphs
    assert "2.1 Figures in a table" in paragraphs
    assert "first item" in text and "second item" in text
    assert "The footnote text." in zipfile.ZipFile(path).read("word/footnotes.xml").decode()
    assert "Table 1: Values by economy" in text
    assert "Figure 1: A red pixel" in text
    assert "See Table 1 and Figure 1." in squash(text)
    import docx

    table = docx.Document(str(path)).tables[0]
    assert [c.text for c in table.rows[1].cells] == ["Chile", "12"]
    assert any(n.startswith("word/media/") for n in zipfile.ZipFile(path).namelist())


def test_docx_contents_are_filled_in(built):
    """Entries are there before any field update (word processors and viewers show them)."""
    root, _ = built
    paragraphs = docx_paragraphs(root / "_build/en/doc.docx")
    start = paragraphs.index("Contents")
    assert paragraphs[start + 1 : start + 4] == ["1 Introduction", "2 Data", "2.1 Figures in a table"]
    xml = zipfile.ZipFile(root / "_build/en/doc.docx").read("word/document.xml").decode()
    assert 'TOC \\o "1-3"' in xml and 'w:fldCharType="separate"' in xml
    # The list of tables is rebuilt from caption styles when Word updates fields.
    assert 'TOC \\h \\z \\t "Table Caption,1"' in xml
    assert "Table 1: Values by economy" in paragraphs[paragraphs.index("List of Tables") + 1]
    assert 'w:anchor="sec-intro"' in xml


def test_pdf_content(built):
    root, _ = built
    text = squash(pdf_text(root / "_build/en/doc.pdf"))
    assert "Contents" in text
    assert "1 Introduction" in text
    assert "Table 1: Values by economy" in text
    assert "Figure 1: A red pixel" in text
    assert "See Table 1 and Figure 1." in text
    assert "first item" in text and "The footnote text." in text
    assert "Chile 12" in text


def test_html_content(built):
    root, _ = built
    path = root / "_build/en/doc.html"
    parsed = html_parse(path)
    tags = [t for t, _ in parsed.tags]
    assert "table" in tags and "ul" in tags and "img" in tags
    images = [a for t, a in parsed.tags if t == "img"]
    assert images[0]["src"].startswith("data:image/png;base64,")
    text = squash(html_text(path))
    assert "Contents" in text and "1 Introduction" in text
    assert "The footnote text." in text
    assert "Table 1: Values by economy" in text
    links = [a.get("href") for t, a in parsed.tags if t == "a"]
    assert "#sec-intro" in links and "#tbl-data" in links
    # pandoc does not lay the HTML out in 72 columns (a fifth of its writer's time)
    raw = path.read_text(encoding="utf-8")
    assert any(line.startswith("<p>A paragraph with <em>emphasis</em>") and "See" in line
               for line in raw.splitlines())


def test_pictures_get_fixed_media_types_not_the_systems_table(tmp_path, monkeypatch):
    """The same picture gets the same data URI on any machine: common types come from
    apecdocs' own table; the system's is asked only for others."""
    import mimetypes

    from conftest import place_by_walk

    root = tmp_path / "p"
    (root / "images").mkdir(parents=True)
    for name in ("a.PNG", "b.svg", "c.jpeg", "d.xyz"):
        (root / "images" / name).write_bytes(b"x")
    (root / "apecdocs.yaml").write_text(
        "project: {number: TEST 01 2024, title: T}\n"
        "documents: [{id: d, type: document, title: D, sources: [a.md]}]\n",
        encoding="utf-8")
    (root / "a.md").write_text("# A\n", encoding="utf-8")
    asked = []
    monkeypatch.setattr(mimetypes, "guess_type",
                        lambda name, strict=True: asked.append(name) or ("chemical/x-test", None))
    ast = {"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": [{"t": "Para", "c": [
        {"t": "Image", "c": [["", [], []], [], [str(root / "images" / name), ""]]}
        for name in ("a.PNG", "b.svg", "c.jpeg", "d.xyz")]}]}
    place_by_walk(ast, Project.load(root), "html")
    sources = [image["c"][2][0].split(";")[0] for image in ast["blocks"][0]["c"]]
    assert sources == ["data:image/png", "data:image/svg+xml", "data:image/jpeg",
                       "data:chemical/x-test"]
    assert asked == ["d.xyz"]


def test_images_placed_in_the_json_are_those_the_tree_walk_places(tmp_path):
    """``Images.place_json`` finds each image by its type in the serialized blocks: the
    same data URIs or paths, the same files in the same order, as a walk of the tree,
    for images in notes, links, another image's description and repeated; the document's
    metadata is left as written, in both."""
    import orjson

    from apecdocs import halves, pandoc
    from apecdocs.errors import ApecdocsError
    from apecdocs.model import WriteOptions
    from apecdocs.write import Images
    from conftest import place_by_walk

    root = tmp_path / "p"
    (root / "images").mkdir(parents=True)
    names = ["a.png", 'q"uote [x].svg', "c.jpeg"]
    for n, name in enumerate(names):
        (root / "images" / name).write_bytes(bytes([n]) * 10)
    (root / "apecdocs.yaml").write_text(
        "project: {number: TEST 01 2024, title: T}\n"
        "documents: [{id: d, type: document, title: D, sources: [a.md]}]\n",
        encoding="utf-8")
    (root / "a.md").write_text("# A\n", encoding="utf-8")
    project = Project.load(root)

    def image(name: str, alt: list | None = None) -> dict:
        return {"t": "Image", "c": [["", [], []], alt or [{"t": "Str", "c": "]]} [alt"}],
                                    [str(root / "images" / name), "title ]}"]]}

    ast = {"pandoc-api-version": [1, 23, 1],
           "meta": {"logo": {"t": "MetaInlines", "c": [image("c.jpeg")]}},
           "blocks": [{"t": "Para", "c": [
               image("a.png"), {"t": "Note", "c": [{"t": "Para", "c": [image(names[1])]}]},
               {"t": "Link", "c": [["", [], []], [image("a.png")], ["#x", ""]]},
               image("c.jpeg", [image(names[1])]),
               {"t": "Image", "c": [["", [], []], [], ["data:image/png;base64,AA==", ""]]}]}]}
    for fmt in ("docx", "html", "pdf"):
        tree = orjson.loads(orjson.dumps(ast))
        walked = place_by_walk(tree, project, fmt, {})
        images = Images(project, fmt, {})
        placed = halves.dumps(ast, WriteOptions(), fmt, edit=images.place_json).whole
        assert placed == halves.dumps(tree, WriteOptions(), fmt).whole
        assert images.used == walked and len(walked) == 5
        assert str(root / "images" / "c.jpeg") in placed.decode()  # the metadata's, as written
    missing = {**ast, "blocks": [{"t": "Para", "c": [image("gone.png")]}]}
    with pytest.raises(ApecdocsError, match="gone.png"):
        Images(project, "html").place_json(pandoc.dumps(missing))
