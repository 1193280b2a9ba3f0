"""Translatable segments of a pandoc AST, their catalog keys, and putting translations in.

A segment is one run of inline text: a heading, a paragraph, a list item's or a table
cell's paragraph, a caption, a footnote's paragraph, a definition term, a chart's
caption or axis label. Its key (the catalog's ``msgid``) is the Markdown of its
inlines, so translators see and keep the inline formatting, links and citations.
A footnote inside a segment is a segment of its own; in the key it is a ``[^1]``
placeholder that the translation puts where the note belongs in the sentence.

Walking is deterministic, so extraction and the build find the same segments in the
same order. Both conversions go through pandoc in one batch call per document.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apecdocs import ApecdocsError, labels, pandoc
from apecdocs.loader import plain, read_yaml_text
from apecdocs.pandoc_ast import SOURCE_CLASS, stringify, text_inlines, walk

SKIP_CLASSES = {"notranslate", "references", "csl-bib-body"}
SKIP_IDS = {"refs"}
META_KEYS = ("title", "subtitle", "date", "abstract")
CHART_TEXT_KEYS = ("title", "xlabel", "ylabel")
_PLACEHOLDER = re.compile(r"\[\^(\d+)\]")


@dataclass
class Segment:
    """One translatable run of inlines and where it came from."""

    inlines: list[Any]
    kind: str
    source: str | None = None  # absolute path of the source file, when known
    plain: bool = False  # the target takes plain text only (chart labels)
    setter: Callable[[list[Any]], None] | None = field(default=None, repr=False)

    def text(self) -> str:
        return stringify(self.inlines)

    def replace(self, inlines: list[Any]) -> None:
        if self.setter is not None:
            self.setter(inlines)
        else:
            self.inlines[:] = inlines


def translatable(inlines: list[Any]) -> bool:
    """Text worth translating: some letters, and not just an image."""
    if all(i.get("t") in ("Image", "Space", "SoftBreak", "LineBreak") for i in inlines):
        return False
    return any(ch.isalpha() for ch in stringify(inlines))


# -- finding segments --------------------------------------------------------------


def collect(blocks: list[Any], source: str | None = None, kind: str = "paragraph") -> list[Segment]:
    """The segments of ``blocks`` in document order."""
    out: list[Segment] = []
    _blocks(blocks, out, source, kind)
    return out


def collect_sources(ast: dict[str, Any]) -> list[Segment]:
    """Segments inside the source wrappers: the text the authors wrote."""
    out: list[Segment] = []
    for block in ast["blocks"]:
        if _is_source(block):
            _blocks([block], out, None, "paragraph")
    return out


def collect_generated(ast: dict[str, Any]) -> list[Segment]:
    """Segments plugins generated outside the source wrappers (cover, imprint, banner)
    and the document's title metadata."""
    out = collect_meta(ast)
    for block in ast["blocks"]:
        if not _is_source(block):
            _blocks([block], out, None, "generated")
    return out


def written_by_labels(segment: Segment, lang: str, project: Any) -> bool:
    """A segment apecdocs wrote from its label catalogs ("Purpose: Information", a
    template's ``label("Time")``): already in ``lang``, so no catalog carries it.
    Text from a source file counts only where the file calls ``label("...")`` for it:
    data a template puts in, or an author's heading, may read like a label. A document
    type's own template, shipped with its plugin outside the project, counts whole: the
    tables it places (a completion report's "Women", "Met") are the plugin's words."""
    if segment.kind != "generated" and not segment.source:
        return False
    msgid = labels.generated_by(segment.text(), lang, project)
    if msgid is None:
        return False
    if segment.kind == "generated":
        return True
    if "{value}" in msgid:  # "Chair: <names from the data>": the names are translatable
        return False
    source = Path(segment.source)
    return _shipped(source, project) or f'label("{msgid}"' in _template_text(source)


def _shipped(source: Path, project: Any) -> bool:
    """Whether ``source`` is a document type's template that a plugin ships."""
    types = getattr(project, "document_types", None) or {}
    return any(t.template is not None and Path(t.template) == source for t in types.values())


@functools.lru_cache(maxsize=32)
def _template_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def collect_meta(ast: dict[str, Any]) -> list[Segment]:
    meta = ast.get("meta", {})
    out = []
    for key in META_KEYS:
        value = meta.get(key)
        if not isinstance(value, dict):
            continue
        if value.get("t") == "MetaString":
            meta[key] = value = {"t": "MetaInlines", "c": text_inlines(value["c"])}
        if value.get("t") == "MetaInlines" and translatable(value["c"]):
            out.append(Segment(value["c"], f"metadata: {key}"))
    return out


