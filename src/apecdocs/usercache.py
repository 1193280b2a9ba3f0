"""Results that depend only on a file's text and the installed libraries, kept between
runs in the user's cache folder (``plugin_cache.cache_folder``).

Parsing text with a library (YAML with its lines, a gettext catalog) costs a command
more than the rest of a build that has nothing to do; the result is the same every
time until the text or the library changes. So it is kept under a key made from the
text itself (any edit, however small, is a new key: nothing is judged by file times)
and the installed distributions (``plugin_cache.installed_key``). The entries live in
the user's cache, not in the project: a project received from someone else cannot
bring entries that make apecdocs see other values than its files hold. Each entry is
still checked (``Store``'s checksum, then the caller's check of its shape), and
anything unexpected is a miss: the text is parsed again.
"""

from __future__ import annotations

import functools
from typing import Any

import orjson

from . import __version__
from .plugin_cache import cache_folder, installed_key
from .store import Store, key

LIMIT = 32 * 2**20  # bytes kept per kind, the least recently used dropped first
MAX_ENTRY = 8 * 2**20  # bytes: a larger result is computed each time
MISS = object()


@functools.cache
def _libraries() -> str:
    """The installed distributions, asked once per process."""
    return installed_key()


def _entry(kind: str, text: str | bytes) -> tuple[Store, str]:
    return Store(cache_folder() / kind, limit=LIMIT), key(kind, __version__, _libraries(), text)


def get(kind: str, text: str | bytes) -> Any:
    """The JSON value kept for ``text``, or ``MISS``."""
    try:
        store, name = _entry(kind, text)
        data = store.get(name)
        return MISS if data is None else orjson.loads(data)
    except (OSError, ValueError):
        return MISS


def put(kind: str, text: str | bytes, value: Any) -> None:
    """Keep ``value`` (JSON data) for ``text``; a value too large or a read-only cache
    folder keeps nothing, and costs the next run only the time to compute it again."""
    try:
        data = orjson.dumps(value)
    except (TypeError, orjson.JSONEncodeError):
        return
    if len(data) > MAX_ENTRY:
        return
    try:
        store, name = _entry(kind, text)
        store.put(name, data)
        store.prune()
    except OSError:
        pass
