"""Incremental builds: a target is rebuilt only when a hash of its inputs changes.

Inputs are judged by content, not file times: the project file, the document's
sources, data, styles, templates, images it used, plugin code and versions, pandoc's
version and the target's options. The manifest lives in ``.apecdocs/manifest.json``.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

from . import __version__
from .store import note_damaged, reading
from .tempfiles import temp_path

_lock = threading.Lock()


_digests: dict[str, tuple[tuple[int, ...], str]] = {}
RECENT_NS = 2_000_000_000  # a file changed this recently is always read again


class KeptDigests:
    """Content hashes kept between builds in ``.apecdocs/digests.json``, each under the
    file's size, modification and change times and inode: a build with nothing to do
    then reads none of its hundreds of inputs. The change time and the inode are the
    file system's own (no tool sets them), so a file copied, unpacked or checked out
    anew never matches a kept entry, nor does one planted in a project received from
    someone else: it is read and hashed as always. Whatever is not such an entry is
    ignored."""

    MAX_SIZE = 16 * 2**20

    def __init__(self, path: Path) -> None:
        self.path = path
        self.loaded: dict[str, tuple[tuple[int, ...], str]] = {}
        self.used: dict[str, tuple[tuple[int, ...], str]] = {}
        try:
            if path.stat().st_size > self.MAX_SIZE:
                return
            saved = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        files = saved.get("files") if isinstance(saved, dict) and saved.get("format") == 1 \
            else None
        for name, row in (files.items() if isinstance(files, dict) else ()):
            if (isinstance(row, list) and len(row) == 5 and all(type(x) is int for x in row[:4])
                    and isinstance(row[4], str) and len(row[4]) == 64):
                self.loaded[name] = (tuple(row[:4]), row[4])

    def get(self, name: str, key: tuple[int, ...]) -> str | None:
        if not reading():  # build --force: nothing kept is trusted
            return None
        kept = self.loaded.get(name)
        return kept[1] if kept is not None and kept[0] == key else None

    def use(self, name: str, key: tuple[int, ...], digest: str) -> None:
        self.used[name] = (key, digest)  # one assignment: safe across threads

    def save(self) -> None:
        """Write the entries this build used, if they differ from those it found."""
        used = dict(self.used)  # the build's threads are done
        if all(self.loaded.get(name) == entry for name, entry in used.items()):
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = temp_path(self.path)
        files = {name: [*key, digest] for name, (key, digest) in sorted(used.items())}
        tmp.write_text(json.dumps({"format": 1, "files": files}), encoding="utf-8")
        os.replace(tmp, self.path)


def file_digest(path: Path, kept: KeptDigests | None = None) -> str:
    """The file's content hash. Every target of a build names the same styles, plugin
    files and data, so a hash is kept in this process (and, with ``kept``, between
    builds) while the file's size, times and inode stay the same; a file changed in the
    last two seconds is always read (an edit within the file system's time resolution
    would leave its times as they were)."""
    try:
        stat = os.stat(path)
        key = (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino)
        name = str(path)
        memo = _digests.get(name)
        digest = memo[1] if memo is not None and memo[0] == key else None
        if digest is None and kept is not None:
            digest = kept.get(name, key)
        if digest is None:
            digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "missing"
    if time.time_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) > RECENT_NS:
        with _lock:
            _digests[name] = (key, digest)
        if kept is not None:
            kept.use(name, key, digest)
    return digest


def inputs_digest(files: list[Path], extra: dict[str, Any],
                  kept: KeptDigests | None = None) -> str:
    h = hashlib.sha256()
    h.update(json.dumps(extra, sort_keys=True, default=str).encode())
    h.update(__version__.encode())
    for path in sorted({str(f) for f in files}):
        h.update(path.encode())
        h.update(file_digest(Path(path), kept).encode())
    return h.hexdigest()


def plugin_files(pm: Any) -> list[Path]:
    """The source files of every registered plugin (a plugin edit rebuilds).

    For a plugin inside a package, every module of that package counts: its hooks
    usually call helpers beside it.
    """
    files: set[Path] = set()
    for _, plugin in pm.list_name_plugin():
        module = sys.modules.get(getattr(plugin, "__name__", ""), plugin)
        path = getattr(module, "__apecdocs_source__", None) or getattr(module, "__file__", None)
        if not path:
            continue
        path = Path(path)
        files.add(path)
        if getattr(module, "__apecdocs_source__", None) is None and "." in getattr(
                module, "__name__", "") or path.name == "__init__.py":
            files.update(path.parent.glob("*.py"))
    return sorted(files)


class Manifest:
    """What was built last time: per target, the inputs' digest and the output's."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, dict[str, Any]] = {}
        self.changed = False  # nothing recorded: saving would write what was read
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError):
            saved = None
        entries = saved.get("entries") if isinstance(saved, dict) else None
        if not isinstance(entries, dict) or not all(isinstance(v, dict) for v in entries.values()) \
                or saved.get("checksum") != _checksum(entries):
            path.unlink(missing_ok=True)  # damaged or edited: every target is built again
            note_damaged(path, "it is not the manifest apecdocs wrote")
            return
        self.entries = entries

    def fresh(self, key: str, inputs: str, output: Path) -> bool:
        entry = self.entries.get(key)
        if not entry or entry.get("inputs") != inputs or not output.is_file():
            return False
        stat = output.stat()
        if entry.get("mtime_ns") == stat.st_mtime_ns and entry.get("size") == stat.st_size:
            return True
        return entry.get("output") == file_digest(output)

    def deps(self, key: str) -> list[Path]:
        return [Path(p) for p in self.entries.get(key, {}).get("deps", [])]

    def record(self, key: str, inputs: str, output: Path, deps: list[Path]) -> None:
        stat = output.stat()
        self.changed = True
        with _lock:
            self.entries[key] = {
                "inputs": inputs, "output": file_digest(output), "mtime_ns": stat.st_mtime_ns,
                "size": stat.st_size, "deps": sorted({str(d) for d in deps}),
            }

    def save(self) -> None:
        if not self.changed and self.path.is_file():  # a build with nothing to do
            return
        with _lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = temp_path(self.path)
            saved = {"checksum": _checksum(self.entries), "entries": self.entries}
            tmp.write_text(json.dumps(saved, indent=1, sort_keys=True), encoding="utf-8")
            os.replace(tmp, self.path)


def _checksum(entries: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(entries, sort_keys=True).encode()).hexdigest()
