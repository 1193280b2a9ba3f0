"""Assemble a document: render each Markdown source with Jinja, parse them with pandoc.

Each source is rendered on its own (so errors name its file and line), written to the
work folder and parsed on its own, all in parallel; the AST of a text parsed before
is taken from ``.apecdocs/parsed/`` instead (editing one chapter re-reads that chapter
only). In the resulting AST each file's blocks sit in a ``Div.apecdocs-source``
carrying its path, so plugins can tell where a node came from; relative image paths
are rebased on their own file's folder.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from . import chunks, pandoc, yamlcheck
from .confine import confine
from .errors import ApecdocsError, Location
from .loader import read_yaml_text
from .pandoc_ast import ATTR_AT, SOURCE_CLASS, attr, nodes
from .store import Store
from .store import key as store_key

if TYPE_CHECKING:
    from .model import Document
    from .project import Project

@dataclass
class Piece:
    """One rendered source: where it came from and the Markdown it became."""

    path: Path  # the user's file (or a type template)
    text: str
    front: dict[str, Any]


class Jinja:
    """A document's Jinja environment and template values, made on first use: a
    document whose sources all say ``jinja: false`` loads no Jinja and computes no
    plugin's values (a completion report's figures, say)."""

    def __init__(self, project: Project, document: Document, lang: str) -> None:
        self.project, self.document, self.lang = project, document, lang

    @functools.cached_property
    def env(self) -> Any:
        return self.project.jinja_env(self.document)

    @functools.cached_property
    def context(self) -> dict[str, Any]:
        return self.project.template_context(self.document, self.lang)


def render_sources(project: Project, document: Document, lang: str) -> list[Piece]:
    """Every source of ``document`` rendered with Jinja, plus the type's template."""
    jinja = Jinja(project, document, lang)
    pieces = [render_source(project, path, jinja) for path in document.sources]
    doc_type = project.document_types[document.type]
    if doc_type.template is not None:
        from .templates import render  # here: Jinja, which a build without it never loads

        body = render(jinja.env, doc_type.template.name, jinja.context, doc_type.template)
        pieces.append(Piece(doc_type.template, body, {}))
    return pieces


def keep_rendered(project: Project, document: Document, lang: str, pieces: list[Piece]) -> None:
    """Keep the pieces a build parsed for ``rendered_last`` (a DOCX's review markers)."""
    with _last_lock:
        _last_rendered.setdefault(project, {})[(document.id, lang)] = pieces


# The pieces a build parsed, per project, document and language (``keep_rendered``): a
# DOCX's review markers look for its paragraphs in the very text the build parsed.
_last_rendered: weakref.WeakKeyDictionary[Any, dict[tuple[str, str], list[Piece]]] = \
    weakref.WeakKeyDictionary()
_last_lock = threading.Lock()


def rendered_last(project: Project, document: Document, lang: str) -> list[Piece]:
    """The pieces a build kept for ``document`` in ``lang`` (``keep_rendered``), taken
    once; rendered now if there are none. Jinja
    and the plugins' template values cost the same again on a report with many."""
    with _last_lock:
        pieces = _last_rendered.get(project, {}).pop((document.id, lang), None)
    return pieces if pieces is not None else render_sources(project, document, lang)


def render_source(project: Project, path: Path, jinja: Jinja) -> Piece:
    """One source file rendered with Jinja (unless its front matter says ``jinja: false``)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ApecdocsError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=path,
                            line=exc.object.count(b"\n", 0, exc.start) + 1,
                            hint="Save the file as UTF-8.") from None
    front_text, body = yamlcheck.split_front_matter(text)
    front: dict[str, Any] = {}
    if front_text:  # it starts on the file's second line, after '---'
        front = yamlcheck.load_checked(front_text, yamlcheck.FRONT_MATTER, path, 2,
                                       "front matter") or {}
    if front.get("jinja", True):
        from .templates import render  # here: as in render_sources

        name = path.relative_to(project.root).as_posix()
        body = render(jinja.env, name, {**jinja.context, "page": front}, path)
    return Piece(path, body, front)


def parse(project: Project, document: Document, pieces: list[Piece], workdir: Path,
          *, images: bool = True, jobs: int | None = None) -> tuple[dict, list[str]]:
    """The AST of the rendered pieces and pandoc's warnings (see ``parse_indexed``)."""
    parsed = parse_indexed(project, document, pieces, workdir, images=images, jobs=jobs)
    return parsed.ast, parsed.warnings


