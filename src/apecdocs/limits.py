"""What a template may build: bounds on text, lists, loops, output and time per source.

Jinja's sandbox stops a template from running code, not from building a gigabyte string
(``'x'.ljust(10**9)``, ``'%0999999999d'|format(1)``, ``~`` chains) or looping forever
(nested ``range(99999)``). Each rendered source gets a budget (``budget``); the sandbox
(``templates.BoundedSandbox``) checks calls, operators and filters against it, and
``Bounds`` rewrites each template so that its loops count their iterations and its
``~`` and filter results are measured. Exceeding a limit raises Jinja's
``SecurityError``, which the renderer reports at the template's file and line.

The values are in docs/security.md; normal documents stay far below them.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from jinja2 import nodes, pass_context
from jinja2.exceptions import SecurityError
from jinja2.filters import make_attrgetter
from jinja2.visitor import NodeTransformer
from markupsafe import Markup

from .values import finalize as escape_value
from .values import markdown_text

MAX_ITEMS = 10_000_000  # the longest text, the largest list or mapping a template builds
MAX_BITS = 100_000  # the largest number (in bits) ``**`` may make
MAX_ITERATIONS = 1_000_000  # loop iterations and calls while rendering one source
MAX_OUTPUT = 50_000_000  # characters one source may render to
MAX_SECONDS = 60.0  # time to render one source

LOOP = "_apecdocs_loop"
SIZE = "_apecdocs_size"

_state = threading.local()


class _Budget:
    def __init__(self) -> None:
        self.deadline = time.monotonic() + MAX_SECONDS
        self.iterations = 0
        self.output = 0


@contextmanager
def budget() -> Iterator[None]:
    """The limits of rendering one source (nested renders share the outer budget)."""
    outer = getattr(_state, "budget", None)
    if outer is None:
        _state.budget = _Budget()
    try:
        yield
    finally:
        if outer is None:
            _state.budget = None


def tick(weight: int = 0) -> None:
    """Count one loop iteration or call (and ``weight`` characters of output)."""
    b = getattr(_state, "budget", None)
    if b is None:
        return
    b.iterations += 1
    b.output += weight
    if b.iterations > MAX_ITERATIONS:
        raise SecurityError(f"the template runs more than {MAX_ITERATIONS:,} loop iterations "
                            "and calls")
    if b.output > MAX_OUTPUT:
        raise SecurityError(f"the template's output exceeds {MAX_OUTPUT:,} characters")
    if time.monotonic() > b.deadline:
        raise SecurityError(f"rendering took longer than {MAX_SECONDS:g} seconds")


def _charge(chars: int) -> None:
    b = getattr(_state, "budget", None)
    if b is not None:
        b.output += chars
        if b.output > MAX_OUTPUT:
            raise SecurityError(f"the template's output exceeds {MAX_OUTPUT:,} characters")


def finalize(value: Any) -> Any:
    """``{{ value }}``: escaped as Markdown text (``values.finalize``), and counted."""
    out = escape_value(value)
    if isinstance(out, str):
        _charge(len(out))
    return out


def collect(chunks: Iterable[str]) -> str:
    """A template's output, stopped as soon as it grows past ``MAX_OUTPUT``."""
    parts: list[str] = []
    total = 0
    for chunk in chunks:
        total += len(chunk)
        if total > MAX_OUTPUT:
            raise SecurityError(f"the template's output exceeds {MAX_OUTPUT:,} characters")
        parts.append(chunk)
    return "".join(parts)


def bounded(value: Any) -> Any:
    """``value`` if it is no larger than ``MAX_ITEMS``."""
    if isinstance(value, str | list | tuple | dict | set | frozenset | bytes) and \
            len(value) > MAX_ITEMS:
        raise SecurityError(f"a text or list of {len(value):,} items is refused "
                            f"(the limit is {MAX_ITEMS:,})")
    return value


def _too_big(estimate: int, what: str) -> None:
    if estimate > MAX_ITEMS:
        raise SecurityError(f"{what} would make a text of about {estimate:,} characters "
                            f"(the limit is {MAX_ITEMS:,})")


_WIDTH = re.compile(r"[%:][^a-zA-Z%{}]*?(\d+)")


def check_format(fmt: str, args: tuple) -> None:
    """Refuse a format string whose widths or precisions build huge texts."""
    for match in _WIDTH.finditer(fmt):
        _too_big(int(match.group(1)), f"the format '{fmt[:40]}'")
    if "*" in fmt:
        for arg in args:
            if isinstance(arg, int) and not isinstance(arg, bool):
                _too_big(abs(arg), f"the format '{fmt[:40]}'")


_WIDTH_METHODS = {"ljust", "rjust", "center", "zfill"}


