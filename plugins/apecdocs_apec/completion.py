"""Completion report and questionnaire statistics report: figures computed, never typed.

``monitoring:`` in apecdocs.yaml names the data files (by their name under ``data:``,
so a changed file rebuilds the report), their column names where they differ from the
standard ones, and the proposal's targets. The type templates hold the APEC section
structure and place computed tables and charts; each section's narrative is one of the
document's sources, named after the section (``summary.md`` or ``01-summary.md`` fills
``::: {.narrative section="summary"}``), so prose stays in content/ and every number
comes from the template context (``stats``, ``targets``, ``tables``, ``charts``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from markupsafe import Markup

from apecdocs import ApecdocsError, DocumentType, Finding, hookimpl
from apecdocs.pandoc_ast import SOURCE_CLASS, walk

from . import completion_tables as present
from . import completion_words, economies, stats
from .monitoring_data import PARTICIPANT_COLUMNS, SECTORS
from .questionnaire_data import QUESTIONNAIRE_COLUMNS
from .questionnaire_project import analysed_questions, definition
from .questionnaire_tables import question_blocks

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates" / "completion"
COMPLETION, QUESTIONNAIRE = "completion-report", "questionnaire-report"
TEMPLATE_FILES = {COMPLETION: TEMPLATES / "completion-report.md",
                  QUESTIONNAIRE: TEMPLATES / "questionnaire-report.md"}
DATASETS = ("participants", "evaluations", "questionnaire")
NEEDS = {COMPLETION: ("participants", "evaluations"), QUESTIONNAIRE: ("questionnaire",)}
NARRATIVE = "narrative"
SLOT = re.compile(r'\{\.narrative section="([\w-]+)"\}')

_text = {"type": "string"}


def _columns(names: tuple[str, ...] | None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "description": "Column headers in the file "
                              "where they differ from the standard names: {standard: header}"}
    if names is None:
        return {**schema, "additionalProperties": _text}
    return {**schema, "additionalProperties": False, "properties": {n: _text for n in names}}


def _dataset(names: tuple[str, ...] | None, **extra: Any) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False, "required": ["data"],
            "properties": {"data": {"type": "string", "description": "Its name under data:"},
                           "columns": _columns(names), **extra}}


_bounds = {"type": "object", "additionalProperties": False,
           "properties": {"min": {"type": "number"}, "max": {"type": "number"},
                          "label": {"type": "string", "description": "Wording in the table"}}}
MONITORING = {
    "type": "object", "additionalProperties": False,
    "description": "Monitoring and evaluation: data files, their columns, the proposal's targets.",
    "properties": {
        "workshop_days": {"type": "integer", "minimum": 1},
        "developed_economies": {"type": "array", "items": _text,
                                "description": "Economies counted as developed for targets"},
        "sex_values": {"type": "object", "additionalProperties": {"enum": ["female", "male"]},
                       "description": "Other spellings of sex in the data, e.g. {F: female}"},
        "sector_values": {"type": "object",
                          "additionalProperties": {"enum": list(SECTORS)},
                          "description": "The data's own sector names mapped to the four the "
                          "completion report counts, e.g. {Private sector: business, NGO: other}"},
        "participants": _dataset(PARTICIPANT_COLUMNS["required"] + PARTICIPANT_COLUMNS["optional"]),
        "evaluations": _dataset(None, items={
            "type": "object", "additionalProperties": _text,
            "description": "Evaluation items, column -> label (default: the standard seven)"}),
        "questionnaire": _dataset(
            QUESTIONNAIRE_COLUMNS["required"] + QUESTIONNAIRE_COLUMNS["optional"],
            definition={"type": "string", "description": "The questionnaire definition (YAML: "
                        "parts, questions, options), read by the form, the annex and the "
                        "analysis; see 'apecdocs schema --file questionnaire'."},
            questions={"type": "array", "description": "The questions the statistics report "
                       "covers: ids from the definition (default: those of numbered "
                       "parts), or, without a definition, the questions themselves.",
                       "items": {"anyOf": [_text, {
                           "type": "object", "additionalProperties": False,
                           "required": ["id", "text"],
                           "properties": {"id": _text, "text": _text,
                                          "kind": {"enum": ["choice", "multi", "text"]},
                                          "options": {"type": "array", "items": _text}}}]}}),
        "targets": {
            "type": "object", "additionalProperties": False,
            "properties": {**{k: _bounds for k in stats.METRICS if k != "gender_balance"},
                           "gender_balance": {
                               "type": "object", "additionalProperties": False,
                               "properties": {"max_share": {"type": "number", "minimum": 0.5,
                                                            "maximum": 1}, "label": _text}}}},
    },
}
REPORT_META = {"type": "object", "additionalProperties": False,
               "properties": {"date": {"type": "string", "description": "e.g. December 2019"},
                              "event": {"type": "string", "description": "The workshop: name, "
                                        "place and dates, for the header table"}}}


@hookimpl
def config_schema() -> dict[str, Any]:
    return {"monitoring": MONITORING}


@hookimpl
def document_types() -> list[DocumentType]:
    defaults = {"toc": True, "toc_depth": 2, "lof": True, "lot": True, "number_sections": True,
                "sections": True, "running_header": True}
    return [
        DocumentType(COMPLETION, "APEC project completion report: figures, targets and charts "
                     "from the monitoring data; one narrative file per section.",
                     template=TEMPLATE_FILES[COMPLETION], schema=REPORT_META,
                     defaults=defaults, styles=HERE / "styles"),
        DocumentType(QUESTIONNAIRE, "Questionnaire statistics report from the questionnaire "
                     "data: respondents, answers counted per question, charts.",
                     template=TEMPLATE_FILES[QUESTIONNAIRE], schema=REPORT_META,
                     defaults=defaults, styles=HERE / "styles"),
    ]


@hookimpl
def jinja_filters() -> dict[str, Any]:
    """``pct`` and ``score``: a report's figures as its language writes numbers."""
    from jinja2 import pass_context  # here: asked only as templates are made (Jinja's loaded)

    return {name: pass_context(f) for name, f in completion_words.FILTERS.items()}


