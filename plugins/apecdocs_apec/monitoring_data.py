"""Monitoring data read and validated: participants and evaluation forms (questionnaire
answers: ``questionnaire_data``).

Rows keep their CSV line numbers (the header is line 1); every problem names the file,
line and column, and all problems are collected before failing, so one run lists them
all. Nothing is dropped: a row that would change a reported number is either read or an
error. The figures computed from these rows are in ``stats``.
"""

from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass, field
from pathlib import Path

from apecdocs.errors import ApecdocsError, Location

from . import economies

SEXES = ("female", "male")
SECTORS = ("government", "business", "academia", "other")
ROLES = ("speaker", "participant", "organiser")
SCALE = (1, 2, 3, 4, 5)
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
STANDARD_ITEMS: dict[str, str] = {
    "objectives": "Objectives clear and met",
    "relevance": "Topics relevant",
    "content": "Content well organised",
    "gender": "Gender issues addressed",
    "experts": "Experts well prepared",
    "materials": "Materials useful",
    "time": "Time sufficient",
}
TEXT_FIELDS: dict[str, str] = {
    "apply": "How participants will apply what they learned",
    "apec_next": "What APEC should do next",
    "suggestions": "Suggestions",
}
PARTICIPANT_COLUMNS = {"required": ("id", "name", "economy", "sex", "sector", "role"),
                       "optional": ("organisation", "days_attended", "apec_funded",
                                    "evaluation_returned")}


def evaluation_columns(items: dict[str, str]) -> dict[str, tuple[str, ...]]:
    return {"required": ("participant", *items, "knowledge_before", "knowledge_after"),
            "optional": ("economy", "sex", *TEXT_FIELDS)}


# -- problems --------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    """One bad value: where it is (file, CSV line, column) and what to do."""

    file: Path
    line: int
    column: str | None
    column_number: int | None
    message: str
    hint: str | None = None

    @property
    def location(self) -> Location:
        return Location(self.file, self.line, self.column_number)

    @property
    def text(self) -> str:
        """The message with the column named (file and row are in ``location``)."""
        return f"column '{self.column}': {self.message}" if self.column else self.message

    def __str__(self) -> str:
        where = f"{self.file.name}, row {self.line}"
        where += f", column '{self.column}'" if self.column else ""
        return f"{where}: {self.message}"


class DataError(ApecdocsError):
    """The monitoring data has problems; ``problems`` lists every one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = problems[0]
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        super().__init__(first.text + more, file=first.file, line=first.line,
                         column=first.column_number, hint=first.hint)


@dataclass
class Row:
    line: int
    values: dict[str, str]


@dataclass
class Table:
    """Rows of one CSV file under canonical column names, and where each column is."""

    path: Path
    rows: list[Row]
    columns: dict[str, tuple[str, int]]  # canonical -> (header in the file, 1-based index)
    problems: list[Problem] = field(default_factory=list)
    rejected: list[list[str]] = field(default_factory=list)  # rows too broken to read

    def problem(self, row: Row | int, column: str | None, message: str,
                hint: str | None = None) -> None:
        line = row.line if isinstance(row, Row) else row
        header, number = self.columns.get(column, (column, None)) if column else (None, None)
        self.problems.append(Problem(self.path, line, header, number, message, hint))


def read_table(path: Path, required: tuple[str, ...], optional: tuple[str, ...] = (),
               mapping: dict[str, str] | None = None) -> Table:
    """Read a CSV file; ``mapping`` gives the file's header for a canonical column name."""
    mapping = mapping or {}
    table = Table(path, [], {})
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise ApecdocsError(f"cannot read data file: {exc.strerror}", file=path,
                            hint="Check the path under 'data:' in apecdocs.yaml.") from None
    with handle:
        reader = csv.reader(handle, strict=True)
        start = 1  # the first line of the record being read
        try:
            header = next(reader, [])
            lookup = {h.strip().lower(): i for i, h in enumerate(header)}
            for name in (*required, *optional):
                wanted = mapping.get(name, name)
                index = lookup.get(wanted.strip().lower())
                if index is not None:
                    table.columns[name] = (header[index], index + 1)
                elif name in required and not header:
                    table.problem(1, None, "the file is empty: it needs a header line",
                                  f"Write the column names on its first line, at least "
                                  f"'{wanted}'.")
                    break
                elif name in required:
                    table.problem(1, None, f"no column '{wanted}' for {name.replace('_', ' ')}",
                                  f"Columns in the file: {', '.join(header)}. Rename the column "
                                  f"or map it: columns: {{{name}: <header>}}.")
            if table.problems:
                return table
            start = reader.line_num + 1
            for cells in reader:
                line, start = start, reader.line_num + 1
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) != len(header) and reader.line_num > line:  # a stray quote
                    table.problem(line, None, f"a quoted value opened on line {line} runs on "
                                  f"to line {reader.line_num}, merging rows",
                                  "Close the quote, or double a quote inside a value (\"\").")
                    table.rejected.append(cells)
                    continue
                if len(cells) != len(header):  # a lost or extra comma shifts every value
                    table.problem(line, None, f"{len(cells)} values but {len(header)} columns",
                                  "Add the missing values (an empty one is written ,,)."
                                  if len(cells) < len(header) else
                                  "Quote values that contain commas.")
                    table.rejected.append(cells)
                    continue
                values = {name: (cells[i - 1].strip() if i - 1 < len(cells) else "")
                          for name, (_h, i) in table.columns.items()}
                table.rows.append(Row(line, values))
        except csv.Error as exc:  # a quote never closed, or text after a closing quote
            raise ApecdocsError(f"not a readable CSV file: {exc}", file=path, line=start,
                                hint="A quote opened on this line is never closed, or text "
                                "follows a closing quote; double a quote inside a value "
                                "(\"\").") from None
        except UnicodeDecodeError as exc:
            raise ApecdocsError(f"not a readable CSV file: {exc}", file=path,
                                line=reader.line_num or None,
                                hint="Save it as UTF-8 CSV with a header row.") from None
    return table


