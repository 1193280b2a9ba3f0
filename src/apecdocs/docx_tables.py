"""Tables in the Word output kept together as the PDF keeps them.

A row never splits across pages (``w:cantSplit``). A table up to half a page high
stays on one page: each paragraph of its rows but the last keeps with the next
(``w:keepNext``), which is how Word keeps a table together; its caption already keeps
with the table (the reference document's caption style). A longer table breaks between
rows and repeats its header row (pandoc marks it ``w:tblHeader``).

The height is estimated from the cells' text, the columns' widths and the body text
size, with the metrics ``tables`` measures column widths with.
"""

from __future__ import annotations

import math

from lxml import etree

from .docx_package import DOCUMENT, DocxPackage, el, w
from .tables import text_width

SIZE = 11.0  # pt: the body text of the reference documents
LINE = SIZE * 1.25
CELL_PADDING = 2 * 5.4  # pt: Word's default cell margins, left and right
ROW_PADDING = 4.0  # pt: above and below a row's text, and its rules
A4 = (11906, 16838, 1417, 1417)  # twips: width, height, top and bottom margins


def apply(pkg: DocxPackage) -> None:
    body = pkg.xml(DOCUMENT).find(w("body"))
    if body is None:
        return
    width, height = _text_area(body)
    for table in body.iter(w("tbl")):
        if _inside_table(table):
            continue
        rows = table.findall(w("tr"))
        columns = _columns(table, width)
        for row in rows:
            props = row.find(w("trPr"))
            if props is None:
                props = el("trPr")
                row.insert(1 if row.find(w("tblPrEx")) is not None else 0, props)
            if props.find(w("cantSplit")) is None:
                props.insert(0, el("cantSplit"))
        if sum(_row_height(row, columns) for row in rows) < 0.5 * height:
            for row in rows[:-1]:
                for paragraph in row.iter(w("p")):
                    _keep_next(paragraph)


def _text_area(body: etree._Element) -> tuple[float, float]:
    """Width and height of the page's text area, in points."""
    page_w, page_h, top, bottom = A4
    sect = body.find(w("sectPr"))
    if sect is not None:
        size, margins = sect.find(w("pgSz")), sect.find(w("pgMar"))
        if size is not None:
            page_w = int(size.get(w("w"), page_w))
            page_h = int(size.get(w("h"), page_h))
        if margins is not None:
            top, bottom = int(margins.get(w("top"), top)), int(margins.get(w("bottom"), bottom))
            page_w -= int(margins.get(w("left"), 1304)) + int(margins.get(w("right"), 1304))
        else:
            page_w -= 2 * 1304
    else:
        page_w -= 2 * 1304
    return page_w / 20, (page_h - abs(top) - abs(bottom)) / 20


def _inside_table(table: etree._Element) -> bool:
    return any(parent.tag == w("tbl") for parent in table.iterancestors())


def _columns(table: etree._Element, line: float) -> list[float]:
    """Column widths in points, the grid scaled to the line (pandoc's tables are 100 %)."""
    grid = table.find(w("tblGrid"))
    twips = [int(c.get(w("w"), "0")) for c in grid.findall(w("gridCol"))] if grid is not None else []
    total = sum(twips)
    return [line * t / total for t in twips] if total else []


def _row_height(row: etree._Element, columns: list[float]) -> float:
    tallest, column = 1, 0
    for cell in row.findall(w("tc")):
        span = cell.find(f"{w('tcPr')}/{w('gridSpan')}")
        n = int(span.get(w("val"), "1")) if span is not None else 1
        room = max(20.0, sum(columns[column:column + n]) - CELL_PADDING) if columns else 200.0
        lines = 0
        for paragraph in cell.iter(w("p")):
            text = "".join(t.text or "" for t in paragraph.iter(w("t")))
            lines += max(1, math.ceil(text_width(text, size=SIZE) / room))
        tallest = max(tallest, lines)
        column += n
    return tallest * LINE + ROW_PADDING


def _keep_next(paragraph: etree._Element) -> None:
    props = paragraph.find(w("pPr"))
    if props is None:
        props = el("pPr")
        paragraph.insert(0, props)
    if props.find(w("keepNext")) is not None:
        return
    style = props.find(w("pStyle"))
    props.insert(1 if style is not None else 0, el("keepNext"))
