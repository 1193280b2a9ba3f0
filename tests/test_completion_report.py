"""The completion and questionnaire reports built from a small project: the computed
figures read back out of DOCX, PDF and HTML, the charts embedded as SVG in each, and
bad data or missing narrative stopping the build with file and line."""

from __future__ import annotations

import base64
import re
import zipfile
from pathlib import Path

import pytest

from apecdocs import ApecdocsError, Project
from apecdocs.errors import BuildFailed
from conftest import docx_paragraphs, html_text, pdf_text, squash, write_project
from monitoring_data import EVALUATIONS, PARTICIPANTS

SECTIONS = ["summary", "objectives", "outputs", "outcomes", "beneficiaries", "evaluation",
            "gender", "problems", "lessons", "next-steps", "budget"]

YAML = """\
project:
  number: TEST 01 2019
  title: A Test Project
  forum: Electronic Commerce Steering Group
  committee: Committee on Trade and Investment
  proposing_economies: [Viet Nam]
  funding: {apec: 99550, co_funding: 7000, currency: USD}
data:
  participants: data/participants.csv
  evaluations: data/evaluations.csv
  questionnaire: data/questionnaire.csv
monitoring:
  workshop_days: 2
  developed_economies: [Australia, Canada]
  participants: {data: participants}
  evaluations: {data: evaluations}
  questionnaire:
    data: questionnaire
    questions:
      - {id: Q1, text: Has a strategy, kind: choice, options: ["Yes", "No"]}
      - {id: Q2, text: Areas, kind: multi, options: [Alpha, Beta, Gamma]}
  targets:
    participants: {min: 5, max: 10, label: Participants}
    economies: {min: 4, max: 12, label: Economies}
    evaluation_response_rate: {min: 0.5, label: Forms}
    gender_balance: {max_share: 0.6, label: Balance}
documents:
  - id: completion
    type: completion-report
    title: Test Completion Report
    sources: [content/completion/*.md]
  - id: questionnaire
    type: questionnaire-report
    title: Test Questionnaire Report
    sources: [content/questionnaire/*.md]
"""
QUESTIONNAIRE = """\
economy,question,answer,comment
Australia,Q1,Yes,
Australia,Q2,Alpha; Beta,
Canada,Q1,No,Not yet
Canada,Q2,Beta,
"""


def files(**replace: str) -> dict[str, str]:
    out = {f"content/completion/{i:02d}-{name}.md": f"Narrative of {name}.\n"
           for i, name in enumerate(SECTIONS, 1)}
    out["content/completion/01-summary.md"] = (
        "We counted {{ stats.participants.total }} participants from "
        "{{ stats.participants.economies_count }} economies; women "
        "{{ stats.participants.women_share | pct }}; see @tbl-participants.\n")
    out |= {"content/questionnaire/introduction.md": "Questionnaire introduction.\n",
            "content/questionnaire/respondents.md":
                "Answered by {{ stats.questionnaire.respondents_text }}.\n",
            "content/questionnaire/q2.md": "On areas, all chose "
                "{{ stats.questionnaire.by_question.Q2.unanimous | join('; ') }}.\n",
            "content/questionnaire/conclusions.md": "Questionnaire conclusions.\n",
            "data/participants.csv": PARTICIPANTS, "data/evaluations.csv": EVALUATIONS,
            "data/questionnaire.csv": QUESTIONNAIRE}
    out.update(replace)
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    root = write_project(tmp_path_factory.mktemp("completion") / "proj", YAML, files())
    report = Project.load(root).build()
    assert report.ok
    return {p.name: p for p in report.paths()}


TARGET_ROWS = ["Participants 5–10 7 Met", "Economies 4–12 3 Not met",
               "Forms at least 50% 57.1% (4 of 7) Met",
               "Balance neither sex above 60% women 42.9%, men 57.1% Met"]
ECONOMY_ROWS = ["Chile 1 1 2", "Japan 1 1 2", "Viet Nam 1 2 3", "Total 3 4 7"]
SUMMARY = "We counted 7 participants from 3 economies; women 42.9%; see Table"


