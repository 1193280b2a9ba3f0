"""Bibliography files read into CSL-JSON items, each remembered with its file and line.

CSL-JSON is read as it is. BibTeX and CSL-YAML go through pandoc's own readers
(``pandoc -f bibtex -t csljson``; YAML as a metadata block), never citeproc-py's BibTeX
parser, which drops ``institution``, ``url`` and ``urldate`` and mistakes ``@misc``.
Conversions are cached by content hash under ``.apecdocs/citations``; parsed files are
kept in memory by content hash, so a rebuild reads nothing twice.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from apecdocs import ApecdocsError
from apecdocs import pandoc as pandoc_bridge
from apecdocs.store import Store
from apecdocs.store import key as store_key

READERS = {".json": "csljson", ".bib": "bibtex", ".bibtex": "bibtex", ".yaml": "yaml",
           ".yml": "yaml"}
KEY_LINES = {
    "csljson": re.compile(r'"id"\s*:\s*"((?:[^"\\]|\\.)*)"'),
    "bibtex": re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]\s*([^,\s]+)\s*,"),
    "yaml": re.compile(r"""^\s*(?:-\s+)?id\s*:\s*["']?([^"'#\s]+)"""),
}

_parsed: dict[str, list[dict[str, Any]]] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Entry:
    """One bibliography item and the file it is written in."""

    item: dict[str, Any]
    file: Path

    @property
    def line(self) -> int | None:
        """Where the entry's key is defined (read from the file only when asked: errors)."""
        found = key_lines(self.file).get(str(self.item["id"]))
        return found[0] if found else None


@dataclass
class Bibliography:
    """Every entry of a document's bibliography files, by citation key."""

    entries: dict[str, Entry]
    files: tuple[Path, ...]

    def __contains__(self, key: str) -> bool:
        return key in self.entries

    def item(self, key: str) -> dict[str, Any]:
        return self.entries[key].item


def load(files: tuple[Path, ...], cache_dir: Path) -> Bibliography:
    """All entries of ``files``; a key defined twice is an error naming both places."""
    entries: dict[str, Entry] = {}
    for path in files:
        for item in parse(path, path.read_bytes(), cache_dir):
            key = str(item["id"])
            if key in entries:
                first = entries[key]
                where = f"{first.file.name} line {first.line}" if first.line else first.file.name
                occurrence = 1 if first.file == path else 0  # this one, in this file
                found = key_lines(path).get(key, [])
                line = found[occurrence] if len(found) > occurrence else None
                raise ApecdocsError(
                    f"citation key '{key}' is defined twice (first in {where})", file=path,
                    line=line, hint="Give each entry its own key, or delete the duplicate.")
            entries[key] = Entry(item, path)
    return Bibliography(entries, files)


def parse(path: Path, data: bytes, cache_dir: Path) -> list[dict[str, Any]]:
    """The CSL-JSON items of one file (shared, do not modify)."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ApecdocsError(f"unknown bibliography format '{path.suffix}'", file=path,
                            hint="Use CSL-JSON (.json), BibTeX (.bib) or CSL-YAML (.yaml).")
    digest = hashlib.sha256(data).hexdigest()
    with _lock:
        if digest in _parsed:
            return _parsed[digest]
    items = _read_json(path, data) if reader == "csljson" else _convert(path, data, reader, digest, cache_dir)
    _check_items(path, data, items)
    with _lock:
        _parsed[digest] = items
    return items


def _read_json(path: Path, data: bytes) -> Any:
    try:  # a fifth of json's time on 600 items; from the bytes, not a decoded copy
        items = orjson.loads(data[len(_BOM):] if data.startswith(_BOM) else data)
    except orjson.JSONDecodeError:  # json names the line and column (or reads NaN)
        items = _read_json_slowly(path, data)
    if isinstance(items, dict) and isinstance(items.get("items"), list):
        items = items["items"]
    return items


_BOM = b"\xef\xbb\xbf"


def _read_json_slowly(path: Path, data: bytes) -> Any:
    """Text orjson refused, read by json: its error names the line and column."""
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ApecdocsError(f"not UTF-8 text ({exc.reason})", file=path,
                            hint="Save the bibliography as UTF-8.") from None
    except json.JSONDecodeError as exc:
        raise ApecdocsError(f"invalid JSON: {exc.msg}", file=path, line=exc.lineno,
                            column=exc.colno, hint="A CSL-JSON bibliography is a list of "
                            "items such as Zotero exports.") from None


def _convert(path: Path, data: bytes, reader: str, digest: str, cache_dir: Path) -> Any:
    """BibTeX or YAML to CSL-JSON with pandoc, once per content."""
    store = Store(cache_dir / "citations" / "converted")  # checksummed: never trusted damaged
    key = store_key(f"bibliography {_CONVERSION}", reader, digest)
    cached = store.get(key)
    if cached is not None:
        return json.loads(cached)
    if reader == "yaml":
        text = data.decode("utf-8-sig", "replace")
        if not re.search(r"^references\s*:", text, re.M):
            text = "references:\n" + "\n".join("  " + line for line in text.splitlines())
        source, fmt = f"---\n{text}\n...\n".encode(), "markdown"
    else:
        source, fmt = data, "bibtex"
    try:
        out, _ = pandoc_bridge.run(["-f", fmt, "-t", "csljson"], source)
    except ApecdocsError as exc:
        raise ApecdocsError(f"could not read the bibliography: {exc.message}", file=path,
                            hint="Check the file's syntax.") from None
    items = json.loads(out)
    if reader == "bibtex":
        items = [_unbraced(item) for item in items]
    if reader == "yaml" and not items and data.strip():
        raise ApecdocsError("no references found in the YAML bibliography", file=path,
                            hint="Write a list under 'references:', each with an 'id'.")
    store.put(key, json.dumps(items, ensure_ascii=False).encode("utf-8"))
    return items


_CONVERSION = 2  # bumped when what is made of pandoc's output changes
_BRACED = re.compile(r"\{([^{}]*)\}")


def _unbraced(value: Any) -> Any:
    """BibTeX's protective braces, which pandoc leaves in some fields ("{ADB} Briefs"), as
    CSL-JSON's nocase spans: the text keeps its case and the braces are not printed."""
    if isinstance(value, str):
        if "{" not in value:
            return value
        value = _BRACED.sub(r'<span class="nocase">\1</span>', value)
        return value.replace("{", "").replace("}", "")  # nested: the inner braces decide
    if isinstance(value, list):
        return [_unbraced(v) for v in value]
    if isinstance(value, dict):
        return {k: _unbraced(v) for k, v in value.items()}
    return value


def _check_items(path: Path, data: bytes, items: Any) -> None:
    if not isinstance(items, list):
        raise ApecdocsError("a bibliography must be a list of entries", file=path, line=1)
    for n, item in enumerate(items):
        if not isinstance(item, dict) or not str(item.get("id", "")).strip():
            raise ApecdocsError(f"entry {n + 1} has no 'id' (its citation key)", file=path,
                                hint="Every entry needs a key to cite it by.")


def key_lines(path: Path) -> dict[str, list[int]]:
    """Line numbers of each key's definitions, found in the text of the file."""
    pattern = KEY_LINES[READERS[path.suffix.lower()]]
    lines: dict[str, list[int]] = {}
    try:
        text = path.read_bytes().decode("utf-8", "replace")
    except OSError:
        return lines
    for number, line in enumerate(text.splitlines(), 1):
        for match in pattern.finditer(line):
            key = match.group(1)
            if READERS[path.suffix.lower()] == "csljson":
                key = json.loads(f'"{key}"')
            lines.setdefault(key, []).append(number)
    return lines