# -- reading and validating -------------------------------------------------------------

def _economy(table: Table, row: Row, column: str = "economy") -> str | None:
    name = row.values[column]
    economy = economies.lookup(name) if name else None
    if economy is None:
        suggestion = economies.suggest(name) if name else None
        table.problem(row, column, f"'{name}' is not an APEC member economy name" if name
                      else "economy is empty",
                      f"Write '{suggestion}'." if suggestion else
                      "Use the official short name, e.g. 'Viet Nam', 'Hong Kong, China'.")
        return None
    return economy.short


def _choice(table: Table, row: Row, column: str, allowed: tuple[str, ...],
            aliases: dict[str, str] | None = None) -> str | None:
    value = row.values[column]
    key = (aliases or {}).get(value, value).strip().lower()
    if key in allowed:
        return key
    close = difflib.get_close_matches(key, allowed, n=1)
    table.problem(row, column, f"'{value}' is not an allowed {column.replace('_', ' ')}",
                  (f"Did you mean '{close[0]}'? " if close else "")
                  + f"Allowed: {', '.join(allowed)}."
                  + (f" Other spellings can be mapped under monitoring: {column}_values: "
                     f"{{{value}: ...}}." if column in ("sex", "sector") else ""))
    return None


def _flag(table: Table, row: Row, column: str) -> bool | None:
    """yes/no; None when the file has no such column (an empty cell is an error)."""
    if column not in row.values:
        return None
    value = row.values[column].lower()
    if value in YES or value in NO:
        return value in YES
    table.problem(row, column, f"'{row.values[column]}' is not yes or no" if value
                  else "empty; it must be yes or no", "Write yes or no.")
    return None


def _score(table: Table, row: Row, column: str) -> int | None:
    """A 1–5 score; an empty cell is an unanswered item (counted as 'no answer')."""
    value = row.values[column]
    if value == "":
        return None
    if value.isdigit() and int(value) in SCALE:
        return int(value)
    table.problem(row, column, f"score '{value}' is outside 1–5",
                  "Scores are whole numbers from 1 to 5; leave the cell empty if unanswered.")
    return None


@dataclass
class Participant:
    id: str
    name: str
    economy: str
    sex: str
    sector: str
    role: str
    organisation: str = ""
    days_attended: int | None = None
    apec_funded: bool | None = None
    evaluation_returned: bool | None = None
    line: int = 0


def read_participants(path: Path, columns: dict[str, str] | None = None,
                      sex_aliases: dict[str, str] | None = None,
                      workshop_days: int | None = None,
                      sector_aliases: dict[str, str] | None = None
                      ) -> tuple[list[Participant], Table]:
    table = read_table(path, PARTICIPANT_COLUMNS["required"], PARTICIPANT_COLUMNS["optional"],
                       columns)
    people: list[Participant] = []
    ids: dict[str, int] = {}
    names: dict[tuple[str, str], int] = {}
    for row in table.rows:
        v = row.values
        pid = v["id"]
        if not pid:
            table.problem(row, "id", "participant id is empty", "Give each participant an id.")
        elif pid in ids:
            table.problem(row, "id", f"duplicate participant: id '{pid}' is also on row "
                          f"{ids[pid]}", "Each participant is listed once.")
        economy = _economy(table, row)
        key = (" ".join(v["name"].lower().split()), economy or "")
        if key in names:
            table.problem(row, "name", f"duplicate participant: '{v['name']}' ({economy}) is "
                          f"also on row {names[key]}", "Each participant is listed once.")
        sex = _choice(table, row, "sex", SEXES, sex_aliases)
        sector = _choice(table, row, "sector", SECTORS, sector_aliases)
        role = _choice(table, row, "role", ROLES)
        days = None
        if "days_attended" in v:
            raw = v["days_attended"]
            days = int(raw) if raw.isdigit() else -1
            if days < 1 or (workshop_days and days > workshop_days):
                table.problem(row, "days_attended", f"'{raw}' is not a number of days from 1 to "
                              f"{workshop_days or 'the workshop length'}")
        funded = _flag(table, row, "apec_funded")
        returned = _flag(table, row, "evaluation_returned")
        names.setdefault(key, row.line)
        if pid and pid not in ids:  # kept even with bad values, so forms still find them
            ids[pid] = row.line
            people.append(Participant(pid, v["name"], economy or "", sex or "", sector or "",
                                      role or "", v.get("organisation", ""), days, funded,
                                      returned, row.line))
    return people, table


