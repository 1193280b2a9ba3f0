"""Plugin hooks run under guard: a plugin's crash or hang names the plugin and the hook.

Plugins are code and fully trusted, but their authors make mistakes like anyone: a
hook that raises must not end in a traceback (nor be blamed on apecdocs as an
"internal error"), and a hook that never returns must not hang the build. Every hook
implementation is wrapped when its plugin is registered (``GuardedManager``): it runs
in a helper thread (kept for later calls) that is given ``hook_timeout()`` seconds; an
exception becomes a ``PluginError`` naming the plugin, the hook and the plugin's own line. (A
``wrapper=True`` hook, a generator around the others, runs in the caller's thread with
no time limit; its own exceptions are named likewise.) An
``ApecdocsError`` a plugin raises on purpose passes through unchanged: it is a finding
about the user's project.
"""

from __future__ import annotations

import contextvars
import functools
import os
import queue
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pluggy

from .errors import ApecdocsError
from .interrupt import STOP

TIMEOUT_VARIABLE = "APECDOCS_HOOK_TIMEOUT"
DEFAULT_TIMEOUT = 300.0  # seconds; the slowest first-party hook takes a few on a long report


def hook_timeout() -> float:
    """Seconds one hook call may take (``APECDOCS_HOOK_TIMEOUT``; 0 means no limit)."""
    value = os.environ.get(TIMEOUT_VARIABLE, "")
    try:
        return float(value) if value.strip() else DEFAULT_TIMEOUT
    except ValueError:
        raise ApecdocsError(f"{TIMEOUT_VARIABLE}={value!r} is not a number of seconds",
                            hint="Set it to e.g. 600, or 0 for no limit.") from None


class PluginError(ApecdocsError):
    """A plugin's hook raised or did not finish in time."""

    def __init__(self, message: str, *, plugin: str, hook: str, file: Path | str | None = None,
                 line: int | None = None, hint: str | None = None) -> None:
        super().__init__(message, file=file, line=line, hint=hint)
        self.plugin = plugin
        self.hook = hook


class GuardedManager(pluggy.PluginManager):
    """A plugin manager whose hook implementations are guarded as they are registered."""

    def register(self, plugin: object, name: str | None = None) -> str | None:
        registered = super().register(plugin, name)
        if registered is not None:
            guard_plugin(self, plugin)
        return registered


def guard_plugin(pm: pluggy.PluginManager, plugin: object) -> None:
    """Wrap each of ``plugin``'s hook implementations (not pluggy wrappers, which are
    generators around the others)."""
    shown = plugin_label(pm, plugin)
    files = _plugin_files(plugin)  # once per plugin: it resolves a path
    for caller in pm.get_hookcallers(plugin) or []:
        for impl in caller.get_hookimpls():
            if impl.plugin is not plugin or impl.hookwrapper:
                continue
            if getattr(impl.function, "__apecdocs_guarded__", False):
                continue
            guard = _guarded_wrapper if impl.wrapper else _guarded
            impl.function = guard(impl.function, shown, caller.name, files)


def plugin_label(pm: pluggy.PluginManager, plugin: object) -> str:
    """How messages name a plugin: its project file, or its registered name."""
    source = getattr(plugin, "__apecdocs_source__", None)
    if source:
        return Path(source).name
    name = pm.get_name(plugin)
    if not name or name.isdigit():  # registered in Python without a name: pluggy uses id()
        name = getattr(plugin, "__name__", None) or type(plugin).__name__
    return name


def _plugin_files(plugin: object) -> tuple[str, ...]:
    """Where the plugin's code lives: a traceback frame there is the plugin's line."""
    module = sys.modules.get(getattr(plugin, "__name__", ""), plugin)
    file = getattr(module, "__apecdocs_source__", None) or getattr(module, "__file__", None)
    if not file:
        file = getattr(sys.modules.get(type(plugin).__module__), "__file__", None)
    if not file:
        return ()
    path = Path(file).resolve()
    return (str(path.parent if path.name == "__init__.py" or "." in getattr(module, "__name__", "")
                else path),)


