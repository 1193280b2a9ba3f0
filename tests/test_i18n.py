"""Translation: catalogs, fuzzy updates, building in Vietnamese, coverage, providers,
localized dates and numbers, labels, and the missing-glyph warning."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from apecdocs_i18n import fonts
from apecdocs_i18n.formatting import date_text, money_text, number_text, percent_text
from click.testing import CliRunner

from apecdocs import Project
from apecdocs.labels import label
from conftest import docx_text, html_text, pdf_text, squash, write_project

PROJECT = """\
project:
  number: TEST 01 2024
  title: A Test Project
  funding: {apec: 99550, currency: USD}
languages: [en, vi]
formats: [html]
documents:
  - id: doc
    type: document
    title: The Test Document
    sources: [content/*.md]
"""

SOURCE = """\
# Introduction {#sec-intro}

The *workshop* was held in Ha Noi.[^n] It went well.

[^n]: Hosted by the Ministry.

- First point
- Second point

| Item   | Amount |
|--------|-------:|
| Travel |     20 |

: Budget lines {#tbl-budget}

See @tbl-budget for the costs.

Held on {{ "2019-09-10" | format_date }}, costing {{ project.funding.apec | format_money }}.
"""

VI = {
    "Introduction": "Giới thiệu",
    "The *workshop* was held in Ha Noi.[^1] It went well.":
        "*Hội thảo* đã được tổ chức tại Hà Nội.[^1] Hội thảo diễn ra tốt đẹp.",
    "Hosted by the Ministry.": "Do Bộ chủ trì.",
    "First point": "Điểm thứ nhất",
    "Item": "Hạng mục",
    "Amount": "Số tiền",
    "Travel": "Đi lại",
    "Budget lines": "Các dòng ngân sách",
    "See @tbl-budget for the costs.": "Xem @tbl-budget về chi phí.",
    "Held on 10 September 2019, costing USD 99,550.":
        "Tổ chức ngày 10 tháng 9 năm 2019, kinh phí 99.550 USD.",
    "The Test Document": "Tài liệu thử nghiệm",
}


def cli(root: Path, *args: str):
    from apecdocs_i18n import register_commands

    from apecdocs.cli import cli as group

    register_commands(group)
    return CliRunner().invoke(group, ["--project", str(root), *args])


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "proj", PROJECT, {"content/01.md": SOURCE})


def catalog(root: Path) -> polib.POFile:
    return polib.pofile(str(root / "locales" / "vi" / "doc.po"))


def translate_catalog(root: Path, entries: dict[str, str], fuzzy: set[str] = frozenset()) -> None:
    po = catalog(root)
    for entry in po:
        if entry.msgid in entries:
            entry.msgstr = entries[entry.msgid]
            if entry.msgid in fuzzy:
                entry.flags.append("fuzzy")
    po.save()


def extract(root: Path, *args: str) -> str:
    result = cli(root, "i18n", "extract", *args)
    assert result.exit_code == 0, result.output
    return result.output


# -- extraction -------------------------------------------------------------------


def test_extract_writes_one_entry_per_segment_with_file_and_line(project):
    output = extract(project)
    assert "locales/vi/doc.po" in output
    po = catalog(project)
    where = {e.msgid: e.occurrences for e in po}
    assert where["Introduction"] == [("content/01.md", "1")]
    assert where["The *workshop* was held in Ha Noi.[^1] It went well."] == [("content/01.md", "3")]
    assert where["Hosted by the Ministry."] == [("content/01.md", "5")]
    assert where["Second point"] == [("content/01.md", "8")]
    assert where["Travel"] == [("content/01.md", "12")]
    assert where["Budget lines"] == [("content/01.md", "14")]
    assert where["Held on 10 September 2019, costing USD 99,550."] == [("content/01.md", "18")]
    assert where["The Test Document"][0][0] == "apecdocs.yaml"
    kinds = {e.msgid: e.comment for e in po}
    assert kinds["Introduction"] == "heading"
    assert kinds["Hosted by the Ministry."] == "footnote"
    assert kinds["Travel"] == "table cell"
    assert kinds["Budget lines"] == "caption"
    assert "metadata: title" in kinds["The Test Document"]
    assert "20" not in where  # no letters, nothing to translate


def test_extract_needs_a_target_language(tmp_path):
    root = write_project(tmp_path / "p", PROJECT.replace("languages: [en, vi]\n", ""),
                         {"content/01.md": "Hello.\n"})
    result = cli(root, "i18n", "extract")
    assert result.exit_code == 1
    assert "--lang" in result.output


def test_reextract_keeps_translations_marks_changes_fuzzy_and_reports_drops(project):
    extract(project)
    translate_catalog(project, VI)
    source = project / "content" / "01.md"
    text = source.read_text(encoding="utf-8")
    text = text.replace("It went well.", "It went very well.")
    text = text.replace("- First point\n", "")
    source.write_text(text, encoding="utf-8")

    output = extract(project)

    po = catalog(project)
    kept = po.find("Introduction")
    assert kept.msgstr == "Giới thiệu" and not kept.fuzzy
    changed = po.find("The *workshop* was held in Ha Noi.[^1] It went very well.")
    assert changed.fuzzy
    assert changed.msgstr == VI["The *workshop* was held in Ha Noi.[^1] It went well."]
    assert changed.previous_msgid == "The *workshop* was held in Ha Noi.[^1] It went well."
    dropped = [e for e in po if e.obsolete]
    assert [e.msgid for e in dropped] == ["First point"]
    assert dropped[0].msgstr == "Điểm thứ nhất"
    assert "1 changed (fuzzy)" in output
    assert '1 dropped (kept as obsolete)' in output and 'dropped: "First point"' in output


# -- building in another language ---------------------------------------------------


def test_build_replaces_segments_and_falls_back_to_the_source(project):
    extract(project)
    translate_catalog(project, {**VI, "Second point": "Điểm thứ hai (chưa duyệt)"},
                      fuzzy={"Second point"})
    report = Project.load(project).build(languages=["vi"])
    text = squash(html_text(project / "_build" / "vi" / "doc.html"))
    assert "Giới thiệu" in text and "Introduction" not in text
    assert "Hội thảo đã được tổ chức tại Hà Nội." in text
    assert "Do Bộ chủ trì." in text  # the footnote, still a footnote
    assert "Second point" in text and "chưa duyệt" not in text  # fuzzy: not published
    assert "Bảng 1: Các dòng ngân sách" in text  # numbered with the Vietnamese label
    assert "Xem Bảng 1 về chi phí." in text  # the cross-reference survived translation
    assert "Đi lại" in text and "Hạng mục" in text
    assert "Tổ chức ngày 10 tháng 9 năm 2019, kinh phí 99.550 USD." in text
    html = (project / "_build" / "vi" / "doc.html").read_text(encoding="utf-8")
    assert "<em>Hội thảo</em>" in html  # inline formatting from the translation
    assert 'href="#tbl-budget"' in html
    assert 'lang="vi"' in html
    assert report.notes


def test_coverage_per_document_and_language(project):
    extract(project)
    translate_catalog(project, VI)
    po = catalog(project)
    total = len([e for e in po if not e.obsolete])
    done = len([e for e in po if not e.obsolete and e.msgstr and not e.fuzzy])
    assert (done, total) == (len(VI), len(VI) + 1)  # only "Second point" left

    report = Project.load(project).build(languages=["en", "vi"])
    assert report.notes == [f"translation vi/doc: {done}/{total} segments (92%)"]

    result = cli(project, "build", "--lang", "vi")  # unchanged: the recorded figure
    assert result.exit_code == 0, result.output
    assert result.output.count(f"translation vi/doc: {done}/{total} segments") == 1
    assert "0 built" in result.output


def test_coverage_leaves_out_what_the_template_wrote_for_the_language(tmp_path):
    # A date the template writes in each language is no segment for a translator: the
    # source language's rendering has its text nowhere.
    source = ("# Introduction\n\nThe dates:\n\n| Date |\n|------|\n"
              "| {{ '2019-09-10' | format_date }} |\n")
    root = write_project(tmp_path / "proj", PROJECT, {"content/01.md": source})
    extract(root)
    assert "10 September 2019" in [e.msgid for e in catalog(root)]  # what extract lists
    translate_catalog(root, {"Introduction": "Giới thiệu", "The dates:": "Các ngày:",
                             "Date": "Ngày", "The Test Document": "Tài liệu thử nghiệm"})
    report = Project.load(root).build(languages=["vi"])
    assert report.notes == ["translation vi/doc: 4/4 segments (100%)"]
    assert "10 tháng 9 năm 2019" in squash(html_text(root / "_build" / "vi" / "doc.html"))


def test_a_changed_catalog_rebuilds_the_language(project):
    extract(project)
    Project.load(project).build(languages=["vi"])
    translate_catalog(project, {"Introduction": "Giới thiệu"})
    report = Project.load(project).build(languages=["vi"])
    assert [o.status for o in report.outputs] == ["built"]
    assert "Giới thiệu" in html_text(project / "_build" / "vi" / "doc.html")
    again = Project.load(project).build(languages=["vi"])
    assert [o.status for o in again.outputs] == ["unchanged"]


def test_no_catalog_builds_the_source_text_and_says_so(project):
    report = Project.load(project).build(languages=["vi"])
    assert "Introduction" in html_text(project / "_build" / "vi" / "doc.html")
    assert "no catalog yet" in report.notes[0] and "0/" in report.notes[0]


# -- translation providers ----------------------------------------------------------

PROVIDER = '''\
from apecdocs import hookimpl

CALLS = []


@hookimpl
def translate(segments, source_lang, target_lang):
    CALLS.append((source_lang, target_lang, list(segments)))
    return ["[" + target_lang + "] " + s if "point" in s else None for s in segments]
'''


def test_fill_asks_the_provider_and_writes_fuzzy_entries(project):
    (project / "plugins").mkdir()
    (project / "plugins" / "fake_mt.py").write_text(PROVIDER, encoding="utf-8")
    extract(project)
    translate_catalog(project, {"Introduction": "Giới thiệu"})

    output = extract(project, "--fill")

    assert "2 machine-translated (fuzzy)" in output
    po = catalog(project)
    first = po.find("First point")
    assert first.msgstr == "[vi] First point" and first.fuzzy
    assert po.find("Introduction").msgstr == "Giới thiệu"  # reviewed text untouched
    assert not po.find("Travel").msgstr  # the provider had nothing
    report = Project.load(project).build(languages=["vi"])
    assert "[vi]" not in html_text(project / "_build" / "vi" / "doc.html")  # fuzzy: unpublished
    assert "translation vi/doc: 1/" in report.notes[0]


def test_fill_without_a_provider_says_what_to_install(project):
    extract(project)
    result = cli(project, "i18n", "extract", "--fill")
    assert result.exit_code == 1
    assert "translation provider" in result.output


# -- localized words, dates, numbers --------------------------------------------------


def test_dates_numbers_and_money_are_written_for_the_language():
    assert date_text("2019-09-10", "vi") == "10 tháng 9 năm 2019"
    assert date_text("2019-09-10", "en") == "10 September 2019"
    assert date_text("2019-09-10", "vi", "month") == "tháng 9 năm 2019"
    assert date_text("2019-09-10", "es") == "10 de septiembre de 2019"
    assert money_text(99550, "vi") == "99.550 USD"
    assert money_text(99550, "en") == "USD 99,550"
    assert money_text(1234.5, "vi", "EUR") == "1.234,50 EUR"
    assert number_text(1234567.5, "vi") == "1.234.567,5"
    assert number_text(1234567.5, "en") == "1,234,567.5"
    assert number_text(0.5, "vi", decimals=2) == "0,50"
    assert percent_text(0.62, "vi") == "62%"


def test_filters_read_the_language_from_the_template(project):
    Project.load(project).build(languages=["en", "vi"])
    english = squash(html_text(project / "_build" / "en" / "doc.html"))
    assert "Held on 10 September 2019, costing USD 99,550." in english
    vietnamese = squash(html_text(project / "_build" / "vi" / "doc.html"))
    assert "10 tháng 9 năm 2019" in vietnamese and "99.550 USD" in vietnamese


def test_the_core_labels_come_from_shipped_catalogs():
    assert label("Contents", "vi") == "Mục lục"
    assert label("Table", "vi-VN") == "Bảng"
    assert label("Contents", "en") == "Contents"
    assert label("Contents", "fr") == "Contents"  # no catalog: English, not a key
    assert label("Not a label", "vi") == "Not a label"


# -- every format, read back ------------------------------------------------------------


def test_vietnamese_reads_back_from_docx_pdf_and_html(project):
    text = project / "apecdocs.yaml"
    text.write_text(text.read_text().replace("formats: [html]", "formats: [docx, pdf, html]"))
    extract(project)
    translate_catalog(project, VI)
    report = Project.load(project).build(languages=["vi"])
    out = project / "_build" / "vi"
    sentence = "Hội thảo đã được tổ chức tại Hà Nội."
    for name, reader in (("doc.docx", docx_text), ("doc.pdf", pdf_text), ("doc.html", html_text)):
        content = squash(reader(out / name))
        assert sentence in content, name
        assert "Giới thiệu" in content and "Tài liệu thử nghiệm" in content, name
    assert not [w for o in report.outputs for w in o.warnings if "glyph" in w]


# -- fonts ----------------------------------------------------------------------------


def _dejavu() -> Path:
    from apecdocs.builtin import font_dirs

    return font_dirs()[0] / "DejaVuSans.ttf"


def test_missing_characters_are_named():
    missing = fonts.missing_characters("Xin chào Việt Nam 中文", [_dejavu()])
    assert missing == ["中", "文"]
    assert "U+4E2D CJK UNIFIED IDEOGRAPH-4E2D" in fonts.describe(missing)
    assert fonts.missing_characters("Tiếng Việt: ắ ằ ẳ ẵ ặ ố ồ ổ ỗ ộ ư ữ đ Đ", [_dejavu()]) == []


def test_the_pdf_build_warns_about_characters_no_font_has(tmp_path, monkeypatch):
    root = write_project(tmp_path / "p", PROJECT.replace("formats: [html]", "formats: [pdf]"),
                         {"content/01.md": "# 中文摘要\n\nXin chào. ภาษาไทย\n"})
    project = Project.load(root)
    # a machine with none of the script fonts: only DejaVu Sans
    monkeypatch.setattr(fonts, "available_fonts", lambda project: [_dejavu()])
    report = project.build(languages=["en"])
    warnings = report.outputs[0].warnings
    assert any("中" in w and "U+4E2D" in w and "fonts:" in w for w in warnings), warnings
    text = next(w for w in warnings if "glyph" in w)
    assert "pip install 'apecdocs[cjk]'" in text and "pip install 'apecdocs[thai]'" in text


def test_fonts_option_adds_project_fonts_and_rejects_missing_ones(tmp_path):
    yaml = PROJECT + "fonts: [fonts]\n"
    root = write_project(tmp_path / "p", yaml, {"content/01.md": "Hello.\n",
                                                "fonts/DejaVuSans.ttf": _dejavu().read_bytes()})
    project = Project.load(root)
    assert fonts.project_fonts(project) == [root / "fonts"]
    assert fonts.available_fonts(project)[0] == root / "fonts" / "DejaVuSans.ttf"
    (root / "fonts" / "DejaVuSans.ttf").unlink()
    (root / "fonts").rmdir()
    findings = Project.load(root).check()
    assert any(f.code == "i18n-font" and "fonts" in f.message for f in findings)


# -- the core hooks translation relies on -------------------------------------------------


def test_plugins_declare_extra_inputs_and_add_summary_notes(tmp_path):
    from apecdocs import hookimpl

    extra = tmp_path / "p" / "extra.txt"

    class Plugin:
        @hookimpl
        def build_inputs(self, project, document, lang):
            return [extra]

        @hookimpl
        def build_finished(self, project, report):
            report.notes.append(f"{len(report.outputs)} output(s) seen")

    root = write_project(tmp_path / "p", PROJECT.replace("languages: [en, vi]\n", ""),
                         {"content/01.md": "Hello.\n", "extra.txt": "one"})
    plugin = Plugin()  # one object: its name is part of what a build depends on
    first = Project.load(root, plugins=[plugin]).build()
    assert first.notes == ["1 output(s) seen"]
    assert [o.status for o in Project.load(root, plugins=[plugin]).build().outputs] == ["unchanged"]
    extra.write_text("two")
    assert [o.status for o in Project.load(root, plugins=[plugin]).build().outputs] == ["built"]


# -- charts and what is left alone ----------------------------------------------------------

CHART_SOURCE = """\
```{.chart #fig-users caption="Internet users by economy"}
kind: bar
data: data/users.csv
x: economy
y: [share]
ylabel: Per cent
```

::: notranslate
Keep this English.
:::
"""


def test_chart_captions_and_axis_labels_are_translated(tmp_path):
    root = write_project(tmp_path / "p", PROJECT, {
        "content/01.md": CHART_SOURCE, "data/users.csv": "economy,share\nChile,82\nPeru,53\n"})
    extract(root)
    po = catalog(root)
    assert {e.msgid: e.comment for e in po} == {
        "Internet users by economy": "chart caption", "Per cent": "chart label",
        "The Test Document": "metadata: title"}  # nothing from the notranslate block
    translate_catalog(root, {"Internet users by economy": "Người dùng Internet theo nền kinh tế",
                             "Per cent": "Phần trăm"})
    Project.load(root).build(languages=["en", "vi"])
    text = squash(html_text(root / "_build" / "vi" / "doc.html"))
    assert "Hình 1: Người dùng Internet theo nền kinh tế" in text
    assert "Keep this English." in text

    def chart(lang: str) -> str:
        from conftest import html_parse

        return [a["src"] for t, a in html_parse(root / "_build" / lang / "doc.html").tags
                if t == "img"][0]

    assert chart("vi") != chart("en")  # drawn again with the Vietnamese axis label


def test_a_chart_label_is_rewritten_in_the_chart_spec():
    from apecdocs_i18n.segments import apply, collect

    block = {"t": "CodeBlock", "c": [["", ["chart"], [["caption", "Users"]]],
                                     "kind: bar\nylabel: Per cent\nlabels: {share: Share}\n"]}
    found = collect([block])
    assert [(s.kind, s.text()) for s in found] == [
        ("chart caption", "Users"), ("chart label", "Per cent"), ("chart label", "Share")]
    for segment, text in zip(found, ["Người dùng", "Phần trăm", "Tỷ lệ"], strict=True):
        apply(segment, [{"t": "Str", "c": text}])
    assert block["c"][0][2] == [["caption", "Người dùng"]]
    from ruamel.yaml import YAML

    spec = YAML(typ="safe").load(block["c"][1])
    assert spec == {"kind": "bar", "ylabel": "Phần trăm", "labels": {"share": "Tỷ lệ"}}
