"""Building a document in another language: translated segments replace the source's.

Two passes. The first runs before every other transform, on the text the authors
wrote, so citations, cross-references and charts are still in their Markdown form and
each plugin then does its work on the translated text. The second runs after the
others, on what they generated (a cover, an imprint, a banner) and on the title.

A segment whose text in the target language's rendering is not in the catalog (a
template that formats a date for the language, say) is looked up by the text it has
in the source language's rendering, when the two renderings have the same segments.
Untranslated segments keep the source text. Coverage is counted per document and
language over distinct segments.
"""

from __future__ import annotations

import json
import threading
import weakref
from dataclasses import dataclass, field
from typing import Any

from . import segments as seg
from .catalog import Translations, catalog_path, source_language, translations


@dataclass
class Coverage:
    translated: set[str] = field(default_factory=set)
    total: set[str] = field(default_factory=set)
    catalog: bool = True

    def counts(self) -> tuple[int, int]:
        return len(self.translated), len(self.total)


_lock = threading.Lock()
_coverage: weakref.WeakKeyDictionary[Any, dict[tuple[str, str], Coverage]] = (
    weakref.WeakKeyDictionary())


def coverage(project: Any) -> dict[tuple[str, str], Coverage]:
    """Coverage of the documents built in this session, ``{(document, lang): Coverage}``."""
    with _lock:
        return _coverage.setdefault(project, {})


def translate_sources(ast: dict[str, Any], project: Any, document: Any, lang: str) -> None:
    """The first pass: the authors' text."""
    path = catalog_path(project, lang, document.id)
    found = translations(path)
    segments = seg.collect_sources(ast)
    keys = seg.keys(segments, project.root, ast["pandoc-api-version"])
    localized: set[int] = set()
    if found and any(k not in found for k in keys):
        keys, localized = _with_source_keys(project, document, lang, segments, keys, found)
    record = Coverage(catalog=path.is_file())
    _apply(segments, keys, found, record, project, lang, localized)
    with _lock:
        _coverage.setdefault(project, {})[(document.id, lang)] = record


def translate_generated(ast: dict[str, Any], project: Any, document: Any, lang: str) -> None:
    """The second pass: what the other plugins generated, and the title."""
    found = translations(catalog_path(project, lang, document.id))
    segments = seg.collect_generated(ast)
    keys = seg.keys(segments, project.root, ast["pandoc-api-version"])
    with _lock:
        record = _coverage.setdefault(project, {}).setdefault((document.id, lang), Coverage())
    _apply(segments, keys, found, record, project, lang)


def _apply(segments: list[seg.Segment], keys: list[str], found: Translations,
           record: Coverage, project: Any = None, lang: str = "",
           localized: set[int] = frozenset()) -> None:
    for index, (segment, key) in enumerate(zip(segments, keys, strict=True)):
        if key not in found and project is not None and seg.written_by_labels(segment, lang,
                                                                               project):
            continue  # the language's labels wrote it: nothing to translate
        if key not in found and index in localized:
            continue  # written for the language already (a date, an amount, an economy)
        record.total.add(key)
        if key in found:
            record.translated.add(key)
            seg.apply(segment, found[key])
        elif key in found.targets:  # already in the target language (a localized label)
            record.translated.add(key)


def _with_source_keys(project: Any, document: Any, lang: str, segments: list[seg.Segment],
                      keys: list[str], found: Translations) -> tuple[list[str], set[int]]:
    """Keys of the source language's rendering where this one's are not in the catalog;
    and the segments, in no catalog, whose text the source language's rendering has
    nowhere: the template wrote them for this language (a date, an amount, an economy's
    name), so they are not counted as waiting for a translator.

    Only when the two renderings differ (a template writes dates for the language):
    rendering is cheap, parsing is not."""
    from apecdocs import assemble  # a build of the source language, or a no-op, never needs it

    source = source_language(project)
    pieces = assemble.render_sources(project, document, source)
    if [p.text for p in pieces] == [p.text for p in assemble.render_sources(project, document,
                                                                             lang)]:
        return keys, set()
    workdir = project.cache_path("work", f"{document.id}.{source}.i18n-{lang}")
    source_ast, _ = assemble.parse(project, document, pieces, workdir)
    originals = seg.collect_sources(source_ast)
    source_keys = seg.keys(originals, project.root, source_ast["pandoc-api-version"])
    # Paired file by file: a generated table that has one more text cell in this language
    # ("entre 5 y 10" where English writes "5–10") leaves the other files' pairs intact.
    mine, theirs = _by_file(segments), _by_file(originals)
    out = list(keys)
    for path, indexes in mine.items():
        others = theirs.get(path, [])
        if [segments[i].kind for i in indexes] != [originals[j].kind for j in others]:
            continue
        for i, j in zip(indexes, others, strict=True):
            if out[i] not in found and source_keys[j] in found:
                out[i] = source_keys[j]
    written = set(source_keys)
    return out, {i for i, key in enumerate(out) if key not in found and key not in written}


def _by_file(segments: list[seg.Segment]) -> dict[str | None, list[int]]:
    groups: dict[str | None, list[int]] = {}
    for index, segment in enumerate(segments):
        groups.setdefault(segment.source, []).append(index)
    return groups


def save(project: Any, documents: set[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, int]]:
    """Coverage of ``documents`` (``(id, lang)`` pairs): this build's figures, else the
    last recorded ones (an unchanged output is not transformed again)."""
    path = project.cache_path("i18n-coverage.json")
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stored = {}
    for (doc, lang), record in coverage(project).items():
        stored[f"{lang}/{doc}"] = list(record.counts())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(stored, indent=1, sort_keys=True), encoding="utf-8")
    except OSError:
        pass
    return {(doc, lang): tuple(stored[f"{lang}/{doc}"]) for doc, lang in sorted(documents)
            if f"{lang}/{doc}" in stored}
