"""Where a project keeps its questionnaire: ``monitoring.questionnaire`` in apecdocs.yaml.

``definition`` names the definition file (the form, the annex and the analysis read it);
``questions`` picks the ids the statistics report covers; ``data`` names the responses
file under ``data:``, which ``collect`` writes and the analysis reads.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from apecdocs.errors import ApecdocsError
from apecdocs.model import Finding

from . import questionnaire as qdef


def settings(project: Any) -> dict[str, Any]:
    return (project.config.get("monitoring") or {}).get("questionnaire") or {}


def definition_path(project: Any, document: Any = None) -> Path | None:
    """The definition file: a questionnaire document's own ``meta.definition``, else the
    one under monitoring.questionnaire, else the first questionnaire document's."""
    if document is not None and document.meta.get("definition"):
        return project.resolve(document.meta["definition"])
    name = settings(project).get("definition")
    if name:
        return project.resolve(name, "monitoring", "questionnaire", "definition")
    forms = [d for d in project.documents.values()  # else the (first) form's own
             if d.type == "questionnaire" and d.meta.get("definition")]
    return project.resolve(forms[0].meta["definition"]) if forms else None


def definition(project: Any, document: Any = None) -> qdef.Questionnaire | None:
    path = definition_path(project, document)
    return qdef.load_cached(path) if path else None


def require(project: Any, document: Any = None) -> qdef.Questionnaire:
    found = definition(project, document)
    if found is None:
        raise ApecdocsError("no questionnaire definition", file=project.file,
                            hint="Name it in apecdocs.yaml: monitoring: questionnaire: "
                                 "definition: data/questionnaire-form.yaml.")
    return found


def responses_path(project: Any) -> Path:
    name = settings(project).get("data")
    if not name or name not in set(project.data):  # a Mapping's "in" would read the file
        raise ApecdocsError("no responses file for the questionnaire", file=project.file,
                            line=project.locate("monitoring").line,
                            hint="Add 'questionnaire: data/questionnaire.csv' under data: and "
                                 "'data: questionnaire' under monitoring: questionnaire:.")
    # collect writes this file: the one path check decides, symlinks at every level included
    return project.writable(project.data.path(name), "questionnaire responses file")


def analysed_questions(project: Any) -> dict[str, Any]:
    """The questions of the statistics report: ids picked from the definition (by
    default those of numbered parts: an unnumbered part such as the respondent's agency
    and contact details is not a result to publish), or the older inline list when
    there is no definition."""
    chosen = settings(project).get("questions") or []
    found = definition(project)
    if found is None:
        if any(isinstance(q, str) for q in chosen):
            raise ApecdocsError("monitoring.questionnaire.questions names question ids, but no "
                                "definition is named", file=project.file,
                                line=project.locate("monitoring", "questionnaire").line,
                                hint="Add 'definition: data/questionnaire-form.yaml' beside it.")
        return {q["id"]: q for q in chosen if isinstance(q, dict)}
    if not chosen:
        asked = [q for q in found.questions if q.kind != "economy"]
        return {q.id: q for q in [q for q in asked if q.number is not None] or asked}
    out = {}
    for i, qid in enumerate(chosen):
        question = found.question(qid) if isinstance(qid, str) else None
        if question is None:
            ids = [q.id for q in found.questions]
            close = difflib.get_close_matches(str(qid), ids, n=1)
            raise ApecdocsError(
                f"monitoring.questionnaire.questions names '{qid}', which is not a question "
                f"of {found.path.name}", file=project.file,
                line=project.locate("monitoring", "questionnaire", "questions", i).line,
                hint=f"Did you mean '{close[0]}'?" if close else f"Questions: {', '.join(ids)}.")
        out[qid] = question
    return out


def findings(project: Any) -> list[Finding]:
    """The definition's problems, for ``apecdocs check``."""
    try:
        definition(project)
        analysed_questions(project)
    except ApecdocsError as exc:
        found = getattr(exc, "findings", None)
        if found:
            return list(found)
        return [Finding(exc.message, exc.location, "error", exc.hint, "questionnaire")]
    return []
