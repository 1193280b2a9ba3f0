"""Data stays data: values from CSV and YAML files are escaped where they land, and a
written output is checked before it replaces the previous one."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from test_completion_report import YAML as COMPLETION_YAML
from test_completion_report import files as completion_files

from apecdocs import BuildFailed, Project
from conftest import MINIMAL, docx_text, html_text, pdf_text
from monitoring_data import EVALUATIONS

NASTY = ["<script>alert(1)</script>", "Ann | Bo", "*not bold*", "# not a heading",
         "[link](x)", "back\\slash", "two\nlines", "- not a list", "1. not numbered",
         "@not-a-citation", "a -- b", "<b>tag</b>"]


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.cells: list[list[str]] = []
        self.in_cell = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "tr":
            self.cells.append([])
        if tag == "td":
            self.cells[-1].append("")
            self.in_cell = True

    def handle_endtag(self, tag):
        if tag == "td":
            self.in_cell = False

    def handle_data(self, data):
        if self.in_cell:
            self.cells[-1][-1] += data


def html_of(path) -> Tags:
    parser = Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def csv_field(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


SOURCE = """\
{% for p in data.people %}
Name: {{ p.name }}.

{{ p.name }}

{% endfor %}

| Name | Organisation |
|------|--------------|
{% for p in data.people -%}
| {{ p.name }} | {{ p.org }} |
{% endfor %}

Listed: {{ data.people | map(attribute="name") | join("; ") }}.

From YAML: {{ data.more.title }}.
"""


@pytest.fixture
def built(project_dir):
    rows = "name,org\n" + "".join(f"{csv_field(v)},{csv_field(v)}\n" for v in NASTY)
    root = project_dir(MINIMAL + "data: {people: data/people.csv, more: data/more.yaml}\n",
                       {"content/01.md": SOURCE, "data/people.csv": rows,
                        "data/more.yaml": 'title: "<script>x()</script> | *y*"\n'})
    Project.load(root).build()
    return root / "_build/en"


def shown(value: str) -> str:
    return " ".join(value.split())


def test_html_has_no_markup_from_data(built):
    parsed = html_of(built / "doc.html")
    assert "script" not in parsed.tags and "b" not in parsed.tags
    assert parsed.tags.count("h1") <= 1  # the title only
    assert not {"h2", "h3", "h4", "h5", "h6", "blockquote", "hr"} & set(parsed.tags)
    assert "em" not in parsed.tags and "cite" not in parsed.tags and "a" not in parsed.tags
    assert "ol" not in parsed.tags and "ul" not in parsed.tags
    text = " ".join(html_text(built / "doc.html").split())
    for value in NASTY:
        assert f"Name: {shown(value)}." in text, value
    assert "From YAML: <script>x()</script> | *y*." in text


def test_table_cells_keep_their_values(built):
    rows = [r for r in html_of(built / "doc.html").cells if r]
    assert [[shown(c) for c in r] for r in rows] == [[shown(v), shown(v)] for v in NASTY]


def test_docx_and_pdf_show_the_values_as_text(built):
    docx = " ".join(docx_text(built / "doc.docx").split())
    pdf = " ".join(pdf_text(built / "doc.pdf").split())
    for value in ("<script>alert(1)</script>", "Ann | Bo", "*not bold*", "[link](x)",
                  "back\\slash", "a -- b"):
        assert f"Name: {value}." in docx, value
        assert value in pdf, value


def test_raw_is_the_opt_in_for_markup(project_dir):
    root = project_dir(MINIMAL + "data: {more: data/more.yaml}\n",
                       {"content/01.md": "{{ data.more.note | raw }} and {{ data.more.note }}\n",
                        "data/more.yaml": "note: '*meant*'\n"})
    Project.load(root).build(formats=["html"])
    html = (root / "_build/en/doc.html").read_text()
    assert "<em>meant</em> and *meant*" in html


AGENDA = """\
project: {number: ECSG 02 2018, title: T}
data: {agenda: data/agenda.yaml}
documents:
  - {id: agenda, type: agenda, title: Workshop Agenda}
"""

AGENDA_DATA = """\
event: {title: "The <i>Workshop</i>", place: "Ha Noi | Viet Nam"}
speakers:
  - {id: a, name: "Ms A | <b>B</b>", economy: Chile, sex: female}
  - {id: b, name: "Mr *C* [x](y)", economy: Japan, sex: male}
days:
  - date: 2019-09-10
    sessions:
      - {start: "09:00", end: "10:00", title: "Opening | <script>s()</script>", speakers: [a]}
      - {start: "10:00", end: "11:30", title: Policies, chair: a, speakers: [b]}
