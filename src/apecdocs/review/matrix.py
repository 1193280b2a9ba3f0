"""The comment-resolution matrix: one row per comment or change, in document order.

Rows from several reviewers' files are merged; the same change (or comment) from two
reviewers is one row naming both. The matrix is kept in a YAML state file
(``review/<document>.yaml``) and a CSV copy of it for a spreadsheet; responses and
statuses filled in either survive every rerun (where the two disagree, the file saved
last wins), and rows of reviewers not passed this time are kept.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from ..errors import ApecdocsError
from ..labels import label
from ..write import atomic_path
from .docx_read import Item, split_section
from .locate import Location, squeeze

STATUSES = ("open", "accepted", "applied", "partly accepted", "not accepted", "noted")
COLUMNS = ("id", "number", "reviewers", "section", "location", "quoted", "proposal",
           "response", "status")
# Labels (apecdocs.labels): the matrix is written in the language of the copy reviewed.
HEADERS = {"number": "No.", "reviewers": "Reviewer", "section": "Section",
           "location": "File and line", "quoted": "Text",
           "proposal": "Comment or proposed change", "response": "Response", "status": "Status"}
EMPTY = "No comments or changes were received."


@dataclass
class Row:
    kind: str
    items: list[Item]
    location: Location
    reviewers: list[str] = field(default_factory=list)
    response: str = ""
    status: str = "open"
    number: int = 0
    place: list[int] = field(default_factory=list)  # sort key in the document, see _order

    @property
    def id(self) -> str:
        item = self.items[0]
        what = item.comment if self.kind == "comment" else item.inserted
        key = "\0".join([self.kind, self.location.file, squeeze(item.quoted).strip(),
                         squeeze(what).strip(), squeeze(item.before)[-24:]])
        return hashlib.sha256(key.encode()).hexdigest()[:10]

    @property
    def section(self) -> str:
        return self.items[0].section

    @property
    def quoted(self) -> str:
        return " ".join(self.items[0].quoted.split())

    @property
    def proposal(self) -> str:
        item = self.items[0]
        if self.kind == "comment":
            text = item.comment
            for reply in item.replies:
                text += f" [Reply, {reply.author}: {reply.text}]"
            return text
        old, new = " ".join(item.quoted.split()), " ".join(item.inserted.split())
        if item.moved:
            return f"Move “{old}” from here" if old else f"Move text here: “{new}”"
        if old and new:
            return f"Replace “{old}” with “{new}”"
        if old:
            return f"Delete “{old}”"
        return f"Insert “{new}” after “{' '.join(item.before.split()[-5:])}”"

    def record(self) -> dict[str, Any]:
        return {"id": self.id, "number": self.number, "reviewers": list(self.reviewers),
                "section": self.section, "location": str(self.location), "quoted": self.quoted,
                "proposal": self.proposal, "response": self.response, "status": self.status}


def merge(located: list[tuple[Item, Location]]) -> list[Row]:
    """One row per distinct comment or change, in document order, numbered from 1."""
    rows: dict[str, Row] = {}
    for item, location in located:
        row = Row(item.kind, [item], location, [item.author or "(unknown)"])
        if row.id in rows:
            kept = rows[row.id]
            kept.items.append(item)
            if item.author not in kept.reviewers:
                kept.reviewers.append(item.author or "(unknown)")
        else:
            rows[row.id] = row
    for row in rows.values():
        row.place = list(_order(row, rows.values()))
    ordered = sorted(rows.values(), key=lambda r: r.place)
    for number, row in enumerate(ordered, 1):
        row.number = number
    return ordered


def _order(row: Row, rows: Any) -> tuple[int, int, int]:
    """The block's place in the built document; a row found without a marker goes after
    the last marked row of the same file at or before its line."""
    order = row.location.order
    if not order:
        order = max((r.location.order for r in rows if r.location.file == row.location.file
                     and r.location.order and r.location.line <= row.location.line), default=0)
    return order, row.items[0].start, 0 if row.kind == "change" else 1


# -- the state file --------------------------------------------------------------------


def state_paths(root: Path, document: str, state: Path | None, lang: str | None = None,
                source: str | None = None) -> tuple[Path, Path]:
    """The matrix files of one language copy of ``document``: ``review/report.yaml``
    for the copy in the source language ``source``, ``review/report.es.yaml`` for the
    Spanish copy. Each copy has its own reviewers, quoted text and responses, so the
    copies never share (or overwrite) a matrix."""
    own = lang and source and lang != source
    yaml_path = state or root / "review" / (f"{document}.{lang}.yaml" if own else
                                            f"{document}.yaml")
    return yaml_path, yaml_path.with_suffix(".csv")


def load_state(yaml_path: Path, csv_path: Path, lang: str | None = None
               ) -> dict[str, dict[str, Any]]:
    """Rows kept from earlier runs, by id, with the responses filled in since; an
    error when the file is the matrix of another language copy than ``lang``."""
    records: dict[str, dict[str, Any]] = {}
    if yaml_path.is_file():
        try:
            data = YAML(typ="safe").load(yaml_path.read_text(encoding="utf-8")) or {}
        except Exception as exc:
            raise ApecdocsError(f"cannot read the review state: {exc}", file=yaml_path,
                                hint="Fix the YAML, or move the file away to start afresh.") \
                from None
        saved = data.get("lang") if isinstance(data, dict) else None
        if lang and saved and str(saved) != lang:
            raise ApecdocsError(
                f"the review state is the matrix of the '{saved}' copy, not the '{lang}' one",
                file=yaml_path, hint="Leave out --state to use the copy's own matrix "
                f"(review/<document>.{lang}.yaml), or name another file.")
        for record in data.get("items", []) if isinstance(data, dict) else []:
            if isinstance(record, dict) and record.get("id"):
                records[str(record["id"])] = record
    if csv_path.is_file():
        csv_newer = not yaml_path.is_file() or csv_path.stat().st_mtime > yaml_path.stat().st_mtime
        try:
            lines = csv_path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
        except UnicodeDecodeError as exc:
            raise ApecdocsError(f"the matrix CSV is not UTF-8 text ({exc.reason} at byte "
                                f"{exc.start})", file=csv_path,
                                hint="Save it from the spreadsheet as 'CSV UTF-8'.") from None
        for record in csv.DictReader(lines):
            if isinstance(record.get("reviewers"), str):
                record["reviewers"] = [n for n in record["reviewers"].split("; ") if n]
            kept = records.setdefault(record.get("id") or "", dict(record))
            for key, blank in (("response", ""), ("status", "open")):
                ours, theirs = str(kept.get(key) or "").strip(), (record.get(key) or "").strip()
                # Both are written alike: the one that differs from the blank was filled
                # in; filled in both, the file saved last wins.
                if theirs not in ("", blank) and (ours in ("", blank) or csv_newer):
                    kept[key] = theirs
        records.pop("", None)
    return records


def keep_responses(rows: list[Row], records: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """This run's rows with earlier responses and earlier rows not seen this time, all in
    document order (the YAML keeps each row's place; rows saved without one go last), so
    copies added one at a time give the same matrix as all at once."""
    out = []
    seen = set()
    for row in rows:
        old = records.get(row.id, {})
        row.response = str(old.get("response") or row.response or "")
        if old.get("status") and not (row.status == "applied" and old["status"] == "open"):
            row.status = str(old["status"])
        for name in old.get("reviewers") or []:
            if name not in row.reviewers:
                row.reviewers.append(name)
        out.append(row.record() | {"place": row.place})
        seen.add(row.id)
    records_out = out + [r for i, r in records.items() if i not in seen]
    records_out.sort(key=_place)
    for number, record in enumerate(records_out, 1):
        record["number"] = number
    return records_out


def _place(record: dict[str, Any]) -> list[int]:
    place = record.get("place")
    if isinstance(place, list) and all(isinstance(n, int) for n in place):
        return list(place)
    return [2**31]


def save_state(yaml_path: Path, csv_path: Path, document: str, records: list[dict[str, Any]],
               lang: str | None = None) -> None:
    yaml = YAML()
    yaml.width = 100
    buffer = io.StringIO()
    copy = f" ({lang} copy)" if lang else ""
    buffer.write(f"# Comments and changes received on '{document}'{copy} (apecdocs review).\n"
                 "# Fill in 'response' and 'status' here or in the CSV beside it; a rerun "
                 "keeps them.\n")
    head = {"document": document, **({"lang": lang} if lang else {})}
    yaml.dump({**head, "statuses": list(STATUSES), "items": records}, buffer)
    with atomic_path(yaml_path) as tmp:
        tmp.write_text(buffer.getvalue(), encoding="utf-8")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), extrasaction="ignore")
    writer.writeheader()
    for record in records:
        writer.writerow({**record, "reviewers": "; ".join(record.get("reviewers") or [])})
    with atomic_path(csv_path) as tmp:
        tmp.write_text(out.getvalue(), encoding="utf-8")


def read_records(yaml_path: Path) -> list[dict[str, Any]]:
    """The rows of a saved matrix (for ``review_matrix()`` in templates)."""
    return list(load_state(yaml_path, yaml_path.with_suffix(".csv")).values())


# -- the matrix as Markdown ------------------------------------------------------------


def markdown(records: list[dict[str, Any]], lang: str = "en") -> str:
    """The matrix as a pipe table (text escaped: reviewers' words stay words), its
    headers and the statuses apecdocs knows in ``lang``."""
    lines: list[str] = []
    if not records:
        return label(EMPTY, lang) + "\n"
    columns = [c for c in COLUMNS if c != "id"]
    lines.append("| " + " | ".join(escape(label(HEADERS[c], lang)) for c in columns) + " |")
    # Relative widths (pandoc reads them from the dashes): long texts get the room.
    widths = {"number": 7, "reviewers": 13, "section": 13, "location": 16, "quoted": 15,
              "proposal": 20, "response": 16, "status": 11}
    lines.append("|" + "|".join("-" * widths[c] for c in columns) + "|")
    for record in sorted(records, key=lambda r: int(r.get("number") or 0)):
        cells = []
        for c in columns:
            value = record.get(c)
            if c == "reviewers":
                value = "; ".join(value or [])
            if c == "section":
                number, title = split_section(str(value or ""))
                value = f"{number} {title}".strip()
            if c == "status" and value in STATUSES:
                value = label(str(value), lang)
            cells.append(escape(str(value if value is not None else "")))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def escape(text: str) -> str:
    """Plain text as Markdown that reads back as that text, on one line."""
    return re.sub(r"([\\`*_{}\[\]<>()#+\-.!|~^@$\"'&:;=/])", r"\\\1", " ".join(text.split()))
