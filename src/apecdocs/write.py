"""Write one target from a finished AST: images, pandoc options, pandoc, atomic move.

Nothing reaches the output folder until it is complete: each format is written to a
temporary file beside its destination and moved into place with ``os.replace``, so a
failed or interrupted build leaves the previous output as it was.
"""

from __future__ import annotations

import base64
import mimetypes
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from . import docx_media, halves, pandoc
from .confine import confine
from .docx_write import write_docx
from .errors import ApecdocsError
from .html_halves import write_html
from .joinwords import list_end
from .model import Target, WriteOptions
from .pandoc_ast import nodes
from .verify import check_output

if TYPE_CHECKING:
    from .project import Project

# The media types of common pictures, fixed: the system's table (read on first use, a
# few ms) is consulted only for others, and the same file gets the same data URI anywhere.
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".svg": "image/svg+xml", ".webp": "image/webp",
               ".bmp": "image/bmp", ".tif": "image/tiff", ".tiff": "image/tiff",
               ".emf": "image/emf", ".wmf": "image/wmf", ".pdf": "application/pdf"}


@contextmanager
def atomic_path(dest: Path) -> Iterator[Path]:
    """A temporary path beside ``dest``; moved over it only if the block succeeds."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    # ``.~pid~`` in the name: a killed build's leftover is removed by the next (tempfiles)
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.~{os.getpid()}~", suffix=".part",
                                dir=dest.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; outputs are for sharing
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


@dataclass
class Prepared:
    """A target ready for pandoc: its AST as JSON and how to write it. The tree itself
    can then be released, so a long report is not held in memory once per format."""

    data: halves.Split
    options: WriteOptions
    images: list[Path]
    originals: dict[bytes, bytes]  # DOCX: each picture's stand-in, and the file (docx_media)


def prepare_target(project: Project, target: Target, ast: dict[str, Any]) -> Prepared:
    """Gather the pandoc options, serialize ``ast`` for ``target`` and place its images
    in the JSON (``Images.place_json``: a walk of the whole tree costs more)."""
    originals: dict[bytes, bytes] = {}
    images = Images(project, target.format, originals)
    options = write_options(project, target)
    data = halves.dumps(ast, options, target.format, edit=images.place_json)
    return Prepared(data, options, images.used, originals)


def write_prepared(
    project: Project, target: Target, prepared: Prepared, dest: Path, workdir: Path,
    *, origins: list[tuple[str, str]] | None = None, two_cores: bool = True,
) -> list[str]:
    """Write a prepared target as ``target.format`` to ``dest`` atomically; return warnings.

    The file is checked (``verify``) before it replaces ``dest``; ``origins``: the
    sources and texts of its raw blocks, named if it is broken. ``two_cores``: a long
    DOCX or HTML may be written by two pandoc processes if a core is free (``halves``)."""
    options, images = prepared.options, prepared.images
    written: set[str] = set()
    with atomic_path(dest) as tmp:
        if target.format == "pdf":
            # Typst may read files below its root, following symlinks there: its root is
            # a fresh folder holding only copies of the checked images.
            root = typst_root(project, workdir / f"typst-{target.document}", images)
            typ = root / f"{target.document}.{target.lang}.typ"
            origins = [*project.documents[target.document].sources,
                       *([options.template] if options.template else [])]
            with pandoc.slot():  # pandoc, then Typst at once: one slot for both
                warnings = pandoc.write(prepared.data.whole, "typst", typ, options)
                pandoc.compile_typst(typ, tmp, root=root,
                                     fonts=checked_fonts(project, options.fonts), origins=origins)
        elif target.format == "docx":
            warnings, written = write_docx(prepared.data, options, images, tmp, origins or [],
                                           two_cores=two_cores, originals=prepared.originals)
        else:  # html, the last of model.FORMATS
            warnings = write_html(prepared.data, options, tmp, two_cores=two_cores)
        check_output(tmp, target.format, origins or [], sound=written)
    return warnings


def write_target(
    project: Project, target: Target, ast: dict[str, Any], dest: Path, workdir: Path,
    *, origins: list[tuple[str, str]] | None = None,
) -> list[str]:
    """Write ``ast`` as ``target.format`` to ``dest`` atomically; return warnings."""
    return write_prepared(project, target, prepare_target(project, target, ast), dest, workdir,
                          origins=origins)


def write_options(project: Project, target: Target) -> WriteOptions:
    """The plugins' options for writing ``target``, its template's partials checked."""
    options = WriteOptions()
    project.plugins.hook.pandoc_options(project=project, target=target, options=options)
    if options.template:
        check_partials(project, Path(options.template))
    return options


class Images:
    """Images pointed where each writer can read them, and only inside the project.

    DOCX and HTML get data URIs (pandoc runs sandboxed and reads no files itself); for
    a DOCX, of a picture's stand-in where it has one, kept in ``originals`` with the file
    it stands for (``docx_media``). Typst gets paths from the project root, under which
    ``typst_root`` copies them. ``used``: the files, in the order they were placed.
    """

    def __init__(self, project: Project, fmt: str,
                 originals: dict[bytes, bytes] | None = None) -> None:
        self.project, self.fmt, self.originals = project, fmt, originals
        self.root = project.root.resolve()
        self.used: list[Path] = []
        self.placed: dict[str, tuple[Path, str]] = {}  # an image shown again is judged once

    def place(self, image: dict[str, Any]) -> None:
        target = image["c"][2]
        src = target[0]
        if src.startswith("data:"):
            return
        if src not in self.placed:
            self.placed[src] = _placed(self.project, self.root, src, self.fmt, self.originals)
        path, target[0] = self.placed[src]
        self.used.append(path)

    def place_json(self, data: bytes) -> bytes:
        """``place`` on each image in ``data`` (pandoc JSON), found by its type in the
        text: only a node's type is written ``{"t":"Image"``."""
        out, last = [], 0
        for match in _IMAGE.finditer(data):
            if match.start() < last:
                continue  # inside an image already placed (its description)
            end = list_end(data, match.end())
            if end is None or data[end:end + 2] != b"]}":
                continue  # not pandoc JSON: the writer will say so
            node = orjson.loads(data[match.start():end + 2])
            for image in nodes(node, "Image"):
                self.place(image)
            out += [data[last:match.start()], orjson.dumps(node)]
            last = end + 2
        return b"".join(out) + data[last:] if out else data


