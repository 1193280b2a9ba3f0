"""The questionnaire round: one definition, the form built from it, forms filled as three
economies would and collected, the responses file and the messages checked."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import pytest
from apecdocs_apec import questionnaire as qdef
from apecdocs_apec.questionnaire_collect import collect
from apecdocs_apec.questionnaire_plugin import register_commands
from click.testing import CliRunner
from lxml import etree

from apecdocs import ApecdocsError, Project
from apecdocs.cli import cli
from apecdocs.loader import InvalidProject
from conftest import docx_paragraphs, write_project
from questionnaire_forms import fill

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"

PROJECT = """\
project:
  number: TEST 01 2024
  title: A Test Project
languages: [en, vi]
data:
  questionnaire: data/responses.csv
monitoring:
  questionnaire:
    data: questionnaire
    definition: data/form.yaml
documents:
  - id: form
    type: questionnaire
    title: Survey of Measures
"""
EMPTY = {"data/responses.csv": "economy\n"}  # before any form is back: the header only
DEFINITION = """\
title: Survey of Measures
introduction: Please answer every question.
parts:
  - title: Respondent
    numbered: false
    questions:
      - {id: economy, kind: economy, text: Economy, required: true}
      - {id: agency, kind: short_text, text: Agency}
  - title: Measures
    instructions: About what is in place.
    questions:
      - id: Q1
        kind: yes_no
        required: true
        text: Is there a strategy?
        skip: [{if: "no", to: Q3}]
        follow_up: {when: "yes", text: "Its title:"}
      - id: Q2
        kind: multiple
        required: true
        text: Which areas?
        options: [Skills, {text: Payments and wallets, short: Payments}, Logistics]
        other: true
      - id: Q3
        kind: single
        text: Main channel?
        options: [Portal, Training]
      - id: Q4
        kind: number
        required: true
        text: How many programmes?
      - id: Q5
        kind: rating
        text: How useful is APEC work?
        scale: {min: 1, max: 5, low: not useful, high: very useful}
      - id: Q6
        kind: table
        text: Firms reached
        rows: [Micro, Small]
        columns: [{text: Firms, kind: number}, {text: Notes}]
      - id: Q7
        kind: long_text
        text: Comments
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = write_project(tmp_path_factory.mktemp("q") / "proj", PROJECT,
                         {"data/form.yaml": DEFINITION, **EMPTY})
    Project.load(root).build()
    return {"root": root, **{f"{lang}.{fmt}": root / "_build" / lang / f"form.{fmt}"
                             for lang in ("en", "vi") for fmt in ("docx", "pdf", "html")}}


def _xml(path: Path, part: str = "word/document.xml") -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(part))


def _tags(root: etree._Element) -> list[str]:
    return [t.get(f"{{{W}}}val") for t in root.iter(f"{{{W}}}tag")]


# -- the definition ---------------------------------------------------------------------

def test_example_definition_loads_with_numbers_and_columns():
    definition = qdef.load(Path(__file__).parents[1] / "data" / "questionnaire-form.yaml")
    assert [q.number for q in definition.questions if q.number] == list(range(1, 13))
    assert definition.question("Q4").option("No plans at present").short == "No plans"
    assert definition.columns()[:5] == ["economy", "agency", "position", "Q1", "Q1.follow_up"]
    assert "Q5.other" in definition.columns()


def test_definition_errors_name_line_and_suggest(tmp_path):
    path = tmp_path / "form.yaml"
    path.write_text(DEFINITION.replace("        options: [Portal", "        optoins: [Portal"))
    with pytest.raises(InvalidProject) as caught:
        qdef.load(path)
    finding = caught.value.findings[0]
    assert "unknown key 'optoins'" in finding.message
    assert finding.hint == "Did you mean 'options'?"
    assert finding.location.line == DEFINITION.splitlines().index("        options: [Portal, "
                                                                  "Training]") + 1


