"""Results kept on disk by a hash of what they depend on: parsed sources, rendered
citations (plugins may keep theirs here too).

A key names everything its result depends on, so an entry is never stale, only
unused. Entries are written whole or not at all (a temporary file, then a rename),
and each starts with a checksum of its key and its content: a damaged, truncated or
edited entry is never trusted; it is dropped (with a one-line note, see ``notes``) and
the result computed again. Reading one marks it used, and ``prune`` drops the least
recently used beyond a size limit, so the folder does not grow without end.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LIMIT = 256 * 2**20  # bytes per store
TOUCH_AFTER = 3600  # seconds: an entry used again within this keeps its time
MAGIC = b"apecdocs-store-1 "

_lock = threading.Lock()
_notes: list[str] = []  # damaged entries dropped since the last ``take_notes``
_bypass = 0  # > 0 while a forced build runs: entries are written, never read


def key(*parts: str | bytes) -> str:
    """A key for a result that depends on ``parts`` (in order)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def checksum(name: str, data: bytes) -> bytes:
    """The checksum an entry carries: of its key (``name``) and its content."""
    return hashlib.sha256(name.encode("utf-8") + b"\0" + data).hexdigest().encode("ascii")


def note_damaged(path: Path, why: str) -> None:
    """Record that a cache entry was dropped; the build summary shows one line."""
    with _lock:
        _notes.append(f"note: dropped a damaged cache entry {path} ({why}); it was rebuilt")


def take_notes() -> list[str]:
    """The notes recorded since the last call (the build adds them to its report)."""
    with _lock:
        notes = list(_notes)
        _notes.clear()
    return notes


@contextmanager
def bypassed() -> Iterator[None]:
    """Within the block no cached entry is read (``build --force``); new ones are kept."""
    global _bypass
    with _lock:
        _bypass += 1
    try:
        yield
    finally:
        with _lock:
            _bypass -= 1


def reading() -> bool:
    """Whether caches may be read now (not inside ``bypassed``); plugins' caches ask too."""
    return _bypass == 0


class Store:
    def __init__(self, folder: Path, limit: int = LIMIT) -> None:
        self.folder = folder
        self.limit = limit

    def path(self, key: str) -> Path:
        return self.folder / key[:40]

    def get(self, key: str) -> bytes | None:
        if not reading():
            return None
        path = self.path(key)
        try:
            raw = path.read_bytes()
            if time.time() - path.stat().st_mtime > TOUCH_AFTER:
                os.utime(path)  # used now: pruned last (a write: once an hour is enough)
        except OSError:
            return None
        head, newline, data = raw.partition(b"\n")
        if not newline or head != MAGIC + checksum(key, data):
            path.unlink(missing_ok=True)
            note_damaged(path, "its checksum does not match")
            return None
        return data

    def put(self, key: str, data: bytes) -> None:
        from .tempfiles import temp_path

        path = self.path(key)
        tmp = temp_path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(MAGIC + checksum(key, data) + b"\n" + data)
            os.replace(tmp, path)
        except OSError:  # a full disk costs the next build time, not this one its output
            tmp.unlink(missing_ok=True)

    def prune(self) -> int:
        """Remove the least recently used entries beyond the limit; return how many."""
        try:
            entries = [(e.stat().st_mtime, e.stat().st_size, e.path) for e in os.scandir(self.folder)
                       if e.is_file() and not e.name.startswith(".")]
        except OSError:
            return 0
        total = sum(size for _, size, _ in entries)
        removed = 0
        for _, size, path in sorted(entries):
            if total <= self.limit:
                break
            Path(path).unlink(missing_ok=True)
            total -= size
            removed += 1
        return removed
