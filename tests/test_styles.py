"""A project's styles/ folder: files replace the built-in ones, custom.css adds to them."""

from __future__ import annotations

from apecdocs import Project
from conftest import REPO

YAML = """\
project: {number: TEST 01 2024, title: T}
documents:
  - {id: doc, type: publication, title: Doc, sources: [content/*.md], formats: [html]}
"""


def test_custom_css_comes_after_every_other_css(project_dir):
    root = project_dir(YAML, {"content/01.md": "# One\n\nText.\n",
                              "styles/custom.css": "h1 { color: #123456; }\n"})
    Project.load(root).build()
    html = (root / "_build/en/doc.html").read_text(encoding="utf-8")
    style = html[html.index("<style"):html.index("</style>")]
    assert style.rstrip().endswith("h1 { color: #123456; }")
    assert ".cover" in style  # the APEC style is still there, before it


def test_custom_css_edit_rebuilds(project_dir):
    root = project_dir(YAML, {"content/01.md": "# One\n", "styles/custom.css": "p {}\n"})
    Project.load(root).build()
    (root / "styles/custom.css").write_text("p { margin: 0 }\n", encoding="utf-8")
    report = Project.load(root).build()
    assert [o.status for o in report.outputs] == ["built"]


def test_example_keeps_its_house_style_in_styles():
    assert (REPO / "styles" / "custom.css").is_file()
    assert Project.load(REPO).styles_dir == REPO / "styles"
