"""Word content controls in the form's AST: the printable stand-ins become controls.

Each box of a ``.qf-options`` Div becomes a check box (``w14:checkbox``), each
``.qf-answer`` a text control (or a drop-down of the 21 economies), each body cell of a
``.qf-table`` a text control. Every control is tagged ``apecdocs:<column>`` and sits in
a bookmark named from the same column, so ``collect`` still finds the answer's place
when a respondent's word processor removed the control and left the typed text.
"""

from __future__ import annotations

import hashlib
import itertools
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from apecdocs.labels import label
from apecdocs.pandoc_ast import walk

from . import economies
from .questionnaire import Questionnaire

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
TAG = "apecdocs:"
CHECKED, UNCHECKED = "2612", "2610"  # ☒ ☐
BOOKMARK_BASE = 70000  # ids above pandoc's own bookmarks
PLACEHOLDER = "Click or tap here to enter text."
CHOOSE = "Choose an economy."


def bookmark(key: str) -> str:
    """The bookmark name of an answer's place: short, letters and digits, stable."""
    return "qf_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def option_key(qid: str, index: int) -> str:
    return f"{qid}#{index}"


class Controls:
    """Makes the XML of controls, numbering their ids and bookmarks."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.ids = itertools.count(BOOKMARK_BASE)

    def _mark(self, key: str, inner: str) -> str:
        n = next(self.ids)
        return (f'<w:bookmarkStart w:id="{n}" w:name="{bookmark(key)}"/>{inner}'
                f'<w:bookmarkEnd w:id="{n}"/>')

    def _pr(self, key: str, alias: str) -> str:
        return (f"<w:alias w:val={quoteattr(alias[:60])}/><w:tag w:val={quoteattr(TAG + key)}/>"
                f'<w:id w:val="{next(self.ids)}"/><w:lock w:val="sdtLocked"/>')

    def checkbox(self, key: str, alias: str) -> str:
        box = (f'<w14:checkbox xmlns:w14="{W14}"><w14:checked w14:val="0"/>'
               f'<w14:checkedState w14:val="{CHECKED}" w14:font="MS Gothic"/>'
               f'<w14:uncheckedState w14:val="{UNCHECKED}" w14:font="MS Gothic"/></w14:checkbox>')
        run = ('<w:r><w:rPr><w:rFonts w:ascii="MS Gothic" w:eastAsia="MS Gothic" '
               'w:hAnsi="MS Gothic" w:hint="eastAsia"/></w:rPr><w:t>☐</w:t></w:r>')
        return f"<w:sdt><w:sdtPr>{self._pr(key, alias)}{box}</w:sdtPr>" \
               f"<w:sdtContent>{run}</w:sdtContent></w:sdt>"

    def text(self, key: str, alias: str, multiline: bool = False) -> str:
        hint = escape(label(PLACEHOLDER, self.lang))
        kind = '<w:text w:multiLine="1"/>' if multiline else "<w:text/>"
        return (f"<w:sdt><w:sdtPr>{self._pr(key, alias)}<w:showingPlcHdr/>{kind}</w:sdtPr>"
                f'<w:sdtContent><w:r><w:rPr><w:color w:val="808080"/></w:rPr>'
                f'<w:t xml:space="preserve">{hint}</w:t></w:r></w:sdtContent></w:sdt>')

    def economy(self, key: str, alias: str) -> str:
        items = "".join(f"<w:listItem w:displayText={quoteattr(e.official)} "
                        f"w:value={quoteattr(e.short)}/>" for e in economies.ECONOMIES)
        hint = escape(label(CHOOSE, self.lang))
        return (f"<w:sdt><w:sdtPr>{self._pr(key, alias)}<w:showingPlcHdr/>"
                f"<w:dropDownList>{items}</w:dropDownList></w:sdtPr>"
                f'<w:sdtContent><w:r><w:rPr><w:color w:val="808080"/></w:rPr>'
                f'<w:t xml:space="preserve">{hint}</w:t></w:r></w:sdtContent></w:sdt>')

    def paragraph(self, key: str, control: str) -> dict[str, Any]:
        return {"t": "RawBlock", "c": ["openxml", f"<w:p>{self._mark(key, control)}</w:p>"]}


def _raw(xml: str) -> dict[str, Any]:
    return {"t": "RawInline", "c": ["openxml", xml]}


def _boxes(para: dict[str, Any], qid: str, first: int, controls: Controls) -> int:
    """Each ☐ of a paragraph becomes a check box in a bookmark running to the next box."""
    inlines = para["c"]
    out: list[dict[str, Any]] = []
    index, open_id = first, None
    for node in inlines:
        if node["t"] == "Str" and node["c"].startswith("☐"):
            if open_id is not None:
                out.append(_raw(f'<w:bookmarkEnd w:id="{open_id}"/>'))
            key = option_key(qid, index)
            open_id = next(controls.ids)
            out.append(_raw(f'<w:bookmarkStart w:id="{open_id}" w:name="{bookmark(key)}"/>'
                            + controls.checkbox(key, f"{qid} {index + 1}")))
            rest = node["c"][1:]
            if rest:
                out.append({"t": "Str", "c": rest})
            index += 1
        else:
            out.append(node)
    if open_id is not None:
        out.append(_raw(f'<w:bookmarkEnd w:id="{open_id}"/>'))
    para["c"] = out
    return index


def _table(div: dict[str, Any], qid: str, definition: Questionnaire,
           controls: Controls) -> None:
    question = definition.question(qid)
    if question is None:
        return
    for block in div["c"][1]:
        if block["t"] != "Table":
            continue
        for body in block["c"][4]:
            for r, row in enumerate(body[3]):
                for c, cell in enumerate(row[1][1:]):
                    if r < len(question.rows) and c < len(question.columns):
                        key = f"{qid}.{question.rows[r].id}.{question.columns[c].id}"
                        cell[4] = [controls.paragraph(key, controls.text(key, key))]


def add_controls(ast: dict[str, Any], definition: Questionnaire, lang: str) -> None:
    """Replace the form's stand-ins with content controls (DOCX only)."""
    controls = Controls(lang)

    def visit(node: dict[str, Any]) -> Any:
        if node["t"] != "Div":
            return None
        classes, attrs = node["c"][0][1], dict(node["c"][0][2])
        qid = attrs.get("question", "")
        if "qf-options" in classes:
            index = 0
            for block in node["c"][1]:
                if block["t"] in ("Para", "Plain"):
                    index = _boxes(block, qid, index, controls)
            return node["c"][1]
        if "qf-answer" in classes:
            key, kind = attrs.get("key", qid), attrs.get("kind", "short_text")
            if kind == "economy":
                return [controls.paragraph(key, controls.economy(key, label("Economy", lang)))]
            return [controls.paragraph(key, controls.text(key, key, kind == "long_text"))]
        if "qf-table" in classes:
            _table(node, qid, definition, controls)
            return node["c"][1]
        return None

    ast["blocks"] = walk(ast["blocks"], visit)
