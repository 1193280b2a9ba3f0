"""The bibliography's layout in each format: the same entries, indented alike.

The entries are the same AST everywhere; what differs is how each writer is told to
indent them. HTML gets a few CSS rules. DOCX paragraphs use the reference document's
"Bibliography" style; when the CSL style wants a hanging indent and that Word style has
no indentation of its own, a copy of the reference document with one is used (a
project's own Bibliography style is left alone). Typst gets a ``par`` set rule scoped
to the bibliography block.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import zipfile
from pathlib import Path
from typing import Any

from apecdocs.pandoc_ast import blocks, nodes, raw_block

CSS = """
.csl-bib-body .csl-entry { margin: 0 0 0.6em; }
.csl-bib-body .csl-entry > p { margin: 0; }
.csl-bib-body.hanging-indent .csl-entry { padding-left: 2em; text-indent: -2em; }
.csl-bib-body .csl-left-margin { float: left; min-width: 2.5em; text-indent: 0; }
.csl-bib-body .csl-right-inline { display: block; margin-left: 2.5em; }
"""
HANGING_TWIPS = 720  # 0.5 inch, Word's own hanging indent
_BIB_STYLE = re.compile(rb'(<w:style\b[^>]*w:styleId="Bibliography"[^>]*>)(.*?)(</w:style>)', re.S)
_lock = threading.Lock()


def add_css(options: Any) -> None:
    current = options.variables.get("css-inline")
    options.variables["css-inline"] = (current if isinstance(current, str) else "") + CSS


def indent_wanted(style: Any) -> bool:
    """A hanging indent, or a number column (IEEE) whose entries read best indented."""
    return bool(style.hanging_indent or style.second_field_align)


def hanging_reference_doc(reference: Path, cache_dir: Path) -> Path:
    """``reference`` with a hanging indent on its Bibliography style (if it has none)."""
    data = reference.read_bytes()
    digest = hashlib.sha256(data + b"hanging-1").hexdigest()[:24]
    out = cache_dir / "citations" / f"reference-{digest}.docx"
    if out.is_file():
        return out
    with zipfile.ZipFile(reference) as source:
        styles = source.read("word/styles.xml")
        patched = _with_hanging_indent(styles)
        if patched is None:
            return reference
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                content = patched if info.filename == "word/styles.xml" else source.read(info)
                target.writestr(info, content)
    with _lock:
        tmp.replace(out)
    return out


def _with_hanging_indent(styles: bytes) -> bytes | None:
    """styles.xml with an indent in the Bibliography style; None if it has one already."""
    indent = f'<w:ind w:left="{HANGING_TWIPS}" w:hanging="{HANGING_TWIPS}"/>'.encode()
    match = _BIB_STYLE.search(styles)
    if match is None:
        style = (b'<w:style w:type="paragraph" w:customStyle="1" w:styleId="Bibliography">'
                 b'<w:name w:val="Bibliography"/><w:basedOn w:val="Normal"/><w:qFormat/>'
                 b"<w:pPr>" + indent + b"</w:pPr></w:style>")
        return styles.replace(b"</w:styles>", style + b"</w:styles>")
    body = match.group(2)
    if b"<w:ind " in body:
        return None
    if b"<w:pPr/>" in body:
        body = body.replace(b"<w:pPr/>", b"<w:pPr>" + indent + b"</w:pPr>", 1)
    elif b"<w:pPr>" in body:
        body = body.replace(b"<w:pPr>", b"<w:pPr>" + indent, 1)
    else:
        body += b"<w:pPr>" + indent + b"</w:pPr>"
    return styles[:match.start(2)] + body + styles[match.end(2):]


def typst_indent(ast: dict[str, Any]) -> None:
    """A hanging indent for the bibliography block in Typst (scoped to that block)."""
    for block in blocks(ast["blocks"]):
        if block.get("t") != "Div" or "csl-bib-body" not in block["c"][0][1]:
            continue
        aligned = any("csl-left-margin" in span["c"][0][1] for span in nodes(block, "Span"))
        if "hanging-indent" in block["c"][0][1] or aligned:
            width = "2.5em" if aligned else "2em"
            block["c"][1].insert(0, raw_block("typst", f"#set par(hanging-indent: {width}, "
                                                       "justify: false)"))
