"""Find where a piece of rendered text came from: a source line, a template line, a data row.

Pandoc's Markdown reader keeps no positions, and Jinja changes lines (a ``{% for %}``
over a CSV file becomes one table row per record), so the way back is by text:
the words of a block are looked for, in order, among the words of the rendered source;
the rendered line is mapped to the line of the file it was rendered from; and a line
Jinja produced from data is looked for in the data files.
"""

from __future__ import annotations

import bisect
import csv
import difflib
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

WORD = re.compile(r"\w+")
_ASCII_WORD = re.compile(r"\w+", re.ASCII)  # the same words in ASCII text, found faster
# '{#sec-findings}', '{.unnumbered}': attributes are never text, but their words would
# match the start of the paragraph after a heading ('## Findings {#sec-findings}').
ATTRIBUTES = re.compile(r"\{[#.][^{}\n]*\}")


HEAD = 6  # a block is looked for by its first words: this many


def words(text: str) -> list[str]:
    """The words of ``text``, lower-cased: markup, quotes and spacing do not count."""
    # Lower-casing ASCII text first finds the same words, faster; not any text: 'İ'
    # lower-cased is 'i' and a combining dot, which \w does not match.
    if text.isascii():
        return _ASCII_WORD.findall(text.lower())
    return [w.lower() for w in WORD.findall(text)]


def enough_words(text: str) -> bool:
    """Whether the start of a text holds all the words ``find`` looks at: one more than
    those, so that the last of them is whole even if the start ends inside a word."""
    return len(WORD.findall(text)) > HEAD


@dataclass
class Place:
    """Where something is in the files of a project."""

    file: Path
    line: int
    generated: bool = False  # from a template or data, not written as is in ``file``


class RenderedSource:
    """One source file and the text Jinja rendered from it, word by word with lines."""

    def __init__(self, path: Path, original: str, rendered: str) -> None:
        self.path = path
        self.tokens: list[str] = []
        self.token_lines: list[int] = []
        tokens, token_lines = self.tokens, self.token_lines
        lines = rendered.splitlines()
        for number, line in enumerate(lines, 1):
            if "{" in line:
                line = ATTRIBUTES.sub(" ", line)
            found = words(line)
            tokens += found
            token_lines += [number] * len(found)
        starts: defaultdict[str, list[int]] = defaultdict(list)  # word -> its positions
        for n, w in enumerate(tokens):
            starts[w].append(n)
        self.starts = dict(starts)
        self.line_map = _line_map(original.splitlines(), lines)
        self.cursor = 0

    def find(self, text: str, *, from_start: bool = False) -> Place | None:
        """The place of the first words of ``text`` after the last one found (only its
        first ``HEAD`` words count: the start of a text, ``enough_words``, will do)."""
        wanted = words(text)
        if not wanted:
            return None
        start = 0 if from_start else self.cursor
        at = _search(self.tokens, wanted, start, self.starts)
        if at is None and start:
            at = _search(self.tokens, wanted, 0, self.starts)
        if at is None:
            return None
        self.cursor = at + 1
        line, generated = self.line_map.get(self.token_lines[at], (1, True))
        return Place(self.path, line, generated)


def _search(tokens: list[str], wanted: list[str], start: int,
            starts: dict[str, list[int]]) -> int | None:
    """First position from ``start`` where ``wanted`` begins, allowing for words that
    only one side has (a citation key, a link target, a footnote mark). Only the
    positions of its first word are tried (``starts``): a block found nowhere, such as
    a generated bibliography entry, no longer costs a scan of every word of the source."""
    head = wanted[:HEAD]
    need = max(1, round(0.7 * len(head)))
    candidates = starts.get(head[0], [])
    for i in candidates[bisect.bisect_left(candidates, start):]:
        window = tokens[i:i + len(head) + 3]
        found, pos, missed = 0, 0, 0
        for w in head:
            if w in window:  # (a word not there would cost an exception)
                try:
                    pos = window.index(w, pos) + 1
                    found += 1
                    continue
                except ValueError:
                    pass
            missed += 1
            if len(head) - missed < need:  # the rest cannot make up for it
                break
        if found >= need:
            return i
    return None