@dataclass
class Evaluation:
    participant: Participant
    scores: dict[str, int | None]
    knowledge_before: int | None
    knowledge_after: int | None
    texts: dict[str, str]
    line: int = 0


def read_evaluations(path: Path, participants: list[Participant], participants_table: Table,
                     items: dict[str, str] | None = None, columns: dict[str, str] | None = None,
                     sex_aliases: dict[str, str] | None = None) -> tuple[list[Evaluation], Table]:
    """Evaluation forms, each tied to a participant by id; checks both files agree."""
    items = items or STANDARD_ITEMS
    spec = evaluation_columns(items)
    table = read_table(path, spec["required"], spec["optional"], columns)
    by_id = {p.id: p for p in participants}
    listed = {r.values.get("id") for r in participants_table.rows}  # valid or not
    if "id" in participants_table.columns:  # and rows too broken to read
        at = participants_table.columns["id"][1] - 1
        listed |= {cells[at].strip() for cells in participants_table.rejected if at < len(cells)}
    seen: dict[str, int] = {}
    forms: list[Evaluation] = []
    for row in table.rows:
        v = row.values
        person = by_id.get(v["participant"])
        if person is None and v["participant"] in listed:
            continue  # their participant row is wrong, and reported: not a second problem
        if person is None:
            close = difflib.get_close_matches(v["participant"], list(by_id), n=1)
            table.problem(row, "participant", f"evaluation from '{v['participant']}', who is not "
                          f"on the participant list ({participants_table.path.name})",
                          f"Did you mean '{close[0]}'?" if close else
                          "Add the person to the participant list or correct the id.")
        elif person.id in seen:
            table.problem(row, "participant", f"a second evaluation from '{person.id}' (the "
                          f"first is on row {seen[person.id]})", "Keep one form per participant.")
            person = None
        else:
            seen[person.id] = row.line
        if person is not None and v.get("economy"):
            economy = _economy(table, row)
            if economy and person.economy and economy != person.economy:
                table.problem(row, "economy", f"'{economy}' but participant '{person.id}' is "
                              f"from {person.economy}", "Correct one of the two files.")
        if person is not None and v.get("sex"):
            sex = _choice(table, row, "sex", SEXES, sex_aliases)
            if sex and person.sex and sex != person.sex:
                table.problem(row, "sex", f"'{sex}' but participant '{person.id}' is {person.sex}",
                              "Correct one of the two files.")
        scores = {key: _score(table, row, key) for key in items}
        before = _score(table, row, "knowledge_before")
        after = _score(table, row, "knowledge_after")
        if person is not None:
            texts = {k: v[k] for k in TEXT_FIELDS if v.get(k)}
            forms.append(Evaluation(person, scores, before, after, texts, row.line))
    at = table.columns["participant"][1] - 1 if "participant" in table.columns else 0
    broken = {cells[at].strip() for cells in table.rejected if at < len(cells)}
    # Rows a stray quote swallowed into one value start on lines of their own.
    broken |= {line.split(",")[0].strip() for cells in table.rejected for cell in cells
               for line in cell.splitlines()[1:]}
    for person in participants:
        if person.id in broken:
            continue  # their form is reported as unreadable: not a second problem
        if person.evaluation_returned is True and person.id not in seen:
            participants_table.problem(person.line, "evaluation_returned", f"'{person.id}' "
                                       f"returned a form but none is in {path.name}",
                                       "Add the form or write 'no'.")
        elif person.evaluation_returned is False and person.id in seen:
            participants_table.problem(person.line, "evaluation_returned", f"'{person.id}' "
                                       f"returned no form but {path.name} row {seen[person.id]} "
                                       "is theirs", "Write 'yes' or correct the form's id.")
    return forms, table


def raise_problems(*tables: Table) -> None:
    # Tables come in the order they depend on each other (participants, then the forms
    # that name them): the first problem shown is a cause, not a consequence.
    problems = [p for t in tables for p in sorted(t.problems, key=lambda p: p.line)]
    if problems:
        raise DataError(problems)
