"""Layout faults a reader sees on a printed page, measured from a PDF's glyph boxes.

- Overprint: glyphs of two different words whose boxes intersect (text printed over
  text, as when a word is wider than its table column).
- Stranded caption: a table's caption (set above the table) as the last text of a page
  while its table starts on the next one; a figure's caption (set below) as the first
  text of a page, away from its figure.
- Stranded heading: a numbered heading (bold) as the last line of a page.
- Outside the text area: glyphs beyond the page's margins (a header running past the
  table's right edge), except the page number in the footer.

A "word" is a run of glyphs in content-stream order on one baseline, with no space and
no jump backwards or across a gap: two cells' words never form one word, even when
one is printed over the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

PT_PER_CM = 72 / 2.54
HEADING = re.compile(r"^\d+(\.\d+)*\.?\s+\S")  # a numbered heading: "6.1 Approach"
LEADERS = re.compile(r"(\.\s?){4,}\s*\S+$")  # a contents line: title ..... page
H_TOLERANCE = 0.6  # pt of horizontal intersection allowed (kerning, italic overhang)
KERN = 0.3  # em a glyph may tuck under the one before it in one word (kerning: "Ta")
V_SHARE = 0.35  # share of the smaller glyph height that counts as the same line


@dataclass
class Glyph:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    word: int = -1
    bold: bool = False


@dataclass
class Fault:
    page: int  # 1-based
    kind: str  # "overlap", "stranded-caption", "outside"
    text: str

    def __str__(self) -> str:
        return f"p. {self.page}: {self.kind}: {self.text}"


@dataclass
class Report:
    pages: int = 0
    faults: list[Fault] = field(default_factory=list)

    def of(self, kind: str) -> list[Fault]:
        return [f for f in self.faults if f.kind == kind]


def glyphs(page) -> list[Glyph]:
    """The page's glyphs (spaces dropped) with word numbers assigned."""
    out: list[Glyph] = []
    word = 0
    prev = None
    for c in page.chars:
        if not c.get("upright", True):
            continue
        g = Glyph(c["text"], c["x0"], c["x1"], c["top"], c["bottom"], c["size"] or 1.0,
                  bold="bold" in c.get("fontname", "").lower())
        _ink_half(g)
        if not g.text.strip():
            prev = None
            continue
        if prev is None or _breaks(prev, g):
            word += 1
        g.word = word
        out.append(g)
        prev = g
    return out


# Full-width CJK punctuation: its ink fills half of its em box, and the PDF engine
# squeezes the empty half away ("、" then the next character half an em closer).
CJK_OPENING = set("（「『【〔〈《｛［“‘")
CJK_CLOSING = set("、。，．：；！？）」』】〕〉》｝］”’・")


def _ink_half(g: Glyph) -> None:
    """Shrink the box of full-width CJK punctuation to the half that holds its ink."""
    half = (g.x1 - g.x0) / 2
    if g.text in CJK_CLOSING:
        g.x1 -= half
    elif g.text in CJK_OPENING:
        g.x0 += half


def _breaks(a: Glyph, b: Glyph) -> bool:
    same_line = abs(a.bottom - b.bottom) < 0.2 * min(a.size, b.size)
    backwards = b.x0 < a.x1 - KERN * min(a.size, b.size)
    gap = b.x0 - a.x1 > 0.2 * min(a.size, b.size)
    return not same_line or backwards or gap


def overlaps(gs: list[Glyph]) -> list[tuple[Glyph, Glyph]]:
    """Pairs of glyphs of different words whose boxes intersect."""
    pairs = []
    active: list[Glyph] = []
    for g in sorted(gs, key=lambda g: g.x0):
        active = [a for a in active if a.x1 - H_TOLERANCE > g.x0]
        for a in active:
            if a.word == g.word or min(a.x1, g.x1) - max(a.x0, g.x0) <= H_TOLERANCE:
                continue
            v = min(a.bottom, g.bottom) - max(a.top, g.top)
            if v > V_SHARE * min(a.bottom - a.top, g.bottom - g.top):
                pairs.append((a, g))
        active.append(g)
    return pairs


def lines(gs: list[Glyph]) -> list[tuple[float, float, str, float, bool]]:
    """Text lines top to bottom: (top, bottom, text, size, all bold), glyphs on one
    baseline joined."""
    rows: list[list[Glyph]] = []
    for g in sorted(gs, key=lambda g: (round(g.bottom, 1), g.x0)):
        if rows and abs(rows[-1][0].bottom - g.bottom) < 0.25 * g.size:
            rows[-1].append(g)
        else:
            rows.append([g])
    out = []
    for row in rows:
        row.sort(key=lambda g: g.x0)
        text = ""
        for i, g in enumerate(row):
            if i and (g.x0 - row[i - 1].x1 > 0.15 * g.size or g.word != row[i - 1].word):
                text += " "
            text += g.text
        out.append((min(g.top for g in row), max(g.bottom for g in row), text,
                    max(g.size for g in row), all(g.bold for g in row)))
    return out


