"""Parsed YAML kept between runs, so that a build with nothing to do needs no YAML parser.

Parsing ``apecdocs.yaml`` (or a questionnaire definition, an agenda ...) with its lines
kept takes longer than the rest of a build that has nothing to do. The tree is kept in
the user's cache by the text and the installed libraries (``usercache``: an edit of any
kind parses again; a project cannot bring entries of its own), and every kept tree is
checked value by value when read: anything unexpected is a miss.

A kept tree is made of ``KeptMap`` and ``KeptSeq``, plain dicts and lists that carry
each key's and item's (line, column) the way ruamel's nodes do (``.lc.key``,
``.lc.item``), so ``loader.locate`` names lines in messages exactly as before. Values
are the plain ones ruamel's carry (``str``, ``int``, ``float``, ``bool``, ``None``,
``datetime.date``; ruamel's text and float types come back as ``str`` and ``float``:
they differ only in how ruamel would write them back, which nothing does with these
trees). A file holding anything else (a datetime, a tag, a non-text key, a number
written 0x10 or 1_000, an anchored boolean) is simply not kept: parsed each time.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from . import usercache

FORMAT = "yaml-1"  # the folder, and part of every key: a new layout starts afresh
MISS = usercache.MISS


class _Lines:
    """(line, column) of each key or item, counted from 0 as ruamel counts."""

    __slots__ = ("lines",)

    def __init__(self, lines: Any) -> None:
        self.lines = lines

    def key(self, name: str) -> tuple[int, int]:
        found = self.lines.get(name)
        if found is None:
            raise KeyError(name)
        return found

    def item(self, index: int) -> tuple[int, int]:
        found = self.lines[index]
        if found is None:
            raise KeyError(index)
        return found


class KeptMap(dict):
    """A mapping read from the cache, with its keys' lines."""

    lc: _Lines


class KeptSeq(list):
    """A sequence read from the cache, with its items' lines."""

    lc: _Lines


class _Unkept(Exception):
    """The tree holds something the cache does not keep."""


def _position(lc: Any, method: str, which: Any) -> list[int] | None:
    try:
        line, column = getattr(lc, method)(which)
    except (AttributeError, KeyError, IndexError, TypeError, ValueError):
        return None  # a merged key (``<<: *base``) has none: messages fall back as before
    return [int(line), int(column)]


def _encode(node: Any) -> Any:
    if isinstance(node, dict):
        lc = getattr(node, "lc", None)
        entries = []
        for name, value in node.items():
            if not isinstance(name, str):
                raise _Unkept
            entries.append([str(name), _encode(value), _position(lc, "key", name)])
        return {"m": entries}
    if isinstance(node, list):
        lc = getattr(node, "lc", None)
        return {"s": [[_encode(v), _position(lc, "item", i)] for i, v in enumerate(node)]}
    if node is None or isinstance(node, bool):
        return node
    if isinstance(node, str):
        return str(node)
    if type(node) is int:
        return node
    if isinstance(node, float):
        if not math.isfinite(node):
            raise _Unkept  # JSON has no infinity
        return float(node)
    if type(node) is dt.date:
        return {"d": node.isoformat()}
    raise _Unkept  # a datetime, a tagged scalar, a set ...


def _decode(node: Any) -> Any:
    """The tree from its JSON form; ``ValueError`` for any shape ``_encode`` never writes."""
    if node is None or isinstance(node, bool | int | float | str):
        return node
    if not isinstance(node, dict) or len(node) != 1:
        raise ValueError("not a kept node")
    (kind, body), = node.items()
    if kind == "d" and isinstance(body, str):
        return dt.date.fromisoformat(body)
    if not isinstance(body, list):
        raise ValueError("not a kept node")
    if kind == "m":
        tree, lines = KeptMap(), {}
        for entry in body:
            if not isinstance(entry, list) or len(entry) != 3 or not isinstance(entry[0], str):
                raise ValueError("not a kept mapping entry")
            tree[entry[0]] = _decode(entry[1])
            lines[entry[0]] = _line(entry[2])
        tree.lc = _Lines(lines)
        return tree
    if kind == "s":
        seq, places = KeptSeq(), []
        for entry in body:
            if not isinstance(entry, list) or len(entry) != 2:
                raise ValueError("not a kept sequence item")
            seq.append(_decode(entry[0]))
            places.append(_line(entry[1]))
        seq.lc = _Lines(places)
        return seq
    raise ValueError("not a kept node")


def _line(value: Any) -> tuple[int, int] | None:
    if value is None:
        return None
    if (isinstance(value, list) and len(value) == 2
            and all(type(v) is int and 0 <= v < 2**31 for v in value)):
        return value[0], value[1]
    raise ValueError("not a line and column")


def get(text: str) -> Any:
    """The kept parse of ``text``, or ``MISS``."""
    kept = usercache.get(FORMAT, text)
    if kept is MISS:
        return MISS
    try:
        return _decode(kept)
    except (ValueError, TypeError, RecursionError):
        return MISS  # damaged or from another version: parsed again, and kept anew


def put(text: str, tree: Any) -> None:
    """Keep the parse of ``text`` if the cache can hold it exactly."""
    try:
        encoded = _encode(tree)
    except (_Unkept, RecursionError):
        return
    usercache.put(FORMAT, text, encoded)
