"""Page ranges per CSL 1.0.2's ``page-range-format`` (installed by ``patches``).

citeproc-py applied Chicago 15th edition's extra rule ("four digits, three change: all
digits") under ``chicago-16`` too, so 1096–1108 stayed whole where CSL 1.0.2 gives
1096–108; a range whose first and last page are the same lost its last page ("404–");
and prefixed pages kept the prefix ("e6–e6", "D1100–D1107"). As pandoc's citeproc and
citeproc-js do, the last page keeps at least one digit ("404–4", "e107–7") and drops
a prefix it shares with the first ("D1100–1107") unless the format is "expanded"; a
short last page is read as the end of the first ("677-86" is 677–686) before the
format applies.

CSL 1.0.2, Appendix V, "chicago-16": *First number less than 100: use all digits;
100 or multiple of 100: use all digits; 101 through 109 (in multiples of 100): use
changed part only; 110 through 199 (in multiples of 100): use two digits, or more as
needed.* "chicago-15" (and "chicago") adds: *if numbers are four digits long and three
digits change, use all digits.*
"""

from __future__ import annotations

import re
from typing import Any

_PAGE = re.compile(r"^(\D*)(\d+)$")


def last_page(range_format: str | None, first: str, last: str) -> str:
    """The last page of ``first``-``last`` as ``range_format`` writes it."""
    if not range_format:
        return last
    a, b = _PAGE.match(first), _PAGE.match(last)
    if not a or not b or (b.group(1) and b.group(1) != a.group(1)):
        return last  # roman numerals, different prefixes: left as written
    digits, end = a.group(2), b.group(2)
    if len(end) < len(digits):  # "677-86" is 677-686
        end = digits[:len(digits) - len(end)] + end
    if len(end) != len(digits) or int(end) < int(digits):
        return end
    prefix = b.group(1) if range_format == "expanded" else ""
    common = 0
    while common < len(end) - 1 and digits[common] == end[common]:
        common += 1  # keeps at least one digit
    if range_format in ("chicago", "chicago-15", "chicago-16"):
        number = int(digits)
        changed = sum(x != y for x, y in zip(digits, end, strict=True))
        fifteenth = range_format != "chicago-16" and len(digits) == 4 and changed >= 3
        if number < 100 or number % 100 == 0 or fifteenth:
            range_format = "expanded"
        elif number % 100 < 10:
            range_format = "minimal"
        else:
            range_format = "minimal-two"
    if range_format == "minimal":
        return end[common:]
    if range_format == "minimal-two":
        return end[min(common, max(len(end) - 2, 0)):]
    return prefix + end  # "expanded" writes the last page whole: "e6–e6"


def _format_last_page(self: Any, first: str, last: str) -> str:
    return last_page(self.get_root().get_option("page-range-format"), first, last)


def install() -> None:
    from citeproc import model

    model.FormatNumber._format_last_page = _format_last_page
