"""PNG fallbacks for SVG images in DOCX.

Pandoc writes an SVG into Word's 2016 ``svgBlip`` extension with no ordinary picture
beside it unless ``rsvg-convert`` is installed; Word 2016+ shows it, other word
processors and older Word show nothing. When an SVG has a PNG of the same name next
to it (the charts plugin draws both), we add that PNG as the picture every reader shows, keeping the SVG
for the readers that prefer vector.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

REL_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


def fallbacks_for(images: list[Path]) -> dict[str, Path]:
    """``{sha256 of the SVG: its PNG}`` for each SVG that has a PNG beside it."""
    out = {}
    for svg in images:
        png = svg.with_suffix(".png")
        if svg.suffix.lower() == ".svg" and png.is_file():
            out[hashlib.sha256(svg.read_bytes()).hexdigest()] = png
    return out


def add_fallbacks(docx: Path, fallbacks: dict[str, Path]) -> int:
    """Rewrite ``docx`` in place, giving each known SVG its PNG; return how many."""
    if not fallbacks:
        return 0
    with zipfile.ZipFile(docx) as zin:
        entries = {info.filename: zin.read(info) for info in zin.infolist()}
        infos = zin.infolist()
    rels_name = "word/_rels/document.xml.rels"
    rels = entries[rels_name].decode("utf-8")
    targets = dict(re.findall(r'Id="([^"]+)"\s+Target="([^"]+)"', rels))
    targets.update({i: t for t, i in re.findall(r'Target="([^"]+)"\s+Id="([^"]+)"', rels)})
    document = entries["word/document.xml"].decode("utf-8")
    added = 0
    new_rels = []
    for rid, target in targets.items():
        media = "word/" + target
        if not target.endswith(".svg") or media not in entries:
            continue
        png = fallbacks.get(hashlib.sha256(entries[media]).hexdigest())
        if png is None:
            continue
        fallback_id = f"{rid}png"
        entries[media[:-4] + "-fallback.png"] = png.read_bytes()
        new_rels.append(f'<Relationship Type="{REL_IMAGE}" Id="{fallback_id}" '
                        f'Target="{target[:-4]}-fallback.png" />')
        pattern = re.compile(r'<a:blip>(?=<a:extLst>(?:(?!</a:extLst>).)*?r:embed="'
                             + re.escape(rid) + '")', re.S)
        document, count = pattern.subn(f'<a:blip r:embed="{fallback_id}">', document)
        added += count
    if not added:
        return 0
    entries[rels_name] = rels.replace("</Relationships>", "".join(new_rels) + "</Relationships>"
                                      ).encode("utf-8")
    entries["word/document.xml"] = document.encode("utf-8")
    types = entries["[Content_Types].xml"].decode("utf-8")
    if 'Extension="png"' not in types:
        types = types.replace("<Default ", '<Default Extension="png" ContentType="image/png" /><Default ', 1)
        entries["[Content_Types].xml"] = types.encode("utf-8")
    names = [i.filename for i in infos] + [n for n in entries if n not in {i.filename for i in infos}]
    with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in names:
            zout.writestr(name, entries[name])
    return added
