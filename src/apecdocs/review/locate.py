"""Where each reviewed item is in the sources: file, line, and how sure that is.

The paragraph's marker (``markers``) names the file and the line its block starts on;
the item's own text is then looked for from there, so a comment on the third line of a
reflowed paragraph lands on that line. A paragraph without a marker (pasted, split by
the reviewer, or from a word processor that dropped it) is found by its words among
the rendered sources, and generated text in the data files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ApecdocsError
from .docx_read import Item, Reviewed
from .markers import NAME, data_files, rendered_sources
from .textmap import DataIndex, RenderedSource

if TYPE_CHECKING:
    from ..model import Document
    from ..project import Project


@dataclass
class Location:
    """Where an item is: ``file`` relative to the project, its line, and how it was found
    ("marker", "text" for matching words, or "" when it was not found)."""

    file: str = ""
    line: int = 0
    how: str = ""
    order: int = 0  # the block's position in the built document

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.file else "(not found)"


class Locator:
    def __init__(self, project: Project, document: Document, lang: str) -> None:
        self.project = project
        self.document = document
        self.lang = lang
        self._sources: dict[Path, RenderedSource] | None = None
        self._data: DataIndex | None = None
        self._texts: dict[Path, list[str] | None] = {}

    def locate(self, reviewed: Reviewed, item: Item) -> Location:
        found = self._by_marker(reviewed, item)
        if found is None:
            found = self._by_text(item)
        return found or Location()

    # -- by marker -----------------------------------------------------------------

    def _by_marker(self, reviewed: Reviewed, item: Item) -> Location | None:
        match = NAME.match(item.marker or "")
        if not match:
            return None
        order, index, line = (int(g) for g in match.groups())
        if index >= len(reviewed.files):
            return None
        path = self._inside(reviewed.files[index])
        if path is None:
            return None
        lines = self._lines(path)
        if lines is None:
            return None
        if path.suffix.lower() != ".md":  # a data record or a template line: as recorded
            if item.inherited:  # the previous paragraph's record says nothing of this one
                return None
            return Location(self._shown(path), line, "marker", order)
        refined = refine(lines, line, item)
        if refined is None:  # not in this block: the reviewer's paragraph may be new
            text_found = self._by_text(item)
            if text_found is not None:
                text_found.order = order
                return text_found
            refined = line
        return Location(self._shown(path), refined, "marker", order)

    # -- by words ------------------------------------------------------------------

    def _by_text(self, item: Item) -> Location | None:
        if self._sources is None:
            self._sources = rendered_sources(self.project, self.document, self.lang)
        for source in self._sources.values():
            place = source.find(item.paragraph, from_start=True)
            if place is None:
                continue
            if place.generated:
                if self._data is None:
                    self._data = DataIndex(data_files(self.project, self.document))
                place = self._data.text(item.paragraph) or place
            lines = self._lines(place.file)
            line = place.line
            if lines is not None and place.file.suffix.lower() == ".md":
                line = refine(lines, place.line, item) or line
            return Location(self._shown(place.file), line, "text", 0)
        return None

    # -- files ---------------------------------------------------------------------

    def _inside(self, relative: str) -> Path | None:
        """The file a marker names (the reviewed copy is untrusted): none if the shared
        confinement refuses it, so the comment is located by its words instead."""
        try:
            return self.project.readable(self.project.root / relative, "reviewed source")
        except ApecdocsError:
            return None

    def _lines(self, path: Path) -> list[str] | None:
        if path not in self._texts:
            try:
                self._texts[path] = path.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                self._texts[path] = None
        return self._texts[path]

    def _shown(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.project.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()


def refine(lines: list[str], line: int, item: Item) -> int | None:
    """The line, in the block starting at ``line``, where the item's text begins; None
    when the block does not hold it."""
    end = line
    while end < len(lines) and lines[end].strip():
        end += 1
    block = lines[line - 1:end]
    flat, where = flatten(block)
    for needle, skip in needles(item):
        at = flat.find(needle)
        if at >= 0:
            return line + where[min(at + skip, len(where) - 1)]
    return None


def needles(item: Item) -> list[tuple[str, int]]:
    """What to look for, most precise first: the text with some context, then alone;
    each with where in it the item's own text starts."""
    quoted = squeeze(item.quoted)
    before = squeeze(item.before)
    after = squeeze(item.after)
    out = []
    for k in (24, 12, 6):
        if before[-k:] or after[:k]:
            head = before[-k:].lstrip()
            out.append(((head + quoted + after[:k]).rstrip(), len(head)))
    if quoted.strip():
        out.append((quoted.strip(), 0))
    out.append((" ".join(item.paragraph.split())[:40], 0))
    return [(n, skip) for n, skip in out if n]


# What the writers typeset differently from what was typed: curly quotes for straight
# ones, no-break spaces. One character for one, so offsets stay those of the text.
FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
                      "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00a0": " ",
                      "\u202f": " "})


def squeeze(text: str) -> str:
    """Each run of spacing as one space (ends kept: they separate words when joined),
    typographic quotes as typed ones."""
    return re.sub(r"\s+", " ", text.translate(FOLD))


def flatten(lines: list[str]) -> tuple[str, list[int]]:
    """Lines joined with single spaces, and for each character its line (0-based)."""
    text: list[str] = []
    where: list[int] = []
    for number, line in enumerate(lines):
        for ch in " ".join(line.translate(FOLD).split()) + " ":
            text.append(ch)
            where.append(number)
    return "".join(text), where
