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
import operator
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

import orjson

from apecdocs.store import Store, reading

from . import results, versions

_memory: OrderedDict[str, bytes] = OrderedDict()  # key -> the stored JSON
_lock = threading.Lock()
MEMORY_ITEMS = 16


@functools.cache
def _code_version() -> str:
    h = hashlib.sha256(str(versions.installed()).encode())  # importlib.metadata: slow
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()


def digest(items: dict[str, Any], groups: list[list[results.Cite]], style_digest: str,
           locale: str) -> str:
    payload = [_code_version(), style_digest, locale, items,
               [[_fields(c) for c in group] for group in groups]]
    return hashlib.sha256(orjson.dumps(payload, default=str, option=orjson.OPT_SORT_KEYS
                                       | orjson.OPT_NON_STR_KEYS)).hexdigest()


# Every field of a cite, as it is (``dataclasses.astuple`` deep-copies each inline; asking
# ``dataclasses.fields`` for each of a long document's cites cost milliseconds).
_fields = operator.attrgetter(*(f.name for f in dataclasses.fields(results.Cite)))


def _store(cache_dir: Path) -> Store:
    return Store(cache_dir / "citations" / "rendered")


def get(cache_dir: Path, key: str) -> results.Result | None:
    """The stored result (fresh objects: the AST they go into is changed later); none
    while a forced build runs, which trusts nothing kept, in memory or on disk."""
    if not reading():
        return None
    with _lock:
        data = _memory.get(key)
        if data is not None:
            _memory.move_to_end(key)
    if data is None:
        data = _store(cache_dir).get(key)
        if data is None:
            return None
    try:
        loaded = orjson.loads(data)
        result = results.Result(loaded["citations"],
                               [results.Entry(*e) for e in loaded["entries"]])
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return None
    _remember(key, data)
    return result


def put(cache_dir: Path, key: str, result: results.Result) -> None:
    data = orjson.dumps({"citations": result.citations,
                         "entries": [[e.key, e.left, e.body] for e in result.entries]})
    _remember(key, data)
    store = _store(cache_dir)
    store.put(key, data)
    store.prune()


def _remember(key: str, data: bytes) -> None:
    with _lock:
        _memory[key] = data
        _memory.move_to_end(key)
        while len(_memory) > MEMORY_ITEMS:
            _memory.popitem(last=False)
