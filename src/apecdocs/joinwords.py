"""Words and the spaces between them joined into one string for pandoc's writers.

Pandoc's reader gives each word its own ``Str`` node and each space a ``Space`` node: nine
nodes in ten of a long report. Pandoc's writers write a ``Space`` exactly as a
``Str " "``, so ``Str "a", Space, Str "b"`` and ``Str "a b"`` give the same DOCX and HTML,
byte for byte. Typst differs only where pandoc escapes a word that a line could begin
with (a number and a full stop, read as a list item there), which a joined word cannot.
But every node costs the writer time, and reading the JSON as much again: on deep-review
the JSON is less than half as long, and pandoc's DOCX writer takes 0.42 s, not 0.66 s.

A line break in the source (``SoftBreak``) is a space too where the writer makes it one:
pandoc's DOCX writer writes it exactly as ``Str " "``, and its HTML writer, with
``--wrap=none``, as a space. There it is joined as a ``Space`` would be (``soft``). Pandoc
puts each word it was given apart in a run of its own, so a DOCX holds fewer runs of the
same text and format; Typst's writer lays out lines and is given the breaks as they are.

A ``Span`` that pandoc's DOCX writer writes as nothing but its contents (no identifier,
no ``custom-style``, ``dir`` or ``lang``, none of the classes it reads: a citation, say)
still keeps the words inside it in runs apart from those around it. For DOCX such spans
are left out (``unwrap_spans``) before the words are joined.

This is done on the JSON text handed to the writer, after every pass and plugin has seen
the tree word by word: what they match and count is unchanged.
"""

from __future__ import annotations

import re

import orjson

# A JSON string as orjson writes it (``"`` and ``\`` escaped inside). Possessive (no
# backtracking into a string that cannot end otherwise): a sixth faster.
_JSTR = rb'"[^"\\]*+(?:\\.[^"\\]*+)*+"'
# One ``Str`` node as orjson writes it (no spaces).
_STR = rb'\{"t":"Str","c":' + _JSTR + rb"\}"
_SP = rb'\{"t":"Space"\}'
# Two or more ``Str`` nodes in a row, with at most one ``Space`` between each pair. Only
# whole ``Str`` nodes are matched, so a seam found inside a match is between two of them.
_RUN = re.compile(_STR + rb"(?:,(?:" + _SP + rb",)?" + _STR + rb")+")
# Where a line break is a space: also a space just before or after such a run, or a
# word (next to markup: ``Str "a", Space, Emph``), joined to it.
_RUN_SOFT = re.compile(_SP + b"," + _STR + rb"(?:,(?:" + _SP + rb",)?" + _STR + rb")*(?:,"
                       + _SP + rb")?|" + _STR + rb"(?:(?:,(?:" + _SP + rb",)?" + _STR
                       + rb")+(?:," + _SP + rb")?|," + _SP + rb")")
_SPACED = b'"},{"t":"Space"},{"t":"Str","c":"'
_TOUCHING = b'"},{"t":"Str","c":"'
_LEAD, _TRAIL = b'{"t":"Space"},{"t":"Str","c":"', b'"},{"t":"Space"}'
# Only a node's type can be written so: in a string, the quotes would be escaped.
_SOFT, _SPACE = b'{"t":"SoftBreak"}', b'{"t":"Space"}'


def _join(match: re.Match[bytes]) -> bytes:
    return match.group().replace(_SPACED, b" ").replace(_TOUCHING, b"")


def _join_soft(match: re.Match[bytes]) -> bytes:
    text = match.group()
    lead, trail = text.startswith(_LEAD), text.endswith(_TRAIL)
    if lead:
        text = b'{"t":"Str","c":" ' + text[len(_LEAD):]
    if trail:
        text = text[:-len(_TRAIL)] + b' "}'
    return text.replace(_SPACED, b" ").replace(_TOUCHING, b"")


def join_words(data: bytes, *, soft: bool = False) -> bytes:
    """``data`` (pandoc JSON) with each run of words and single spaces as one ``Str``;
    ``soft``: line breaks of the source count as spaces, and a space beside a word
    joins it."""
    if soft:
        return _RUN_SOFT.sub(_join_soft, data.replace(_SOFT, _SPACE))
    return _RUN.sub(_join, data)


# A span without an identifier, up to its contents: its classes and attributes captured.
_SPAN = re.compile(rb'\{"t":"Span","c":\[\["",\[(?!"csl-)((?:' + _JSTR + rb',?)*)\],\[((?:\[' + _JSTR
                   + b"," + _JSTR + rb"\],?)*)\]\],\[")
_TOKEN = re.compile(_JSTR + rb"|[\[\]]")  # a string (brackets in it are text) or a bracket
_EMPTY = b'{"t":"Str","c":""}'  # what an empty span becomes
# What pandoc's DOCX writer reads on a span (3.x): anything else it ignores.
_READ_KEYS = frozenset({"custom-style", "dir", "lang", "author", "date", "id"})
_READ_CLASSES = frozenset({"mark", "insertion", "deletion", "comment-start", "comment-end"})


def _inert(match: re.Match[bytes]) -> bool:
    classes = orjson.loads(b"[" + match.group(1) + b"]")
    keys = {key for key, _ in orjson.loads(b"[" + match.group(2) + b"]")}
    return not (keys & _READ_KEYS or _READ_CLASSES.intersection(classes)
                or any(c.startswith("csl-") for c in classes))


def list_end(data: bytes, pos: int) -> int | None:
    """Where the JSON list whose items begin at ``pos`` ends (its ``]``); None if it does
    not. Brackets inside strings are text."""
    depth = 1
    for token in _TOKEN.finditer(data, pos):
        mark = token.group()
        depth += mark == b"[" or -(mark == b"]")
        if depth == 0:
            return token.start()
    return None


def unwrap_spans(data: bytes) -> bytes:
    """``data`` (pandoc JSON) without the spans pandoc's DOCX writer would write as their
    contents alone: the contents stay where the span was (an empty span becomes an empty
    word, which that writer writes as nothing)."""
    edits: list[tuple[int, int, bytes]] = []  # byte ranges replaced: a span's head and tail
    pos = 0
    while (match := _SPAN.search(data, pos)) is not None:
        pos = match.end()
        if not _inert(match):
            continue
        end = list_end(data, pos)
        if end is None:  # not pandoc JSON: left as it is
            return data
        if end == pos:
            edits.append((match.start(), end + 3, _EMPTY))
        else:
            edits += [(match.start(), pos, b""), (end, end + 3, b"")]
    if not edits:
        return data
    edits.sort()
    out, last = [], 0
    for start, stop, replacement in edits:
        out += [data[last:start], replacement]
        last = stop
    out.append(data[last:])
    return b"".join(out)
