"""Ctrl-C: one press stops a build at once, with exit code 130 and one line, never a
traceback, whatever is running (pandoc, a plugin stuck in a hook, Python's imports)."""

from __future__ import annotations

import os
import sys
import threading

EXIT_CODE = 130
# Set when the user interrupts: guarded hooks stop waiting for their plugin at once.
STOP = threading.Event()


def interrupted() -> None:
    """Say so and end now: worker threads that are still busy are not waited for;
    outputs are only ever replaced whole, so none is left half-written."""
    STOP.set()
    try:
        sys.stderr.write("interrupted: targets that were not finished keep their previous "
                         "output; nothing was left half-written\n")
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    others = [t for t in threading.enumerate()
              if t is not threading.main_thread() and not t.daemon and t.is_alive()]
    if others:
        os._exit(EXIT_CODE)
    raise SystemExit(EXIT_CODE)
