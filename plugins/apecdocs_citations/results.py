"""What rendering takes and gives: a cite, a bibliography entry, a document's result.

Apart from ``engine`` so that a build whose citations come from the render cache never
imports the engine and citeproc-py (and lxml) behind it: a fifth of the citation step
of a warm build went to those imports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Inline = dict[str, Any]
NORMAL, IN_TEXT, SUPPRESS = "NormalCitation", "AuthorInText", "SuppressAuthor"


@dataclass
class Cite:
    """One key of a pandoc Cite, with the author's prefix and suffix (inlines)."""

    key: str
    mode: str = NORMAL
    prefix: list[Inline] = field(default_factory=list)
    suffix: list[Inline] = field(default_factory=list)
    locator: tuple[str, str] | None = None
    note: int | None = None  # with a note style: the footnote the citation is in, or makes
    in_note: bool = False  # written inside a footnote by the author


@dataclass
class Entry:
    """One bibliography entry, rendered."""

    key: str
    left: list[Inline] | None  # the number column of styles with second-field-align
    body: list[Inline]


@dataclass
class Result:
    """What a document's citations render to: the inlines of each Cite, in document
    order, and the bibliography entries in the style's order."""

    citations: list[list[Inline]]
    entries: list[Entry]


class EntryError(Exception):
    """A bibliography entry citeproc-py cannot read; names the key."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key
