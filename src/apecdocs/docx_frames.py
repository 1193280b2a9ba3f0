"""Frames a paragraph style defines, repeated on each paragraph of that style.

A reference document may give a paragraph style a frame (``w:framePr``): the APEC
imprint and the cover's forum and date stand in a frame anchored to the foot of the
page. Word honours a frame set by the style; other word processors only one set on the
paragraph itself, so the finishing pass copies it onto each paragraph of such a style.
"""

from __future__ import annotations

import copy

from lxml import etree

from .docx_package import DOCUMENT, STYLES, DocxPackage, w

# What may precede w:framePr in a paragraph's properties (the schema's order).
BEFORE_FRAME = {w("pStyle"), w("keepNext"), w("keepLines"), w("pageBreakBefore")}


def style_frames(pkg: DocxPackage) -> dict[str, etree._Element]:
    """``{style id: framePr}`` for paragraph styles with a frame, inherited ones too."""
    if not pkg.has(STYLES):
        return {}
    own: dict[str, etree._Element | None] = {}
    parent: dict[str, str] = {}
    for style in pkg.xml(STYLES).iter(w("style")):
        ident = style.get(w("styleId"))
        if style.get(w("type")) != "paragraph" or not ident:
            continue
        own[ident] = style.find(f"{w('pPr')}/{w('framePr')}")
        based = style.find(w("basedOn"))
        if based is not None:
            parent[ident] = based.get(w("val"))
    frames = {}
    for ident in own:
        seen, current = set(), ident
        while current in own and current not in seen and own[current] is None:
            seen.add(current)
            current = parent.get(current, "")
        if own.get(current) is not None:
            frames[ident] = own[current]
    return frames


def apply(pkg: DocxPackage) -> None:
    """Give every paragraph whose style has a frame that frame, unless it has its own."""
    frames = style_frames(pkg)
    if not frames:
        return
    for paragraph in pkg.xml(DOCUMENT).iter(w("p")):
        props = paragraph.find(w("pPr"))
        style = props.find(w("pStyle")) if props is not None else None
        frame = frames.get(style.get(w("val"))) if style is not None else None
        if frame is None or props.find(w("framePr")) is not None:
            continue
        at = max((i + 1 for i, child in enumerate(props) if child.tag in BEFORE_FRAME), default=0)
        props.insert(at, copy.deepcopy(frame))
