"""The JSON schema of a ``chart`` block: the keys a chart may have, for validation
(unknown keys are errors with a did-you-mean), ``apecdocs schema --file chart`` and the
reference page of the chart format."""

from __future__ import annotations

from typing import Any

KINDS = ("bar", "barh", "line", "stacked-bar")

_columns = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}

CHART_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "chart block",
    "description": "The YAML inside a ```{.chart #fig-id caption=\"...\"} code block. The "
                   "figure's caption is the block's caption attribute, else title:.",
    "type": "object", "additionalProperties": False, "required": ["x", "y"],
    "properties": {
        "kind": {"enum": list(KINDS), "description": "bar (default): grouped columns; barh: "
                 "horizontal bars, for long labels; line; stacked-bar: one column per x "
                 "with the y series stacked."},
        "data": {"type": "string", "description": "A CSV (or JSON/YAML list) file in the "
                 "project, relative to the project folder. Either data: or rows:."},
        "rows": {"type": "array", "items": {"type": "object"},
                 "description": "The data written in the block: a list of mappings."},
        "x": {"type": "string", "description": "The column of the categories (axis labels)."},
        "y": {**_columns, "description": "The column(s) of numbers, one series each."},
        "labels": {"type": "object", "additionalProperties": {"type": "string"},
                   "description": "Legend names of the series: {column: name}. A legend is "
                   "drawn when there are two series or more."},
        "xlabel": {"type": "string", "description": "Title of the category axis."},
        "ylabel": {"type": "string", "description": "Title of the value axis."},
        "title": {"type": "string", "description": "The caption when the block has no "
                  "caption attribute."},
    },
}
