"""A project folder is untrusted: no template, style, symlink or option reaches outside it.

Each route is tried as a hostile project would, under build, check and watch; each must
be refused with a message that says why, and the files outside the project (a sentinel
beside it) must be neither read into an output, nor written, nor deleted.
"""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from apecdocs import ApecdocsError, Project
from apecdocs.cli import cli
from apecdocs.watch import Watcher
from conftest import MINIMAL, pdf_text

SECRET = "SENTINEL-9c2e-OUTSIDE"


@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder beside the project with a sentinel file nothing may read or touch."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text(SECRET)
    return folder


def untouched(outside: Path) -> None:
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]
    assert (outside / "secret.txt").read_text() == SECRET


def outputs_text(root: Path) -> str:
    out = root / "_build"
    return "".join(p.read_text(errors="replace") for p in out.rglob("*.html")) if out.exists() \
        else ""


def refused(root: Path, words: str, **build) -> str:
    """The route is refused by build, check and watch alike; returns the build's message."""
    with pytest.raises(ApecdocsError) as err:
        Project.load(root).build(**build)
    assert words in str(err.value), str(err.value)
    try:
        findings = Project.load(root).check()
        said = "\n".join(str(f) for f in findings if f.severity == "error")
    except ApecdocsError as exc:
        said = str(exc)
    assert words in said, said
    messages: list[str] = []
    stop = threading.Event()
    stop.set()  # one round, then stop
    Watcher(root, lambda p: p.build(**build), say=messages.append, stop=stop).run()
    assert any(words in m for m in messages), messages
    assert SECRET not in outputs_text(root)
    return str(err.value)


# -- templates see data, never objects with I/O -----------------------------------------

DATA_PROJECT = MINIMAL + "data: {people: data/people.csv}\n"


@pytest.mark.parametrize("expression, words", [
    ('{{ data.path("people").joinpath("../../outside/secret.txt").read_text() }}',
     "no attribute 'path'"),
    ('{{ data.path("people").write_text("") }}', "no attribute 'path'"),
    ('{{ data.path("people").parent.parent.joinpath("apecdocs.yaml").unlink() }}',
     "no attribute 'path'"),
    ("{{ data.people.__class__ }}", "not allowed in a template"),
    ("{{ data._TemplateData__read('people') }}", "not allowed in a template"),
    ("{{ project.__class__.__mro__ }}", "not allowed in a template"),
])
def test_templates_cannot_reach_files_through_data(project_dir, outside, expression, words):
    root = project_dir(DATA_PROJECT, {"content/01.md": f"{expression}\n",
                                      "data/people.csv": "name\nAnn\n"})
    message = refused(root, words, formats=["html"])
    assert "01.md (line 1)" in message
    assert (root / "data/people.csv").read_text() == "name\nAnn\n"
    assert (root / "apecdocs.yaml").is_file()
    untouched(outside)


def test_templates_still_read_data_as_plain_values(project_dir):
    root = project_dir(DATA_PROJECT, {
        "content/01.md": "{% for p in data.people %}Name: {{ p.name }}.\n{% endfor %}"
                         "{{ data | length }} {{ 'people' in data }}\n",
        "data/people.csv": "name\nAnn\nBo\n"})
    Project.load(root).build(formats=["html"])
    text = (root / "_build/en/doc.html").read_text()
    assert "Name: Ann." in text and "Name: Bo." in text and "1 True" in text


# -- symlinks, at every level -----------------------------------------------------------

@pytest.mark.parametrize("link, words", [
    ("styles/style.css", "style file"),
    ("styles/template.html", "style file"),
    ("templates", "included file"),
])
def test_a_style_or_template_symlinked_outside_is_refused(project_dir, outside, link, words):
    (outside / "style.css").write_text(f"body {{ color: red }} /* {SECRET} */")
    (outside / "template.html").write_text(f"<html><body>{SECRET}$body$</body></html>")
    (outside / "part.md").write_text(SECRET)
    files = {"content/01.md": "Hello.\n"}
    if link == "templates":
        files["content/01.md"] = '{% include "part.md" %}\n'
    root = project_dir(files=files)
    path = root / link
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(outside if link == "templates" else outside / Path(link).name)
    message = refused(root, "points outside the project folder", formats=["html"])
    assert words in message
    for name in ("style.css", "template.html", "part.md"):
        (outside / name).unlink()
    untouched(outside)


def test_a_pandoc_partial_outside_the_project_is_refused(project_dir, outside):
    secret = outside / "secret.txt"
    template = f"<html><body>${{ {secret}() }}$body$</body></html>\n"
    root = project_dir(files={"content/01.md": "Hello.\n", "styles/template.html": template})
    refused(root, "template partial", formats=["html"])
    (root / "styles/template.html").write_text("<html><body>${ ../../outside/secret.txt() }"
                                               "$body$</body></html>\n")
    refused(root, "template partial", formats=["html"])
    untouched(outside)


def test_a_partial_beside_the_template_still_works(project_dir):
    root = project_dir(files={
        "content/01.md": "Hello.\n",
        "styles/template.html": "<html><body>${ footer() }$body$</body></html>\n",
        "styles/footer.html": "<p>PARTIAL-FOOTER</p>\n"})
    Project.load(root).build(formats=["html"])
    assert "PARTIAL-FOOTER" in (root / "_build/en/doc.html").read_text()


