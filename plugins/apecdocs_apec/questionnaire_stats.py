"""Each questionnaire question's answers counted, by kind: choices counted per option,
ratings as mean and distribution, numbers summarised, tables cell by cell, texts kept.

Every result says how many economies answered it (n) and which respondents did not,
so a percentage is never read against the wrong base.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import economies
from .questionnaire import Question
from .questionnaire_answers import number
from .questionnaire_data import Answer, as_definition


def share(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _choices(q: Question, rows: list[Answer]) -> dict[str, Any]:
    order = [o.short for o in q.choices]
    for answer in (x for a in rows for x in a.answers):
        if answer not in order:
            order.append(answer)
    options = [{"answer": option, "count": len(names), "share": share(len(names), len(rows)),
                "economies": names}
               for option in order for names in [[a.economy for a in rows if option in a.answers]]]
    return {"options": options,
            "unanimous": [o["answer"] for o in options if rows and o["count"] == len(rows)],
            "unselected": [o["answer"] for o in options if not o["count"]],
            "other_texts": [{"economy": a.economy, "text": a.other} for a in rows if a.other]}


def _rating(q: Question, rows: list[Answer]) -> dict[str, Any]:
    values = [int(a.answers[0]) for a in rows]
    low, high = q.scale
    return {"mean": _mean(values), "scale": [low, high],
            "distribution": [{"score": s, "count": values.count(s),
                              "economies": [a.economy for a in rows if a.answers[0] == str(s)]}
                             for s in range(low, high + 1)]}


def _numbers(rows: list[Answer]) -> dict[str, Any]:
    values = [v for a in rows for v in [number(a.answers[0])] if v is not None]
    return {"mean": _mean(values), "min": min(values, default=None),
            "max": max(values, default=None), "total": sum(values),
            "values": [{"economy": a.economy, "value": a.answers[0]} for a in rows]}


def _table(q: Question, rows: list[Answer]) -> dict[str, Any]:
    cells = []
    for row in q.rows:
        line = []
        for col in q.columns:
            texts = [(a.economy, a.cells[(row.id, col.id)]) for a in rows
                     if a.cells.get((row.id, col.id))]
            values = [v for _e, t in texts for v in [number(t)] if v is not None]
            line.append({"row": row.text, "column": col.text, "n": len(texts),
                         "mean": _mean(values) if col.kind == "number" else None,
                         "total": sum(values) if col.kind == "number" else None,
                         "texts": [] if col.kind == "number" else
                         [{"economy": e, "text": t} for e, t in texts]})
        cells.append({"row": row.text, "cells": line})
    return {"rows": [r.text for r in q.rows], "columns": [c.text for c in q.columns],
            "column_kinds": [c.kind for c in q.columns], "table_rows": cells}


def questionnaire_figures(answers: list[Answer], questions: dict[str, Any],
                          developed: list[str] | tuple[str, ...] = ()) -> dict:
    """Respondents, answers per economy, and each question's answers counted."""
    definition = as_definition(questions, Path())
    asked = [q for q in definition.questions if q.kind != "economy"]
    developed_names = {economies.lookup(d).short if economies.lookup(d) else d for d in developed}
    respondents = sorted({a.economy for a in answers if a.answers}, key=economies.sort_key)
    figures: dict[str, Any] = {
        "respondents": respondents, "respondents_count": len(respondents),
        "respondents_text": economies.apec_list(respondents),
        "developed_respondents": [e for e in respondents if e in developed_names],
        "questions_count": len(asked),
    }
    figures["developed_count"] = len(figures["developed_respondents"])
    figures["by_economy"] = [{"economy": e, "developed": e in developed_names,
                              "answered": sum(1 for a in answers if a.economy == e and a.answers),
                              "questions": len(asked)} for e in respondents]
    results = []
    for q in asked:
        rows = sorted((a for a in answers if a.question == q.id and a.answers),
                      key=lambda a: economies.sort_key(a.economy))
        kind = "text" if q.kind in ("short_text", "long_text") else q.kind
        result: dict[str, Any] = {
            "id": q.id, "text": q.short or q.text, "kind": kind, "n": len(rows),
            "answered": len(rows), "respondents": len(respondents),
            "no_answer": [e for e in respondents if e not in {a.economy for a in rows}],
            "comments": [{"economy": a.economy, "text": a.comment} for a in rows if a.comment],
        }
        if kind == "text":
            result["texts"] = [{"economy": a.economy, "text": a.answers[0]} for a in rows]
        elif kind in ("single", "multiple", "yes_no"):
            result.update(_choices(q, rows))
        elif kind == "rating":
            result.update(_rating(q, rows))
        elif kind == "number":
            result.update(_numbers(rows))
        elif kind == "table":
            result.update(_table(q, rows))
        results.append(result)
    figures["question_results"] = results
    figures["by_question"] = {r["id"]: r for r in results}
    return figures
