"""CSV data files read strictly: every row has the header's number of fields, quotes
balance, the text is UTF-8; each problem names the file and the line.

A spreadsheet export that lost a comma or gained a stray quote must not shift values
into the wrong columns or merge rows silently (a reported percentage would change and
nobody would know why).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .errors import ApecdocsError

MAX_CELL = 1 << 20  # characters; a longer "cell" is almost always a quote never closed
csv.field_size_limit(max(csv.field_size_limit(), MAX_CELL))  # the default is 128 KiB


def decode(path: Path) -> str:
    """The file's text; a byte that is not UTF-8 is reported with its line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ApecdocsError(f"cannot read the data file: {exc.strerror}", file=path,
                            hint="Check the path under 'data:' in apecdocs.yaml.") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ApecdocsError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} cannot be read)", file=path,
            line=line, hint="Save the file as UTF-8 (in a spreadsheet: 'CSV UTF-8').") from None


def read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """``(header, [(line, cells), ...])`` with blank lines skipped; raises on the first
    row whose field count differs from the header's, or on a quote never closed."""
    text = decode(path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    header: list[str] = []
    start = 1
    try:
        for cells in reader:
            line, end, start = start, reader.line_num, reader.line_num + 1
            if not header:
                if any(c.strip() for c in cells):
                    header = cells
                continue
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                _wrong_count(path, line, end, cells, header)
            rows.append((line, cells))
    except csv.Error as exc:
        raise ApecdocsError(f"not valid CSV: {exc}", file=path, line=start,
                            hint=_QUOTE_HINT) from None
    return header, rows


_QUOTE_HINT = ("A value holding a comma or a line break must be in double quotes, and a quote "
               "inside it doubled (\"\"); check for a quote that is opened but never closed.")


def _wrong_count(path: Path, line: int, end: int, cells: list[str], header: list[str]) -> None:
    if end > line:  # one record over several lines: a quote opened and closed far below
        raise ApecdocsError(
            f"a quoted value opened on line {line} runs on to line {end}, merging rows "
            f"({len(cells)} values for {len(header)} columns)", file=path, line=line,
            hint=_QUOTE_HINT)
    few = len(cells) < len(header)
    raise ApecdocsError(
        f"{len(cells)} values but {len(header)} columns ({', '.join(header)})", file=path,
        line=line,
        hint="Add the missing values (an empty one is written ,,)." if few else
        "Quote values that contain commas, or remove the extra ones.")


def read_dicts(path: Path) -> list[dict[str, str]]:
    """Rows as ``{header: value}``, checked by ``read_rows``."""
    header, rows = read_rows(path)
    return [dict(zip(header, cells, strict=True)) for _, cells in rows]
