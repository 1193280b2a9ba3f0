"""A form filled and saved by a real word processor is collected correctly, and the
example's annex and statistics report come from the one definition."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

from apecdocs_apec import questionnaire as qdef
from apecdocs_apec.questionnaire_collect import collect_forms

from apecdocs import Project

REPO = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "questionnaire" / \
    "viet-nam-saved-by-word-processor.docx"


def test_fixture_lost_its_tags():
    with zipfile.ZipFile(FIXTURE) as z:
        xml = z.read("word/document.xml").decode()
    assert "apecdocs:" not in xml and "qf_" in xml  # read through bookmarks only


def test_form_saved_by_a_word_processor_is_collected(tmp_path):
    definition = qdef.load(REPO / "data" / "questionnaire-form.yaml")
    responses = tmp_path / "responses.csv"
    report = collect_forms([FIXTURE], definition, responses, ["en"])
    assert not report.errors and not report.unreadable
    with responses.open(encoding="utf-8", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["economy"] == "Viet Nam"
    assert row["agency"] == "E-Commerce and Digital Economy Agency"
    assert row["Q1"] == "Yes — a set of related plans or documents"
    assert row["Q1.follow_up"] == "E-commerce development plan 2021-2025"
    assert row["Q3"] == ("Electronic transactions law; Data protection or privacy law; "
                         "Real-time retail payments for small businesses")
    assert row["Q4"] == "Update to existing strategy"
    assert row["Q5"] == "MSME digital adoption; Cyber security and online trust; Other"
    assert row["Q5.other"] == "Rural e-commerce"
    assert row["Q6"] == "Within 12 months"
    assert row["Q7"] == ("Information portals and awareness campaigns; "
                         "Training in e-commerce and digital marketing")
    assert row["Q9"] == "yes" and row["Q9.follow_up"].startswith("Published")
    assert row["Q10"] == ("Capacity building for developing economies; Facilitation of "
                          "cross-border e-commerce, including customs and small parcels")
    assert row["Q11"] == "Yes — speaker at the workshop; Yes — interview with the research team"
    assert row["Q2"].startswith("The Ministry of Industry and Trade coordinates")
    assert row["Q8"] == "" and row["position"] == ""
    notes = [str(i) for i in report.issues]
    assert notes == ["viet-nam-saved-by-word-processor.docx, Q2: the answer box of Q2 was "
                     "typed over; read 'The Ministry of Industry and Trade coordinates "
                     "through a ste' from its place",
                     "viet-nam-saved-by-word-processor.docx, Q11: read the mark typed beside "
                     "'Yes — interview with the research team' as a tick"]


def test_example_annex_and_analysis_read_the_definition():
    project = Project.load(REPO)
    definition = qdef.load(REPO / "data" / "questionnaire-form.yaml")
    annex = project.template_context(project.documents["report"], "en")["questionnaire_annex"]
    for q in definition.questions:
        assert q.text in annex
        for option in q.options:
            assert option.text in annex or option.other
    source = (REPO / "content" / "report" / "90-annex-questionnaire.md").read_text()
    assert "{{ questionnaire_annex }}" in source and "Question 5." not in source
    from apecdocs_apec.completion import compute

    figures, _targets = compute(project, project.documents["questionnaire-report"])
    q = figures["questionnaire"]
    assert q["questions_count"] == 6 and q["respondents_count"] == 5
    q4 = {o["answer"]: o["count"] for o in q["by_question"]["Q4"]["options"]}
    assert q4["New legislation in specific areas"] == 3 and q4["No plans"] == 0
    assert q["by_question"]["Q3"]["text"] == definition.question("Q3").short


def test_collect_into_the_older_layout_keeps_it_and_other_rows(tmp_path):
    definition = qdef.load(REPO / "data" / "questionnaire-form.yaml")
    responses = tmp_path / "questionnaire.csv"
    original = (REPO / "data" / "questionnaire.csv").read_bytes()
    responses.write_bytes(original)
    report = collect_forms([FIXTURE], definition, responses, ["en"])
    assert report.changes == ["Viet Nam: added (16 answers)"]
    written = responses.read_bytes()
    kept = [line for line in original.split(b"\r\n") if line and not line.endswith(b"Q12,,")]
    assert written.startswith(b"economy,question,answer,comment\r\n")
    assert all(line in written.split(b"\r\n") for line in kept)
    assert b"Viet Nam,Q5.other,Rural e-commerce,\r\n" in written
    assert b"Viet Nam,Q4,Update to existing strategy,An update of the national plan\r\n" in written
