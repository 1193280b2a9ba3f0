"""Loading apecdocs.yaml: good files load, each kind of bad file names file and line."""

from __future__ import annotations

import pytest

from apecdocs import ApecdocsError, Project
from conftest import MINIMAL


def test_minimal_project_loads(project_dir):
    project = Project.load(project_dir())
    doc = project.documents["doc"]
    assert doc.type == "document"
    assert doc.title == "The Test Document"
    assert [p.name for p in doc.sources] == ["01.md"]
    assert project.meta["number"] == "TEST 01 2024"


def test_load_accepts_the_file_itself(project_dir):
    root = project_dir()
    assert Project.load(root / "apecdocs.yaml").root == root.resolve()


def test_missing_project_file_says_how_to_start(tmp_path):
    with pytest.raises(ApecdocsError) as err:
        Project.load(tmp_path)
    assert "no apecdocs.yaml" in str(err.value)
    assert "apecdocs init" in str(err.value)


def test_yaml_syntax_error_names_line(project_dir):
    root = project_dir(MINIMAL + "  broken: [unclosed\n")
    with pytest.raises(ApecdocsError) as err:
        Project.load(root)
    assert err.value.line is not None and err.value.line >= 9
    assert "apecdocs.yaml" in str(err.value.file)


def test_unknown_key_suggests_the_right_one(project_dir):
    root = project_dir(MINIMAL.replace("  title: A Test Project", "  title: A Test Project\n  comittee: CTI"))
    with pytest.raises(ApecdocsError) as err:
        Project.load(root)
    message = str(err.value)
    assert "unknown key 'comittee'" in message
    assert "Did you mean 'committee'?" in message
    assert err.value.line == 4


def test_wrong_type_names_key_and_line(project_dir):
    root = project_dir(MINIMAL.replace("    title: The Test Document", "    title: The Test\n    toc: maybe"))
    with pytest.raises(ApecdocsError) as err:
        Project.load(root)
    assert "documents.0.toc" in str(err.value)
    assert "true or false" in str(err.value)
    assert err.value.line == 8


def test_missing_required_field(project_dir):
    root = project_dir(MINIMAL.replace("  number: TEST 01 2024\n", ""))
    with pytest.raises(ApecdocsError) as err:
        Project.load(root)
    assert "missing required field 'number'" in str(err.value)
    assert err.value.line == 1  # the 'project:' mapping that lacks it


def test_missing_source_file_names_its_line(project_dir):
    root = project_dir(MINIMAL.replace("[content/*.md]", "[content/*.md, content/nope.md]"))
    with pytest.raises(ApecdocsError) as err:
        Project.load(root)
    assert "'content/nope.md' not found" in str(err.value)
    assert err.value.line == 8


def test_unknown_document_type_did_you_mean(project_dir):
    root = project_dir(MINIMAL.replace("type: document", "type: documnet"))
    with pytest.raises(ApecdocsError) as err:
        Project.load(root)
    assert "Did you mean 'document'?" in str(err.value)
    assert err.value.line == 6


def test_duplicate_document_ids(project_dir):
    extra = "  - id: doc\n    type: document\n    sources: [content/01.md]\n"
    with pytest.raises(ApecdocsError) as err:
        Project.load(project_dir(MINIMAL + extra))
    assert "two documents have the id 'doc'" in str(err.value)


def test_sources_outside_the_project_are_refused(project_dir, tmp_path):
    (tmp_path / "secret.md").write_text("secret")
    root = project_dir(MINIMAL.replace("[content/*.md]", "[../secret.md]"))
    with pytest.raises(ApecdocsError) as err:
        Project.load(root)
    assert "outside the project" in str(err.value)


def test_duplicate_yaml_keys_are_an_error(project_dir):
    root = project_dir(MINIMAL.replace("  title: A Test Project", "  title: A\n  title: B"))
    with pytest.raises(ApecdocsError) as err:
        Project.load(root)
    assert err.value.line == 4


def test_every_problem_is_listed(project_dir):
    text = MINIMAL.replace("  title: A Test Project", "  title: A Test Project\n  foo: 1\n  bar: 2")
    with pytest.raises(ApecdocsError) as err:
        Project.load(project_dir(text))
    assert "'foo'" in str(err.value) and "'bar'" in str(err.value)
