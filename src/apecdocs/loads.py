"""Which template files a thread loads: the files one document's build depends on.

Apart from ``templates`` so that a build whose sources use no Jinja loads no Jinja.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_tracking = threading.local()


@contextmanager
def track_loads() -> Iterator[set[Path]]:
    """The template files this thread loads inside the block (cached or not): the
    sources and ``{% include %}``d files one document's build depends on."""
    files: set[Path] = set()
    previous = getattr(_tracking, "files", None)
    _tracking.files = files
    try:
        yield files
    finally:
        _tracking.files = previous


def loaded(path: Path) -> None:
    """Note that this thread loaded ``path``, if a build is tracking it."""
    files = getattr(_tracking, "files", None)
    if files is not None:
        files.add(path)
