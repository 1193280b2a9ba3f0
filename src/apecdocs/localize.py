"""Dates, numbers, money and lists written the way a language writes them (Babel).

The core owns these so that every plugin (an agenda's day headings, a circular's
deadline, the Jinja filters) writes "10 September 2019" in English, "10 de septiembre
de 2019" in Spanish and "2019年9月10日" in Chinese from one place.

Languages are BCP 47 tags as in ``apecdocs.yaml`` (``zh-Hans``, ``vi-VN``, ``fil``).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .errors import ApecdocsError

if TYPE_CHECKING:
    from babel import Locale

# Where CLDR's pattern is not how the language's official documents write it.
DATE_PATTERNS: dict[str, dict[str, str]] = {
    "en": {"long": "d MMMM y"},  # APEC (British) style: 10 September 2019
    "vi": {"long": "d 'tháng' M 'năm' y", "month": "'tháng' M 'năm' y"},
}
# Thai official documents count years in the Buddhist Era (2019 is 2562) and write
# no era name: "10 กันยายน 2562". CLDR's Thai pattern writes the Christian era.
BUDDHIST_ERA = {"th": 543}

# Script subtags and regions that pick a Chinese script when the tag has none.
_CHINESE = {"hant": "zh_Hant", "tw": "zh_Hant", "hk": "zh_Hant", "mo": "zh_Hant",
            "hans": "zh_Hans", "cn": "zh_Hans", "sg": "zh_Hans"}


@functools.cache
def _babel() -> Any:
    """Babel's dates, numbers and lists (with their CLDR tables), imported on the first
    value written: a build with nothing to write, or ``--help``, never needs them."""
    import babel.dates
    import babel.lists
    import babel.numbers

    return babel


@functools.cache
def locale(lang: str) -> Locale:
    """The Babel locale of ``lang`` (``vi``, ``vi-VN``, ``zh-Hant``, ``zh_TW``);
    English if Babel does not know the language."""
    from babel import Locale, UnknownLocaleError  # here: as ``_babel``, on first use

    tag = (lang or "en").replace("_", "-")
    parts = tag.split("-")
    if parts[0].lower() == "zh":
        script = next((_CHINESE[p.lower()] for p in parts[1:] if p.lower() in _CHINESE), "zh_Hans")
        return Locale.parse(script)
    for candidate in (tag.replace("-", "_"), parts[0]):
        try:
            return Locale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse("en")


def as_date(value: Any, name: str = "format_date") -> dt.date:
    """A date from a date, a datetime or ISO text; an error naming the filter otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ApecdocsError(f"{name}: '{value}' is not a date (YYYY-MM-DD)") from None
    raise ApecdocsError(f"{name}: {value!r} is not a date")


def date_text(value: Any, lang: str, form: str = "long") -> str:
    """``value`` (a date or ISO text) in ``lang``: short, medium, long, full, month,
    or a Babel pattern such as ``"d MMM y"``."""
    value = as_date(value)
    loc = locale(lang)
    era = BUDDHIST_ERA.get(loc.language)
    if era and form in ("long", "month"):
        head = _babel().dates.format_date(value, "d MMMM" if form == "long" else "MMMM", locale=loc)
        return f"{head} {value.year + era}"
    pattern = DATE_PATTERNS.get(loc.language, {}).get(form)
    if pattern:
        return _babel().dates.format_date(value, pattern, locale=loc)
    if form == "month":
        return _babel().dates.format_skeleton("yMMMM", value, locale=loc)
    return _babel().dates.format_date(value, form, locale=loc)


def list_text(items: Iterable[Any], lang: str, style: str = "standard",
              separator: str | None = None) -> str:
    """``items`` joined as ``lang`` joins a list ("A, B and C", "A、B和C", "A B และC").

    ``separator`` replaces the language's list comma, as APEC writes lists of
    economies with semicolons because "Hong Kong, China" holds a comma:
    "Chile; Hong Kong, China; and Japan".
    """
    names = [str(i) for i in items]
    if separator is None or len(names) < 3:
        return _babel().lists.format_list(names, style=style, locale=locale(lang)) if names else ""
    patterns = locale(lang).list_patterns
    pattern = patterns.get(style) or patterns["standard"]

    def sub(text: str) -> str:
        return text.replace("{0}, ", "{0}" + separator)

    result = sub(pattern["end"]).format(names[-2], names[-1])
    for name in reversed(names[1:-2]):
        result = sub(pattern["middle"]).format(name, result)
    return sub(pattern["start"]).format(names[0], result)


def number_text(value: Any, lang: str, decimals: int | None = None) -> str:
    number = as_number(value, "format_number")
    if decimals is None:
        return _babel().numbers.format_decimal(number, locale=locale(lang))
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return _babel().numbers.format_decimal(number, pattern, locale=locale(lang))


def money_text(value: Any, lang: str, currency: str = "USD", decimals: int | None = None) -> str:
    """An amount with its ISO code where the language puts the currency:
    "USD 99,550" in English, "99.550 USD" in Vietnamese."""
    number = as_number(value, "format_money")
    if decimals is None:
        decimals = 0 if Decimal(str(number)) == Decimal(str(number)).to_integral_value() else 2
    amount = number_text(number, lang, decimals)
    pattern = locale(lang).currency_formats["standard"].pattern.split(";")[0]
    before = pattern.strip().startswith("¤")
    return f"{currency} {amount}" if before else f"{amount} {currency}"


def percent_text(value: Any, lang: str, decimals: int = 0, optional: bool = False) -> str:
    """A share (0.62) as the language writes a percentage: "62%", "62 %" in Spanish
    and Russian, "%62" in Turkish. ``optional`` decimals are left out when zero
    ("60%", "60.3%" with one), so a share just over a limit never reads as on it."""
    pattern = locale(lang).percent_formats[None].pattern.split(";")[0]
    if decimals > 0:
        last = pattern.rfind("0")
        places = ("#" if optional else "0") * decimals
        pattern = pattern[:last + 1] + "." + places + pattern[last + 1:]
    return _babel().numbers.format_percent(as_number(value, "format_percent"), pattern,
                                           locale=locale(lang))


def as_number(value: Any, name: str) -> float | int | Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        raise ApecdocsError(f"{name}: {value!r} is not a number")
    if isinstance(value, str):
        try:
            return Decimal(value.replace(",", "").strip())
        except ArithmeticError:
            raise ApecdocsError(f"{name}: '{value}' is not a number") from None
    return value
