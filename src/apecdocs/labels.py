"""Words apecdocs writes itself (Contents, Table, Day 1: …, Release date …), per language.

Where a word comes from, first match wins:

1. the project's ``labels:`` in ``apecdocs.yaml`` (``labels: {es: {Day: Jornada}}``);
2. the project's catalog ``locales/<lang>/LC_MESSAGES/apecdocs.po``;
3. plugins' words (``add``);
4. the catalog shipped with the package, ``apecdocs/locales/<lang>/LC_MESSAGES/apecdocs.po``
   (English is the template of the others; ``LANGUAGES`` ship);
5. English: the word itself. A build warns once per language, naming the labels it
   wrote in English (``take_misses``); ``missing`` lists every label a language lacks.

A label may hold named fields, ``"Day {n}: {date}"``; ``text`` fills them in after
translation, so a language can reorder them ("第{n}天：{date}").
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import usercache
from .errors import ApecdocsError

LOCALES = Path(__file__).parent / "locales"
DOMAIN = "apecdocs"
# The languages of APEC economies; a catalog ships for each.
LANGUAGES = ("en", "es", "ru", "zh-Hans", "zh-Hant", "ja", "ko", "th", "vi", "id", "ms", "fil")
# Tags that name one of those in another way.
ALIASES = {"zh": "zh-Hans", "zh-cn": "zh-Hans", "zh-sg": "zh-Hans", "zh-tw": "zh-Hant",
           "zh-hk": "zh-Hant", "zh-mo": "zh-Hant", "tl": "fil", "in": "id", "jp": "ja"}

_added: dict[str, dict[str, str]] = {}
_misses: dict[str, set[str]] = {}
_lock = threading.Lock()
_project: contextvars.ContextVar[Any] = contextvars.ContextVar("apecdocs_labels_project",
                                                               default=None)


@contextlib.contextmanager
def using(project: Any) -> Iterator[None]:
    """Within the block, ``label`` without a project uses ``project``'s own words (for
    code such as numbering that is handed only a language)."""
    token = _project.set(project)
    try:
        yield
    finally:
        _project.reset(token)


def canonical(lang: str) -> str:
    """The shipped language a tag means (``zh-TW`` → ``zh-Hant``, ``es-CL`` → ``es``),
    or the tag itself when none ships."""
    tag = (lang or "en").replace("_", "-")
    lower = tag.lower()
    for name in LANGUAGES:
        if name.lower() == lower:
            return name
    if lower in ALIASES:
        return ALIASES[lower]
    parts = lower.split("-")
    if parts[0] == "zh":
        hant = any(p in ("hant", "tw", "hk", "mo") for p in parts[1:])
        return "zh-Hant" if hant else "zh-Hans"
    base = ALIASES.get(parts[0], parts[0])
    return next((name for name in LANGUAGES if name == base), tag)


PO_KEPT = "po-1"  # where read catalogs are kept: a new name when what is kept changes


def _read_po(path: Path) -> dict[str, str]:
    """The translated entries of a catalog; a catalog read before comes from
    ``usercache`` (parsing one is start-up time of every build, even one with nothing
    to do)."""
    text = path.read_bytes()
    kept = usercache.get(PO_KEPT, text)
    if isinstance(kept, dict) and all(isinstance(k, str) and isinstance(v, str)
                                      for k, v in kept.items()):
        return kept
    import polib  # here: only a catalog not read before needs the parser

    words = {e.msgid: e.msgstr for e in polib.pofile(str(path), encoding="utf-8")
             if e.msgstr and not e.obsolete and "fuzzy" not in e.flags}
    if path.read_bytes() == text:  # not edited while it was parsed: kept for this text
        usercache.put(PO_KEPT, text, words)
    return words


def shipped_catalog(lang: str) -> Path:
    return LOCALES / canonical(lang) / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def catalog(lang: str) -> dict[str, str]:
    """The shipped translations for ``lang`` (``{}`` when none ship)."""
    path = LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not lang or not path.is_file():
        return {}
    return _read_po(path)


def known() -> list[str]:
    """Every label apecdocs writes: the msgids of the English template."""
    return list(catalog("en"))


def project_catalog(project: Any, lang: str) -> Path:
    """Where a project keeps its own words for ``lang``."""
    return Path(project.root) / "locales" / canonical(lang) / "LC_MESSAGES" / f"{DOMAIN}.po"


def project_words(project: Any, lang: str) -> dict[str, str]:
    """The project's own words for ``lang``: its catalog, then ``labels:`` over it."""
    if project is None:
        return {}
    root = getattr(project, "root", None)
    config = getattr(project, "config", None) or {}
    out: dict[str, str] = {}
    if root is not None:
        for tag in dict.fromkeys((lang, canonical(lang))):
            path = Path(root) / "locales" / tag / "LC_MESSAGES" / f"{DOMAIN}.po"
            out.update(_project_po(path))
    table = config.get("labels") or {}
    for tag in dict.fromkeys((canonical(lang), lang)):
        out.update({str(k): str(v) for k, v in (table.get(tag) or {}).items() if v})
    return out