def test_definition_consistency_skip_rule_and_duplicate_ids(tmp_path):
    path = tmp_path / "form.yaml"
    path.write_text(DEFINITION.replace("to: Q3", "to: Q33").replace("id: Q7", "id: Q4"))
    with pytest.raises(InvalidProject) as caught:
        qdef.load(path)
    messages = [f.message for f in caught.value.findings]
    assert any("skip rule goes to 'Q33'" in m for m in messages)
    assert any("two questions have the id 'Q4'" in m for m in messages)
    assert all(f.location.line for f in caught.value.findings)


def test_schema_command_prints_the_definition_schema():
    result = CliRunner().invoke(cli, ["schema", "--file", "questionnaire"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    assert schema["title"] == "apecdocs questionnaire definition"
    kinds = schema["properties"]["parts"]["items"]["properties"]["questions"]["items"]
    assert "rating" in kinds["properties"]["kind"]["enum"]
    text = CliRunner().invoke(cli, ["schema", "--file", "questionnaire", "--markdown"]).output
    assert text.startswith("# apecdocs questionnaire definition\n")
    assert "## `parts[].questions[]`" in text and "apecdocs.yaml" not in text


# -- the form ---------------------------------------------------------------------------

def test_docx_form_has_controls_for_every_answer(built):
    root = _xml(built["en.docx"])
    tags = _tags(root)
    boxes = [t for t in tags if "#" in t]
    # yes/no 2, multiple 3 + other, single 2, rating 5
    assert len(boxes) == 2 + 4 + 2 + 5
    assert len(list(root.iter(f"{{{W14}}}checkbox"))) == len(boxes)
    for key in ("economy", "agency", "Q1.follow_up", "Q2.other", "Q4", "Q7",
                "Q6.micro.firms", "Q6.small.notes"):
        assert f"apecdocs:{key}" in tags
    economy = next(s for s in root.iter(f"{{{W}}}sdt")
                   if s.find(f".//{{{W}}}tag").get(f"{{{W}}}val") == "apecdocs:economy")
    names = [i.get(f"{{{W}}}displayText") for i in economy.iter(f"{{{W}}}listItem")]
    assert len(names) == 21 and "Republic of Korea" in names and "Viet Nam" in names
    assert root.nsmap["w14"] == W14 and "w14" in root.get(
        "{http://schemas.openxmlformats.org/markup-compatibility/2006}Ignorable")


def test_docx_form_is_protected_for_filling_in(built):
    protection = _xml(built["en.docx"], "word/settings.xml").find(f"{{{W}}}documentProtection")
    assert protection.get(f"{{{W}}}edit") == "forms"
    assert protection.get(f"{{{W}}}enforcement") == "1"


def test_printable_versions_carry_questions_and_boxes(built):
    from pypdf import PdfReader

    pdf = " ".join(p.extract_text() for p in PdfReader(built["en.pdf"]).pages)
    html = built["en.html"].read_text(encoding="utf-8")
    for text in ("Question 1.", "Is there a strategy?", "Payments and wallets",
                 "Other (please specify)", "go to Question 3"):
        assert text in " ".join(pdf.split()), text
        assert text in html, text
    assert "☐" in html and "Firms reached" in html


def test_form_in_vietnamese_uses_the_catalog(built):
    text = "\n".join(docx_paragraphs(built["vi.docx"]))
    assert "Câu hỏi 1." in text and "Phần 2" in text
    assert "Bấm vào đây để nhập văn bản." in text


# -- collecting -------------------------------------------------------------------------

def _forms(built: dict[str, Path], tmp_path: Path) -> list[Path]:
    form = built["en.docx"]
    chile = fill(form, tmp_path / "chile.docx", ticks={"Q1": [0], "Q2": [0, 1], "Q5": [3]},
                 texts={"economy": "Chile", "agency": "Ministry", "Q1.follow_up": "Plan 2030",
                        "Q4": "12", "Q6.micro.firms": "1,200", "Q6.small.notes": "pilot"})
    japan = fill(form, tmp_path / "japan.docx", ticks={"Q1": [1], "Q5": [4]},
                 texts={"economy": "Japan", "Q4": "3"},
                 typed_over={"Q7": "Typed over the box"}, x_marks={"Q2": [2]})
    peru = fill(form, tmp_path / "peru.docx", ticks={"Q3": [0]},
                texts={"economy": "Peru", "Q4": "many", "Q1.follow_up": "none"})
    taiwan = fill(form, tmp_path / "taiwan.docx", ticks={"Q1": [1]},
                  texts={"economy": "Taiwan", "Q4": "1"})
    return [chile, japan, peru, taiwan]


def _rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {r["economy"]: r for r in csv.DictReader(handle)}


def test_collect_three_economies(built, tmp_path):
    project = Project.load(built["root"])
    responses = built["root"] / "data" / "responses.csv"
    responses.unlink(missing_ok=True)
    report = collect(project, _forms(built, tmp_path))
    rows = _rows(responses)
    assert list(rows) == ["Chile", "Japan", "Peru"]  # APEC order; Taiwan not stored
    assert rows["Chile"]["Q1"] == "yes" and rows["Chile"]["Q2"] == "Skills; Payments"
    assert rows["Chile"]["Q1.follow_up"] == "Plan 2030" and rows["Chile"]["Q5"] == "4"
    assert rows["Chile"]["Q6.micro.firms"] == "1,200"
    assert rows["Japan"]["Q2"] == "Logistics" and rows["Japan"]["Q7"] == "Typed over the box"
    assert rows["Peru"]["Q3"] == "Portal" and rows["Peru"]["Q4"] == ""
    messages = [str(i) for i in report.issues]
    assert "japan.docx, Q2: read the mark typed beside 'Logistics' as a tick" in messages
    assert any(m.startswith("japan.docx, Q7: the answer box of Q7 was typed over") for m in messages)
    assert "peru.docx, Q4: 'many' for Q4 is not a number. Write digits only, e.g. 1250 or " \
           "12.5." in messages
    assert "peru.docx, Q1: required answer missing. Ask the focal point to complete it." in messages
    assert "peru.docx, Q2: required answer missing. Ask the focal point to complete it." in messages
    assert "taiwan.docx, economy: 'Taiwan' is not an APEC member economy name. Did you mean " \
           "'Chinese Taipei'?" in messages
    assert not any("chile.docx" in m for m in messages)
    assert "Chile: added (8 answers)" in report.changes


def test_skip_rule_excuses_a_required_answer(built, tmp_path):
    project = Project.load(built["root"])
    form = fill(built["en.docx"], tmp_path / "chile.docx", ticks={"Q1": [1]},
                texts={"economy": "Chile", "Q4": "2"})
    report = collect(project, [form], dry_run=True)
    assert [str(i) for i in report.issues] == []  # Q2 was skipped by "if no, go to Q3"


def test_collect_again_keeps_rows_and_says_what_changed(built, tmp_path):
    project = Project.load(built["root"])
    responses = built["root"] / "data" / "responses.csv"
    responses.unlink(missing_ok=True)
    collect(project, _forms(built, tmp_path)[:2])
    again = fill(built["en.docx"], tmp_path / "chile2.docx", ticks={"Q1": [0], "Q2": [0]},
                 texts={"economy": "Chile", "agency": "Ministry", "Q4": "14"})
    report = collect(project, [again])
    rows = _rows(responses)
    assert list(rows) == ["Chile", "Japan"] and rows["Japan"]["Q4"] == "3"
    assert rows["Chile"]["Q4"] == "14" and rows["Chile"]["Q2"] == "Skills"
    [change] = report.changes
    assert change.startswith("Chile: ")
    assert "Q4 '12' -> '14'" in change and "Q2 'Skills; Payments' -> 'Skills'" in change
    assert "Q1.follow_up cleared" in change


def test_nothing_written_when_a_file_cannot_be_read(built, tmp_path):
    project = Project.load(built["root"])
    responses = built["root"] / "data" / "responses.csv"
    responses.write_text("economy,Q4\nChile,5\n", encoding="utf-8")
    before = responses.read_bytes()
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    report = collect(project, [_forms(built, tmp_path)[1], broken])
    assert responses.read_bytes() == before and report.written is None
    assert "broken.docx" in str(report.unreadable[0])
    assert report.lines()[-1] == "nothing written: a file could not be read"


def test_collect_command_reports_and_exits_1_on_problems(built, tmp_path):
    (built["root"] / "data" / "responses.csv").unlink(missing_ok=True)
    forms = [str(p) for p in _forms(built, tmp_path)]
    register_commands(cli)
    result = CliRunner().invoke(cli, ["questionnaire", "collect", "-p", str(built["root"]),
                                      *forms])
    assert result.exit_code == 1
    assert "Did you mean 'Chinese Taipei'?" in result.output
    assert "wrote" in result.output and "Japan: added" in result.output


def test_collect_without_definition_says_where_to_name_it(tmp_path):
    root = write_project(tmp_path / "p", PROJECT.replace("    definition: data/form.yaml\n", "")
                         .replace("documents:\n  - id: form\n    type: questionnaire\n",
                                  "documents:\n  - id: form\n    type: document\n"
                                  "    sources: [c.md]\n"), {"c.md": "Hi.\n", **EMPTY})
    with pytest.raises(ApecdocsError, match="no questionnaire definition"):
        collect(Project.load(root), [tmp_path / "x.docx"])


# -- the analysis of every kind ---------------------------------------------------------

REPORT = """\
  - id: stats
    type: questionnaire-report
    title: Statistics
    sources: [content/q/*.md]
"""


def test_statistics_report_shows_every_kind_with_n(built, tmp_path):
    from conftest import html_text

    root = built["root"]
    (root / "data" / "responses.csv").unlink(missing_ok=True)
    collect(Project.load(root), _forms(built, tmp_path)[:3])
    text = (root / "apecdocs.yaml").read_text()
    if "id: stats" not in text:
        (root / "apecdocs.yaml").write_text(text + REPORT)
        for name in ("introduction", "respondents", "conclusions"):
            path = root / "content" / "q" / f"{name}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"{name.title()} text.\n")
    Project.load(root).build(documents=["stats"], formats=["html"], languages=["en"])
    html = html_text(root / "_build" / "en" / "stats.html")
    flat = " ".join(html.split())
    from apecdocs_apec.completion import compute

    project = Project.load(root)
    q = compute(project, project.documents["stats"])[0]["questionnaire"]
    rating = q["by_question"]["Q5"]
    assert rating["mean"] == 4.5 and [d["count"] for d in rating["distribution"]] == [0, 0, 0, 1, 1]
    grid = q["by_question"]["Q6"]["table_rows"]
    assert grid[0]["cells"][0]["mean"] == 1200 and grid[1]["cells"][1]["texts"][0]["text"] == "pilot"
    assert q["by_question"]["Q4"]["mean"] == 7.5  # Peru's 'many' was not stored
    assert "Q5: How useful is APEC work?, ratings from 1 to 5 (n = 2 of 3); mean 4.50" in flat
    assert "Q4: How many programmes? (n = 2 of 3)" in flat
    assert "Q6: Firms reached (n = 1 of 3)" in flat and "1,200 (1)" in flat
    assert "Q1: Is there a strategy? (n = 2 of 3)" in flat
    assert "agency" not in q["by_question"] and "Ministry" not in flat  # respondent details


def test_default_questions_fall_back_to_all_when_no_part_is_numbered(tmp_path):
    from apecdocs_apec.questionnaire_project import analysed_questions

    root = write_project(tmp_path / "p", PROJECT, {
        "data/form.yaml": DEFINITION.replace("  - title: Measures\n",
                                             "  - title: Measures\n    numbered: false\n"),
        **EMPTY})
    assert list(analysed_questions(Project.load(root)))[:2] == ["agency", "Q1"]


def test_check_reports_definition_problems_with_file_and_line(tmp_path):
    bad = DEFINITION.replace("text: Which areas?", "text: Which areas in Vietnam?") \
        .replace("        options: [Portal", "        optoins: [Portal")
    root = write_project(tmp_path / "p", PROJECT, {"data/form.yaml": bad, **EMPTY})
    findings = Project.load(root).check()
    texts = [str(f) for f in findings if f.severity == "error"]
    assert any("form.yaml (line" in t and "unknown key 'optoins'" in t for t in texts), texts
    line = bad.splitlines().index("        text: Which areas in Vietnam?") + 1
    assert any(f"form.yaml (line {line}" in t and "'Vietnam' is not the APEC name" in t
               for t in texts), texts


class MemoSchema:
    """An outside plugin's own file kind, printed by ``apecdocs schema --file``."""

    @staticmethod
    def file_schemas():
        return {"memo": {"title": "memo file", "type": "object"}}


def test_schema_file_kinds_come_from_plugins(tmp_path):
    from apecdocs.plugins import hookimpl, new_manager

    pm = new_manager(None)
    pm.register(type("P", (), {"file_schemas": hookimpl(MemoSchema.file_schemas)}))
    kinds = {k for group in pm.hook.file_schemas() for k in (group or {})}
    assert {"memo", "questionnaire"} <= kinds
    result = CliRunner().invoke(cli, ["schema", "--file", "questionnair"])
    assert result.exit_code == 1
    assert "no schema for files of kind 'questionnair'" in result.output
    assert "Known: agenda, chart, questionnaire." in result.output


def test_every_shipped_catalog_has_every_form_word():
    import polib
    from apecdocs_apec import questionnaire_labels

    catalogs = sorted(questionnaire_labels.LOCALES.glob("*/LC_MESSAGES/questionnaire.po"))
    assert len(catalogs) >= 11
    for path in catalogs:
        entries = {e.msgid: e.msgstr for e in polib.pofile(str(path)) if e.msgstr}
        for word in questionnaire_labels.WORDS:
            assert entries.get(word), (path, word)
            assert all(f"{{{n}}}" in entries[word] for n in ("answer", "question")
                       if f"{{{n}}}" in word), (path, word)


def test_form_in_thai_and_japanese(tmp_path):
    root = write_project(tmp_path / "p", PROJECT.replace("languages: [en, vi]",
                                                         "languages: [th, ja]"),
                         {"data/form.yaml": DEFINITION, **EMPTY})
    Project.load(root).build(formats=["docx"])
    thai = "\n".join(docx_paragraphs(root / "_build" / "th" / "form.docx"))
    assert "คำถาม 1." in thai and "หากตอบ “ไม่ใช่” ให้ข้ามไปที่คำถาม 3" in thai
    japanese = "\n".join(docx_paragraphs(root / "_build" / "ja" / "form.docx"))
    assert "質問 2." in japanese and "その他（具体的に記入）" in japanese


def test_one_answer_is_not_written_as_answers():
    from apecdocs_apec.questionnaire_collect import _changes

    assert _changes("Peru", None, {"economy": "Peru", "Q1": ""}) == "Peru: added (1 answer)"
    assert _changes("Peru", None, {"economy": "Peru", "Q1": "x"}) == "Peru: added (2 answers)"


def test_an_empty_responses_file_is_one_clear_error(tmp_path):
    root = write_project(tmp_path / "p", PROJECT + REPORT, {
        "data/form.yaml": DEFINITION, "data/responses.csv": "",
        **{f"content/q/{n}.md": "Text.\n" for n in ("introduction", "respondents",
                                                    "conclusions")}})
    errors = [f for f in Project.load(root).check() if f.severity == "error"]
    assert [(f.message, f.location.line) for f in errors] == [
        ("the file is empty: it needs a header line", 1)]
    assert "'economy'" in errors[0].hint