_IMAGE = re.compile(rb'\{"t":"Image","c":\[')


def _placed(project: Project, root: Path, src: str, fmt: str,
            originals: dict[bytes, bytes] | None) -> tuple[Path, str]:
    """The checked file of an image and what its writer reads it as."""
    if "://" in src:
        raise ApecdocsError(
            f"remote image '{src}' is not fetched during a build",
            hint="Download the image into the project and refer to the local copy.",
        )
    path = project.readable(Path(src), "image")
    if not path.is_file():
        raise ApecdocsError(f"image '{src}' is missing",
                            hint="Keep images inside the project folder.")
    if fmt == "pdf":
        return path, "/" + path.relative_to(root).as_posix()
    mime = (IMAGE_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
            or "application/octet-stream")
    data = path.read_bytes()
    if fmt == "docx" and originals is not None:
        stand_in = docx_media.standin(data, mime)
        if stand_in is not None:
            originals[stand_in], data = data, stand_in
    return path, f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def typst_root(project: Project, folder: Path, images: list[Path]) -> Path:
    """``folder`` emptied, then holding each image (already confined to the project) at
    its path from the project root: the only files Typst can read."""
    folder = project.writable(folder, "work folder")
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    root = project.root
    for image in images:
        copy = folder / image.relative_to(root)
        if copy.exists():
            continue
        copy.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(image, copy)  # same file, no copying; a hard link is no symlink
        except OSError:
            shutil.copyfile(image, copy)
    return folder


def checked_fonts(project: Project, folders: list[Path]) -> list[Path]:
    """Font folders for Typst; in one of the project's, every file must really be there."""
    for folder in folders:
        if Path(os.path.abspath(folder)).is_relative_to(project.root):
            project.readable(folder, "font folder")
            for file in Path(folder).rglob("*"):
                project.readable(file, "font file")
    return folders


# A pandoc template's partial: ``${ name() }``, ``$name()$``, ``${ it:name() }``.
_DIRECTIVE = re.compile(r"\$\$|\$--[^\n]*|\$\{(.*?)\}|\$([^$\n]*)\$", re.S)
_PARTIAL = re.compile(r"([^\s:{}()\[\]$]+)\(\)")


def check_partials(project: Project, template: Path, depth: int = 0) -> None:
    """Refuse a pandoc template whose partials (which pandoc reads outside its sandbox)
    are missing or lie outside the project or the template's own folder."""
    allowed = [project.root, template.parent]
    for match in _DIRECTIVE.finditer(template.read_text(encoding="utf-8", errors="replace")):
        body = match.group(1) or match.group(2) or ""
        for name in _PARTIAL.findall(body):
            partial = template.parent / name
            if not partial.suffix:
                partial = partial.with_suffix(template.suffix)
            hint = ("A template's partials must be files beside it, inside the project; "
                    "a symlink that points outside is refused.")
            if Path(name).is_absolute() or ".." in Path(name).parts or not partial.is_file():
                raise ApecdocsError(f"template partial '{name}()' is not a file beside the "
                                    "template", file=template, hint=hint)
            confine(partial, allowed, what="template partial", file=template, hint=hint)
            if depth < 10:
                check_partials(project, partial, depth + 1)
