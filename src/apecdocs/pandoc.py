"""The bridge to pandoc: parse Markdown to the JSON AST once, write each format from it.

We call the pandoc binary that pypandoc-binary ships directly (pypandoc's own
``convert_*`` runs pandoc several times per call to verify formats). Writers run with
``--sandbox``: pandoc reads nothing but the files we name, so content cannot pull in a
file from outside the project; images reach it as data URIs, checked by us first.
PDF goes through pandoc's Typst writer and the ``typst`` wheel: no LaTeX.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from . import plugin_cache
from .errors import ApecdocsError
from .model import WriteOptions

MARKDOWN = "markdown"

# pandoc processes at once, across all threads of a build: one per core we may use.
SLOTS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
_slots = threading.BoundedSemaphore(SLOTS)
_holding = threading.local()
_single = 0  # > 0 while a build runs that may take one core only (``one_core``)
_single_lock = threading.Lock()


@contextmanager
def slot() -> Iterator[None]:
    """One of the ``SLOTS``, for a process about to run. A thread that holds one already
    keeps it: a PDF's Typst runs in the slot its pandoc ran in, rather than waiting
    behind the other formats' processes while its own (the longest) is next."""
    if getattr(_holding, "depth", 0):
        _holding.depth += 1
        try:
            yield
        finally:
            _holding.depth -= 1
        return
    with _slots:
        _holding.depth = 1
        try:
            yield
        finally:
            _holding.depth = 0


@contextmanager
def one_core() -> Iterator[None]:
    """Within the block no thread gets a ``spare_slot``: a build asked to run one job at
    a time (``build -j1``) takes one core, for its halves and its plugins' work alike."""
    global _single
    with _single_lock:
        _single += 1
    try:
        yield
    finally:
        with _single_lock:
            _single -= 1


@contextmanager
def spare_slot() -> Iterator[bool]:
    """A second slot for this thread if one is free now (never waits): true if taken.
    A long DOCX or HTML page is written in two halves at once, and a plugin's work is
    split over two cores, only on a core nothing else wants, never inside ``one_core``."""
    if _single:
        yield False
        return
    taken = _slots.acquire(blocking=False)
    try:
        yield taken
    finally:
        if taken:
            _slots.release()


class PandocError(ApecdocsError):
    """pandoc refused the input or failed."""


_found = threading.Lock()  # threads of a build ask at once: find pandoc once


def pandoc_path() -> str:
    """The pandoc that pypandoc-binary ships (or ``PYPANDOC_PANDOC``), found without
    running it; pypandoc's own search runs every pandoc it finds to compare versions."""
    with _found:
        return _pandoc_path()


@functools.cache
def _pandoc_path() -> str:
    chosen = os.environ.get("PYPANDOC_PANDOC")
    if chosen and os.path.isfile(chosen) and os.access(chosen, os.X_OK):
        return chosen
    spec = importlib.util.find_spec("pypandoc")
    if not chosen and spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            shipped = Path(folder, "files", "pandoc.exe" if os.name == "nt" else "pandoc")
            if shipped.is_file() and os.access(shipped, os.X_OK):
                return str(shipped)
    import pypandoc

    try:
        return pypandoc.get_pandoc_path()
    except OSError as exc:  # pragma: no cover - only without pypandoc-binary
        raise ApecdocsError(
            "pandoc was not found", hint="Install apecdocs with its dependencies (pip install .)."
        ) from exc


def pandoc_version() -> str:
    with _found:
        return _pandoc_version()


@functools.cache
def _pandoc_version() -> str:
    """Asked of pandoc once per binary: kept in the user's cache folder by the binary's
    path, size, time and inode (running pandoc is a good part of a no-op build's time)."""
    path = _pandoc_path()
    kept = plugin_cache.cache_folder() / "pandoc-version.json"
    try:
        stat = os.stat(path)
        key = f"{path} {stat.st_size} {stat.st_mtime_ns} {stat.st_ino}"
    except OSError:
        key = ""
    known: dict = {}
    try:
        known = orjson.loads(kept.read_bytes())
        known = known if isinstance(known, dict) else {}
        if key and isinstance(known.get(key), str):
            return known[key]
    except (OSError, orjson.JSONDecodeError):
        pass
    out = subprocess.run([path, "--version"], capture_output=True, text=True, check=True)
    version = out.stdout.splitlines()[0].split()[-1]
    if key:
        # Several binaries (one per virtual environment) each keep theirs: the last few.
        others = {k: v for k, v in list(known.items())[-15:] if k != key and isinstance(v, str)}
        try:
            kept.parent.mkdir(parents=True, exist_ok=True)
            tmp = kept.with_name(f".{kept.name}.{os.getpid()}")
            tmp.write_bytes(orjson.dumps({**others, key: version}))
            os.replace(tmp, kept)
        except OSError:  # asked again next time
            pass
    return version