def check_call(obj: Any, args: tuple, kwargs: dict) -> None:
    """Refuse a call of a text method whose result would be huge, before it runs."""
    owner = getattr(obj, "__self__", None)
    name = getattr(obj, "__name__", "")
    if not isinstance(owner, str):
        return
    if name in _WIDTH_METHODS and args and isinstance(args[0], int):
        _too_big(args[0], f"'{name}({args[0]})'")
    elif name == "expandtabs":
        size = args[0] if args and isinstance(args[0], int) else 8
        _too_big(len(owner) + owner.count("\t") * size, "'expandtabs'")
    elif name == "replace" and len(args) >= 2 and isinstance(args[0], str):
        _too_big(_replaced_size(owner, args[0], str(args[1])), "'replace'")
    elif name == "join" and args and hasattr(args[0], "__len__"):
        _too_big(len(owner) * len(args[0]), "'join'")


def _replaced_size(text: str, old: str, new: str) -> int:
    count = text.count(old) if old else len(text) + 1
    return len(text) + count * len(new)


# -- filters ---------------------------------------------------------------------------

def bounded_filters(filters: dict[str, Any]) -> dict[str, Any]:
    """Jinja's own filters that take a size, checked before they build anything."""
    out: dict[str, Any] = {}

    def width_checked(name: str, keyword: str) -> None:
        original = filters[name]
        passed = 1 if getattr(original, "jinja_pass_arg", None) else 0  # context first

        def checked(*args: Any, **kwargs: Any) -> Any:
            value = kwargs.get(keyword, args[passed + 1] if len(args) > passed + 1 else None)
            if isinstance(value, int) and not isinstance(value, bool):
                lines = str(args[passed]).count("\n") + 1 if name == "indent" else 1
                _too_big(abs(value) * lines, f"'{name}({value})'")
            return original(*args, **kwargs)

        if passed:
            checked.jinja_pass_arg = original.jinja_pass_arg  # type: ignore[attr-defined]
        out[name] = checked

    # (filter, the keyword of its size argument, which follows the value)
    for name, keyword in (("center", "width"), ("indent", "width"), ("batch", "linecount"),
                          ("slice", "slices")):
        if name in filters:
            width_checked(name, keyword)

    original_format = filters["format"]

    def format_(value: Any, *args: Any, **kwargs: Any) -> Any:
        check_format(str(value), args)
        return original_format(value, *args, **kwargs)

    out["format"] = format_

    original_join = filters["join"]

    def join(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> Any:
        if hasattr(value, "__len__"):
            _too_big(len(str(d)) * len(value), "'join'")
        return original_join(eval_ctx, value, d, attribute)

    join.jinja_pass_arg = original_join.jinja_pass_arg  # type: ignore[attr-defined]
    out["join"] = join

    original_sum = filters["sum"]

    def sum_(environment: Any, iterable: Any, attribute: Any = None, start: Any = 0) -> Any:
        if isinstance(start, int | float):
            return original_sum(environment, iterable, attribute, start)
        total = start  # adding lists or texts: one at a time, each result measured
        get = make_attrgetter(environment, attribute) if attribute is not None else None
        for item in iterable:
            tick()
            total = bounded(total + (get(item) if get else item))
        return total

    sum_.jinja_pass_arg = original_sum.jinja_pass_arg  # type: ignore[attr-defined]
    out["sum"] = sum_
    return out


def replace(value: Any, old: str, new: str, count: int | None = None) -> Markup:
    """``replace``, on the text as Markdown: the value is escaped first (unless it is
    Markup), so ``name | replace("|", "/")`` cannot turn data into markup."""
    text = value if isinstance(value, Markup) else Markup(markdown_text(value))
    new_text = new if isinstance(new, Markup) else markdown_text(new)
    old_text = old if isinstance(old, Markup) else markdown_text(old)
    _too_big(_replaced_size(str(text), str(old_text), str(new_text)), "'replace'")
    result = str(text).replace(str(old_text), str(new_text), -1 if count is None else count)
    return Markup(result)


@pass_context
def loop(context: Any, iterable: Any, weight: int = 0) -> Iterator[Any]:
    """A ``{% for %}``'s iterable, counted; ``weight``: the literal text of its body."""
    for item in iterable:
        tick(weight)
        yield item


@pass_context
def size(context: Any, value: Any) -> Any:
    """A ``~`` or filter result, measured."""
    tick()
    return bounded(value)


class Bounds(NodeTransformer):
    """Rewrites a parsed template: loops go through ``loop``, ``~`` and filter results
    through ``size``."""

    def visit_For(self, node: nodes.For) -> nodes.For:
        self.generic_visit(node)
        weight = sum(len(t.data) for child in node.body
                     for t in child.find_all(nodes.TemplateData))
        node.iter = nodes.Filter(node.iter, LOOP, [nodes.Const(weight)], [], None, None,
                                 lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Expr:
        self.generic_visit(node)
        return nodes.Filter(node, SIZE, [], [], None, None, lineno=node.lineno)

    def visit_Filter(self, node: nodes.Filter) -> nodes.Expr:
        self.generic_visit(node)
        if node.node is None or node.name in (LOOP, SIZE):
            return node  # a {% filter %} block's filter has no expression to wrap
        return nodes.Filter(node, SIZE, [], [], None, None, lineno=node.lineno)
