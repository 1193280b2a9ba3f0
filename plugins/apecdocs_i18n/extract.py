"""Extraction: the segments of a document exactly as the build sees them.

The document is rendered and parsed by the core's own ``assemble`` functions in the
source language, so a segment's key is what the build will look up. Text plugins
generate (a cover, a circular's banner) comes from running the other plugins'
``transform_ast`` on a copy. Each segment's reference is the file and line where its
text starts, found by searching the source file (then the data files and the project
file, for text a template filled in).
"""

from __future__ import annotations

import copy
import re
import sys
from pathlib import Path
from typing import Any

from apecdocs import assemble
from apecdocs.confine import is_inside

from . import segments as seg
from .catalog import Extracted, source_language

_WORDS = re.compile(r"[\W_]+", re.UNICODE)


def parsed(project: Any, document: Any, lang: str, workdir_suffix: str = "i18n") -> dict[str, Any]:
    """The document's AST after rendering and parsing, before any transform."""
    pieces = assemble.render_sources(project, document, lang)
    workdir = project.cache_path("work", f"{document.id}.{lang}.{workdir_suffix}")
    ast, _ = assemble.parse(project, document, pieces, workdir)
    return ast


def generated_ast(project: Any, document: Any, ast: dict[str, Any], lang: str) -> dict[str, Any]:
    """A copy of ``ast`` after every other plugin's transforms: what they add."""
    full = copy.deepcopy(ast)
    own = sys.modules[__package__]
    mine = [p for _, p in project.plugins.list_name_plugin() if p is own]
    caller = project.plugins.subset_hook_caller("transform_ast", remove_plugins=mine)
    caller(ast=full, project=project, document=document, lang=lang)
    return full


def extract(project: Any, document: Any) -> list[Extracted]:
    """Every segment of ``document`` with its references, in document order."""
    lang = source_language(project)
    ast = parsed(project, document, lang)
    api = ast["pandoc-api-version"]
    body = seg.collect_sources(ast)
    generated = seg.collect_generated(generated_ast(project, document, ast, lang))
    found: dict[str, Extracted] = {}
    locator = Locator(project)
    for segments in (body, generated):
        for segment, key in zip(segments, seg.keys(segments, project.root, api), strict=True):
            if seg.written_by_labels(segment, lang, project):
                continue  # each language's labels write it
            entry = found.setdefault(key, Extracted(key))
            entry.kinds.append(segment.kind)
            where = locator.find(segment, document)
            if where not in entry.occurrences:
                entry.occurrences.append(where)
    return list(found.values())


class Locator:
    """Finds the line a segment's text starts on, by its words (markup and Jinja aside)."""

    def __init__(self, project: Any) -> None:
        self.project = project
        self.lines: dict[Path, list[str]] = {}
        self.last: dict[Path, int] = {}
        data = [project.data.path(n) for n in project.data]
        self.extra = [p for p in data if p.suffix in (".yaml", ".yml", ".csv", ".json")]

    def find(self, segment: seg.Segment, document: Any) -> tuple[str, str]:
        words = _normalize(segment.text()).split()
        meta = self._meta_files(document)
        source = Path(segment.source) if segment.source else None
        if source is None:  # generated text: mostly from apecdocs.yaml
            files = [self.project.file, *meta, *self.extra]
        elif self._inside(source):
            files = [source, *self.extra, self.project.file]
        else:  # a document type's template: its text comes from data
            files = [*self.extra, self.project.file, *meta, source]
        for path in files:
            line = self._search(path, words)
            if line:
                return self._shown(path), str(line)
        path = Path(segment.source) if segment.source else self.project.file
        line = document.location.line if path == self.project.file else None
        return self._shown(path), str(line or 1)

    def _meta_files(self, document: Any) -> list[Path]:
        """Files the document's meta names (an acronyms list, say)."""
        out = []
        for value in document.meta.values():
            if isinstance(value, str) and "/" in value and len(value) < 200:
                path = self.project.root / value
                if path.is_file():
                    out.append(path)
        return out

    def _inside(self, path: Path) -> bool:
        return is_inside(path, self.project.root)

    def _shown(self, path: Path) -> str:
        if self._inside(path):
            return path.resolve().relative_to(self.project.root.resolve()).as_posix()
        return "/".join(path.parts[-3:])  # a plugin's template: package/templates/name

    def _search(self, path: Path, words: list[str]) -> int | None:
        """Prefer a line that is the whole text, then one that starts with its opening
        words, then any line with three of its words in a row; forward from the last hit."""
        lines = self._lines(path)
        if not words or not lines:
            return None
        full = " ".join(words)
        start = self.last.get(path, 0)
        order = [*range(start, len(lines)), *range(0, start)]
        prefixes = [" ".join(words[:n]) for n in (8, 5, 3, 2, 1) if len(words) >= n]
        windows = [" ".join(words[i:i + 3]) for i in range(0, max(0, len(words) - 2))]
        tests = [lambda line, nxt: line == full]
        tests += [lambda line, nxt, p=p: f"{line} {nxt} ".startswith(p + " ") for p in prefixes
                  if p.count(" ") >= 1 or len(words) == 1]
        tests += [lambda line, nxt, p=p: _starts_in(line, nxt, p) for p in [full, *windows[:40]]]
        for test in tests:
            for i in order:
                if lines[i] and test(lines[i], lines[i + 1] if i + 1 < len(lines) else ""):
                    self.last[path] = i
                    return i + 1
        return None

    def _lines(self, path: Path) -> list[str]:
        if path not in self.lines:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = ""
            self.lines[path] = [_normalize(line) for line in text.splitlines()]
        return self.lines[path]


def _normalize(text: str) -> str:
    return _WORDS.sub(" ", text.lower()).strip()


def _starts_in(line: str, following: str, phrase: str) -> bool:
    """``phrase`` begins on ``line`` (it may run on to the following line)."""
    pos = f" {line} {following} ".find(f" {phrase} ")
    return 0 <= pos <= len(line)
