"""Table column widths from the cells' content, the same in DOCX, PDF and HTML.

pandoc gives a table relative widths only when its source spells them out (the dashes
of a long pipe table, a grid table); otherwise each writer guesses, and a long pipe
table's dashes often leave a column narrower than its longest word, which the PDF then
prints over the next column. Here every table gets widths before any writer runs:

- without explicit widths (or with ``widths="auto"`` on the table or an enclosing
  Div): sized as a browser sizes an automatic table: each column at least as wide as
  its longest unbreakable word, the rest of the line shared in proportion to how much
  more its text would take on one line;
- with explicit widths (dashes, a grid table, ``widths="1 2 1"``): kept, but a column
  narrower than its longest word is widened (taken from the columns with room to spare)
  and a warning names the table's file and line;
- a word wider than the whole line can offer gets soft hyphens, so it breaks inside its
  cell instead of running into the next one.

Widths are measured with the metrics of the PDF template's font (DejaVu Sans, its
advance widths in ``font_widths.json``) at its table text size; the widest common body
font, so the narrower fonts of a word processor or a browser fit as well.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .assemble import find_line
from .errors import Location
from .model import Finding
from .pandoc_ast import SOURCE_CLASS, attr_dict, stringify

# The core PDF template's text area and table text (styles/template.typ): A4 less
# 2 x 2.3 cm margins, 10.5 pt text, 5 pt cell inset each side.
LINE_WIDTH = (21.0 - 2 * 2.3) / 2.54 * 72
FONT_SIZE = 10.5
INSET = 2 * 5.0 + 1.0  # both sides of a cell, and its rule
SAFETY = 1.03  # measured advances leave out nothing, but fonts differ a little
SOFT_HYPHEN = "\u00ad"

# Where a line may break inside a space-free token: after a hyphen or dash followed by a
# letter ("e-commerce"), after a slash; and around every CJK character.
_BREAK_AFTER = re.compile(r"(?<=[-\u2010\u2013\u2014/])(?=[^\W\d_])")
_WIDE = (r"([\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
         r"\u0e00-\u0e7f\u0e80-\u0eff\u1780-\u17ff])")


@functools.cache
def _wide() -> re.Pattern[str]:
    """``_WIDE``, compiled on first use: its ranges take 4 ms to compile, and ASCII text
    (most tables) never needs it."""
    return re.compile(_WIDE)


def _wide_split(text: str) -> list[str]:
    """``text`` cut around each wide character, which a line may break before or after."""
    return [text] if text.isascii() else _wide().split(text)


@dataclass
class Widened:
    """A column whose explicit width was raised to fit its longest word."""

    column: int  # 1-based
    word: str
    before: float
    after: float


def fit_columns(ast: dict[str, Any], root: Path | None = None) -> list[Finding]:
    """Give every table in ``ast`` column widths, in place; return a warning for each
    table whose explicit widths had to be widened, with its file and line."""
    warnings: list[Finding] = []
    _visit(ast["blocks"], None, False, warnings, root)
    return warnings


def _visit(blocks: list[Any], source: Path | None, auto: bool, warnings: list[Finding],
           root: Path | None) -> None:
    for block in blocks:
        if not isinstance(block, dict):
            continue
        t, c = block.get("t"), block.get("c")
        if t == "Div":
            attrs = attr_dict(c[0])
            inner_source = Path(attrs["path"]) if SOURCE_CLASS in c[0][1] and "path" in attrs \
                else source
            _visit(c[1], inner_source, auto or attrs.get("widths") == "auto", warnings, root)
        elif t == "Table":
            message = fit_table(block, auto=auto)
            if message and _users(source, root):
                warnings.append(_located(block, source, message))
            for cell in _cells(block):
                _visit(cell[4], source, auto, warnings, root)
        elif t == "Figure":
            _visit(c[2], source, auto, warnings, root)
        elif t == "BlockQuote":
            _visit(c, source, auto, warnings, root)
        elif t in ("BulletList", "OrderedList"):
            for item in (c if t == "BulletList" else c[1]):
                _visit(item, source, auto, warnings, root)


def fit_table(table: dict[str, Any], auto: bool = False) -> str | None:
    """Set one table's widths; a message when explicit widths were widened."""
    attr, _caption, colspecs = table["c"][0], table["c"][1], table["c"][2]
    n = len(colspecs)
    if not n:
        return None
    value = attr_dict(attr).get("widths", "").strip()
    numbers = [x for x in re.split(r"[\s,]+", value) if x]
    if value and value != "auto" and (len(numbers) != n or not all(map(_number, numbers))
                                      or not sum(float(x) for x in numbers)):
        attr[2] = [pair for pair in attr[2] if pair[0] != "widths"]  # sized without it
        also = fit_table(table, auto=auto)
        return (f"table {_name(table)}: widths=\"{value}\" is not {n} numbers, one per column, "
                f"and was ignored; write {n} relative widths (widths=\"{' '.join(['1'] * n)}\") "
                f"or widths=\"auto\"" + (f". Also: {also}" if also else ""))
    given = _given_widths(attr, colspecs, auto)
    mins, maxs, words = _measure(table, n)
    room = LINE_WIDTH
    if given is None:
        widths = _auto(mins, maxs, room)
        widened: list[Widened] = []
    else:
        widths, widened = _honour(given, mins, room)
        for w in widened:
            w.word = words[w.column - 1]
    for spec, width in zip(colspecs, widths, strict=True):
        spec[1] = {"t": "ColWidth", "c": round(width / room, 4)}
    _break_long_words(table, widths)
    if not widened:
        return None
    columns = "; ".join(f"column {w.column} ('{w.word}') from {w.before:.0%} to {w.after:.0%}"
                        for w in widened)
    return (f"table {_name(table)}: explicit column widths widened so the longest word fits: "
            f"{columns}. Give those columns more dashes (or widths=\"...\"), or drop the widths "
            f"(widths=\"auto\") to size them from their content")


