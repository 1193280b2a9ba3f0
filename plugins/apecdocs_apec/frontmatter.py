"""Front matter of APEC documents, built as AST so DOCX, PDF and HTML say the same.

- Publication: cover page, then the imprint page in the order the Secretariat uses
  (title; forum and date; APEC Project; Produced by; For + Secretariat; © year APEC
  Secretariat; APEC# number; ISBN; licence; disclaimer).
- Documents circulated to a forum: the meeting-document cover block and, for
  circulars, the title block (ASIA-PACIFIC ECONOMIC COOPERATION / ADMINISTRATIVE
  CIRCULAR No. n / ...).
Each block is a ``Div`` with class ``front`` (the core puts contents after these)
and a role class; ``style.py`` gives each format its page layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from apecdocs import labels
from apecdocs.pandoc_ast import div, para, text_inlines

from .validate import TO_BE_PROVIDED

SECRETARIAT = [
    "Asia-Pacific Economic Cooperation Secretariat",
    "35 Heng Mui Keng Terrace",
    "Singapore 119616",
    "Tel: (65) 68919 600",
    "Fax: (65) 68919 690",
    "Email: info@apec.org",
    "Website: www.apec.org",
]


@dataclass(frozen=True)
class Words:
    """The fixed phrases of the front matter in the document's language (labels)."""

    lang: str = "en"
    project: Any = None

    def __call__(self, msgid: str, **fields: Any) -> str:
        return labels.text(msgid, self.lang, self.project, **fields)

    def labelled(self, name: str, value: Any) -> str:
        """ "Purpose: Information" as the language writes a label and its value."""
        return self("{label}: {value}", label=self(name), value=value)


def secretariat_lines(words: Words) -> list[str]:
    """The Secretariat's block, its name and field names in the document's language."""
    lines = [words(SECRETARIAT[0]), *SECRETARIAT[1:3]]
    for line in SECRETARIAT[3:]:
        name, _, value = line.partition(": ")
        lines.append(words.labelled(name, value))
    return lines


def lines(texts: list[str], role: str) -> list[dict[str, Any]]:
    """One paragraph per line, each tagged with its role (for styles and tests)."""
    return [div([para(typographic(t))], classes=[role]) for t in texts if t]


_QUOTES = (
    (re.compile(r"(?<=\w)'(?=\w)"), "\u2019"),            # it's, People's
    (re.compile(r"(^|(?<=[\s(\[\u2014\u2013]))'"), "\u2018"),  # opening
    (re.compile(r"'"), "\u2019"),                         # closing, MSMEs'
    (re.compile(r'(^|(?<=[\s(\[\u2014\u2013]))"'), "\u201c"),
    (re.compile(r'"'), "\u201d"),
)


def typographic(text: str) -> str:
    """Straight quotes and apostrophes made curly, as pandoc makes them in the body:
    the cover and imprint come from YAML and would otherwise keep straight ones."""
    for pattern, replacement in _QUOTES:
        text = pattern.sub(replacement, text)
    return text


def contacts(people: list[dict[str, Any]], words: Words) -> list[dict[str, Any]]:
    """A 'Contacts' section: one item per person, "Role: Name, Title, Organisation,
    Address; Email: ...; Tel: ..." (``meta.contacts`` of a circular)."""
    items = []
    for person in people:
        who = ", ".join(str(person[k]) for k in ("name", "title", "organisation", "address")
                        if person.get(k))
        parts = [words("{label}: {value}", label=person["role"], value=who)
                 if person.get("role") else who]
        parts += [words.labelled(word, person[key]) for key, word in
                  (("email", "Email"), ("phone", "Tel")) if person.get(key)]
        items.append([para(typographic("; ".join(parts)))])
    heading = {"t": "Header", "c": [2, ["contacts", ["unnumbered"], []],
                                    text_inlines(words("Contacts"))]}
    return [heading, {"t": "BulletList", "c": items}]


def cover(meta: dict[str, Any], project: dict[str, Any], logo: str | None) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = []
    if logo:
        image = {"t": "Image", "c": [["", [], [["width", "4cm"]]], [], [logo, ""]]}
        blocks.append(div([{"t": "Para", "c": [image]}], classes=["cover-logo"]))
    blocks += lines([meta["title"]], "cover-title")
    blocks += lines([meta.get("subtitle", "")], "cover-subtitle")
    blocks += lines([meta["forum_line"], meta["date_line"]], "cover-line")
    return div(blocks, identifier="cover", classes=["front", "cover"])