@dataclass
class Parsed:
    """A document as parsed, with what one pass over each of its files found while
    pandoc read the next (``_Index``): a long report is not walked again for it."""

    ast: dict
    warnings: list[str]
    found: list[tuple[Path, str, _Index]]  # each file, as shown, and its index

    def raw_blocks(self) -> list[tuple[str, str, str]]:
        """``(file as shown, format, text)`` of each raw block or inline in the files."""
        return [(shown, node["c"][0], node["c"][1])
                for _, shown, index in self.found for node in index.raws]


def parse_indexed(project: Project, document: Document, pieces: list[Piece], workdir: Path,
                  *, images: bool = True, jobs: int | None = None,
                  when_read: Callable[[], Any] | None = None) -> Parsed:
    """Parse the rendered pieces into one AST with a source ``Div`` around each file.

    Each piece is parsed on its own, as pandoc's ``--file-scope`` would (footnote labels
    do not clash across files), a long one in chunks (``chunks.split``), all at once.
    ``images=False`` leaves image paths as written (``apecdocs check`` judges them all);
    ``jobs`` caps the pandoc processes at once (default: one per core); ``when_read`` is
    called (from a parsing thread) each time pandoc has read a text: a core is free then.
    """
    jobs = max(1, min(jobs or pandoc.SLOTS, pandoc.SLOTS))
    for piece in pieces:
        check_metadata_blocks(piece.text, piece.path)
    workdir.mkdir(parents=True, exist_ok=True)
    parsed = parsed_store(project)
    todo: list[tuple[int, Path, str]] = []
    for i, piece in enumerate(pieces):
        # One chunk per core: a pandoc process costs about 50 ms before it reads a line,
        # so more, smaller chunks measured slower, not better balanced.
        for j, (first_line, text) in enumerate(_chunks(parsed, piece.text + "\n", jobs)):
            text = "\n" * first_line + text  # keeps pandoc's line numbers those of the source
            todo.append((i, workdir / f"{i:03d}.{j:02d}.md", text))
    if not todo:  # nothing to read: an empty document, of this pandoc's API version
        empty = workdir / "empty.md"
        empty.write_text("", encoding="utf-8")
        return Parsed(pandoc.parse(empty)[0], [], [])
    with ThreadPoolExecutor(max_workers=min(len(todo), jobs)) as pool:
        results = list(pool.map(lambda job: _read(job[1], job[2], parsed, pieces[job[0]].path,
                                                  when_read), todo))
    meta: dict[str, Any] = {}
    wrappers: list[dict] = []
    warnings: list[str] = []
    used: set[str] = set()
    found: list[tuple[Path, str, _Index]] = []
    for i, piece in enumerate(pieces):
        parts = [result for job, result in zip(todo, results, strict=True) if job[0] == i]
        joined = _join([(ast, index) for ast, _, index in parts])
        if joined is None:  # the chunks might read differently from the whole: read it whole
            parts = [_read(workdir / f"{i:03d}.md", piece.text + "\n", parsed, piece.path)]
            joined = parts[0][0], parts[0][2]
        ast, index = joined
        shown = _display(piece.path, project.root)
        for _, said, _ in parts:
            warnings += [w.replace(_SOURCE, shown) for w in said]
        if len(pieces) > 1:
            _dedupe_identifiers(ast["blocks"], index, used)
        meta.update(ast["meta"])  # a later file's value wins, as with --file-scope
        attrs = {"source": shown, "path": str(piece.path)}
        wrapper = {"t": "Div", "c": [attr("", [SOURCE_CLASS], attrs), ast["blocks"]]}
        wrappers.append(wrapper)
        if images:
            _rebase_images(wrapper, project, index.images)
        found.append((piece.path, shown, index))
        api = ast["pandoc-api-version"]
    return Parsed({"pandoc-api-version": api, "meta": meta, "blocks": wrappers}, warnings, found)