def _guarded(function: Callable[..., Any], plugin: str, hook: str,
             files: tuple[str, ...]) -> Callable[..., Any]:
    @functools.wraps(function)
    def call(*args: Any) -> Any:
        limit = hook_timeout()
        box: dict[str, Any] = {}
        done = threading.Event()
        context = contextvars.copy_context()

        def run() -> None:
            try:
                box["value"] = context.run(function, *args)
            except BaseException as exc:  # handed to the caller's thread
                box["error"] = exc
            finally:
                done.set()

        _submit(run, f"apecdocs {plugin}.{hook}")
        deadline = time.monotonic() + limit if limit > 0 else None
        while not done.wait(0.05):  # short waits: Ctrl-C must not wait for a stuck plugin
            if STOP.is_set():
                raise ApecdocsError(f"interrupted while plugin '{plugin}' ran hook '{hook}'")
            if deadline is None or time.monotonic() < deadline:
                continue
            raise PluginError(
                f"plugin '{plugin}' did not finish hook '{hook}' within {limit:g} s",
                plugin=plugin, hook=hook,
                hint=f"The build stopped waiting for it. Fix the plugin, or allow longer "
                     f"with {TIMEOUT_VARIABLE}=<seconds> (0: no limit).")
        error = box.get("error")
        if error is None:
            return box.get("value")
        if isinstance(error, ApecdocsError) or not isinstance(error, Exception):
            raise error
        file, line = _plugin_frame(error, files)
        raise _failure(error, plugin, hook, file, line) from error

    call.__apecdocs_guarded__ = True  # type: ignore[attr-defined]
    return call


class _Worker(threading.Thread):
    """A helper thread that runs guarded hook calls one at a time and, after each, waits
    for the next: a build makes hundreds of hook calls, and starting a thread for each
    cost more than most hooks take. A call that never returns keeps its worker, which
    is never handed another call."""

    def __init__(self) -> None:
        super().__init__(name="apecdocs hook", daemon=True)
        self.calls: queue.SimpleQueue[tuple[Callable[[], None], str]] = queue.SimpleQueue()
        self.start()

    def run(self) -> None:
        while True:
            call, name = self.calls.get()
            self.name = name
            call()  # it catches everything and sets its own ``done``
            self.name = "apecdocs hook"
            with _idle_lock:
                _idle.append(self)


_idle: list[_Worker] = []  # workers waiting for a call
_idle_lock = threading.Lock()
os.register_at_fork(after_in_child=_idle.clear)  # a forked child has none of those threads


def _submit(call: Callable[[], None], name: str) -> None:
    """Run ``call`` in an idle worker, or in a new one if none is idle."""
    with _idle_lock:
        worker = _idle.pop() if _idle else None
    (worker or _Worker()).calls.put((call, name))


def _guarded_wrapper(function: Callable[..., Any], plugin: str, hook: str,
                     files: tuple[str, ...]) -> Callable[..., Any]:
    """A wrapper hook (``wrapper=True``: a generator around the other implementations)
    runs in the caller's thread; an exception raised in its own code names it. What
    the implementations inside it raise passes through unchanged."""

    @functools.wraps(function)
    def call(*args: Any) -> Any:
        try:
            return (yield from function(*args))
        except ApecdocsError:
            raise
        except Exception as error:
            file, line = _plugin_frame(error, files)
            if file is None:  # not the wrapper's own mistake
                raise
            raise _failure(error, plugin, hook, file, line) from error

    call.__apecdocs_guarded__ = True  # type: ignore[attr-defined]
    return call


def _failure(error: Exception, plugin: str, hook: str, file: str | None,
             line: int | None) -> PluginError:
    """The one message for a plugin's own mistake in a hook, at its line if known."""
    return PluginError(
        f"plugin '{plugin}' failed in hook '{hook}': {type(error).__name__}: {error}",
        plugin=plugin, hook=hook, file=file, line=line,
        hint="This is a mistake in the plugin, not in your project: fix the plugin or "
             "remove it; 'apecdocs --debug ...' shows the traceback.")


def _plugin_frame(error: BaseException, files: tuple[str, ...]) -> tuple[str | None, int | None]:
    """The innermost traceback line inside the plugin's own code, if any."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if any(frame.filename.startswith(f) for f in files):
            return frame.filename, frame.lineno
    return None, None


def call_each(caller: Any, **kwargs: Any) -> tuple[list[Any], list[ApecdocsError]]:
    """Call each implementation of a hook on its own, so one plugin's failure does not
    hide what the others return (``check`` lists every plugin's findings). Returns the
    results (last registered first, as pluggy) and the errors."""
    results: list[Any] = []
    errors: list[ApecdocsError] = []
    for impl in reversed(caller.get_hookimpls()):
        try:
            result = impl.function(*[kwargs[name] for name in impl.argnames])
        except ApecdocsError as exc:
            errors.append(exc)
            continue
        if result is not None:
            results.append(result)
    return results, errors
