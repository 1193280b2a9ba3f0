"""The review round as a core plugin: markers in built DOCX files, the ``review``
command, and ``review_matrix()`` for templates (a circular can include the matrix)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import click

from ..model import Target
from ..plugins import hookimpl
from . import matrix
from .cli import review_command
from .markers import mark_document


@hookimpl(trylast=True)
def finalize_ast(ast: dict, project: Any, target: Target) -> None:
    """Markers go in last, after other plugins have laid out the DOCX's text."""
    if target.format == "docx":
        mark_document(ast, project, project.documents[target.document], target.lang)


@hookimpl
def template_context(project: Any, document: Any, lang: str) -> dict[str, Any]:
    return {"review_matrix": functools.partial(review_matrix, project)}


def review_matrix(project: Any, document: str) -> str:
    """The saved comment-resolution matrix of ``document`` as a Markdown table, for a
    circular or an annex: ``{{ review_matrix("report") }}`` on a line of its own."""
    yaml_path, _ = matrix.state_paths(project.root, str(document), None)
    return matrix.markdown(matrix.read_records(yaml_path) if yaml_path.is_file() else [])


@hookimpl
def build_inputs(project: Any, document: Any, lang: str) -> list[Path]:
    """A saved matrix can be shown by any document: a new response rebuilds it."""
    folder = project.root / "review"
    return sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.csv")) if folder.is_dir() else []


@hookimpl
def register_commands(cli: click.Group) -> None:
    cli.add_command(review_command)
