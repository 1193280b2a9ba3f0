"""One mistake, one clear message: the catalogue of mistakes and faults a user or a
plugin author can cause ends in a message naming the cause first (file and line where
there is one), never a traceback, never "internal error", never a flood of follow-ons;
``check`` and ``build`` give the same finding."""

from __future__ import annotations

import errno
import json
import re
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from apecdocs import ApecdocsError, Project
from apecdocs.cli import cli
from apecdocs.watch import Watcher
from conftest import HTML, write_project

WITH_DATA = HTML + "data:\n  people: data/people.csv\n"
PUBLICATION = """\
project: {number: TEST 01 2024, title: A Test Project}
formats: [html]
documents:
  - id: doc
    type: publication
    title: The Test Document
    sources: [content/*.md]
    meta: {acronyms: content/acronyms.yaml}
"""


def cli_run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    return result, result.output


def assert_clean(result, output: str) -> None:
    """No traceback, no exception escaping the command, no blame on apecdocs."""
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    assert "Traceback" not in output and "internal error" not in output, output
    assert "plugin 'apec'" not in output, output  # a data mistake is not the plugin's fault


def plugin(hook: str, args: str) -> dict[str, str]:
    return {"content/01.md": "# Hello\n",
            "plugins/bad.py": f"from apecdocs import hookimpl\n@hookimpl\ndef {hook}({args}):\n"
                              f"    raise RuntimeError('boom')\n"}


CHART = '# T\n\nSee @fig-a.\n\n```{.chart #fig-a caption="A"}\nkind: bar\n'
AGENDA = """\
project: {number: TEST 01 2024, title: A Test Project}
formats: [html]
data: {agenda: data/agenda.yaml}
documents:
  - {id: agenda, type: agenda, title: Agenda}
"""
DAY = ("event: {title: W}\nspeakers:\n  - {id: a, name: Ms A, sex: female}\n"
       "days:\n  - date: 2019-09-10\n    sessions:\n")
