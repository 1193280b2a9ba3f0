"""The APEC plugin: imprint page, agenda, circulars, economy names, identifier checks."""

from __future__ import annotations

import pytest
from apecdocs_apec.economies import apec_list, find_wrong_names, suggest
from apecdocs_apec.validate import isbn13_problem, publication_number_problem
from click.testing import CliRunner

from apecdocs import BuildFailed, Project
from apecdocs.cli import cli
from conftest import REPO, copy_example, docx_paragraphs, html_text, pdf_text, squash

PUBLICATION = """\
project:
  number: ECSG 02 2018
  title: A Study
  forum: Electronic Commerce Steering Group
  end: 2019-12-31
documents:
  - id: report
    type: publication
    title: A Study of Things
    sources: [content/*.md]
    meta:
      subtitle: With a Subtitle
      date: December 2019
      publication_number: APEC#219-CT-01.12
      isbn: 978-0-306-40615-7
      produced_by:
        name: Producer Agency
        address: ["1 Main Street, Ha Noi, Viet Nam"]
      disclaimer: The views are the authors' own.
"""

IMPRINT_ORDER = [
    "A Study of Things: With a Subtitle",
    "APEC Electronic Commerce Steering Group",
    "December 2019",
    "APEC Project: ECSG 02 2018",
    "Produced by",
    "Producer Agency",
    "1 Main Street, Ha Noi, Viet Nam",
    "For",
    "Asia-Pacific Economic Cooperation Secretariat",
    "35 Heng Mui Keng Terrace",
    "© 2019 APEC Secretariat",
    "APEC#219-CT-01.12",
    "ISBN: 978-0-306-40615-7",
    "The views are the authors\u2019 own.",  # curly, as in the body
]


def _in_order(text: str, lines: list[str]) -> None:
    position = -1
    for line in lines:
        found = text.find(line, position + 1)
        assert found > position, f"{line!r} missing or out of order"
        position = found


@pytest.fixture(scope="module")
def publication(tmp_path_factory):
    from conftest import write_project

    root = write_project(tmp_path_factory.mktemp("pub") / "p", PUBLICATION,
                         {"content/01.md": "# Chapter One\n\nBody text.\n"})
    Project.load(root).build()
    return root


def test_imprint_lines_in_order_in_every_format(publication):
    out = publication / "_build/en"
    _in_order("\n".join(docx_paragraphs(out / "report.docx")), IMPRINT_ORDER)
    _in_order(squash(pdf_text(out / "report.pdf")), [squash(x) for x in IMPRINT_ORDER])
    _in_order(squash(html_text(out / "report.html")), IMPRINT_ORDER)


def test_cover_comes_first_then_imprint_then_contents(publication):
    from pypdf import PdfReader

    pages = [squash(p.extract_text()) for p in PdfReader(str(publication / "_build/en/report.pdf")).pages]
    assert pages[0].startswith("A Study of Things") and "Secretariat" not in pages[0]
    assert "APEC Project: ECSG 02 2018" in pages[1]
    assert pages[2].startswith("Contents")
    assert "1 Chapter One" in pages[3]
    paragraphs = docx_paragraphs(publication / "_build/en/report.docx")
    assert paragraphs.index("A Study of Things") < paragraphs.index("APEC Project: ECSG 02 2018") \
        < paragraphs.index("Contents") < paragraphs.index("1 Chapter One", paragraphs.index("Contents") + 2)


@pytest.mark.parametrize("field,value,words", [
    ("publication_number", "APEC#2019-CT-01.12", "APEC#2YY-CC-TT.N"),
    ("publication_number", "APEC#218-CT-01.12", "2018"),
    ("isbn", "978-0-306-40615-8", "check digit 8, expected 7"),
])
def test_bad_identifiers_fail_the_build_with_file_and_line(project_dir, field, value, words):
    original = {"publication_number": "APEC#219-CT-01.12", "isbn": "978-0-306-40615-7"}[field]
    root = project_dir(PUBLICATION.replace(original, value), {"content/01.md": "# One\n"})
    with pytest.raises(BuildFailed) as err:
        Project.load(root).build(formats=["html"])
    message = str(err.value)
    assert words in message and "apecdocs.yaml" in message
    line = PUBLICATION.splitlines().index(next(x for x in PUBLICATION.splitlines() if field in x)) + 1
    assert f"(line {line}" in message


def test_identifier_rules():
    assert publication_number_problem("to be provided") is None
    assert publication_number_problem("APEC#219-CT-01.12", 2019) is None
    assert "shape" in publication_number_problem("APEC#219-CT-01")
    assert isbn13_problem("978-981-11-6823-1") is None or "check digit" in isbn13_problem("978-981-11-6823-1")
    assert isbn13_problem("9780306406157") is None
    assert "13 digits" in isbn13_problem("12345")


def test_economy_list_is_in_apec_order_with_semicolons():
    assert apec_list(["Viet Nam", "Hong Kong, China", "Chile", "the Philippines"]) == \
        "Chile; Hong Kong, China; the Philippines; Viet Nam"