def _chunks(parsed: Store, text: str, parts: int) -> list[tuple[int, str]]:
    """``chunks.split``, kept with the parses: a long text read before is cut where it
    was, without reading its lines again (7 ms of a 36,000-word report's warm build)."""
    if parts < 2 or len(text) < 2 * chunks.MIN_CHUNK:
        return chunks.split(text, parts)
    key = store_key("chunks 1", str(parts), text)
    kept = parsed.get(key)
    if kept is not None:
        try:
            found = [(first, text[start:end]) for first, start, end in orjson.loads(kept)]
            if "".join(piece for _, piece in found) == text:
                return found
        except (orjson.JSONDecodeError, TypeError, ValueError):
            pass  # cut again
    found = chunks.split(text, parts)
    cuts, start = [], 0
    for first, piece in found:
        cuts.append([first, start, start + len(piece)])
        start += len(piece)
    parsed.put(key, orjson.dumps(cuts))
    return found


def check_metadata_blocks(text: str, path: Path) -> None:
    """YAML metadata blocks inside a text (``---`` ... ``---``) go through the same alias
    limit as every other YAML before pandoc reads them: pandoc itself would expand an
    alias bomb there until memory runs out."""
    if "---" not in text or "*" not in text:
        return
    lines = text.split("\n")
    start = None
    for number, line in enumerate(lines):
        stripped = line.rstrip()
        if start is None:
            if stripped == "---" and number + 1 < len(lines) and lines[number + 1].strip():
                start = number
        elif stripped in ("---", "..."):
            block = "\n".join(lines[start + 1:number])
            if "*" in block and "&" in block:
                read_yaml_text(block, path, start + 2, "metadata block", invalid_ok=True)
            start = None


_SOURCE = "\0source\0"  # stands for the file's name in kept warnings


def parsed_store(project: Project) -> Store:
    """Where the ASTs of parsed texts are kept between builds."""
    return Store(project.cache_path("parsed"))


def _read(file: Path, text: str, parsed: Store, source: Path,
          when_read: Callable[[], Any] | None = None) -> tuple[dict, list[str], _Index]:
    """The AST of ``text``: kept from an earlier parse, else parsed from ``file`` (written
    here) and kept; indexed in the parsing thread, while pandoc reads the next file.
    ``source``: the user's file, for messages."""
    key = store_key("parsed 1", pandoc.pandoc_version(), pandoc.MARKDOWN, text)
    kept = parsed.get(key)
    if kept is not None:
        head, _, raw = kept.partition(b"\n")
        try:
            warnings, ast = orjson.loads(head), orjson.loads(raw)
            return ast, warnings, _Index(ast["blocks"])
        except orjson.JSONDecodeError:
            pass  # damaged: parse again
    file.write_text(text, encoding="utf-8")
    raw, said = pandoc.read(file)
    if when_read is not None:
        when_read()
    warnings = [w.replace(str(file), _SOURCE) for w in said]
    try:
        ast = orjson.loads(raw)
        # Written out again later, inside a few wrappers: fail here, naming the file.
        orjson.dumps([[[[[[[[[[[[[[[[ast]]]]]]]]]]]]]]]])
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):  # absurdly deep nesting only
        raise pandoc.nested_too_deeply(source) from None
    parsed.put(key, orjson.dumps(warnings) + b"\n" + raw)
    return ast, warnings, _Index(ast["blocks"])


class _Index:
    """What the joining of chunks and files, and the checks after, need from a parsed
    text, found in one pass, in document order: the attributes that carry an id, the
    citations, the notes, the images, the links within the document and the raw blocks."""

    def __init__(self, blocks: list[dict]) -> None:
        self.ids: list[list[Any]] = []
        self.cites: list[dict] = []
        self.images: list[dict] = []
        self.notes: list[dict] = []
        self.links: list[dict] = []
        self.raws: list[dict] = []
        self._visit(blocks)

    def _visit(self, items: Any) -> None:
        """Every node in ``items``, parents first, as ``nodes`` gives them: a method that
        calls itself per list and passes over words and spaces (most nodes) at once."""
        for node in items:
            if type(node) is dict:
                t = node.get("t")
                if t is None:
                    child = node.get("blocks")
                else:
                    if t == "Str" or t == "Space":
                        continue
                    child = node.get("c")
                    at = ATTR_AT.get(t)
                    if at is not None and child[at][0]:
                        self.ids.append(child[at])
                    if t == "Cite":
                        self.cites.append(node)
                    elif t == "Link":
                        if child[2][0].startswith("#"):
                            self.links.append(node)
                    elif t == "Image":
                        self.images.append(node)
                    elif t == "Note":
                        self.notes.append(node)
                    elif t == "RawBlock" or t == "RawInline":
                        self.raws.append(node)
                if type(child) is list:
                    self._visit(child)
                elif type(child) is dict:
                    self._visit((child,))
            elif type(node) is list:
                self._visit(node)