def _given_widths(attr: list[Any], colspecs: list[Any], auto: bool) -> list[float] | None:
    """Explicit widths as fractions of the line, or None to size from content."""
    value = attr_dict(attr).get("widths", "").strip()
    if value == "auto" or (auto and not value):
        return None
    if value:
        numbers = [float(x) for x in re.split(r"[\s,]+", value) if _number(x)]
        if len(numbers) == len(colspecs) and sum(numbers) > 0:
            total = sum(numbers)
            return [x / total for x in numbers]
    widths = [spec[1].get("c") if isinstance(spec[1], dict) and spec[1].get("t") == "ColWidth"
              else None for spec in colspecs]
    if any(w is None for w in widths):
        return None
    return [float(w) for w in widths]


def _number(text: str) -> bool:
    try:
        return float(text) >= 0
    except ValueError:
        return False


def _auto(mins: list[float], maxs: list[float], room: float) -> list[float]:
    """Minimums first; what is left goes where text would still wrap, in proportion."""
    if sum(mins) >= room:
        return [m * room / sum(mins) for m in mins]
    if sum(maxs) <= room:
        return [m * room / sum(maxs) for m in maxs]
    spare = [mx - mn for mn, mx in zip(mins, maxs, strict=True)]
    left = room - sum(mins)
    return [mn + left * s / sum(spare) for mn, s in zip(mins, spare, strict=True)]


def _honour(given: list[float], mins: list[float], room: float) -> tuple[list[float], list[Widened]]:
    """The given widths, each raised to its minimum; the rise comes out of the columns
    with width to spare, in proportion to that spare width."""
    total = sum(given)
    widths = [g * room for g in given]
    if sum(mins) >= total * room:
        fitted = [m * total * room / sum(mins) for m in mins]
    else:
        need = sum(max(0.0, m - w) for m, w in zip(mins, widths, strict=True))
        spare = [max(0.0, w - m) for m, w in zip(mins, widths, strict=True)]
        fitted = [max(w, m) if w < m else w - need * s / sum(spare)
                  for w, m, s in zip(widths, mins, spare, strict=True)]
    widened = [Widened(i + 1, "", g, f / room) for i, (g, f) in enumerate(zip(given, fitted, strict=True))
               if f / room > g + 0.005]
    return fitted, widened


# -- measuring ----------------------------------------------------------------------


def _cells(table: dict[str, Any]) -> list[list[Any]]:
    """Every cell: header rows, body rows (head and main), footer rows."""
    _, _, _, head, bodies, foot = table["c"]
    rows = list(head[1])
    for body in bodies:
        rows += body[2] + body[3]
    rows += foot[1]
    return [cell for row in rows for cell in row[1]]


def _rows(table: dict[str, Any]) -> list[tuple[bool, list[Any]]]:
    _, _, _, head, bodies, foot = table["c"]
    out = [(True, row) for row in head[1]]
    for body in bodies:
        out += [(True, row) for row in body[2]] + [(False, row) for row in body[3]]
    out += [(False, row) for row in foot[1]]
    return out


def _measure(table: dict[str, Any], n: int) -> tuple[list[float], list[float], list[str]]:
    """Per column: the widest unbreakable word and the widest paragraph on one line,
    in points, cell inset included."""
    mins = [0.0] * n
    maxs = [0.0] * n
    words = [""] * n
    for header, row in _rows(table):
        column = 0
        for cell in row[1]:
            span = max(1, cell[3])
            if span == 1 and column < n:
                bold = header or _all_strong(cell[4])
                for text in _paragraphs(cell[4]):
                    for token in _tokens(text):
                        width = text_width(token, bold)
                        if width > mins[column]:
                            mins[column], words[column] = width, token
                    maxs[column] = max(maxs[column], text_width(text, bold))
            column += span
    mins = [m * SAFETY + INSET for m in mins]
    maxs = [max(mx * SAFETY + INSET, mn) for mx, mn in zip(maxs, mins, strict=True)]
    return mins, maxs, words


def _paragraphs(blocks: list[Any]) -> list[str]:
    return [p for p in stringify(blocks).split("\n") if p.strip()]


