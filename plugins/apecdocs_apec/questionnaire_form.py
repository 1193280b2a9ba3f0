"""The questionnaire as Markdown: the printable form and the report's annex, both from
the definition, so neither can disagree with the other or with the analysis.

The form marks where answers go with Divs (``.qf-options``, ``.qf-answer``,
``.qf-table``) holding a printable stand-in (boxes, lines); the DOCX step
(``questionnaire_docx``) turns those into Word content controls.
"""

from __future__ import annotations

import string
from typing import Any

from apecdocs.labels import label

from .questionnaire import Question, Questionnaire

BOX = "☐"
# Whole sentences, so each language can order its words (labels are translated whole).
SKIP = "If “{answer}”, go to {question}."
IF_ANSWER = "If “{answer}”:"
LINE = "\\_" * 40


def _attr(text: str) -> str:
    return text.replace("\\", "").replace('"', "'")


def _letters(n: int) -> str:
    return string.ascii_lowercase[n] if n < 26 else f"{n + 1}"


def _shown(q: Question, option: Any, lang: str, fallback: str = "") -> str:
    """An option as the form prints it (yes/no in the form's language)."""
    if option is None:
        return fallback
    return label(option.text, lang) if q.kind == "yes_no" or option.other else option.text


def _table(q: Question, lang: str) -> list[str]:
    header = "| " + " | ".join([" "] + [c.text.replace("|", "/") for c in q.columns]) + " |"
    rule = "|" + "|".join(["-" * 16] + ["-" * 12 for _ in q.columns]) + "|"
    rows = ["| " + " | ".join([r.text.replace("|", "/")] + [" " for _ in q.columns]) + " |"
            for r in q.rows]
    return [header, rule, *rows]


def _question(q: Question, lang: str, form: bool, numbers: dict[str, str]) -> list[str]:
    out: list[str] = []
    title = f"**{label('Question', lang)} {q.number}.** {q.text}" if q.number else f"**{q.text}**"
    if form and q.required:
        title += f" *({label('required', lang)})*"
    out += [title, ""]
    if q.instructions:
        out += [f"*{q.instructions}*", ""]
    if q.kind in ("single", "multiple"):
        if form:
            out += [f'::: {{.qf-options question="{q.id}"}}']
            for i, option in enumerate(q.options):
                text = label(option.text, lang) if option.other else option.text
                out += [f"{BOX} {_letters(i)}. {text}", ""]
            out += [":::", ""]
            if any(o.other for o in q.options):
                out += [f"{label('Please specify:', lang)}", "",
                        f'::: {{.qf-answer question="{q.id}" key="{q.id}.other" kind="short_text"}}',
                        LINE, ":::", ""]
        else:
            for i, option in enumerate(q.options):
                text = label(option.text, lang) if option.other else option.text
                out.append(f"{_letters(i)}. {text}")
            out.append("")
    elif q.kind == "yes_no":
        boxes = f"{BOX} {label('Yes', lang)}    {BOX} {label('No', lang)}"
        out += ([f'::: {{.qf-options question="{q.id}"}}', boxes, ":::", ""] if form
                else [f"{label('Yes', lang)} / {label('No', lang)}", ""])
    elif q.kind == "rating":
        low, high = q.scale
        points = "    ".join(f"{BOX} {s}" if form else str(s) for s in range(low, high + 1))
        out += ([f'::: {{.qf-options question="{q.id}"}}', points, ":::", ""] if form
                else [points, ""])
        if any(q.scale_labels):
            out += [f"*{low} = {q.scale_labels[0]}; {high} = {q.scale_labels[1]}*", ""]
    elif q.kind == "table":
        out += ([f'::: {{.qf-table question="{q.id}"}}'] if form else []) + _table(q, lang) + [""]
        out += [":::", ""] if form else []
    elif form:
        kind = q.kind
        stand_in = "\n\n".join([LINE] * (4 if kind == "long_text" else 1))
        if kind == "number" and q.unit:
            stand_in = f"{LINE[:40]} {q.unit}"
        out += [f'::: {{.qf-answer question="{q.id}" key="{q.id}" kind="{kind}"}}', stand_in,
                ":::", ""]
    if q.follow_up:
        when = q.option(q.follow_up_when) if q.follow_up_when else None
        prefix = label(IF_ANSWER, lang).format(answer=_shown(q, when, lang)) + " " if when else ""
        out += [f"{prefix}{q.follow_up}", ""]
        if form:
            out += [f'::: {{.qf-answer question="{q.id}" key="{q.id}.follow_up" kind="long_text"}}',
                    LINE, "", LINE, ":::", ""]
    for answer, target in q.skip:
        rule = label(SKIP, lang).format(answer=_shown(q, q.option(answer), lang, answer),
                                        question=numbers.get(target, target))
        out += [f"*{rule}*", ""]
    return out


def markdown(definition: Questionnaire, lang: str, *, form: bool, level: int = 1,
             intro: bool = True) -> str:
    """The questionnaire in Markdown; ``form`` adds answer places, otherwise the annex's
    text (questions and options only). Headings start at ``level``."""
    numbers = {q.id: f"{label('Question', lang)} {q.number}" for q in definition.questions
               if q.number}
    hashes = "#" * level
    unnumbered = " {.unnumbered}" if form else ""
    out: list[str] = []
    if intro and definition.introduction:
        out += [f"{hashes} {label('Introduction to respondents', lang)}{unnumbered}", "",
                definition.introduction.strip(), ""]
        if definition.return_text:
            out += [definition.return_text.strip(), ""]
    for i, part in enumerate(definition.parts, 1):
        out += [f"{hashes} {label('Part', lang)} {i}: {part.title}{unnumbered}", ""]
        if part.instructions:
            out += [part.instructions.strip(), ""]
        for q in part.questions:
            if q.kind == "economy":
                if not form:
                    out += [f"{q.text}:", ""]
                    continue
                out += [f"**{q.text}** *({label('required', lang)})*", ""]
                if form:
                    out += [f'::: {{.qf-answer question="{q.id}" key="economy" kind="economy"}}',
                            LINE, ":::", ""]
                continue
            if not form and q.kind in ("short_text",) and not q.number:
                out += [f"{q.text}:", ""]
                continue
            out += _question(q, lang, form, numbers)
    if definition.closing:
        out += [definition.closing.strip(), ""]
    return "\n".join(out)
