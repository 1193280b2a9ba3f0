"""Which plugins (and which versions of each distribution) are installed, kept between runs.

Finding the ``apecdocs`` entry points means reading the metadata of every installed
distribution (and importing ``importlib.metadata``): a twentieth of a second of each
start, the same answer every time until something is installed, upgraded or removed.
The answer is kept in the user's cache folder under a key made from what ``sys.path``
holds: the name (with its version) of every ``*.dist-info`` and ``*.egg-info`` folder
and the size and time of its ``entry_points.txt``, so installing, upgrading or
removing a distribution, or editing its entry points, finds the plugins again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

FORMAT = 2


def cache_folder() -> Path:
    """``$APECDOCS_CACHE``, else ``$XDG_CACHE_HOME/apecdocs``, else ``~/.cache/apecdocs``."""
    if os.environ.get("APECDOCS_CACHE"):
        return Path(os.environ["APECDOCS_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "apecdocs"


def installed_key() -> str:
    """A digest of the installed distributions and their entry points, from stat calls."""
    h = hashlib.sha256(f"{FORMAT} {sys.version}".encode())
    for entry in sys.path:
        h.update(b"\0" + os.fsencode(entry))
        try:
            if not os.path.isdir(entry or "."):
                stat = os.stat(entry)  # a zip: its distributions change with it
                h.update(f" {stat.st_size} {stat.st_mtime_ns}".encode())
                continue
            names = sorted(e.name for e in os.scandir(entry or ".")
                           if e.name.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
        for name in names:
            h.update(b"\1" + name.encode("utf-8", "surrogateescape"))
            try:
                stat = os.stat(os.path.join(entry or ".", name, "entry_points.txt"))
                h.update(f" {stat.st_size} {stat.st_mtime_ns}".encode())
            except OSError:
                pass
    return h.hexdigest()


def entry_points(group: str) -> list[tuple[str, str, str, str]]:
    """(name, value, distribution, version) of each entry point in ``group``, in
    ``importlib.metadata``'s order: from the cache when nothing installed changed."""
    return [tuple(row) for row in _kept(f"entry-points {group}", lambda: _scan(group), _rows)]


def distribution_version(name: str) -> str | None:
    """The installed version of distribution ``name`` (None if it is not installed), from
    the cache when nothing installed changed: a plugin checking a library's version, or
    a build keying its outputs on one, need not import ``importlib.metadata``."""
    return _kept("versions", _versions, _names).get(_normal(name))


def _rows(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(row, list) and len(row) == 4 and all(isinstance(x, str) for x in row)
        for row in value)


def _names(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())


def _kept(what: str, compute: Any, valid: Any) -> Any:
    """``compute()``, kept in the cache folder under the installed distributions' key; a
    kept value that is not ``valid`` (a damaged file) is computed again."""
    key = installed_key()
    # One file per question and search path (``python -m`` searches the current folder first).
    where = hashlib.sha256(json.dumps([what, sys.path]).encode()).hexdigest()[:16]
    name = "entry-points" if what.startswith("entry-points ") else what
    path = cache_folder() / f"{name}-{where}.json"
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        if kept.get("key") == key and valid(kept["value"]):
            return kept["value"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    rows = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_text(json.dumps({"key": key, "value": rows}), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:  # a read-only home: found again next time, nothing lost
        pass
    return rows


def _normal(name: str) -> str:
    """A distribution name as the packaging standards compare them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _versions() -> dict[str, str]:
    import importlib.metadata

    versions: dict[str, str] = {}
    for dist in importlib.metadata.distributions():  # the first on sys.path wins, as import
        name = dist.metadata["name"]
        if name:
            versions.setdefault(_normal(name), dist.version)
    return versions


def _scan(group: str) -> list[tuple[str, str, str, str]]:
    import importlib.metadata

    rows = []
    for dist in importlib.metadata.distributions():
        for ep in dist.entry_points:
            if ep.group == group:
                rows.append((ep.name, ep.value, dist.metadata["name"], dist.version))
    return rows
