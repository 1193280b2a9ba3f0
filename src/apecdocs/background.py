"""A call run at most once on a thread of its own, its result awaited later.

The build starts plugins' ``prepare_document`` this way when a source has to go to
pandoc, so their preparation fills the time the build waits for pandoc.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class Background:
    """``call`` run on its own thread by the first ``start``; ``finish`` waits for it
    (if it started) and raises what it raised."""

    def __init__(self, call: Callable[[], Any], name: str = "background") -> None:
        self._call = call
        self._name = name
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()

    def _run(self) -> None:
        try:
            self._call()
        except BaseException as exc:  # raised in the thread that waits for it
            self._error = exc

    def finish(self) -> None:
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join()
        if self._error is not None:
            raise self._error
