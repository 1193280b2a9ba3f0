"""The data-format and template-name pages say what the code does: generated parts
follow the schemas, and every documented name exists."""

from __future__ import annotations

import re
import shutil

from apecdocs_apec.agenda_schema import AGENDA_SCHEMA
from apecdocs_apec.monitoring_data import PARTICIPANT_COLUMNS
from apecdocs_charts.schema import CHART_SCHEMA
from click.testing import CliRunner

from apecdocs import Project
from apecdocs.cli import cli
from conftest import REPO, html_text, squash

DOCS = REPO / "docs"


def _keys(schema: dict) -> set[str]:
    found = set(schema.get("properties", {}))
    for sub in schema.get("properties", {}).values():
        found |= _keys(sub.get("items", sub) if isinstance(sub, dict) else {})
    return found


def test_data_formats_page_lists_every_schema_key_and_column(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs, ignore=shutil.ignore_patterns("_build", ".apecdocs",
                                                              "__pycache__"))
    result = CliRunner().invoke(cli, ["build", "-p", str(docs), "data-formats", "templates",
                                      "second-project"])
    assert result.exit_code == 0, result.output
    out = docs / "_build/en"
    page = html_text(out / "data-formats.html")
    for key in _keys(AGENDA_SCHEMA) | _keys(CHART_SCHEMA):
        assert key in page, key
    for column in PARTICIPANT_COLUMNS["required"] + PARTICIPANT_COLUMNS["optional"]:
        assert column in page, column
    assert "days[].sessions[].parallel[]" in page
    walk = squash(html_text(out / "second-project.html"))
    assert "apecdocs init food-safety" in walk and "Languages" in walk


def _lookup(value, path: list[str]):
    for part in path:
        value = value[part] if isinstance(value, dict) else getattr(value, part)
    return value


def test_every_stats_name_on_the_templates_page_exists():
    """Each `name` in a stats table row resolves in the example's completion report."""
    text = (DOCS / "templates.md").read_text(encoding="utf-8")
    project = Project.load(REPO)
    context = project.template_context(project.documents["completion-report"], "en")
    checked = 0
    for section, body in re.findall(r"^## `stats\.(\w+)`\n(.*?)(?=^#)", text, re.M | re.S):
        for row in re.findall(r"^\| (`.*?) \|", body, re.M):
            for name in re.findall(r"`([\w.]+)`", row):
                _lookup(context["stats"][section], name.split("."))
                checked += 1
    assert checked > 40
    for name in ("targets_met", "targets_total", "targets_not_met"):
        assert name in context["stats"]
    for name in ("project", "document", "data", "lang", "config", "apec"):
        assert f"| `{name}` |" in text and name in context