@pytest.mark.parametrize("text,replacement", [
    ("Vietnam", "Viet Nam"), ("Taiwan", "Chinese Taipei"), ("Hong Kong", "Hong Kong, China"),
    ("South Korea", "Korea"), ("Brunei", "Brunei Darussalam"), ("the USA", "United States"),
    ("U.S.", "United States"), ("APEC member countries", "economy/economies"),
])
def test_wrong_economy_names_are_found(text, replacement):
    hits = find_wrong_names(f"Line one.\nA sentence about {text} here.")
    assert [(h[0], h[3]) for h in hits] == [(2, replacement)]


def test_official_names_are_not_flagged():
    text = "Hong Kong, China; Brunei Darussalam; United States; Viet Nam; Korea; Chinese Taipei"
    assert find_wrong_names(text) == []
    assert suggest("Vietnam") == "Viet Nam" and suggest("Japn") == "Japan"


def test_check_reports_each_wrong_name_with_its_line(project_dir):
    root = project_dir(PUBLICATION, {"content/01.md": "# One\n\nVietnam and\nTaiwan.\n\nSouth Korea\n"})
    result = CliRunner().invoke(cli, ["--project", str(root), "check"])
    assert result.exit_code == 1
    assert "01.md (line 3, column 1): 'Vietnam' is not the APEC name. Write 'Viet Nam'." in result.output
    assert "(line 4, column 1): 'Taiwan'" in result.output
    assert "(line 6, column 1): 'South Korea'" in result.output


def test_example_project_passes_check():
    project = Project.load(REPO)
    errors = [f for f in project.check() if f.severity == "error"]
    assert errors == [], [str(f) for f in errors]


AGENDA = """\
project: {number: ECSG 02 2018, title: T}
data: {agenda: data/agenda.yaml}
documents:
  - {id: agenda, type: agenda, title: Workshop Agenda}
"""

AGENDA_DATA = """\
event: {title: The Workshop, place: "Ha Noi, Viet Nam"}
speakers:
  - {id: a, name: Ms A, economy: Chile, sex: female}
  - {id: b, name: Mr B, economy: Japan, sex: male}
days:
  - date: 2019-09-10
    sessions:
      - {start: "09:00", end: "10:00", title: Opening, speakers: [a]}
      - {start: "10:00", end: "11:30", title: Policies, chair: a, speakers: [b]}
"""


def test_agenda_table_in_every_format(project_dir):
    root = project_dir(AGENDA, {"data/agenda.yaml": AGENDA_DATA})
    Project.load(root).build()
    out = root / "_build/en"
    import docx

    table = docx.Document(str(out / "agenda.docx")).tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["Time", "Session", "Chair and speakers"]
    assert rows[1][0] == "09:00–10:00" and rows[1][1] == "Opening" and rows[1][2] == "Ms A (Chile)"
    assert rows[2][2] == "Chair: Ms A (Chile); Mr B (Japan)"
    pdf = squash(pdf_text(out / "agenda.pdf"))
    assert "09:00–10:00 Opening Ms A (Chile)" in pdf
    html = squash(html_text(out / "agenda.html"))
    assert "10:00–11:30 Policies Chair: Ms A (Chile); Mr B (Japan)" in html


@pytest.mark.parametrize("change,words,line", [
    (("start: \"10:00\", end: \"11:30\"", "start: \"09:30\", end: \"11:30\""), "before the previous", 9),
    (("speakers: [b]", "speakers: [c]"), "speaker 'c' is not defined", 9),
    (("end: \"10:00\", title: Opening", "end: \"08:00\", title: Opening"), "ends (08:00) before", 8),
    (("economy: Japan", "economy: Japn"), "Write 'Japan'", 4),
])
def test_bad_agenda_fails_with_file_line_and_fix(project_dir, change, words, line):
    root = project_dir(AGENDA, {"data/agenda.yaml": AGENDA_DATA.replace(*change)})
    with pytest.raises(BuildFailed) as err:
        Project.load(root).build(formats=["html"])
    message = str(err.value)
    assert words in message and f"agenda.yaml (line {line}" in message


def test_circular_deadline_and_travel_eligible_economies(tmp_path):
    root = tmp_path / "example"
    copy_example(root)
    Project.load(root).build(documents=["circular-nominations"])
    out = root / "_build/en"
    eligible = ("Chile; China; Indonesia; Malaysia; Mexico; Papua New Guinea; Peru; "
                "the Philippines; Russia; Thailand; and Viet Nam")
    for text in (squash("\n".join(docx_paragraphs(out / "circular-nominations.docx"))),
                 squash(pdf_text(out / "circular-nominations.pdf")),
                 squash(html_text(out / "circular-nominations.html"))):
        assert "by 9 August 2019" in text
        assert eligible in text
        assert "ADMINISTRATIVE CIRCULAR No. 1" in text
        assert "2019/SOM3/ECSG/012" in text and "Purpose: Information" in text
