"""Check a written output before it replaces the previous one.

Raw blocks (```` ```{=openxml} ````, ```` ```{=html} ````, ```` ```{=typst} ````) reach
the writers unchanged, so a broken one makes a broken file: a DOCX that a word processor
refuses to open, written over the last good one. Each output is checked in its
temporary file; a failure keeps the previous output and names the sources whose raw
blocks are the likely cause.

DOCX: a ZIP package whose every XML part is well-formed. HTML: one document, from
``<html`` to ``</html>``. PDF: a PDF header, a cross-reference pointer and an end marker.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from .errors import ApecdocsError
from .pandoc_ast import nodes

RAW_FORMATS = {"docx": ("openxml",), "html": ("html", "html5", "html4"), "pdf": ("typst",)}

# The namespaces pandoc declares on a DOCX body, for checking a raw OpenXML fragment alone.
_NAMESPACES = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "o": "urn:schemas-microsoft-com:office:office",
    "v": "urn:schemas-microsoft-com:vml",
    "w10": "urn:schemas-microsoft-com:office:word",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
}


def raw_origins(ast: dict[str, Any], fmt: str, source_of: Any) -> list[tuple[str, str]]:
    """``(source, raw text)`` of every raw block or inline written into ``fmt``, from
    an AST whose top-level blocks are still the per-source wrappers."""
    kinds = RAW_FORMATS.get(fmt, ())
    out = []
    for block in ast["blocks"]:
        source = source_of(block) or "a generated block"
        for node in nodes([block]):
            if node["t"] in ("RawBlock", "RawInline") and node["c"][0] in kinds:
                out.append((source, node["c"][1]))
    return out


def check_output(path: Path, fmt: str, origins: list[tuple[str, str]],
                 sound: Iterable[str] = ()) -> None:
    """Raise if ``path`` is not a sound ``fmt`` file; name the raw blocks to blame.
    ``sound``: a DOCX's parts that were just written from a parsed tree, not parsed again."""
    if fmt == "docx":
        problem = _docx_problem(path, set(sound))
    else:
        problem = {"html": _html_problem, "pdf": _pdf_problem}[fmt](path)
    if problem is None:
        return
    culprit = _culprit(fmt, origins)
    raise ApecdocsError(
        f"the {fmt.upper()} written is broken ({problem}); the previous output is kept",
        file=culprit[0] if culprit else None,
        hint=(f"Check the raw {fmt} block starting '{culprit[1]}'." if culprit else
              f"Check the raw blocks in: {', '.join(sorted({s for s, _ in origins}))}."
              if origins else "Please report it with the sources that produced it."),
    )


def broken_raw_blocks(ast: dict[str, Any], source_of: Any) -> list[tuple[str, str]]:
    """``(source, first line)`` of each raw OpenXML block that is not well-formed on its
    own, for ``apecdocs check`` (the build checks the whole DOCX)."""
    out = []
    for source, text in raw_origins(ast, "docx", source_of):
        if _culprit("docx", [(source, text)]):
            out.append((source, text.strip().splitlines()[0][:60] if text.strip() else ""))
    return out


def _culprit(fmt: str, origins: list[tuple[str, str]]) -> tuple[str, str] | None:
    """The first raw block that is broken on its own, if one is."""
    for source, text in origins:
        if fmt == "docx":
            try:
                declared = " ".join(f'xmlns:{k}="{v}"' for k, v in _NAMESPACES.items())
                ElementTree.fromstring(f"<root {declared}>{text}</root>")
            except ElementTree.ParseError:
                return source, text.strip().splitlines()[0][:60] if text.strip() else ""
        elif fmt == "html" and any(tag in text.lower() for tag in ("</html", "<html", "</body")):
            return source, text.strip().splitlines()[0][:60]
    return None


def _docx_problem(path: Path, sound: set[str] = frozenset()) -> str | None:
    try:
        with zipfile.ZipFile(path) as package:
            names = package.namelist()
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                return "not a Word package"
            for name in names:
                if name.endswith((".xml", ".rels")) and name not in sound:
                    try:
                        ElementTree.fromstring(package.read(name))
                    except ElementTree.ParseError as exc:
                        return f"{name} is not well-formed XML: {exc}"
    except zipfile.BadZipFile as exc:
        return f"not a ZIP package: {exc}"
    return None


def _html_problem(path: Path) -> str | None:
    text = path.read_text(encoding="utf-8", errors="replace").lower()
    if text.count("<html") != 1 or text.count("</html>") != 1 or \
            not text.rstrip().endswith("</html>"):
        return "not one HTML document from <html> to </html>"
    return None


def _pdf_problem(path: Path) -> str | None:
    with path.open("rb") as handle:
        head = handle.read(8)
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - 2048))
        tail = handle.read()
    if not head.startswith(b"%PDF-") or b"startxref" not in tail or b"%%EOF" not in tail:
        return "no PDF header, cross-reference pointer or end marker"
    return None