def test_typst_cannot_follow_a_symlink_inside_the_project(project_dir, outside):
    root = project_dir(files={"content/01.md": '```{=typst}\n#read("/notes.txt")\n```\n'})
    (root / "notes.txt").symlink_to(outside / "secret.txt")
    with pytest.raises(ApecdocsError) as err:
        Project.load(root).build(formats=["pdf"])
    assert "notes.txt" in str(err.value) and SECRET not in str(err.value)
    assert not (root / "_build/en/doc.pdf").exists()
    untouched(outside)


def test_typst_still_reads_the_projects_images(project_dir):
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
           '<rect width="10" height="10"/></svg>')
    root = project_dir(files={"content/01.md": "![A square](img/sq.svg)\n\nText after.\n",
                              "content/img/sq.svg": svg})
    Project.load(root).build(formats=["pdf"])
    assert "Text after." in pdf_text(root / "_build/en/doc.pdf")


@pytest.mark.parametrize("link, words", [
    ("_build/en", "points outside the project folder"),
    ("_build", "points outside the project folder"),
    (".apecdocs", "points outside the project folder"),
    (".apecdocs/work", "holds a symbolic link"),
    (".apecdocs/parsed", "holds a symbolic link"),
    (".apecdocs/citations", "holds a symbolic link"),  # any plugin's cache folder
    (".apecdocs/charts/deeper", "holds a symbolic link"),
])
def test_outputs_and_cache_are_never_written_through_a_symlink(project_dir, outside, link,
                                                                words):
    root = project_dir()
    path = root / link
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(outside, target_is_directory=True)
    with pytest.raises(ApecdocsError) as err:
        Project.load(root).build(formats=["html"])
    assert words in str(err.value)
    untouched(outside)


# -- options -----------------------------------------------------------------------------

def run(root: Path, *args: str):
    from apecdocs_i18n import register_commands

    register_commands(cli)
    return CliRunner().invoke(cli, [*args[:1], "-p", str(root), *args[1:]]) \
        if args[0] != "i18n" else CliRunner().invoke(cli, ["--project", str(root), *args])


@pytest.mark.parametrize("lang", ["../../x", "../x", "/tmp/x", "en/../../x", "e n", ""])
def test_build_lang_must_be_a_language_tag(project_dir, outside, lang):
    root = project_dir()
    result = run(root, "build", "--lang", lang, "--to", "html")
    assert result.exit_code != 0
    assert "not a language tag" in result.output and "Traceback" not in result.output
    assert not (root / "_build").exists() and not (root.parent / "x").exists()
    untouched(outside)


def test_an_unknown_language_gets_a_did_you_mean(project_dir):
    root = project_dir(MINIMAL + "languages: [en, vi]\n")
    result = run(root, "build", "--lang", "vn")
    assert result.exit_code != 0
    assert "no document to build in 'vn'" in result.output
    assert "Did you mean 'vi'?" in result.output


def test_i18n_extract_lang_must_be_a_language_of_the_project(project_dir, outside):
    root = project_dir(MINIMAL + "languages: [en, vi]\n")
    result = run(root, "i18n", "extract", "--lang", "../../outside/x")
    assert result.exit_code != 0 and "not a language tag" in result.output
    result = run(root, "i18n", "extract", "--lang", "vn")
    assert result.exit_code != 0 and "Did you mean 'vi'?" in result.output
    assert not (root / "locales").exists()
    untouched(outside)


def test_a_locales_folder_symlinked_outside_receives_no_catalog(project_dir, outside):
    root = project_dir(MINIMAL + "languages: [en, vi]\n")
    (root / "locales").symlink_to(outside, target_is_directory=True)
    result = run(root, "i18n", "extract", "--lang", "vi")
    assert result.exit_code != 0 and "points outside the project folder" in result.output
    untouched(outside)


def test_out_outside_the_project_only_when_named_on_the_command_line(project_dir, tmp_path):
    root = project_dir(MINIMAL + "output: ../elsewhere\n")
    with pytest.raises(ApecdocsError) as err:
        Project.load(root)
    assert "points outside the project folder" in str(err.value)
    root = project_dir()
    result = run(root, "build", "--to", "html", "--out", str(tmp_path / "named"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "named/en/doc.html").is_file()
    # ... and then for outputs only: the cache stays inside the project.
    assert (root / ".apecdocs").is_dir() and not (tmp_path / "named/.apecdocs").exists()


def test_watch_with_a_path_for_a_language_writes_nothing(project_dir, outside):
    root = project_dir()
    messages: list[str] = []
    stop = threading.Event()
    stop.set()
    Watcher(root, lambda p: p.build(languages=["../../outside"]), say=messages.append,
            stop=stop).run()
    assert any("not a language tag" in m for m in messages), messages
    assert not (root / "_build").exists()
    untouched(outside)


def test_a_planted_manifest_makes_the_build_read_nothing_outside(project_dir):

    root = project_dir()
    Project.load(root).build(formats=["html"])
    manifest = root / ".apecdocs/manifest.json"
    entries = json.loads(manifest.read_text())["entries"]
    entries["en/doc.html"]["deps"] = ["/dev/zero", "/etc/hostname", "../outside/secret.txt"]
    # A planted manifest can carry a valid checksum: it is no secret.
    checksum = hashlib.sha256(json.dumps(entries, sort_keys=True).encode()).hexdigest()
    manifest.write_text(json.dumps({"checksum": checksum, "entries": entries}))
    (root / "content/01.md").write_text("# Changed\n")
    report = Project.load(root).build(formats=["html"])  # /dev/zero would never end
    assert [o.status for o in report.outputs] == ["built"]
