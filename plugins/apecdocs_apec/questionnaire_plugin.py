"""The questionnaire round through public hooks: the form to send (document type
``questionnaire``), the annex text for reports, the definition's schema and checks, and
``apecdocs questionnaire collect``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markupsafe import Markup

from apecdocs import DocumentType, Finding, hookimpl
from apecdocs.errors import Location

from . import economies, questionnaire_form, questionnaire_labels, questionnaire_project
from . import questionnaire as qdef

HERE = Path(__file__).parent
FORM = "questionnaire"
FORM_META = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "definition": {"type": "string", "description": "The definition file (default: "
                       "monitoring.questionnaire.definition)."},
        "protect": {"type": "boolean", "description": "DOCX: respondents can fill the "
                    "controls only (default true)."},
    },
}


@hookimpl
def file_schemas() -> dict[str, Any]:
    return {"questionnaire": qdef.SCHEMA}


@hookimpl
def document_types() -> list[DocumentType]:
    return [DocumentType(FORM, "The questionnaire to send: a fillable DOCX with content "
                         "controls (protected), and printable PDF and HTML, from the "
                         "questionnaire definition.",
                         template=HERE / "templates" / "questionnaire.md", schema=FORM_META,
                         styles=HERE / "styles", needs_sources=False,
                         defaults={"toc": False, "number_sections": False})]


@hookimpl
def template_context(project: Any, document: Any, lang: str) -> dict[str, Any] | None:
    """The form for a questionnaire document; ``questionnaire_annex`` for any other
    document that wants the questions (a report's annex)."""
    questionnaire_labels.register()
    definition = questionnaire_project.definition(
        project, document if document.type == FORM else None)
    if definition is None:
        return None
    # The form is Markdown this plugin wrote: marked as such, it is printed as Markdown.
    if document.type == FORM:
        return {"questionnaire_form": Markup(questionnaire_form.markdown(
                    definition, lang, form=True, level=2)),
                "questionnaire": definition}
    return {"questionnaire_annex": Markup(questionnaire_form.markdown(
                definition, lang, form=False, level=2)),
            "questionnaire": definition}


@hookimpl
def build_inputs(project: Any, document: Any, lang: str) -> list[Path] | None:
    path = questionnaire_project.definition_path(
        project, document if document.type == FORM else None)
    return [path] if path else None


@hookimpl
def check(project: Any, document: Any) -> list[Finding] | None:
    if document is None:
        findings = questionnaire_project.findings(project)
        path = questionnaire_project.definition_path(project)
        if path is not None and path.is_file():  # its text is published: the annex, the form
            text = path.read_text(encoding="utf-8", errors="replace")
            findings += [Finding(f"'{found}' is not the APEC name", Location(path, line, column),
                                 "error", f"Write '{replacement}'.", "apec-economy")
                         for line, column, found, replacement in economies.find_wrong_names(text)]
        return findings
    if document.type == FORM and questionnaire_project.definition_path(project, document) is None:
        return [Finding("a questionnaire document needs a definition", document.location,
                        "error", "Add 'definition: data/questionnaire-form.yaml' under "
                        "monitoring: questionnaire: (or the document's meta).", "questionnaire")]
    return None


@hookimpl
def finalize_ast(ast: dict, project: Any, target: Any) -> None:
    document = project.documents[target.document]
    if document.type == FORM and target.format == "docx":
        from .questionnaire_docx import add_controls  # here: its XML escaping loads urllib

        add_controls(ast, questionnaire_project.require(project, document), target.lang)


@hookimpl
def pandoc_options(project: Any, target: Any, options: Any) -> None:
    document = project.documents[target.document]
    if document.type != FORM:
        return
    if target.format == "docx" and document.meta.get("protect", True):
        options.docx.protection = "forms"
    if target.format == "html":
        extra = (HERE / "styles" / "apec.css").read_text(encoding="utf-8")
        options.variables["css-inline"] = options.variables.get("css-inline", "") + "\n" + extra


@hookimpl
def register_commands(cli: Any) -> None:
    from .questionnaire_cli import questionnaire

    cli.add_command(questionnaire)


