"""A bibliography entry's words as Word runs, which pandoc's DOCX writer takes as they are.

Pandoc's DOCX writer spends most of a long bibliography's time on its entries' words:
each span, emphasis and link of 615 entries is a node it works through (deep-review's
bibliography half took 164 ms, 72 ms with its entries' words given as OpenXML). So for
DOCX each entry keeps its Div (pandoc writes its bookmark and the "Bibliography" style)
and its paragraph, whose inlines become one ``RawInline`` of the runs pandoc would write:
text, italics, bold, small capitals, super- and subscripts, underlines, strike-outs,
quotes, line breaks, the tab of a number column, and links. A link to a web address is
written with its address in ``apecdocs.docx_links.TARGET``; the core gives it its
relationship once the package is written. An entry holding anything else (a note,
code, a formula, an image, CJK text, which pandoc marks for East Asian fonts) is left
to pandoc whole. The tests compare both ways, run by run.
"""

from __future__ import annotations

import re
from typing import Any

from apecdocs.contents import escape
from apecdocs.docx_links import NAMESPACE, TARGET_ATTRIBUTE

# The run properties pandoc writes for each kind of inline, in the order it writes them.
_PROPERTIES = {"b": '<w:b/><w:bCs/>', "i": '<w:i/><w:iCs/>', "smallCaps": "<w:smallCaps/>",
               "strike": "<w:strike/>", "u": '<w:u w:val="single"/>',
               "sup": '<w:vertAlign w:val="superscript"/>',
               "sub": '<w:vertAlign w:val="subscript"/>'}
_ORDER = ("b", "i", "smallCaps", "strike", "u", "sup", "sub")
_KIND = {"Strong": "b", "Emph": "i", "SmallCaps": "smallCaps", "Strikeout": "strike",
         "Underline": "u", "Superscript": "sup", "Subscript": "sub"}
# Spans pandoc writes as their words alone (a citation's parts) or after a tab.
_PLAIN_SPANS = frozenset({"csl-left-margin", "csl-block", "csl-indent", "nocase"})
_TAB = '<w:r><w:t xml:space="preserve">\t</w:t></w:r>'
_BREAK = "<w:r><w:br/></w:r>"
# Pandoc's character style for a link's words; ``docx_links`` gives it the template's id.
_LINK_STYLE = "Hyperlink"
# Text pandoc writes otherwise: East Asian script (a font hint, runs cut around it), a
# soft hyphen (its own element) and characters XML cannot hold (dropped).
_SPECIAL_TEXT = re.compile("[\u00ad\u1100-\u11ff\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7ff"
                           "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
                           "\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def quoteattr(value: str) -> str:
    """``value`` as a quoted XML attribute value (line breaks kept, as characters)."""
    value = escape(value).replace('"', "&quot;")
    return '"' + value.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;") + '"'


class Unwritable(Exception):
    """An inline this module does not write as pandoc would: pandoc writes the entry."""


def entry_runs(inlines: list[dict[str, Any]]) -> str:
    """``inlines`` as the OpenXML runs pandoc's DOCX writer makes of them (within a
    paragraph with no run properties of its own). Raises ``Unwritable``."""
    out: list[str] = []
    _inlines(inlines, frozenset(), out, None)
    xml = "".join(out)
    if _SPECIAL_TEXT.search(xml):  # only text can hold them: the markup is ASCII
        raise Unwritable("text pandoc writes apart")
    return xml


def _inlines(items: list[Any], props: frozenset[str], out: list[str],
             style: str | None) -> None:
    text: list[str] = []
    for node in items:
        kind = node.get("t") if type(node) is dict else None
        if kind == "Str":
            text.append(node["c"])
            continue
        if kind == "Space" or kind == "SoftBreak":
            text.append(" ")
            continue
        if text:
            out.append(_run("".join(text), props, style))
            text = []
        content = node.get("c") if kind else None
        if kind in _KIND:
            _inlines(content, props | {_KIND[kind]}, out, style)
        elif kind == "Quoted":
            marks = "“”" if content[0].get("t") == "DoubleQuote" else "‘’"
            _inlines([{"t": "Str", "c": marks[0]}, *content[1], {"t": "Str", "c": marks[1]}],
                     props, out, style)
        elif kind == "Span":
            (identifier, classes, attributes), inner = content
            if identifier or attributes or not set(classes) <= _PLAIN_SPANS | {"csl-right-inline"}:
                raise Unwritable("a span pandoc reads")
            if "csl-right-inline" in classes:
                if len(classes) > 1:
                    raise Unwritable("a span pandoc reads")
                out.append(_TAB)
            _inlines(inner, props, out, style)
        elif kind == "Link":
            (identifier, _, _), inner, (url, title) = content
            if identifier or style is not None:
                raise Unwritable("a link with an identifier, or inside a link")
            tip = f" w:tooltip={quoteattr(title)}" if title else ""
            if url.startswith("#"):
                out.append(f"<w:hyperlink w:anchor={quoteattr(url[1:])}{tip}>")
            else:
                out.append(f'<w:hyperlink xmlns:apd="{NAMESPACE}" '
                           f"apd:{TARGET_ATTRIBUTE}={quoteattr(url)}{tip}>")
            _inlines(inner, props, out, _LINK_STYLE)
            out.append("</w:hyperlink>")
        elif kind == "LineBreak":
            out.append(_BREAK)
        else:
            raise Unwritable(f"a {kind or 'value'} in an entry")
    if text:
        out.append(_run("".join(text), props, style))


_properties: dict[tuple[frozenset[str], str | None], str] = {}


def _run(text: str, props: frozenset[str], style: str | None) -> str:
    start = _properties.get((props, style))
    if start is None:
        found = "".join(_PROPERTIES[p] for p in _ORDER if p in props)
        if style is not None:
            found = f'<w:rStyle w:val="{style}"/>' + found
        start = _properties[(props, style)] = (
            f"<w:r><w:rPr>{found}</w:rPr>" if found else "<w:r>") + '<w:t xml:space="preserve">'
    return f"{start}{escape(text)}</w:t></w:r>"


def entries_as_runs(refs: dict[str, Any]) -> int:
    """In the bibliography Div ``refs``, each entry paragraph's inlines as one raw
    OpenXML inline where ``entry_runs`` can write them; return how many."""
    done = 0
    for entry in refs["c"][1]:
        if type(entry) is not dict or entry.get("t") != "Div":
            continue
        for block in entry["c"][1]:
            if block.get("t") != "Para":
                continue
            try:
                xml = entry_runs(block["c"])
            except Unwritable:
                continue
            if not xml:  # pandoc writes no paragraph for no words: left to it
                continue
            block["c"] = [{"t": "RawInline", "c": ["openxml", xml]}]
            done += 1
    return done
