"""Gettext catalogs: where they live, updating them from extraction, reading them back.

One catalog per document and language, ``locales/<lang>/<document>.po`` in the
project. Updating works as ``msgmerge`` does: an unchanged segment keeps its
translation; a changed one gets the old translation marked fuzzy, with the old text
as the previous ``msgid`` so the translator sees what changed; a segment that left the
source becomes an obsolete entry (``#~``) if it had a translation, and is reported.
"""

from __future__ import annotations

import difflib
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib

from apecdocs import ApecdocsError
from apecdocs.confine import confine, language_tag

SIMILAR = 0.6  # below this, a changed segment counts as new rather than fuzzy


def source_language(project: Any) -> str:
    """The language the sources are written in: the first of ``languages:``, else
    ``project.language``, else English."""
    languages = project.config.get("languages") or []
    return languages[0] if languages else project.meta.get("language") or "en"


def wanted(project: Any, lang: str) -> bool:
    """Whether ``lang`` is a translation (not the language the sources are written in)."""
    return lang.lower() != source_language(project).lower()


def project_languages(project: Any) -> list[str]:
    """Every language some document is built in, in the order the project names them."""
    out = list(project.languages)
    for doc in project.documents.values():
        out += [x for x in doc.languages if x not in out]
    return out


def catalog_path(project: Any, lang: str, document_id: str) -> Path:
    """``locales/<lang>/<document>.po``, for a language tag, really inside the project."""
    language_tag(lang, where="a catalog's language")
    return confine(project.root / "locales" / lang / f"{document_id}.po", [project.root],
                   what="catalog", action="read or write")


@dataclass
class Extracted:
    """One segment as extraction found it, with every place it occurs."""

    key: str
    occurrences: list[tuple[str, str]] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)


@dataclass
class UpdateResult:
    path: Path
    total: int = 0
    new: int = 0
    fuzzy: int = 0
    translated: int = 0
    dropped: list[polib.POEntry] = field(default_factory=list)  # kept as obsolete
    removed: int = 0  # dropped entries that had no translation


def read(path: Path) -> polib.POFile:
    try:
        return polib.pofile(str(path), encoding="utf-8", wrapwidth=0)
    except (OSError, ValueError) as exc:
        raise ApecdocsError(f"cannot read the translation catalog: {exc}", file=path,
                            hint="Fix the .po syntax (msgfmt --check shows where) or "
                            "delete the file and run 'apecdocs i18n extract'.") from None


def update(path: Path, segments: list[Extracted], lang: str,
           header: dict[str, str]) -> UpdateResult:
    """Write ``path`` with exactly ``segments``, carrying translations over."""
    old = read(path) if path.is_file() else polib.POFile(wrapwidth=0)
    current = {e.msgid: e for e in old if not e.obsolete}
    obsolete = {e.msgid: e for e in old if e.obsolete}
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Project-Id-Version": "", "Language": lang, "MIME-Version": "1.0",
                   "Content-Type": "text/plain; charset=UTF-8",
                   "Content-Transfer-Encoding": "8bit", **old.metadata, **header}
    result = UpdateResult(path, total=len(segments))
    unmatched: list[tuple[polib.POEntry, Extracted]] = []
    for seg in segments:
        entry = current.pop(seg.key, None) or obsolete.pop(seg.key, None)
        if entry is None:
            entry = polib.POEntry(msgid=seg.key, msgstr="")
            unmatched.append((entry, seg))
        entry.obsolete = False
        entry.occurrences = seg.occurrences
        entry.comment = ", ".join(dict.fromkeys(seg.kinds))
        po.append(entry)
    _carry_fuzzy(unmatched, current, result)
    for entry in current.values():
        if entry.msgstr:
            entry.obsolete = True
            result.dropped.append(entry)
        else:
            result.removed += 1
    for entry in [*result.dropped, *obsolete.values()]:
        entry.obsolete = True
        po.append(entry)
    result.translated = sum(1 for e in po if not e.obsolete and e.msgstr and not e.fuzzy)
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    invalidate(path)
    return result


def _carry_fuzzy(unmatched: list[tuple[polib.POEntry, Extracted]],
                 leftover: dict[str, polib.POEntry], result: UpdateResult) -> None:
    """Give each new segment the translation of the most similar dropped one, fuzzy."""
    candidates = [e for e in leftover.values() if e.msgstr]
    for entry, seg in unmatched:
        best, best_ratio = None, SIMILAR
        for old in candidates:
            matcher = difflib.SequenceMatcher(None, old.msgid, seg.key, autojunk=False)
            if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
                continue
            ratio = matcher.ratio()
            if ratio > best_ratio or (ratio == best_ratio and best is None):
                best, best_ratio = old, ratio
        if best is None:
            result.new += 1
            continue
        candidates.remove(best)
        del leftover[best.msgid]
        entry.msgstr = best.msgstr
        entry.previous_msgid = best.msgid
        entry.tcomment = best.tcomment
        if "fuzzy" not in entry.flags:
            entry.flags.append("fuzzy")
        result.fuzzy += 1


# -- reading translations for a build ----------------------------------------------

_lock = threading.Lock()
_cache: dict[Path, tuple[tuple[int, int], Translations]] = {}


class Translations(dict[str, list[Any]]):
    """``{msgid: translated inlines}``; ``targets`` holds the translations' Markdown, to
    recognise text that is already in the target language (a label the tool wrote)."""

    targets: frozenset[str] = frozenset()


def translations(path: Path) -> Translations:
    """The reviewed (non-fuzzy) entries of ``path``, parsed in one pandoc run and kept
    while the file is unchanged."""
    from .segments import parse_translations

    try:
        stat = path.stat()
    except OSError:
        return Translations()
    stamp = (stat.st_mtime_ns, stat.st_size)
    with _lock:
        cached = _cache.get(path)
        if cached and cached[0] == stamp:
            return cached[1]
    entries = [e for e in read(path) if not e.obsolete and e.msgstr.strip() and not e.fuzzy]
    parsed = parse_translations([e.msgstr for e in entries])
    found = Translations((e.msgid, inlines) for e, inlines in zip(entries, parsed, strict=True))
    found.targets = frozenset(e.msgstr.strip() for e in entries)
    with _lock:
        _cache[path] = (stamp, found)
    return found


def invalidate(path: Path) -> None:
    with _lock:
        _cache.pop(path, None)
