"""Assembly: Jinja per source (strict, sandboxed), front matter, images, footnotes."""

from __future__ import annotations

import base64

import pytest

from apecdocs import ApecdocsError, Project
from apecdocs.assemble import parse, render_sources
from apecdocs.pandoc_ast import nodes, stringify
from conftest import MINIMAL

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg=="
)


def _ast(root):
    project = Project.load(root)
    doc = project.documents["doc"]
    pieces = render_sources(project, doc, "en")
    ast, _ = parse(project, doc, pieces, project.cache_dir / "work" / "t")
    return project, ast


def test_jinja_sees_project_and_data(project_dir):
    yaml = MINIMAL + "data:\n  people: data/people.csv\n"
    root = project_dir(yaml, {
        "content/01.md": "# {{ project.number }}\n\n{{ data.people | length }} people, "
                         "first {{ data.people[0].name }}.\n",
        "data/people.csv": "name,economy\nAn,Chile\nBo,Peru\n",
    })
    _, ast = _ast(root)
    text = stringify(ast["blocks"])
    assert "TEST 01 2024" in text
    assert "2 people, first An." in text


def test_unknown_variable_names_file_and_line(project_dir):
    root = project_dir(files={"content/01.md": "# Title\n\nLine two.\n\n{{ projet.title }}\n"})
    with pytest.raises(ApecdocsError) as err:
        _ast(root)
    assert err.value.file.name == "01.md"
    assert err.value.line == 5
    assert "projet" in str(err.value)
    assert "project" in err.value.hint


def test_line_numbers_count_front_matter(project_dir):
    root = project_dir(files={"content/01.md": "---\njinja: true\n---\n# T\n\n{{ nope }}\n"})
    with pytest.raises(ApecdocsError) as err:
        _ast(root)
    assert err.value.line == 6


def test_syntax_error_names_line(project_dir):
    root = project_dir(files={"content/01.md": "# T\n\n{% if %}\n"})
    with pytest.raises(ApecdocsError) as err:
        _ast(root)
    assert err.value.line == 3


def test_templates_cannot_reach_python_internals(project_dir):
    root = project_dir(files={"content/01.md": "{{ ''.__class__.__mro__[1].__subclasses__() }}\n"})
    with pytest.raises(ApecdocsError) as err:
        _ast(root)
    assert "not allowed" in str(err.value) or "unknown" in str(err.value)


def test_include_outside_project_is_refused(project_dir, tmp_path):
    (tmp_path / "secret.txt").write_text("TOP SECRET")
    root = project_dir(files={"content/01.md": '{% include "../secret.txt" %}\n'})
    with pytest.raises(ApecdocsError) as err:
        _ast(root)
    assert "TOP SECRET" not in str(err.value)


def test_front_matter_can_turn_jinja_off(project_dir):
    root = project_dir(files={"content/01.md": "---\njinja: false\n---\nLiteral {{ braces }}.\n"})
    _, ast = _ast(root)
    assert "Literal {{ braces }}." in stringify(ast["blocks"])


def test_pandoc_attributes_are_not_jinja_comments(project_dir):
    root = project_dir(files={"content/01.md": "# Intro {#sec-intro}\n\nText {## hidden ##}.\n"})
    _, ast = _ast(root)
    header = next(nodes(ast["blocks"], "Header"))
    assert header["c"][1][0] == "sec-intro"
    assert "hidden" not in stringify(ast["blocks"])


def test_footnotes_with_same_label_in_two_files_stay_apart(project_dir):
    root = project_dir(files={
        "content/01.md": "One.[^1]\n\n[^1]: First note.\n",
        "content/02.md": "Two.[^1]\n\n[^1]: Second note.\n",
    })
    _, ast = _ast(root)
    notes = [stringify(n["c"]) for n in nodes(ast["blocks"], "Note")]
    assert notes == ["First note.", "Second note."]


def test_relative_images_resolve_from_their_own_file(project_dir):
    root = project_dir(files={
        "content/ch1/01.md": "![A pixel](img/p.png)\n",
        "content/ch1/img/p.png": PNG,
    }, yaml_text=MINIMAL.replace("[content/*.md]", "[content/ch1/*.md]"))
    _, ast = _ast(root)
    image = next(nodes(ast["blocks"], "Image"))
    assert image["c"][2][0] == str((root / "content/ch1/img/p.png").resolve())


def test_missing_image_names_file_and_line(project_dir):
    root = project_dir(files={"content/01.md": "# T\n\n![x](nope.png)\n"})
    with pytest.raises(ApecdocsError) as err:
        _ast(root)
    assert err.value.file.name == "01.md" and err.value.line == 3


def test_image_outside_project_is_refused(project_dir, tmp_path):
    (tmp_path / "outside.png").write_bytes(PNG)
    root = project_dir(files={"content/01.md": "![x](../../outside.png)\n"})
    with pytest.raises(ApecdocsError) as err:
        _ast(root)
    assert "outside the project" in str(err.value)


def test_sources_are_marked_with_their_file(project_dir):
    root = project_dir(files={"content/01.md": "# A\n", "content/02.md": "# B\n"})
    _, ast = _ast(root)
    sources = [dict(b["c"][0][2])["source"] for b in ast["blocks"] if b["t"] == "Div"]
    assert sources == ["content/01.md", "content/02.md"]


def test_words_around_a_bracketed_cross_reference_are_kept():
    import json

    import pypandoc

    from apecdocs.numbering import resolve_refs

    ast = json.loads(pypandoc.convert_text("[see @tbl-x, p. 3] and [@tbl-x; @fig-y].", "json",
                                           format="markdown"))
    resolve_refs(ast, {"tbl-x": "Table 1", "fig-y": "Figure 2"})
    assert stringify(ast["blocks"]) == "see Table 1, p.\xa03 and Table 1, Figure 2."
