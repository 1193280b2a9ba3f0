"""The workshop agenda: read ``data/agenda.yaml``, validate it, shape it for templates.

The file is first checked against its JSON schema (``agenda_schema``): unknown keys
and wrong types are errors naming the line, with a did-you-mean. Then what a
Secretariat reviewer would find: slots out of order or overlapping (parallel sessions
share one slot, in different rooms or tracks), an end before its start, a person or
room not defined, an economy under a non-official name.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apecdocs import Finding, Location
from apecdocs.labels import label, text
from apecdocs.loader import locate, plain, validate
from apecdocs.values import Markup, markdown_text

from . import economies
from .agenda_schema import AGENDA_SCHEMA
from .economy_names import economy

SEXES = {"female", "male", "other"}
ROLES = ("chair", "moderator", "speakers", "rapporteur")  # in the order they are printed
# Slots that need no people and are set apart; their kind names them when untitled.
PAUSES = {"registration": "Registration", "break": "Break", "meal": "Lunch",
          "site-visit": "Site visit", "social": "Reception"}


@dataclass
class Agenda:
    event: dict[str, Any]
    speakers: dict[str, dict[str, Any]]
    days: list[dict[str, Any]]
    findings: list[Finding] = field(default_factory=list)
    rooms: dict[str, str] = field(default_factory=dict)

    def sessions(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(day number, session) for every session, parallel ones included."""
        for number, day in enumerate(self.days, 1):
            for slot in day.get("sessions") or []:
                yield number, slot
                for session in slot.get("parallel") or []:
                    yield number, session

    def gender(self) -> dict[str, Any]:
        """Speakers, chairs and moderators who take part, by sex, with the largest share."""
        ids = {sid for _, s in self.sessions() for role in ("chair", "moderator", "speakers")
               for sid in ids_of(s.get(role))}
        people = [self.speakers[i] for i in sorted(ids) if i in self.speakers]
        counts = {sex: sum(1 for p in people if p.get("sex") == sex) for sex in sorted(SEXES)}
        total = len(people)
        shares = {sex: (n / total if total else 0.0) for sex, n in counts.items()}
        return {"total": total, "counts": counts, "shares": shares,
                "largest_share": max(shares.values()) if total else 0.0}

    def roles(self) -> dict[str, list[tuple[str, str]]]:
        """For each speaker id, its (role, session) pairs in programme order; a session
        is named by its title up to a colon ("Session 2")."""
        out: dict[str, list[tuple[str, str]]] = {}
        for _, session in self.sessions():
            for role in ROLES:
                for sid in ids_of(session.get(role)):
                    # "Session 2: Digital skills" is named by its part before the colon
                    short = str(session.get("title", "")).split(":")[0].strip()
                    out.setdefault(sid, []).append((role, short))
        return out


def ids_of(value: Any) -> list[str]:
    """A role's value as a list of ids (one id may be written without a list)."""
    if not value:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


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
    findings += _schema_findings(data, tree, path)
    if findings:  # the checks below rely on the shapes the schema ensures
        return Agenda({}, {}, [], findings)
    rooms = {r["id"]: r["name"] for r in data.get("rooms") or []}
    speakers: dict[str, dict[str, Any]] = {}
    for i, person in enumerate(data.get("speakers") or []):
        if person["id"] in speakers:
            problem(f"speaker id '{person['id']}' is used twice", ("speakers", i, "id"))
        economy = person.get("economy")
        if economy and not economies.lookup(economy):
            suggestion = economies.suggest(economy)
            problem(f"'{economy}' is not an APEC member economy name", ("speakers", i, "economy"),
                    f"Write '{suggestion}'." if suggestion else "Use the official short name.")
        speakers[person["id"]] = person
    days = data["days"]
    for d, day in enumerate(days):
        previous_end: int | None = None
        for s, slot in enumerate(day.get("sessions") or []):
            keys = ("days", d, "sessions", s)
            start, end = slot["start"], slot["end"]
            title = slot.get("title", "")
            if _minutes(end) <= _minutes(start):
                problem(f"session '{title}' ends ({end}) before it starts ({start})",
                        (*keys, "end"))
            if previous_end is not None and _minutes(start) < previous_end:
                problem(f"session '{title}' starts at {start}, before the previous session ends",
                        (*keys, "start"), "Sessions of a day must be in time order without "
                        "overlapping; sessions held at the same time go under one slot's "
                        "parallel: list, each in its own room or track.")
            previous_end = max(previous_end or 0, _minutes(end))
            _check_session(slot, keys, speakers, rooms, problem)
            taken: dict[str, int] = {}
            for p, session in enumerate(slot.get("parallel") or []):
                where = (*keys, "parallel", p)
                _check_session(session, where, speakers, rooms, problem)
                place = session.get("room") or session.get("track")
                if not place:
                    problem(f"parallel session '{session['title']}' has no room or track", where,
                            "Add room: (or track:) so participants know where to go.")
                elif session.get("room") and session["room"] in taken:
                    problem(f"parallel sessions '{slot['parallel'][taken[session['room']]]['title']}'"
                            f" and '{session['title']}' are both in room '{session['room']}'",
                            (*where, "room"), "Parallel sessions need different rooms.")
                if session.get("room"):
                    taken.setdefault(session["room"], p)
    return Agenda(data.get("event") or {}, speakers, days, findings, rooms)


