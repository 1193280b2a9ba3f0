"""Column widths from content: the same widths in DOCX, PDF and HTML, none overprinted."""

from __future__ import annotations

import re
import zipfile

import pytest

from apecdocs import Project
from apecdocs.tables import LINE_WIDTH, text_width
from test_layout import _faults

WIDE = """\
Intro.

| Economy | Strategy | Year | Questionnaire | Interview |
|---|---|---|---|---|
| Chile | Digital agenda | 2018 | Yes | Yes |
| Peru | Smart city blueprint and plans | Under development | — | — |

: Sources {#tbl-sources}
"""  # every line within 72 characters: pandoc gives it no widths


# A long pipe table: pandoc takes the dashes as relative widths (5 dashes: 5 %).
DASHES = """\
Intro.

| Economy | Principal strategy or framework consulted, with a long header | Questionnaire |
|:------------------|:-------------------------------------------------------------|:---:|
| Australia | Digital economy strategy (2018), and a long description of it | Yes |

: Coverage {#tbl-coverage}
"""


def _build(project_dir, body: str, formats=("docx", "html", "pdf")):
    root = project_dir(files={"content/01.md": body})
    project = Project.load(root)
    report = project.build(formats=list(formats))
    return root / "_build/en", report


def _grid(docx_path) -> list[list[int]]:
    xml = zipfile.ZipFile(docx_path).read("word/document.xml").decode("utf-8")
    return [[int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"', grid)]
            for grid in re.findall(r"<w:tblGrid>(.*?)</w:tblGrid>", xml)]


def _colgroups(html_path) -> list[list[float]]:
    html = html_path.read_text(encoding="utf-8")
    return [[float(w) for w in re.findall(r"width: ([\d.]+)%", group)]
            for group in re.findall(r"<colgroup>(.*?)</colgroup>", html, re.S)]


def _share(widths: list[float], i: int) -> float:
    return widths[i] / sum(widths)


def _min_share(word: str, bold: bool = False) -> float:
    return text_width(word, bold) / LINE_WIDTH


def test_table_without_widths_is_sized_from_its_content_in_every_format(project_dir):
    out, report = _build(project_dir, WIDE)
    assert report.ok
    grid, = _grid(out / "doc.docx")
    cols, = _colgroups(out / "doc.html")
    for widths in (grid, cols):
        assert len(widths) == 5
        # each column holds its longest word: "Questionnaire" (bold header), "development"
        assert _share(widths, 3) >= _min_share("Questionnaire", bold=True) * 0.97
        assert _share(widths, 2) >= _min_share("development") * 0.97
        # the column with the longest text gets the most room
        assert max(range(5), key=lambda i: widths[i]) == 1
    assert [round(w / sum(grid), 2) for w in grid] == pytest.approx(
        [round(c / sum(cols), 2) for c in cols], abs=0.011)
    assert _faults(out / "doc.pdf", "en").faults == []
    assert not [w for o in report.outputs for w in o.warnings]


def test_explicit_widths_are_widened_to_the_longest_word_with_a_warning(project_dir):
    out, report = _build(project_dir, DASHES)
    cols, = _colgroups(out / "doc.html")
    grid, = _grid(out / "doc.docx")
    for widths in (cols, grid):
        assert _share(widths, 2) >= _min_share("Questionnaire", bold=True) * 0.97  # was 5 %
        assert _share(widths, 1) > _share(widths, 0)  # the others keep their proportions
    warnings = {w for o in report.outputs for w in o.warnings}
    assert len(warnings) == 1
    warning, = warnings
    assert "content/01.md (line 3)" in warning and "'Questionnaire'" in warning
    assert "widths=" in warning  # says what to do
    assert _faults(out / "doc.pdf", "en").of("overlap") == []


def test_check_reports_the_widened_table_like_the_build(project_dir):
    root = project_dir(files={"content/01.md": DASHES})
    findings = [f for f in Project.load(root).check() if f.code == "table-widths"]
    assert len(findings) == 1 and findings[0].severity == "warning"
    assert findings[0].location.line == 3 and "Questionnaire" in findings[0].message


def test_widths_attribute_is_honoured_and_auto_drops_the_dashes(project_dir):
    given = DASHES.replace("{#tbl-coverage}", '{#tbl-coverage widths="25 50 25"}')
    out, report = _build(project_dir, given, formats=("html",))
    cols, = _colgroups(out / "doc.html")
    assert [round(_share(cols, i), 2) for i in range(3)] == [0.25, 0.5, 0.25]
    assert not [w for o in report.outputs for w in o.warnings]

    auto = DASHES.replace("{#tbl-coverage}", '{#tbl-coverage widths="auto"}')
    out, report = _build(project_dir, auto, formats=("html",))
    cols, = _colgroups(out / "doc.html")
    assert _share(cols, 2) >= _min_share("Questionnaire", bold=True) * 0.97
    assert not [w for o in report.outputs for w in o.warnings]


def test_a_word_wider_than_any_column_breaks_inside_its_cell(project_dir):
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 2
    columns = 7
    body = ("| " + " | ".join(f"H{i}" for i in range(columns)) + " |\n"
            + "|" + "---|" * columns + "\n"
            + "| " + " | ".join([word] * columns) + " |\n")
    out, report = _build(project_dir, body, formats=("pdf", "html"))
    assert report.ok
    assert _faults(out / "doc.pdf", "en").faults == []
    html = (out / "doc.html").read_text(encoding="utf-8")
    assert "\u00ad" in html or "&shy;" in html  # break points a browser uses too


def test_widths_auto_on_a_div_applies_to_the_tables_inside(project_dir):
    body = '::: {widths="auto"}\n' + DASHES.replace(": Coverage {#tbl-coverage}\n", "") + ":::\n"
    out, report = _build(project_dir, body, formats=("html",))
    cols, = _colgroups(out / "doc.html")
    assert _share(cols, 2) >= _min_share("Questionnaire", bold=True) * 0.97
    assert not [w for o in report.outputs for w in o.warnings]


def test_cjk_text_breaks_between_characters_without_hyphens(project_dir):
    text = "主持人：黄文明先生（电子商务和数字经济局，越南）；田中结衣女士（经济产业省，日本）" * 2
    body = f"| 时间 | 环节 | 主持人和发言人 | 备注 | 语言 | 地点 | 类型 |\n|---|---|---|---|---|---|---|\n" \
           f"| 08:30 | 报到 | {text} | 无 | 英语 | 河内 | 会议 |\n"
    out, report = _build(project_dir, body, formats=("html",))
    assert report.ok
    assert "\u00ad" not in (out / "doc.html").read_text(encoding="utf-8")


def test_docx_rows_never_split_and_short_tables_keep_together(project_dir):
    short = "| Economy | Year |\n|---|---|\n| Chile | 2018 |\n| Peru | 2019 |\n\n: Short {#tbl-short}\n\n"
    long = "| Item | Value |\n|---|---|\n" + "".join(f"| Item {i} | {i} |\n" for i in range(80)) \
        + "\n: Long {#tbl-long}\n"
    out, report = _build(project_dir, short + long, formats=("docx",))
    xml = zipfile.ZipFile(out / "doc.docx").read("word/document.xml").decode("utf-8")
    first, second = re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.S)
    for table in (first, second):
        rows = re.findall(r"<w:tr[ >].*?</w:tr>", table, re.S)
        assert all("<w:cantSplit" in row for row in rows)
    rows = re.findall(r"<w:tr[ >].*?</w:tr>", first, re.S)
    assert all("<w:keepNext" in row for row in rows[:-1]) and "<w:keepNext" not in rows[-1]
    assert "<w:keepNext" not in second  # a long table may break, between rows
    assert "<w:tblHeader" in second  # and repeats its header row


