"""One answer checked against its question: the collector and the analysis agree.

An answer is the text of one column of the responses file (``Q3``, ``Q3.other``,
``Q13.row.col``). ``check`` returns the answer in canonical form (options by their
short name, joined by '; ') or a problem with a hint, never guesses silently.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from . import economies
from .questionnaire import Question, Questionnaire

SEPARATOR = "; "


@dataclass(frozen=True)
class Verdict:
    value: str  # canonical text ('' for no answer)
    problem: str = ""
    hint: str | None = None


def number(text: str) -> float | None:
    """'1,250', '1 250', '12.5', '40%' as numbers; None when it is not one."""
    cleaned = re.sub(r"(?<=\d)[,\s\u00a0\u202f](?=\d{3}\b)", "", text.strip()).removesuffix("%")
    try:
        return float(cleaned)
    except ValueError:
        return None


def _options(question: Question, raw: str) -> Verdict:
    parts = [p.strip() for p in raw.split(";")] if question.kind == "multiple" else [raw]
    chosen: list[str] = []
    for part in (p for p in parts if p):
        option = question.option(part)
        if option is None:
            names = [o.short for o in question.choices]
            close = difflib.get_close_matches(part, names, n=1, cutoff=0.6)
            return Verdict(raw, f"'{part}' is not an answer option of {question.id}",
                           f"Did you mean '{close[0]}'?" if close else
                           f"Options: {'; '.join(names)}.")
        if option.short not in chosen:
            chosen.append(option.short)
    if question.kind != "multiple" and len(chosen) > 1:
        return Verdict(raw, f"{question.id} takes one answer, not {len(chosen)}",
                       "Keep the one that applies.")
    if question.max_choices and len(chosen) > question.max_choices:
        return Verdict(raw, f"{question.id} takes at most {question.max_choices} answers, "
                       f"not {len(chosen)}", "Keep the ones that matter most.")
    order = [o.short for o in question.choices]
    return Verdict(SEPARATOR.join(sorted(chosen, key=order.index)))


def check(question: Question, key: str, raw: str) -> Verdict:
    """The answer ``raw`` in column ``key`` of ``question``, checked."""
    raw = " ".join(raw.split()) if question.kind != "long_text" else raw.strip()
    if not raw:
        return Verdict("")
    sub = key[len(question.id) + 1:] if key != question.id else ""
    if sub in ("other", "follow_up"):
        return Verdict(raw)
    if question.kind == "table":
        row_id, _, col_id = sub.partition(".")
        column = next((c for c in question.columns if c.id == col_id), None)
        if column is not None and column.kind == "number" and number(raw) is None:
            return Verdict(raw, f"'{raw}' in {question.id} ({row_id}, {col_id}) is not a number",
                           "Write digits only, e.g. 1250 or 12.5.")
        return Verdict(raw)
    if question.kind in ("single", "multiple", "yes_no"):
        return _options(question, raw)
    if question.kind == "number":
        if number(raw) is None:
            return Verdict(raw, f"'{raw}' for {question.id} is not a number",
                           "Write digits only, e.g. 1250 or 12.5" +
                           (f" ({question.unit})." if question.unit else "."))
        return Verdict(raw)
    if question.kind == "rating":
        low, high = question.scale
        value = number(raw)
        if value is None or value != int(value) or not low <= value <= high:
            return Verdict(raw, f"'{raw}' for {question.id} is not a rating from {low} to {high}",
                           f"Write a whole number from {low} to {high}.")
        return Verdict(str(int(value)))
    if question.kind == "economy":
        economy = economies.lookup(raw)
        if economy is None:
            suggestion = economies.suggest(raw)
            return Verdict(raw, f"'{raw}' is not an APEC member economy name",
                           f"Did you mean '{suggestion}'?" if suggestion else
                           "Use the official name, e.g. 'Viet Nam', 'Hong Kong, China'.")
        return Verdict(economy.short)
    return Verdict(raw)


def question_of(definition: Questionnaire, key: str) -> Question | None:
    """The question a column belongs to: ``Q5.other`` -> Q5, ``Q13.r1.c2`` -> Q13."""
    found = definition.question(key)
    if found is not None:
        return found
    base = key.split(".", 1)[0]
    found = definition.question(base)
    if found is not None and key in found.columns_keys():
        return found
    return None


def missing_required(definition: Questionnaire, answers: dict[str, str]) -> list[Question]:
    """Required questions left empty, skipping those a skip rule jumped over."""
    skipped: set[str] = set()
    ids = [q.id for q in definition.questions]
    for q in definition.questions:
        value = answers.get(q.id, "")
        for answer, target in q.skip:
            option = q.option(answer)
            if option and option.short in value.split(SEPARATOR):
                skipped.update(ids[ids.index(q.id) + 1: ids.index(target)])
    out = []
    for q in definition.questions:
        if not q.required or q.kind == "economy" or q.id in skipped:
            continue
        keys = q.columns_keys() if q.kind == "table" else [q.id]  # a follow-up is no answer
        if not any(answers.get(k, "").strip() for k in keys):
            out.append(q)
    return out