def _line_map(original: list[str], rendered: list[str]) -> dict[int, tuple[int, bool]]:
    """``{rendered line: (source line, generated?)}``, 1-based.

    Lines Jinja left alone map to themselves; a line it changed maps to the most
    similar template line of the changed stretch, flagged generated when little of the
    template line is left (a loop's row, an include)."""
    if original == rendered:  # Jinja changed no line (front matter, blanked, is a change)
        return {n: (n, False) for n in range(1, len(rendered) + 1)}
    out: dict[int, tuple[int, bool]] = {}
    # Most lines are left alone: the same start and end are matched without difflib,
    # whose cost grows with the square of the lines it compares.
    head, shorter = 0, min(len(original), len(rendered))
    while head < shorter and original[head] == rendered[head]:
        head += 1
        out[head] = (head, False)
    tail = 0
    while tail < shorter - head and original[-1 - tail] == rendered[-1 - tail]:
        out[len(rendered) - tail] = (len(original) - tail, False)
        tail += 1
    matcher = difflib.SequenceMatcher(None, original[head:len(original) - tail],
                                      rendered[head:len(rendered) - tail], autojunk=False)
    for op, i1, i2, j1, j2 in _shifted(matcher.get_opcodes(), head):
        if op == "equal":
            for k in range(j2 - j1):
                out[j1 + k + 1] = (i1 + k + 1, False)
        elif op == "replace" and i2 - i1 == j2 - j1:
            for k in range(j2 - j1):
                ratio = difflib.SequenceMatcher(None, original[i1 + k], rendered[j1 + k]).ratio()
                out[j1 + k + 1] = (i1 + k + 1, ratio < 0.5)
        elif (i2 - i1) * (j2 - j1) > 20000:  # a large rewrite: no line-by-line search
            for j in range(j1, j2):
                out[j + 1] = (max(1, i1 + 1 if i2 > i1 else i1), True)
        else:
            for j in range(j1, j2):
                best, score = max(1, i1), 0.0
                for i in range(i1, i2):
                    ratio = difflib.SequenceMatcher(None, original[i], rendered[j]).quick_ratio()
                    if ratio > score:
                        best, score = i + 1, ratio
                out[j + 1] = (best if i2 > i1 else max(1, i1), True)
    return out


def _shifted(opcodes: list[tuple[str, int, int, int, int]], by: int
             ) -> list[tuple[str, int, int, int, int]]:
    return [(op, i1 + by, i2 + by, j1 + by, j2 + by) for op, i1, i2, j1, j2 in opcodes]


class DataIndex:
    """The records of a project's data files (and values of its project file), by line,
    to say which record a generated table row or sentence came from."""

    def __init__(self, files: list[Path]) -> None:
        self.rows: list[tuple[Path, int, list[str]]] = []
        for path in files:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if path.suffix.lower() == ".csv":
                reader = csv.reader(io.StringIO(text))
                start = 1
                for record in reader:
                    self.rows.append((path, start, [_norm(v) for v in record if v.strip()]))
                    start = reader.line_num + 1
            else:  # YAML, JSON: a value per line is near enough
                for number, line in enumerate(text.splitlines(), 1):
                    value = line.split(":", 1)[1] if ":" in line else line
                    value = _norm(value.strip().strip("-[]").strip().strip("\"',"))
                    if len(value) >= 3:
                        self.rows.append((path, number, [value]))

    def prefer(self, path: Path, first: int, last: int) -> None:
        """Look first at lines ``first``..``last`` of ``path`` (a document's own entry
        in the project file, over the same words elsewhere)."""
        self.rows.sort(key=lambda r: not (r[0] == path and first <= r[1] <= last))

    def row(self, cells: list[str]) -> Place | None:
        """The record holding most of ``cells`` (a table row's texts), if any holds two
        (or the only one, for a one-cell row), or a YAML line holding one of several words."""
        wanted = [_norm(c) for c in cells if c.strip()]
        best, score, single = None, 0, False
        for path, line, values in self.rows:
            n = sum(1 for c in wanted if c in values)
            if n > score:
                best, score = (path, line), n
                single = len(values) == 1 and len(words(values[0])) >= 2
        if best and (score >= min(2, len(wanted)) or single):
            return Place(best[0], best[1], True)
        return None

    def text(self, text: str) -> Place | None:
        """The line holding the longest value (of two words or more) that ``text``
        contains, or that contains it."""
        wanted = _norm(text)
        padded = f" {' '.join(words(wanted))} "
        best, length = None, 0
        for path, line, values in self.rows:
            for value in values:
                value_words = words(value)
                if len(value) <= length or len(value_words) < 2:
                    continue
                inside = f" {' '.join(value_words)} " in padded
                if (inside and len(value) >= 0.3 * len(wanted)) or (
                        len(words(wanted)) >= 2 and padded.strip() in " ".join(value_words)):
                    best, length = (path, line), len(value)
        return Place(best[0], best[1], True) if best else None


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()
