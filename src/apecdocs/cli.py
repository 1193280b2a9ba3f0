"""The ``apecdocs`` command: a thin layer over ``Project``.

User mistakes end with a one-paragraph message and exit code 1 (2 for usage errors);
only ``--debug`` shows a traceback.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import ApecdocsError, BuildFailed, environment_error
from .interrupt import interrupted
from .model import FORMATS, Finding, Output, Target
from .project import Project


class Context:
    def __init__(self, project_path: Path, debug: bool) -> None:
        self.project_path = project_path
        self.debug = debug
        self.quiet = False  # -q: errors and the summary line only

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


def _set_project(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.find_object(Context).project_path = value


# ``apecdocs build -p docs`` as well as ``apecdocs -p docs build``.
project_option = click.option(
    "--project", "-p", "project_path", type=click.Path(path_type=Path), expose_value=False,
    callback=_set_project, help="Project folder (holding apecdocs.yaml).")


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
            interrupted()  # before click's own handler would say "Aborted!" and exit 1
        except OSError as exc:  # the machine's fault (read-only, full disk): what and where
            if ctx.obj and ctx.obj.debug:
                raise
            click.secho(f"error: {environment_error(exc)}", fg="red", err=True)
            ctx.exit(1)


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
@project_option
@click.argument("documents", nargs=-1)
@click.option("--to", "formats", help="Formats, comma-separated: docx,pdf,html.")
@click.option("--lang", "languages", multiple=True, help="Language(s) to build.")
@click.option("--out", type=click.Path(path_type=Path), help="Output folder (default _build).")
@click.option("--force", is_flag=True, help="Rebuild even what is unchanged.")
@click.option("--jobs", "-j", type=click.IntRange(min=1),
              help="Targets built at once (default: CPU cores).")
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary.")
@click.option("--watch", "-w", is_flag=True, help="Build again whenever a source changes.")
@click.pass_obj
def build(obj: Context, documents: tuple[str, ...], formats: str | None,
          languages: tuple[str, ...], out: Path | None, force: bool, jobs: int | None,
          quiet: bool, watch: bool) -> None:
    """Build DOCUMENTS (default: all) into the output folder."""
    obj.quiet = quiet
    interactive = sys.stderr.isatty() and not os.environ.get("CI") and not quiet
    options = {"formats": _formats(formats), "documents": list(documents) or None,
               "languages": list(languages) or None, "out": out, "jobs": jobs,
               "progress": _progress(interactive)}
    if watch:
        _watch(obj, options, force=force)
    elif not _build(obj, obj.load(), options, force=force):
        raise SystemExit(1)


def _build(obj: Context, project: Project, options: dict[str, Any], force: bool = False) -> bool:
    """One build and its summary, which lists each failed target; False if any failed."""
    try:
        report = project.build(**options, force=force)
    except BuildFailed as exc:
        if exc.report is None:
            raise
        _summary(exc.report, project, obj.quiet)
        if obj.debug:
            raise exc.report.failed[0].exception  # noqa: B904 - the traceback is wanted
        return False
    except ApecdocsError as exc:  # after the outputs (build_finished): summary, then cause
        if exc.report is not None:
            _summary(exc.report, project, obj.quiet)
        raise
    _summary(report, project, obj.quiet)
    return True


def _watch(obj: Context, options: dict[str, Any], force: bool = False,
           interval: float = 0.5) -> None:
    from .watch import Watcher

    first = [force]

    def build_once(project: Project) -> None:
        _build(obj, project, options, force=first.pop() if first else False)

    def say(text: str) -> None:
        if obj.quiet and not text.startswith("error"):
            return
        click.secho(text, fg="red" if text.startswith("error") else None, err=True)

    Watcher(obj.project_path, build_once, say=say, interval=interval).run()


def _summary(report: Any, project: Project, quiet: bool = False) -> None:
    """What was written, each distinct warning once, notes, each failure; then one line.
    Quiet: the failures and the line only."""
    built = [o for o in report.outputs if o.status == "built"]
    same = [o for o in report.outputs if o.status == "unchanged"]
    if not quiet:
        for output in built:
            try:
                shown = output.path.relative_to(Path.cwd())
            except ValueError:
                shown = output.path
            click.echo(f"{shown}  ({output.seconds:.1f}s)")
        for warning in report.warnings:
            click.secho(f"warning: {warning}", fg="yellow", err=True)
        for note in report.notes:
            click.echo(note)
    failures: dict[str, list[str]] = {}  # one mistake, one message: targets it stops share it
    for output in report.failed:
        failures.setdefault(output.error or "", []).append(output.target.name)
    for error, names in failures.items():
        click.secho(f"error: {', '.join(names)} failed: {error}", fg="red", err=True)
    warned = f", {len(report.warnings)} warning(s)" if report.warnings else ""
    click.echo(f"{len(built)} built, {len(same)} unchanged, {len(report.failed)} failed{warned} "
               f"in {report.seconds:.1f}s")


@cli.command("list")
@project_option
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
@project_option
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
@project_option
@click.argument("documents", nargs=-1)
@click.option("--to", "formats", help="Formats, comma-separated (default: each document's).")
@click.option("--lang", "languages", multiple=True, help="Language(s) to build.")
@click.option("--force", is_flag=True, help="Rebuild everything in the first round.")
@click.option("--jobs", "-j", type=click.IntRange(min=1),
              help="Targets built at once (default: CPU cores).")
@click.option("--interval", type=float, default=0.5, show_default=True,
              help="Seconds between looks at the files.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors and the summary.")
@click.pass_obj
def watch(obj: Context, documents: tuple[str, ...], formats: str | None,
          languages: tuple[str, ...], force: bool, jobs: int | None, interval: float,
          quiet: bool) -> None:
    """Build DOCUMENTS, then rebuild what changed whenever a file changes (Ctrl-C stops)."""
    obj.quiet = quiet
    options = {"formats": _formats(formats), "documents": list(documents) or None,
               "languages": list(languages) or None, "jobs": jobs,
               "progress": _progress(sys.stderr.isatty() and not os.environ.get("CI")
                                     and not quiet)}
    _watch(obj, options, force=force, interval=interval)


@cli.command()
@project_option
@click.argument("documents", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Findings as JSON, for editors and CI.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors and the summary.")
@click.pass_obj
def check(obj: Context, documents: tuple[str, ...], as_json: bool, quiet: bool) -> None:
    """Report every problem a build would hit, without building (exit 1 on errors).

    Schema errors, missing sources, data and images, unknown template variables, broken
    links and cross-references, and what plugins check (economy names, citations ...).
    """
    from .checks import load_project

    project, findings = load_project(obj.project_path)
    if project is not None:
        from .build import select

        select(project, list(documents), None, None)  # an unknown name: did-you-mean
        findings = project.check(list(documents) or None)
    if as_json:
        click.echo(json.dumps([_finding_json(f) for f in findings], indent=2, ensure_ascii=False))
    else:
        for finding in findings:
            if quiet and finding.severity != "error":
                continue
            click.secho(str(finding),
                        fg={"error": "red", "warning": "yellow"}.get(finding.severity))
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity == "warning"]
    if not as_json:
        click.echo(f"{len(errors)} error(s), {len(warnings)} warning(s)")
    if errors:
        raise SystemExit(1)


def _shown(path: Path | str | None) -> str:
    if path is None:
        return ""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _finding_json(finding: Finding) -> dict[str, Any]:
    loc = finding.location
    return {"severity": finding.severity, "message": finding.message, "hint": finding.hint,
            "code": finding.code, "file": str(loc.file) if loc.file else None,
            "line": loc.line, "column": loc.column}


@cli.command()
@project_option
@click.option("--markdown", is_flag=True, help="The reference, in Markdown.")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write to FILE.")
@click.option("--file", "kind", metavar="KIND", help="The schema of another file a plugin "
              "reads instead, e.g. questionnaire.")
@click.pass_obj
def schema(obj: Context, markdown: bool, output: Path | None, kind: str | None) -> None:
    """Print the JSON schema of apecdocs.yaml, with the keys installed plugins add.

    Editors use it to complete and validate the file; the loader validates with the
    same schema. In a project folder, the project's own plugins count too.
    """
    from .plugins import new_manager
    from .schema import project_schema
    from .schemadoc import INTRO, schema_markdown

    root = obj.project_path.resolve()
    pm = new_manager(root if (root / "apecdocs.yaml").is_file() else None)
    tree = project_schema(pm)
    if kind:
        files = {k: v for group in pm.hook.file_schemas() for k, v in (group or {}).items()}
        if kind not in files:
            raise ApecdocsError(f"no schema for files of kind '{kind}'",
                                hint=f"Known: {', '.join(sorted(files)) or 'none'}.")
        tree = files[kind]
    if markdown and kind:  # another file's keys: its own title, not the project file's
        body = schema_markdown(tree, heading_level=2, title=False).replace(INTRO, "", 1)
        text = f"# {tree.get('title', kind)}\n\n" + body.lstrip()
    else:
        text = schema_markdown(tree) if markdown else json.dumps(tree, indent=2,
                                                                 ensure_ascii=False)
    if output:
        if output.is_dir():
            raise click.BadParameter(f"'{output}' is a folder; give a file name, e.g. "
                                     f"{output / 'apecdocs.schema.json'}", param_hint="'-o'")
        output.write_text(text + ("" if text.endswith("\n") else "\n"), encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text)


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path), default=".")
@click.option("--project-number", "number", default="SCSC 01 2021", show_default=True,
              help="The APEC project number, e.g. 'ECSG 02 2018'.")
@click.option("--title", default="Title of the Project", show_default=True,
              help="The project title as approved.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors and the summary.")
def init(directory: Path, number: str, title: str, quiet: bool) -> None:
    """Create a project in DIRECTORY that builds at once (never overwrites a file).

    A report, an agenda, a circular and a completion report, with data templates to
    fill in. Then: cd DIRECTORY && apecdocs build.
    """
    from .scaffold import first_findings, init_project

    written = init_project(directory, number=number, title=title)
    for path in written if not quiet else []:
        click.echo(f"  created {_shown(path)}")
    for finding in first_findings(directory):
        click.secho(f"warning: to fix before building: {finding}", fg="yellow", err=True)
    click.echo(f"{len(written)} files created. Next: cd {_shown(directory) or '.'} && "
               "apecdocs check && apecdocs build")


def main() -> None:
    """Entry point: plugins may add commands before the command line is parsed."""
    from .plugins import new_manager

    try:
        pm = new_manager(None)
        pm.hook.register_commands(cli=cli)
    except ApecdocsError as exc:
        click.secho(f"error: {exc}", fg="red", err=True)
        raise SystemExit(1) from None
    gc.freeze()  # start-up's objects live as long as the process: no collection walks them
    gc.enable()  # (``__main__`` paused the collector for start-up)
    try:
        cli(prog_name="apecdocs", standalone_mode=True)
    finally:
        # The process ends here. Python's last act would be a search of every object
        # still alive for reference cycles (20 ms after a long build); frozen, they are
        # left to be freed with the process. Exit handlers still run.
        gc.freeze()


if __name__ == "__main__":
    main()
