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

import threading
from typing import Any

from citeproc import model


def _locator(item: Any) -> tuple[str, str] | None:
    if not item.has_locator:
        return None
    return (str(item.locator.label), str(item.locator.identifier))


def _note(citation: Any, fallback: int) -> int:
    number = getattr(citation, "note_number", None)
    return fallback if number is None else number


class _History:
    """The cites rendered so far, indexed as they are appended (the list only grows while
    citations are rendered): the earlier cites of each key, and each citation's count
    in order, so a position is found without scanning every cite before it."""

    def __init__(self, cites: list[Any]) -> None:
        self.cites = cites
        self.seen = 0
        self.by_key: dict[str, list[Any]] = {}
        self.numbers: dict[int, int] = {}  # id(citation) -> its count, one per citation

    def update(self) -> bool:
        """Index the cites appended since; False when the list changed otherwise."""
        cites = self.cites
        if len(cites) < self.seen or (self.seen and cites[self.seen - 1] is not self.last):
            return False
        for c in cites[self.seen:]:
            self.by_key.setdefault(dict.__getitem__(c, "key"), []).append(c)
            self.numbers.setdefault(id(dict.__getitem__(c, "citation")), len(self.numbers) + 1)
        self.seen = len(cites)
        if cites:
            self.last = cites[-1]
        return True


_local = threading.local()  # documents render in parallel threads


def _history(cites: list[Any]) -> _History:
    histories = getattr(_local, "histories", None)
    if histories is None:
        histories = _local.histories = {}
    history = histories.get(id(cites))  # it keeps its list alive: the id is not reused
    if history is None or history.cites is not cites or not history.update():
        if len(histories) > 8:
            histories.clear()
        history = histories[id(cites)] = _History(cites)
        history.update()
    return history


def forget() -> None:
    """Drop this thread's indexes (a document's rendering is done)."""
    _local.histories = {}


def position(item: Any, cites: list[Any], distance: int) -> set[str]:
    """The positions ``item`` has after ``cites`` (the cites rendered before it)."""
    key = dict.__getitem__(item, "key")
    history = _history(cites)
    earlier = history.by_key.get(key)
    if not earlier:
        return {"first"}
    found = {"subsequent"}
    last = cites[-1]
    citation = dict.__getitem__(item, "citation")
    last_citation = dict.__getitem__(last, "citation")
    if earlier[-1] is last and (last_citation is citation or all(
            dict.__getitem__(c, "key") == key for c in last_citation.cites)):
        mine, theirs = _locator(item), _locator(last)
        if mine is None and theirs is None:
            found.add("ibid")
        elif mine is not None:
            found.add("ibid")
            if mine != theirs:
                found.add("ibid-with-locator")
    numbers = history.numbers  # citations without note numbers count one note each
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