def _docx_tables(path: Path) -> list[list[list[str]]]:
    import docx

    return [[[c.text for c in row.cells] for row in t.rows] for t in docx.Document(path).tables]


def test_figures_in_docx(built):
    tables = _docx_tables(built["completion.docx"])
    rows = {" ".join(r) for t in tables for r in t}
    assert set(TARGET_ROWS + ECONOMY_ROWS) <= rows
    assert "Experts well prepared 4 0 0 0 1 3 0 4.75 100%" in rows
    assert "Before the workshop 4 0 2 1 1 0 2.75" in rows
    assert "APEC funding USD 99,550" in rows and "Total project value USD 106,550" in rows
    text = squash("\n".join(docx_paragraphs(built["completion.docx"])))
    assert SUMMARY in text
    assert "Use it at home (Chile)" in text  # free text kept, in the annex


def test_figures_in_pdf(built):
    text = squash(pdf_text(built["completion.pdf"]))
    for row in TARGET_ROWS + ECONOMY_ROWS + [SUMMARY, "Experts well prepared 4 0 0 0 1 3 0 4.75"]:
        assert row in text


def test_figures_in_html(built):
    text = squash(html_text(built["completion.html"]))
    for row in TARGET_ROWS + ECONOMY_ROWS + [SUMMARY, "After the workshop 4 0 1 1 1 1 3.50"]:
        assert row in text


def test_narrative_fills_its_own_section(built):
    paragraphs = [squash(p) for p in docx_paragraphs(built["completion.docx"])]
    def last(title: str) -> int:  # the heading in the body, not its contents entry
        return max(i for i, p in enumerate(paragraphs) if p.endswith(title))

    heading = last("Beneficiaries and participants")
    following = last("Participant evaluation results")
    narrative = paragraphs.index("Narrative of beneficiaries.")
    assert heading < narrative < following
    assert narrative < last("Table 3: Participants by economy and sex")


def test_charts_are_svg_in_docx(built):
    with zipfile.ZipFile(built["completion.docx"]) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        document = z.read("word/document.xml").decode()
        svgs = [n for n in media if n.endswith(".svg")]
        assert len(svgs) == 3 and len(media) == 6  # each SVG with its PNG fallback
        assert document.count("svgBlip") == 3
        assert document.count('<a:blip r:embed="') == 3
        assert b"<svg" in z.read(svgs[0])


def test_charts_are_svg_in_html(built):
    html = built["completion.html"].read_text(encoding="utf-8")
    for ident in ("fig-participants", "fig-evaluation", "fig-knowledge"):
        match = re.search(rf'<figure[^>]*id="{ident}".*?src="data:image/svg\+xml;base64,([^"]+)"',
                          html, re.S)
        assert match, ident
        assert b"<svg" in base64.b64decode(match.group(1))
    assert "apecdocs-source" not in html and 'class="narrative"' not in html


def test_charts_are_vector_in_pdf(built):
    from pypdf import PdfReader

    data = built["completion.pdf"].read_bytes()
    assert not re.search(rb"/Subtype\s*/Image", data)  # nothing rasterised
    reader = PdfReader(built["completion.pdf"])
    page = next(p for p in reader.pages if "Figure 1: Participants by economy and sex"
                in (p.extract_text() or "") and "List of Figures" not in p.extract_text())
    def path_operators(page) -> int:
        return len(re.findall(rb"\d [lcm]\n", page.get_contents().get_data()))

    contents = reader.pages[1]  # text only
    assert path_operators(page) > 100 > path_operators(contents)  # bars, axes, drawn labels


def test_questionnaire_report_in_every_format(built):
    docx_rows = [" ".join(r) for t in _docx_tables(built["questionnaire.docx"]) for r in t]
    texts = {"docx": squash("\n".join(docx_paragraphs(built["questionnaire.docx"]) + docx_rows)),
             "pdf": squash(pdf_text(built["questionnaire.pdf"])),
             "html": squash(html_text(built["questionnaire.html"]))}
    for fmt, text in texts.items():
        assert "Answered by Australia; Canada." in text, fmt
        assert "Beta 2 Australia; Canada" in text, fmt
        assert "Gamma 0 —" in text, fmt
        assert "On areas, all chose Beta." in text, fmt
        assert "Not yet (Canada)" in text, fmt
        assert "Monitoring targets" not in text, fmt  # none is about the questionnaire
    with zipfile.ZipFile(built["questionnaire.docx"]) as z:
        assert len([n for n in z.namelist() if n.endswith(".svg")]) == 2
    assert built["questionnaire.html"].read_text().count("data:image/svg+xml") == 2


