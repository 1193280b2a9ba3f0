"""The 21 APEC member economies: official names, short forms, APEC order.

APEC members are "economies". Lists are joined with semicolons, because
"Hong Kong, China" holds a comma. ``WRONG_FORMS`` are names a checker flags.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from apecdocs import usercache


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
    (r"\bTaiwan\b(?!,\s*China)", "Chinese Taipei", "Taiwan"),
    (r"\bHong Kong\b(?!,\s*China)(?! SAR)", "Hong Kong, China", "Hong Kong"),
    (r"\bHong Kong SAR\b", "Hong Kong, China", "Hong Kong SAR"),
    (r"\bSouth Korea\b", "Korea", "South Korea"),
    (r"\bBrunei\b(?!\s+Darussalam)", "Brunei Darussalam", "Brunei"),
    (r"\bU\.S\.A\.?(?!\w)|\bUSA\b|\bU\.S\.(?!\w)", "United States", "USA/U.S."),
    (r"\bUnited States of America\b", "United States", "United States of America"),
    (r"\bRussian Federation\b", "Russia", "Russian Federation"),
    (r"\bPRC\b", "China", "PRC"),
    (r"\bKorea,\s*Republic of\b", "Korea", "Korea, Republic of"),
    (r"\bRepublic of Korea\b(?=\s*\(South\))|\bKorea \(South\)|\bKorea,\s*South\b", "Korea",
     "Korea (South)"),
    (r"\bViet-Nam\b", "Viet Nam", "Viet-Nam"),
    (r"\bHongkong\b", "Hong Kong, China", "Hongkong"),
    (r"\bPapua-New Guinea\b", "Papua New Guinea", "Papua-New Guinea"),
    (r"\bChina,\s*People's Republic of\b", "China", "China, People's Republic of"),
    (r"\bPhilippines,\s*(the\s+)?Republic of( the)?\b", "the Philippines",
     "Philippines, Republic of the"),
    (r"\bTaiwan,\s*China\b", "Chinese Taipei", "Taiwan, China"),
)

# Official names of institutions that contain a non-official form ("Hong Kong" in the
# Hong Kong Monetary Authority): the check leaves them alone. Names as the institutions
# write them in English; a project adds its own under apec: allowed_names:.
PROPER_NAMES: tuple[str, ...] = (
    # Hong Kong, China
    "Hong Kong Monetary Authority", "Hong Kong Trade Development Council",
    "Hong Kong Productivity Council", "Hong Kong Exchanges and Clearing",
    "Hong Kong Science and Technology Parks", "Hong Kong Internet Registration Corporation",
    "Hong Kong Applied Science and Technology Research Institute",
    "Hong Kong Institute for Monetary and Financial Research", "Hong Kong Cyberport",
    "Hong Kong General Chamber of Commerce", "Hong Kong Computer Emergency Response Team",
    "Hong Kong Polytechnic University", "Hong Kong University of Science and Technology",
    "Hong Kong Baptist University", "Hong Kong Metropolitan University",
    "University of Hong Kong", "Chinese University of Hong Kong", "City University of Hong Kong",
    "Education University of Hong Kong", "Hong Kong Post", "Hong Kong Observatory",
    "Hong Kong Economic and Trade Office", "Hong Kong International Airport",
    # Viet Nam
    "Vietnam Chamber of Commerce and Industry", "Vietnam E-commerce Association",
    "Vietnam National University", "Vietnam Airlines", "Vietnam Posts and Telecommunications",
    "Vietnam Internet Network Information Center", "Vietnam Digital Communications Association",
    "Vietnam Association of Small and Medium Enterprises", "Vietnam Women Entrepreneurs Council",
    "Vietnam Trade Promotion Agency", "Vietnam Bank for Social Policies",
    "Bank for Investment and Development of Vietnam", "Vietnam Electricity",
    # Chinese Taipei
    "Taiwan External Trade Development Council", "Taiwan Stock Exchange",
    "National Taiwan University", "Taiwan Semiconductor Manufacturing Company",
    "Taiwan Institute of Economic Research", "Taiwan Network Information Center",
    "Bank of Taiwan", "Taiwan Computer Emergency Response Team",
    # Russia
    "Central Bank of the Russian Federation", "Bank of Russia",
    "Ministry of Economic Development of the Russian Federation",
    "Government of the Russian Federation",
    # Brunei Darussalam
    "Royal Brunei Airlines", "Brunei Economic Development Board", "Brunei Shell Petroleum",
    # United States
    "U.S. Chamber of Commerce", "U.S. Agency for International Development",
    "U.S. Small Business Administration", "U.S. Department of Commerce",
    "U.S.-ASEAN Business Council",
)

# Writing this on a line (in a comment: "# apecdocs: name-ok" in YAML,
# "<!-- apecdocs: name-ok -->" in Markdown) exempts that line from the check.
EXEMPT_MARKER = "apecdocs: name-ok"

# Non-official names accepted in data files, mapped for suggestions.
ALIASES: dict[str, str] = {
    "vietnam": "Viet Nam", "taiwan": "Chinese Taipei", "hong kong": "Hong Kong, China",
    "south korea": "Korea", "brunei": "Brunei Darussalam", "usa": "United States",
    "us": "United States", "u.s.": "United States", "united states of america": "United States",
    "russian federation": "Russia", "prc": "China", "hong kong sar": "Hong Kong, China",
    "korea, republic of": "Korea", "korea (south)": "Korea", "korea, south": "Korea",
    "korea (republic of)": "Korea", "rok": "Korea", "s. korea": "Korea",
    "viet-nam": "Viet Nam", "vn": "Viet Nam", "hongkong": "Hong Kong, China",
    "hong kong sar, china": "Hong Kong, China", "hong kong, sar": "Hong Kong, China",
    "hksar": "Hong Kong, China", "hk": "Hong Kong, China",
    "taiwan, china": "Chinese Taipei", "chinese-taipei": "Chinese Taipei",
    "taipei": "Chinese Taipei", "china, people's republic of": "China",
    "mainland china": "China", "philippines, the": "the Philippines",
    "philippines, republic of the": "the Philippines", "russia federation": "Russia",
    "png": "Papua New Guinea", "papua-new guinea": "Papua New Guinea", "u.s.a.": "United States",
    "u.s.a": "United States", "america": "United States", "nz": "New Zealand",
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


@functools.cache
def _wrong() -> tuple[list[tuple[re.Pattern[str], str]], re.Pattern[str]]:
    """Each wrong form's pattern, and any of them (to pass over the lines that hold none
    with one search: most lines); compiled on first use, as kept hits need none."""
    each = [(re.compile(pattern), replacement) for pattern, replacement, _ in WRONG_FORMS]
    return each, re.compile("|".join(f"(?:{pattern})" for pattern, _, _ in WRONG_FORMS))


def find_wrong_names(text: str, allowed: tuple[str, ...] | list[str] = ()
                     ) -> list[tuple[int, int, str, str]]:
    """``(line, column, found, replacement)`` for each non-official economy name.

    A name inside an institution's official name (``PROPER_NAMES`` and ``allowed``,
    matched without regard to case) is not one; nor is anything on a line carrying
    ``EXEMPT_MARKER``. Every build checks every source: the hits of a text are
    kept (``usercache``) under the text, ``allowed`` and this module's own code.
    """
    keyed = "\0".join([_rules(), *allowed, text])
    kept = usercache.get("economy-names-1", keyed)
    if isinstance(kept, list) and all(
            isinstance(h, list) and len(h) == 4 and all(type(x) is int for x in h[:2])
            and all(isinstance(x, str) for x in h[2:]) for h in kept):
        return [tuple(h) for h in kept]
    hits = _find_wrong_names(text, allowed)
    usercache.put("economy-names-1", keyed, hits)
    return hits


@functools.cache
def _rules() -> str:
    """A digest of this module: its names and patterns decide what is found."""
    import hashlib
    from pathlib import Path

    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def _find_wrong_names(text: str, allowed: tuple[str, ...] | list[str] = ()
                      ) -> list[tuple[int, int, str, str]]:
    hits = []
    wrong, any_wrong = _wrong()
    proper = _proper_pattern(tuple(allowed))
    for number, line in enumerate(text.splitlines(), 1):
        if EXEMPT_MARKER in line:
            continue
        if any_wrong.search(line):
            spared = [m.span() for m in proper.finditer(line)]
            for pattern, replacement in wrong:
                for match in pattern.finditer(line):
                    if any(start <= match.start() and match.end() <= end for start, end in spared):
                        continue
                    hits.append((number, match.start() + 1, match.group(0), replacement))
        for match in re.finditer(r"\b(member )?countr(y|ies)\b", line, flags=re.IGNORECASE):
            window = line[max(0, match.start() - 60): match.end() + 60].lower()
            if "apec" in window or "member" in window or "economies" in window:
                hits.append((number, match.start() + 1, match.group(0), "economy/economies"))
    return hits


@functools.lru_cache(maxsize=16)
def _proper_pattern(allowed: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for every proper name, longest first, spaces matching any spacing."""
    names = sorted({*PROPER_NAMES, *(a for a in allowed if a.strip())}, key=len, reverse=True)
    parts = [r"\s+".join(re.escape(word) for word in name.split()) for name in names]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)
