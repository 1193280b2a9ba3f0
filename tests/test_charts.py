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


ECONOMIES = ["Australia", "Brunei Darussalam", "Canada", "Chile", "China", "Hong Kong, China",
             "Indonesia", "Japan", "Korea", "Malaysia", "Mexico", "New Zealand", "Papua New Guinea",
             "Peru", "The Philippines", "Russia", "Singapore", "Chinese Taipei", "Thailand",
             "United States", "Viet Nam"]


def _labels(fig, horizontal: bool) -> list[str]:
    """The category axis's labels."""
    ax = fig.axes[0]
    ticks = ax.get_yticklabels() if horizontal else ax.get_xticklabels()
    return [t.get_text() for t in ticks if t.get_text()]


@pytest.mark.parametrize("kind,labels,drawn", [
    ("bar", ECONOMIES, "barh"),  # 21 names cannot share the x axis: the bars turn
    ("stacked-bar", ECONOMIES, "stacked-barh"),
    ("bar", ["Chile", "Peru", "Viet Nam"], "bar"),  # short and few: left as asked
    ("bar", ["Information portals and awareness campaigns", "Advisory and mentoring services",
             "Grants or co-funding for technology adoption", "Pre-qualified solutions"], "bar"),
    ("line", [str(year) for year in range(1980, 2031)], "line"),
])
def test_category_labels_never_collide(kind, labels, drawn):
    from apecdocs_charts import _collisions, figure

    fig, used = figure(kind, labels, {"value": [float(i) for i in range(len(labels))]}, {})
    assert used == drawn
    assert not _collisions(fig)
    shown = _labels(fig, used.endswith("barh"))
    if kind != "line":  # every category named, wrapped perhaps, never dropped
        assert sorted(" ".join(t.split()) for t in shown) == sorted(labels)
    if len(labels) == 4:
        assert any("\n" in t for t in shown)  # long names wrapped under their bars


def test_the_collision_check_sees_crowded_labels():
    import matplotlib.pyplot as plt
    from apecdocs_charts import _collisions

    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    ax.bar(range(len(ECONOMIES)), [1.0] * len(ECONOMIES))
    ax.set_xticks(range(len(ECONOMIES)), ECONOMIES)
    assert _collisions(fig)
    plt.close(fig)


def test_unknown_key_has_a_did_you_mean(project_dir):
    root = _project(project_dir, kind="bar")
    source = root / "content" / "01.md"
    source.write_text(source.read_text(encoding="utf-8").replace("ylabel:", "ylable:"),
                      encoding="utf-8")
    with pytest.raises(BuildFailed) as err:
        Project.load(root).build(formats=["html"])
    assert "unknown key 'ylable'" in str(err.value) and "Did you mean 'ylabel'?" in str(err.value)
    assert "01.md (line" in str(err.value)


def test_axis_numbers_take_the_languages_decimal_sign(tmp_path):
    from apecdocs_charts import draw, figure
    from apecdocs_charts.fonts import decimal_sign, decimal_ticks

    fig, _kind = figure("bar", ["Chile", "Peru"], {"score": [0.5, 1.5]}, {})
    decimal_ticks(fig, decimal_sign("es"))
    values = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "0,4" in values and not any("." in v for v in values)
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["Chile", "Peru"]
    rows = [{"x": "A", "y": 0.5}, {"x": "B", "y": 1.5}]
    spec = {"kind": "bar", "x": "x", "y": ["y"]}
    english = draw(spec, rows, tmp_path)
    assert draw(spec, rows, tmp_path, lang="en") == english  # English charts keep their key
    assert draw(spec, rows, tmp_path, lang="es") != english
    assert decimal_sign("th") == "." and decimal_sign("vi") == ","


def test_chart_text_in_thai_and_chinese_finds_a_font():
    from apecdocs_charts.fonts import fallback_families, languages

    assert languages(["ผู้เข้าร่วม"]) == ["th"]
    assert languages(["参会人员", "ワークショップ"]) == ["ja", "zh-Hans"]
    assert languages(["Participants", "Việt Nam", "Участники"]) == []  # DejaVu Sans has them
    assert fallback_families(["ผู้เข้าร่วม"]) == ["Noto Sans Thai"]
