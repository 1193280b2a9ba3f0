"""The ``apecdocs`` command: a thin layer over ``Project``.

User mistakes end with a one-paragraph message and exit code 1 (2 for usage errors);
only ``--debug`` shows a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import ApecdocsError, BuildFailed
from .model import FORMATS, Output, Target
from .project import Project


class Context:
    def __init__(self, project_path: Path, debug: bool) -> None:
        self.project_path = project_path
        self.debug = debug

    def load(self) -> Project:
        return Project.load(self.project_path)


def _formats(value: str | None) -> list[str] | None:
    if not value:
        return None
    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    for fmt in formats:
        if fmt not in FORMATS:
            raise click.BadParameter(f"'{fmt}' is not one of {', '.join(FORMATS)}")
    return formats


class ApecdocsGroup(click.Group):
    """Turns ``ApecdocsError`` into a clear message instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ApecdocsError as exc:
            if ctx.obj and ctx.obj.debug:
                raise
            click.secho(f"error: {exc}", fg="red", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.secho("interrupted: outputs already in place were left as they were",
                        err=True)
            ctx.exit(130)


@click.group(cls=ApecdocsGroup)
@click.version_option(__version__, prog_name="apecdocs")
@click.option("--project", "-p", "project_path", type=click.Path(path_type=Path), default=".",
              help="Project folder (holding apecdocs.yaml); default: the current folder.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.pass_context
def cli(ctx: click.Context, project_path: Path, debug: bool) -> None:
    """Build APEC project deliverables from Markdown and YAML."""
    ctx.obj = Context(project_path, debug)


def _progress(enabled: bool):
    def show(event: str, target: Target, output: Output | None) -> None:
        if event == "start":
            click.echo(f"  building  {target.name}", err=True)
        elif event == "built" and output:
            click.echo(f"  built     {target.name}  ({output.seconds:.1f}s)", err=True)
        elif event == "unchanged":
            click.echo(f"  unchanged {target.name}", err=True)
        elif event == "failed":
            click.secho(f"  FAILED    {target.name}", fg="red", err=True)

    return show if enabled else None


@cli.command()
@click.argument("documents", nargs=-1)
@click.option("--to", "formats", help="Formats, comma-separated: docx,pdf,html.")
@click.option("--lang", "languages", multiple=True, help="Language(s) to build.")
@click.option("--out", type=click.Path(path_type=Path), help="Output folder (default _build).")
@click.option("--force", is_flag=True, help="Rebuild even what is unchanged.")
@click.option("--jobs", "-j", type=int, help="Targets built at once (default: CPU cores).")
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary.")
@click.pass_obj
def build(obj: Context, documents: tuple[str, ...], formats: str | None,
          languages: tuple[str, ...], out: Path | None, force: bool, jobs: int | None,
          quiet: bool) -> None:
    """Build DOCUMENTS (default: all) into the output folder."""
    project = obj.load()
    interactive = sys.stderr.isatty() and not os.environ.get("CI") and not quiet
    try:
        report = project.build(formats=_formats(formats), documents=list(documents) or None,
                               languages=list(languages) or None, out=out, jobs=jobs,
                               force=force, progress=_progress(interactive))
    except BuildFailed as exc:
        if exc.report:
            _summary(exc.report, project)
            if obj.debug:
                raise exc.report.failed[0].exception  # noqa: B904 - the traceback is wanted
        raise
    _summary(report, project)


def _summary(report: Any, project: Project) -> None:
    built = [o for o in report.outputs if o.status == "built"]
    same = [o for o in report.outputs if o.status == "unchanged"]
    for output in built:
        try:
            shown = output.path.relative_to(Path.cwd())
        except ValueError:
            shown = output.path
        click.echo(f"{shown}  ({output.seconds:.1f}s)")
        for warning in output.warnings:
            click.secho(f"  warning: {warning}", fg="yellow", err=True)
    click.echo(f"{len(built)} built, {len(same)} unchanged, {len(report.failed)} failed "
               f"in {report.seconds:.1f}s")


@cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def list_(obj: Context, as_json: bool) -> None:
    """List the project's documents, their types, formats and languages."""
    project = obj.load()
    rows = [{"id": d.id, "type": d.type, "title": d.title, "formats": d.formats,
             "languages": d.languages, "sources": len(d.sources)}
            for d in project.documents.values()]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        click.echo(f"{row['id']:<22} {row['type']:<18} {','.join(row['formats']):<15} "
                   f"{','.join(row['languages']):<8} {row['title']}")


@cli.command()
@click.option("--hooks", is_flag=True, help="Also list every hook a plugin may implement.")
@click.pass_obj
def plugins(obj: Context, hooks: bool) -> None:
    """Show the plugins loaded and where each comes from."""
    from . import hookspecs
    from .plugins import describe, new_manager

    root = obj.project_path.resolve()
    pm = new_manager(root if (root / "apecdocs.yaml").is_file() else None)
    for row in describe(pm):
        click.echo(f"{row['name']:<28} {row['source']}")
        click.echo(f"{'':<28} hooks: {row['hooks']}")
    if hooks:
        click.echo("\nHooks:")
        for name in dir(hookspecs):
            fn = getattr(hookspecs, name)
            if callable(fn) and hasattr(fn, "apecdocs_spec"):
                doc = (fn.__doc__ or "").strip().splitlines()[0]
                click.echo(f"  {name}: {doc}")


@cli.command()
@click.pass_obj
def check(obj: Context) -> None:
    """Report every problem a build would hit, without building (exit 1 on errors)."""
    project = obj.load()
    findings = project.check()
    for finding in findings:
        click.echo(str(finding))
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity == "warning"]
    click.echo(f"{len(errors)} error(s), {len(warnings)} warning(s)")
    if errors:
        raise SystemExit(1)


def main() -> None:
    """Entry point: plugins may add commands before the command line is parsed."""
    from .plugins import new_manager

    try:
        pm = new_manager(None)
        pm.hook.register_commands(cli=cli)
    except ApecdocsError as exc:
        click.secho(f"error: {exc}", fg="red", err=True)
        raise SystemExit(1) from None
    cli(prog_name="apecdocs")


if __name__ == "__main__":
    main()