# -- the figures ------------------------------------------------------------------------

def _problems(project: Any, document: Any) -> list[Finding]:
    """Configuration problems that stop the figures being computed, located in the yaml."""
    settings = project.config.get("monitoring")
    if not settings:
        return [Finding(f"a {document.type} needs 'monitoring:' in apecdocs.yaml",
                        document.location, "error", "Name the data files and targets there; "
                        "see the README's completion report example.", "monitoring")]
    out = []
    for kind in NEEDS[document.type]:
        if kind not in settings:
            out.append(Finding(f"a {document.type} needs monitoring.{kind}",
                               project.locate("monitoring"), "error",
                               f"Add '{kind}: {{data: {kind}}}' under monitoring:.", "monitoring"))
    for kind in DATASETS:
        name = (settings.get(kind) or {}).get("data")
        if name and name not in project.data:
            out.append(Finding(f"monitoring.{kind}.data names '{name}', which is not under data:",
                               project.locate("monitoring", kind, "data"), "error",
                               f"Add '{name}: data/{name}.csv' under data:.", "monitoring"))
    for i, name in enumerate(settings.get("developed_economies") or []):
        if not economies.lookup(name):
            suggestion = economies.suggest(name)
            out.append(Finding(f"'{name}' is not an APEC member economy name",
                               project.locate("monitoring", "developed_economies", i), "error",
                               f"Write '{suggestion}'." if suggestion else None, "monitoring"))
    return out


