"""Every figure of the completion report against a small hand-made data set, and every
kind of bad data reported with file, row (CSV line, header = 1) and column."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from apecdocs_apec import completion_words, stats
from apecdocs_apec.completion import target_finding
from apecdocs_apec.stats import DataError

from apecdocs import ApecdocsError
from monitoring_data import EVALUATIONS, PARTICIPANTS

QUESTIONNAIRE = """\
economy,question,answer,comment
Australia,Q1,Yes,
Australia,Q2,A; B,
Canada,Q1,No,Not yet
Canada,Q2,B,
Japan,Q1,Yes,
Japan,Q2,,
Japan,Q3,Some text,
"""
QUESTIONS = {"Q1": {"text": "Has a strategy", "kind": "choice", "options": ["Yes", "No"]},
             "Q2": {"text": "Areas", "kind": "multi", "options": ["A", "B", "C"]},
             "Q3": {"text": "Comments", "kind": "text"}}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def figures(tmp_path: Path) -> dict:
    return stats.compute(write(tmp_path, "participants.csv", PARTICIPANTS),
                         write(tmp_path, "evaluations.csv", EVALUATIONS),
                         write(tmp_path, "questionnaire.csv", QUESTIONNAIRE),
                         questions=QUESTIONS, developed=["Australia", "Canada"],
                         workshop_days=2, host="Viet Nam")


def problems(tmp_path: Path, participants: str = PARTICIPANTS, evaluations: str | None = None,
             questionnaire: str | None = None, **kwargs) -> list[stats.Problem]:
    with pytest.raises(DataError) as caught:
        stats.compute(write(tmp_path, "participants.csv", participants),
                      write(tmp_path, "evaluations.csv", evaluations) if evaluations else None,
                      write(tmp_path, "questionnaire.csv", questionnaire) if questionnaire
                      else None, questions=QUESTIONS, **kwargs)
    return caught.value.problems


# -- figures ----------------------------------------------------------------------------

def test_participant_totals_and_shares(figures):
    p = figures["participants"]
    assert (p["total"], p["women"], p["men"]) == (7, 3, 4)
    assert p["women_share"] == pytest.approx(3 / 7)
    assert p["largest_sex_share"] == pytest.approx(4 / 7)
    assert (p["speakers"], p["women_speakers"]) == (3, 1)
    assert p["women_speakers_share"] == pytest.approx(1 / 3)


def test_economies_in_apec_order_with_sex_breakdown(figures):
    p = figures["participants"]
    assert p["economies"] == ["Chile", "Japan", "Viet Nam"]
    assert p["economies_count"] == 3
    assert p["economies_text"] == "Chile; Japan; Viet Nam"
    rows = {r["economy"]: (r["women"], r["men"], r["total"]) for r in p["by_economy"]}
    assert rows == {"Chile": (1, 1, 2), "Japan": (1, 1, 2), "Viet Nam": (1, 2, 3)}
    assert (p["host"]["total"], p["from_other_economies"], p["other_economies_count"]) == (3, 4, 2)


def test_roles_sectors_funding_attendance(figures):
    p = figures["participants"]
    assert p["by_role"]["organiser"]["total"] == 1
    assert p["sector_counts"] == {"government": 3, "business": 2, "academia": 1, "other": 1}
    assert (p["apec_funded"], p["apec_funded_women"], p["apec_funded_speakers"]) == (2, 1, 2)
    assert p["full_attendance"] == 6


def test_evaluation_response_rate_and_items(figures):
    e = figures["evaluation"]
    assert e["returned"] == 4
    assert e["response_rate"] == pytest.approx(4 / 7)
    assert (e["women_returned"], e["men_returned"]) == (3, 1)
    objectives = e["by_item"]["objectives"]
    assert objectives["mean"] == pytest.approx(4.25)
    assert objectives["counts"] == [0, 0, 1, 1, 2]
    assert objectives["agree_share"] == pytest.approx(0.75)
    gender = e["by_item"]["gender"]  # one form left it empty: counted as no answer
    assert (gender["n"], gender["no_answer"], gender["mean"]) == (3, 1, pytest.approx(3.0))
    assert gender["counts"] == [0, 1, 1, 1, 0]
    assert e["highest_item"]["key"] == "experts" and e["highest_item"]["mean"] == 4.75
    assert e["lowest_item"]["key"] == "time" and e["lowest_item"]["mean"] == 2.75
    assert e["overall_mean"] == pytest.approx(109 / 27)
    assert e["overall_mean_women"] == pytest.approx(84 / 21)
    assert e["overall_mean_men"] == pytest.approx(25 / 6)


def test_knowledge_before_and_after(figures):
    k = figures["evaluation"]["knowledge"]
    assert k["before"]["mean"] == pytest.approx(2.75)
    assert k["after"]["mean"] == pytest.approx(3.5)
    assert k["before"]["counts"] == [0, 2, 1, 1, 0]
    assert (k["pairs"], k["increased"], k["same"], k["decreased"]) == (4, 2, 1, 1)
    assert k["increased_share"] == 0.5
    assert k["change_mean"] == pytest.approx(0.75)


def test_free_text_kept_with_economy(figures):
    comments = figures["evaluation"]["comments"]
    assert comments["apply"] == [{"economy": "Chile", "sex": "female", "text": "Use it at home"}]
    assert [c["text"] for c in comments["suggestions"]] == ["Longer sessions"]


def test_questionnaire_counts(figures):
    q = figures["questionnaire"]
    assert q["respondents"] == ["Australia", "Canada", "Japan"]
    assert (q["respondents_count"], q["developed_count"]) == (3, 2)
    assert [(r["economy"], r["answered"]) for r in q["by_economy"]] == [
        ("Australia", 2), ("Canada", 2), ("Japan", 2)]
    q1, q2, q3 = (q["by_question"][k] for k in ("Q1", "Q2", "Q3"))
    assert [(o["answer"], o["count"], o["economies"]) for o in q1["options"]] == [
        ("Yes", 2, ["Australia", "Japan"]), ("No", 1, ["Canada"])]
    assert q1["comments"] == [{"economy": "Canada", "text": "Not yet"}]
    assert q2["answered"] == 2 and q2["no_answer"] == ["Japan"]
    assert [o["count"] for o in q2["options"]] == [1, 2, 0]
    assert (q2["unanimous"], q2["unselected"]) == (["B"], ["C"])
    assert q3["texts"] == [{"economy": "Japan", "text": "Some text"}]


TARGETS = {"participants": {"min": 5, "max": 10}, "economies": {"min": 4},
           "evaluation_response_rate": {"min": 0.75, "label": "Forms returned"},
           "gender_balance": {"max_share": 0.6},
           "questionnaire_developed_economies": {"min": 3, "max": 5}}


def test_targets_met_and_not_met(figures):
    results = {r["key"]: r for r in stats.evaluate_targets(TARGETS, figures)}
    assert list(results) == list(TARGETS)  # the config's order
    assert [(r["min"], r["max"], r["value"], r["met"]) for r in results.values()] == [
        (5, 10, 7, True), (4, None, 3, False), (0.75, None, 4 / 7, False),
        (None, 0.6, 4 / 7, True), (3, 5, 2, False)]
    assert results["evaluation_response_rate"]["parts"] == {"n": 4, "of": 7}
    assert results["evaluation_response_rate"]["label"] == "Forms returned"
    assert results["economies"]["label"] is None  # worded from the catalogs per language


@pytest.mark.parametrize(("lang", "expected", "labels"), [
    ("en", [("5–10", "7", "Met"), ("at least 4", "3", "Not met"),
            ("at least 75%", "57.1% (4 of 7)", "Not met"),
            ("neither sex above 60%", "women 42.9%, men 57.1%", "Met"),
            ("3–5", "2", "Not met")],
     ["Participants attending the workshop", "Economies represented", "Forms returned"]),
    ("es", [("entre 5 y 10", "7", "Cumplida"), ("al menos 4", "3", "No cumplida"),
            ("al menos 75\xa0%", "57,1\xa0% (4 de 7)", "No cumplida"),
            ("ningún sexo por encima del 60\xa0%", "mujeres 42,9\xa0%, hombres 57,1\xa0%",
             "Cumplida"), ("entre 3 y 5", "2", "No cumplida")],
     ["Participantes en el taller", "Economías representadas", "Forms returned"]),
    ("th", [("5 ถึง 10", "7", "บรรลุ"), ("อย่างน้อย 4", "3", "ไม่บรรลุ"),
            ("อย่างน้อย 75%", "57.1% (4 จาก 7)", "ไม่บรรลุ"),
            ("ไม่มีเพศใดเกิน 60%", "หญิง 42.9% ชาย 57.1%", "บรรลุ"),
            ("3 ถึง 5", "2", "ไม่บรรลุ")],
     ["ผู้เข้าร่วมการประชุมเชิงปฏิบัติการ", "เขตเศรษฐกิจที่เข้าร่วม", "Forms returned"]),
])
def test_targets_are_worded_in_the_report_language(figures, lang, expected, labels):
    worded = completion_words.worded(stats.evaluate_targets(TARGETS, figures), lang)
    assert [(r["planned"], r["measured"], r["status"]) for r in worded] == expected
    assert [r["label"] for r in worded[:3]] == labels  # a project's own label stays as written


def test_check_words_targets_in_english_whatever_the_language(figures):
    findings = [target_finding(r) for r in stats.evaluate_targets(TARGETS, figures)]
    assert findings[2] == "target 'Forms returned' (min 75%): 57.1% — not met"
    assert findings[3] == "target 'gender_balance' (max 60%): 57.1% — met"
    assert findings[0] == "target 'participants' (min 5, max 10): 7 — met"


def test_target_on_the_boundary_is_met():
    figures = {"participants": {"largest_sex_share": 0.6, "women_share": 0.4, "men_share": 0.6}}
    [result] = stats.evaluate_targets({"gender_balance": {"max_share": 0.6}}, figures)
    assert result["met"] is True


def test_target_without_its_data_is_an_error(figures):
    del figures["questionnaire"]
    with pytest.raises(stats.TargetError) as caught:
        stats.evaluate_targets({"questionnaire_economies": {"min": 1}}, figures)
    assert caught.value.key == "questionnaire_economies"


def test_pct_never_rounds_a_miss_into_a_hit():
    assert stats.pct(0.6033) == "60.3%"
    assert stats.pct(0.4) == "40%"
    assert completion_words.pct(0.6033, "en") == "60.3%"
    assert completion_words.pct(0.6033, "es") == "60,3\xa0%"
    assert completion_words.pct(0.4, "es") == "40\xa0%"
    assert completion_words.pct(None, "es") == "n. d."


def test_scores_and_money_follow_the_language():
    assert (completion_words.score(4.15, "en"), completion_words.score(4.15, "es")) == (
        "4.15", "4,15")
    assert completion_words.score(4.15, "th") == "4.15"  # Thai writes Arabic digits
    assert completion_words.money(99550, "es") == "99.550 USD"


# -- column mapping ---------------------------------------------------------------------

def test_columns_mapped_from_another_teams_headers(tmp_path, figures):
    header = ("Participant ID,Full name,Member economy,Gender,Organisation,Sector,Role,Days,"
              "Funded,Form returned")
    other = header + "\n" + PARTICIPANTS.split("\n", 1)[1].replace(",female,", ",F,")
    mapping = {"id": "Participant ID", "name": "Full name", "economy": "Member economy",
               "sex": "Gender", "days_attended": "Days", "apec_funded": "Funded",
               "evaluation_returned": "Form returned"}
    mapped = stats.compute(write(tmp_path, "p.csv", other), write(tmp_path, "e.csv", EVALUATIONS),
                           columns={"participants": mapping}, sex_aliases={"F": "female"},
                           workshop_days=2, host="Viet Nam")
    assert mapped["participants"] == figures["participants"]
    assert mapped["evaluation"]["overall_mean"] == figures["evaluation"]["overall_mean"]


def test_errors_name_the_files_own_header(tmp_path):
    text = PARTICIPANTS.replace("economy,", "Member economy,", 1).replace("Chile,female,Ministry A",
                                                                          "Chili,female,Ministry A")
    [problem] = problems(tmp_path, text, columns={"participants": {"economy": "Member economy"}})
    assert (problem.line, problem.column, problem.column_number) == (2, "Member economy", 3)


def test_missing_column_points_at_the_header(tmp_path):
    [problem] = problems(tmp_path, PARTICIPANTS.replace("sector,", "kind,", 1))
    assert problem.line == 1 and "no column 'sector'" in problem.message
    assert "columns:" in problem.hint


# -- bad data ---------------------------------------------------------------------------

def test_unknown_economy_suggests_the_official_name(tmp_path):
    text = PARTICIPANTS.replace("Chi Nguyen,Viet Nam", "Chi Nguyen,Vietnam")
    [problem] = problems(tmp_path, text)
    assert problem.file.name == "participants.csv"
    assert (problem.line, problem.column, problem.column_number) == (4, "economy", 3)
    assert problem.hint == "Write 'Viet Nam'."
    assert str(problem).startswith("participants.csv, row 4, column 'economy'")


def test_sex_outside_allowed_values(tmp_path):
    [problem] = problems(tmp_path, PARTICIPANTS.replace("Ben Soto,Chile,male", "Ben Soto,Chile,M"))
    assert (problem.line, problem.column) == (3, "sex")
    assert "female, male" in problem.hint


def test_score_outside_1_to_5(tmp_path):
    bad = EVALUATIONS.replace("P3,Viet Nam,female,3,4,5,2,4,5,3,",
                              "P3,Viet Nam,female,3,4,5,2,4,5,6,")
    bad = bad.replace("P5,Japan,female,5,4,4,4,5,5,3,4,3", "P5,Japan,female,5,4,4,4,5,5,3,4,4.5")
    found = problems(tmp_path, evaluations=bad)
    assert [(p.file.name, p.line, p.column, p.column_number) for p in found] == [
        ("evaluations.csv", 4, "time", 10), ("evaluations.csv", 5, "knowledge_after", 12)]
    assert "outside 1–5" in found[0].message


def test_duplicate_participant_by_id_and_by_name(tmp_path):
    text = PARTICIPANTS + "P2,Someone Else,Peru,male,X,other,participant,2,no,no\n"
    text += "P9,ana  reyes,Chile,female,X,other,participant,2,no,no\n"
    found = problems(tmp_path, text)
    assert [(p.line, p.column) for p in found] == [(9, "id"), (10, "name")]
    assert "also on row 3" in found[0].message and "also on row 2" in found[1].message


def test_evaluation_from_nobody_on_the_list(tmp_path):
    bad = EVALUATIONS + "P8,Chile,male,4,4,4,4,4,4,4,3,4,,,\n"
    [problem] = problems(tmp_path, evaluations=bad)
    assert (problem.file.name, problem.line) == ("evaluations.csv", 6)
    assert problem.column == "participant"
    assert "not on the participant list" in problem.message


def test_evaluation_disagreeing_with_the_participant_list(tmp_path):
    bad = EVALUATIONS.replace("P2,Chile,male", "P2,Japan,male")
    bad += "P4,Viet Nam,male,4,4,4,4,4,4,4,3,4,,,\n"  # P4 says no form was returned
    found = problems(tmp_path, evaluations=bad)
    assert [(p.file.name, p.line, p.column) for p in found] == [
        ("participants.csv", 5, "evaluation_returned"), ("evaluations.csv", 3, "economy")]


def test_second_form_from_the_same_participant(tmp_path):
    bad = EVALUATIONS + "P1,Chile,female,4,4,4,4,4,4,4,3,4,,,\n"
    [problem] = problems(tmp_path, evaluations=bad)
    assert (problem.line, problem.column) == (6, "participant")


def test_questionnaire_problems(tmp_path):
    bad = QUESTIONNAIRE + "Canada,Q1,Yes,\nKorea,Q4,Yes,\nKorea,Q2,A; D,\nSouth Korea,Q1,Yes,\n"
    found = problems(tmp_path, questionnaire=bad)
    assert [(p.file.name, p.line, p.column) for p in found] == [
        ("questionnaire.csv", 9, "question"), ("questionnaire.csv", 10, "question"),
        ("questionnaire.csv", 11, "answer"), ("questionnaire.csv", 12, "economy")]
    assert found[3].hint == "Write 'Korea'."


def test_every_problem_is_reported_at_once_and_rows_follow_multiline_cells(tmp_path):
    text = PARTICIPANTS.replace("Ministry A", '"Ministry A,\nsecond line"')
    text = text.replace("Dan Tran,Viet Nam,male", "Dan Tran,Viet Nam,unknown")
    text = text.replace("P7,Gia Le,Viet Nam", "P7,Gia Le,Narnia")
    found = problems(tmp_path, text)
    assert [(p.line, p.column) for p in found] == [(6, "sex"), (9, "economy")]
    with pytest.raises(DataError) as caught:
        stats.compute(write(tmp_path, "participants.csv", text))
    assert "(and 1 more problem(s))" in str(caught.value)
    assert caught.value.location.line == 6


def test_empty_yes_no_is_an_error_not_a_silent_no(tmp_path):
    [problem] = problems(tmp_path, PARTICIPANTS.replace("P6,Fumio Ito,Japan,male,Ministry F,"
                                                        "government,speaker,2,yes,no",
                                                        "P6,Fumio Ito,Japan,male,Ministry F,"
                                                        "government,speaker,2,,no"))
    assert (problem.line, problem.column) == (7, "apec_funded")


def test_a_truncated_evaluation_row_is_an_error_not_a_shifted_figure(tmp_path):
    bad = EVALUATIONS.replace("P3,Viet Nam,female,3,4,5,2,4,5,3,2,2,,,Longer sessions",
                              "P3,Viet Nam,female,3,4")
    [problem] = problems(tmp_path, evaluations=bad)
    assert (problem.file.name, problem.line) == ("evaluations.csv", 4)
    assert problem.text.startswith("5 values but 15 columns")


def test_a_broken_participant_row_is_one_problem_not_one_per_form(tmp_path):
    bad = PARTICIPANTS.replace("P2,Ben Soto,Chile,male,Firm B,business,participant,2,no,yes",
                               "P2,Ben Soto,Chile,male")
    found = problems(tmp_path, bad, evaluations=EVALUATIONS)
    assert [(p.file.name, p.line) for p in found] == [("participants.csv", 3)]
    assert found[0].text.startswith("4 values but 10 columns")


def test_an_unbalanced_quote_is_reported_where_it_opens(tmp_path):
    bad = EVALUATIONS.replace("P2,Chile,male,4,5,4,,5,4,3,2,4,,More workshops,",
                              'P2,Chile,male,4,5,4,,5,4,3,2,4,,"More workshops,')
    found = problems(tmp_path, evaluations=bad + 'P9",Chile,male,1,1,1,1,1,1,1,1,1,,,\n')
    assert (found[0].file.name, found[0].line) == ("evaluations.csv", 3)
    assert found[0].text.startswith("a quoted value opened on line 3 runs on to line 6")
    with pytest.raises(ApecdocsError) as never_closed:
        problems(tmp_path, evaluations=bad)
    assert never_closed.value.line == 3 and "never closed" in never_closed.value.hint
