"""Briefing notes for APEC meetings: a complete apecdocs plugin, one hook of each kind.

In ``apecdocs.yaml``::

    briefing: {classification: Restricted}      # optional; default Public
    documents:
      - id: som-brief
        type: briefing-note
        sources: [content/brief.md]
        meta:
          to: [Senior Official, Deputy]
          from: Project overseer
          date: 2021-05-03
          subject: SCSC 01 2021 at SOM2
          draft: true
          action: Note the results and endorse the report.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from apecdocs import ApecdocsError, DocumentType, Finding, hookimpl
from apecdocs.pandoc_ast import div, para, raw_block

HERE = Path(__file__).parent
TYPE = "briefing-note"
CLASSIFICATIONS = ["Public", "Restricted"]

META = {  # the JSON schema of a note's meta: the loader, `check` and editors all use it
    "type": "object", "additionalProperties": False,
    "required": ["to", "from", "subject"],
    "properties": {
        "to": {"type": "array", "items": {"type": "string"}, "minItems": 1,
               "description": "Who the note is for"},
        "from": {"type": "string", "description": "Who wrote it"},
        "date": {"type": "string", "format": "date"},
        "subject": {"type": "string", "description": "One line; at most 80 characters"},
        "draft": {"type": "boolean", "description": "Mark every page DRAFT"},
        "action": {"type": "string", "description": "What the reader is asked to do"},
    },
}


@hookimpl
def config_schema() -> dict[str, Any]:
    """Declare every top-level key the plugin reads: unknown keys are errors."""
    return {"briefing": {
        "type": "object", "additionalProperties": False,
        "description": "Briefing notes: settings for every note of the project.",
        "properties": {"classification": {"enum": CLASSIFICATIONS}},
    }}


@hookimpl
def document_types() -> list[DocumentType]:
    return [DocumentType(TYPE, "A briefing note for a meeting: header, text, action requested.",
                         template=HERE / "closing.md", schema=META,
                         defaults={"toc": False, "number_sections": False})]


def join_names(names: list[str]) -> str:
    """['A', 'B', 'C'] -> 'A, B and C'."""
    return f"{', '.join(names[:-1])} and {names[-1]}" if len(names) > 1 else "".join(names)


@hookimpl
def jinja_filters() -> dict[str, Any]:
    return {"join_names": join_names}


@hookimpl
def template_context(project: Any, document: Any, lang: str) -> dict[str, Any] | None:
    if document.type != TYPE:
        return None
    return {"classification": project.config.get("briefing", {}).get("classification", "Public")}


@hookimpl
def check(project: Any, document: Any) -> list[Finding] | None:
    """Problems a reviewer would raise, each with the file and line of the key."""
    if document is None or document.type != TYPE:
        return None
    findings = []
    subject = document.meta["subject"]
    if len(subject) > 80:
        findings.append(Finding(f"the subject has {len(subject)} characters", document.where(
            "subject"), "warning", "Keep it to one line of at most 80 characters.", "briefing"))
    date = document.meta.get("date")
    if isinstance(date, dt.date) and date.weekday() >= 5:
        findings.append(Finding(f"the note is dated on a {date:%A}", document.where("date"),
                                "warning", "Meetings and notes are dated on working days.",
                                "briefing"))
    return findings


@hookimpl
def transform_ast(ast: dict, project: Any, document: Any, lang: str) -> None:
    """The header block goes before the sources, once for every format."""
    if document.type != TYPE:
        return
    meta = document.meta
    lines = [f"To: {', '.join(meta['to'])}", f"From: {meta['from']}",
             f"Subject: {meta['subject']}"]
    if meta.get("date"):
        date = meta["date"]
        if isinstance(date, str):
            date = dt.date.fromisoformat(date)
        lines.insert(2, f"Date: {date.day} {date:%B %Y}")
    blocks = [para(line) for line in lines]
    if meta.get("draft"):
        blocks.insert(0, para("DRAFT"))
    ast["blocks"][0:0] = [div(blocks, identifier="briefing-header", classes=["briefing-header"])]


@hookimpl
def finalize_ast(ast: dict, project: Any, target: Any) -> None:
    """What differs by format: the classification banner is raw markup for each writer."""
    document = project.documents[target.document]
    if document.type != TYPE:
        return
    level = project.config.get("briefing", {}).get("classification", "Public")
    if level == "Public":
        return
    banner = {
        "html": raw_block("html", f'<p class="classification">{level.upper()}</p>'),
        "pdf": raw_block("typst", f"#align(center)[*{level.upper()}*]"),
        "docx": div([para(level.upper())], attrs={"custom-style": "Title"}),
    }[target.format]
    ast["blocks"].insert(0, banner)


@hookimpl
def pandoc_options(project: Any, target: Any, options: Any) -> None:
    if project.documents[target.document].type == TYPE and target.format == "html":
        options.variables["css-inline"] = options.variables.get("css-inline", "") + (
            "\n.briefing-header { border-bottom: 1px solid #999; margin-bottom: 1em }"
            "\n.classification { text-align: center; font-weight: bold; color: #b00 }")


@hookimpl
def output_written(project: Any, path: Path, target: Any) -> None:
    """Called once an output is complete and in place: e.g. copy it to a shared drive."""


@hookimpl
def register_commands(cli: click.Group) -> None:
    @cli.command("briefings")
    @click.pass_obj
    def briefings(obj: Any) -> None:
        """List the project's briefing notes and their subjects."""
        project = obj.load()
        notes = [d for d in project.documents.values() if d.type == TYPE]
        if not notes:
            raise ApecdocsError("the project has no briefing notes",
                                hint=f"Add a document of type '{TYPE}'.")
        for note in notes:
            click.echo(f"{note.id}: {note.meta['subject']}")
