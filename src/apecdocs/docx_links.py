"""Links to web addresses in raw OpenXML, given their relationships once pandoc is done.

A link in a Word document names its address through a relationship of the package,
which raw OpenXML handed to pandoc cannot add. So a plugin writes such a link as
``<w:hyperlink xmlns:apd="urn:apecdocs:docx" apd:target="https://...">``, and
``resolve`` (run on every DOCX the build writes, after the halves are joined) gives it
a relationship (one per address, shared with pandoc's own links to it) and the
package's "Hyperlink" character style where its runs name it by that name.
"""

from __future__ import annotations

from lxml import etree

from .docx_package import DOCUMENT, DOCUMENT_RELS, R_NS, STYLES, W_NS, DocxPackage, relate

NAMESPACE = "urn:apecdocs:docx"
TARGET_ATTRIBUTE = "target"
_TARGET = f"{{{NAMESPACE}}}{TARGET_ATTRIBUTE}"
_HYPERLINK_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_MARKED = etree.XPath("//w:hyperlink[@apd:target]", namespaces={"w": W_NS, "apd": NAMESPACE})
_STYLE = f"{{{W_NS}}}rStyle"
_VAL = f"{{{W_NS}}}val"


def resolve(pkg: DocxPackage) -> int:
    """Give each marked link of the main part its relationship; return how many."""
    if DOCUMENT not in pkg.trees and NAMESPACE.encode() not in pkg.data.get(DOCUMENT, b""):
        return 0
    marked = _MARKED(pkg.xml(DOCUMENT))
    if not marked:
        return 0
    rels = pkg.xml(DOCUMENT_RELS)
    ids = {rel.get("Id") for rel in rels}
    by_url = {rel.get("Target"): rel.get("Id") for rel in rels
              if rel.get("Type") == _HYPERLINK_TYPE and rel.get("TargetMode") == "External"}
    style = _hyperlink_style(pkg)
    for link in marked:
        url = link.attrib.pop(_TARGET)
        if url not in by_url:
            by_url[url] = relate(rels, _HYPERLINK_TYPE, url, ids, external=True)
        link.set(f"{{{R_NS}}}id", by_url[url])
        if style != "Hyperlink":
            for named in link.iter(_STYLE):
                if named.get(_VAL) == "Hyperlink":
                    named.set(_VAL, style)
        etree.cleanup_namespaces(link)
    return len(marked)


def _hyperlink_style(pkg: DocxPackage) -> str:
    """The id of the package's character style named "Hyperlink" (a localized template
    may give it another id), else "Hyperlink"."""
    if not pkg.has(STYLES):
        return "Hyperlink"
    for style in pkg.xml(STYLES).iter(f"{{{W_NS}}}style"):
        name = style.find(f"{{{W_NS}}}name")
        if style.get(f"{{{W_NS}}}type") == "character" and name is not None \
                and name.get(_VAL, "").lower() == "hyperlink":
            return style.get(f"{{{W_NS}}}styleId") or "Hyperlink"
    return "Hyperlink"
