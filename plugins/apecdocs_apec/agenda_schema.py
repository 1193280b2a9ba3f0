"""The JSON schema of ``agenda.yaml``: what a workshop agenda may say.

The loader validates the file with it (unknown keys are errors with a did-you-mean,
each naming its line), ``apecdocs schema --file agenda`` prints it, and the reference page
of the agenda format is generated from it.
"""

from __future__ import annotations

from typing import Any

TIME = r"^([01]\d|2[0-3]):[0-5]\d$"
KINDS = ["session", "plenary", "registration", "break", "meal", "site-visit", "social", "other"]

_text = {"type": "string"}
_time = {"type": "string", "pattern": TIME,
         "description": "HH:MM, 24-hour, quoted in YAML: \"09:00\"."}
_people = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
           "description": "A speaker id, or a list of them (see speakers:)."}

_SESSION_PROPERTIES: dict[str, Any] = {
    "title": {"type": "string", "description": "e.g. 'Session 2: Digital skills'. A break, "
              "meal, registration or site visit without a title is named after its kind."},
    "kind": {"enum": KINDS, "description": "What the slot is (default session): breaks, meals "
             "and registration are set in italics and need no people; a site visit prints "
             "its location."},
    "description": {"type": "string", "description": "A sentence under the title."},
    "room": {"type": "string", "description": "A room id from rooms: (or a room's name when "
             "there is no rooms: list)."},
    "track": {"type": "string", "description": "The track a parallel session belongs to."},
    "location": {"type": "string", "description": "Where a site visit goes (printed)."},
    "chair": {**_people, "description": "Who chairs the session: speaker id(s)."},
    "moderator": {**_people, "description": "Who moderates a panel: speaker id(s)."},
    "speakers": {"type": "array", "items": _text, "description": "Speaker ids, in order."},
    "rapporteur": {**_people, "description": "Who reports the session back: speaker id(s)."},
}

PARALLEL_SESSION: dict[str, Any] = {
    "type": "object", "additionalProperties": False, "required": ["title"],
    "description": "One of sessions held at the same time; it takes its slot's times.",
    "properties": _SESSION_PROPERTIES,
}

SESSION: dict[str, Any] = {
    "type": "object", "additionalProperties": False, "required": ["start", "end"],
    "description": "One slot of a day: a session, a break, a site visit, or parallel sessions.",
    "properties": {
        "start": _time, "end": _time, **_SESSION_PROPERTIES,
        "parallel": {"type": "array", "minItems": 2, "items": PARALLEL_SESSION,
                     "description": "Sessions held at the same time in different rooms or "
                                    "tracks; listed as sub-rows of this slot."},
    },
}

AGENDA_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "agenda.yaml",
    "type": "object", "additionalProperties": False, "required": ["days"],
    "description": "A workshop's programme: the event, its rooms, the people who take part "
                   "and each day's sessions.",
    "properties": {
        "event": {
            "type": "object", "additionalProperties": False,
            "description": "The event, printed above the programme.",
            "properties": {"title": _text, "venue": _text, "place": _text,
                           "dates": {"type": "string", "description": "e.g. 10–11 September "
                                     "2019"}},
        },
        "rooms": {
            "type": "array", "description": "Rooms of the venue, for parallel sessions.",
            "items": {"type": "object", "additionalProperties": False, "required": ["id", "name"],
                      "properties": {"id": {"type": "string", "description": "Short name "
                                            "sessions use in room:."},
                                     "name": {"type": "string", "description": "As printed."}}},
        },
        "speakers": {
            "type": "array",
            "description": "Everyone with a role: speakers, chairs, moderators, rapporteurs.",
            "items": {
                "type": "object", "additionalProperties": False,
                "required": ["id", "name", "sex"],
                "properties": {
                    "id": {"type": "string", "description": "Short name sessions use."},
                    "name": {"type": "string", "description": "With honorific: 'Ms Ana Santos'."},
                    "title": {"type": "string", "description": "Position, printed in the "
                              "list of speakers."},
                    "organisation": _text,
                    "economy": {"type": "string", "description": "APEC name of the economy."},
                    "sex": {"enum": ["female", "male", "other"], "description": "For the "
                            "gender-balance check; never printed."},
                },
            },
        },
        "days": {
            "type": "array", "minItems": 1,
            "items": {"type": "object", "additionalProperties": False, "required": ["date"],
                      "properties": {
                          "date": {"type": "string", "format": "date",
                                   "description": "YYYY-MM-DD."},
                          "theme": {"type": "string", "description": "After the day's date."},
                          "sessions": {"type": "array", "items": SESSION}}},
        },
    },
}
