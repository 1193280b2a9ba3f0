"""Resource bombs in content are refused with file and line: huge texts and lists,
endless loops, alias-bomb YAML in every YAML the project has."""

from __future__ import annotations

import threading

import pytest

from apecdocs import ApecdocsError, Project
from apecdocs.watch import Watcher
from conftest import MINIMAL

BOMB = """\
a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]
i: [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def everywhere(root, words: str, line: int | None = None, file: str = "content/01.md") -> None:
    """Refused, with file and line, by build, check and watch."""
    with pytest.raises(ApecdocsError) as err:
        Project.load(root).build(formats=["html"])
    message = str(err.value)
    assert words in message, message
    assert file in message, message
    if line is not None:
        assert f"line {line}" in message, message
    try:
        said = "\n".join(str(f) for f in Project.load(root).check() if f.severity == "error")
    except ApecdocsError as exc:
        said = str(exc)
    assert words in said, said
    messages: list[str] = []
    stop = threading.Event()
    stop.set()
    Watcher(root, lambda p: p.build(formats=["html"]), say=messages.append, stop=stop).run()
    assert any(words in m for m in messages), messages


@pytest.mark.parametrize("expression", [
    "{{ 'x'.ljust(10**9) }}",
    "{{ 'x'.center(10**9) }}",
    "{{ 'x'.zfill(10**9) }}",
    "{{ 'x' | center(10**9) }}",
    "{{ 'x' | indent(10**9, true) }}",
    "{{ '%0999999999d' | format(1) }}",
    "{{ '%0999999999d' % 1 }}",
    "{{ '{:>999999999}'.format(1) }}",
    "{{ ('x' * 1000000).replace('x', 'yyyyyyyyyyyyyyyyyyyy') }}",
    "{{ ('x' * 1000000) | replace('x', 'yyyyyyyyyyyyyyyyyyyy') }}",
    "{{ (['x'] * 20) | join('y' * 1000000) }}",
    "{{ range(99999) | batch(10**9, 'x') | list }}",
])
def test_a_template_cannot_build_a_huge_text(project_dir, expression):
    root = project_dir(files={"content/01.md": f"Intro.\n\n{expression}\n"})
    everywhere(root, "not allowed in a template", line=3)


def test_concatenation_chains_are_bounded(project_dir):
    chain = "{% set s = 'x' * 1000000 %}" + "".join(
        "{% set s = s ~ s %}" for _ in range(12)) + "{{ s | length }}"
    root = project_dir(files={"content/01.md": chain + "\n"})
    everywhere(root, "is refused", line=1)


def test_nested_loops_stop(project_dir):
    loops = ("{% for i in range(99999) %}{% for j in range(99999) %}"
             "{% endfor %}{% endfor %}")
    root = project_dir(files={"content/01.md": f"Intro.\n{loops}\n"})
    everywhere(root, "loop iterations", line=2)


def test_recursive_macros_stop(project_dir):
    source = ("{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}"
              "\n{{ f(40) }}\n")
    root = project_dir(files={"content/01.md": source})
    everywhere(root, "loop iterations and calls")


def test_normal_templates_still_work(project_dir):
    root = project_dir(files={"content/01.md": (
        "{% for i in range(3) %}Item {{ i }}. {% endfor %}\n\n"
        "{{ 'ab'.ljust(4, '-') }} {{ 'c' | center(3) }} {{ '%05.1f' | format(3.14159) }} "
        "{{ '{:,}'.format(1234567) }} {{ [1, 2] | join(', ') }} {{ 'a' ~ 'b' }}\n")})
    Project.load(root).build(formats=["html"])
    text = (root / "_build/en/doc.html").read_text()
    assert "Item 0. Item 1. Item 2." in text
    assert "ab-- c 003.1 1,234,567 1, 2 ab" in text.replace("\xa0", " ")


# -- YAML: the alias limit in every reader --------------------------------------------------

def test_front_matter_alias_bomb(project_dir):
    root = project_dir(files={"content/01.md": f"---\n{BOMB}---\n\nText.\n"})
    everywhere(root, "repeats aliases", line=3)


def test_metadata_block_alias_bomb_inside_a_source(project_dir):
    """Found beyond the issue: pandoc itself expands a YAML metadata block's aliases."""
    root = project_dir(files={"content/01.md": f"Text.\n\n---\n{BOMB}...\n\nMore.\n"})
    everywhere(root, "repeats aliases", line=5)


