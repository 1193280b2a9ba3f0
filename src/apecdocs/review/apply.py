"""Apply tracked changes to the Markdown sources where that is certain; list the rest.

A change is applied only when the text it deletes, with the words around it, is found
in its source file exactly once (or once in the block its marker names). The search
ignores line breaks and spacing, so a source reflowed since the draft was built is
still patched, at the right characters. Everything else is a conflict, reported with
its place and reason: text generated from data or templates, text changed since, two
reviewers changing the same words differently. Files are written atomically, and only
if nobody changed them while the changes were worked out.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ApecdocsError
from ..write import atomic_path
from .docx_read import Item
from .locate import FOLD, squeeze

if TYPE_CHECKING:
    from .matrix import Row

MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


@dataclass
class Edit:
    start: int
    end: int
    new: str
    row: Row


@dataclass
class Conflict:
    row: Row
    reason: str

    def __str__(self) -> str:
        return f"{self.row.location}: {self.row.proposal} ({', '.join(self.row.reviewers)}): " \
               f"{self.reason}"


@dataclass
class Plan:
    """What ``--apply`` would do: new texts per file, and what it leaves to a person."""

    old: dict[Path, str] = field(default_factory=dict)
    new: dict[Path, str] = field(default_factory=dict)
    applied: list[Row] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)

    def diff(self, root: Path) -> str:
        out = []
        for path, new in self.new.items():
            name = path.relative_to(root).as_posix()
            out += difflib.unified_diff(self.old[path].splitlines(keepends=True),
                                        new.splitlines(keepends=True), f"a/{name}", f"b/{name}")
        return "".join(out)


def plan(rows: list[Row], root: Path, sources: list[Path], translated: bool = False) -> Plan:
    """Work out the edits of every change row on the current sources (none for a copy
    of a translation: its words are not the sources')."""
    result = Plan()
    edits: dict[Path, list[Edit]] = {}
    allowed = {p.resolve() for p in sources if p.suffix.lower() == ".md"}
    for row in rows:
        if row.kind != "change":
            continue
        item = row.items[0]
        if translated:
            result.conflicts.append(Conflict(
                row, "the copy is a translation: change the translation catalog"))
            continue
        if item.moved:  # its two halves may land in different places: never half of it
            result.conflicts.append(Conflict(row, "text moved by the reviewer: move it by hand"))
            continue
        if not row.location.file:
            result.conflicts.append(Conflict(row, "not found in the sources"))
            continue
        path = (root / row.location.file).resolve()
        if path not in allowed:
            result.conflicts.append(Conflict(row, _generated_reason(row, path)))
            continue
        if path not in result.old:
            result.old[path] = path.read_text(encoding="utf-8")
        found = find(result.old[path], item, row.location.line)
        if isinstance(found, str):
            result.conflicts.append(Conflict(row, found))
            continue
        start, end = found
        edits.setdefault(path, []).append(Edit(start, end, escape(item.inserted), row))
    for path, file_edits in edits.items():
        file_edits.sort(key=lambda e: (e.start, e.end))
        clashing: set[int] = set()
        for a, b in zip(file_edits, file_edits[1:], strict=False):
            if b.start < a.end or (a.start == a.end == b.start == b.end):
                clashing |= {id(a), id(b)}
        text = result.old[path]
        for edit in reversed(file_edits):
            if id(edit) in clashing:
                result.conflicts.append(Conflict(
                    edit.row, "another reviewer changed the same words differently"))
                continue
            text = text[:edit.start] + edit.new + text[edit.end:]
            result.applied.append(edit.row)
        if text != result.old[path]:
            result.new[path] = text
    result.applied.reverse()
    return result


def write(result: Plan) -> list[Path]:
    """Write the patched sources, each atomically; a file changed meanwhile is refused."""
    written = []
    for path, new in result.new.items():
        now = path.read_text(encoding="utf-8")
        if hashlib.sha256(now.encode()).digest() != hashlib.sha256(
                result.old[path].encode()).digest():
            raise ApecdocsError("the file changed while the review changes were prepared; "
                                "nothing was written to it", file=path,
                                hint="Run 'apecdocs review --apply' again.")
        with atomic_path(path) as tmp:
            tmp.write_text(new, encoding="utf-8")
        written.append(path)
    return written


def find(text: str, item: Item, line: int) -> tuple[int, int] | str:
    """The span of ``text`` the change replaces, or why it cannot be known."""
    flat, offsets = _flat(text)
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    block = _block(text, line_starts, line)
    quoted, before, after = squeeze(item.quoted), squeeze(item.before), squeeze(item.after)
    ambiguous = False
    for k in (40, 24, 12, 6, 0):
        head, tail = before[-k:] if k else "", after[:k] if k else ""
        needle = head + quoted + tail
        if not needle.strip() or (k == 0 and len(quoted.strip()) < 4):
            continue  # a short word alone, or nothing, could be anywhere
        hits = [m.start() for m in re.finditer(re.escape(needle), flat)]
        if len(hits) > 1:  # the block the marker names decides
            ambiguous = True
            hits = [h for h in hits if block[0] <= offsets[h] < block[1]]
        if len(hits) == 1:
            at = hits[0] + len(head)
            start = offsets[at] if at < len(offsets) else len(text)
            end = offsets[at + len(quoted) - 1] + 1 if quoted else start
            return start, end
        if len(hits) > 1:
            return "the text occurs more than once here; apply it by hand"
    if ambiguous:
        return "the text occurs more than once in the file, none at the place reviewed"
    return "the source no longer has this text (changed since the draft was built, or " \
           "written with markup or template values there)"


def _flat(text: str) -> tuple[str, list[int]]:
    """``text`` with each run of spacing as one space, and each character's offset."""
    out: list[str] = []
    offsets: list[int] = []
    for match in re.finditer(r"\s+|\S+", text.translate(FOLD)):
        if match.group().isspace():
            out.append(" ")
            offsets.append(match.start())
        else:
            out.append(match.group())
            offsets += range(match.start(), match.end())
    return "".join(out), offsets


def _block(text: str, line_starts: list[int], line: int) -> tuple[int, int]:
    """Offsets of the paragraph (up to a blank line) starting at ``line``."""
    start = line_starts[min(max(line, 1), len(line_starts)) - 1]
    blank = re.search(r"\n[ \t]*\n", text[start:])
    return start, start + blank.start() if blank else len(text)


def escape(inserted: str) -> str:
    """Inserted words as Markdown that reads back as those words."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", inserted)


def _generated_reason(row: Row, path: Path) -> str:
    if path.suffix.lower() == ".md":
        return "not a source of this document"
    return f"generated from {row.location}: change the data or template there"
