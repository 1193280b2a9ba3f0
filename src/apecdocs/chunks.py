"""Cut one long Markdown text into chunks that pandoc can parse at the same time.

pandoc reads Markdown on one core, and reading is most of the time a long report
takes to build. A text is cut only where cutting cannot change what pandoc reads:
before an ATX heading that follows a blank line, outside code fences, fenced divs,
HTML blocks and comments, and only in a text with nothing whose meaning spans the
whole document (link reference and footnote definitions, example lists, LaTeX macros,
links to a heading by its text) across the cut. Two things only the parsed chunks show, duplicate
identifiers and metadata blocks, are checked by the caller, which then parses the
text whole (see ``assemble.parse``).
"""

from __future__ import annotations

import itertools
import re

MIN_CHUNK = 24_000  # characters: below this, another pandoc process costs more than it saves

# What means something through the whole document, each with a cheap test first.
_GLOBAL = [
    ("]:", re.compile(r"^ {0,3}\[[^\]\n]+\]:", re.MULTILINE)),  # link or footnote definition
    ("(@", re.compile(r"\(@[\w-]*\)")),  # example list item or reference to one
    ("\\", re.compile(r"^[ \t]*\\(?:(?:re)?new(?:command|environment)\b|def\\)", re.MULTILINE)),
]
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*(?:\{[^}]*\})?[ \t]*$")
_SETEXT = re.compile(r"^(?:=+|-+)[ \t]*$")
_BLOCK_TAGS = r"(?:div|section|details|table|figure|blockquote|aside|article|pre|nav|header|footer|" \
              r"main|center|form|fieldset|ul|ol|dl|script|style|textarea)"
_HTML_OPEN = re.compile(rf"<{_BLOCK_TAGS}\b", re.IGNORECASE)
_HTML_CLOSE = re.compile(rf"</{_BLOCK_TAGS}\s*>", re.IGNORECASE)
# [text], [text][] and [text][label]: a reference by name, which may be a heading's text.
_REFERENCE = re.compile(r"(?<![\\!])\[(?![@^])([^\[\]\n]+)\](?!\()(?:\[([^\[\]\n]*)\])?")


def split(text: str, parts: int) -> list[tuple[int, str]]:
    """``text`` in at most ``parts`` chunks of similar size, each with its first line's
    index; a text that is short or not safe to cut comes back whole."""
    if parts < 2 or len(text) < 2 * MIN_CHUNK or any(
            hint in text and pattern.search(text) for hint, pattern in _GLOBAL):
        return [(0, text)]
    lines = text.splitlines(keepends=True)
    cuts = _candidates(lines)
    if not cuts:
        return [(0, text)]
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    chosen: list[int] = []
    for k in range(1, parts):
        goal = len(text) * k // parts
        best = min(cuts, key=lambda i: abs(offsets[i] - goal))
        previous = offsets[chosen[-1]] if chosen else 0
        if offsets[best] - previous >= MIN_CHUNK and len(text) - offsets[best] >= MIN_CHUNK:
            chosen.append(best)
    bounds = [0, *chosen, len(lines)]
    return [(a, "".join(lines[a:b])) for a, b in itertools.pairwise(bounds) if b > a]


def _candidates(lines: list[str]) -> list[int]:
    """Lines a chunk may start at."""
    cuts: list[int] = []
    headings: dict[str, list[int]] = {}  # heading text -> its lines
    names: list[tuple[str, int]] = []  # [text] that may name a heading, and its line
    fence: str | None = None
    divs = html = 0
    comment = blank = False
    previous = ""
    for i, raw in enumerate(lines):
        line = raw.rstrip("\r\n")
        first = line.lstrip(" ")[:1]  # most lines need no pattern at all: test cheaply first
        if fence is not None:
            closing = _FENCE.match(line) if first == fence[0] else None
            if closing and len(closing.group(1)) >= len(fence) and not line[closing.end():].strip():
                fence = None
            blank, previous = False, line
            continue
        if comment:
            comment = "-->" not in line
            blank, previous = False, line
            continue
        heading = _HEADING.match(line) if first == "#" else None
        if heading:
            headings.setdefault(_key(heading.group(2)), []).append(i)
            if blank and divs == 0 and html == 0:
                cuts.append(i)
        elif first in ("=", "-") and _SETEXT.match(line) and previous.strip() and not blank:
            headings.setdefault(_key(previous), []).append(i - 1)
        if "[" in line:
            names += [(_key(m.group(2) or m.group(1)), i) for m in _REFERENCE.finditer(line)]
        opening = _FENCE.match(line) if first in ("`", "~") else None
        if opening:
            fence = opening.group(1)
        elif line.startswith(":::"):
            rest = line.strip(":").strip()
            divs = divs + 1 if rest else max(0, divs - 1)
        elif "<" in line:
            html = max(0, html + len(_HTML_OPEN.findall(line)) - len(_HTML_CLOSE.findall(line)))
            start = line.rfind("<!--")
            comment = start >= 0 and "-->" not in line[start:]
        blank, previous = not line.strip(), line
    # A link to a heading by its text (pandoc's implicit header references) works only
    # within one parse: no cut may fall between such a name and its heading.
    spans = [(min(i, h), max(i, h)) for name, i in names for h in headings.get(name, ())]
    return [c for c in cuts if not any(a < c <= b for a, b in spans)]


def _key(text: str) -> str:
    return " ".join(re.sub(r"[*_`\\]", "", text).lower().split())