def test_a_metadata_block_and_rules_still_work(project_dir):
    root = project_dir(files={"content/01.md": "Text *a* & b.\n\n---\n\nAfter a rule.\n\n"
                                               "---\nsubtitle: &s Sub\nkeywords: [*s]\n...\n"})
    Project.load(root).build(formats=["html"])
    html = (root / "_build/en/doc.html").read_text()
    assert "After a rule." in html and "<hr" in html and "Sub" in html


def test_chart_block_alias_bomb(project_dir):
    block = "```{.chart #fig-x}\n" + BOMB + "```\n"
    root = project_dir(files={"content/01.md": "Intro.\n\n" + block})
    everywhere(root, "repeats aliases")


def test_data_file_alias_bomb(project_dir):
    root = project_dir(MINIMAL + "data: {numbers: data/numbers.yaml}\n",
                       {"content/01.md": "{{ data.numbers.i | length }}\n",
                        "data/numbers.yaml": BOMB})
    everywhere(root, "repeats aliases", line=2, file="data/numbers.yaml")


AGENDA = """\
project: {number: ECSG 02 2018, title: T}
data: {agenda: data/agenda.yaml}
documents:
  - {id: agenda, type: agenda, title: Workshop Agenda}
"""


def test_agenda_alias_bomb(project_dir):
    root = project_dir(AGENDA, {"data/agenda.yaml": BOMB})
    with pytest.raises(ApecdocsError) as err:
        Project.load(root).build(formats=["html"])
    assert "repeats aliases" in str(err.value) and "agenda.yaml" in str(err.value)


def test_acronyms_alias_bomb(project_dir):
    yaml_text = """\
project: {number: ECSG 02 2018, title: T}
documents:
  - id: report
    type: publication
    sources: [content/01.md]
    meta: {acronyms: data/acronyms.yaml}
"""
    root = project_dir(yaml_text, {"content/01.md": "# Intro\n\nText.\n",
                                   "data/acronyms.yaml": BOMB})
    with pytest.raises(ApecdocsError) as err:
        Project.load(root).build(formats=["html"])
    assert "repeats aliases" in str(err.value) and "acronyms.yaml" in str(err.value)


def test_project_file_alias_bomb(project_dir):
    root = project_dir(MINIMAL + "x-bomb:\n" + "".join("  " + line + "\n"
                                                        for line in BOMB.splitlines()))
    with pytest.raises(ApecdocsError) as err:
        Project.load(root)
    assert "repeats aliases" in str(err.value) and "apecdocs.yaml" in str(err.value)


def test_a_template_cannot_change_what_the_next_source_sees(project_dir):
    root = project_dir(files={"content/01.md": "{{ project.update({'title': 'Changed'}) }}\n",
                              "content/02.md": "{{ project.title }}\n"})
    with pytest.raises(ApecdocsError) as err:
        Project.load(root).build(formats=["html"])
    assert "not allowed in a template" in str(err.value) and "01.md" in str(err.value)


def test_render_time_per_source_is_bounded(project_dir, monkeypatch):
    from apecdocs import limits

    monkeypatch.setattr(limits, "MAX_SECONDS", 0.2)  # the real limit is 60 s
    loops = ("{% for i in range(99999) %}{% for j in range(9) %}{{ (i ~ j) | length }}"
             "{% endfor %}{% endfor %}")
    root = project_dir(files={"content/01.md": f"Intro.\n\n{loops}\n"})
    with pytest.raises(ApecdocsError) as err:
        Project.load(root).build(formats=["html"])
    assert "rendering took longer than" in str(err.value)
    assert "01.md (line 3)" in str(err.value)
