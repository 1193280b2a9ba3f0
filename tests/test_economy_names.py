"""The economy-name check knows proper names: institutions' official names, a
project's own list, an exempting marker; every non-official form gets a suggestion."""

from __future__ import annotations

import pytest
from apecdocs_apec.economies import find_wrong_names, suggest

from apecdocs import Project

PROJECT = """\
project:
  number: ECSG 02 2018
  title: T
  overseer: {{name: Ms A, organisation: {organisation}}}
{apec}documents:
  - {{id: doc, type: document, title: Doc, sources: [content/*.md]}}
"""


def _findings(project_dir, organisation: str, apec: str = "", body: str = "Text.\n"):
    root = project_dir(PROJECT.format(organisation=organisation, apec=apec),
                       {"content/01.md": body})
    return [f for f in Project.load(root).check() if f.code == "apec-economy"]


def test_a_shipped_institution_name_passes_check(project_dir):
    assert _findings(project_dir, "Hong Kong Monetary Authority") == []
    found = _findings(project_dir, "Hong Kong Authority")
    assert len(found) == 1 and "allowed_names" in found[0].hint


def test_project_allowed_names(project_dir):
    apec = "apec:\n  allowed_names: [Hong Kong Fintech Alliance]\n"
    assert _findings(project_dir, "Hong Kong Fintech Alliance", apec) == []
    # the name spares itself only: the informal name elsewhere is still found
    found = _findings(project_dir, "Hong Kong Fintech Alliance", apec,
                      "Hong Kong Fintech Alliance members in Hong Kong.\n")
    assert [(f.location.line, f.location.column) for f in found] == [(1, 39)]


def test_marker_exempts_one_line(project_dir):
    body = "Acme Hong Kong Ltd <!-- apecdocs: name-ok -->\n\nVisits to Hong Kong.\n"
    found = _findings(project_dir, "Ministry", body=body)
    assert [f.location.line for f in found] == [3]


@pytest.mark.parametrize("text,replacement", [
    ("Korea, Republic of", "Korea"), ("Korea (South)", "Korea"), ("Viet-Nam", "Viet Nam"),
    ("China, People's Republic of", "China"), ("Taiwan, China", "Chinese Taipei"),
    ("Philippines, Republic of the", "the Philippines"), ("Hongkong", "Hong Kong, China"),
])
def test_every_non_official_form_has_a_suggestion(text, replacement):
    assert [(h[2], h[3]) for h in find_wrong_names(f"From {text}.")] == [(text, replacement)]
    assert suggest(text) == replacement


@pytest.mark.parametrize("text", [
    "Central Bank of the Russian Federation", "University of Hong Kong",
    "Taiwan External Trade Development Council", "Vietnam Chamber of Commerce and Industry",
    "the hong kong monetary authority",  # case does not matter
])
def test_shipped_proper_names(text):
    assert find_wrong_names(f"According to the {text}, ...") == []
