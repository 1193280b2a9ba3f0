"""A cite's position (first, subsequent, ibid, ibid-with-locator, near-note), as CSL
1.0.2 defines it (installed by ``patches``).

citeproc-py compared locators by object identity (so a repeated "p. 12" was never
"ibid") and measured ``near-note-distance`` in citations rather than notes. The rules
(CSL 1.0.2, "Position"): a cite is *ibid* when it refers to the same item as the cite
just before it, in the same citation, or, as the first cite of a citation, when every
cite of the preceding citation refers to that item; without a locator it needs the
preceding cite to have none, with one it is *ibid-with-locator* when the preceding cite
had none or another. *Whenever position="ibid-with-locator" tests true, position="ibid"
also tests true. And whenever position="ibid" or position="near-note" test true,
position="subsequent" also tests true.* *near-note*: the item was cited in one of the
``near-note-distance`` (default 5) notes before this one; notes are numbered by the
caller (``note_number`` on each citation), one per citation when they are not.
"""

from __future__ import annotations

from typing import Any

from citeproc import model


def _locator(item: Any) -> tuple[str, str] | None:
    if not item.has_locator:
        return None
    return (str(item.locator.label), str(item.locator.identifier))


def _note(citation: Any, fallback: int) -> int:
    number = getattr(citation, "note_number", None)
    return fallback if number is None else number


def position(item: Any, cites: list[Any], distance: int) -> set[str]:
    """The positions ``item`` has after ``cites`` (the cites rendered before it)."""
    earlier = [c for c in cites if dict.__getitem__(c, "key") == dict.__getitem__(item, "key")]
    if not earlier:
        return {"first"}
    found = {"subsequent"}
    last = cites[-1]
    citation = dict.__getitem__(item, "citation")
    last_citation = dict.__getitem__(last, "citation")
    if earlier[-1] is last and (last_citation is citation or all(
            dict.__getitem__(c, "key") == dict.__getitem__(item, "key")
            for c in last_citation.cites)):
        mine, theirs = _locator(item), _locator(last)
        if mine is None and theirs is None:
            found.add("ibid")
        elif mine is not None:
            found.add("ibid")
            if mine != theirs:
                found.add("ibid-with-locator")
    numbers: dict[int, int] = {}
    for c in cites:  # citations without note numbers count one note each
        numbers.setdefault(id(dict.__getitem__(c, "citation")), len(numbers) + 1)
    here = _note(citation, numbers.get(id(citation), len(numbers) + 1))
    before = _note(dict.__getitem__(earlier[-1], "citation"),
                   numbers[id(dict.__getitem__(earlier[-1], "citation"))])
    if here - before <= distance:
        found.add("near-note")
    return found


def _position(self: Any, item: Any, context: Any) -> list[bool]:
    if context is None:
        context = self
    if context.xpath_search("./ancestor::*[self::cs:bibliography]"):
        return [False]
    citation = context.get_layout().getparent()
    cites = citation.cites
    try:
        distance = int(citation.get("near-note-distance", "5"))
    except ValueError:
        distance = 5
    found = position(item, cites, distance)
    return [name in found for name in self.get("position").split()]


def install() -> None:
    model.If._position = _position
