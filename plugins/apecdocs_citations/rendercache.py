"""Rendered citations kept by content, so an unchanged document is not rendered again.

The key is a hash of everything the output depends on: the cited entries, the cites
(keys, modes, prefixes, suffixes, locators, in order), the style file, the locale, the
versions of citeproc-py and of this plugin's own code. Results live in memory for the
process and in the core's store (``.apecdocs/citations/rendered``) between runs.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from apecdocs.store import Store

from . import engine

_memory: OrderedDict[str, str] = OrderedDict()  # key -> the stored JSON
_lock = threading.Lock()
MEMORY_ITEMS = 16


@functools.cache
def _code_version() -> str:
    from importlib.metadata import version

    h = hashlib.sha256(version("citeproc-py").encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()


def digest(items: dict[str, Any], groups: list[list[engine.Cite]], style_digest: str,
           locale: str) -> str:
    payload = [_code_version(), style_digest, locale, items,
               [[dataclasses.astuple(c) for c in group] for group in groups]]
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False,
                                     default=str).encode()).hexdigest()


def _store(cache_dir: Path) -> Store:
    return Store(cache_dir / "citations" / "rendered")


def get(cache_dir: Path, key: str) -> engine.Result | None:
    """The stored result (fresh objects: the AST they go into is changed later)."""
    with _lock:
        text = _memory.get(key)
        if text is not None:
            _memory.move_to_end(key)
    if text is None:
        data = _store(cache_dir).get(key)
        if data is None:
            return None
        text = data.decode("utf-8")
    try:
        data = json.loads(text)
        result = engine.Result(data["citations"], [engine.Entry(*e) for e in data["entries"]])
    except (ValueError, KeyError, TypeError):
        return None
    _remember(key, text)
    return result


def put(cache_dir: Path, key: str, result: engine.Result) -> None:
    text = json.dumps({"citations": result.citations,
                       "entries": [[e.key, e.left, e.body] for e in result.entries]},
                      ensure_ascii=False)
    _remember(key, text)
    store = _store(cache_dir)
    store.put(key, text.encode("utf-8"))
    store.prune()


def _remember(key: str, text: str) -> None:
    with _lock:
        _memory[key] = text
        _memory.move_to_end(key)
        while len(_memory) > MEMORY_ITEMS:
            _memory.popitem(last=False)