def run(args: list[str], data: bytes | None = None) -> tuple[bytes, list[str]]:
    """Run pandoc, always sandboxed (it reads only the files named in ``args``); return
    its output and its warnings. Fails with pandoc's message."""
    with slot():
        return _run(args, data)


# Pandoc's runtime collects its youngest garbage each time it has allocated this much.
# Its default area (sized to fill a 64 MB heap) makes it touch fresh memory for most of
# a run: with 16 MB, a long report's DOCX is written with a tenth less CPU time, and an
# empty one no slower. A user's own GHCRTS is kept; a pandoc built to ignore the
# variable says so on its error output and runs as before.
RTS_OPTIONS = "-A16m"


def _run(args: list[str], data: bytes | None) -> tuple[bytes, list[str]]:
    sandbox = [] if "--sandbox" in args else ["--sandbox"]
    env = None if "GHCRTS" in os.environ else {**os.environ, "GHCRTS": RTS_OPTIONS}
    proc = subprocess.run([pandoc_path(), *sandbox, *args], input=data, capture_output=True,
                          env=env)
    warnings = [
        line.removeprefix("[WARNING] ").strip()
        for line in proc.stderr.decode("utf-8", "replace").splitlines()
        if line.startswith("[WARNING]")
    ]
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip() or f"exit {proc.returncode}"
        raise PandocError(f"pandoc failed: {message}")
    return proc.stdout, warnings


def read(file: Path, reader: str = MARKDOWN) -> tuple[bytes, list[str]]:
    """One file parsed to the AST as pandoc's JSON. Callers parse several at once (one
    per core, ``SLOTS``), each on its own, as ``--file-scope`` would."""
    return run(["--sandbox", "-f", reader, "-t", "json", str(file)])


def parse(file: Path, reader: str = MARKDOWN) -> tuple[dict[str, Any], list[str]]:
    out, warnings = read(file, reader)
    return orjson.loads(out), warnings


def write(ast: dict[str, Any] | bytes, fmt: str, dest: Path, options: WriteOptions) -> list[str]:
    """Write ``ast`` (or its JSON, from ``dumps``) as ``fmt`` (docx, html or typst) to ``dest``."""
    _, warnings = run(write_args(fmt, dest, options), ast if isinstance(ast, bytes) else dumps(ast))
    return warnings


def write_both(jobs: list[tuple[bytes, Path, WriteOptions]], fmt: str,
               then: Callable[[Path], Any] | None = None) -> tuple[list[str], list[Any]]:
    """Write each ``(json, dest, options)`` as ``fmt`` at the same time, one process each;
    the caller holds a slot per job (``slot`` and ``spare_slot``). ``then(dest)`` runs in
    each job's thread as soon as its process ends, while the others may still run (the
    caller reads each output as it comes). Return the warnings and what ``then`` gave,
    by job. Fails with the first failure's message."""
    results: list[Any] = [None] * len(jobs)

    def one(index: int) -> None:
        data, dest, options = jobs[index]
        try:
            _, warnings = _run(write_args(fmt, dest, options), data)
            results[index] = (warnings, then(dest) if then is not None else None)
        except BaseException as exc:  # re-raised in the caller's thread
            results[index] = exc

    helpers = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(1, len(jobs))]
    for helper in helpers:
        helper.start()
    one(0)
    for helper in helpers:
        helper.join()
    warnings: list[str] = []
    for result in results:
        if isinstance(result, BaseException):
            raise result
        warnings += [w for w in result[0] if w not in warnings]
    return warnings, [result[1] for result in results]


def write_args(fmt: str, dest: Path, options: WriteOptions) -> list[str]:
    """Pandoc's arguments for writing JSON from standard input as ``fmt`` to ``dest``."""
    args = ["--sandbox", "-f", "json", "-t", {"html": "html5"}.get(fmt, fmt), "-o", str(dest)]
    if fmt in ("html", "typst") or options.template:
        args.append("--standalone")
    if fmt == "html":  # laying HTML out in 72 columns was a fifth of the writer's time;
        args.append("--wrap=none")  # a browser lays it out anyway
    if options.template:
        args += ["--template", str(options.template)]
    if options.reference_doc and fmt == "docx":
        args += ["--reference-doc", str(options.reference_doc)]
    if options.toc:
        args += ["--toc", f"--toc-depth={options.toc_depth}"]
    if options.number_sections:
        args.append("--number-sections")
    for key, value in options.variables.items():
        if isinstance(value, bool):
            args.append(f"--variable={key}:{'true' if value else 'false'}")
        elif isinstance(value, list):
            args += [f"--variable={key}:{v}" for v in value]
        else:
            args.append(f"--variable={key}:{value}")
    for key, value in options.metadata.items():
        args.append(f"--metadata={key}:{value}")
    args += options.extra_args
    return args


