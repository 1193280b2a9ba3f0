"""Chart text in the document's language: fonts for the scripts DejaVu Sans cannot
draw (Thai, Chinese, Japanese, Korean), and the language's decimal sign on the axes.

A chart of a Thai or Chinese report has axis labels and categories in that script;
drawn in DejaVu Sans alone they would be boxes. The fonts are the ones the PDF uses
(the ``cjk`` and ``thai`` extras, found by the i18n plugin's ``script_fonts``), added
after DejaVu Sans as fallbacks, so Latin text and digits keep the house font and
each character is drawn by the first font that has it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

# The language whose font draws a script, first match wins: kana are Japanese,
# hangul Korean; Han alone is read as simplified Chinese unless the text says more.
_SCRIPTS = (("th", 0x0E00, 0x0E7F), ("ja", 0x3040, 0x30FF), ("ko", 0xAC00, 0xD7AF),
            ("ko", 0x1100, 0x11FF), ("zh-Hans", 0x4E00, 0x9FFF), ("zh-Hans", 0x3400, 0x4DBF),
            ("zh-Hans", 0x3000, 0x303F), ("zh-Hans", 0xFF00, 0xFFEF))


def languages(texts: Iterable[str]) -> list[str]:
    """The script languages ``texts`` need, in the order their fonts should be tried."""
    found: list[str] = []
    for char in {c for t in texts for c in t if ord(c) >= 0x0E00}:
        for lang, low, high in _SCRIPTS:
            if low <= ord(char) <= high and lang not in found:
                found.append(lang)
                break
    # Japanese text holds Han too: its font (Japanese forms) before the Chinese one.
    return sorted(found, key=lambda lang: ("ja", "ko", "th", "zh-Hans").index(lang))


def fallback_families(texts: Iterable[str]) -> list[str]:
    """Font families to try after DejaVu Sans for ``texts`` (registered with
    matplotlib); empty when the text needs none or the fonts are not installed."""
    return [family for lang in languages(texts) for family in _register(lang)]


@functools.cache
def _register(lang: str) -> tuple[str, ...]:
    from apecdocs_i18n import script_fonts
    from matplotlib import font_manager

    font = script_fonts.for_language(lang)
    if font is None:
        return ()
    names = []
    for folder in font.folders():
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in (".ttf", ".otf"):
                font_manager.fontManager.addfont(str(path))
                names.append(font_manager.FontProperties(fname=str(path)).get_name())
    return tuple(dict.fromkeys(names))


def decimal_sign(lang: str | None) -> str:
    """The decimal sign of ``lang`` ("," in Spanish and Vietnamese), "." without one."""
    if not lang:
        return "."
    from babel.numbers import get_decimal_symbol

    from apecdocs.localize import locale

    return get_decimal_symbol(locale(lang))


_NUMBER = re.compile(r"[−-]?\d+(?:\.\d+)?")


def decimal_ticks(fig: Any, sign: str) -> None:
    """Write the tick numbers of ``fig``'s value axes with ``sign`` ("0,5"); category
    labels (any axis whose ticks are not all numbers) are left as they are."""
    fig.draw_without_rendering()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            texts = [t.get_text() for t in axis.get_ticklabels()]
            if texts and all(_NUMBER.fullmatch(t) for t in texts) and any("." in t for t in texts):
                axis.set_ticks(list(axis.get_ticklocs()), [t.replace(".", sign) for t in texts])