def test_a_widths_attribute_that_does_not_fit_the_table_is_reported(project_dir):
    body = DASHES.replace("{#tbl-coverage}", '{#tbl-coverage widths="1 2"}')
    root = project_dir(files={"content/01.md": body})
    findings = [f for f in Project.load(root).check() if f.code == "table-widths"]
    assert len(findings) == 1 and findings[0].location.line == 3
    assert 'widths="1 2" is not 3 numbers' in findings[0].message and "ignored" in findings[0].message
    out, report = _build(project_dir, body, formats=("html",))
    cols, = _colgroups(out / "doc.html")
    assert _share(cols, 2) >= _min_share("Questionnaire", bold=True) * 0.97  # and still fits


def test_shipped_widths_are_the_pdf_fonts_own():
    """font_widths.json (tools/make_font_widths.py) holds DejaVu Sans's advances."""
    import matplotlib
    from matplotlib import ft2font

    sample = "Questionnaire Thúc đẩy sự tham gia — 2017–2019 Ωμέγα Привет"
    for bold, name in ((False, "DejaVuSans.ttf"), (True, "DejaVuSans-Bold.ttf")):
        font = ft2font.FT2Font(f"{matplotlib.get_data_path()}/fonts/ttf/{name}")
        units = sum(font.load_char(ord(c), flags=ft2font.LoadFlags.NO_SCALE).horiAdvance
                    for c in sample)
        assert text_width(sample, bold, size=10) == pytest.approx(units / font.units_per_EM * 10,
                                                                   rel=0.002)


@pytest.mark.parametrize("text", ["Economy", "e-commerce (2019)", "Việt Nam", "数字经济 trade",
                                  "ภาษาไทย", ""])
def test_a_text_is_as_wide_as_its_characters_one_by_one(text):
    """Looked up at once where the font has every character, one by one where it lacks
    some (CJK, Thai): the same width, to the last bit."""
    from apecdocs.tables import _advance

    for bold in (False, True):
        assert text_width(text, bold) == sum(_advance(c, bold) for c in text) * 10.5