def dumps(ast: dict[str, Any]) -> bytes:
    """The AST as JSON bytes. orjson takes a twentieth of the standard library's time
    on a long report's AST; a plugin's float subclass (say, from YAML) is a float."""
    try:
        return orjson.dumps(ast, default=_plain)
    except orjson.JSONEncodeError as exc:
        if "ecursion" not in str(exc):
            raise
        raise too_deep(ast) from None


def too_deep(ast: dict[str, Any]) -> ApecdocsError:
    """The error for a document nested past what the AST's JSON may hold, naming the
    source file (the top-level block that fails alone) and its most nested line."""
    file = None
    for block in ast.get("blocks", []):
        try:
            orjson.dumps(block, default=_plain)
        except orjson.JSONEncodeError:
            if block.get("t") == "Div":
                file = dict(block["c"][0][2]).get("path")
            break
    return nested_too_deeply(Path(file) if file else None)


def nested_too_deeply(file: Path | None) -> ApecdocsError:
    line = None
    if file is not None:
        try:
            depths = [len(x) - len(x.lstrip("> ")) for x in
                      file.read_text(encoding="utf-8").splitlines()]
            line = depths.index(max(depths)) + 1 if depths and max(depths) else None
        except OSError:
            pass
    return ApecdocsError(
        "the text nests too deeply (block quotes, lists or divs more than about 100 levels "
        "inside each other)", file=file, line=line,
        hint="Flatten the nesting; no layout shows that many levels.")


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return float(value)
    raise TypeError(type(value).__name__)


# Typst runs in a child process of its own: its memory (about 1 GB on a 500-page
# report) is returned when it ends rather than kept by the build, it takes a process
# slot like pandoc does, so the cores are not oversubscribed, and its caches do not
# grow across the builds of one ``apecdocs watch``. Its error comes back as JSON.
_TYPST = """\
import json, sys
import typst
try:
    typst.compile(sys.argv[1], output=sys.argv[2], root=sys.argv[3], font_paths=sys.argv[4:])
except Exception as exc:
    sys.stderr.write(json.dumps({"message": str(getattr(exc, "message", "") or exc).strip(),
                                 "diagnostic": str(getattr(exc, "diagnostic", "") or "")}))
    sys.exit(1)
"""


def compile_typst(source: Path, dest: Path, root: Path, fonts: list[Path],
                  origins: list[Path] = ()) -> None:
    """Typst source to PDF with the typst wheel. An error is reported at the user's own
    file and line (raw Typst in a source, or a template among ``origins``) where its
    text can be found there; else at the generated file, which is kept."""
    args = [sys.executable, "-c", _TYPST, str(source), str(dest), str(root), *map(str, fonts)]
    with slot():
        proc = subprocess.run(args, capture_output=True)
    if proc.returncode == 0:
        return
    said = proc.stderr.decode("utf-8", "replace").strip()
    try:
        error = orjson.loads(said.splitlines()[-1])
        message, diagnostic = str(error["message"]), str(error["diagnostic"])
    except (IndexError, KeyError, TypeError, orjson.JSONDecodeError):
        message, diagnostic = said or f"exit {proc.returncode}", ""
    file, line = _typst_origin(diagnostic, source, origins)
    raise ApecdocsError(
        f"the PDF engine (Typst) failed: {message}", file=file, line=line,
        hint="This is raw Typst in the content or a style template; fix it there."
        if file != source else "The generated .typ file is kept for inspection.",
    )


def _typst_origin(diagnostic: str, generated: Path, origins: list[Path] | tuple = ()
                  ) -> tuple[Path, int | None]:
    """The user's file and line for Typst's ``┌─ name.typ:LINE:COL``: the first file
    among ``origins`` that holds the failing line's text, else the generated file."""
    import re

    found = re.search(r"─ (.+?):(\d+):(\d+)", diagnostic)
    if not found:
        return generated, None
    line = int(found[2])
    if Path(found[1]).name != generated.name:
        return generated.parent / found[1], line
    try:
        text = generated.read_text(encoding="utf-8").splitlines()[line - 1].strip()
    except (OSError, IndexError):
        return generated, line
    for origin in origins if text else ():
        try:
            lines = origin.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for number, candidate in enumerate(lines, 1):
            if candidate.strip() == text:
                return origin, number
    return generated, line
