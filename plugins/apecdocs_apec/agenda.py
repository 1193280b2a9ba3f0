"""The workshop agenda: read ``data/agenda.yaml``, validate it, shape it for templates.

Validation finds what a Secretariat reviewer would: sessions out of order or
overlapping, an end before its start, a speaker or chair not in ``speakers:``, an
economy under a non-official name. Each problem names the file and line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apecdocs import Finding, Location
from apecdocs.loader import locate, plain

from . import economies

TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
SEXES = {"female", "male", "other"}


@dataclass
class Agenda:
    event: dict[str, Any]
    speakers: dict[str, dict[str, Any]]
    days: list[dict[str, Any]]
    findings: list[Finding] = field(default_factory=list)

    def gender(self) -> dict[str, Any]:
        """Speakers and chairs who take part, by sex, with the largest share."""
        ids = {sid for day in self.days for s in day["sessions"]
               for sid in [*s.get("speakers", []), *([s["chair"]] if s.get("chair") else [])]}
        people = [self.speakers[i] for i in sorted(ids) if i in self.speakers]
        counts = {sex: sum(1 for p in people if p.get("sex") == sex) for sex in sorted(SEXES)}
        total = len(people)
        shares = {sex: (n / total if total else 0.0) for sex, n in counts.items()}
        return {"total": total, "counts": counts, "shares": shares,
                "largest_share": max(shares.values()) if total else 0.0}


def _minutes(value: str) -> int:
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


def load(path: Path, tree: Any) -> Agenda:
    """Validate the agenda ``tree`` (ruamel nodes, for lines) read from ``path``."""
    base = Location(path, 1)
    findings: list[Finding] = []

    def problem(message: str, keys: tuple, hint: str | None = None) -> None:
        findings.append(Finding(message, locate(tree, keys, base), "error", hint, "agenda"))

    data = plain(tree) or {}
    if not isinstance(data, dict):
        problem("the agenda must be a mapping with event:, speakers: and days:", ())
        return Agenda({}, {}, [], findings)
    speakers: dict[str, dict[str, Any]] = {}
    for i, person in enumerate(data.get("speakers") or []):
        if not isinstance(person, dict) or not person.get("id") or not person.get("name"):
            problem("each speaker needs an id and a name", ("speakers", i))
            continue
        if person["id"] in speakers:
            problem(f"speaker id '{person['id']}' is used twice", ("speakers", i, "id"))
        economy = person.get("economy")
        if economy and not economies.lookup(economy):
            suggestion = economies.suggest(economy)
            problem(f"'{economy}' is not an APEC member economy name", ("speakers", i, "economy"),
                    f"Write '{suggestion}'." if suggestion else "Use the official short name.")
        if person.get("sex") not in SEXES:
            problem(f"speaker '{person['id']}' has sex '{person.get('sex')}'",
                    ("speakers", i, "sex"), f"Use one of: {', '.join(sorted(SEXES))}.")
        speakers[person["id"]] = person
    days = data.get("days") or []
    if not days:
        problem("the agenda has no days", ())
    for d, day in enumerate(days):
        previous_end: int | None = None
        if not isinstance(day.get("date"), dt.date):
            problem("each day needs a date (YYYY-MM-DD)", ("days", d, "date"))
        for s, session in enumerate(day.get("sessions") or []):
            keys = ("days", d, "sessions", s)
            start, end = str(session.get("start", "")), str(session.get("end", ""))
            if not TIME.match(start) or not TIME.match(end):
                problem(f"session times must be HH:MM (24-hour), got '{start}'–'{end}'",
                        (*keys, "start"), "Quote times in YAML: start: \"09:00\".")
                continue
            if _minutes(end) <= _minutes(start):
                problem(f"session '{session.get('title', '')}' ends ({end}) before it starts "
                        f"({start})", (*keys, "end"))
            if previous_end is not None and _minutes(start) < previous_end:
                problem(f"session '{session.get('title', '')}' starts at {start}, before the "
                        "previous session ends", (*keys, "start"),
                        "Sessions of a day must be in time order without overlapping.")
            previous_end = max(previous_end or 0, _minutes(end))
            for k, sid in enumerate(session.get("speakers") or []):
                if sid not in speakers:
                    problem(f"speaker '{sid}' is not defined under speakers:",
                            (*keys, "speakers", k), _did_you_mean(sid, speakers))
            chair = session.get("chair")
            if chair and chair not in speakers:
                problem(f"chair '{chair}' is not defined under speakers:", (*keys, "chair"),
                        _did_you_mean(chair, speakers))
    return Agenda(data.get("event") or {}, speakers, days, findings)


def _did_you_mean(name: str, known: dict[str, Any]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1)
    return f"Did you mean '{close[0]}'?" if close else "Add the person to speakers: first."


def people(agenda: Agenda, ids: list[str]) -> str:
    """'Ms A (Chile); Mr B (Japan)' for a session's speakers."""
    out = []
    for sid in ids:
        person = agenda.speakers.get(sid, {"name": sid})
        where = ", ".join(x for x in (person.get("organisation"), person.get("economy")) if x)
        out.append(f"{person['name']} ({where})" if where else person["name"])
    return "; ".join(out)
