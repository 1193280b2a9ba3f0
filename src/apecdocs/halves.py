"""A long document's JSON for pandoc, whole and as two halves that can be written at once.

Pandoc writes a document on one core. On a machine with a core to spare, a long report's
DOCX or HTML is written as two halves by two pandoc processes and joined (``docx_merge``,
``html_halves``): the halves meet just before a top-level heading near the middle, so no
paragraph, list, table or section is cut and the second half begins as it would in one
run (a heading). The second half gets no title block or table of contents: those belong
to the start; its HTML is the body alone. Both JSON texts are built from the same
serialized blocks, so they cost one dump.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import pandoc
from .errors import ApecdocsError
from .joinwords import join_words, unwrap_spans
from .model import WriteOptions

# Below this much JSON one pandoc is quicker than two plus the join (each process costs
# about 70 ms to start and read the reference document; the join, a few ms per MB).
SPLIT_BYTES = 512 * 1024
BODY = Path(__file__).parent / "styles" / "body.html"  # a template of the body alone
# Where the first half of an HTML ends: the second half's body goes there.
SEAM = "<!-- apecdocs: the second half -->"
# What pandoc's DOCX writer puts at the start of the body, from metadata or variables.
FRONT = frozenset({"title", "subtitle", "author", "date", "abstract", "abstract-title",
                   "toc", "toc-title", "table-of-contents", "lof", "lot"})


@dataclass
class Split:
    """The whole document's JSON; where it is worth splitting, where the second half's
    blocks begin in it, and what the halves add (the first, a seam; the second, its
    metadata). The halves are cut from the whole when written: a long report is held
    once, not three times, while the formats before it are written."""

    whole: bytes
    cut: int | None = None  # the offset in ``whole`` of the second half's first block
    seam: bytes = b""  # a block to end the first half with
    head: bytes = b""  # the second half's JSON before its blocks

    @property
    def halves(self) -> tuple[bytes, bytes] | None:
        if self.cut is None:
            return None
        first = self.whole[:self.cut - 1] + self.seam + b"]}"
        return first, self.head + self.whole[self.cut:]


def dumps(ast: dict[str, Any], options: WriteOptions, fmt: str = "docx",
          edit: Callable[[bytes], bytes] | None = None) -> Split:
    """``ast`` as JSON for pandoc's writer of ``fmt`` (docx, html or pdf, that is Typst),
    its words joined (``joinwords``), each block's JSON then given to ``edit`` (not the
    metadata's); with halves if it is long enough, ``fmt`` is DOCX or HTML, and nothing
    in ``options`` spans the cut (section numbers, pandoc's own contents, a writer's own
    arguments)."""
    # A line break of the source is a space where the writer makes it one (``joinwords``).
    soft = fmt == "docx" or (fmt == "html" and not any(
        arg.startswith("--wrap") for arg in options.extra_args))

    def joined(data: bytes) -> bytes:
        return join_words(unwrap_spans(data) if fmt == "docx" else data, soft=soft)

    def whole_of(value: Any) -> Split:
        data = joined(pandoc.dumps(value))
        return Split(edit(data) if edit is not None else data)

    if set(ast) != {"pandoc-api-version", "meta", "blocks"}:
        return whole_of(ast)
    try:
        dumped = [pandoc.dumps(block) for block in ast["blocks"]]
    except (ApecdocsError, TypeError, ValueError):  # the whole dump names the failing source
        return whole_of(ast)
    blocks = [joined(data) for data in dumped]
    del dumped
    if edit is not None:
        blocks = [edit(data) for data in blocks]
    version, meta = pandoc.dumps(ast["pandoc-api-version"]), ast["meta"]

    def head(meta: dict[str, Any]) -> bytes:
        return b"".join((b'{"pandoc-api-version":', version, b',"meta":',
                         joined(pandoc.dumps(meta)), b',"blocks":['))

    start = head(meta)
    whole = b"".join((start, b",".join(blocks), b"]}"))
    if (fmt not in ("docx", "html") or options.number_sections or options.extra_args
            or (fmt == "html" and options.toc) or len(whole) < SPLIT_BYTES):
        return Split(whole)
    cut = _cut(ast["blocks"], blocks)
    if cut is None or (fmt == "html" and _needs_head(blocks[cut:])):
        return Split(whole)
    seam = b"," + pandoc.dumps({"t": "RawBlock", "c": ["html", SEAM]}) if fmt == "html" else b""
    offset = len(start) + sum(len(b) + 1 for b in blocks[:cut])
    rest = head({key: value for key, value in meta.items() if key not in FRONT})
    return Split(whole, offset, seam, rest)


def _needs_head(blocks: list[bytes]) -> bool:
    """Whether the second half's HTML may need what pandoc puts in the page's head only
    when the body has it (a formula's script, code highlighting's styles): such a page
    is written whole."""
    return any(b'"t":"Math"' in data or b'"t":"CodeBlock"' in data for data in blocks)


def _cut(nodes: list[dict[str, Any]], blocks: list[bytes]) -> int | None:
    """The top-level heading nearest the middle of the writer's work; None if none past
    the first block. The work is counted in nodes, not bytes: a picture's data URI is
    long and cheap. Pandoc's DOCX writer bookmarks each heading's whole section, so a
    cut is made only where every section before it ends: before a heading of a level no
    lower than any heading before it."""
    weights = [data.count(b'"t":') for data in blocks]
    total = sum(weights)
    best, best_gap, before, top = None, total, 0, 99
    for index, (node, weight) in enumerate(zip(nodes, weights, strict=True)):
        if node.get("t") == "Header":
            level = node["c"][0]
            if index and level <= top and abs(2 * before - total) < best_gap:
                best, best_gap = index, abs(2 * before - total)
            top = min(top, level)
        before += weight
    return best


def second_options(options: WriteOptions, fmt: str = "docx") -> WriteOptions:
    """``options`` for the second half: nothing that writes at the start of the body;
    for HTML, the body alone."""
    return dataclasses.replace(
        options, toc=False, template=BODY if fmt == "html" else options.template,
        variables={k: v for k, v in options.variables.items() if k not in FRONT},
        metadata={k: v for k, v in options.metadata.items() if k not in FRONT})


def write_both(split: Split, fmt: str, first: Path, second: Path, options: WriteOptions,
               then: Callable[[Path], Any] | None = None
               ) -> tuple[list[str], list[Any]] | None:
    """Write ``split``'s halves as ``fmt`` to ``first`` and ``second`` at once, if it has
    halves and a second pandoc slot is free now; return pandoc's warnings and what
    ``then`` made of each half as it was written (``pandoc.write_both``), or None if
    nothing was written (the caller writes the whole)."""
    parts = split.halves  # made on each read: a copy of the whole
    if parts is None:
        return None
    with pandoc.slot(), pandoc.spare_slot() as spare:
        if not spare:
            return None
        return pandoc.write_both([(parts[0], first, options),
                                  (parts[1], second, second_options(options, fmt))], fmt,
                                 then)