"""


def test_agenda_speakers_with_markup_characters_keep_their_cell(project_dir):
    import docx

    root = project_dir(AGENDA, {"data/agenda.yaml": AGENDA_DATA})
    Project.load(root).build(formats=["docx", "html"])
    table = docx.Document(str(root / "_build/en/agenda.docx")).tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[1][2] == "Ms A | <b>B</b> (Chile)"
    assert rows[2][2] == "Chair: Ms A | <b>B</b> (Chile); Mr *C* [x](y) (Japan)"
    assert rows[1][1] == "Opening / <script>s()</script>"  # the template's own replace
    parsed = html_of(root / "_build/en/agenda.html")
    assert "script" not in parsed.tags and "b" not in parsed.tags and "i" not in parsed.tags


# -- written outputs are checked before they replace the last good ones ----------------

def test_broken_raw_openxml_keeps_the_previous_docx(project_dir):
    root = project_dir()
    Project.load(root).build(formats=["docx"])
    before = (root / "_build/en/doc.docx").read_bytes()
    (root / "content/01.md").write_text("# Hello\n\n```{=openxml}\n<w:p><w:r>\n```\n")
    with pytest.raises(BuildFailed) as err:
        Project.load(root).build(formats=["docx"])
    message = str(err.value)
    assert "DOCX written is broken" in message and "content/01.md" in message
    assert "<w:p><w:r>" in message
    assert (root / "_build/en/doc.docx").read_bytes() == before
    assert not list((root / "_build/en").glob("*.part"))


def test_broken_raw_openxml_in_a_footnote_keeps_the_previous_docx(project_dir):
    # The notes are a part of their own, which the DOCX finishing pass leaves as written:
    # the output check must still read it.
    root = project_dir()
    Project.load(root).build(formats=["docx"])
    before = (root / "_build/en/doc.docx").read_bytes()
    (root / "content/01.md").write_text("# Hello\n\nText.[^n]\n\n[^n]: A note `<w:r>`{=openxml}\n")
    with pytest.raises(BuildFailed) as err:
        Project.load(root).build(formats=["docx"])
    message = str(err.value)
    assert "word/footnotes.xml is not well-formed" in message and "content/01.md" in message
    assert (root / "_build/en/doc.docx").read_bytes() == before


def test_raw_html_that_ends_the_document_keeps_the_previous_html(project_dir):
    root = project_dir()
    Project.load(root).build(formats=["html"])
    before = (root / "_build/en/doc.html").read_bytes()
    (root / "content/01.md").write_text("Text.\n\n```{=html}\n</body></html><p>after\n```\n")
    with pytest.raises(BuildFailed) as err:
        Project.load(root).build(formats=["html"])
    assert "HTML written is broken" in str(err.value) and "content/01.md" in str(err.value)
    assert (root / "_build/en/doc.html").read_bytes() == before


def test_sound_raw_openxml_still_builds(project_dir):
    root = project_dir(files={"content/01.md": "```{=openxml}\n<w:p><w:r><w:t>RAW-OK</w:t>"
                                               "</w:r></w:p>\n```\n"})
    Project.load(root).build(formats=["docx"])
    assert "RAW-OK" in docx_text(root / "_build/en/doc.docx")


def test_free_text_answers_in_the_completion_report_stay_text(project_dir):
    nasty = "<script>alert(1)</script> | *x* [l](y) \\\\ # h"
    evaluations = EVALUATIONS.replace("Use it at home", f'"{nasty}"')
    questionnaire = ("economy,question,answer,comment\nAustralia,Q1,Yes,\"<b>b</b> | c\"\n"
                     "Australia,Q2,Alpha,\nCanada,Q1,No,\nCanada,Q2,Beta,\n")
    root = project_dir(COMPLETION_YAML, completion_files(**{
        "data/evaluations.csv": evaluations, "data/questionnaire.csv": questionnaire}))
    Project.load(root).build(formats=["html"])
    for name, value in (("completion", nasty), ("questionnaire", "<b>b</b> | c")):
        path = root / f"_build/en/{name}.html"
        parsed = html_of(path)
        assert "script" not in parsed.tags and "b" not in parsed.tags
        assert " ".join(value.split()) in " ".join(html_text(path).split()), name


def test_the_agendas_own_markup_survives_in_every_label_form(project_dir):
    """The template's emphasis on 'Chair' is the template's (a label), not data's."""
    root = project_dir(AGENDA + "languages: [en, ja]\n", {"data/agenda.yaml": AGENDA_DATA})
    Project.load(root).build(formats=["html"])
    for lang in ("en", "ja"):
        html = (root / f"_build/{lang}/agenda.html").read_text(encoding="utf-8")
        assert "<em>" in html and "\\*" not in html and "*" not in html_text(
            root / f"_build/{lang}/agenda.html").replace("Mr *C*", ""), lang


def test_check_warns_of_a_broken_raw_openxml_block_at_its_line(project_dir):
    root = project_dir(files={"content/01.md": "# Hello\n\nText.\n\n```{=openxml}\n<w:p><w:r>\n```\n"})
    findings = [f for f in Project.load(root).check() if f.code == "raw"]
    assert len(findings) == 1 and findings[0].severity == "warning"
    assert findings[0].location.file.name == "01.md" and findings[0].location.line == 6