def check(path: Path, margins: tuple[float, float], table: str = "Table",
          figure: str = "Figure") -> Report:
    """Every fault in the PDF at ``path``. ``margins`` are (x, y) in points; ``table`` and
    ``figure`` are the caption labels in the document's language. Table captions are
    taken to stand above their table and figure captions below their figure."""
    import pdfplumber

    caption_table = re.compile(rf"^{re.escape(table)} \d+\s*:")
    caption_figure = re.compile(rf"^{re.escape(figure)} \d+\s*:")
    report = Report()
    with pdfplumber.open(str(path)) as pdf:
        report.pages = len(pdf.pages)
        for number, page in enumerate(pdf.pages, 1):
            gs = glyphs(page)
            for a, b in overlaps(gs):
                words = _word_text(gs, a.word), _word_text(gs, b.word)
                report.faults.append(Fault(number, "overlap", f"{words[0]!r} x {words[1]!r}"))
            body = []
            for line in lines(gs):
                if not (line[0] >= page.height - margins[1] and _is_page_number(line[2])):
                    body.append(line)
            for g in gs:
                if _outside(g, page, margins) and not _in_footer(g, body, page.height - margins[1]):
                    report.faults.append(Fault(number, "outside", f"{_word_text(gs, g.word)!r} "
                                               f"at x {g.x0:.0f}-{g.x1:.0f}, y {g.top:.0f}"))
            # A caption set above its table as the page's last line, or one set below its
            # figure as the first line: what it captions is on another page.
            text = [line for line in body if not LEADERS.search(line[2])]
            if text and text[-1] == body[-1]:
                last = _caption_at_end(page, text)
                if caption_table.match(last[2]):
                    report.faults.append(Fault(number, "stranded-caption", last[2]))
            if text and text[-1] == body[-1] and text[-1][4] and HEADING.match(text[-1][2]):
                report.faults.append(Fault(number, "stranded-heading", text[-1][2]))
            if text and caption_figure.match(text[0][2]) and body[0] == text[0]:
                top, bottom = text[0][:2]
                if not _graphics_near(page, top, bottom, 3 * (bottom - top)):
                    report.faults.append(Fault(number, "stranded-caption", text[0][2]))
    report.faults = _dedupe(report.faults)
    return report


def _outside(g: Glyph, page, margins: tuple[float, float]) -> bool:
    """Beyond the margins. Glyph boxes reach past the line box (ascenders above the top
    edge, descenders below the baseline), and punctuation and hyphens may hang into the
    margin by design (Typst's overhang): letters and digits may not."""
    slack = 0.35 * g.size
    hang = 1.0 if g.text.isalnum() else g.x1 - g.x0 + 1.0
    return (g.x0 < margins[0] - hang or g.x1 > page.width - margins[0] + hang
            or g.top < margins[1] - slack or g.bottom > page.height - margins[1] + slack)


def _caption_at_end(page, body: list[tuple[float, float, str, float]]) -> tuple:
    """The first line of the paragraph of same-size lines that ends the page, up to three
    lines (a caption may wrap), with no drawing (table rule) between them."""
    first = len(body) - 1
    while first > 0 and len(body) - first < 3 and abs(body[first - 1][3] - body[-1][3]) < 0.1 \
            and body[first][0] - body[first - 1][1] < body[-1][3] \
            and not _graphics_between(page, body[first - 1][1], body[first][0]):
        first -= 1
        if re.match(r"^\S+ \d+\s*:", body[first][2]):
            break
    return body[first]


def _graphics_between(page, top: float, bottom: float) -> bool:
    return any(top - 1 <= (o["top"] + o["bottom"]) / 2 <= bottom + 1
               for kind in ("curve", "rect", "line") for o in page.objects.get(kind, []))


def _graphics_near(page, top: float, bottom: float, reach: float) -> bool:
    """A drawing or image (table rules, a chart) within ``reach`` above."""
    return any(o["top"] < bottom and o["bottom"] > top - reach
               for kind in ("curve", "rect", "line", "image") for o in page.objects.get(kind, []))


def _in_footer(g: Glyph, body: list[tuple], limit: float) -> bool:
    """A glyph of the page number (not in any body line) below the text area."""
    return g.top >= limit and not any(line[0] <= g.top < line[1] for line in body)


def _is_page_number(text: str) -> bool:
    return bool(re.fullmatch(r"[0-9ivxlcdm]+", text.strip(), re.IGNORECASE))


def _word_text(gs: list[Glyph], word: int) -> str:
    return "".join(g.text for g in gs if g.word == word)


def _dedupe(faults: list[Fault]) -> list[Fault]:
    seen, out = set(), []
    for f in faults:
        key = (f.page, f.kind, f.text) if f.kind != "overlap" else None
        if key is None or key not in seen:
            out.append(f)
            if key:
                seen.add(key)
    return out