SLOT = "      - {start: '09:00', end: '10:00', title: T, "
# (name, project file, files, command, exit code, what the message says)
CATALOGUE = [
    ("deep blockquote (check)", HTML, {"content/01.md": "> " * 600 + "x\n"}, "check", 1,
     "content/01.md (line 1): the text nests too deeply"),
    ("deep blockquote (build)", HTML, {"content/01.md": "> " * 600 + "x\n"}, "build", 1,
     "content/01.md (line 1): the text nests too deeply"),
    ("CSV cell over 128 KiB is data, not an error", WITH_DATA,
     {"content/01.md": "{{ data.people | length }} rows\n",
      "data/people.csv": "name,x\na," + "y" * 140_000 + "\n"}, "build", 0, "1 built"),
    ("CSV quote never closed", WITH_DATA,
     {"content/01.md": "{{ data.people | length }}\n",
      "data/people.csv": 'name,x\na,1\nb,"2\nc,3\n'}, "build", 1,
     "people.csv (line 3): not valid CSV: unexpected end of data"),
    ("CSV quote closed rows later merges rows", WITH_DATA,
     {"content/01.md": "{{ data.people | length }}\n",
      "data/people.csv": 'name,x,y\na,"1,2\nb,2,3\nc",3,4\nd,4,5\n'}, "check", 1,
     "people.csv (line 2): a quoted value opened on line 2 runs on to line 4, merging rows"),
    ("CSV not UTF-8", WITH_DATA,
     {"content/01.md": "{{ data.people | length }}\n",
      "data/people.csv": "name,x\nJos\xe9,1\n".encode("latin-1")}, "check", 1,
     "people.csv (line 2): not UTF-8 text (byte 0xe9 cannot be read)"),
    ("CSV row with too few values", WITH_DATA,
     {"content/01.md": "{{ data.people | length }}\n",
      "data/people.csv": "name,x,y\na,1,2\nb,1\n"}, "check", 1,
     "people.csv (line 3): 2 values but 3 columns (name, x, y). Add the missing values"),
    ("acronyms.yaml as a list", PUBLICATION,
     {"content/01.md": "# T\n", "content/acronyms.yaml": "- APEC\n- WTO\n"}, "build", 1,
     "acronyms.yaml (line 1): acronyms file should be a mapping, not list"),
    ("acronym with a nested value", PUBLICATION,
     {"content/01.md": "# T\n", "content/acronyms.yaml": "APEC: Asia-Pacific\nWTO:\n  x: 1\n"},
     "check", 1, "acronyms.yaml (line 2): acronyms file: 'WTO' should be text or a number"),
    ("chart rows: 5", HTML, {"content/01.md": CHART + "rows: 5\nx: a\ny: b\n```\n"}, "build", 1,
     "content/01.md (line 7): chart block: 'rows' should be a list, not int"),
    ("chart option typo", HTML,
     {"content/01.md": CHART + "rows: [{a: x, b: 1}]\nx: a\ny: b\ny_label: P\n```\n"},
     "check", 1, "content/01.md (line 10): chart block: unknown key 'y_label'. Did you mean "
                 "'ylabel'?"),
    ("template attribute typo", HTML, {"content/01.md": "# T\n\n{{ document.titel }}\n"},
     "build", 1, "content/01.md (line 3): no attribute 'titel' on the document (did you mean "
                 "'title'?)"),
    ("unclosed block", HTML,
     {"content/01.md": "# T\n\n{% if true %}\nabc\n\n{% for x in [1] %}{{ x }}{% endfor %}\n"},
     "check", 1, "content/01.md (line 3): template syntax error: '{% if %}' opened here is never "
                 "closed with '{% endif %}'"),
    ("front matter YAML", HTML, {"content/01.md": "---\njinja: true\nfoo: [1,\nbar: 2\n---\n# T\n"},
     "check", 1, "content/01.md (line 3, column 6): invalid front matter: the flow sequence "
                 "opened here is never closed"),
    ("flow sequence left open", HTML.replace("formats: [html]", "formats: [html\nlanguages: [en]"),
     None, "check", 1, "apecdocs.yaml (line 2, column 10): invalid YAML: the flow sequence "
     "opened here is not closed where it should be (expected ',' or ']', but got ':' on line 3)"),
    ("front matter unknown key", HTML, {"content/01.md": "---\njnja: false\n---\n# T\n"},
     "build", 1, "content/01.md (line 2): front matter: unknown key 'jnja'. Did you mean "
                 "'jinja'?"),
    ("--to pdf on a document without pdf", HTML, None, "build --to pdf", 1,
     "no document asked for is built as pdf: 'doc' is built as html"),
    ("build -j -1", HTML, None, "build -j -1", 2, "Invalid value for '--jobs'"),
    ("raw Typst error", HTML.replace("[html]", "[pdf]"),
     {"content/01.md": "# T\n\nHello\n\n```{=typst}\n#undefinedthing(1)\n```\n"}, "build", 1,
     "content/01.md (line 6): the PDF engine (Typst) failed: unknown variable: undefinedthing"),
    (".apecdocs is a file", HTML, {"content/01.md": "# T\n", ".apecdocs": "x"}, "build", 1,
     ".apecdocs: .apecdocs is a file, but apecdocs keeps its build cache in a folder"),
    ("source not UTF-8", HTML, {"content/01.md": "# T\n\nJos\xe9\n".encode("latin-1")}, "build",
     1, "content/01.md (line 3): not UTF-8 text"),
    ("filter typo", HTML, {"content/01.md": "{{ ['Chile'] | apec_lst }}\n"}, "check", 1,
     "content/01.md (line 1): template syntax error: No filter named 'apec_lst'. Did you mean "
     "'apec_list'?"),
    ("output folder is a file", HTML, {"content/01.md": "# T\n", "_build": "x"}, "build", 1,
     "_build/en: Not a directory. A file stands where apecdocs needs a folder"),
    ("chart data with a short row", HTML,
     {"content/01.md": "# T\n\n```{.chart #fig-a}\ndata: data/x.csv\nx: a\ny: b\n```\n",
      "data/x.csv": "a,b\nx,1\ny\n"}, "check", 1, "x.csv (line 3): 1 values but 2 columns (a, b)"),
    ("agenda days as numbers", """\
project: {number: TEST 01 2024, title: A Test Project}
formats: [html]
data: {agenda: data/agenda.yaml}
documents:
  - {id: agenda, type: agenda, title: Agenda}
""", {"data/agenda.yaml": "event: {title: W}\nspeakers: []\ndays: [1]\n"}, "check", 1,
     "agenda.yaml (line 3, column 8): 'days.0' should be a mapping, not int"),
    ("agenda days: [1, 2]", AGENDA, {"data/agenda.yaml": "event: {title: W}\ndays: [1, 2]\n"},
     "build", 1, "data/agenda.yaml (line 2, column 8): 'days.0' should be a mapping, not int"),
    ("agenda sessions as strings", AGENDA,
     {"data/agenda.yaml": DAY.replace("sessions:\n", "sessions: [Opening]\n")}, "check", 1,
     "data/agenda.yaml (line 6, column 16): 'days.0.sessions.0' should be a mapping, not str"),
    ("agenda speaker id as a list", AGENDA,
     {"data/agenda.yaml": DAY + SLOT + "speakers: [[a, b]]}\n"}, "check", 1,
     "data/agenda.yaml (line 7, column 61): 'days.0.sessions.0.speakers.0' should be text, "
     "not list"),
    ("agenda chair id as a list in a list", AGENDA,
     {"data/agenda.yaml": DAY + SLOT + "chair: [[a]]}\n"}, "check", 1,
     "data/agenda.yaml (line 7, column 58): 'days.0.sessions.0.chair.0' should be text, "
     "not list. Who chairs the session"),
    ("agenda unknown key speaker:", AGENDA,
     {"data/agenda.yaml": DAY + SLOT + "speaker: a}\n"}, "check", 1,
     "data/agenda.yaml (line 7, column 50): unknown key 'speaker' in days.0.sessions.0. "
     "Did you mean 'speakers'?"),
    ("agenda unknown key strat: (one cause, not 'start' missing too)", AGENDA,
     {"data/agenda.yaml": DAY + "      - {strat: '09:00', end: '10:00', title: T}\n"}, "check", 1,
     "data/agenda.yaml (line 7, column 10): unknown key 'strat' in days.0.sessions.0. "
     "Did you mean 'start'?"),
]
HOOKS = [("document_types", ""), ("config_schema", ""), ("build_finished", "project, report"),
         ("check", "project, document"), ("jinja_filters", ""), ("jinja_globals", ""),
         ("template_context", "project, document, lang"),
         ("transform_ast", "ast, project, document, lang"), ("finalize_ast", "ast, project, target"),
         ("pandoc_options", "project, target, options"), ("output_written", "project, path, target"),
         ("build_inputs", "project, document, lang")]