def _all_strong(blocks: list[Any]) -> bool:
    inlines = [i for b in blocks if b.get("t") in ("Plain", "Para") for i in b["c"]]
    visible = [i for i in inlines if i.get("t") not in ("Space", "SoftBreak")]
    return bool(visible) and all(i.get("t") == "Strong" for i in visible)


def _tokens(text: str) -> list[str]:
    """The pieces of ``text`` no line break may split."""
    return [piece for word in text.split() for piece in _pieces(word)]


def _pieces(word: str) -> list[str]:
    """``word`` cut where a line may break inside it: around each wide character (CJK
    text breaks between any two), after a hyphen or slash ("e-commerce")."""
    return [p for part in _wide_split(word) for p in _BREAK_AFTER.split(part) if p]


WIDTHS = Path(__file__).parent / "font_widths.json"  # tools/make_font_widths.py writes it


@functools.cache
def _font_data() -> dict[str, Any]:
    return json.loads(WIDTHS.read_text(encoding="utf-8"))  # once for both weights


@functools.cache
def _widths(bold: bool) -> dict[int, float]:
    data = _font_data()
    scale = data["units_per_em"]
    return {int(code): value / scale for code, value in data["bold" if bold else "regular"].items()}


def _advance(char: str, bold: bool) -> float:
    """A character's advance in em; a full em for a wide character the font lacks (CJK),
    the width of a wide letter for anything else it lacks (Thai, say)."""
    known = _widths(bold).get(ord(char))
    if known is not None:
        return known
    return 1.0 if ord(char) >= 0x2E80 or _wide().match(char) else 0.75


def text_width(text: str, bold: bool = False, size: float = FONT_SIZE) -> float:
    """Width of ``text`` on one line, in points."""
    known = _widths(bold)
    try:  # most text is in the font: the advances looked up at C speed, in the same order
        return sum(map(known.__getitem__, map(ord, text))) * size
    except KeyError:
        return sum(_advance(c, bold) for c in text) * size


# -- words too long for any column ----------------------------------------------------


def _break_long_words(table: dict[str, Any], widths: list[float]) -> None:
    """Soft hyphens in words wider than their column, so they break, not overprint."""
    for header, row in _rows(table):
        column = 0
        for cell in row[1]:
            span = max(1, cell[3])
            room = sum(widths[column:column + span]) - INSET
            _soften(cell[4], room, header)
            column += span


def _soften(value: Any, room: float, bold: bool) -> None:
    if isinstance(value, list):
        for item in value:
            _soften(item, room, bold)
    elif isinstance(value, dict):
        if value.get("t") == "Str":
            value["c"] = _hyphenate(value["c"], room, bold)
        elif value.get("t") not in ("Code", "Math", "RawInline", "RawBlock", "Link", "Image"):
            _soften(value.get("c"), room, bold)


def _hyphenate(text: str, room: float, bold: bool) -> str:
    """Soft hyphens in the pieces of ``text`` no line break may split (CJK text breaks
    between any two characters already, "e-commerce" after its hyphen)."""
    if room <= 0 or text_width(text, bold) * SAFETY <= room:
        return text
    return "".join(_hyphenate_word(p, room, bold) for p in _pieces(text))


def _hyphenate_word(word: str, room: float, bold: bool) -> str:
    if text_width(word, bold) * SAFETY <= room:
        return word
    out, line = [], ""
    for char in word:
        if line and text_width(line + char + "-", bold) * SAFETY > room:
            out.append(line)
            line = ""
        line += char
    return SOFT_HYPHEN.join([*out, line])


# -- naming a table in a message ------------------------------------------------------


def _name(table: dict[str, Any]) -> str:
    caption = stringify(table["c"][1][1]).split("\n")[0]
    if len(caption) > 60:
        caption = caption[:60].rsplit(" ", 1)[0] + "…"
    ident = table["c"][0][0]
    return f"'{caption}'" if caption else (f"#{ident}" if ident else "(no caption)")


def _users(source: Path | None, root: Path | None) -> bool:
    """Whether the table's file is the user's to change: a plugin's template is not
    (its tables are widened all the same)."""
    if source is None:
        return False
    return root is None or source.resolve().is_relative_to(root.resolve())


def _located(table: dict[str, Any], source: Path | None, message: str) -> Finding:
    if source is None:
        return Finding(message, severity="warning", code="table-widths")
    return Finding(message, Location(source, _table_line(table, source)), "warning",
                   code="table-widths")


def _table_line(table: dict[str, Any], source: Path) -> int | None:
    """The first line of the table in its source: the block of lines above its
    ``{#tbl-id}`` caption, or the first line holding its first header's text."""
    ident = table["c"][0][0]
    line = find_line(source, "#" + ident) if ident else None
    if line is None:
        cells = _cells(table)
        first = stringify(cells[0][4]).split("\n")[0] if cells else ""
        return find_line(source, first) if first else None
    try:
        text = source.read_text(encoding="utf-8").splitlines()
    except OSError:
        return line
    i = line - 1
    if text[i].lstrip().startswith(":"):  # a caption below its table
        i -= 1
        while i >= 0 and not text[i].strip():
            i -= 1
        while i > 0 and text[i - 1].strip():
            i -= 1
    return i + 1