def _is_source(block: dict[str, Any]) -> bool:
    return block.get("t") == "Div" and SOURCE_CLASS in block["c"][0][1]


def _blocks(blocks: list[Any], out: list[Segment], source: str | None, kind: str) -> None:
    for block in blocks:
        if not isinstance(block, dict):
            continue
        t, c = block.get("t"), block.get("c")
        if t in ("Para", "Plain"):
            _inlines(c, out, source, kind)
        elif t == "Header":
            if not _skipped(c[1]):
                _inlines(c[2], out, source, "heading")
        elif t == "LineBlock":
            for line in c:
                _inlines(line, out, source, kind)
        elif t == "BlockQuote":
            _blocks(c, out, source, kind)
        elif t in ("BulletList", "OrderedList"):
            for item in c if t == "BulletList" else c[1]:
                _blocks(item, out, source, "list item")
        elif t == "DefinitionList":
            for term, definitions in c:
                _inlines(term, out, source, "term")
                for definition in definitions:
                    _blocks(definition, out, source, "definition")
        elif t == "Div":
            if _skipped(c[0]):
                continue
            if SOURCE_CLASS in c[0][1]:
                source = dict(c[0][2]).get("path", source)
            _blocks(c[1], out, source, kind)
        elif t == "Table":
            _table(c, out, source)
        elif t == "Figure":
            _blocks(c[1][1], out, source, "caption")
            _blocks(c[2], out, source, "figure")
        elif t == "CodeBlock" and "chart" in c[0][1]:
            _chart(block, out, source)


def _skipped(attribute: list[Any]) -> bool:
    return attribute[0] in SKIP_IDS or bool(SKIP_CLASSES & set(attribute[1])) or (
        dict(attribute[2]).get("translate") == "no")


def _inlines(inlines: list[Any], out: list[Segment], source: str | None, kind: str) -> None:
    if translatable(inlines):
        out.append(Segment(inlines, kind, source))
    for note in _notes(inlines):
        _blocks(note["c"], out, source, "footnote")


