"""A long bibliography rendered on two cores: half in a forked copy of this process.

Rendering the entries is most of a cold build's citation time (on deep-review's 615
entries: 0.24 s in IEEE, 0.53 s in Chicago), and each entry is rendered on its own once
the cites are registered, sorted and disambiguated. That state is the whole engine, so
it is not rebuilt in a new process: a fork has it all at no cost. The copy renders the
second half of the entries and sends them back as JSON, while this process renders the
first half.

Only where forking is sound and worth it: on Linux, for at least ``MIN_ENTRIES``
entries, when a core is free (``apecdocs.pandoc.spare_slot``: in a build of several
documents the cores are busy, and a fork would only compete). The copy closes every
file it inherited but its pipe, writes nothing else, and ends with ``os._exit``: it
never runs this process's exit handlers or flushes its buffers. If it fails, sends
something unreadable or has not answered within ``PATIENCE`` times the first half's
render time plus one second, it is killed and its half rendered here: the entries (and any error about
an entry) are the same either way.
"""

from __future__ import annotations

import gc
import os
import select
import signal
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import orjson

from apecdocs import pandoc

T = TypeVar("T")
MIN_ENTRIES = 200
PATIENCE = 4  # times the first half's own render time, plus one second


def render(items: Sequence[T], first: Callable[[Sequence[T]], list[Any]],
           second: Callable[[Sequence[T]], list[Any]]) -> list[Any]:
    """``first(items)``, as ``first(items[:half]) + second(items[half:])`` with the
    second part made in a forked copy where that is sound and worth it. ``second`` must
    give what ``first`` gives for the same items. What it changes in the engine is the
    copy's and is lost: nothing after may depend on it (the bibliography's rendering
    changes nothing the engine reads later)."""
    if len(items) < MIN_ENTRIES or not sys.platform.startswith("linux") or pandoc.SLOTS < 2:
        return first(items)
    with pandoc.spare_slot() as free:
        if not free:
            return first(items)
        half = len(items) // 2
        reader, writer = os.pipe()
        try:
            child = os.fork()
        except OSError:
            os.close(reader)
            os.close(writer)
            return first(items)
        if child == 0:
            _child(writer, lambda: second(items[half:]))
        os.close(writer)
        started = time.perf_counter()
        try:
            ours = first(items[:half])
        except BaseException:
            _kill(child, reader)
            raise
        theirs = _receive(child, reader, PATIENCE * (time.perf_counter() - started) + 1)
    return ours + (theirs if theirs is not None else first(items[half:]))


def _child(writer: int, work: Callable[[], list[Any]]) -> None:
    """In the forked copy: do ``work``, send it, end. Never returns."""
    code = 1
    try:
        gc.disable()  # a collection would walk, and so copy, every page of the tree
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends the copy at once
        os.closerange(3, writer)  # a pandoc's input pipe held open here would stall it
        os.closerange(writer + 1, _max_fd())
        data = orjson.dumps(work())
        view = memoryview(data)
        while view:
            view = view[os.write(writer, view):]
        code = 0
    finally:
        os._exit(code)


def _receive(child: int, reader: int, patience: float) -> list[Any] | None:
    """The copy's entries; None if it failed or is too slow (then it is killed)."""
    chunks = []
    deadline = time.perf_counter() + patience
    try:
        while True:
            left = deadline - time.perf_counter()
            if left <= 0 or not select.select([reader], [], [], left)[0]:
                _kill(child, None)
                return None
            chunk = os.read(reader, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(reader)
    _, status = os.waitpid(child, 0)
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return None
    try:
        return orjson.loads(b"".join(chunks))
    except orjson.JSONDecodeError:
        return None


def _kill(child: int, reader: int | None) -> None:
    try:
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
    except OSError:
        pass
    if reader is not None:
        os.close(reader)


def _max_fd() -> int:
    try:
        return os.sysconf("SC_OPEN_MAX")
    except (OSError, ValueError):
        return 4096