def _join(read: list[tuple[dict, _Index]]) -> tuple[dict, _Index] | None:
    """The chunks of one text as one AST, or None where that might differ from parsing
    the text whole: an identifier in two chunks (pandoc would have renamed the later
    one) or metadata blocks in two chunks. Citation numbers continue across chunks."""
    if len(read) == 1:
        return read[0]
    parts = [ast for ast, _ in read]
    indexes = [index for _, index in read]
    if sum(1 for part in parts if part["meta"]) > 1:
        return None
    seen: set[str] = set()
    cites = 0  # pandoc numbers citations and notes through the document (citationNoteNum)
    for index in indexes:
        ids = {attribute[0] for attribute in index.ids}
        if ids & seen:
            return None
        seen |= ids
        for cite in index.cites:
            for citation in cite["c"][0]:
                citation["citationNoteNum"] += cites
        # Each note takes a number, and so does each citation outside a note.
        in_notes = sum(1 for note in index.notes for _ in nodes(note["c"], "Cite"))
        cites += len(index.notes) + len(index.cites) - in_notes
    joined = _Index([])
    for index in indexes:
        joined.ids += index.ids
        joined.cites += index.cites
        joined.images += index.images
        joined.notes += index.notes
        joined.links += index.links
        joined.raws += index.raws
    meta = next((part["meta"] for part in parts if part["meta"]), {})
    blocks = [block for part in parts for block in part["blocks"]]
    ast = {"pandoc-api-version": parts[0]["pandoc-api-version"], "meta": meta, "blocks": blocks}
    return ast, joined


def _dedupe_identifiers(blocks: list[dict], index: _Index, used: set[str]) -> None:
    """Make one file's ids unique in the document: an id an earlier file has becomes
    ``-1``, ``-2``..., as pandoc does within one file; this file's own links follow."""
    renamed: dict[str, str] = {}
    for attribute in index.ids:
        old = candidate = attribute[0]
        n = 0
        while candidate in used:
            n += 1
            candidate = f"{old}-{n}"
        used.add(candidate)
        if candidate != old:
            attribute[0] = renamed[old] = candidate
    if renamed:
        for link in nodes(blocks, "Link"):
            target = link["c"][2]
            if target[0].startswith("#") and target[0][1:] in renamed:
                target[0] = "#" + renamed[target[0][1:]]


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _rebase_images(block: dict, project: Project, images: list[dict] | None = None) -> None:
    """Resolve image paths from the file that names them ("/x.png": from the project).

    An image outside the project, or missing, fails here, where its file is known.
    ``images``: the block's Image nodes, if already found.
    """
    source = Path(dict(block["c"][0][2]).get("path", project.root / "-")) if block.get(
        "t") == "Div" else project.root / "-"
    root = project.root.resolve()
    for image in nodes(block, "Image") if images is None else images:
        target = image["c"][2]
        src = target[0]
        if "://" in src.split("?")[0]:  # http://, file:// ...: never read, said here
            raise ApecdocsError(f"remote image '{src}' is not fetched during a build",
                                file=source, line=find_line(source, src),
                                hint="Download the image into the project and refer to "
                                "the copy.")
        if not src or ":" in src.split("/")[0] or src.startswith("#"):
            continue  # data URIs are judged when the format is written
        base = root if src.startswith("/") else source.parent
        try:
            resolved = confine(base / src.lstrip("/"), [root], what="image", shown=src,
                               hint="Copy the image into the project and refer to it from "
                               "there; a symlink that points outside it is refused too.")
        except ApecdocsError as exc:  # the line is looked for only when it is needed
            exc.location = Location(source, find_line(source, src))
            raise
        if not resolved.is_file():
            raise ApecdocsError(
                f"image '{src}' not found (looked for {resolved})", file=source,
                line=find_line(source, src),
                hint="A path starting with / is read from the project folder."
                if src.startswith("/") else
                "Paths are relative to the Markdown file that names the image.",
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
