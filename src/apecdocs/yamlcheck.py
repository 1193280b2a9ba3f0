"""YAML a user writes inside or beside their content (front matter, chart blocks, an
acronyms file) read with its lines and checked against a schema: a mistake is
reported at the file's own line, an unknown key with a did-you-mean, never as the YAML
library's raw text nor silently dropped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import ApecdocsError
from .loader import plain, read_yaml_text, validate

FRONT_MATTER = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "jinja": {"type": "boolean",
                  "description": "false: the file is not a template ({{ }} are kept as written)"},
    },
}


def load(text: str, file: Path | str | None, first_line: int, what: str) -> Any:
    """Parse ``text``, which starts at line ``first_line`` of ``file``; ruamel nodes.
    Through ``loader.read_yaml_text``, the one YAML reader: the same alias limit (an
    alias bomb expands to billions of values) and error lines as every other YAML."""
    return read_yaml_text(text, file, first_line, what)


def check(tree: Any, schema: dict, file: Path | str | None, first_line: int, what: str) -> Any:
    """Validate ``tree`` (from ``load``); raise the first problem, at its line, with how
    many more there are. Returns the plain data."""
    data = plain(tree)
    findings = validate(data, schema, tree, Path(file or "-"))
    if findings:
        first = findings[0]
        line = first.location.line if first.location.line is not None else 1
        more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
        message = first.message.replace(" in the file", "").replace("'the file'", what)
        said = message if message.startswith(what) else f"{what}: {message}"
        raise ApecdocsError(f"{said}{more}", file=file,
                            line=first_line + line - 1, hint=first.hint)
    return data


def load_checked(text: str, schema: dict, file: Path | str | None, first_line: int,
                 what: str) -> Any:
    """``load`` then ``check``: plain data that matches ``schema``."""
    return check(load(text, file, first_line, what), schema, file, first_line, what)


def split_front_matter(text: str) -> tuple[str | None, str]:
    """``(front matter YAML or None, body with the front matter blanked line for line)``."""
    if not text.startswith("---\n") and not text.startswith("---\r\n"):
        return None, text
    lines = text.splitlines(keepends=True)
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            front = "".join(lines[1:i])
            body = "\n" * (i + 1) + "".join(lines[i + 1 :])
            return front, body
    return None, text