def _outside_notes(inlines: list[Any], kind: str) -> list[dict[str, Any]]:
    """Nodes of type ``kind`` in reading order, not looking inside footnotes (a note's
    own text is a segment of its own)."""
    found: list[dict[str, Any]] = []

    def visit(value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                visit(item)
        elif isinstance(value, dict):
            if value.get("t") == kind:
                found.append(value)
            if value.get("t") != "Note" and "c" in value:
                visit(value["c"])

    visit(inlines)
    return found


def _notes(inlines: list[Any]) -> list[dict[str, Any]]:
    """Footnotes in ``inlines`` in reading order (not those inside other notes)."""
    return _outside_notes(inlines, "Note")


def _table(c: list[Any], out: list[Segment], source: str | None) -> None:
    _blocks(c[1][1], out, source, "caption")
    rows = list(c[3][1])
    for body in c[4]:
        rows += body[2] + body[3]
    rows += c[5][1]
    for row in rows:
        for cell in row[1]:
            _blocks(cell[4], out, source, "table cell")


def _chart(block: dict[str, Any], out: list[Segment], source: str | None) -> None:
    """A chart's caption and the labels drawn on it (the charts plugin draws it later)."""
    attribute = block["c"][0]
    pairs = attribute[2]
    for pair in pairs:
        if pair[0] == "caption" and any(ch.isalpha() for ch in pair[1]):
            out.append(Segment(text_inlines(pair[1]), "chart caption", source, True,
                               lambda new, p=pair: p.__setitem__(1, stringify(new))))
    try:
        spec = plain(read_yaml_text(block["c"][1], None))
    except ApecdocsError:
        return  # the charts plugin reports it
    if not isinstance(spec, dict):
        return

    def setter(holder: dict[str, Any], key: str) -> Callable[[list[Any]], None]:
        def put(new: list[Any]) -> None:
            holder[key] = stringify(new)
            block["c"][1] = json.dumps(spec, ensure_ascii=False, default=str)  # YAML, too
        return put

    places = [(spec, k) for k in CHART_TEXT_KEYS]
    if isinstance(spec.get("labels"), dict):
        places += [(spec["labels"], k) for k in spec["labels"]]
    for holder, key in places:
        value = holder.get(key)
        if isinstance(value, str) and any(ch.isalpha() for ch in value):
            out.append(Segment(text_inlines(value), "chart label", source, True,
                               setter(holder, key)))


# -- keys: segments as Markdown ----------------------------------------------------


def keys(segments: list[Segment], root: Path, api_version: list[int]) -> list[str]:
    """Each segment's catalog key: its inlines as one line of Markdown."""
    if not segments:
        return []
    blocks = [{"t": "Div", "c": [[f"s{i}", [], []], [{"t": "Plain", "c": _keyed(s.inlines, root)}]]}
              for i, s in enumerate(segments)]
    doc = {"pandoc-api-version": api_version, "meta": {}, "blocks": blocks}
    out, _ = pandoc.run(["-f", "json", "-t", "markdown-smart", "--wrap=none"],
                        json.dumps(doc, ensure_ascii=False).encode("utf-8"))
    found = {int(m.group(1)): m.group(2).strip() for m in re.finditer(
        r"^::: \{#s(\d+)\}\n(.*?)\n:::$", out.decode("utf-8"), re.S | re.M)}
    return [found.get(i, segments[i].text()) for i in range(len(segments))]


def _keyed(inlines: list[Any], root: Path) -> list[Any]:
    """A copy with notes as ``[^n]`` placeholders and image paths from the project."""
    count = 0

    def copied(value: Any) -> Any:
        nonlocal count
        if isinstance(value, list):
            return [copied(v) for v in value]
        if not isinstance(value, dict):
            return value
        if value.get("t") == "Note":
            count += 1
            return {"t": "RawInline", "c": ["markdown", f"[^{count}]"]}
        out = {k: copied(v) for k, v in value.items()}
        if out.get("t") == "Image":
            out["c"][2][0] = _relative(out["c"][2][0], root)
        return out

    return copied(inlines)


def _relative(src: str, root: Path) -> str:
    path = Path(src)
    if path.is_absolute() and path.is_relative_to(root):
        return "/" + path.relative_to(root).as_posix()
    return src


# -- translations: Markdown back to inlines ----------------------------------------


def parse_translations(texts: list[str]) -> list[list[Any]]:
    """Each translation (Markdown inline syntax) as pandoc inlines, in one pandoc run."""
    if not texts:
        return []
    source = "".join(f"::: {{#t{i}}}\n{text.strip()}\n:::\n\n" for i, text in enumerate(texts))
    out, _ = pandoc.run(["-f", "markdown", "-t", "json"], source.encode("utf-8"))
    blocks = {b["c"][0][0]: b["c"][1] for b in json.loads(out)["blocks"] if b["t"] == "Div"}
    result = []
    for i, text in enumerate(texts):
        content = blocks.get(f"t{i}", [])
        if len(content) == 1 and content[0]["t"] in ("Para", "Plain"):
            result.append(content[0]["c"])
        elif len(content) == 1 and content[0]["t"] == "Header":
            result.append(content[0]["c"][2])
        else:  # Markdown that makes blocks (a list, a table): keep it as plain words
            result.append(text_inlines(text))
    return result


def apply(segment: Segment, translated: list[Any]) -> None:
    """Put ``translated`` in place of the segment's text, keeping its notes and images."""
    new = copy.deepcopy(translated)
    if segment.plain:
        segment.replace(new)
        return
    notes = _notes(segment.inlines)
    used: set[int] = set()

    def place(node: dict[str, Any]) -> Any:
        if node["t"] != "Str" or "[^" not in node["c"]:
            return None
        parts: list[Any] = []
        last = 0
        for match in _PLACEHOLDER.finditer(node["c"]):
            n = int(match.group(1))
            if not 1 <= n <= len(notes):
                continue
            if match.start() > last:
                parts.append({"t": "Str", "c": node["c"][last:match.start()]})
            parts.append(notes[n - 1])
            used.add(n)
            last = match.end()
        if not parts:
            return None
        if last < len(node["c"]):
            parts.append({"t": "Str", "c": node["c"][last:]})
        return parts

    new = walk(new, place)
    new += [note for n, note in enumerate(notes, 1) if n not in used]  # never lose a note
    originals = _images(segment.inlines)
    for image, original in zip(_images(new), originals, strict=False):
        image["c"][2][0] = original["c"][2][0]
    segment.replace(new)


def _images(inlines: list[Any]) -> list[dict[str, Any]]:
    return _outside_notes(inlines, "Image")
