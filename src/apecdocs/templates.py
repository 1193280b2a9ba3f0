"""Jinja2 for Markdown sources: sandboxed, strict, with errors that name file and line.

Comments use ``{## ... ##}`` rather than Jinja's ``{# ... #}``, which would swallow
pandoc's attribute syntax (``# Heading {#sec-intro}``). A source's YAML front matter
is blanked out, line for line, so Jinja's line numbers are the file's line numbers.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment

from . import limits, values
from .confine import confine
from .errors import ApecdocsError
from .loads import loaded
from .template_errors import (
    missing_attribute,
    unclosed_block,
    undefined_hint,
    unknown_filter_hint,
)
from .yamlcheck import split_front_matter


class ConfinedLoader(jinja2.BaseLoader):
    """Loads templates from folders, refusing anything that resolves outside its folder's
    boundary (the project folder for the project's own ``templates/``)."""

    def __init__(self, roots: list[tuple[Path, Path]]) -> None:
        self.roots = roots
        self.loaded: set[Path] = set()  # every file read, for the build cache

    def get_source(self, environment: jinja2.Environment, template: str):
        pieces = jinja2.loaders.split_template_path(template)  # rejects '..'
        for folder, boundary in self.roots:
            candidate = folder.joinpath(*pieces)
            if not candidate.is_file():
                continue
            path = confine(candidate, [boundary], what="included file",
                           hint="Include only files inside the project folder; a symlink "
                           "that points outside it is refused.")
            text = path.read_text(encoding="utf-8")
            self.loaded.add(path)
            _, body = split_front_matter(text)
            mtime = path.stat().st_mtime
            return body, str(path), lambda p=path, m=mtime: p.stat().st_mtime == m
        raise jinja2.TemplateNotFound(template)


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox with everything a template builds bounded (``limits``): text and
    lists (``'x'.ljust(10**9)``, ``'x' * 10**10``, ``'%0999999999d'|format(1)``, ``~``
    chains), numbers (``9 ** 9 ** 9``), loop iterations, output and time per source.
    Immutable: a template cannot change the values the next source sees
    (``project.update(...)``)."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    MAX_ITEMS = limits.MAX_ITEMS
    MAX_BITS = limits.MAX_BITS

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and _int(left) and _int(right) and abs(left) > 1 and \
                right * abs(left).bit_length() > self.MAX_BITS:
            raise jinja2.exceptions.SecurityError(f"{left} ** {right} is too large a number")
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and _int(n) and \
                        len(seq) * n > self.MAX_ITEMS:
                    raise jinja2.exceptions.SecurityError("a repeated text or list this long "
                                                          f"({len(seq) * n} items) is refused")
        if operator == "%" and isinstance(left, str):
            limits.check_format(left, right if isinstance(right, tuple) else (right,))
        return limits.bounded(super().call_binop(context, operator, left, right))

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        limits.tick()
        limits.check_call(obj, args, kwargs)
        return limits.bounded(super().call(context, obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> Any:
        if isinstance(getattr(value, "__self__", None), str) and \
                getattr(value, "__name__", "") in ("format", "format_map"):
            limits.check_format(value.__self__, ())
        return super().wrap_str_format(value)

    def _parse(self, source: str, name: str | None, filename: str | None) -> Any:
        tree = limits.Bounds().visit(super()._parse(source, name, filename))
        tree.set_environment(self)
        return tree

    def _load_template(self, name: Any, globals: Any) -> Any:
        template = super()._load_template(name, globals)
        if template.filename:
            loaded(Path(template.filename))
        return template


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def environment(roots: list[tuple[Path, Path]], filters: dict[str, Any],
                globals_: dict[str, Any]) -> SandboxedEnvironment:
    """The sandbox for Markdown sources. ``roots``: (folder, boundary) pairs that
    ``{% include %}`` may read from; a file must resolve inside its boundary.

    Every ``{{ value }}`` is escaped as Markdown text (``values.finalize``) unless it is
    ``Markup``: written by a plugin as Markdown, or marked ``| raw`` by the author.
    """
    env = BoundedSandbox(
        loader=ConfinedLoader(roots),
        undefined=jinja2.StrictUndefined,
        comment_start_string="{##",
        comment_end_string="##}",
        keep_trailing_newline=True,
        autoescape=True,
        finalize=limits.finalize,
    )
    env.filters.update(limits.bounded_filters(env.filters))
    env.filters.update(filters)
    env.filters.update({"raw": values.raw, "safe": values.raw, "code": values.code,
                        "replace": limits.replace,
                        limits.LOOP: limits.loop, limits.SIZE: limits.size})
    env.globals.update(globals_)
    return env


def render(env: SandboxedEnvironment, name: str, context: dict[str, Any], shown_as: Path) -> str:
    """Render template ``name`` within the limits of one source (``limits.budget``);
    any error becomes an ``ApecdocsError`` at its line."""
    try:
        with limits.budget():
            return limits.collect(env.get_template(name).generate(context))
    except ApecdocsError as exc:
        if exc.file is None:  # a refused include: say where it was asked for
            file, line = _template_frame(exc, shown_as)
            raise ApecdocsError(exc.message, file=file, line=line, hint=exc.hint) from None
        raise
    except jinja2.TemplateSyntaxError as exc:
        file = _shown(exc.filename, shown_as)
        unclosed = unclosed_block(exc.message or "", exc.source or "", exc.lineno)
        if unclosed:
            raise ApecdocsError(f"template syntax error: {unclosed[0]}", file=file,
                                line=unclosed[1], hint="Close each block where it ends; "
                                "blocks close in the reverse order they open.") from None
        raise ApecdocsError(
            f"template syntax error: {exc.message}",
            file=file,
            line=exc.lineno,
            hint=unknown_filter_hint(exc.message or "", env) or "Check the {{ }} and {% %} on "
            "that line; write {{ '{{' }} for a literal brace.",
        ) from None
    except jinja2.UndefinedError as exc:
        file, line = _template_frame(exc, shown_as)
        attribute = missing_attribute(exc.message or "", context, file, line)
        if attribute:
            raise ApecdocsError(attribute[0], file=file, line=line, hint=attribute[1]) from None
        raise ApecdocsError(
            f"unknown template variable: {exc.message}",
            file=file,
            line=line,
            hint=undefined_hint(exc.message or "", context) or _names_hint(context),
        ) from None
    except jinja2.exceptions.SecurityError as exc:
        file, line = _template_frame(exc, shown_as)
        raise ApecdocsError(
            f"not allowed in a template: {exc}", file=file, line=line,
            hint="Templates may present data but not run code.",
        ) from None
    except jinja2.TemplateNotFound as exc:
        file, line = _template_frame(exc, shown_as)
        raise ApecdocsError(
            f"included file not found inside the project: {exc.name}",
            file=file, line=line,
            hint="Give a path relative to the project folder, inside it.",
        ) from None
    except (TypeError, ValueError, KeyError, AttributeError, ZeroDivisionError,
            OverflowError, RecursionError, IndexError, MemoryError) as exc:
        file, line = _template_frame(exc, shown_as)
        raise ApecdocsError(f"template error: {exc}", file=file, line=line) from None


def _template_frame(exc: BaseException, shown_as: Path) -> tuple[Path, int | None]:
    """The innermost traceback frame that is a template: Jinja rewrites those frames."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename and not frame.filename.endswith(".py") and frame.filename != "<template>":
            return _shown(frame.filename, shown_as), frame.lineno
    return shown_as, None


def _shown(filename: str | None, fallback: Path) -> Path:
    return Path(filename) if filename else fallback


def _names_hint(context: dict[str, Any]) -> str:
    names = ", ".join(sorted(k for k in context if not k.startswith("_")))
    return f"Names available here: {names}."
