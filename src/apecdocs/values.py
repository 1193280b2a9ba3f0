"""The one layer that turns data into template values, and values into Markdown text.

Templates see plain data only: mappings, lists, text, numbers, dates, and the functions
plugins hand them. A ``pathlib.Path``, a file object or any other object whose methods
touch the disk never reaches a template (``as_template_value`` turns paths into text and
refuses other objects), so a project's template can present data but not read, write or
delete a file.

A value printed with ``{{ }}`` lands in Markdown: ``markdown_text`` escapes it so that a
participant named ``<script>`` or a speaker named ``A | B`` stays text (no raw HTML, no
table cell split, no heading, emphasis or link). Markdown that is meant as Markdown is
marked with ``Markup`` (``{{ value | raw }}``, or a plugin's ``Markup(text)``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import types
from collections.abc import Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from pathlib import PurePath
from typing import Any

from markupsafe import Markup

from .errors import ApecdocsError

__all__ = ["Markup", "as_template_value", "markdown_text", "TemplateData"]

# ASCII punctuation that starts Markdown syntax anywhere in a line: raw HTML (<), tables
# (|), emphasis (* _ ~ ^), code (`), links and spans ([ ] !), math ($), citations (@),
# headings (#), entities (&) and the escape itself (\). Braces are left alone: outside
# an attribute they are text, and "{{ '{{' }}" is how a literal brace is written.
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|$~^@&!])")
# What makes a line a list item, quote or block when it starts one.
_LINE_START = re.compile(r"^(\s*)([-+:=])")
_NUMBERED = re.compile(r"^(\s*\d+)([.)])(?=\s|$)")
_DASHES = re.compile(r"-(?=-)")
_NEWLINES = re.compile(r"\s*[\r\n]+\s*")


def markdown_text(value: Any) -> str:
    """``value`` as Markdown that reads as exactly its text, on one line."""
    text = _NEWLINES.sub(" ", str(value))
    text = _SPECIAL.sub(r"\\\1", text)
    text = _DASHES.sub(r"\\-", text)  # "--" stays two hyphens, not a dash
    text = _LINE_START.sub(r"\1\\\2", text)
    return _NUMBERED.sub(r"\1\\\2", text)


def finalize(value: Any) -> Any:
    """What ``{{ value }}`` prints: Markup as it is, text escaped, numbers as they are."""
    if isinstance(value, Markup) or value is None:
        return value
    if isinstance(value, str):
        return Markup(markdown_text(value))
    return value


def raw(value: Any) -> Markup:
    """The ``raw`` filter: print ``value`` as Markdown (or HTML), unescaped. Only for
    values the project's authors wrote themselves."""
    return value if isinstance(value, Markup) else Markup(str(value))


def code(value: Any) -> Markup:
    """The ``code`` filter: ``value`` as an inline code span, shown exactly as it is."""
    text = _NEWLINES.sub(" ", str(value))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Markup(f"{fence}{pad}{text}{pad}{fence}")


_PLAIN = (str, int, float, bool, Decimal, Fraction, dt.date, dt.time, dt.timedelta, type(None))
_CALLABLE = (types.FunctionType, types.BuiltinFunctionType, types.MethodType, functools.partial)


_EXACT = frozenset({str, int, float, bool, type(None), dt.date, dt.datetime, Markup})


def as_template_value(value: Any, where: str = "a template value") -> Any:
    """``value`` as plain data a template may hold: copies of mappings and lists, text
    for paths; anything else with methods is refused (it might reach the disk)."""
    kind = type(value)
    if kind in _EXACT:
        return value
    if kind is dict:
        return {k if type(k) is str else str(k): as_template_value(v, where)
                for k, v in value.items()}
    if kind is list:
        return [as_template_value(v, where) for v in value]
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return str(value)  # a str subclass (ruamel's scalars) may carry more than text
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int | float) and type(value) not in (int, float):
        return int(value) if isinstance(value, int) else float(value)  # ruamel's scalars
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, TemplateData):
        return value
    if isinstance(value, Mapping):
        return {str(k): as_template_value(v, where) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [as_template_value(v, where) for v in value]
    if isinstance(value, PurePath):
        return value.as_posix()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: as_template_value(getattr(value, f.name), where)
                for f in dataclasses.fields(value)}
    if isinstance(value, _CALLABLE):
        return value  # functions a plugin gives templates: plugins are trusted code
    raise ApecdocsError(
        f"{where} is a {type(value).__name__}, which templates may not hold",
        hint="Templates see plain data (text, numbers, dates, lists, mappings); a plugin "
        "should pass the values a template needs rather than an object.",
    )


class TemplateData(Mapping[str, Any]):
    """``data`` in templates: each data file's content as plain values, read on first
    use. Unlike ``project.data`` (for plugins) it gives no file paths."""

    def __init__(self, read: Any, names: list[str]) -> None:
        self.__read = read
        self.__names = names
        self.__values: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self.__names:
            raise KeyError(name)
        if name not in self.__values:
            self.__values[name] = as_template_value(self.__read(name), f"data.{name}")
        return self.__values[name]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.__names)

    def __len__(self) -> int:
        return len(self.__names)
