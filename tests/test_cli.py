"""The command line: schema, check, build summaries and watch."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from apecdocs import Project
from apecdocs.cli import cli
from apecdocs.loader import jsonable, plain, read_yaml
from apecdocs.plugins import new_manager
from apecdocs.schema import project_schema
from apecdocs.watch import Watcher, changed, snapshot
from conftest import MINIMAL

CIRCULAR = """\
project: {number: SCSC 01 2021, title: A Test Project}
documents:
  - id: circ
    type: circular
    sources: [content/01.md]
    meta:
      headng: Call for nominations
      release_date: 2021-03-01
"""


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


# -- schema ------------------------------------------------------------------------------

def test_schema_prints_the_loaders_schema():
    result = run("schema")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed == json.loads(json.dumps(project_schema(new_manager(None))))
    jsonschema.Draft202012Validator.check_schema(printed)


def test_printed_schema_checks_meta_per_type_as_the_loader_does(project_dir):
    root = project_dir(CIRCULAR)
    printed = json.loads(run("schema").output)
    instance = jsonable(plain(read_yaml(root / "apecdocs.yaml")))
    errors = list(jsonschema.Draft202012Validator(printed).iter_errors(instance))
    assert errors and any("headng" in e.message for e in errors)  # what an editor shows
    result = run("--project", str(root), "check")
    assert result.exit_code == 1
    assert "apecdocs.yaml (line 7, column 7): unknown key 'headng' in documents.0.meta" in result.output
    assert "Did you mean 'heading'?" in result.output
    # One cause: the misspelt key, not also "'heading' missing" as a follow-on.
    assert "missing required field" not in result.output and "1 error(s)" in result.output
    (root / "apecdocs.yaml").write_text(CIRCULAR.replace("      headng: Call for nominations\n",
                                                         ""), encoding="utf-8")
    result = run("--project", str(root), "check")  # without it at all, it is required
    assert "missing required field 'heading' in documents.0.meta" in result.output
    fixed = CIRCULAR.replace("headng", "heading")
    instance = jsonable(plain(__import__("ruamel.yaml").yaml.YAML().load(fixed)))
    assert not list(jsonschema.Draft202012Validator(printed).iter_errors(instance))


def test_schema_markdown_has_each_key_and_meta_per_type(project_dir, tmp_path):
    root = project_dir(MINIMAL + "memo: {signed: x}\n", files={
        "content/01.md": "x\n",
        "plugins/memo.py": "from apecdocs import hookimpl\n\n@hookimpl\ndef config_schema():\n"
                           "    return {'memo': {'type': 'object', 'description': 'Memo settings.',"
                           " 'properties': {'signed': {'type': 'string'}}}}\n"})
    out = tmp_path / "reference.md"
    result = run("--project", str(root), "schema", "--markdown", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "| `number` | text | yes |" in text
    assert "## `meta` of `circular` documents" in text
    assert "| `heading` | text | yes |" in text
    assert "| `memo` | mapping |  | Memo settings. |" in text  # a project plugin's key


# -- check -------------------------------------------------------------------------------

BROKEN = {
    "content/01.md": "# Introduction {#sec-intro}\n\nHello {{ projet.title }} and {{ nobody }}.\n",
    "content/02.md": "# Method\n\nSee [intro](#sec-intro), [gone](#sec-intr) and @fig-none.\n\n"
                     "![A chart](img/missing.png)\n",
}


def test_check_lists_every_problem_with_file_and_line(project_dir):
    root = project_dir(MINIMAL + "data:\n  people: data/people.csv\n", BROKEN)
    result = run("--project", str(root), "check")
    assert result.exit_code == 1
    out = result.output
    assert "01.md (line 3): unknown template variable: 'projet' is undefined" in out
    assert "01.md (line 3): unknown template variable: 'nobody' is undefined" in out
    assert "02.md (line 5): image 'img/missing.png' not found" in out
    assert "apecdocs.yaml (line 10, column 3): data file 'people' not found" in out
    assert "4 error(s)" in out  # links wait until every file renders: no false alarms


def test_check_finds_broken_links_and_cross_references(project_dir):
    files = {**BROKEN, "content/01.md": "# Introduction {#sec-intro}\n",
             "content/02.md": BROKEN["content/02.md"].replace("![A chart](img/missing.png)", "")}
    result = run("--project", str(project_dir(files=files)), "check", "--json")
    assert result.exit_code == 1
    found = {(Path(f["file"]).name, f["line"], f["code"]): f for f in json.loads(result.output)}
    assert set(found) == {("02.md", 3, "link"), ("02.md", 3, "xref")}
    assert found["02.md", 3, "link"]["hint"] == "Did you mean 'sec-intro'?"
    assert "@fig-none" in found["02.md", 3, "xref"]["message"]


def test_check_lists_every_missing_source(project_dir):
    root = project_dir(MINIMAL.replace("content/*.md", "content/a.md")
                       + "  - id: two\n    type: document\n    sources: [content/b.md]\n")
    result = run("--project", str(root), "check")
    assert result.exit_code == 1
    assert "apecdocs.yaml (line 8): source file 'content/a.md' not found" in result.output
    assert "apecdocs.yaml (line 11): source file 'content/b.md' not found" in result.output


def test_check_passes_a_clean_project(project_dir):
    root = project_dir(files={"content/01.md": "# A {#sec-a}\n\n[Back](#sec-a) {{ lang }}\n"})
    result = run("--project", str(root), "check")
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("0 error(s), 0 warning(s)")


def test_check_names_an_unknown_document(project_dir):
    result = run("--project", str(project_dir()), "check", "dco")
    assert result.exit_code == 1 and "Did you mean 'doc'?" in result.output


def test_check_reports_a_plugin_crash_as_a_finding(project_dir):
    root = project_dir(files={"content/01.md": "x\n", "plugins/crash.py":
                              "from apecdocs import hookimpl\n\n@hookimpl\n"
                              "def transform_ast(ast, project, document, lang):\n"
                              "    raise ZeroDivisionError('boom')\n"})
    result = run("--project", str(root), "check")
    assert result.exit_code == 1
    assert "plugins/crash.py (line 5): plugin 'crash.py' failed in hook 'transform_ast': " \
           "ZeroDivisionError: boom" in result.output
    assert "Traceback" not in result.output


# -- build summary -----------------------------------------------------------------------

def test_build_summary_lists_each_failure_and_builds_the_rest(project_dir):
    root = project_dir(MINIMAL + """\
  - id: bad-one
    type: document
    sources: [other/1.md]
  - id: bad-two
    type: document
    sources: [other/2.md]
