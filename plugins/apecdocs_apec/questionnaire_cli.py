"""``apecdocs questionnaire``: the commands of the questionnaire round."""

from __future__ import annotations

from pathlib import Path

import click

from apecdocs.project import Project


@click.group()
def questionnaire() -> None:
    """Collect the answers of returned questionnaire forms."""


@questionnaire.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--project", "-p", "project_path", type=click.Path(path_type=Path), default=None,
              help="Project folder (holding apecdocs.yaml).")
@click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
@click.pass_context
def collect(ctx: click.Context, files: tuple[Path, ...], project_path: Path | None,
            dry_run: bool) -> None:
    """Read returned DOCX forms FILES into the responses file, one row per economy.

    Each answer is checked against the questionnaire definition; earlier rows are kept
    and the changes are listed. Nothing is written when a file cannot be read. Exits 1
    when an answer could not be stored.
    """
    from .questionnaire_collect import collect as run

    root = project_path or getattr(ctx.find_root().obj, "project_path", None) or Path(".")
    report = run(Project.load(root), list(files), dry_run=dry_run)
    for line in report.lines():  # one stream, so problems stay under their file
        click.echo(line)
    if report.unreadable or report.errors:
        raise SystemExit(1)
