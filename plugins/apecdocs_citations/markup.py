"""citeproc-py's HTML to pandoc inlines, and the typography it leaves undone.

Rendering to pandoc's AST (Emph, Strong, Link ...) rather than to raw HTML is what makes
DOCX, PDF and HTML show the same citation. citeproc-py's HTML formatter emits a small
set of tags (i, b, sup, sub, u, a small-caps span); URLs and DOIs come out as text
and become links here, as pandoc makes them.

CSL-JSON fields may carry their own markup (``<i>Homo sapiens</i>``), which
citeproc-py would print as text: ``protect`` swaps it for private-use characters that
survive rendering and ``render_inlines`` turns back into formatting.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

Inline = dict[str, Any]

# Field markup CSL-JSON allows, carried through citeproc-py as private-use characters.
_FIELD_TAGS = {
    "<i>": "\ue010", "</i>": "\ue011", "<b>": "\ue012", "</b>": "\ue013",
    "<sup>": "\ue014", "</sup>": "\ue015", "<sub>": "\ue016", "</sub>": "\ue017",
    '<span style="font-variant:small-caps;">': "\ue018", "<sc>": "\ue018", "</sc>": "\ue019",
}
_RESTORE = {"\ue010": "<i>", "\ue011": "</i>", "\ue012": "<b>", "\ue013": "</b>",
            "\ue014": "<sup>", "\ue015": "</sup>", "\ue016": "<sub>", "\ue017": "</sub>",
            "\ue018": '<span style="font-variant:small-caps;">', "\ue019": "</span>"}
# "&", "<" and ">" written in the data, kept apart from the HTML citeproc-py makes.
DATA = str.maketrans({"&": "\ue01a", "<": "\ue01b", ">": "\ue01c"})
_UNDATA = str.maketrans({"\ue01a": "&", "\ue01b": "<", "\ue01c": ">"})
_FIELD_RE = re.compile("|".join(re.escape(t) for t in sorted(_FIELD_TAGS, key=len, reverse=True)),
                       re.I)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")
_PROTECTED = re.compile("[\ue010-\ue019]")
SLOT = re.compile("\ue100(\\d+)\ue101")
URL = re.compile(r"^(https?://\S+?)([.,;:)\]]*)$")
DOI = re.compile(r"^(10\.\d{4,9}/\S+?)([.,;:)\]]*)$")
# compiled once: ``re``'s own cache costs a lookup per call, thousands per bibliography
_TAGS_SPLIT = re.compile(r"(<[^>]*>)")
_PERIOD_AFTER_MARK = re.compile(r"([?!])((?:</[a-z]+>)*)\.(?!\.)")
_DOUBLE_PUNCTUATION = re.compile(r"([.,?!])([\u201d\u2019])[.,]")
_PUNCTUATION_OUTSIDE = re.compile(r"([\u201d])([.,])")
_OPENING_DOUBLE = re.compile(r'(^|(?<=[\s(\[\u2018\u201c/\ue001-\ue01f-]))"')
_OPENING_SINGLE = re.compile(r"(^|(?<=[\s(\[\u201c]))'(?=\w[^']*'(?!\w))")
_SPACES = re.compile(r"[ \t\n]+")
_ANY_TAG = re.compile(r"<[^>]+>")
_TAG_NODES = {"i": "Emph", "em": "Emph", "b": "Strong", "strong": "Strong", "sup": "Superscript",
              "sub": "Subscript", "u": "Underline"}


def protect(value: str) -> str:
    """``value`` with CSL-JSON markup tags swapped for characters citeproc-py keeps."""
    if "<" not in value:
        return value
    return _FIELD_RE.sub(lambda m: _FIELD_TAGS[m.group().lower()]
                         if m.group().lower() in _FIELD_TAGS else m.group(), value)


def slot(n: int) -> str:
    """A placeholder that ``render_inlines`` replaces by ``slots[n]``."""
    return f"\ue100{n}\ue101"


def typography(html: str, punctuation_in_quote: bool) -> str:
    """Curly quotes and apostrophes, and (for en-US) a comma or period moved inside
    closing quotes; markup tags are left as they are."""
    if '"' in html or "'" in html:  # (each step below only where it can match)
        parts = _TAGS_SPLIT.split(html)
        for n in range(0, len(parts), 2):
            parts[n] = _curly(parts[n])
        html = "".join(parts)
    html = _flip_nested(html)
    if "?" in html or "!" in html:
        html = _PERIOD_AFTER_MARK.sub(r"\1\2", html)  # "Deep?." -> "Deep?"
    if punctuation_in_quote and ("\u201d" in html or "\u2019" in html):
        html = _DOUBLE_PUNCTUATION.sub(r"\1\2", html)
        html = _PUNCTUATION_OUTSIDE.sub(r"\2\1", html)
    return html


def _curly(text: str) -> str:
    if '"' in text:
        text = _OPENING_DOUBLE.sub("\u201c", text)
        text = text.replace('"', "\u201d")
    if "'" in text:
        text = _OPENING_SINGLE.sub("\u2018", text)
        text = text.replace("'", "\u2019")
    return text


def _flip_nested(html: str) -> str:
    """Quotes inside quotes alternate: “a ‘b’ c”, as a title quoted in a quoted title."""
    if html.count("\u201c") < 2:
        return html
    out, stack = [], []
    for ch in html:
        if ch == "\u201c":
            flip = bool(stack) and stack[-1] == "\u201c"
            stack.append("\u2018" if flip else "\u201c")
            out.append(stack[-1])
        elif ch == "\u201d" and stack:
            out.append("\u2019" if stack.pop() == "\u2018" else ch)
        else:
            out.append(ch)
    return "".join(out)


def _text(text: str, out: list[Inline]) -> None:
    """Words and spaces; the first word joins a Str just before it ("<i>a</i>b")."""
    words = _SPACES.split(text)
    first = words[0]
    if first:
        if out and out[-1]["t"] == "Str":
            out[-1] = {"t": "Str", "c": out[-1]["c"] + first}
        else:
            out.append({"t": "Str", "c": first})
    for word in words[1:]:  # each after a space: one Space, then the word
        if not out or out[-1]["t"] != "Space":
            out.append({"t": "Space"})
        if word:
            out.append({"t": "Str", "c": word})


def render_inlines(html: str, slots: dict[int, list[Inline]] | None = None,
                   links: bool = False) -> list[Inline]:
    """Pandoc inlines for citeproc-py HTML; ``links`` turns URLs and DOIs into Links.

    citeproc-py writes a handful of tags and escapes the text, so a tokenizer does
    (several times faster than ``html.parser`` over a 600-entry bibliography)."""
    if _PROTECTED.search(html):
        html = _PROTECTED.sub(lambda m: _RESTORE[m.group()], html)
    stack: list[tuple[str | None, list[Inline]]] = [(None, [])]
    position = 0
    for match in _TAG.finditer(html):
        _data(html[position:match.start()], stack[-1][1], slots or {})
        closing, tag, attributes = match.groups()
        tag = tag.lower()
        if not closing:
            kind = _TAG_NODES.get(tag)
            if tag == "span" and "small-caps" in attributes:
                kind = "SmallCaps"
            stack.append((kind, []))
        elif len(stack) > 1:
            _close(stack)
        position = match.end()
    _data(html[position:], stack[-1][1], slots or {})
    while len(stack) > 1:
        _close(stack)
    return linkify(stack[0][1]) if links else stack[0][1]


def _close(stack: list[tuple[str | None, list[Inline]]]) -> None:
    kind, children = stack.pop()
    if kind:
        stack[-1][1].append({"t": kind, "c": children})
    else:
        stack[-1][1].extend(children)


def _data(text: str, target: list[Inline], slots: dict[int, list[Inline]]) -> None:
    if not text:
        return
    pieces = SLOT.split(text) if "\ue100" in text else (text,)
    for n, piece in enumerate(pieces):
        if n % 2:
            target.extend(slots.get(int(piece), []))
        else:
            _text((unescape(piece) if "&" in piece else piece).translate(_UNDATA), target)


def linkify(inlines: list[Inline]) -> list[Inline]:
    """URLs, and DOIs after "doi:", as Links (recursively inside formatting)."""
    out: list[Inline] = []
    for node in inlines:
        kind = node["t"]
        if kind == "Str":
            linked = _link_word(node["c"], out)
            if linked is None:
                out.append(node)  # a word that is not a link stays as it is
            else:
                out.extend(linked)
        elif kind in ("Emph", "Strong", "Superscript", "Subscript", "Underline", "SmallCaps"):
            out.append({"t": kind, "c": linkify(node["c"])})
        else:
            out.append(node)
    return out


def _link_word(word: str, before: list[Inline]) -> list[Inline] | None:
    """``word`` as a Link (and the punctuation after it) if it is a URL, or a DOI after
    "doi:"; None for any other word (the checks are cheap: thousands of words are neither)."""
    match = URL.match(word) if word.startswith(("http://", "https://")) else None
    target = match.group(1) if match else None
    if not match:
        previous = before[-2]["c"] if len(before) > 1 and before[-2]["t"] == "Str" else ""
        match = DOI.match(word) if previous.lower().rstrip(":") == "doi" else None
        target = f"https://doi.org/{match.group(1)}" if match else None
    if not match:
        return None
    link = {"t": "Link", "c": [["", [], []], [{"t": "Str", "c": match.group(1)}], [target, ""]]}
    return [link] + ([{"t": "Str", "c": match.group(2)}] if match.group(2) else [])


def plain(html: str) -> str:
    """The visible text of rendered HTML, whitespace folded (to compare renderings)."""
    text = _ANY_TAG.sub("", html)
    text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    return " ".join(text.translate(_UNDATA).split())
