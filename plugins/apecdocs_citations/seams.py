"""Joining citeproc-py's strings, same output: installed by ``speedups``.

citeproc-py normalizes the seam of every concatenation (no double space, no doubled
period) by joining the whole text so far into one string to read its last character,
so long entries cost the square of their length; and its ``join`` walks a generator
and looks up the delimiter even for the one string most groups print. Here only the
two characters at the seam are read, without copying either side, and one string
joined is itself.
"""

from __future__ import annotations

from typing import Any

from citeproc import model
from citeproc import string as citeproc_string


def _last_char(value: Any) -> str:
    """The last character of ``str(value)``, without joining a whole MixedString (nor
    copying a string whose ``str`` is itself)."""
    kind = type(value)
    if kind in _SLICEABLE:
        return value[-1:]
    if kind is citeproc_string.MixedString:
        for segment in reversed(value):
            last = segment[-1:] if type(segment) in _SLICEABLE else _last_char(segment)
            if last:
                return last
        return ""
    return str(value)[-1:]


def _first_char(value: Any) -> str:
    kind = type(value)
    if kind in _SLICEABLE:
        return value[:1]
    if kind is citeproc_string.MixedString:
        for segment in value:
            first = segment[:1] if type(segment) in _SLICEABLE else _first_char(segment)
            if first:
                return first
        return ""
    return str(value)[:1]


# strings whose slices are those of their ``str`` (MixedString's are not)
_SLICEABLE = frozenset({str, citeproc_string.String, citeproc_string.NoCase})


def _normalize_seam(left: Any, other: Any) -> Any:
    """citeproc-py's ``normalize_seam``, reading only the two characters at the seam: it
    joined the whole text so far on every concatenation, so long entries cost the square
    of their length."""
    last, first = _last_char(left), _first_char(other)
    if not last or not first:
        return other
    if (last == " " and first == " ") or (last == first and first in citeproc_string.SEAM_PUNCTUATION):
        return citeproc_string._strip_first_char(other)
    return other


def _delimited_join(original: Any) -> Any:
    """One string joined is itself (most groups print one thing): citeproc-py's ``join``
    took a generator, a delimiter lookup and a loop to find that out."""

    def join(self: Any, strings: Any, default_delimiter: str = "") -> Any:
        items = [s for s in strings if s is not None]
        if len(items) == 1:
            return items[0]
        return original(self, items, default_delimiter)

    return join


def install() -> None:
    """Called by ``speedups.install``, once."""
    citeproc_string.normalize_seam = model.normalize_seam = _normalize_seam
    model.Delimited.join = _delimited_join(model.Delimited.join)
