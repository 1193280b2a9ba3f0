"""One questionnaire definition: the form, the report's annex and the analysis read it.

A YAML file (named under ``monitoring.questionnaire.definition`` in apecdocs.yaml)
holds parts, questions with ids and kinds, options, required flags, instructions and
skip rules. It is read with the project's YAML reader and checked against ``SCHEMA``
(printed by ``apecdocs schema --file questionnaire``), so every problem names its line.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apecdocs.errors import ApecdocsError, Location
from apecdocs.loader import InvalidProject, locate, plain, read_yaml, validate
from apecdocs.model import Finding

KINDS = ("single", "multiple", "yes_no", "number", "short_text", "long_text", "rating",
         "table", "economy")
# The kinds of the older inline list under monitoring.questionnaire.questions.
LEGACY_KINDS = {"choice": "single", "multi": "multiple", "text": "long_text"}
CHOICE_KINDS = ("single", "multiple", "yes_no")
TEXT_KINDS = ("short_text", "long_text")
QUESTION_ID = r"^[A-Za-z][A-Za-z0-9_-]*$"

_text = {"type": "string"}
_option = {"anyOf": [_text, {
    "type": "object", "additionalProperties": False, "required": ["text"],
    "properties": {"text": {**_text, "description": "The wording on the form and in the annex."},
                   "short": {**_text, "description": "The name in the responses file and "
                             "the report (default: the text)."}}}]}
_axis = {"type": "array", "minItems": 1, "items": {"anyOf": [_text, {
    "type": "object", "additionalProperties": False, "required": ["text"],
    "properties": {"id": {"type": "string", "pattern": QUESTION_ID}, "text": _text,
                   "kind": {"enum": ["text", "number"],
                            "description": "Columns only: what a cell holds (default text)."}}}]}}
QUESTION_SCHEMA: dict[str, Any] = {
    "type": "object", "additionalProperties": False, "required": ["id", "text"],
    "properties": {
        "id": {"type": "string", "pattern": QUESTION_ID,
               "description": "Q1, Q2...: the column in the responses file."},
        "text": {**_text, "description": "The question as asked."},
        "short": {**_text, "description": "A short wording for the report's tables."},
        "kind": {"enum": list(KINDS), "description": "What the answer is (default single)."},
        "required": {"type": "boolean", "description": "The form must answer it."},
        "instructions": {**_text, "description": "Shown under the question, e.g. "
                         "'Select all that apply'."},
        "options": {"type": "array", "items": _option, "description": "Choices, in order."},
        "other": {"anyOf": [{"type": "boolean"}, _text],
                  "description": "Add 'Other (please specify)' with a text box (or this text)."},
        "max_choices": {"type": "integer", "minimum": 1},
        "follow_up": {"anyOf": [_text, {
            "type": "object", "additionalProperties": False, "required": ["text"],
            "properties": {"text": _text, "when": {**_text, "description":
                                                   "Asked only after this answer (e.g. yes)."}}}],
            "description": "A text box after the answer: 'Please describe briefly'."},
        "skip": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["if", "to"],
            "properties": {"if": {**_text, "description": "The answer (option or yes/no)."},
                           "to": {**_text, "description": "The id of the question to go to."}}},
            "description": "Skip rules: if this answer, go to that question."},
        "scale": {"type": "object", "additionalProperties": False,
                  "properties": {"min": {"type": "integer"}, "max": {"type": "integer"},
                                 "low": {**_text, "description": "Label of the lowest point"},
                                 "high": {**_text, "description": "Label of the highest"}}},
        "unit": {**_text, "description": "Numbers: e.g. 'USD', 'per cent'."},
        "rows": _axis, "columns": _axis,
    },
}
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "apecdocs questionnaire definition",
    "type": "object", "additionalProperties": False, "required": ["parts"],
    "properties": {
        "title": {**_text, "description": "Title on the form (default: the document's)."},
        "introduction": {**_text, "description": "Markdown: why, how long, how answers are used."},
        "return": {**_text, "description": "Markdown: where and by when to return the form."},
        "closing": {**_text, "description": "Markdown after the last question."},
        "parts": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False, "required": ["title", "questions"],
            "properties": {"title": _text,
                           "instructions": {**_text, "description": "Markdown under the title."},
                           "numbered": {"type": "boolean", "description": "Number its questions "
                                        "'Question 1'... (default true)."},
                           "questions": {"type": "array", "minItems": 1,
                                         "items": QUESTION_SCHEMA}}}},
    },
}


@dataclass(frozen=True)
class Option:
    text: str
    short: str
    other: bool = False  # 'Other (please specify)': its text goes to <id>.other


@dataclass(frozen=True)
class Cell:
    id: str
    text: str
    kind: str = "text"


@dataclass
class Question:
    id: str
    text: str
    kind: str = "single"
    short: str = ""
    number: int | None = None  # 'Question 3'; None in an unnumbered part
    required: bool = False
    instructions: str = ""
    options: list[Option] = field(default_factory=list)
    max_choices: int | None = None
    follow_up: str = ""
    follow_up_when: str = ""
    skip: list[tuple[str, str]] = field(default_factory=list)
    scale: tuple[int, int] = (1, 5)
    scale_labels: tuple[str, str] = ("", "")
    unit: str = ""
    rows: list[Cell] = field(default_factory=list)
    columns: list[Cell] = field(default_factory=list)
    line: int | None = None

    @property
    def label(self) -> str:
        """'Q3' in the data, 'Question 3' on the form: the form's numbering when numbered."""
        return f"Question {self.number}" if self.number else self.text

    @property
    def choices(self) -> list[Option]:
        """The options a respondent ticks among (yes/no has its two)."""
        if self.kind == "yes_no":
            return [Option("Yes", "yes"), Option("No", "no")]
        return self.options

    def option(self, answer: str) -> Option | None:
        """The option ``answer`` names (short form or full text, any case)."""
        key = " ".join(answer.split()).lower()
        for option in self.choices:
            if key in (option.short.lower(), option.text.lower()):
                return option
        return None

    def columns_keys(self) -> list[str]:
        """Columns of the responses file for this question, in order."""
        if self.kind == "table":
            return [f"{self.id}.{r.id}.{c.id}" for r in self.rows for c in self.columns]
        keys = [self.id]
        if any(o.other for o in self.options):
            keys.append(f"{self.id}.other")
        if self.follow_up:
            keys.append(f"{self.id}.follow_up")
        return keys

    def analysis(self) -> dict[str, Any]:
        """The question as the statistics read it."""
        return {"id": self.id, "text": self.short or self.text, "kind": self.kind,
                "options": [o.short for o in self.choices], "scale": list(self.scale),
                "rows": [(r.id, r.text) for r in self.rows],
                "columns": [(c.id, c.text, c.kind) for c in self.columns],
                "follow_up": bool(self.follow_up), "required": self.required}


