"""Words apecdocs writes itself (Contents, Figure, Table ...), per language.

English is the fallback: a missing translation shows the English word, never a key.
Plugins and projects add languages with ``add``; the i18n plugin loads its catalogs here.
"""

from __future__ import annotations

_CATALOGS: dict[str, dict[str, str]] = {
    "vi": {
        "Contents": "Mục lục",
        "List of Figures": "Danh mục hình",
        "List of Tables": "Danh mục bảng",
        "Figure": "Hình",
        "Table": "Bảng",
        "Section": "Mục",
        "Annex": "Phụ lục",
        "References": "Tài liệu tham khảo",
        "Page": "Trang",
    },
}


def label(text: str, lang: str) -> str:
    """``text`` in ``lang`` (``vi`` or ``vi-VN``), or ``text`` itself."""
    for key in (lang, lang.split("-")[0]):
        found = _CATALOGS.get(key, {}).get(text)
        if found:
            return found
    return text


def add(lang: str, entries: dict[str, str]) -> None:
    _CATALOGS.setdefault(lang, {}).update({k: v for k, v in entries.items() if v})