@pytest.mark.parametrize("name, yaml, files, command, code, said", CATALOGUE,
                         ids=[c[0] for c in CATALOGUE])
def test_the_catalogue_ends_in_clean_messages(tmp_path, name, yaml, files, command, code, said):
    root = write_project(tmp_path / "proj", yaml, files)
    result, output = cli_run("--project", str(root), *command.split())
    assert_clean(result, output)
    assert result.exit_code == code, output
    assert said in output
    if code == 1 and command.startswith("check"):
        assert "1 error(s)" in output  # the cause alone: no follow-on flood


@pytest.mark.parametrize("hook, args", HOOKS, ids=[h for h, _ in HOOKS])
def test_a_plugin_raising_in_any_hook_is_named_with_its_line(tmp_path, hook, args):
    root = write_project(tmp_path / "proj", HTML, plugin(hook, args))
    result, output = cli_run("--project", str(root), "build")
    assert_clean(result, output)
    assert result.exit_code == 1
    assert f"plugins/bad.py (line 4): plugin 'bad.py' failed in hook '{hook}': RuntimeError: boom" \
        in output


def test_a_plugin_failing_in_build_finished_still_gets_the_summary(tmp_path):
    """The outputs are written before ``build_finished``: the summary says so, then the
    plugin's failure is named, and the build exits 1."""
    root = write_project(tmp_path / "proj", HTML, plugin("build_finished", "project, report"))
    result, output = cli_run("--project", str(root), "build")
    assert_clean(result, output)
    assert result.exit_code == 1
    summary = output.index("1 built, 0 unchanged, 0 failed")
    failure = output.index("plugins/bad.py (line 4): plugin 'bad.py' failed in hook "
                           "'build_finished': RuntimeError: boom")
    assert summary < failure, output
    assert (root / "_build/en/doc.html").is_file()
    with pytest.raises(ApecdocsError) as caught:  # the Python API keeps the report too
        Project.load(root).build(force=True)
    assert [o.status for o in caught.value.report.outputs] == ["built"]
    quiet, said = cli_run("--project", str(root), "build", "-q", "--force")
    assert quiet.exit_code == 1 and "1 built" in said and "doc.html" not in said


