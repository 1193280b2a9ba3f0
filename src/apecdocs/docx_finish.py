"""The finishing pass over a written DOCX: sections, page numbers and live fields.

Runs after pandoc (and after the picture fallbacks) on the temporary file, before it is
moved into place, so a failure leaves the previous output untouched. Each step lives in
its own module and edits the parsed parts; the package is written once.
"""

from __future__ import annotations

from pathlib import Path

from . import docx_fields, docx_frames, docx_protect, docx_sections, docx_tables
from .docx_package import DOCUMENT, PIC_NS, WP_NS, DocxPackage
from .model import DocxLayout


def finish_docx(path: Path, layout: DocxLayout) -> set[str]:
    """Rewrite ``path`` in place as ``layout`` asks; return the parts it parsed and wrote
    back (well-formed by construction: the output check need not parse them again)."""
    pkg = DocxPackage(path)
    finish_package(pkg, layout)
    pkg.save(path)
    return set(pkg.trees)


def finish_package(pkg: DocxPackage, layout: DocxLayout) -> None:
    """Edit ``pkg``'s parts as ``layout`` asks (the caller saves it)."""
    describe_pictures(pkg)
    docx_frames.apply(pkg)  # first: a section break must not join a framed paragraph
    docx_tables.apply(pkg)
    docx_sections.apply(pkg, layout.running_header, layout.sections)
    docx_fields.Fields(pkg, layout.caption_labels, layout.pages).apply()
    figure, table = layout.caption_labels
    docx_fields.register_labels(pkg, figure, table)
    docx_protect.declare_w14(pkg)
    if layout.protection:
        docx_protect.protect(pkg, layout.protection)


_PIC_NAME = f"{{{PIC_NS}}}cNvPr"
_DRAWING = f"{{{WP_NS}}}docPr"


def describe_pictures(pkg: DocxPackage) -> None:
    """Pandoc describes a picture inside its drawing by the picture's source: ours is a
    data URI (pandoc runs sandboxed), which stored every picture a second time, as text
    (a fifth of a long report's main part). The drawing's own description, the alt
    text a reader hears, takes its place."""
    for name in (DOCUMENT, "word/footnotes.xml"):
        if not pkg.has(name) or (name not in pkg.trees and b'descr="data:' not in pkg.data[name]):
            continue
        for node in pkg.xml(name).iter(_PIC_NAME):
            if not node.get("descr", "").startswith("data:"):
                continue
            drawing = next((found for holder in node.iterancestors()
                            if (found := holder.find(_DRAWING)) is not None), None)
            node.set("descr", drawing.get("descr", "") if drawing is not None else "")