""", {"content/01.md": "fine\n", "other/1.md": "{{ nope }}\n", "other/2.md": "{{ 1 / 0 }}\n"})
    result = run("--project", str(root), "build", "--to", "html")
    assert result.exit_code == 1
    assert "error: en/bad-one.html failed: In file" in result.output
    assert "unknown template variable" in result.output
    assert "error: en/bad-two.html failed: In file" in result.output
    assert "division by zero" in result.output
    assert "1 built, 0 unchanged, 2 failed" in result.output
    assert (root / "_build/en/doc.html").is_file()


# -- watch -------------------------------------------------------------------------------

def test_snapshot_skips_outputs_and_hidden_folders(project_dir):
    root = project_dir()
    Project.load(root).build(formats=["html"])
    before = snapshot(root, [root / "_build"])
    assert all("_build" not in p and ".apecdocs" not in p for p in before)
    (root / "content/01.md").write_text("# Changed\n")
    (root / "content/new.md").write_text("new\n")
    assert changed(before, snapshot(root)) == [str(root / "content/01.md"),
                                                str(root / "content/new.md")]


def test_watcher_rebuilds_after_a_change_and_survives_errors(project_dir):
    root = project_dir(MINIMAL.replace("title: The Test Document",
                                       "title: The Test Document\n    formats: [html]"))
    stop = threading.Event()
    reports, said = [], []
    watcher = Watcher(root, lambda p: reports.append(p.build()), say=said.append,
                      interval=0.05, stop=stop)
    thread = threading.Thread(target=watcher.run)
    thread.start()
    try:
        _wait(lambda: len(reports) == 1)
        (root / "content/01.md").write_text("{{ broken }}\n")
        _wait(lambda: any("unknown template variable" in s for s in said))
        (root / "content/01.md").write_text("# Second version\n")
        _wait(lambda: len(reports) == 2)
    finally:
        stop.set()
        thread.join(10)
    assert "Second version" in (root / "_build/en/doc.html").read_text()
    assert [o.status for o in reports[1].outputs] == ["built"]
    assert any(s.startswith("changed: content/01.md") for s in said)


def test_a_save_made_while_a_build_runs_starts_another_round(project_dir):
    # the build has read the file when the save lands: that build misses it, the next not
    root = project_dir(MINIMAL.replace("title: The Test Document",
                                       "title: The Test Document\n    formats: [html]"))
    stop = threading.Event()
    reports: list = []

    def build(project):
        reports.append(project.build())
        if len(reports) == 1:
            (root / "content/01.md").write_text("# Saved during the build\n")

    watcher = Watcher(root, build, say=lambda text: None, interval=0.05, stop=stop)
    thread = threading.Thread(target=watcher.run)
    thread.start()
    try:
        _wait(lambda: len(reports) == 2)
    finally:
        stop.set()
        thread.join(10)
    assert "Saved during the build" in (root / "_build/en/doc.html").read_text()


def test_watch_command_stops_cleanly_on_ctrl_c(project_dir):
    root = project_dir()
    proc = subprocess.Popen([sys.executable, "-m", "apecdocs", "-p", str(root), "watch", "--to",
                             "html", "--interval", "0.1"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env={**os.environ, "CI": "1"})
    try:
        out = root / "_build/en/doc.html"
        _wait(out.is_file)
        (root / "content/01.md").write_text("# Edited while watching\n")
        _wait(lambda: "Edited while watching" in out.read_text())
    finally:
        proc.send_signal(signal.SIGINT)
        output, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, output
    assert "stopped watching" in output and "Traceback" not in output


def test_build_watch_builds_then_watches(project_dir, monkeypatch):
    rounds: list[Path] = []
    monkeypatch.setattr(Watcher, "run", lambda self: _once(self, rounds))  # no endless polling
    root = project_dir()
    result = run("build", "-p", str(root), "--watch", "--to", "html")
    assert result.exit_code == 0, result.output
    assert rounds == [root.resolve()] and (root / "_build/en/doc.html").is_file()
    assert "1 built, 0 unchanged, 0 failed" in result.output


def _once(watcher: Watcher, rounds: list) -> int:
    watcher._round()
    rounds.append(watcher.root)
    return 1

def _wait(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("timed out waiting")
        time.sleep(0.05)


# -- the documentation and its example plugin --------------------------------------------

DOCS = Path(__file__).resolve().parents[1] / "docs"
MINE = ["index", "tutorial", "reference", "plugin-guide"]


def test_the_documentation_builds_with_apecdocs(tmp_path):
    import shutil

    from apecdocs import hookspecs
    from conftest import html_text

    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs, ignore=shutil.ignore_patterns("_build", ".apecdocs",
                                                              "__pycache__"))
    result = run("build", "-p", str(docs), *MINE)
    assert result.exit_code == 0, result.output
    out = docs / "_build/en"
    reference = html_text(out / "reference.html")
    assert "meta of circular documents" in reference and "heading" in reference
    guide = html_text(out / "plugin-guide.html")
    for name, spec in vars(hookspecs).items():
        if hasattr(spec, "apecdocs_spec"):
            assert name in guide, name
    assert "def join_names(names: list[str]) -> str:" in guide  # the listing, verbatim
    assert "{% if document.meta.get(\"action\") %}" in guide  # a template shown, not run
    assert "from apecdocs init to a submitted report" in html_text(out / "tutorial.html")


@pytest.fixture
def briefing(monkeypatch):
    monkeypatch.syspath_prepend(str(DOCS / "examples/apecdocs_briefing"))
    import apecdocs_briefing

    return apecdocs_briefing


BRIEF = """\
project: {number: SCSC 01 2021, title: A Test Project}
briefing: {classification: Restricted}
documents:
  - id: som-brief
    type: briefing-note
    sources: [content/brief.md]
    meta:
      to: [Senior Official, Deputy]
      from: Project overseer
      date: 2021-05-03
      subject: SCSC 01 2021 at SOM2
      draft: true
      action: Note the results and endorse the report.
