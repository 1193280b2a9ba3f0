"""Will every character of a PDF find a glyph? Checked before Typst lays it out.

Typst takes a glyph a font lacks from any other font it knows, and prints a box when
none has it. We read the character maps of the same fonts (those named under
``fonts:`` in ``apecdocs.yaml``, the DejaVu family that matplotlib ships, the script
fonts of the ``cjk`` and ``thai`` extras, and the system's) and name the characters
none of them covers, so Chinese text on a machine with no CJK font is a warning
rather than a page of boxes. Character maps are cached
per font file in the project's cache folder.
"""

from __future__ import annotations

import json
import threading
import unicodedata
from pathlib import Path
from typing import Any

from apecdocs import ApecdocsError

FONT_SUFFIXES = {".ttf", ".otf", ".ttc", ".otc"}
_lock = threading.Lock()
_charmaps: dict[tuple[str, int, int], frozenset[int]] = {}


def project_fonts(project: Any) -> list[Path]:
    """Font files and folders named under ``fonts:``, checked to exist in the project."""
    out = []
    for i, name in enumerate(project.config.get("fonts") or []):
        path = project.resolve(name, "fonts", i)
        if not path.exists():
            where = project.locate("fonts", i)
            raise ApecdocsError(f"font '{name}' not found", file=where.file, line=where.line,
                                hint="Give a font file (.ttf, .otf, .ttc) or a folder of them, "
                                "relative to the project folder.")
        out.append(path)
    return out


def font_files(paths: list[Path]) -> list[Path]:
    """The font files in ``paths``, without "last resort" fonts: their glyph for any
    character is a box naming its Unicode block, which is what we warn about."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix.lower() in FONT_SUFFIXES)
        elif path.suffix.lower() in FONT_SUFFIXES:
            files.append(path)
    return [f for f in files if "lastresort" not in f.name.lower()]


def available_fonts(project: Any) -> list[Path]:
    """Every font the PDF engine may use, the project's and the bundled ones first."""
    from matplotlib import font_manager

    from apecdocs.builtin import font_dirs

    from .script_fonts import installed_folders

    # DejaVu before the large CJK fonts: most documents need nothing else, and the
    # check stops reading character maps once every character is covered
    bundled = font_files([*project_fonts(project), *font_dirs(), *installed_folders()])
    system = font_files([Path(p) for p in sorted(font_manager.findSystemFonts())])
    return list(dict.fromkeys([*bundled, *system]))


def missing_characters(text: str, fonts: list[Path], cache_file: Path | None = None) -> list[str]:
    """The characters of ``text`` that no font in ``fonts`` has a glyph for."""
    needed = {ord(ch) for ch in set(text) if _printable(ch)}
    if not needed:
        return []
    stored: dict[str, Any] | None = None  # the disk cache, read only when needed
    changed = False
    for path in fonts:
        covered = _known(path)
        if covered is None:
            stored = _load(cache_file) if stored is None else stored
            covered, fresh = _charmap(path, stored)
            changed |= fresh
        needed -= covered
        if not needed:
            break
    if changed and cache_file is not None and stored is not None:
        _save(cache_file, stored)
    return [chr(c) for c in sorted(needed)]


def describe(chars: list[str], limit: int = 8) -> str:
    shown = ", ".join(f"{ch} (U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')})"
                      for ch in chars[:limit])
    return shown + (f" and {len(chars) - limit} more" if len(chars) > limit else "")


def _printable(ch: str) -> bool:
    return not (ch.isspace() or unicodedata.category(ch).startswith(("C", "Z")))


def _stamp(path: Path) -> tuple[str, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return str(path), stat.st_size, int(stat.st_mtime)


def _known(path: Path) -> frozenset[int] | None:
    """The code points of ``path`` if read before in this process."""
    key = _stamp(path)
    if key is None:
        return frozenset()
    with _lock:
        return _charmaps.get(key)


def _charmap(path: Path, stored: dict[str, Any]) -> tuple[frozenset[int], bool]:
    """The code points of ``path``, from the disk cache or the font; True if read anew."""
    key = _stamp(path)
    if key is None:
        return frozenset(), False
    entry = stored.get(key[0])
    fresh = not (entry and entry[0] == key[1] and entry[1] == key[2])
    if fresh:
        codes = frozenset(_read_cmap(path))
        stored[key[0]] = [key[1], key[2], _ranges(codes)]
    else:
        codes = frozenset(c for start, end in entry[2] for c in range(start, end + 1))
    with _lock:
        _charmaps[key] = codes
    return codes, fresh


def _read_cmap(path: Path) -> set[int]:
    """Code points of every face in a font file (all faces of a collection)."""
    from fontTools.ttLib import TTCollection, TTFont

    codes: set[int] = set()
    try:
        if path.suffix.lower() in (".ttc", ".otc"):
            with TTCollection(str(path), lazy=True) as collection:
                for font in collection.fonts:
                    codes.update(font.getBestCmap() or {})
        else:
            with TTFont(str(path), lazy=True, fontNumber=0) as font:
                codes.update(font.getBestCmap() or {})
    except Exception:  # an unreadable font covers nothing; Typst skips it too
        return set()
    return codes


def _ranges(codes: frozenset[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for code in sorted(codes):
        if out and out[-1][1] == code - 1:
            out[-1][1] = code
        else:
            out.append([code, code])
    return out


def _load(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _save(path: Path, stored: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps(stored), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass


def document_text(ast: dict[str, Any]) -> str:
    """The characters a PDF will set: text, code and the title metadata (not math,
    which Typst sets in its own math font)."""
    parts: list[str] = []

    def visit(value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                visit(item)
        elif isinstance(value, dict):
            if "t" not in value:  # a MetaMap's fields
                visit(list(value.values()))
                return
            t, c = value.get("t"), value.get("c")
            if t in ("Str", "MetaString"):
                parts.append(c)
            elif t in ("Code", "CodeBlock"):
                parts.append(c[1])
            elif t in ("Math", "RawInline", "RawBlock"):
                return
            elif c is not None:
                visit(c)

    visit(ast.get("blocks", []))
    visit(list(ast.get("meta", {}).values()))
    return "".join(parts)
