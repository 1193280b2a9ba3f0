"""State shared by the modules that patch citeproc-py, per thread (documents render in
parallel threads): what ``patches``' context managers set, the others read."""

from __future__ import annotations

import threading

current = threading.local()


def in_bibliography() -> bool:
    """Whether the bibliography is being rendered (not citations)."""
    return getattr(current, "bibliography", False)
