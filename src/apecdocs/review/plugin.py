"""The review round as a core plugin: markers in built DOCX files, the ``review``
command, and ``review_matrix()`` for templates (a circular can include the matrix)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import click
from markupsafe import Markup

from ..labels import label
from ..model import Target
from ..plugins import hookimpl
from .cli import review_command


@hookimpl(trylast=True)
def finalize_ast(ast: dict, project: Any, target: Target) -> None:
    """Markers go in last, after other plugins have laid out the DOCX's text."""
    if target.format == "docx":
        from .markers import mark_document  # here: it brings the build's modules; --help needs none

        mark_document(ast, project, project.documents[target.document], target.lang)


@hookimpl
def template_context(project: Any, document: Any, lang: str) -> dict[str, Any]:
    return {"review_matrix": functools.partial(review_matrix, project, building=lang)}


def review_matrix(project: Any, document: str, empty: str | None = None,
                  lang: str | None = None, building: str | None = None) -> Markup | str:
    """The saved comment-resolution matrix of ``document`` as a Markdown table, for a
    circular or an annex: ``{{ review_matrix("report") }}`` on a line of its own;
    ``empty`` is shown while there is none (default: "No comments or changes were
    received." in the language being built; ``empty=""`` to test for one with ``if``).

    Each language copy has its own matrix. Without ``lang``, a build shows the matrix of
    its own language's copy when that copy was reviewed, else the source language's."""
    from . import matrix  # here: it brings the writers and YAML; most builds never ask

    source = project.languages[0]
    wanted = [lang] if lang else list(dict.fromkeys(t for t in (building, source) if t))
    paths = [matrix.state_paths(project.root, str(document), None, tag, source)[0]
             for tag in wanted]
    yaml_path = next((p for p in paths if p.is_file()), None)
    records = matrix.read_records(yaml_path) if yaml_path else []
    shown = building or lang or source  # the words of the document it sits in
    if not records:
        return label(matrix.EMPTY, shown, project) if empty is None else str(empty)
    # Markdown this plugin wrote, its cells escaped: printed as Markdown, not as text.
    return Markup(matrix.markdown(records, shown))


@hookimpl
def build_inputs(project: Any, document: Any, lang: str) -> list[Path]:
    """A document that shows a matrix rebuilds when a response is filled in."""
    folder = project.root / "review"
    if not folder.is_dir() or not any(_shows_matrix(path) for path in document.sources):
        return []
    return sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.csv"))


def _shows_matrix(path: Path) -> bool:
    try:
        return "review_matrix" in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


@hookimpl
def register_commands(cli: click.Group) -> None:
    cli.add_command(review_command)
