"""Dates, numbers and money written the way the document's language writes them.

Jinja filters that read ``lang`` from the template context, so the same source gives
"10 September 2019" and "99,550" in English and "10 tháng 9 năm 2019" and "99.550"
in Vietnamese::

    {{ document.deadline | format_date }}            {## long date ##}
    {{ project.start | format_date("month") }}       {## September 2019 ##}
    {{ project.funding.apec | format_money("USD") }} {## USD 99,550 / 99.550 USD ##}
    {{ 0.62 | format_percent }}                      {## 62% ##}
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_date
from babel.dates import format_skeleton
from babel.numbers import format_decimal
from babel.numbers import format_percent as babel_percent
from jinja2 import pass_context

from apecdocs import ApecdocsError

# Where CLDR's pattern is not how the language's official documents write it.
DATE_PATTERNS: dict[str, dict[str, str]] = {
    "en": {"long": "d MMMM y"},  # APEC (British) style: 10 September 2019
    "vi": {"long": "d 'tháng' M 'năm' y", "month": "'tháng' M 'năm' y"},
}


@functools.cache
def locale(lang: str) -> Locale:
    """The Babel locale of ``lang`` (``vi``, ``vi-VN``, ``zh_Hant``); English if unknown."""
    for candidate in (lang.replace("-", "_"), lang.split("-")[0].split("_")[0]):
        try:
            return Locale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse("en")


def _lang(context: Any) -> str:
    return str(context.get("lang") or "en")


def date_text(value: Any, lang: str, form: str = "long") -> str:
    """``value`` (a date or ISO text) in ``lang``: short, medium, long, full, month,
    or a Babel pattern such as ``"d MMM y"``."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ApecdocsError(f"format_date: '{value}' is not a date (YYYY-MM-DD)") from None
    if not isinstance(value, dt.date):
        raise ApecdocsError(f"format_date: {value!r} is not a date")
    loc = locale(lang)
    pattern = DATE_PATTERNS.get(loc.language, {}).get(form)
    if pattern:
        return babel_date(value, pattern, locale=loc)
    if form == "month":
        return format_skeleton("yMMMM", value, locale=loc)
    return babel_date(value, form, locale=loc)


def number_text(value: Any, lang: str, decimals: int | None = None) -> str:
    number = _number(value, "format_number")
    if decimals is None:
        return format_decimal(number, locale=locale(lang))
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(number, pattern, locale=locale(lang))


def money_text(value: Any, lang: str, currency: str = "USD", decimals: int | None = None) -> str:
    """An amount with its ISO code where the language puts the currency:
    "USD 99,550" in English, "99.550 USD" in Vietnamese."""
    number = _number(value, "format_money")
    if decimals is None:
        decimals = 0 if Decimal(str(number)) == Decimal(str(number)).to_integral_value() else 2
    amount = number_text(number, lang, decimals)
    pattern = locale(lang).currency_formats["standard"].pattern.split(";")[0]
    before = pattern.strip().startswith("¤")
    return f"{currency} {amount}" if before else f"{amount} {currency}"


def percent_text(value: Any, lang: str, decimals: int = 0) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "") + "%"
    return babel_percent(_number(value, "format_percent"), pattern, locale=locale(lang))


def _number(value: Any, name: str) -> float | int | Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        raise ApecdocsError(f"{name}: {value!r} is not a number")
    if isinstance(value, str):
        try:
            return Decimal(value.replace(",", "").strip())
        except ArithmeticError:
            raise ApecdocsError(f"{name}: '{value}' is not a number") from None
    return value


@pass_context
def format_date(context: Any, value: Any, form: str = "long") -> str:
    return date_text(value, _lang(context), form)


@pass_context
def format_number(context: Any, value: Any, decimals: int | None = None) -> str:
    return number_text(value, _lang(context), decimals)


@pass_context
def format_money(context: Any, value: Any, currency: str | None = None,
                 decimals: int | None = None) -> str:
    if currency is None:
        project = context.get("project") or {}
        currency = (project.get("funding") or {}).get("currency") or "USD"
    return money_text(value, _lang(context), currency, decimals)


@pass_context
def format_percent(context: Any, value: Any, decimals: int = 0) -> str:
    return percent_text(value, _lang(context), decimals)


FILTERS = {"format_date": format_date, "format_number": format_number,
           "format_money": format_money, "format_percent": format_percent}
