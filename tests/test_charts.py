"""Chart blocks: drawn from CSV as vector figures in every format, with a Word fallback."""

from __future__ import annotations

import zipfile

import pytest

from apecdocs import BuildFailed, Project
from conftest import MINIMAL, html_parse, pdf_text, squash

CHART = """\
# Data

```{{.chart #fig-users caption="Internet users by economy"}}
kind: {kind}
data: data/users.csv
x: economy
y: [{column}]
ylabel: Per cent
```
"""

CSV = "economy,share\nChile,82\nPeru,53\nViet Nam,70\n"


def _project(project_dir, kind="bar", column="share"):
    return project_dir(MINIMAL, {"content/01.md": CHART.format(kind=kind, column=column),
                                 "data/users.csv": CSV})


def test_chart_in_every_format(project_dir):
    root = _project(project_dir)
    Project.load(root).build()
    out = root / "_build/en"
    docx = zipfile.ZipFile(out / "doc.docx")
    media = [n for n in docx.namelist() if n.startswith("word/media/")]
    assert any(n.endswith(".svg") for n in media) and any(n.endswith(".png") for n in media)
    xml = docx.read("word/document.xml").decode()
    assert '<a:blip r:embed="' in xml and "svgBlip" in xml  # PNG for all readers, SVG kept
    images = [a for t, a in html_parse(out / "doc.html").tags if t == "img"]
    assert images[0]["src"].startswith("data:image/svg+xml;base64,")
    assert "Figure 1: Internet users by economy" in squash(pdf_text(out / "doc.pdf"))


def test_unknown_column_names_file_and_line(project_dir):
    root = _project(project_dir, column="users")
    with pytest.raises(BuildFailed) as err:
        Project.load(root).build(formats=["html"])
    assert "chart column 'users' is not in the data" in str(err.value)
    assert "01.md (line 3)" in str(err.value)


def test_unknown_kind(project_dir):
    root = _project(project_dir, kind="pie")
    with pytest.raises(BuildFailed) as err:
        Project.load(root).build(formats=["html"])
    assert "content/01.md (line 4): chart block: 'pie' is not allowed for 'kind'. Use one of: " \
        "bar, barh, line, stacked-bar." in str(err.value)