def test_a_plugin_that_hangs_is_stopped_and_named(tmp_path, monkeypatch):
    monkeypatch.setenv("APECDOCS_HOOK_TIMEOUT", "0.5")
    root = write_project(tmp_path / "proj", HTML, {
        "content/01.md": "# T\n", "plugins/slow.py": "import time\nfrom apecdocs import hookimpl\n"
        "@hookimpl\ndef transform_ast(ast, project, document, lang):\n    time.sleep(30)\n"})
    result, output = cli_run("--project", str(root), "build")
    assert_clean(result, output)
    assert "plugin 'slow.py' did not finish hook 'transform_ast' within 0.5 s" in output
    assert "APECDOCS_HOOK_TIMEOUT" in output


def test_init_into_an_existing_file(tmp_path):
    (tmp_path / "afile").write_text("mine")
    result, output = cli_run("init", str(tmp_path / "afile"))
    assert_clean(result, output)
    assert result.exit_code == 1 and "is a file, not a folder" in output
    assert (tmp_path / "afile").read_text() == "mine"


def test_schema_into_a_folder(tmp_path):
    result, output = cli_run("schema", "-o", str(tmp_path))
    assert_clean(result, output)
    assert result.exit_code == 2 and "is a folder; give a file name" in output


@pytest.mark.parametrize("code, words", [(errno.EROFS, "Read-only file system"),
                                         (errno.ENOSPC, "No space left on device")])
def test_a_cache_that_cannot_be_written_says_what_and_where(tmp_path, monkeypatch, code, words):
    root = write_project(tmp_path / "proj", HTML)
    write_text = Path.write_text

    def refuse(self, *args, **kwargs):
        if ".apecdocs" in self.parts:
            raise OSError(code, words, str(self))
        return write_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", refuse)
    result, output = cli_run("--project", str(root), "build")
    assert_clean(result, output)
    assert re.search(rf"cannot write \S*\.apecdocs/work/doc\.en/\S+: {words}", output), output


def test_an_output_folder_that_cannot_be_written(tmp_path, monkeypatch):
    from apecdocs import write

    root = write_project(tmp_path / "proj", HTML)

    def full(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(root / "_build/en"))

    monkeypatch.setattr(write.tempfile, "mkstemp", full)
    result, output = cli_run("--project", str(root), "build")
    assert_clean(result, output)
    assert f"cannot write {root / '_build/en'}: Read-only file system. That folder is on a " \
           "read-only disk" in output


