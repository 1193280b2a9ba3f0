"""Form protection of a DOCX: respondents fill the content controls and nothing else.

``w:documentProtection w:edit="forms"`` in the settings part: Word then lets a user
edit only form fields and content controls (the ``formProt`` rule of the standard);
other word processors may ignore it, which is why the collector also reads answers
typed beside a control. Controls written with the ``w14`` prefix get it declared on the
document and marked ignorable, so older readers skip what they do not know.
"""

from __future__ import annotations

from lxml import etree

from .docx_package import DOCUMENT, DocxPackage, el, w

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
SETTINGS = "word/settings.xml"
# Settings that the schema orders after documentProtection: it goes before the first.
_AFTER = {"autoFormatOverride", "styleLockTheme", "styleLockQFSet", "defaultTabStop",
          "autoHyphenation", "consecutiveHyphenLimit", "hyphenationZone", "doNotHyphenateCaps",
          "showEnvelope", "summaryLength", "clickAndTypeStyle", "defaultTableStyle",
          "evenAndOddHeaders", "bookFoldRevPrinting", "bookFoldPrinting", "bookFoldPrintingSheets",
          "drawingGridHorizontalSpacing", "drawingGridVerticalSpacing",
          "displayHorizontalDrawingGridEvery", "displayVerticalDrawingGridEvery",
          "doNotUseMarginsForDrawingGridOrigin", "drawingGridHorizontalOrigin",
          "drawingGridVerticalOrigin", "doNotShadeFormData", "noPunctuationKerning",
          "characterSpacingControl", "printTwoOnOne", "strictFirstAndLastChars",
          "noLineBreaksAfter", "noLineBreaksBefore", "savePreviewPicture", "compat", "rsids",
          "mathPr", "themeFontLang", "clrSchemeMapping", "decimalSymbol", "listSeparator"}


def protect(pkg: DocxPackage, edit: str) -> None:
    """Enforce ``edit`` protection (``forms`` or ``readOnly``) without a password."""
    settings = pkg.xml(SETTINGS)
    for old in settings.findall(w("documentProtection")):
        settings.remove(old)
    node = el("documentProtection", {"edit": edit, "enforcement": "1"})
    after = next((c for c in settings if etree.QName(c).localname in _AFTER), None)
    if after is None:
        settings.append(node)
    else:
        after.addprevious(node)


def declare_w14(pkg: DocxPackage) -> None:
    """Declare ``w14`` on the document root when a control uses it, ignorable by readers
    that predate it."""
    root = pkg.xml(DOCUMENT)
    if root.find(f".//{{{W14}}}checkbox") is None:
        return
    if root.nsmap.get("w14") != W14 or root.nsmap.get("mc") != MC:
        new = etree.Element(root.tag, nsmap={**root.nsmap, "w14": W14, "mc": MC})
        for name, value in root.attrib.items():
            new.set(name, value)
        new.text = root.text
        new.extend(list(root))
        pkg.trees[DOCUMENT] = root = new
    ignorable = f"{{{MC}}}Ignorable"
    prefixes = (root.get(ignorable) or "").split()
    if "w14" not in prefixes:
        root.set(ignorable, " ".join([*prefixes, "w14"]))
    etree.cleanup_namespaces(root, top_nsmap={"w14": W14, "mc": MC})  # one declaration
