"""``apecdocs watch``: build, then build again whenever a file the project uses changes.

Polls sizes and modification times twice a second rather than using OS file events:
no extra dependency, the same behaviour on every system and on network drives, and a
project's few hundred files cost well under a millisecond per poll. A change is built
once the files stop changing (editors save in several steps). Each round reloads the
project, so edits to ``apecdocs.yaml`` and to plugins count, and the build cache
rebuilds only the targets whose inputs changed.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from . import cache
from .errors import ApecdocsError, environment_error
from .project import Project

Snapshot = dict[str, tuple[int, int]]
SKIP_DIRS = {"__pycache__", "node_modules", "_build"}


def snapshot(root: Path, skip: Iterable[Path] = (), extra: Iterable[Path] = ()) -> Snapshot:
    """``{path: (mtime_ns, size)}`` of the files under ``root`` and of ``extra`` files.

    Hidden folders (``.apecdocs``, ``.git``), ``skip`` folders and outputs are left out:
    a build writing its outputs must not trigger the next build.
    """
    skipped = {str(p) for p in skip}
    found: Snapshot = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS
                   and os.path.join(folder, d) not in skipped]
        for name in files:
            if name.startswith(".") or name.endswith(".part"):
                continue
            _stat_into(found, os.path.join(folder, name))
    for path in extra:
        _stat_into(found, str(path))
    return found


def _stat_into(found: Snapshot, path: str) -> None:
    try:
        st = os.stat(path)
    except OSError:
        return
    found[path] = (st.st_mtime_ns, st.st_size)


def changed(before: Snapshot, after: Snapshot) -> list[str]:
    """Files added, removed or modified between two snapshots, sorted."""
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


class Watcher:
    """Builds the project at ``path`` now and after every change, until ``stop`` is set.

    ``build(project)`` does one build (the CLI passes its own, with progress and summary);
    ``say(text)`` reports what is going on. Errors of one round are reported and the
    watch goes on: the next save may fix them.
    """

    def __init__(self, path: Path, build: Callable[[Project], Any], *,
                 say: Callable[[str], None] = print, interval: float = 0.5,
                 stop: threading.Event | None = None) -> None:
        self.path = Path(path)
        self.root = (self.path.parent if self.path.is_file() else self.path).resolve()
        self.build = build
        self.say = say
        self.interval = interval
        self.stop = stop or threading.Event()
        self.rounds = 0
        self.skip: list[Path] = [self.root / "_build"]
        self.extra: list[Path] = []

    def run(self) -> int:
        """Watch until ``stop`` is set or Ctrl-C; return how many builds ran."""
        try:
            last = self._round()
            self.say(f"watching {self.root} for changes (Ctrl-C to stop)")
            while not self.stop.wait(self.interval):
                now = self._snapshot()
                if now == last:
                    continue
                now = self._settle(now)
                if self.stop.is_set():
                    break
                names = changed(last, now)
                shown = ", ".join(_short(p, self.root) for p in names[:5])
                self.say(f"changed: {shown}" + (f" and {len(names) - 5} more" if len(names) > 5
                                                else ""))
                last = self._round()
        except KeyboardInterrupt:
            self.say("stopped watching")
        return self.rounds

    def _settle(self, now: Snapshot) -> Snapshot:
        """Wait until two polls in a row agree, so a save in several steps builds once."""
        while not self.stop.wait(self.interval / 2):
            again = self._snapshot()
            if again == now:
                break
            now = again
        return now

    def _snapshot(self) -> Snapshot:
        return snapshot(self.root, self.skip, self.extra)

    def _round(self) -> Snapshot:
        """One build; return the files as they were before it read them, so that a save
        made while it runs (after it read that file) starts the next round."""
        self.rounds += 1
        seen = self._snapshot()
        try:
            project = Project.load(self.path)
            watched = (self.skip, self.extra)
            self._follow(project)
            if (self.skip, self.extra) != watched:  # now watching other files: as they are
                seen = self._snapshot()
            self.build(project)
        except ApecdocsError as exc:  # a plugin's failure too (it names the plugin and hook)
            self.say(f"error: {exc}")
        except OSError as exc:  # a read-only or full disk: the next round may do better
            self.say(f"error: {environment_error(exc)}")
        return seen

    def _follow(self, project: Project) -> None:
        """Watch what this project uses outside its folder too: plugins, their styles."""
        self.skip = [project.output_dir, project.cache_dir]
        files = set(cache.plugin_files(project.plugins))
        for doc_type in project.document_types.values():
            for folder in (doc_type.styles,
                           doc_type.template.parent if doc_type.template else None):
                if folder is not None and folder.is_dir():
                    files.update(f for f in folder.rglob("*") if f.is_file())
        self.extra = sorted(f for f in files if not f.is_relative_to(self.root))


def _short(path: str, root: Path) -> str:
    try:
        return str(Path(path).relative_to(root))
    except ValueError:
        return path
