"""Fuzzing the loaders and templates: every input ends in a clear error or a correct build.

A clear error is an ``ApecdocsError`` that is not an "internal error"; no input may
make apecdocs open a file outside the project (watched with an audit hook) or put one
into an output.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apecdocs import ApecdocsError, BuildFailed, Project
from apecdocs.loader import read_yaml
from conftest import MINIMAL

# FUZZ_EXAMPLES=500 FUZZ_RANDOM=1 pytest tests/test_fuzz.py explores further than CI does.
FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 60)), deadline=None,
                derandomize=not os.environ.get("FUZZ_RANDOM"),
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
SECRET = "OUTSIDE-SECRET-93c2"

_opened: list[str] | None = None


def _audit(event: str, args: tuple) -> None:
    if _opened is not None and event == "open" and isinstance(args[0], str | bytes | Path):
        _opened.append(str(args[0] if not isinstance(args[0], bytes) else args[0].decode()))


sys.addaudithook(_audit)


class Watch:
    """Records every file Python opens inside the block."""

    def __enter__(self) -> list[str]:
        global _opened
        _opened = []
        return _opened

    def __exit__(self, *exc: object) -> None:
        global _opened
        _opened = None


def test_the_audit_watch_sees_reads(tmp_path):
    (tmp_path / "secret.txt").write_text(SECRET)
    with Watch() as opened:
        (tmp_path / "secret.txt").read_text()
    assert str(tmp_path / "secret.txt") in opened


@pytest.fixture
def world(tmp_path):
    """A project folder with a secret file beside it, outside the project."""
    (tmp_path / "secret.txt").write_text(SECRET)
    root = tmp_path / "proj"
    (root / "content").mkdir(parents=True)
    (root / "content/01.md").write_text("# Hello\n")
    (root / "data").mkdir()
    (root / "data/rows.csv").write_text("name,value\nA,1\nB,2\n")
    (root / "parts").mkdir()
    (root / "parts/note.md").write_text("A note.\n")
    return root


def clear_error(exc: ApecdocsError) -> None:
    assert "internal error" not in str(exc), str(exc)
    assert SECRET not in str(exc)
    for _, error in getattr(exc, "errors", []):
        assert "internal error" not in str(error), str(error)


# -- the project file ----------------------------------------------------------------------

yaml_text = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from([
        "project:", "  number: SCSC 01 2021", "  title: T", "documents:", "  - id: doc",
        "    type: document", "    sources: [content/01.md]", "    toc_depth: 99",
        "  - {id: Bad Id, type: nope}", "formats: [odt]", "languages: [english]",
        "output: ../out", "styles: /etc", "data: {x: ../../secret.txt}", "a: &a [x, x]",
        "b: [*a, *a, *a]", "\t- tab", "- list", "key: 'unclosed", "year: 1e999",
        "start: 2019-02-30", "\ufeff", "project: !!python/object:os.system {}", "{", "]",
        "x: \u202e\u0000", "number: 0x" + "f" * 50, "meta: {" + "a: {" * 50 + "}" * 50 + "}",
    ]), max_size=14).map("\n".join),
)


@FUZZ
@given(text=yaml_text)
def test_any_project_file_loads_or_fails_clearly(world, text):
    (world / "apecdocs.yaml").write_text(text, encoding="utf-8")
    with Watch() as opened:
        try:
            Project.load(world)
        except ApecdocsError as exc:
            clear_error(exc)
    assert not any("secret" in p for p in opened)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) |
    st.text(max_size=20) | st.sampled_from(["../secret.txt", "content/01.md", "docx", "en"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=12,
)
DOCUMENT_KEYS = ["id", "type", "title", "sources", "formats", "languages", "toc", "toc_depth",
                 "meta", "number_sections"]


@FUZZ
@given(project=st.dictionaries(st.sampled_from(["number", "title", "year", "start", "overseer",
                                                "funding", "language"]), json_values),
       document=st.dictionaries(st.sampled_from(DOCUMENT_KEYS), json_values),
       top=st.dictionaries(st.sampled_from(["formats", "languages", "output", "data", "styles"]),
                           json_values))
def test_wrong_types_anywhere_fail_clearly(world, project, document, top):
    spec = {"project": {"number": "SCSC 01 2021", "title": "T", **project},
            "documents": [{"id": "doc", "type": "document", "sources": ["content/01.md"],
                           **document}], **top}
    (world / "apecdocs.yaml").write_text(json.dumps(spec), encoding="utf-8")  # JSON is YAML
    with Watch() as opened:
        try:
            Project.load(world)
        except ApecdocsError as exc:
            clear_error(exc)
    assert not any("secret" in p for p in opened)


@FUZZ
@given(text=st.text(max_size=200))
def test_data_yaml_reads_or_fails_clearly(world, text):
    path = world / "data/x.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        read_yaml(path)
    except ApecdocsError as exc:
        clear_error(exc)


# -- Markdown and templates ----------------------------------------------------------------

FRAGMENTS = [
    "# Heading {#sec-a}", "Text with *emphasis* and `code`.", "{{ project.title }}",
    "{{ document.title | upper }}", "{{ data.rows | length }}", "{% for r in data.rows %}"
    "{{ r.name }} {% endfor %}", "{{ nope }}", "{{ project.nope.deeper }}", "{% if %}",
    "{% include 'parts/note.md' %}", "{% include '../secret.txt' %}",
    "{% include '/etc/passwd' %}", "{% include 'parts/' ~ 'note.md' %}", "![img](none.png)",
    "![img](../../secret.txt)", "![img](file:///etc/passwd)", "![img](http://example.com/x.png)",
    "[link](#sec-a)", "@fig-x", "[@sec-a]", "{{ ''.__class__ }}", "{{ 2 ** 2 ** 2 ** 2 ** 2 }}",
    "{{ 'ab' * 99999999 }}", "{{ range(10 ** 8) | list }}", "{{ 1 / 0 }}", "{{ [] | first }}",
    "{## a comment ##}", "{# not a comment #}", "{{ '{{' }}", "```{=html}\n<script>x</script>\n```",
    "```{=typst}\n#read(\"/../secret.txt\")\n```", "<div>raw</div>", "| a | b |\n|---|---|\n| 1 | 2 |",
    "[^1]\n\n[^1]: Note.", "\u202eright-to-left\u202c", "Tiếng Việt có dấu", "\U0001f600 emoji",
    "\x00 nul", "\ufffd", "---\njinja: false\n---", "---\n[not, a, mapping]\n---", "\\", "{{",
    "}}", "{%", "%}", "x" * 5000, "\n" * 50, "- item\n  - nested\n    - deeper",
]


@FUZZ
@given(parts=st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=40), max_size=8),
       fmt=st.sampled_from(["html", "docx", "html", "html"]))
def test_any_markdown_builds_or_fails_clearly(world, parts, fmt):
    source = "\n\n".join(parts) + "\n"
    (world / "apecdocs.yaml").write_text(MINIMAL + "data:\n  rows: data/rows.csv\n")
    (world / "content/01.md").write_text(source, encoding="utf-8")
    with Watch() as opened:
        try:
            report = Project.load(world).build(formats=[fmt], force=True)
        except BuildFailed as exc:
            clear_error(exc)
        except ApecdocsError as exc:
            clear_error(exc)
        else:
            path = report.outputs[0].path
            assert SECRET.encode() not in path.read_bytes()
            if fmt == "docx":
                import docx

                docx.Document(str(path))  # a file Word can open
            else:
                assert "</html>" in path.read_text(encoding="utf-8")
    assert not any("secret" in p for p in opened), [p for p in opened if "secret" in p]
    assert not [p for p in world.rglob("*.part")]


@FUZZ
@given(parts=st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=6))
def test_check_never_crashes(world, parts):
    (world / "apecdocs.yaml").write_text(MINIMAL + "data:\n  rows: data/rows.csv\n")
    (world / "content/01.md").write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    try:
        findings = Project.load(world).check()
    except ApecdocsError as exc:
        clear_error(exc)
        return
    for finding in findings:
        assert "internal error" not in finding.message and SECRET not in finding.message


def test_a_typst_raw_block_cannot_read_the_secret(world):
    (world / "apecdocs.yaml").write_text(MINIMAL)
    (world / "content/01.md").write_text(textwrap.dedent("""\
        ```{=typst}
        #read("/../secret.txt")
        ```
        """))
    with pytest.raises(BuildFailed) as err:
        Project.load(world).build(formats=["pdf"])
    clear_error(err.value)
