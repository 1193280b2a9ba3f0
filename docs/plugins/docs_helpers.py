"""The documentation project's own plugin: code listings, hooks and the file reference.

``source("path")`` gives a file of the documentation as it is, for listings that must
not be rendered as templates (the example plugin's Jinja template); it must be inside
``docs/``, and ``build_inputs`` makes a change to an example rebuild the page.
``hooks`` lists the hooks from their specifications. ``schema_reference`` is the
reference generated from the schema of the plugins installed: the same text as
``apecdocs schema --markdown``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markupsafe import Markup

from apecdocs import hookimpl
from apecdocs.schema import data_schemas, project_schema
from apecdocs.schemadoc import data_markdown, schema_markdown


def hook_table() -> list[dict[str, str]]:
    """Every hook, its arguments and the first sentence of its documentation, in the
    order of a build (the order of ``hookspecs.py``)."""
    import inspect

    from apecdocs import hookspecs

    rows = []
    for name, spec in vars(hookspecs).items():
        if not hasattr(spec, "apecdocs_spec"):
            continue
        args = ", ".join(inspect.signature(spec).parameters)
        doc = " ".join((spec.__doc__ or "").split("\n\n")[0].split())
        first = spec.apecdocs_spec.get("firstresult")
        rows.append({"name": name, "args": args, "doc": doc + (" (first result wins)" if first
                                                                else "")})
    return rows


@hookimpl
def build_inputs(project: Any, document: Any, lang: str) -> list[Path]:
    """The example plugin's files, listed on the plugin guide: an edit rebuilds it."""
    if document.id != "plugin-guide":
        return []
    return sorted(p for p in (project.root / "examples").rglob("*") if p.is_file()
                  and "__pycache__" not in p.parts)


@hookimpl
def template_context(project: Any, document: Any, lang: str) -> dict[str, Any]:
    def source(name: str) -> Markup:  # verbatim, for a code block: not escaped as text
        return Markup(project.resolve(name).read_text(encoding="utf-8").rstrip("\n"))

    context: dict[str, Any] = {"source": source, "hooks": hook_table()}
    if document.id == "reference":
        context["schema_reference"] = Markup(schema_markdown(project_schema(project.plugins),
                                                             title=False))
    if document.id == "data-formats":
        context["data_reference"] = {
            name: Markup(data_markdown(name, schema, heading_level=2).split("\n", 1)[1])
            for name, schema in data_schemas(project.plugins).items()}
        context["csv_columns"] = csv_columns()
    return context


def csv_columns() -> dict[str, dict[str, list[str]]]:
    """The columns the APEC plugin reads from each monitoring file, as it declares them,
    so the reference lists exactly what the reader requires and accepts."""
    from apecdocs_apec.monitoring_data import (
        PARTICIPANT_COLUMNS,
        SECTORS,
        STANDARD_ITEMS,
        evaluation_columns,
    )
    from apecdocs_apec.questionnaire_data import QUESTIONNAIRE_COLUMNS

    return {"participants": {k: list(v) for k, v in PARTICIPANT_COLUMNS.items()},
            "evaluations": {k: list(v) for k, v in evaluation_columns(STANDARD_ITEMS).items()},
            "questionnaire": {k: list(v) for k, v in QUESTIONNAIRE_COLUMNS.items()},
            "sectors": ", ".join(f"`{s}`" for s in SECTORS), "items": dict(STANDARD_ITEMS)}