def _project_po(path: Path) -> dict[str, str]:
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return {}
    return _cached_po(path, stamp)


@functools.lru_cache(maxsize=64)
def _cached_po(path: Path, stamp: int) -> dict[str, str]:
    try:
        return _read_po(path)
    except (OSError, ValueError) as exc:
        raise ApecdocsError(f"cannot read the label catalog: {exc}", file=path,
                            hint="Fix the .po file (a .po editor shows where).") from None


def label(text: str, lang: str, project: Any = None) -> str:
    """``text`` in ``lang`` (``vi``, ``vi-VN``, ``zh-Hant``), or ``text`` itself."""
    found = _lookup(text, lang, project)
    if found:
        return found
    if canonical(lang) != "en" and text in catalog("en"):
        with _lock:
            _misses.setdefault(lang, set()).add(text)
    return text


def _lookup(text: str, lang: str, project: Any = None) -> str | None:
    found = project_words(project if project is not None else _project.get(), lang).get(text)
    if found:
        return found
    for key in dict.fromkeys((lang, canonical(lang), lang.replace("_", "-").split("-")[0])):
        found = _added.get(key, {}).get(text) or catalog(key).get(text)
        if found:
            return found
    return None


def take_misses() -> dict[str, list[str]]:
    """The labels written in English for want of a translation since the last call,
    per language, in catalog order (a build reports them once, then starts afresh)."""
    with _lock:
        misses = dict(_misses)
        _misses.clear()
    order = known()
    return {lang: sorted(found, key=order.index) for lang, found in misses.items()}


def text(msgid: str, lang: str, project: Any = None, **fields: Any) -> str:
    """The label ``msgid`` in ``lang`` with its ``{fields}`` filled in.

    A translation that names a field the English does not have, or drops braces, is
    a translator's slip: the English pattern is used rather than failing the build.
    """
    pattern = label(msgid, lang, project)
    try:
        return pattern.format(**fields)
    except (KeyError, IndexError, ValueError):
        return msgid.format(**fields)


def add(lang: str, entries: dict[str, str]) -> None:
    """A plugin's words for ``lang`` (a project's own words still win)."""
    with _lock:
        _added.setdefault(canonical(lang), {}).update({k: v for k, v in entries.items() if v})


def missing(lang: str, project: Any = None) -> list[str]:
    """The labels that fall back to English in ``lang``: none for English."""
    if canonical(lang) == "en":
        return []
    own = project_words(project, lang)
    shipped = {**catalog(canonical(lang)), **_added.get(canonical(lang), {})}
    return [m for m in known() if m not in own and m not in shipped]


def languages() -> list[str]:
    """Languages with a shipped catalog."""
    return sorted(p.name for p in LOCALES.iterdir() if (p / "LC_MESSAGES").is_dir()) \
        if LOCALES.is_dir() else []


def generated_by(text: str, lang: str, project: Any = None) -> str | None:
    """The label (its msgid) that ``text`` is, fields filled in, in ``lang``
    ("Purpose: Information", "第1天日程，2019年9月10日"), or None: words apecdocs writes
    itself, which translation catalogs need not carry."""
    text = text.strip()
    if not text:
        return None
    own = tuple(sorted(project_words(project, lang).items()))
    words, patterns = _matchers(lang, own)
    if text in words:
        return words[text]
    return next((msgid for msgid, p in patterns if p.fullmatch(text)), None)


_FIELDS = {"n": r"\d+", "year": r"\d+", "number": r"\S+", "date": r"[^—–|:]+?", "value": r".+?",
           "total": r"\d+", "low": r"\d+", "high": r"\d+", "mean": r"(?:[\d.,]+|—)"}


@functools.lru_cache(maxsize=64)
def _matchers(lang: str, own: tuple[tuple[str, str], ...]) -> tuple[dict[str, str], list[Any]]:
    """The labels of ``lang`` without fields (text → msgid), and (msgid, pattern) for
    those with fields."""
    import re

    table = dict(own)

    def word(msgid: str) -> str:
        return table.get(msgid) or _lookup(msgid, lang) or msgid

    words = {word(m): m for m in reversed(known()) if "{" not in m}
    names = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    patterns = []
    for msgid in known():
        if "{" not in msgid:
            continue
        regex = ""
        for piece in re.split(r"(\{\w+\})", word(msgid)):
            name = piece[1:-1] if piece.startswith("{") and piece.endswith("}") else None
            regex += (f"(?:{names})" if name == "label" else _FIELDS.get(name, ".+?") if name
                      else re.escape(piece))
        patterns.append((msgid, re.compile(regex, re.DOTALL)))
    return words, patterns