@dataclass
class Part:
    title: str
    instructions: str
    questions: list[Question]


@dataclass
class Questionnaire:
    path: Path
    title: str
    introduction: str
    return_text: str
    closing: str
    parts: list[Part]

    @property
    def questions(self) -> list[Question]:
        return [q for p in self.parts for q in p.questions]

    def question(self, qid: str) -> Question | None:
        return next((q for q in self.questions if q.id == qid), None)

    @property
    def economy(self) -> Question | None:
        """The question that names the responding economy (one row per economy)."""
        return next((q for q in self.questions if q.kind == "economy"), None)

    def columns(self) -> list[str]:
        """The responses file's header: economy, then each question's columns."""
        out = ["economy"]
        for q in self.questions:
            if q.kind != "economy":
                out += q.columns_keys()
        return out


def _slug(text: str, index: int, prefix: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    slug = "_".join(words)[:24].strip("_")
    return slug if slug and slug[0].isalpha() else f"{prefix}{index}"


def _cells(items: list[Any] | None, prefix: str) -> list[Cell]:
    out = []
    for i, item in enumerate(items or [], 1):
        if isinstance(item, str):
            out.append(Cell(_slug(item, i, prefix), item))
        else:
            out.append(Cell(item.get("id") or _slug(item["text"], i, prefix), item["text"],
                            item.get("kind", "text")))
    return out


def _question(spec: dict[str, Any], number: int | None, line: int | None) -> Question:
    options = [Option(o, o) if isinstance(o, str) else Option(o["text"], o.get("short") or
                                                              o["text"])
               for o in spec.get("options") or []]
    other = spec.get("other")
    if other:
        text = other if isinstance(other, str) else "Other (please specify)"
        options.append(Option(text, "Other", other=True))
    follow = spec.get("follow_up") or ""
    scale = spec.get("scale") or {}
    return Question(
        id=spec["id"], text=spec["text"], kind=spec.get("kind", "single"),
        short=spec.get("short", ""), number=number, required=bool(spec.get("required")),
        instructions=spec.get("instructions", ""), options=options,
        max_choices=spec.get("max_choices"),
        follow_up=follow if isinstance(follow, str) else follow["text"],
        follow_up_when="" if isinstance(follow, str) else follow.get("when", ""),
        skip=[(s["if"], s["to"]) for s in spec.get("skip") or []],
        scale=(scale.get("min", 1), scale.get("max", 5)),
        scale_labels=(scale.get("low", ""), scale.get("high", "")), unit=spec.get("unit", ""),
        rows=_cells(spec.get("rows"), "r"), columns=_cells(spec.get("columns"), "c"), line=line)


def load(path: Path) -> Questionnaire:
    """Read and check a definition; raises ``InvalidProject`` listing every problem."""
    tree = read_yaml(path)
    if tree is None:
        raise ApecdocsError("the questionnaire definition is empty", file=path, line=1,
                            hint="Start with 'parts:'; see docs/questionnaire.md.")
    data = plain(tree)
    findings = validate(data, SCHEMA, tree, path)
    if findings:
        raise InvalidProject(findings)
    parts, number = [], 0
    for i, part in enumerate(data["parts"]):
        questions = []
        for j, spec in enumerate(part["questions"]):
            numbered = part.get("numbered", True) and spec.get("kind") != "economy"
            number += 1 if numbered else 0
            where = locate(tree, ("parts", i, "questions", j), Location(path, 1))
            questions.append(_question(spec, number if numbered else None, where.line))
        parts.append(Part(part["title"], part.get("instructions", ""), questions))
    questionnaire = Questionnaire(path, data.get("title", ""), data.get("introduction", ""),
                                  data.get("return", ""), data.get("closing", ""), parts)
    findings = _consistency(questionnaire, tree)
    if findings:
        raise InvalidProject(findings)
    return questionnaire


@functools.lru_cache(maxsize=8)
def _cached(path: Path, stamp: int) -> Questionnaire:
    return load(path)


def load_cached(path: Path) -> Questionnaire:
    """``load``, read again only when the file changes (check and every language ask)."""
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return load(path)  # reports the missing file
    return _cached(path, stamp)


def _consistency(q: Questionnaire, tree: Any) -> list[Finding]:
    """What the schema cannot say: unique ids, options where a kind needs them, skip
    rules that name a later question and an answer the question has."""
    findings: list[Finding] = []
    where: dict[str, tuple[int, int]] = {}
    for i, part in enumerate(q.parts):
        for j, question in enumerate(part.questions):
            where[question.id] = (i, j)

    def add(qid: str, key: str, message: str, hint: str | None = None) -> None:
        i, j = where[qid]
        findings.append(Finding(message, locate(tree, ("parts", i, "questions", j, key),
                                                Location(q.path, 1)), "error", hint,
                                "questionnaire"))

    seen: set[str] = set()
    ids = [x.id for x in q.questions]
    for x in q.questions:
        if x.id in seen:
            add(x.id, "id", f"two questions have the id '{x.id}'", "Give each its own id.")
        seen.add(x.id)
        if x.kind in ("single", "multiple") and not x.options:
            add(x.id, "kind", f"{x.id} is a {x.kind} choice question without options",
                "Add 'options:'.")
        if x.kind == "table" and not (x.rows and x.columns):
            add(x.id, "kind", f"{x.id} is a table without rows and columns",
                "Add 'rows:' and 'columns:'.")
        if x.kind == "rating" and x.scale[1] <= x.scale[0]:
            add(x.id, "scale", f"{x.id}: the scale's max must be above its min")
        for rule_if, rule_to in x.skip:
            if rule_to not in ids:
                close = difflib.get_close_matches(rule_to, ids, n=1)
                add(x.id, "skip", f"{x.id}: skip rule goes to '{rule_to}', which is no question",
                    f"Did you mean '{close[0]}'?" if close else f"Questions: {', '.join(ids)}.")
            elif ids.index(rule_to) <= ids.index(x.id):
                add(x.id, "skip", f"{x.id}: skip rule goes back to {rule_to}",
                    "A skip rule goes to a later question.")
            if x.option(rule_if) is None:
                add(x.id, "skip", f"{x.id}: skip rule's answer '{rule_if}' is not an option",
                    f"Options: {'; '.join(o.short for o in x.choices)}.")
    if sum(x.kind == "economy" for x in q.questions) != 1:
        findings.append(Finding("a questionnaire needs exactly one question of kind 'economy' "
                                "(the responding economy: one row per economy)",
                                Location(q.path, 1), "error", None, "questionnaire"))
    return findings


def from_inline(questions: list[dict[str, Any]], path: Path) -> Questionnaire:
    """The older inline list (monitoring.questionnaire.questions) as a definition."""
    specs = [{**q, "kind": LEGACY_KINDS.get(q.get("kind", "choice"), q.get("kind", "single"))}
             for q in questions]
    parts = [Part("Respondent", "", [Question("economy", "Economy", "economy")]),
             Part("Questions", "", [_question(s, None, None) for s in specs])]
    return Questionnaire(path, "", "", "", "", parts)
