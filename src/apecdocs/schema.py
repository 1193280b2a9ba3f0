"""The JSON schema of ``apecdocs.yaml``: the core part here, plugins add their keys.

The same schema validates the file when a project loads and is printed by
``apecdocs schema`` for editors, so the two cannot disagree.
"""

from __future__ import annotations

from typing import Any

import pluggy

from .model import FORMATS

DOCUMENT_ID = r"^[a-z0-9][a-z0-9_-]*$"
LANG = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$"

_string_list = {"type": "array", "items": {"type": "string"}}

PROJECT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "What the project is: the header fields of the APEC project database.",
    "required": ["number", "title"],
    "additionalProperties": False,
    "properties": {
        "number": {"type": "string", "description": "Project number, e.g. ECSG 02 2018."},
        "title": {"type": "string"},
        "short_title": {"type": "string", "description": "Runs in the DOCX page header when a "
                                                         "document's title is too long for it."},
        "forum": {"type": "string", "description": "Sponsoring forum."},
        "forum_short": {"type": "string", "description": "Its abbreviation, e.g. ECSG. "
                        "Not printed by apecdocs; templates see it as project.forum_short."},
        "committee": {"type": "string"},
        "year": {"type": "integer", "description": "The approval year. Not printed by apecdocs; templates "
                                                   "see it as project.year."},
        "session": {"type": "string", "description": "Not printed by apecdocs; templates see it as "
                                                     "project.session."},
        "project_type": {"type": "string", "description": "Not printed by apecdocs; templates see it as "
                                                          "project.project_type."},
        "status": {"type": "string", "description": "Not printed by apecdocs; templates see it as "
                                                    "project.status."},
        "fund_account": {"type": "string"},
        "topics": {**_string_list, "description": "Not printed by apecdocs; templates see it as "
                                                  "project.topics."},
        "proposing_economies": _string_list,
        "co_sponsoring_economies": _string_list,
        "start": {"type": "string", "format": "date"},
        "end": {"type": "string", "format": "date"},
        "language": {"type": "string", "pattern": LANG, "description": "The language the "
                     "sources are written in, when languages: is not given."},
        "overseer": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                **{k: {"type": "string", "description": "In the completion report's project "
                       "table."} for k in ("name", "title", "organisation")},
                **{k: {"type": "string", "description": "Not printed by apecdocs; templates "
                       f"see it as project.overseer.{k}."} for k in ("address", "email", "phone")},
            },
        },
        "funding": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "apec": {"type": "number", "minimum": 0},
                "co_funding": {"type": "number", "minimum": 0},
                "currency": {"type": "string"},
            },
        },
        "extra": {"type": "object", "description": "Anything else templates should see. "
                  "Not printed by apecdocs; templates see it as project.extra."},
    },
}

DOCUMENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id", "type"],
    "additionalProperties": False,
    "properties": {
        "id": {
            "type": "string",
            "pattern": DOCUMENT_ID,
            "description": "Lower-case letters, digits, '-' and '_'; names the output files.",
        },
        "type": {"type": "string", "description": "A document type a plugin provides."},
        "title": {"type": "string"},
        "sources": {
            "description": "Markdown files in order, relative to the project; globs allowed.",
            "anyOf": [{"type": "string"}, _string_list],
        },
        "formats": {"type": "array", "items": {"enum": list(FORMATS)}},
        "languages": {"type": "array", "items": {"type": "string", "pattern": LANG}},
        "toc": {"type": "boolean", "description": "Include a table of contents."},
        "toc_depth": {"type": "integer", "minimum": 1, "maximum": 6},
        "lof": {"type": "boolean", "description": "Include a list of figures."},
        "lot": {"type": "boolean", "description": "Include a list of tables."},
        "number_sections": {"type": "boolean"},
        "sections": {"type": "boolean", "description": "DOCX: cover and front matter in their "
                     "own sections (no number, then roman), the body in arabic from 1."},
        "running_header": {"type": "boolean", "description": "DOCX: the short title in the "
                           "header of body pages."},
        "short_title": {"type": "string", "description": "Running header text (default: the "
                        "project's short_title, else the title)."},
        "meta": {"type": "object", "description": "Fields the document type asks for."},
    },
}

CORE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "apecdocs project file (apecdocs.yaml)",
    "type": "object",
    "required": ["project", "documents"],
    "additionalProperties": False,
    "properties": {
        "project": PROJECT_SCHEMA,
        "documents": {"type": "array", "minItems": 1, "items": DOCUMENT_SCHEMA},
        "languages": {
            "type": "array",
            "items": {"type": "string", "pattern": LANG},
            "description": "Languages every document is built in; the first is the source.",
        },
        "formats": {"type": "array", "items": {"enum": list(FORMATS)}},
        "output": {"type": "string", "description": "Output folder, default _build."},
        "data": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": "Data files templates see as data.<name>.",
        },
        "styles": {"type": "string", "description": "Folder of style overrides."},
    },
}


def project_schema(pm: pluggy.PluginManager) -> dict[str, Any]:
    """The whole schema: core keys plus those plugins declare, with document types."""
    schema = {**CORE_SCHEMA, "properties": dict(CORE_SCHEMA["properties"])}
    for keys in pm.hook.config_schema():
        for key, sub in (keys or {}).items():
            schema["properties"][key] = sub
    doc_types = {t.name: t for ts in pm.hook.document_types() for t in (ts or [])}
    types = sorted(doc_types)
    type_schema = {
        "enum": types, "description": "A document type a plugin provides.",
        "enumDescriptions": [doc_types[t].description for t in types],  # shown by editors
    }
    doc = schema["properties"]["documents"]["items"]
    doc = {**doc, "properties": {**doc["properties"], "type": type_schema},
           "allOf": [_meta_rule(doc_types[t]) for t in types]}
    schema["properties"]["documents"] = {**schema["properties"]["documents"], "items": doc}
    return schema


def data_schemas(pm: pluggy.PluginManager) -> dict[str, dict[str, Any]]:
    """The JSON schemas of the other files plugins read (``file_schemas``), by kind
    (``agenda``, ``chart``, ``questionnaire``), for the data-formats reference."""
    out: dict[str, dict[str, Any]] = {}
    for schemas in pm.hook.file_schemas():
        out.update(schemas or {})
    return dict(sorted(out.items()))


def _meta_rule(doc_type: Any) -> dict[str, Any]:
    """``meta`` checked against its type's schema, in the schema editors see too."""
    then: dict[str, Any] = {"properties": {"meta": doc_type.schema}}
    if doc_type.schema.get("required"):
        then["required"] = ["meta"]
    return {"if": {"properties": {"type": {"const": doc_type.name}}, "required": ["type"]},
            "then": then}