def compute(project: Any, document: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The figures and the target results for ``document`` (raises on bad data)."""
    problems = _problems(project, document)
    if problems:
        first = problems[0]
        raise ApecdocsError(first.message, file=first.location.file, line=first.location.line,
                            hint=first.hint)
    settings = project.config["monitoring"]
    paths = {k: project.data.path(settings[k]["data"]) for k in DATASETS if k in settings}
    if document.type == QUESTIONNAIRE:
        paths = {k: v for k, v in paths.items() if k == "questionnaire"}
    figures = stats.compute(
        paths.get("participants"), paths.get("evaluations"), paths.get("questionnaire"),
        columns={k: (settings.get(k) or {}).get("columns") or {} for k in DATASETS},
        items=(settings.get("evaluations") or {}).get("items"),
        questions=analysed_questions(project), definition=definition(project),
        developed=settings.get("developed_economies") or [],
        sex_aliases=settings.get("sex_values"), workshop_days=settings.get("workshop_days"),
        sector_aliases=settings.get("sector_values"),
        host=(project.meta.get("proposing_economies") or [None])[0])
    targets = {k: v for k, v in (settings.get("targets") or {}).items()
               if document.type == COMPLETION or stats.METRICS[k].needs in figures}
    try:
        results = stats.evaluate_targets(targets, figures)
    except stats.TargetError as exc:
        raise ApecdocsError(str(exc), file=project.file,
                            line=project.locate("monitoring", "targets", exc.key).line,
                            hint="Name its data under monitoring: or remove the target.") from None
    return figures, results


@hookimpl
def template_context(project: Any, document: Any, lang: str) -> dict[str, Any] | None:
    if document.type not in NEEDS:
        return None
    figures, results = compute(project, document)
    results = completion_words.worded(results, lang)
    # The lists of economies as the language writes them ("Australia; Canadá" in Spanish).
    for part, names, key in (("participants", "economies", "economies_text"),
                             ("questionnaire", "respondents", "respondents_text")):
        if part in figures:
            figures[part][key] = completion_words.economy_list(figures[part][names], lang)
    chart = present.chart_maker(project.root, project.cache_path("charts"), lang)
    tables: dict[str, Any] = {"header": present.header_table(project.meta, document.meta,
                                                         lang),
                              # no targets for this report: no empty table either
                              "targets": present.targets_table(results, lang=lang)
                              if results else "",
                              "questionnaire_by_economy": ""}
    charts: dict[str, str] = {}
    if "participants" in figures:
        tables.update(present.participant_tables(figures["participants"], lang))
        tables.update(present.evaluation_tables(figures["evaluation"],
                                                figures["participants"]["total"], lang))
        charts.update(present.completion_charts(figures, chart, lang))
    questions: list[dict[str, Any]] = []
    if "questionnaire" in figures:
        tables.update(present.questionnaire_tables(figures["questionnaire"], lang))
        if document.type == QUESTIONNAIRE:
            questions = question_blocks(figures["questionnaire"], chart, lang)
    figures["targets_met"] = sum(r["met"] for r in results)
    figures["targets_total"] = len(results)
    figures["targets_not_met"] = [r["label"] for r in results if not r["met"]]
    # Tables, charts and lists are Markdown the plugin wrote (their cells escaped): marked
    # as such, they are printed as they are; every other value is escaped as text.
    for q in questions:
        q.update({k: Markup(q[k]) for k in ("table", "chart", "comments_text")})
    return {"stats": figures, "targets": results, "charts": {k: Markup(v) for k, v in charts.items()},
            "tables": {k: Markup(v) for k, v in tables.items()}, "questions": questions}


# -- checks -----------------------------------------------------------------------------

def section_of(path: Path) -> str:
    """``03-beneficiaries.md`` -> ``beneficiaries``."""
    return re.sub(r"^\d+[-_ ]*", "", path.stem)


def slots(document_type: str) -> list[str]:
    """The sections a type's template requires narrative for (optional ones excluded)."""
    return SLOT.findall(TEMPLATE_FILES[document_type].read_text(encoding="utf-8"))


@hookimpl
def check(project: Any, document: Any) -> list[Finding] | None:
    if document is None or document.type not in NEEDS:
        return None
    findings = _problems(project, document)
    have = {section_of(p) for p in document.sources}
    for name in slots(document.type):
        if name not in have:
            findings.append(Finding(
                f"the {document.type} '{document.id}' has no narrative for section '{name}'",
                document.location, "error",
                f"Add content/.../{name}.md to its sources (one file per section).", "narrative"))
    if findings:
        return findings
    try:
        _figures, results = compute(project, document)
    except stats.DataError as exc:
        return [Finding(p.text, p.location, "error", p.hint, "monitoring-data")
                for p in exc.problems]
    except ApecdocsError as exc:
        return [Finding(exc.message, exc.location, "error", exc.hint, "monitoring")]
    return [Finding(target_finding(r), project.locate("monitoring", "targets", r["key"]),
                    "info" if r["met"] else "warning", code="monitoring-target")
            for r in results]


def target_finding(result: dict[str, Any]) -> str:
    """A target's result for the team, in English whatever the report's languages:
    "target 'participants' (min 50, max 70): 61 — met"."""
    show = stats.pct if result["unit"] == "share" else (
        stats.score if result["unit"] == "score" else lambda v: "n/a" if v is None else f"{v:g}")
    bounds = ", ".join(f"{name} {show(result[name])}" for name in ("min", "max")
                       if result[name] is not None)
    name = result["label"] or result["key"]
    return (f"target '{name}' ({bounds}): {show(result['value'])} — "
            f"{'met' if result['met'] else 'not met'}")


# -- narrative into the template's sections ----------------------------------------------

@hookimpl
def transform_ast(ast: dict, project: Any, document: Any, lang: str) -> None:
    """Move each narrative source into its section's slot in the template."""
    if document.type not in NEEDS:
        return
    template = str(TEMPLATE_FILES[document.type])
    narrative: dict[str, list[dict]] = {}
    files: dict[str, str] = {}
    kept = []
    for block in ast["blocks"]:
        attrs = dict(block["c"][0][2]) if block["t"] == "Div" else {}
        if SOURCE_CLASS in (block["c"][0][1] if block["t"] == "Div" else []) and \
                attrs.get("path") != template:
            name = section_of(Path(attrs.get("path", "")))
            narrative.setdefault(name, []).append(block)
            files.setdefault(name, attrs.get("path", ""))
        else:
            kept.append(block)
    used: set[str] = set()

    def fill(node: dict) -> Any:
        if node["t"] == "Div" and NARRATIVE in node["c"][0][1]:
            name = dict(node["c"][0][2]).get("section", "")
            used.add(name)
            return narrative.get(name, [])
        return None

    ast["blocks"] = walk(kept, fill)
    for name in sorted(set(narrative) - used):
        raise ApecdocsError(
            f"'{Path(files[name]).name}' fills no section of the {document.type}",
            file=files[name], hint=f"Name narrative files after a section: "
            f"{', '.join(sorted(used))} (a numeric prefix such as 01- is allowed).")


def _flatten(node: dict) -> Any:
    if node["t"] == "Div" and SOURCE_CLASS in node["c"][0][1]:
        return node["c"][1]
    return None


@hookimpl
def finalize_ast(ast: dict, project: Any, target: Any) -> None:
    """Narrative sources now sit inside sections: unwrap them as the core does top-level ones."""
    if project.documents[target.document].type in NEEDS:
        ast["blocks"] = walk(ast["blocks"], _flatten)


@hookimpl
def pandoc_options(project: Any, target: Any, options: Any) -> None:
    if project.documents[target.document].type in NEEDS and target.format == "html":
        extra = (HERE / "styles" / "apec.css").read_text(encoding="utf-8")
        options.variables["css-inline"] = options.variables.get("css-inline", "") + "\n" + extra
