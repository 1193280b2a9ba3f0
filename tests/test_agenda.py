"""Agendas of real workshops: parallel sessions in rooms, pauses, roles, the schema,
and the list of speakers built from the same data."""

from __future__ import annotations

import json

import docx
import pytest
from click.testing import CliRunner

from apecdocs import BuildFailed, Project
from apecdocs.cli import cli
from conftest import html_text, pdf_text, squash

PROJECT = """\
project: {number: ECSG 02 2018, title: T}
data: {agenda: data/agenda.yaml}
documents:
  - {id: agenda, type: agenda, title: Workshop Agenda}
  - {id: speakers, type: speakers, title: List of Speakers}
"""

DATA = """\
event: {title: The Workshop, place: "Lima, Peru", dates: 3–4 May 2021}
rooms:
  - {id: a, name: Room Amazonas}
  - {id: b, name: Room Bolivar}
speakers:
  - {id: ana, name: Ms Ana, title: Director, organisation: Ministry, economy: Peru, sex: female}
  - {id: ben, name: Mr Ben, economy: Japan, sex: male}
  - {id: cy, name: Ms Cy, economy: Chile, sex: female}
  - {id: dan, name: Mr Dan, economy: Mexico, sex: male}
days:
  - date: 2021-05-03
    sessions:
      - {start: "08:30", end: "09:00", kind: registration}
      - {start: "09:00", end: "10:00", title: "Session 1: Opening", chair: ana, speakers: [ben]}
      - start: "10:00"
        end: "11:30"
        title: Parallel sessions
        parallel:
          - {title: "Session 2A: Payments", room: a, moderator: cy, speakers: [dan], rapporteur: ben}
          - {title: "Session 2B: Skills", room: b, track: Skills, chair: dan, speakers: [ana]}
      - {start: "11:30", end: "12:00", kind: break}
      - {start: "13:00", end: "16:00", kind: site-visit, title: Visit to a port, location: Callao}
"""


def _built(project_dir, data: str = DATA):
    root = project_dir(PROJECT, {"data/agenda.yaml": data})
    Project.load(root).build()
    return root / "_build" / "en"


def test_parallel_sessions_are_sub_rows_with_their_rooms(project_dir):
    out = _built(project_dir)
    rows = [[c.text for c in row.cells] for row in docx.Document(str(out / "agenda.docx")).tables[0].rows]
    assert rows[1][:2] == ["08:30–09:00", "Registration"]
    assert rows[3][:2] == ["10:00–11:30", "Parallel sessions"]
    assert rows[4] == ["Room Amazonas", "Session 2A: Payments",
                       "Moderator: Ms Cy (Chile); Mr Dan (Mexico); Rapporteur: Mr Ben (Japan)"]
    assert rows[5] == ["Room Bolivar · Track: Skills", "Session 2B: Skills",
                       "Chair: Mr Dan (Mexico); Ms Ana (Ministry, Peru)"]
    assert rows[6][:2] == ["11:30–12:00", "Break"]
    assert rows[7][1] == "Visit to a port (Location: Callao)"
    pdf = squash(pdf_text(out / "agenda.pdf"))
    assert "Room Amazonas Session 2A: Payments Moderator: Ms Cy (Chile)" in pdf
    assert "Lima, Peru, 3–4 May 2021" in pdf
    html = squash(html_text(out / "agenda.html"))
    assert "Room Bolivar · Track: Skills Session 2B: Skills Chair: Mr Dan (Mexico)" in html


def test_the_people_cell_names_economies_in_the_agenda_language(project_dir):
    root = project_dir(PROJECT.replace("documents:", "languages: [en, es]\ndocuments:"),
                       {"data/agenda.yaml": DATA})
    Project.load(root).build(documents=["agenda"], languages=["es"], formats=["docx"])
    rows = [[c.text for c in row.cells]
            for row in docx.Document(str(root / "_build/es/agenda.docx")).tables[0].rows]
    assert rows[2][2] == "Presidencia: Ms Ana (Ministry, Perú); Mr Ben (Japón)"
    assert rows[5][2] == "Presidencia: Mr Dan (México); Ms Ana (Ministry, Perú)"


def test_list_of_speakers_from_the_same_data(project_dir):
    out = _built(project_dir)
    rows = [[c.text for c in row.cells]
            for row in docx.Document(str(out / "speakers.docx")).tables[0].rows]
    assert rows[0] == ["Name", "Position", "Economy", "Role in the programme"]
    assert rows[1] == ["Ms Ana", "Director, Ministry", "Peru", "Chair, Session 1; Speaker, Session 2B"]
    assert rows[2] == ["Mr Ben", "", "Japan", "Speaker, Session 1; Rapporteur, Session 2A"]
    assert [r[0] for r in rows[1:]] == ["Ms Ana", "Mr Ben", "Ms Cy", "Mr Dan"]
    assert "Ms Cy Chile Moderator, Session 2A" in squash(pdf_text(out / "speakers.pdf"))
    assert "Mr Dan Mexico Speaker, Session 2A; Chair, Session 2B" in squash(
        html_text(out / "speakers.html"))