# -- what stops a build -----------------------------------------------------------------

def test_bad_data_is_located_by_check_and_stops_the_build(tmp_path):
    bad = PARTICIPANTS.replace("Gia Le,Viet Nam", "Gia Le,Vietnam")
    root = write_project(tmp_path / "proj", YAML, files(**{"data/participants.csv": bad}))
    project = Project.load(root)
    errors = [f for f in project.check(["completion"]) if f.code == "monitoring-data"]
    assert len(errors) == 1
    where = errors[0].location
    assert (Path(where.file).name, where.line, where.column) == ("participants.csv", 8, 3)
    assert "column 'economy'" in errors[0].message and errors[0].hint == "Write 'Viet Nam'."
    with pytest.raises(BuildFailed) as caught:
        project.build(formats=["html"], documents=["completion"])
    assert "participants.csv (line 8, column 3): column 'economy'" in str(caught.value)


def test_missing_narrative_section_is_an_error(tmp_path):
    content = files()
    del content["content/completion/11-budget.md"]
    root = write_project(tmp_path / "proj", YAML, content)
    messages = [f.message for f in Project.load(root).check(["completion"])
                if f.severity == "error"]
    assert messages == ["the completion-report 'completion' has no narrative for section 'budget'"]


def test_narrative_file_for_no_section_is_an_error(tmp_path):
    root = write_project(tmp_path / "proj", YAML,
                         files(**{"content/completion/12-appendix.md": "Stray text.\n"}))
    with pytest.raises(BuildFailed) as caught:
        Project.load(root).build(formats=["html"], documents=["completion"])
    assert "'12-appendix.md' fills no section" in str(caught.value)
    assert "budget" in str(caught.value)  # the hint lists the sections


def test_data_name_not_under_data_is_located_in_the_yaml(tmp_path):
    yaml = YAML.replace("participants: {data: participants}", "participants: {data: people}")
    root = write_project(tmp_path / "proj", yaml, files())
    [finding] = [f for f in Project.load(root).check(["completion"]) if f.severity == "error"]
    assert "'people', which is not under data:" in finding.message
    assert finding.location.line == yaml.splitlines().index(
        "  participants: {data: people}") + 1


def test_unknown_target_is_a_schema_error_with_a_suggestion(tmp_path):
    yaml = YAML.replace("    economies: {min: 4", "    economy: {min: 4")
    root = write_project(tmp_path / "proj", yaml, files())
    with pytest.raises(ApecdocsError) as caught:
        Project.load(root)
    assert "unknown key 'economy'" in str(caught.value)
    assert "Did you mean 'economies'?" in str(caught.value)


def test_header_table_lists_economies_in_apec_order():
    from apecdocs_apec.completion_tables import header_table

    text = header_table({"number": "X 01 2024", "proposing_economies": ["Thailand", "Peru"],
                         "co_sponsoring_economies": ["Thailand", "Chile", "Viet Nam",
                                                     "Mexico"]}, {})
    assert "Peru; Thailand" in text
    assert "Chile; Mexico; Thailand; Viet Nam" in text


def test_a_missing_data_file_is_one_error_not_one_per_document(tmp_path):
    content = files()
    del content["data/questionnaire.csv"]
    root = write_project(tmp_path / "p", YAML, content)
    errors = [f for f in Project.load(root).check() if f.severity == "error"]
    assert len(errors) == 1, [str(f) for f in errors]
    assert "data file 'questionnaire' not found" in errors[0].message
    assert errors[0].location.line == YAML.splitlines().index(
        "  questionnaire: data/questionnaire.csv") + 1
