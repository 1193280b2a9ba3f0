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

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..assemble import SOURCE_CLASS, render_sources
from ..pandoc_ast import meta_string, stringify
from .textmap import DataIndex, Place, RenderedSource

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
            if path.is_relative_to(root) and path.is_file() and path not in out:
                out.append(path)
    return out


def rendered_sources(project: Project, document: Document, lang: str) -> dict[Path, RenderedSource]:
    """Each source of ``document`` (and its type's template) with its rendered text."""
    out: dict[Path, RenderedSource] = {}
    for piece in render_sources(project, document, lang):
        try:
            original = piece.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            original = piece.text
        out[piece.path] = RenderedSource(piece.path, original, piece.text)
    return out


class Marker:
    """Wraps the text of each block in a bookmark naming its file and line."""

    def __init__(self, project: Project, sources: dict[Path, RenderedSource],
                 data: DataIndex, front: DataIndex) -> None:
        self.root = project.root
        self.sources = sources
        self.data = data  # what a template in a source may have read
        self.front = front  # what a plugin's front matter shows (imprint, acronyms)
        self.files: list[str] = []
        self.count = 0

    def mark(self, ast: dict[str, Any]) -> None:
        for block in ast["blocks"]:
            if block.get("t") == "Div" and SOURCE_CLASS in block["c"][0][1]:
                path = Path(dict(block["c"][0][2]).get("path", ""))
                self.blocks(block["c"][1], self.sources.get(path))
            else:
                self.blocks([block], None)
        ast.setdefault("meta", {})[FILES_PROPERTY] = meta_string("|".join(self.files))

    def blocks(self, blocks: list[dict], source: RenderedSource | None) -> None:
        for block in blocks:
            t, c = block.get("t"), block.get("c")
            if t in ("Para", "Plain"):
                self.wrap(c, self.place(stringify(c), source))
            elif t == "Header":
                title = SECTION_NUMBER.sub("", stringify(c[2]))  # the number is added
                self.wrap(c[2], self.place(title, source))
            elif t == "BulletList":
                for item in c:
                    self.blocks(item, source)
            elif t == "OrderedList":
                for item in c[1]:
                    self.blocks(item, source)
            elif t == "BlockQuote":
                self.blocks(c, source)
            elif t == "Div":
                self.blocks(c[1], source)
            elif t == "Table":
                self.table(c, source)

    def table(self, c: list[Any], source: RenderedSource | None) -> None:
        head, bodies, foot = c[3], c[4], c[5]
        rows = list(head[1])
        for body in bodies:
            rows += body[2] + body[3]
        rows += foot[1]
        for row in rows:
            cells = [cell[4] for cell in row[1]]
            texts = [stringify(cell) for cell in cells]
            place = source.find(" ".join(texts)) if source else None
            if place is None or place.generated:
                place = (self.data if source else self.front).row(texts) or place
            for cell in cells:
                first = next((b for b in cell if b.get("t") in ("Plain", "Para")), None)
                if first is not None:
                    self.wrap(first["c"], place)

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
        try:
            shown = place.file.relative_to(self.root).as_posix()
        except ValueError:
            shown = place.file.as_posix()
        if shown not in self.files:
            self.files.append(shown)
        self.count += 1
        name = f"{PREFIX}{self.count}_{self.files.index(shown)}_{place.line}"
        inlines[:] = [{"t": "Span", "c": [[name, [], []], list(inlines)]}]


def mark_document(ast: dict[str, Any], project: Project, document: Document, lang: str) -> None:
    """Write the markers into ``ast`` (the DOCX copy of ``document`` in ``lang``)."""
    sources = rendered_sources(project, document, lang)
    data = DataIndex(data_files(project, document))
    front = DataIndex([project.file] + meta_files(project, document))
    start = document.location.line or 0
    after = [d.location.line for d in project.documents.values()
             if d.location.line and d.location.line > start]
    front.prefer(project.file, start, min(after, default=10**9) - 1)
    Marker(project, sources, data, front).mark(ast)
    ast["meta"][DOCUMENT_PROPERTY] = meta_string(f"{document.id}:{lang}")
