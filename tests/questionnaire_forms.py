"""Fill a built questionnaire form as a respondent would, by editing its XML: tick
boxes, choose from drop-downs, type into text controls, or type over a control."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _controls(root: etree._Element) -> dict[str, etree._Element]:
    out = {}
    for sdt in root.iter(w("sdt")):
        tag = sdt.find(f"{w('sdtPr')}/{w('tag')}")
        if tag is not None and tag.get(w("val"), "").startswith("apecdocs:"):
            out[tag.get(w("val"))[len("apecdocs:"):]] = sdt
    return out


def _set_text(sdt: etree._Element, text: str) -> None:
    pr = sdt.find(w("sdtPr"))
    placeholder = pr.find(w("showingPlcHdr"))
    if placeholder is not None:
        pr.remove(placeholder)
    content = sdt.find(w("sdtContent"))
    for child in list(content):
        content.remove(child)
    run = etree.SubElement(content, w("r"))
    t = etree.SubElement(run, w("t"))
    t.text = text


def fill(source: Path, dest: Path, *, ticks: dict[str, list[int]] | None = None,
         texts: dict[str, str] | None = None, typed_over: dict[str, str] | None = None,
         x_marks: dict[str, list[int]] | None = None) -> Path:
    """Copy ``source`` to ``dest`` with answers set: ``ticks`` {Q3: [0, 2]} ticks boxes,
    ``texts`` {economy: 'Chile', Q2: '...'} fills controls, ``typed_over`` {key: text}
    replaces a control by plain typed text, ``x_marks`` {Q: [i]} deletes the box of
    option i and types 'X' in its place."""
    shutil.copy(source, dest)
    with zipfile.ZipFile(source) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    controls = _controls(root)
    for qid, indexes in (ticks or {}).items():
        for i in indexes:
            sdt = controls[f"{qid}#{i}"]
            sdt.find(f".//{{{W14}}}checked").set(f"{{{W14}}}val", "1")
            sdt.find(f".//{w('t')}").text = "☒"
    for key, text in (texts or {}).items():
        _set_text(controls[key], text)
    for key, text in (typed_over or {}).items():
        sdt = controls[key]
        run = etree.Element(w("r"))
        etree.SubElement(run, w("t")).text = text
        sdt.addprevious(run)
        sdt.getparent().remove(sdt)
    for qid, indexes in (x_marks or {}).items():
        for i in indexes:
            sdt = controls[f"{qid}#{i}"]
            run = etree.Element(w("r"))
            etree.SubElement(run, w("t")).text = "X"
            sdt.addprevious(run)
            sdt.getparent().remove(sdt)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                                standalone=True)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return dest
