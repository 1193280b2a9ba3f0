"""``apecdocs review FILE.docx…``: a thin layer over ``Project.review``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click


@click.command("review")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--document", help="The document the files are copies of (default: as "
              "recorded in the files by the build).")
@click.option("--lang", help="Its language (default: as recorded, else the first).")
@click.option("--matrix", is_flag=True, help="Write the comment-resolution matrix: "
              "review/<document>.yaml and .csv (review/<document>.<lang>.yaml for a "
              "copy in another language than the source; responses kept across runs), "
              "and <document>-comments.docx and .html in the output folder.")
@click.option("--state", type=click.Path(dir_okay=False, path_type=Path),
              help="The matrix's YAML state file (default review/<document>.yaml, or "
              "review/<document>.<lang>.yaml for a translated copy).")
@click.option("--apply", "apply_", is_flag=True,
              help="Apply tracked changes to the Markdown sources where certain; list "
              "the rest as conflicts.")
@click.option("--diff", is_flag=True, help="Print the changes --apply would make, as a "
              "unified diff, and write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the items as JSON.")
@click.pass_obj
def review_command(obj: Any, files: tuple[Path, ...], document: str | None, lang: str | None,
                   matrix: bool, state: Path | None, apply_: bool, diff: bool,
                   as_json: bool) -> None:
    """Read reviewers' returned DOCX FILES: each comment and tracked change with the
    file, line and section it belongs to."""
    project = obj.load()
    result = project.review(list(files), document=document, lang=lang, matrix=matrix,
                            apply=apply_, diff=diff, state=state)
    if as_json:
        click.echo(json.dumps([row.record() | {"kind": row.kind} for row in result.rows],
                              ensure_ascii=False, indent=2))
    elif diff:
        click.echo(result.diff, nl=False)
    else:
        for row in result.rows:
            where = f"{row.location}"
            section = f"  [{row.section}]" if row.section else ""
            click.echo(f"{row.number:>3}. {where}{section}  {', '.join(row.reviewers)}")
            if row.quoted and row.kind == "comment":
                click.echo(f"     on “{_short(row.quoted)}”")
            click.echo(f"     {row.proposal}")
    for conflict in result.conflicts:
        click.secho(f"conflict: {conflict}", fg="yellow", err=True)
    if result.written:
        names = ", ".join(_rel(p, project.root) for p in result.written)
        click.echo(f"applied {len(result.plan.applied)} change(s) to {names}", err=True)
    elif apply_ and not diff:
        click.echo("no change applied", err=True)
    for path in result.matrix:
        click.echo(f"matrix: {_rel(path, project.root)}", err=True)
    click.echo(f"{len(result.rows)} item(s) from {len(files)} file(s) on "
               f"'{result.document}' ({result.lang})"
               + (f", {len(result.conflicts)} conflict(s)" if result.plan else ""), err=True)


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
