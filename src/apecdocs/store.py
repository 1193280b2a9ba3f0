"""Results kept on disk by a hash of what they depend on: parsed sources, rendered
citations (plugins may keep theirs here too).

A key names everything its result depends on, so an entry is never stale, only
unused. Entries are written whole or not at all (a temporary file, then a rename);
reading one marks it used, and ``prune`` drops the least recently used beyond a size
limit, so the folder does not grow without end.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

LIMIT = 256 * 2**20  # bytes per store


def key(*parts: str | bytes) -> str:
    """A key for a result that depends on ``parts`` (in order)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


class Store:
    def __init__(self, folder: Path, limit: int = LIMIT) -> None:
        self.folder = folder
        self.limit = limit

    def path(self, key: str) -> Path:
        return self.folder / key[:40]

    def get(self, key: str) -> bytes | None:
        path = self.path(key)
        try:
            data = path.read_bytes()
            os.utime(path)  # used now: pruned last
        except OSError:
            return None
        return data

    def put(self, key: str, data: bytes) -> None:
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.part")
        try:
            tmp.write_bytes(data)
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
