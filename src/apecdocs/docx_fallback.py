"""PNG fallbacks for SVG images in DOCX.

Pandoc writes an SVG into Word's 2016 ``svgBlip`` extension with no ordinary picture
beside it unless ``rsvg-convert`` is installed; Word 2016+ shows it, other word
processors and older Word show nothing. When an SVG has a PNG of the same name next
to it (the charts plugin draws both), we add that PNG as the picture every reader shows, keeping the SVG
for the readers that prefer vector.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from lxml import etree

from .docx_package import A_NS, CONTENT_TYPES, CT_NS, DOCUMENT, DOCUMENT_RELS, R_NS, REL_NS, DocxPackage

REL_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


def fallbacks_for(images: list[Path]) -> dict[str, Path]:
    """``{sha256 of the SVG: its PNG}`` for each SVG that has a PNG beside it."""
    out = {}
    for svg in images:
        png = svg.with_suffix(".png")
        if svg.suffix.lower() == ".svg" and png.is_file():
            out[hashlib.sha256(svg.read_bytes()).hexdigest()] = png
    return out


def add_fallbacks(pkg: DocxPackage, fallbacks: dict[str, Path]) -> int:
    """Give each known SVG in ``pkg`` its PNG; return how many pictures got one."""
    if not fallbacks:
        return 0
    rels = pkg.xml(DOCUMENT_RELS)
    found = {}
    for rel in rels:
        target, rid = rel.get("Target", ""), rel.get("Id")
        media = "word/" + target
        if target.endswith(".svg") and media in pkg.data:
            png = fallbacks.get(hashlib.sha256(pkg.data[media]).hexdigest())
            if png is not None:
                found[rid] = (target, png)
    if not found:
        return 0
    added = 0
    embed = f"{{{R_NS}}}embed"
    for blip in pkg.xml(DOCUMENT).iter(f"{{{A_NS}}}blip"):
        if blip.get(embed) is not None:
            continue
        svg = next((n.get(embed) for n in blip.iter() if n.get(embed) in found), None)
        if svg is None:
            continue
        target, png = found[svg]
        fallback_id, name = f"{svg}png", f"word/{target[:-4]}-fallback.png"
        if name not in pkg.data:
            pkg.data[name] = png.read_bytes()
            pkg.names.append(name)
            rel = etree.SubElement(rels, f"{{{REL_NS}}}Relationship")
            rel.set("Type", REL_IMAGE)
            rel.set("Id", fallback_id)
            rel.set("Target", f"{target[:-4]}-fallback.png")
        blip.set(embed, fallback_id)
        added += 1
    types = pkg.xml(CONTENT_TYPES)
    if added and not any(d.get("Extension", "").lower() == "png"
                         for d in types.iter(f"{{{CT_NS}}}Default")):
        default = etree.Element(f"{{{CT_NS}}}Default", Extension="png", ContentType="image/png")
        types.insert(0, default)
    return added
