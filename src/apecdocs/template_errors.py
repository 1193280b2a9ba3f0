"""Template mistakes explained in the user's terms: which name on which object, and
where an unclosed block opens, rather than Jinja's class names and end-of-file lines."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ATTRIBUTE = re.compile(r"^'(?P<owner>[^']*)' (?:object )?has no attribute '(?P<name>[^']*)'$")
BLOCKS = {"if", "for", "macro", "call", "filter", "block", "with", "autoescape", "raw", "trans"}
TAG = re.compile(r"\{%[-+]?\s*(\w+)")
INNERMOST = re.compile(r"innermost block that needs to be closed is '(\w+)'")


def _line(file: Path, number: int | None) -> str:
    if number is None:
        return ""
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except OSError:
        return ""
    return lines[number - 1] if 0 < number <= len(lines) else ""


def _resolve(context: Mapping[str, Any], path: str) -> Any:
    parts = path.split(".")
    value: Any = context[parts[0]]
    for part in parts[1:]:
        value = value[part] if isinstance(value, Mapping) else getattr(value, part)
    return value


def _names(value: Any) -> list[str]:
    if isinstance(value, Mapping):
        return [str(k) for k in value]
    return [n for n in dir(value) if not n.startswith("_")]


def missing_attribute(message: str, context: Mapping[str, Any], file: Path,
                      line: int | None) -> tuple[str, str | None] | None:
    """``("no attribute 'venu' on the project (did you mean 'venue'?)", hint)`` for
    Jinja's "'dict object' has no attribute 'venu'", or None for other messages."""
    found = ATTRIBUTE.match(message)
    if not found:
        return None
    name = found["name"]
    text = _line(file, line)
    owner = re.search(rf"([A-Za-z_][\w.]*?)\s*(?:\.\s*{re.escape(name)}\b|\[\s*['\"]"
                      rf"{re.escape(name)}['\"]\s*\])", text)
    try:
        value = _resolve(context, owner[1]) if owner else None
    except (KeyError, AttributeError, TypeError, IndexError):
        value, owner = None, None
    if owner is None:
        return f"no attribute '{name}' on a {found['owner'].removesuffix(' object')}", None
    names = _names(value)
    close = difflib.get_close_matches(name, names, n=1)
    said = f"no attribute '{name}' on the {owner[1]}"
    if close:
        said += f" (did you mean '{close[0]}'?)"
    shown = ", ".join(sorted(names)[:30])
    return said, (f"Names on the {owner[1]}: {shown}." if names else None)


def undefined_hint(message: str, context: Mapping[str, Any]) -> str | None:
    """A did-you-mean for "'naem' is undefined"."""
    found = re.match(r"^'([^']*)' is undefined$", message)
    if not found:
        return None
    close = difflib.get_close_matches(found[1], [str(k) for k in context], n=1)
    return f"Did you mean '{close[0]}'?" if close else None


def unclosed_block(message: str, source: str, error_line: int | None) -> tuple[str, int] | None:
    """Where the block Jinja could not close opens: ``(message, line)``, or None."""
    found = INNERMOST.search(message)
    if not found:
        return None
    name = found[1]
    stack: list[tuple[str, int]] = []
    for number, text in enumerate(source.splitlines(), 1):
        if error_line is not None and number > error_line:
            break
        for tag in TAG.findall(text):
            if tag in BLOCKS:
                stack.append((tag, number))
            elif tag.startswith("end") and stack and stack[-1][0] == tag[3:]:
                stack.pop()
    opened = [line for tag, line in stack if tag == name]
    if not opened:
        return None
    if "Unexpected end of template" in message:
        return f"'{{% {name} %}}' opened here is never closed with '{{% end{name} %}}'", \
            opened[-1]
    return (f"'{{% {name} %}}' opened here is not closed before line {error_line}", opened[-1])


def unknown_filter_hint(message: str, env: Any) -> str | None:
    """A did-you-mean for "No filter named 'apec_lst'." (or a test)."""
    found = re.match(r"^No (filter|test) named '([^']*)'", message)
    if not found:
        return None
    known = env.filters if found[1] == "filter" else env.tests
    close = difflib.get_close_matches(found[2], list(known), n=1)
    return f"Did you mean '{close[0]}'?" if close else \
        f"Known {found[1]}s: {', '.join(sorted(known))}."
