"""Sorting as CSL says and pandoc's citeproc does (installed by ``patches``).

citeproc-py compares sort keys as the rendered text, so markup, quotes and the "&"
before a last name decided the order ("Bergstra, J., & Bengio" before "Bergstra, J.,
Bardenet"), accented letters sorted after "z" (Pärnamaa, Sønderby, Zöllner) and
``demote-non-dropping-particle="sort-only"`` was not applied when sorting ("de Bruijn"
under D). CSL 1.0.2, "Sorting": name lists are compared name by name (*each name is
compared ...; a list that is a prefix of another sorts first*, so "Kraus et al." comes
before "Kraus and Frey"), and text *should* be compared with the locale's collation.

Here, while a sort key is rendered, names are joined by a separator that sorts below
any letter, without "and" or "et al.", family and given name apart; the key is then
compared by a collation key: letters and digits without accents or case first, a
space below any letter ("De Sa" before "Dean"), other punctuation ignored, the text
itself only to break ties. citeproc-py also lost a key's name options in a macro
called by a macro (APA's author-sort calls author): they are kept for the whole key.
"""

from __future__ import annotations

import html
import re
import threading
import unicodedata
from contextlib import contextmanager
from typing import Any

from citeproc import model

NAME_SEPARATOR, PART_SEPARATOR = "\x01", "\x02"
_state = threading.local()
_IGNORED = re.compile("<[^>]+>|['\u2018\u2019\"\u201c\u201d\u00ab\u00bb]")


def collation_key(text: str) -> str:
    """A string whose plain order is the collation order of ``text``."""
    primary = []
    for char in unicodedata.normalize("NFKD", text):
        if char.isalnum():
            if not unicodedata.combining(char):
                primary.append(char.casefold())
        elif char in (NAME_SEPARATOR, PART_SEPARATOR):
            primary.append(char)
        elif char.isspace() and primary and primary[-1] != " ":
            primary.append(" ")  # "De Sa" before "Dean"
    base = "".join(primary).replace("ø", "o").replace("æ", "ae").replace("ß", "ss")
    return base + "\x00" + text.casefold()


def _key(value: Any) -> Any:
    if not isinstance(value, (str, list)):  # MixedString is a list
        return value
    text = html.unescape(_IGNORED.sub("", str(value)))
    if text.strip().isdigit():
        return text  # numbers compare as numbers
    return collation_key(text)


@contextmanager
def remembering_keys() -> Any:
    """Within the block, a cite's sort key is computed once per key element, item and
    locator (the cites of every citation are sorted before any is rendered: nothing a
    key may depend on changes meanwhile, and the same item is sorted in many citations)."""
    before = getattr(_state, "keys", None)
    _state.keys = {}
    try:
        yield
    finally:
        _state.keys = before


def _cite_id(item: Any) -> tuple:
    locator = (str(item.locator.label), str(item.locator.identifier)) if item.has_locator \
        else None
    return dict.__getitem__(item, "key"), locator


def _wrap_sort_keys(original: Any) -> Any:
    def sort_keys(self: Any, items: Any, context: Any) -> list:
        memo = getattr(_state, "keys", None)
        if memo is None:
            return computed(self, items, context)
        ids = [(self, context, *_cite_id(item)) for item in items]
        missing = {i: item for i, item in zip(ids, items, strict=True) if i not in memo}
        if missing:
            memo.update(zip(missing, computed(self, list(missing.values()), context),
                            strict=True))
        return [memo[i] for i in ids]

    def computed(self: Any, items: Any, context: Any) -> list:
        options = {"name-as-sort-order": "all"}
        for option in ("names-min", "names-use-first", "names-use-last"):
            if self.get(option) is not None:
                options[option.replace("names", "et-al")] = self.get(option)
        before = getattr(_state, "options", None)
        _state.options = options  # citeproc-py loses them in a macro called by a macro
        try:
            return [_key(k) for k in original(self, items, context)]
        finally:
            _state.options = before

    return sort_keys


def _comparable(value: Any) -> str:
    """A key as citeproc-py's comparison sees it: lowercased text."""
    return str(value.lower()) if hasattr(value, "lower") else str(value)


def _ranked(values: list[str], descending: bool) -> list[str]:
    """As citeproc-py compares keys: as numbers when both are numbers, else as text."""
    if all(v.lstrip("-").isdigit() for v in values):
        return sorted(values, key=int, reverse=descending)
    return sorted(values, reverse=descending)


def _sort(self: Any, items: Any, context: Any) -> list:
    """citeproc-py's order, computing a key only for the items the keys before it left
    tied: Chicago's second and third keys render most of an entry (a third of its
    bibliography's time), and most authors differ."""
    keys = self.findall("cs:key", self.nsmap)

    def order(group: list, level: int) -> list:
        if len(group) <= 1 or level == len(keys):
            return group
        key = keys[level]
        descending = key.get("sort", "ascending").lower() == "descending"
        buckets: dict[str | None, list] = {}
        for item, value in zip(group, key.sort_keys(group, context), strict=True):
            buckets.setdefault(None if value is None else _comparable(value), []).append(item)
        present = _ranked([v for v in buckets if v is not None], descending)
        ranked = present + ([None] if None in buckets else [])  # empty keys last
        return [item for value in ranked for item in order(buckets[value], level + 1)]

    return order(list(items), 0)


def _wrap_name_process(original: Any) -> Any:
    def process(self: Any, item: Any, variable: str, context: Any = None,
                sort_options: Any = None, **kwargs: Any) -> Any:
        if sort_options is None:
            sort_options = getattr(_state, "options", None)
        if sort_options is None:
            return original(self, item, variable, context, sort_options, **kwargs)
        before = getattr(_state, "sorting", False)
        _state.sorting = True
        try:
            return original(self, item, variable, context, sort_options, **kwargs)
        finally:
            _state.sorting = before

    return process


def _wrap_get_option(original: Any) -> Any:
    def get_option(self: Any, name: str, context: Any = None, sort_options: Any = None) -> Any:
        value = original(self, name, context, sort_options)
        if sort_options is None:
            return value
        if name == "and":
            return None
        if name == "delimiter":
            return NAME_SEPARATOR
        if name == "sort-separator":
            return PART_SEPARATOR
        if name == "demote-non-dropping-particle" and value == "sort-only":
            return "display-and-sort"
        return value

    return get_option


def _wrap_et_al(original: Any) -> Any:
    def et_al(self: Any) -> Any:
        return None if getattr(_state, "sorting", False) else original(self)

    return et_al


def install() -> None:
    model.Sort.sort = _sort
    model.Key.sort_keys = _wrap_sort_keys(model.Key.sort_keys)
    model.Name.process = _wrap_name_process(model.Name.process)
    model.Name.get_option = _wrap_get_option(model.Name.get_option)
    model.Name.et_al = _wrap_et_al(model.Name.et_al)