def _schema_findings(data: dict[str, Any], tree: Any, path: Path) -> list[Finding]:
    findings = validate(data, AGENDA_SCHEMA, tree, path)
    for finding in findings:
        finding.code = "agenda"
    return findings


def _check_session(session: dict[str, Any], keys: tuple, speakers: dict[str, Any],
                   rooms: dict[str, str], problem: Any) -> None:
    kind = session.get("kind", "session")
    if not session.get("title") and kind not in PAUSES:
        problem("a session needs a title (only breaks, meals, registration, site visits and "
                "receptions are named after their kind)", keys, "Add title: or kind:.")
    for role in ROLES:
        value = session.get(role)
        for k, sid in enumerate(ids_of(value)):
            if sid not in speakers:
                where = (*keys, role, k) if isinstance(value, list) else (*keys, role)
                noun = "speaker" if role == "speakers" else role
                problem(f"{noun} '{sid}' is not defined under speakers:", where,
                        _did_you_mean(sid, speakers, "Add the person to speakers: first."))
    room = session.get("room")
    if room and rooms and room not in rooms:
        problem(f"room '{room}' is not defined under rooms:", (*keys, "room"),
                _did_you_mean(room, rooms, f"Rooms: {', '.join(rooms)}."))


def _did_you_mean(name: str, known: dict[str, Any], otherwise: str) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"Did you mean '{close[0]}'?" if close else otherwise


def people(agenda: Agenda, ids: list[str] | str, lang: str = "en") -> str:
    """'Ms A (Chile); Mr B (Japan)' for a session's speakers, the economies in ``lang``."""
    out = []
    for sid in ids_of(ids):
        person = agenda.speakers.get(sid, {"name": sid})
        home = economy(person["economy"], lang) if person.get("economy") else None
        where = ", ".join(x for x in (person.get("organisation"), home) if x)
        out.append(f"{person['name']} ({where})" if where else person["name"])
    return "; ".join(out)


def title(session: dict[str, Any], lang: str) -> str:
    """The session's title, or its kind's name in ``lang`` for an untitled pause."""
    if session.get("title"):
        return str(session["title"])
    return label(PAUSES.get(session.get("kind", ""), "Session"), lang)


def place(agenda: Agenda, session: dict[str, Any], lang: str) -> str:
    """'Room B · Track: Policy' (the room's printed name), or ''."""
    parts = []
    if session.get("room"):
        parts.append(agenda.rooms.get(session["room"], session["room"]))
    for key, word in (("track", "Track"), ("location", "Location")):
        if session.get(key):
            parts.append(text("{label}: {value}", lang, label=label(word, lang),
                              value=session[key]))
    return " · ".join(parts)


def _role(word: str, lang: str) -> str:
    """ "*Chair:* " (the colon inside the emphasis, as the catalogs have it), or
    "*主席*：" where the language's separator carries no space."""
    name = label(word, lang)
    pattern = text("{label}: {value}", lang, label=name, value="")
    if pattern.endswith(" "):
        return f"*{pattern.strip()}* "
    return text("{label}: {value}", lang, label=f"*{name}*", value="")


def cast(agenda: Agenda, session: dict[str, Any], lang: str) -> Markup:
    """The people cell of a session, as Markdown: "*Chair:* A; B; C" (chair, then the
    speakers), with the moderator and rapporteur named when there are any. The role
    words are markup; the names from the data are escaped as text."""
    def names(ids: list[str] | str) -> str:
        return markdown_text(people(agenda, ids, lang))

    parts = []
    for role, word in (("chair", "Chair"), ("moderator", "Moderator")):
        if session.get(role):
            parts.append(_role(word, lang) + names(session[role]))
    if session.get("speakers"):
        parts.append(names(session["speakers"]))
    if session.get("rapporteur"):
        parts.append(_role("Rapporteur", lang) + names(session["rapporteur"]))
    return Markup("; ".join(parts))


def speaker_rows(agenda: Agenda, lang: str) -> list[dict[str, Any]]:
    """One row per person with a role, in order of first appearance: name, position,
    economy, and each role with its session ("Chair, Session 2")."""
    names = {"chair": "Chair", "moderator": "Moderator", "speakers": "Speaker",
             "rapporteur": "Rapporteur"}
    rows = []
    for sid, roles in agenda.roles().items():
        person = agenda.speakers.get(sid)
        if person is None:
            continue
        position = ", ".join(x for x in (person.get("title"), person.get("organisation")) if x)
        rows.append({"id": sid, "name": person["name"], "position": position,
                     "economy": economy(person["economy"], lang) if person.get("economy") else "",
                     "roles": [f"{label(names[role], lang)}, {session}" if session else
                               label(names[role], lang) for role, session in roles]})
    return rows
