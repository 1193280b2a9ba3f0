"""Invisible markers in a built DOCX that say where each paragraph came from.

Each paragraph, heading and table cell is wrapped in a ``Span`` whose identifier names
its place: pandoc writes it as a bookmark, which word processors keep through editing,
moving and saving and which shows nowhere in the text (pandoc accepts no hidden
``_``-names, so they are listed in Word's bookmark dialog). The name is
``apd<order>_<file>_<line>``: the paragraph's position in the document, an
index into the list of files kept in the document's custom property
``apecdocs-review-files``, and the line in that file. Only the DOCX gets them (the
``finalize_ast`` hook runs per format), so HTML and PDF are unchanged.

``apecdocs review`` reads them back (``docx_read``); a paragraph whose bookmark was
lost is found by its words instead (``locate``).
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..assemble import Piece, parse, render_sources, rendered_last
from ..confine import is_inside
from ..pandoc_ast import SOURCE_CLASS, meta_string, stringify, stringify_start
from .textmap import DataIndex, Place, RenderedSource, enough_words

if TYPE_CHECKING:
    from ..model import Document
    from ..project import Project

PREFIX = "apd"
FILES_PROPERTY = "apecdocs-review-files"
DOCUMENT_PROPERTY = "apecdocs-document"  # "report:en": which document, which language
NAME = re.compile(r"^apd(\d+)_(\d+)_(\d+)$")
SECTION_NUMBER = re.compile(r"^\s*(?:[A-Z]|\d+)(?:\.\d+)*\.?\s+")


def data_files(project: Project, document: Document | None = None) -> list[Path]:
    """Where generated text can come from: the data files, files the document's
    ``meta`` names (a list of acronyms), then the project file."""
    files = [project.data.path(name) for name in project.data]
    return files + meta_files(project, document) + [project.file]


def meta_files(project: Project, document: Document | None) -> list[Path]:
    """Files inside the project that ``document.meta`` names, and the project file."""
    out = []
    root = project.root.resolve()
    for value in (document.meta.values() if document else []):
        if isinstance(value, str) and len(value) < 300 and "\n" not in value:
            path = (root / value).resolve()
            if is_inside(path, root) and path.is_file() and path not in out:
                out.append(path)
    return out


def rendered_sources(project: Project, document: Document, lang: str) -> dict[Path, RenderedSource]:
    """Each source of ``document`` (and its type's template) with its rendered text."""
    return {piece.path: _rendered(piece) for piece in render_sources(project, document, lang)}


def _rendered(piece: Piece) -> RenderedSource:
    try:
        original = piece.path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        original = piece.text
    return RenderedSource(piece.path, original, piece.text)


class Marker:
    """Wraps the text of each block in a bookmark naming its file and line."""

    def __init__(self, project: Project, sources: dict[Path, RenderedSource],
                 data: DataIndex, front: DataIndex) -> None:
        self.root = project.root
        self.sources = sources
        self.data = data  # what a template in a source may have read
        self.front = front  # what a plugin's front matter shows (imprint, acronyms)
        self.files: list[str] = []
        self.shown: dict[Path, int] = {}  # each file's index in ``files``
        self.count = 0

    def mark(self, ast: dict[str, Any], untranslated: dict[str, Any] | None = None) -> None:
        """Mark ``ast``; ``untranslated``, the same document as parsed before any
        translation, gives each block the words to look for in the sources."""
        twins = {}
        for block in (untranslated or {}).get("blocks", []):
            if block.get("t") == "Div" and SOURCE_CLASS in block["c"][0][1]:
                twins[dict(block["c"][0][2]).get("path", "")] = block["c"][1]
        for block in ast["blocks"]:
            if block.get("t") == "Div" and SOURCE_CLASS in block["c"][0][1]:
                path = dict(block["c"][0][2]).get("path", "")
                self.blocks(block["c"][1], self.sources.get(Path(path)), twins.get(path))
            else:
                self.blocks([block], None)
        ast.setdefault("meta", {})[FILES_PROPERTY] = meta_string("|".join(self.files))

    def blocks(self, blocks: list[dict], source: RenderedSource | None,
               twins: list[dict] | None = None) -> None:
        """``twins``: the same blocks untranslated, if they still correspond one to one."""
        pairs = _pair(blocks, twins) if twins is not None else {}
        for i, block in enumerate(blocks):
            t, c = block.get("t"), block.get("c")
            same = i in pairs
            twin = pairs[i]["c"] if same else c
            nested = [pairs[i]] if same else None
            if t in ("Para", "Plain"):
                self.wrap(c, self.place_of(twin, source))
            elif t == "Header":
                title = SECTION_NUMBER.sub("", stringify(twin[2]))  # the number is added
                self.wrap(c[2], self.place(title, source))
            elif t == "BulletList":
                for j, item in enumerate(c):
                    self.blocks(item, source, _nth(nested, 0, j))
            elif t == "OrderedList":
                for j, item in enumerate(c[1]):
                    self.blocks(item, source, _nth(nested, 0, j, ordered=True))
            elif t == "BlockQuote":
                self.blocks(c, source, twin if same else None)
            elif t == "Div":
                self.blocks(c[1], source, twin[1] if same else None)
            elif t == "Table":
                self.table(c, source, twin if same else None)

    def table(self, c: list[Any], source: RenderedSource | None,
              twin: list[Any] | None = None) -> None:
        rows, twin_rows = _rows(c), _rows(twin) if twin is not None else []
        for k, row in enumerate(rows):
            cells = [cell[4] for cell in row[1]]
            words_from = cells
            if len(twin_rows) == len(rows) and len(twin_rows[k][1]) == len(cells):
                words_from = [cell[4] for cell in twin_rows[k][1]]
            texts = [stringify(cell) for cell in words_from]
            place = source.find(" ".join(texts)) if source else None
            if place is None or place.generated:
                place = (self.data if source else self.front).row(texts) or place
            for cell in cells:
                first = next((b for b in cell if b.get("t") in ("Plain", "Para")), None)
                if first is not None:
                    self.wrap(first["c"], place)

    def place_of(self, inlines: list[dict], source: RenderedSource | None) -> Place | None:
        """``place`` of the text of ``inlines``, found in a source by its first words
        only (a paragraph has hundreds); the whole text where data may hold it."""
        if source is None:
            return self.place(stringify(inlines), None)
        found = source.find(stringify_start(inlines, enough_words))
        if found is None or not found.generated:
            return found
        return self.data.text(stringify(inlines)) or found

    def place(self, text: str, source: RenderedSource | None) -> Place | None:
        if source is not None:
            found = source.find(text)
            if found is None or not found.generated:
                return found
            return self.data.text(text) or found
        return self.front.text(text) if text.strip() else None

    def wrap(self, inlines: list[dict], place: Place | None) -> None:
        if place is None or not inlines:
            return
        index = self.shown.get(place.file)
        if index is None:
            try:
                shown = place.file.relative_to(self.root).as_posix()
            except ValueError:
                shown = place.file.as_posix()
            if shown not in self.files:
                self.files.append(shown)
            index = self.shown[place.file] = self.files.index(shown)
        self.count += 1
        name = f"{PREFIX}{self.count}_{index}_{place.line}"
        inlines[:] = [{"t": "Span", "c": [[name, [], []], list(inlines)]}]


def _rows(c: list[Any]) -> list[Any]:
    head, bodies, foot = c[3], c[4], c[5]
    rows = list(head[1])
    for body in bodies:
        rows += body[2] + body[3]
    return rows + list(foot[1])


def _pair(blocks: list[dict], twins: list[dict]) -> dict[int, dict]:
    """Each block's untranslated twin, by the order of block kinds: plugins may have
    added blocks since (a section break) or changed some (a chart into a figure)."""
    matcher = difflib.SequenceMatcher(None, [b.get("t") for b in blocks],
                                      [b.get("t") for b in twins], autojunk=False)
    return {a + k: twins[b + k] for a, b, size in matcher.get_matching_blocks()
            for k in range(size)}


def _nth(twins: list[dict] | None, i: int, j: int, ordered: bool = False) -> list[dict] | None:
    """Item ``j`` of the twin list ``twins[i]``, if it has one."""
    if twins is None:
        return None
    items = twins[i]["c"][1] if ordered else twins[i]["c"]
    return items[j] if j < len(items) else None


def mark_document(ast: dict[str, Any], project: Project, document: Document, lang: str) -> None:
    """Write the markers into ``ast`` (the DOCX copy of ``document`` in ``lang``).

    In a translation the words are not those of the sources: each block is found by
    the words of the same block parsed before translation (kept parsed, so cheap)."""
    pieces = rendered_last(project, document, lang)  # the text the build parsed
    sources = {piece.path: _rendered(piece) for piece in pieces}
    untranslated = None
    if lang != project.languages[0]:
        workdir = project.cache_dir / "work" / f"{document.id}.{lang}"
        untranslated, _ = parse(project, document, pieces, workdir, images=False)
    data = DataIndex(data_files(project, document))
    front = DataIndex([project.file] + meta_files(project, document))
    start = document.location.line or 0
    after = [d.location.line for d in project.documents.values()
             if d.location.line and d.location.line > start]
    front.prefer(project.file, start, min(after, default=10**9) - 1)
    Marker(project, sources, data, front).mark(ast, untranslated)
    ast["meta"][DOCUMENT_PROPERTY] = meta_string(f"{document.id}:{lang}")
