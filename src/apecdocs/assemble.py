"""Assemble a document: render each Markdown source with Jinja, parse them with pandoc.

Each source is rendered on its own (so errors name its file and line), written to the
work folder with a marker naming it, and all are parsed in one pandoc run with
``--file-scope`` (footnote labels do not clash across files). In the resulting AST each
file's blocks sit in a ``Div.apecdocs-source`` carrying its path, so plugins can tell
where a node came from; relative image paths are rebased on their own file's folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import pandoc
from .errors import ApecdocsError
from .pandoc_ast import attr, attr_of, nodes
from .templates import render, split_front_matter

if TYPE_CHECKING:
    from .model import Document
    from .project import Project

MARKER = "apecdocs-source"
SOURCE_CLASS = "apecdocs-source"


@dataclass
class Piece:
    """One rendered source: where it came from and the Markdown it became."""

    path: Path  # the user's file (or a type template)
    text: str
    front: dict[str, Any]


def render_sources(project: Project, document: Document, lang: str) -> list[Piece]:
    """Every source of ``document`` rendered with Jinja, plus the type's template."""
    context = project.template_context(document, lang)
    env = project.jinja_env(document)
    pieces = [render_source(project, path, env, context) for path in document.sources]
    doc_type = project.document_types[document.type]
    if doc_type.template is not None:
        body = render(env, doc_type.template.name, context, doc_type.template)
        pieces.append(Piece(doc_type.template, body, {}))
    return pieces


def render_source(project: Project, path: Path, env: Any, context: dict[str, Any]) -> Piece:
    """One source file rendered with Jinja (unless its front matter says ``jinja: false``)."""
    from ruamel.yaml import YAML

    from .loader import plain

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ApecdocsError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=path,
                            hint="Save the file as UTF-8.") from None
    front_text, body = split_front_matter(text)
    front: dict[str, Any] = {}
    if front_text:
        try:
            front = plain(YAML(typ="rt").load(front_text)) or {}
        except Exception as exc:
            raise ApecdocsError(
                f"invalid front matter: {exc}", file=path, line=1,
                hint="Front matter is YAML between two '---' lines.",
            ) from None
        if not isinstance(front, dict):
            raise ApecdocsError("front matter must be a mapping", file=path, line=2)
    if front.get("jinja", True):
        name = path.relative_to(project.root).as_posix()
        body = render(env, name, {**context, "page": front}, path)
    return Piece(path, body, front)


def parse(project: Project, document: Document, pieces: list[Piece], workdir: Path,
          *, images: bool = True) -> tuple[dict, list[str]]:
    """Parse the rendered pieces into one AST with a source ``Div`` around each file.

    ``images=False`` leaves image paths as written (``apecdocs check`` judges them all).
    """
    workdir.mkdir(parents=True, exist_ok=True)
    files = []
    for i, piece in enumerate(pieces):
        file = workdir / f"{i:03d}.md"
        marker = f"```{{={MARKER}}}\n{i}\n```\n\n"
        file.write_text(marker + piece.text + "\n", encoding="utf-8")
        files.append(file)
    ast, warnings = pandoc.parse(files)
    if len(files) > 1:
        _unscope_identifiers(ast)
    ast["blocks"] = _wrap_sources(ast["blocks"], pieces, project.root)
    for block in ast["blocks"] if images else []:
        _rebase_images(block, project)
    return ast, warnings


_SCOPE = re.compile(r"^.*?\d{3}\.md__")


def _unscope_identifiers(ast: dict) -> None:
    """Undo ``--file-scope``'s path prefixes on ids (``tmp__..__001.md__sec-x``).

    Authors write ``{#sec-x}`` and link ``#sec-x``; ids that two files share get
    ``-1``, ``-2``... in the later files, as pandoc does within one file.
    """
    renamed: dict[str, str] = {}
    used: set[str] = set()
    for node in nodes(ast["blocks"]):
        attribute = attr_of(node)
        if attribute is None or not attribute[0]:
            continue
        old = attribute[0]
        new = _SCOPE.sub("", old)
        candidate, n = new, 0
        while candidate in used:
            n += 1
            candidate = f"{new}-{n}"
        used.add(candidate)
        attribute[0] = renamed[old] = candidate
    for link in nodes(ast["blocks"], "Link"):
        target = link["c"][2]
        if target[0].startswith("#"):
            key = target[0][1:]
            target[0] = "#" + renamed.get(key, _SCOPE.sub("", key))


def _wrap_sources(blocks: list[dict], pieces: list[Piece], root: Path) -> list[dict]:
    out: list[dict] = []
    current: list[dict] | None = None
    for block in blocks:
        if block["t"] == "RawBlock" and block["c"][0] == MARKER:
            piece = pieces[int(block["c"][1].strip())]
            shown = _display(piece.path, root)
            attrs = {"source": shown, "path": str(piece.path)}
            wrapper = {"t": "Div", "c": [attr("", [SOURCE_CLASS], attrs), []]}
            out.append(wrapper)
            current = wrapper["c"][1]
        elif current is not None:
            current.append(block)
        else:
            out.append(block)
    return out


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _rebase_images(block: dict, project: Project) -> None:
    """Resolve image paths from the file that names them ("/x.png": from the project).

    An image outside the project, or missing, fails here, where its file is known.
    """
    source = Path(dict(block["c"][0][2]).get("path", project.root / "-")) if block.get(
        "t") == "Div" else project.root / "-"
    root = project.root.resolve()
    for image in nodes(block, "Image"):
        target = image["c"][2]
        src = target[0]
        if not src or ":" in src.split("/")[0] or src.startswith("#"):
            continue  # URLs and data URIs are judged when the format is written
        base = root if src.startswith("/") else source.parent
        resolved = (base / src.lstrip("/")).resolve()
        if not resolved.is_relative_to(root):
            raise ApecdocsError(
                f"image '{src}' is outside the project folder", file=source,
                line=find_line(source, src),
                hint="Copy the image into the project and refer to it from there.",
            )
        if not resolved.is_file():
            raise ApecdocsError(
                f"image '{src}' not found (looked for {resolved})", file=source,
                line=find_line(source, src),
                hint="Paths are relative to the Markdown file that names the image.",
            )
        target[0] = str(resolved)


def find_line(path: Path, needle: str) -> int | None:
    """The first line of ``path`` containing ``needle``, for messages about AST nodes."""
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if needle in line:
                return number
    except OSError:
        pass
    return None


def unwrap_sources(ast: dict) -> None:
    """Drop the source wrappers before writing: they must not change the layout."""
    blocks: list[dict] = []
    for block in ast["blocks"]:
        if block.get("t") == "Div" and SOURCE_CLASS in block["c"][0][1]:
            blocks.extend(block["c"][1])
        else:
            blocks.append(block)
    ast["blocks"] = blocks


def source_of(block: dict) -> str | None:
    """The project-relative source file of a top-level source wrapper, if it is one."""
    if block.get("t") == "Div" and SOURCE_CLASS in block["c"][0][1]:
        return dict(block["c"][0][2]).get("source")
    return None
