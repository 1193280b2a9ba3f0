"""``apecdocs questionnaire collect``: returned forms into the responses file.

Each form is read (``questionnaire_read``), every answer checked against the definition
(``questionnaire_answers.check``: the analysis applies the same rule), and the responses
file gets one row per economy: a returned form replaces that economy's row, other rows
are kept, and the report says what changed. Nothing is written when a file cannot be
read, or when the responses file itself has problems.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apecdocs.errors import ApecdocsError, relative_to

from . import economies
from . import questionnaire_read as form
from .questionnaire import Questionnaire
from .questionnaire_answers import check, missing_required, question_of
from .questionnaire_data import layout, read_rows
from .questionnaire_project import require, responses_path


@dataclass
class Form:
    file: Path
    economy: str = ""
    answers: dict[str, str] = field(default_factory=dict)  # checked, canonical
    issues: list[form.Issue] = field(default_factory=list)


@dataclass
class CollectReport:
    forms: list[Form] = field(default_factory=list)
    unreadable: list[ApecdocsError] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    written: Path | None = None
    dry_run: bool = False
    shown: str = ""  # the written file as the user names it (relative to the project)

    @property
    def issues(self) -> list[form.Issue]:
        return [i for f in self.forms for i in f.issues]

    @property
    def errors(self) -> list[form.Issue]:
        return [i for i in self.issues if i.severity == "error"]

    def lines(self) -> list[str]:
        """The report as printed: files, then notes and problems, then what changed."""
        out = [f"error: {e}" for e in self.unreadable]
        for f in self.forms:
            count = sum(1 for v in f.answers.values() if v)
            out.append(f"{f.file.name}: {f.economy or 'economy unknown'}, {_answers(count)}")
            out += [f"  {i.severity}: {i}" for i in f.issues]
        out += self.changes
        if self.written:
            out.append(f"wrote {self.shown or self.written}")
        else:
            out.append("nothing written" + (": a file could not be read" if self.unreadable
                                            else " (dry run)" if self.dry_run else ""))
        return out


def _option_texts(definition: Questionnaire) -> dict[str, list[str]]:
    out = {}
    for q in definition.questions:
        if q.kind == "rating":
            out[q.id] = [str(s) for s in range(q.scale[0], q.scale[1] + 1)]
        else:
            out[q.id] = [o.text for o in q.choices]
    return out


def check_form(reading: form.Reading, definition: Questionnaire) -> Form:
    """One form's answers checked: errors keep the answer out, notes say how it was read."""
    raw, issues = form.form_answers(reading, definition, _option_texts(definition))
    result = Form(reading.file, issues=issues)
    for key, text in raw.items():
        question = definition.economy if key == "economy" else question_of(definition, key)
        if question is None:
            continue
        verdict = check(question, key, text)
        if verdict.problem:
            result.issues.append(form.Issue(reading.file, question.id if key != "economy"
                                            else "economy", verdict.problem, "error",
                                            verdict.hint))
        elif key == "economy":
            result.economy = verdict.value
        else:
            result.answers[key] = verdict.value
    if not raw.get("economy", "").strip():
        result.issues.append(form.Issue(reading.file, "economy", "the economy is not chosen",
                                        "error", "Choose the economy on the form, or type it "
                                        "into the responses file by hand."))
    failed = {i.question for i in result.issues if i.severity == "error"}
    for q in missing_required(definition, result.answers):
        if q.id in failed:
            continue  # already reported: the answer is there but wrong
        result.issues.append(form.Issue(reading.file, q.id, "required answer missing",
                                        "warning", "Ask the focal point to complete it."))
    return result


def _newline(path: Path) -> str:
    """The file's own line ending, so a rewrite changes only the rows that changed."""
    try:
        with path.open("rb") as handle:
            return "\r\n" if b"\r\n" in handle.read(65536) else "\n"
    except OSError:
        return "\n"


def _write(path: Path, rows: dict[str, dict[str, str]], definition: Questionnaire,
           long: bool) -> None:
    """The responses file, atomically, economies in APEC order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=_newline(path))
    names = sorted(rows, key=economies.sort_key)
    if long:
        writer.writerow(["economy", "question", "answer", "comment"])
        for name in names:
            for key in definition.columns()[1:]:
                if key.endswith(".follow_up"):
                    continue
                comment = rows[name].get(f"{key}.follow_up", "")
                if rows[name].get(key) or comment:
                    writer.writerow([name, key, rows[name].get(key, ""), comment])
    else:
        columns = definition.columns()
        writer.writerow(columns)
        for name in names:
            writer.writerow([name] + [rows[name].get(k, "") for k in columns[1:]])
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(out.getvalue())
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _answers(count: int) -> str:
    return f"{count} answer" if count == 1 else f"{count} answers"


def _changes(economy: str, old: dict[str, str] | None, new: dict[str, str]) -> str:
    if old is None:
        return f"{economy}: added ({_answers(sum(1 for v in new.values() if v))})"
    diffs = []
    for key in sorted(set(old) | set(new), key=lambda k: list(new).index(k) if k in new else 0):
        before, after = old.get(key, ""), new.get(key, "")
        if before != after:
            diffs.append(f"{key} '{before}' -> '{after}'" if before and after else
                         f"{key} {'added' if after else 'cleared'}")
    return f"{economy}: " + ("; ".join(diffs) if diffs else "unchanged")


def collect_forms(files: list[Path], definition: Questionnaire, responses: Path,
                  langs: list[str], *, dry_run: bool = False) -> CollectReport:
    """Read ``files``, check them, and update ``responses`` (unless ``dry_run``)."""
    report = CollectReport(dry_run=dry_run)
    for path in files:
        try:
            report.forms.append(check_form(form.read(path, langs, form.expected_keys(definition)),
                                           definition))
        except form.UnreadableForm as exc:
            report.unreadable.append(exc)
    if report.unreadable:
        return report
    rows = read_rows(responses, definition) if responses.is_file() else {}
    long = responses.is_file() and layout(responses) == "long"
    seen: dict[str, Path] = {}
    for f in report.forms:
        if not f.economy:
            continue
        if f.economy in seen:
            f.issues.append(form.Issue(f.file, "economy", f"a second form from {f.economy} "
                                       f"(the first is {seen[f.economy].name}); not collected",
                                       "error", "Collect the one the economy confirms."))
            continue
        seen[f.economy] = f.file
        old = rows.get(f.economy)
        new = {k: v for k, v in f.answers.items() if v}
        failed = {i.question for i in f.issues if i.severity == "error"}
        for key, value in (old or {}).items():  # an unreadable answer keeps the old one
            question = question_of(definition, key)
            if question is not None and question.id in failed:
                new[key] = value
        report.changes.append(_changes(f.economy, old, new))
        rows[f.economy] = new
    if not dry_run and seen:
        _write(responses, rows, definition, long)
        report.written = responses
    return report


def collect(project: Any, files: list[str | Path], *, dry_run: bool = False) -> CollectReport:
    """The project's returned forms into its responses file (the Python API of
    ``apecdocs questionnaire collect``)."""
    definition = require(project)
    report = collect_forms([Path(f) for f in files], definition, responses_path(project),
                           project.languages, dry_run=dry_run)
    if report.written:
        report.shown = str(relative_to(report.written, project.root))
    return report