def test_watch_survives_a_raising_plugin(tmp_path):
    root = write_project(tmp_path / "proj", HTML, plugin("transform_ast",
                                                         "ast, project, document, lang"))
    said: list[str] = []
    stop = threading.Event()

    def build(project):
        project.build()

    watcher = Watcher(root, build, say=said.append, interval=0.05, stop=stop)
    threading.Timer(1.0, stop.set).start()
    assert watcher.run() == 1
    assert any("plugin 'bad.py' failed in hook 'transform_ast'" in s for s in said), said


# -- one root cause, one message; check and build agree ---------------------------------

BIBLIOGRAPHY = [{"id": "aubin2021", "type": "book", "title": "Trade", "issued": {
    "date-parts": [[2021]]}, "author": [{"family": "Aubin", "given": "A."}]}]
CITING = """\
# Intro {#sec-intro}

As shown [@aubion2021, 12], see @fig-map and @tbl-gap.

![Map](map.png){#fig-map}

| a | b |
|---|---|
| 1 | 2 |

: Gap {#tbl-gap}
"""


def test_a_misspelt_citation_is_one_message_in_check_and_build(tmp_path):
    root = tmp_path / "proj"
    write_project(root, HTML + "citations:\n  bibliography: refs.json\n",
                  {"content/01.md": CITING.replace("![Map](map.png){#fig-map}",
                                                   "![Map](/map.svg){#fig-map}"),
                   "refs.json": json.dumps(BIBLIOGRAPHY),
                   "map.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'})
    project = Project.load(root)
    findings = [f for f in project.check() if f.severity == "error"]
    assert len(findings) == 1, [str(f) for f in findings]
    assert "unknown citation key '@aubion2021'" in findings[0].message
    assert "aubin2021" in findings[0].hint
    result, output = cli_run("--project", str(root), "build")
    assert "cross-reference" not in output and output.count("error:") == 1, output
    assert str(findings[0]).removeprefix("error: ") in output


@pytest.mark.parametrize("files", [
    {"content/01.md": "# T\n\nMade in Vietnam.\n"},  # a project-level plugin check
    {"content/01.md": "# T\n\nSee @fig-nowhere.\n"},  # the core's cross-reference check
    {"content/01.md": "# T\n\nSee [there](#nowhere).\n"},  # and its link check
    {"content/01.md": "# T\n\n![Map](https://example.org/map.png)\n"},  # remote image
    {"content/01.md": "# T\n\n![Map](file:///etc/hostname)\n"},
], ids=["economy name", "cross-reference", "link", "remote image", "file URL image"])
def test_check_and_build_give_the_same_finding(tmp_path, files):
    root = write_project(tmp_path / "proj", HTML, files)
    [finding] = [f for f in Project.load(root).check() if f.severity == "error"]
    with pytest.raises(ApecdocsError) as failed:
        Project.load(root).build()
    assert str(failed.value).endswith(str(finding).removeprefix("error: "))
    assert not (root / "_build/en/doc.html").exists()


def test_build_warnings_reach_the_summary_the_report_and_each_output(tmp_path):
    warn = ("from apecdocs import Finding, hookimpl\nfrom apecdocs.errors import Location\n"
            "@hookimpl\ndef check(project, document):\n"
            "    if document is None:\n"
            "        return [Finding('whole project', Location(project.file, 1), 'warning')]\n"
            "    return [Finding(f'about {document.id}', document.location, 'warning')]\n")
    root = write_project(tmp_path / "proj", HTML, {"content/01.md": "# T\n",
                                                   "plugins/warn.py": warn})
    checked = [str(f) for f in Project.load(root).check()]
    report = Project.load(root).build()
    assert [w for w in report.warnings if "whole project" in w or "about doc" in w] == [
        c.removeprefix("warning: ") for c in checked]
    [output] = report.outputs
    assert any("about doc" in w for w in output.warnings)
    result, printed = cli_run("--project", str(root), "build", "--force")
    assert "warning: " in printed and "about doc" in printed and "2 warning(s)" in printed
    result, printed = cli_run("--project", str(root), "build", "--force", "-q")
    assert printed.strip().splitlines() == [printed.strip().splitlines()[-1]]
    assert re.fullmatch(r"1 built, 0 unchanged, 0 failed, 2 warning\(s\) in \d+\.\ds", printed.strip())


def test_a_mistake_that_stops_several_targets_is_printed_once(tmp_path):
    root = write_project(tmp_path / "proj", HTML.replace("[html]", "[docx, html]"),
                         {"content/01.md": "# T\n\nMade in Vietnam.\n"})
    result, output = cli_run("--project", str(root), "build")
    assert result.exit_code == 1
    [line] = [x for x in output.splitlines() if x.startswith("error:")]
    assert line.startswith("error: en/doc.docx, en/doc.html failed: In file ")
    assert "content/01.md (line 3, column 9): 'Vietnam' is not the APEC name. " \
        "Write 'Viet Nam'. If it is part of an institution's official name" in line


def test_quiet_means_quiet_in_check_and_init(tmp_path):
    warn = ("from apecdocs import Finding, hookimpl\n@hookimpl\ndef check(project, document):\n"
            "    return [Finding('just so you know', severity='warning')] if document else []\n")
    root = write_project(tmp_path / "proj", HTML, {"content/01.md": "# T\n",
                                                   "plugins/warn.py": warn})
    result, output = cli_run("--project", str(root), "check")
    assert "warning: just so you know" in output
    result, output = cli_run("--project", str(root), "check", "-q")
    assert result.exit_code == 0 and output.strip() == "0 error(s), 1 warning(s)"
    result, output = cli_run("init", "-q", str(tmp_path / "new"))
    assert result.exit_code == 0 and "  created" not in output
    assert output.strip().splitlines()[-1].endswith("apecdocs check && apecdocs build")


def test_a_wrapper_hook_that_raises_is_named_too(tmp_path):
    wrapper = ("from apecdocs import hookimpl\n@hookimpl(wrapper=True)\n"
               "def transform_ast(ast, project, document, lang):\n"
               "    result = yield\n    raise KeyError('after the others')\n")
    root = write_project(tmp_path / "proj", HTML, {"content/01.md": "# T\n",
                                                   "plugins/wrap.py": wrapper})
    result, output = cli_run("--project", str(root), "build")
    assert_clean(result, output)
    assert "plugins/wrap.py (line 5): plugin 'wrap.py' failed in hook 'transform_ast': " \
           "KeyError: 'after the others'" in output


BUILD_ONLY = {"raw Typst error", ".apecdocs is a file", "output folder is a file",
              "--to pdf on a document without pdf", "build -j -1"}
SAME = [c for c in CATALOGUE if c[4] == 1 and c[0] not in BUILD_ONLY]


@pytest.mark.parametrize("name, yaml, files, command, code, said", SAME,
                         ids=[c[0] for c in SAME])
def test_the_catalogue_gives_the_same_first_finding_in_check_and_build(
        tmp_path, name, yaml, files, command, code, said):
    root = write_project(tmp_path / "proj", yaml, files)
    checked, check_output = cli_run("--project", str(root), "check")
    built, build_output = cli_run("--project", str(root), "build")
    assert checked.exit_code == built.exit_code == 1
    first = next(x for x in check_output.splitlines() if x.startswith("error: "))
    assert first.removeprefix("error: ") in build_output, (check_output, build_output)


def test_a_missing_image_from_the_project_folder_says_where_it_was_looked_for(tmp_path):
    root = write_project(tmp_path / "proj", HTML, {"content/01.md": "# T\n\n![M](/img/m.png)\n"})
    [finding] = [f for f in Project.load(root).check() if f.severity == "error"]
    assert finding.location.line == 3 and "read from the project folder" in finding.hint
