"""Where a document's citations come from: its bibliography files and its CSL style.

The project sets both under ``citations:`` in ``apecdocs.yaml``; a document may
override either in its ``meta:`` (``bibliography``, ``csl``). Each value keeps the file
and line it was written on, so a missing file or an unknown style is reported there.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from apecdocs import ApecdocsError
from apecdocs.confine import confine
from apecdocs.errors import Location

DEFAULT_STYLE = "chicago-author-date"

SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Citations with pandoc's syntax ([@key, p. 12], @key, [-@key]) and a "
                   "bibliography, rendered with a CSL style.",
    "properties": {
        "bibliography": {
            "description": "Bibliography file(s) in the project: CSL-JSON (.json), BibTeX "
                           "(.bib) or CSL-YAML (.yaml).",
            "oneOf": [{"type": "string"},
                      {"type": "array", "items": {"type": "string"}, "minItems": 1}],
        },
        "style": {
            "type": "string",
            "description": "A CSL style by name (apa, chicago-author-date, harvard1, ieee, ...) "
                           "or the path of a .csl file in the project, e.g. styles/apec.csl.",
        },
    },
    "additionalProperties": False,
}


@dataclass(frozen=True)
class Settings:
    """Resolved bibliography files and style, with where each was set."""

    bibliography: tuple[Path, ...]
    bibliography_where: Location
    style: str
    style_where: Location


def settings_for(project: Any, document: Any) -> Settings | None:
    """The document's settings, or None when neither it nor the project has a bibliography."""
    config = project.config.get("citations") or {}
    meta = document.meta if isinstance(document.meta, dict) else {}
    if "bibliography" in meta:
        files, where = meta["bibliography"], document.where("bibliography")
    elif "bibliography" in config:
        files, where = config["bibliography"], project.locate("citations", "bibliography")
    else:
        return None
    if "csl" in meta:
        style, style_where = str(meta["csl"]), document.where("csl")
    elif "style" in config:
        style, style_where = str(config["style"]), project.locate("citations", "style")
    else:
        style, style_where = DEFAULT_STYLE, where
    files = [files] if isinstance(files, str) else list(files or [])
    if not files or not all(isinstance(f, str) and f for f in files):
        raise ApecdocsError("'bibliography' must name one file or a list of files",
                            file=where.file, line=where.line,
                            hint="E.g. bibliography: data/references.json")
    paths = tuple(project_file(project, f, where, "bibliography file") for f in files)
    return Settings(paths, where, style, style_where)


def project_file(project: Any, relative: str, where: Location, what: str) -> Path:
    """``relative`` resolved from the project folder; it must exist and stay inside it."""
    root = project.root.resolve()
    path = confine(root / relative, [root], what=what, shown=relative, file=where.file,
                   line=where.line, hint="Keep bibliographies and styles inside the project; "
                   "a symlink that points outside it is refused too.")
    if not path.is_file():
        raise ApecdocsError(f"{what} '{relative}' not found", file=where.file, line=where.line,
                            hint=f"Paths are relative to {root}.")
    return path
