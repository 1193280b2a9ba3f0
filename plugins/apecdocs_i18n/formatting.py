"""Dates, numbers and money written the way the document's language writes them.

Jinja filters that read ``lang`` from the template context, so the same source gives
"10 September 2019" and "99,550" in English and "10 tháng 9 năm 2019" and "99.550"
in Vietnamese::

    {{ document.deadline | format_date }}            {## long date ##}
    {{ project.start | format_date("month") }}       {## September 2019 ##}
    {{ project.funding.apec | format_money("USD") }} {## USD 99,550 / 99.550 USD ##}
    {{ 0.62 | format_percent }}                      {## 62% ##}
    {{ ["Chile", "Japan", "Peru"] | format_list }}   {## Chile, Japan and Peru ##}

The formatting itself lives in ``apecdocs.localize``, for every plugin to use.
"""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context

from apecdocs.localize import (  # noqa: F401  (re-exported for plugins that used them here)
    DATE_PATTERNS,
    date_text,
    list_text,
    locale,
    money_text,
    number_text,
    percent_text,
)


def _lang(context: Any) -> str:
    return str(context.get("lang") or "en")


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


@pass_context
def format_list(context: Any, items: Any, style: str = "standard") -> str:
    """``["A", "B", "C"]`` as the language joins a list: "A, B and C", "A、B和C"."""
    return list_text(items, _lang(context), style)


FILTERS = {"format_date": format_date, "format_number": format_number,
           "format_money": format_money, "format_percent": format_percent, "format_list": format_list}
