"""Write a DOCX: pandoc (on two cores for a long document), then the finishing pass.

The package is read once, joined if it was written in halves (``docx_merge``), given
its picture fallbacks and finished (``docx_finish``) in memory, and saved once. Any
failure falls back to the document written whole, so the error the user sees (a broken
raw OpenXML block, named with its source) is the same however it was written.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from . import docx_links, docx_media, halves, pandoc
from .docx_fallback import add_fallbacks, fallbacks_for
from .docx_finish import finish_package
from .docx_merge import TEXT_PARTS, CannotMerge, merge
from .docx_package import DocxPackage
from .model import WriteOptions
from .verify import check_output


def write_docx(split: halves.Split, options: WriteOptions, images: list[Path], tmp: Path,
               origins: list[tuple[str, str]], *, two_cores: bool = True,
               originals: dict[bytes, bytes] | None = None) -> tuple[list[str], set[str]]:
    """Write ``split`` to ``tmp`` as a finished DOCX; return pandoc's warnings and the
    parts written from parsed trees (well-formed by construction). ``two_cores``: its
    halves may be written at once, if a pandoc slot is free now. ``originals``: the
    pictures pandoc was given stand-ins for, by stand-in (``docx_media``)."""
    pkg, warnings = _in_halves(split, options, tmp) if two_cores else (None, [])
    halved = pkg is not None
    if pkg is None:
        warnings = pandoc.write(split.whole, "docx", tmp, options)
    try:
        if pkg is None:
            pkg = DocxPackage(tmp)
        docx_links.resolve(pkg)
        docx_media.restore(pkg, originals or {})
        add_fallbacks(pkg, fallbacks_for(images))
        finish_package(pkg, options.docx)
    except Exception:  # a broken raw OpenXML block, named, rather than the XML parser's words
        if halved:
            pandoc.write(split.whole, "docx", tmp, options)
        check_output(tmp, "docx", origins)
        raise
    pkg.save(tmp)
    return warnings, set(pkg.trees)


def _read(path: Path) -> DocxPackage:
    """A half's package, its text parts parsed: done as soon as its pandoc ends, while
    the other half may still be written."""
    pkg = DocxPackage(path)
    for name in TEXT_PARTS:
        if pkg.has(name):
            pkg.xml(name)
    return pkg


def _in_halves(split: halves.Split, options: WriteOptions,
               tmp: Path) -> tuple[DocxPackage | None, list[str]]:
    """The two halves written at once and joined; None if not written so or they cannot
    be joined (a broken part included: the whole document's writing names it)."""
    second = tmp.with_name(tmp.name + ".half")
    try:
        written = halves.write_both(split, "docx", tmp, second, options, _read)
        if written is None:
            return None, []
        warnings, (pkg, other) = written
        merge(pkg, other)
        return pkg, warnings
    except (CannotMerge, etree.XMLSyntaxError, pandoc.PandocError):
        return None, []
    finally:
        second.unlink(missing_ok=True)
