"""``apecdocs init``: a new project that builds at once, for a team to fill in.

The files under ``scaffold/`` are copied with the project number, title, forum and year
put in; ``apecdocs.schema.json`` is written from the installed plugins so that editors
complete and check ``apecdocs.yaml`` from the first minute. Nothing is ever
overwritten: if any file would be, nothing is written and the files are listed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .errors import ApecdocsError
from .hookguard import call_each
from .model import Finding

TEMPLATE = Path(__file__).parent / "scaffold"
SCHEMA_FILE = "apecdocs.schema.json"
GITIGNORE = "# Built outputs and the build cache: rebuilt by apecdocs build\n_build/\n.apecdocs/\n"


def plan(number: str, title: str) -> dict[Path, str]:
    """``{relative path: text}`` of every file ``init`` writes."""
    number = " ".join(number.split())
    title = " ".join(title.split())
    if not number or not title:
        raise ApecdocsError("the project number and title must not be empty",
                            hint="Pass --project-number 'SCSC 01 2021' --title '...'.")
    year = re.search(r"(19|20)\d\d", number)
    values = {"@@NUMBER@@": _yaml_text(number), "@@TITLE@@": _yaml_text(title),
              "@@FORUM@@": _yaml_text(number.split()[0]),
              "@@YEAR@@": year.group(0) if year else "2024"}
    files: dict[Path, str] = {}
    for source in sorted(TEMPLATE.rglob("*")):
        if source.is_file() and "__pycache__" not in source.parts:
            text = source.read_text(encoding="utf-8")
            for key, value in values.items():
                text = text.replace(key, value)
            files[source.relative_to(TEMPLATE)] = text
    files[Path(".gitignore")] = GITIGNORE
    files[Path(SCHEMA_FILE)] = _schema_text()
    return files


def init_project(directory: str | Path, number: str, title: str) -> list[Path]:
    """Write a new project into ``directory`` (created if need be); return the files.

    Refuses, writing nothing, when any of the files exists already.
    """
    root = Path(directory)
    if root.exists() and not root.is_dir():
        raise ApecdocsError(f"'{root}' is a file, not a folder",
                            hint="Give init the name of a new or empty folder.")
    files = plan(number, title)
    existing = sorted(str(root / rel) for rel in files if (root / rel).exists())
    if existing:
        raise ApecdocsError(
            f"{len(existing)} file(s) exist already and would be overwritten: "
            + ", ".join(existing),
            hint="Run init in a new or empty folder; apecdocs never overwrites your files.",
        )
    written = []
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:  # "x": fail rather than overwrite
            handle.write(text)
        written.append(path)
    return written


def first_findings(directory: str | Path) -> list:
    """Errors the new project has at once (a project number of the wrong shape, say):
    the plugins' project-wide checks, which are quick; ``apecdocs check`` does the rest."""
    from .checks import load_project

    project, findings = load_project(directory)
    if project is not None:  # a plugin that fails is one finding: the files are written
        groups, errors = call_each(project.plugins.hook.check, project=project, document=None)
        findings = [f for group in groups for f in group or []]
        findings += [Finding(e.message, e.location, "error", e.hint, "plugin") for e in errors]
    return [f for f in findings if f.severity == "error"]


def _yaml_text(value: str) -> str:
    """``value`` as a YAML scalar: plain if safe, else double-quoted (JSON is YAML)."""
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 ,.()'’&/-]*", value) and not value.endswith(" "):
        return value
    return json.dumps(value, ensure_ascii=False)


def _schema_text() -> str:
    from .plugins import new_manager
    from .schema import project_schema

    return json.dumps(project_schema(new_manager(None)), indent=2, ensure_ascii=False) + "\n"
