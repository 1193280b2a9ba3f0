"""The completion report's figures and targets in words, in the language being built.

``stats`` computes values and whether each target was met, and words nothing; this
module writes them for a document: percentages, scores and amounts the way the
language writes numbers (Babel: "57.1%", "57,1 %", "USD 99,550", "99.550 USD"),
economies by the names their governments publish, and the targets' wording ("at
least {limit}", "women {women}, men {men}") from the label catalogs, so a Spanish
report reads "al menos 75 %" without a translator. ``apecdocs check`` words its
own findings in English (``completion.target_finding``), from the same values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from apecdocs.labels import canonical, label, text
from apecdocs.localize import list_text, locale, money_text, number_text, percent_text

from . import economies
from .economy_names import economy
from .stats import METRICS


def pct(value: float | None, lang: str = "en") -> str:
    """A share with one decimal where it matters: "40%", "60.3%" ("60,3 %" in Spanish),
    so 60.3% is never shown as 60%."""
    return label("n/a", lang) if value is None else percent_text(value, lang, 1, optional=True)


def score(value: float | None, lang: str = "en") -> str:
    """A mean score with two decimals: "4.15", "4,15"."""
    return label("n/a", lang) if value is None else number_text(value, lang, 2)


def decimal(value: float, lang: str) -> str:
    """A number with up to two decimals, as needed: "1,234.5", "1.234,5"."""
    from babel.numbers import format_decimal  # here: Babel's tables load on first use

    return format_decimal(value, "#,##0.##", locale=locale(lang))


def money(value: float, lang: str, currency: str = "USD") -> str:
    return money_text(value, lang, currency)


def count(value: int, lang: str) -> str:
    return number_text(value, lang)


def economy_list(names: list[str] | tuple[str, ...], lang: str) -> str:
    """Economies in APEC order for a table cell: "Chile; Japan; United States" in
    English (no "and": a list, not a sentence), "智利、日本和美国" in Chinese."""
    ordered = [economy(n, lang) for n in sorted(names, key=economies.sort_key)]
    if canonical(lang) == "en":
        return "; ".join(ordered)
    return list_text(ordered, lang, separator="; " if any("," in n for n in ordered) else None)


# -- the targets ------------------------------------------------------------------------

def _bound(unit: str, lang: str) -> Callable[[float], str]:
    return (lambda v: pct(v, lang)) if unit == "share" else (lambda v: number_text(v, lang))


def planned(result: dict[str, Any], lang: str) -> str:
    """The target in words: "50–70", "at least 75%", "neither sex above 60%"."""
    show = _bound(result["unit"], lang)
    low, high = result["min"], result["max"]
    if result["key"] == "gender_balance" and high is not None:
        return text("neither sex above {limit}", lang, limit=show(high))
    if low is not None and high is not None:
        return text("{low}–{high}", lang, low=show(low), high=show(high))
    if low is not None:
        return text("at least {limit}", lang, limit=show(low))
    return text("at most {limit}", lang, limit=show(high))


def measured(result: dict[str, Any], lang: str) -> str:
    """The measured value in words: "7", "57.1% (4 of 7)", "women 42.9%, men 57.1%"."""
    parts = result["parts"]
    unit, value = result["unit"], result["value"]
    if result["key"] == "gender_balance":
        return text("women {women}, men {men}", lang, women=pct(parts["women"], lang),
                    men=pct(parts["men"], lang))
    shown = pct(value, lang) if unit == "share" else score(value, lang) if unit == "score" \
        else label("n/a", lang) if value is None else count(value, lang)
    if "of" in parts:
        return text("{share} ({n} of {total})", lang, share=shown, n=count(parts["n"], lang),
                    total=count(parts["of"], lang))
    return shown


def worded(results: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """The results as templates see them (``targets``): each with ``label``,
    ``planned``, ``measured`` and ``status`` in ``lang``."""
    return [{**r, "label": label(r["label"] or METRICS[r["key"]].label, lang),
             "planned": planned(r, lang), "measured": measured(r, lang),
             "status": label("Met" if r["met"] else "Not met", lang)} for r in results]


# -- the filters ------------------------------------------------------------------------

def _lang(context: Any) -> str:
    return str(context.get("lang") or "en")


def pct_filter(context: Any, value: float | None) -> str:
    return pct(value, _lang(context))


def score_filter(context: Any, value: float | None) -> str:
    return score(value, _lang(context))


# Jinja passes them its context (``completion.jinja_filters`` marks them so: Jinja is
# imported when templates are made, not when the plugin loads).
FILTERS = {"pct": pct_filter, "score": score_filter}