def imprint(meta: dict[str, Any], project: dict[str, Any], secretariat: list[str],
            year: int, words: Words | None = None) -> dict[str, Any]:
    """The imprint page, in the Secretariat's order."""
    words = words or Words()
    blocks: list[dict[str, Any]] = []
    title = meta["title"] + (f": {meta['subtitle']}" if meta.get("subtitle") else "")
    blocks += lines([title], "imprint-title")
    blocks += lines([meta["forum_line"], meta["date_line"]], "imprint-forum")
    blocks += lines([words.labelled("APEC Project", project["number"])], "imprint-project")
    produced = meta.get("produced_by") or {}
    if produced:
        body = [produced.get("name", ""), *produced.get("address", []),
                *produced.get("contact", [])]
        blocks += lines([words("Produced by")], "imprint-label")
        blocks += lines(body, "imprint-producer")
    blocks += lines([words("For")], "imprint-label")
    blocks += lines(secretariat, "imprint-secretariat")
    blocks += lines([words("© {year} APEC Secretariat", year=year)], "imprint-copyright")
    number = meta.get("publication_number") or ""
    if not number or TO_BE_PROVIDED.match(number.strip()):
        number = f"APEC#[{words('To be provided')}]"
    blocks += lines([number], "imprint-number")
    if meta.get("isbn"):
        blocks += lines([f"ISBN: {meta['isbn']}"], "imprint-isbn")
    if meta.get("licence"):
        blocks += lines([meta["licence"]], "imprint-licence")
    if meta.get("disclaimer"):
        blocks += lines([meta["disclaimer"]], "imprint-disclaimer")
    return div(blocks, identifier="imprint", classes=["front", "imprint"])


def meeting_block(block: dict[str, Any], title: str, words: Words | None = None) -> dict[str, Any]:
    """``2019/SOM3/ECSG/012`` / Agenda Item / title / Purpose / Submitted by / meeting."""
    words = words or Words()
    texts = [block.get("number", "")]
    if block.get("agenda_item"):
        texts.append(words.labelled("Agenda Item", block["agenda_item"]))
    out = lines(texts, "meeting-number")
    out += lines([title], "meeting-title")
    purpose = words(block["purpose"]) if block.get("purpose") else ""
    out += lines([words.labelled("Purpose", purpose) if purpose else "",
                  words.labelled("Submitted by", block["submitted_by"])
                  if block.get("submitted_by") else ""],
                 "meeting-purpose")
    out += lines([block.get("meeting", ""), block.get("place", ""), block.get("date", "")],
                 "meeting-line")
    return div(out, identifier="meeting-document", classes=["front", "meeting-document"])


def circular_banner(meta: dict[str, Any], words: Words | None = None) -> dict[str, Any]:
    words = words or Words()
    texts = [words("ASIA-PACIFIC ECONOMIC COOPERATION")]
    if meta.get("circular_number") is not None:
        texts.append(words("ADMINISTRATIVE CIRCULAR No. {number}", number=meta["circular_number"]))
    texts.append(meta["heading"].upper())
    out = lines(texts, "circular-banner")
    out += lines([meta.get("place", ""), meta.get("dates", "")], "circular-line")
    if meta.get("release_date_text"):
        out += lines([words.labelled("Release date", meta["release_date_text"])],
                     "circular-release")
    return div(out, identifier="circular-title", classes=["front", "circular-title"])


def acronyms(entries: dict[str, str], heading: str) -> list[dict[str, Any]]:
    """An unnumbered 'Acronyms' chapter: a two-column table, sorted."""
    rows = []
    for short, long in sorted(entries.items(), key=lambda kv: kv[0].lower()):
        cells = [[{"t": "Plain", "c": text_inlines(short)}], [{"t": "Plain", "c": text_inlines(long)}]]
        rows.append([["", [], []], [_cell(c) for c in cells]])
    table = {"t": "Table", "c": [
        ["", [], []], [None, []],
        [[{"t": "AlignLeft"}, {"t": "ColWidth", "c": 0.2}],
         [{"t": "AlignLeft"}, {"t": "ColWidth", "c": 0.8}]],
        [["", [], []], []],
        [[["", [], []], 0, [], rows]],
        [["", [], []], []],
    ]}
    header = {"t": "Header", "c": [1, ["acronyms", ["unnumbered"], []], text_inlines(heading)]}
    return [header, table]


def _cell(blocks: list[dict[str, Any]]) -> list[Any]:
    return [["", [], []], {"t": "AlignDefault"}, 1, 1, blocks]