def test_the_list_of_speakers_names_economies_in_the_build_language(project_dir):
    """The agenda and the list of speakers read the same data: both say "Perú" in Spanish."""
    root = project_dir(PROJECT.replace("documents:", "languages: [en, es]\ndocuments:"),
                       {"data/agenda.yaml": DATA})
    Project.load(root).build(documents=["speakers"], languages=["es"], formats=["docx"])
    rows = [[c.text for c in row.cells] for row in
            docx.Document(str(root / "_build/es/speakers.docx")).tables[0].rows]
    assert [r[2] for r in rows[1:]] == ["Perú", "Japón", "Chile", "México"]


@pytest.mark.parametrize("change,words,line,hint", [
    (("kind: break}", "kind: brake}"), "'brake' is not allowed", 21, "Did you mean 'break'?"),
    (("title: Visit to a port,", "titel: Visit to a port,"), "unknown key 'titel'", 22,
     "Did you mean 'title'?"),
    (("room: b, track", "room: a, track"), "both in room 'a'", 20, "different rooms"),
    (("room: a, moderator", "room: c, moderator"), "room 'c' is not defined", 19, "Rooms: a, b"),
    (("room: b, track: Skills, ", ""), "has no room or track", 20, "Add room:"),
    (("moderator: cy", "moderator: cyy"), "moderator 'cyy' is not defined", 19,
     "Did you mean 'cy'?"),
    (('start: "10:00"', 'start: "9:00"'), "not a valid value", 15, "quoted in YAML"),
])
def test_agenda_errors_name_line_and_fix(project_dir, change, words, line, hint):
    root = project_dir(PROJECT, {"data/agenda.yaml": DATA.replace(*change)})
    assert DATA.replace(*change) != DATA
    with pytest.raises(BuildFailed) as err:
        Project.load(root).build(formats=["html"], documents=["agenda"])
    message = str(err.value)
    assert words in message and f"agenda.yaml (line {line}" in message and hint in message


def test_overlap_outside_a_parallel_slot_is_still_an_error(project_dir):
    data = DATA.replace('{start: "11:30", end: "12:00", kind: break}',
                        '{start: "11:00", end: "12:00", kind: break}')
    root = project_dir(PROJECT, {"data/agenda.yaml": data})
    findings = [f for f in Project.load(root).check(["agenda"]) if f.severity == "error"]
    assert any("before the previous session ends" in f.message and "parallel:" in (f.hint or "")
               for f in findings)


def test_schema_command_prints_the_agenda_schema(project_dir):
    root = project_dir(PROJECT, {"data/agenda.yaml": DATA})
    result = CliRunner().invoke(cli, ["schema", "--file", "agenda", "-p", str(root)])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    session = schema["properties"]["days"]["items"]["properties"]["sessions"]["items"]
    assert {"parallel", "room", "moderator", "rapporteur", "kind"} <= set(session["properties"])
    markdown = CliRunner().invoke(cli, ["schema", "--file", "agenda", "--markdown", "-p",
                                        str(root)])
    assert "`days[].sessions[].parallel[]`" in markdown.output
    wrong = CliRunner().invoke(cli, ["schema", "--file", "agnda", "-p", str(root)])
    assert wrong.exit_code != 0 and "agenda" in wrong.output


def test_example_agenda_has_parallel_sessions_and_a_list_of_speakers():
    from conftest import REPO

    project = Project.load(REPO)
    assert project.documents["speakers"].type == "speakers"
    errors = [f for f in project.check(["agenda", "speakers"]) if f.severity == "error"]
    assert errors == []


def test_meta_data_names_another_agenda_file(project_dir):
    """Two workshops in one project: each agenda document names its data entry."""
    yaml = PROJECT.replace("data: {agenda: data/agenda.yaml}",
                           "data: {agenda: data/agenda.yaml, second: data/second.yaml}")
    yaml += ("  - {id: agenda-2, type: agenda, title: Second Workshop, meta: {data: second}}\n"
             "  - {id: speakers-2, type: speakers, title: Speakers, meta: {data: second}}\n")
    second = DATA.replace("The Workshop", "The Second Workshop").replace("Ms Ana", "Ms Zoe")
    root = project_dir(yaml, {"data/agenda.yaml": DATA, "data/second.yaml": second})
    Project.load(root).build(formats=["html"])
    out = root / "_build/en"
    assert "The Second Workshop" in html_text(out / "agenda-2.html")
    assert "The Second Workshop" not in html_text(out / "agenda.html")
    assert "Ms Zoe" in html_text(out / "speakers-2.html")
    assert "Ms Zoe" not in html_text(out / "speakers.html")
