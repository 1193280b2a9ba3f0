"""The project file reference in Markdown, written from the same schema the loader uses.

``apecdocs schema --markdown`` prints it and the documentation project includes it, so
the reference cannot fall behind the schema: a key a plugin adds appears there too.
"""

from __future__ import annotations

import json
from typing import Any

INTRO = """\
Every key `apecdocs.yaml` accepts, generated from the JSON schema that validates the
file when a project loads (`apecdocs schema` prints that schema for editors). Keys
added by plugins appear here when the plugin is installed; a key not listed here is
an error.
"""


def schema_markdown(schema: dict[str, Any], heading_level: int = 1, title: bool = True) -> str:
    """The schema as headed sections of key tables, one per mapping, with meta per type.

    ``title=False`` leaves out the top heading (for a page that has its own title) and
    puts the sections one level higher.
    """
    h = "#" * (heading_level if title else heading_level - 1)
    out = [f"{h} Project file reference\n", INTRO] if title else [INTRO]
    sections: list[tuple[str, dict[str, Any]]] = [("Top-level keys", schema)]
    _collect(schema, "", sections)
    doc_schema = schema.get("properties", {}).get("documents", {}).get("items", {})
    for rule in doc_schema.get("allOf", []):
        name = rule.get("if", {}).get("properties", {}).get("type", {}).get("const")
        meta = rule.get("then", {}).get("properties", {}).get("meta")
        if name and meta:
            sections.append((f"`meta` of `{name}` documents", meta))
            _collect(meta, f"documents[].meta ({name})", sections, skip_self=True)
    descriptions = dict(zip(doc_schema.get("properties", {}).get("type", {}).get("enum", []),
                            doc_schema.get("properties", {}).get("type", {})
                            .get("enumDescriptions", []), strict=False))
    for title, node in sections:
        out.append(f"{h}# {title}\n")
        if node.get("description") and title != "Top-level keys":
            out.append(_cell(node["description"]) + "\n")
        out.append(_table(node))
        if title == "`documents[]`: each document" and descriptions:
            out.append("Document types installed now:\n")
            out += [f"- `{name}`: {_cell(text) or '(no description)'}"
                    for name, text in descriptions.items()]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def data_markdown(name: str, schema: dict[str, Any], heading_level: int = 1) -> str:
    """The reference of one data format (the data-formats reference page): a table
    per mapping, nested ones after their parents, from the schema the loader uses."""
    h = "#" * heading_level
    out = [f"{h} `{schema.get('title', name)}` reference\n"]
    if schema.get("description"):
        out.append(_cell(schema["description"]) + "\n")
    sections: list[tuple[str, dict[str, Any]]] = [("Top-level keys", schema)]
    _collect(schema, "", sections)
    for title, node in sections:
        out.append(f"{h}# {title}\n")
        if node.get("description") and title != "Top-level keys":
            out.append(_cell(node["description"]) + "\n")
        out.append(_table(node))
    return "\n".join(out).rstrip() + "\n"


def _collect(node: dict[str, Any], path: str, sections: list, skip_self: bool = False) -> None:
    """Every nested mapping with named keys gets its own section, depth first."""
    for key, sub in node.get("properties", {}).items():
        sub = _object_of(sub)
        if sub is None or not sub.get("properties"):
            continue
        name = f"{path}.{key}" if path else key
        if _is_list_of_objects(node["properties"][key]):
            name += "[]"
        title = "`documents[]`: each document" if name == "documents[]" else f"`{name}`"
        sections.append((title, sub))
        _collect(sub, name, sections)


def _object_of(schema: dict[str, Any]) -> dict[str, Any] | None:
    if schema.get("type") == "object":
        return schema
    if _is_list_of_objects(schema):
        return schema["items"]
    return None


def _is_list_of_objects(schema: dict[str, Any]) -> bool:
    items = schema.get("items")
    return schema.get("type") == "array" and isinstance(items, dict) and \
        items.get("type") == "object"


def _table(node: dict[str, Any]) -> str:
    properties = node.get("properties", {})
    if not properties:
        return "Any keys.\n"
    required = set(node.get("required", []))
    rows = ["| Key | Value | Required | Description |", "|---|---|---|---|"]
    for key, sub in properties.items():
        rows.append(f"| `{key}` | {_cell(describe_type(sub))} | {'yes' if key in required else ''}"
                    f" | {_cell(sub.get('description', ''))} |")
    # Long rows make pandoc read the dashes as equal widths; size the columns from content.
    return '::: {widths="auto"}\n' + "\n".join(rows) + "\n:::\n"


def describe_type(schema: dict[str, Any]) -> str:
    """A schema's value in a few words: ``list of text``, ``one of: a, b``."""
    if "enum" in schema:
        return "one of: " + ", ".join(f"`{v}`" for v in schema["enum"])
    if "const" in schema:
        return f"`{json.dumps(schema['const'])}`"
    for combinator in ("anyOf", "oneOf"):
        if combinator in schema:
            return " or ".join(describe_type(s) for s in schema[combinator])
    kind = schema.get("type")
    if isinstance(kind, list):
        return " or ".join(describe_type({**schema, "type": k}) for k in kind)
    words = {"string": "text", "integer": "whole number", "number": "number",
             "boolean": "true/false", "null": "nothing"}
    if kind == "array":
        items = schema.get("items")
        return f"list of {describe_type(items)}" if isinstance(items, dict) else "list"
    if kind == "object":
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and not schema.get("properties"):
            return f"mapping of name to {describe_type(extra)}"
        return "mapping"
    text = words.get(kind, "any value") if kind else "any value"
    if schema.get("format") == "date":
        text = "date (YYYY-MM-DD)"
    if "pattern" in schema:
        text += f" matching `{schema['pattern']}`"
    bounds = [f"≥ {schema['minimum']}" if "minimum" in schema else "",
              f"≤ {schema['maximum']}" if "maximum" in schema else ""]
    if any(bounds):
        text += " (" + ", ".join(b for b in bounds if b) + ")"
    return text


def _cell(text: str) -> str:
    """Text safe in a pipe-table cell: one line, bars and tag-like brackets escaped."""
    return " ".join(str(text).split()).replace("|", "\\|").replace("<", "\\<")
