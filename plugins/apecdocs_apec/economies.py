"""The 21 APEC member economies: official names, short forms, APEC order.

APEC members are "economies". Lists are joined with semicolons, because
"Hong Kong, China" holds a comma. ``WRONG_FORMS`` are names a checker flags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Economy:
    code: str       # ISO 3166 alpha-3, for data files
    official: str   # as in APEC publications
    short: str      # as in meeting documents and tables

    def __str__(self) -> str:
        return self.short


ECONOMIES: tuple[Economy, ...] = (
    Economy("AUS", "Australia", "Australia"),
    Economy("BRN", "Brunei Darussalam", "Brunei Darussalam"),
    Economy("CAN", "Canada", "Canada"),
    Economy("CHL", "Chile", "Chile"),
    Economy("CHN", "People's Republic of China", "China"),
    Economy("HKG", "Hong Kong, China", "Hong Kong, China"),
    Economy("IDN", "Indonesia", "Indonesia"),
    Economy("JPN", "Japan", "Japan"),
    Economy("KOR", "Republic of Korea", "Korea"),
    Economy("MYS", "Malaysia", "Malaysia"),
    Economy("MEX", "Mexico", "Mexico"),
    Economy("NZL", "New Zealand", "New Zealand"),
    Economy("PNG", "Papua New Guinea", "Papua New Guinea"),
    Economy("PER", "Peru", "Peru"),
    Economy("PHL", "Republic of the Philippines", "the Philippines"),
    Economy("RUS", "Russia", "Russia"),
    Economy("SGP", "Singapore", "Singapore"),
    Economy("TPE", "Chinese Taipei", "Chinese Taipei"),
    Economy("THA", "Thailand", "Thailand"),
    Economy("USA", "United States", "United States"),
    Economy("VNM", "Viet Nam", "Viet Nam"),
)

ORDER = {e.short: i for i, e in enumerate(ECONOMIES)}

# Every accepted spelling, lower-cased, to its economy.
_ACCEPTED: dict[str, Economy] = {}
for _e in ECONOMIES:
    for _name in {_e.code, _e.official, _e.short, _e.short.removeprefix("the ")}:
        _ACCEPTED[_name.lower()] = _e
_ACCEPTED["philippines"] = ECONOMIES[14]

# Non-official forms people write, with the official replacement. The patterns skip
# the official forms that contain them ("Hong Kong, China", "Brunei Darussalam").
WRONG_FORMS: tuple[tuple[str, str, str], ...] = (
    (r"\bVietnam\b", "Viet Nam", "Vietnam"),
    (r"\bTaiwan\b", "Chinese Taipei", "Taiwan"),
    (r"\bHong Kong\b(?!,\s*China)(?! SAR)", "Hong Kong, China", "Hong Kong"),
    (r"\bHong Kong SAR\b", "Hong Kong, China", "Hong Kong SAR"),
    (r"\bSouth Korea\b", "Korea", "South Korea"),
    (r"\bBrunei\b(?!\s+Darussalam)", "Brunei Darussalam", "Brunei"),
    (r"\bU\.S\.A\.?(?!\w)|\bUSA\b|\bU\.S\.(?!\w)", "United States", "USA/U.S."),
    (r"\bUnited States of America\b", "United States", "United States of America"),
    (r"\bRussian Federation\b", "Russia", "Russian Federation"),
    (r"\bPRC\b", "China", "PRC"),
)

# Non-official names accepted in data files, mapped for suggestions.
ALIASES: dict[str, str] = {
    "vietnam": "Viet Nam", "taiwan": "Chinese Taipei", "hong kong": "Hong Kong, China",
    "south korea": "Korea", "brunei": "Brunei Darussalam", "usa": "United States",
    "us": "United States", "u.s.": "United States", "united states of america": "United States",
    "russian federation": "Russia", "prc": "China", "hong kong sar": "Hong Kong, China",
}


def lookup(name: str) -> Economy | None:
    """The economy named exactly (official, short or code form), else None."""
    return _ACCEPTED.get(name.strip().lower())


def suggest(name: str) -> str | None:
    """The official short name a wrong or misspelt name most likely means."""
    import difflib

    key = name.strip().lower()
    if key in ALIASES:
        return ALIASES[key]
    close = difflib.get_close_matches(key, list(_ACCEPTED), n=1, cutoff=0.75)
    return _ACCEPTED[close[0]].short if close else None


def sort_key(name: str) -> int:
    economy = lookup(name)
    return ORDER[economy.short] if economy else len(ORDER)


def apec_list(names: list[str] | tuple[str, ...], short: bool = True) -> str:
    """Names in APEC order joined with semicolons: ``Chile; Hong Kong, China; Japan``."""
    out = []
    for name in sorted(names, key=sort_key):
        economy = lookup(name)
        out.append((economy.short if short else economy.official) if economy else name)
    return "; ".join(out)


def find_wrong_names(text: str) -> list[tuple[int, int, str, str]]:
    """``(line, column, found, replacement)`` for each non-official economy name."""
    hits = []
    for number, line in enumerate(text.splitlines(), 1):
        for pattern, replacement, _label in WRONG_FORMS:
            for match in re.finditer(pattern, line):
                hits.append((number, match.start() + 1, match.group(0), replacement))
        for match in re.finditer(r"\b(member )?countr(y|ies)\b", line, flags=re.IGNORECASE):
            window = line[max(0, match.start() - 60): match.end() + 60].lower()
            if "apec" in window or "member" in window or "economies" in window:
                hits.append((number, match.start() + 1, match.group(0), "economy/economies"))
    return hits
