"""The questionnaire responses file, read for the analysis and rewritten by ``collect``.

Two layouts are read: one row per economy with a column per answer (``economy, Q1,
Q1.follow_up, Q3, Q5.other, Q13.row.col``: what ``collect`` writes), and the older one
row per economy and question (``economy, question, answer, comment``). Each answer is
checked by ``questionnaire_answers.check``, the same rule the collector applies.
"""

from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apecdocs.errors import ApecdocsError

from .monitoring_data import Row, Table, read_table
from .questionnaire import Question, Questionnaire, from_inline
from .questionnaire_answers import SEPARATOR, check, question_of

QUESTIONNAIRE_COLUMNS = {"required": ("economy", "question", "answer"), "optional": ("comment",)}


@dataclass
class Answer:
    """One economy's answer to one question, in canonical form."""

    economy: str
    question: str
    answers: list[str]
    comment: str = ""  # the follow-up text (or the long layout's comment)
    line: int = 0
    other: str = ""  # 'Other (please specify)'
    cells: dict[tuple[str, str], str] = field(default_factory=dict)  # tables: (row, col) -> text


def as_definition(questions: dict[str, Any] | Questionnaire, path: Path) -> Questionnaire:
    """A definition from the analysis' questions: a definition, Question objects or the
    older inline dicts (kinds choice, multi, text)."""
    if isinstance(questions, Questionnaire):
        return questions
    if all(isinstance(q, Question) for q in questions.values()):
        definition = from_inline([], path)
        definition.parts[1].questions = list(questions.values())
        return definition
    return from_inline([{"id": k, **v} for k, v in questions.items()], path)


def layout(path: Path) -> str:
    """'long' when the header has a 'question' column, else 'wide'."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            header = next(csv.reader(handle), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return "wide"  # read_table reports the problem
    return "long" if "question" in {h.strip().lower() for h in header} else "wide"


def _cells(path: Path, definition: Questionnaire,
           columns: dict[str, str] | None) -> tuple[Table, list[tuple[Row, str, str, str]]]:
    """``(row, economy cell, column key, text)`` for every non-empty answer."""
    if layout(path) == "long":
        table = read_table(path, QUESTIONNAIRE_COLUMNS["required"],
                           QUESTIONNAIRE_COLUMNS["optional"], columns)
        out = []
        for row in table.rows:
            v = row.values
            out.append((row, v["economy"], v["question"], v["answer"]))
            if v.get("comment"):
                out.append((row, v["economy"], f"{v['question']}.follow_up", v["comment"]))
        return table, out
    keys = [k for k in definition.columns() if k != "economy"]
    table = read_table(path, ("economy",), tuple(keys), columns)
    with path.open(newline="", encoding="utf-8-sig") as handle:
        header = next(csv.reader(handle), [])
    known = {h.lower() for h, _i in table.columns.values()}
    for i, name in enumerate(header, 1):
        if name.strip() and name.strip().lower() not in known:
            close = difflib.get_close_matches(name.strip(), keys, n=1)
            table.problems.append(_problem(table, 1, name, i, f"unknown column '{name}'",
                                           f"Did you mean '{close[0]}'?" if close else
                                           "Columns are question ids from the definition."))
    return table, [(row, row.values["economy"], k, row.values[k]) for row in table.rows
                   for k in keys if row.values.get(k, "").strip()]


def _problem(table: Table, line: int, column: str, number: int | None, message: str,
             hint: str | None) -> Any:
    from .monitoring_data import Problem

    return Problem(table.path, line, column, number, message, hint)


def read_questionnaire(path: Path, questions: dict[str, Any] | Questionnaire,
                       columns: dict[str, str] | None = None) -> tuple[list[Answer], Table]:
    """Every answer of the responses file, checked; problems collected in the table."""
    definition = as_definition(questions, path)
    table, cells = _cells(path, definition, columns)
    long = layout(path) == "long"
    economy_q = definition.economy
    answers: dict[tuple[str, str], Answer] = {}
    seen: dict[tuple[str, str], int] = {}
    bad_economy: set[int] = set()
    wanted = {q.id for q in definition.questions if q.kind != "economy"}
    for row, economy_text, key, text in cells:
        verdict = check(economy_q, "economy", economy_text) if economy_q else None
        if verdict is None or verdict.problem or not verdict.value:
            if row.line not in bad_economy:
                bad_economy.add(row.line)
                table.problem(row, "economy", verdict.problem if verdict and verdict.problem
                              else "economy is empty",
                              (verdict.hint.replace("Did you mean", "Write").replace("?", ".")
                               if verdict and verdict.hint else None))
            continue
        economy = verdict.value
        question = question_of(definition, key)
        if question is None and long and key.endswith(".follow_up"):
            question = definition.question(key.removesuffix(".follow_up"))
        if question is None or question.id not in wanted:
            if long and not key.endswith(".follow_up"):
                close = difflib.get_close_matches(key, sorted(wanted), n=1)
                table.problem(row, "question", f"unknown question '{key}'",
                              (f"Did you mean '{close[0]}'? " if close else "")
                              + f"Questions: {', '.join(q for q in sorted(wanted))}.")
            continue
        if long and key == question.id:
            if (economy, key) in seen:
                table.problem(row, "question", f"{economy} answered {key} twice (also row "
                              f"{seen[(economy, key)]})", "Keep one row per economy and question.")
                continue
            seen[(economy, key)] = row.line
        result = check(question, key, text)
        if result.problem:
            table.problem(row, "answer" if long else key, result.problem, result.hint)
            continue
        answer = answers.setdefault((economy, question.id),
                                    Answer(economy, question.id, [], line=row.line))
        sub = key[len(question.id) + 1:]
        if sub == "other":
            answer.other = result.value
        elif sub == "follow_up":
            answer.comment = result.value
        elif question.kind == "table":
            row_id, _, col_id = sub.partition(".")
            answer.cells[(row_id, col_id)] = result.value
            answer.answers = [f"{len(answer.cells)} cells"]
        elif result.value:
            answer.answers = (result.value.split(SEPARATOR) if question.kind == "multiple"
                              else [result.value])
    return list(answers.values()), table


def read_rows(path: Path, definition: Questionnaire) -> dict[str, dict[str, str]]:
    """The file as ``{economy: {column: text}}`` (both layouts), for ``collect`` to update;
    the file's problems are raised, since a rewrite must not lose a row."""
    from .monitoring_data import raise_problems

    table, cells = _cells(path, definition, None)
    raise_problems(table)
    out: dict[str, dict[str, str]] = {}
    for row, economy_text, key, text in cells:
        if not economy_text.strip():
            raise ApecdocsError("a row has no economy", file=path, line=row.line,
                                hint="Fill in the economy or delete the row.")
        verdict = check(definition.economy, "economy", economy_text) \
            if definition.economy else None
        name = verdict.value if verdict and not verdict.problem else economy_text
        out.setdefault(name, {})[key] = text
    for row in table.rows:  # economies with no answer yet keep their row
        name = row.values.get("economy", "")
        if name:
            verdict = check(definition.economy, "economy", name) if definition.economy else None
            out.setdefault(verdict.value if verdict and not verdict.problem else name, {})
    return out