"""


def test_the_example_plugin_builds_a_briefing_note(project_dir, briefing):
    from conftest import docx_text, html_text, pdf_text

    root = project_dir(BRIEF, {"content/brief.md": "The project met its targets.\n"})
    project = Project.load(root, plugins=[briefing])
    assert not [f for f in project.check() if f.severity in ("error", "warning")]
    report = project.build()
    assert report.ok and len(report.outputs) == 3
    out = root / "_build/en"
    for text in (html_text(out / "som-brief.html"), docx_text(out / "som-brief.docx"),
                 pdf_text(out / "som-brief.pdf")):
        for words in ("RESTRICTED", "DRAFT", "To: Senior Official, Deputy", "Date: 3 May 2021",
                      "Subject: SCSC 01 2021 at SOM2", "The project met its targets.",
                      "Action requested", "Prepared by Project overseer for Senior Official "
                      "and Deputy"):
            assert words in " ".join(text.split()), (words, text)
    assert ".classification {" in (out / "som-brief.html").read_text()


def test_the_example_plugin_checks_and_validates(project_dir, briefing, monkeypatch):
    import click

    from apecdocs import ApecdocsError
    from apecdocs.cli import Context

    root = project_dir(BRIEF.replace("2021-05-03", "2021-05-02")
                       .replace("SCSC 01 2021 at SOM2", "x" * 90),
                       {"content/brief.md": "Text.\n"})
    findings = Project.load(root, plugins=[briefing]).check()
    assert [(f.severity, f.location.line) for f in findings] == [("warning", 11),
                                                                  ("warning", 10)]
    assert "Sunday" in findings[1].message
    group = click.Group()
    briefing.register_commands(cli=group)
    monkeypatch.setattr(Context, "load", lambda self: Project.load(self.project_path,
                                                                   plugins=[briefing]))
    result = CliRunner().invoke(group, ["briefings"], obj=Context(root, False))
    assert result.output == f"som-brief: {'x' * 90}\n"
    bad = project_dir(BRIEF.replace("from: Project overseer", "frm: Project overseer"))
    with pytest.raises(ApecdocsError) as err:
        Project.load(bad, plugins=[briefing])
    assert "Did you mean 'from'?" in str(err.value)
