"""Plugins: hooks documented, outside plugins change the AST and add types, loading paths."""

from __future__ import annotations

import inspect
import sys
import textwrap
import types

import pytest

from apecdocs import ApecdocsError, DocumentType, Project, hookimpl, hookspecs
from apecdocs.plugins import describe, new_manager
from conftest import docx_text, html_text, pdf_text

HOOKS = sorted(n for n, f in vars(hookspecs).items() if hasattr(f, "apecdocs_spec"))


def test_every_hook_is_documented_with_its_signature():
    for name in HOOKS:
        spec = getattr(hookspecs, name)
        assert spec.__doc__ and len(spec.__doc__.strip()) > 30, name
        assert inspect.signature(spec).return_annotation is not inspect.Signature.empty, name


def test_every_hook_is_tested():
    """Each hook is named in at least one test module (datasette's rule)."""
    import pathlib

    tests = "".join(p.read_text() for p in pathlib.Path(__file__).parent.glob("test_*.py"))
    for name in HOOKS:
        assert f"def {name}(" in tests or f"hook.{name}(" in tests, name


class Shout:
    """An outside plugin: a document type, an AST change and a template filter."""

    @hookimpl
    def document_types(self):
        return [DocumentType("memo", "A memo", defaults={"toc": False})]

    @hookimpl
    def transform_ast(self, ast, project, document, lang):
        from apecdocs.pandoc_ast import nodes

        if document.type == "memo":
            for node in nodes(ast["blocks"], "Str"):
                node["c"] = node["c"].upper()

    @hookimpl
    def jinja_filters(self):
        return {"shout": lambda s: s.upper() + "!"}

    @hookimpl
    def jinja_globals(self):
        return {"greeting": "hello"}

    @hookimpl
    def template_context(self, project, document, lang):
        return {"memo_to": "all economies"}

    @hookimpl
    def finalize_ast(self, ast, project, target):
        from apecdocs.pandoc_ast import para

        ast["blocks"].append(para(f"Written as {target.format}"))

    @hookimpl
    def pandoc_options(self, project, target, options):
        if target.format == "html":
            options.variables["css-inline"] += "\n.memo { color: red }"

    @hookimpl
    def output_written(self, project, path, target):
        self.written = [*getattr(self, "written", []), path.name]

    @hookimpl
    def config_schema(self):
        return {"memo": {"type": "object", "properties": {"signed": {"type": "string"}}}}

    @hookimpl
    def data_loaders(self):
        return {".txt": lambda path: path.read_text().split()}

    @hookimpl
    def check(self, project, document):
        if document is not None and document.type == "memo" and "signed" not in project.config.get("memo", {}):
            from apecdocs import Finding

            return [Finding("memo is not signed", severity="warning")]
        return []


MEMO = """\
project:
  number: TEST 01 2024
  title: Memo Test
memo: {}
data:
  words: data/words.txt
documents:
  - id: memo
    type: memo
    title: A Memo
    sources: [content/*.md]
"""


def test_outside_plugin_adds_type_changes_ast_and_sees_options(project_dir):
    root = project_dir(MEMO, {
        "content/01.md": "To {{ memo_to }}: {{ 'quick' | shout }} {{ greeting }} "
                         "{{ data.words | length }} words.\n",
        "data/words.txt": "one two three",
    })
    plugin = Shout()
    project = Project.load(root, plugins=[plugin])
    assert project.documents["memo"].type == "memo"
    findings = project.check()
    assert [f.message for f in findings] == ["memo is not signed"]
    report = project.build()
    assert sorted(plugin.written) == ["memo.docx", "memo.html", "memo.pdf"]
    assert "TO ALL ECONOMIES: QUICK! HELLO 3 WORDS." in docx_text(root / "_build/en/memo.docx")
    assert "Written as docx" in docx_text(root / "_build/en/memo.docx")
    assert "Written as pdf" in pdf_text(root / "_build/en/memo.pdf")
    html = (root / "_build/en/memo.html").read_text()
    assert ".memo { color: red }" in html and "Written as html" in html_text(root / "_build/en/memo.html")
    assert report.ok


def test_unknown_top_level_key_without_plugin_is_an_error(project_dir):
    root = project_dir(MEMO.replace("type: memo", "type: document"))
    with pytest.raises(ApecdocsError) as err:
        Project.load(root)
    assert "unknown key 'memo'" in str(err.value)


def test_first_party_plugins_load_through_entry_points():
    rows = {r["name"]: r["source"] for r in describe(new_manager(None))}
    assert rows["apec"].startswith("entry point of apecdocs")
    assert rows["charts"].startswith("entry point of apecdocs")
    assert rows["apecdocs.builtin"] == "core"


def test_autoload_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("APECDOCS_DISABLE_PLUGIN_AUTOLOAD", "1")
    names = [r["name"] for r in describe(new_manager(None))]
    assert names == ["apecdocs.builtin", "apecdocs.review.plugin"]  # the core's own


def test_an_installed_entry_point_plugin_is_picked_up(monkeypatch, tmp_path):
    """A third-party distribution's entry point is loaded like ours."""
    import importlib.metadata as md

    # The faked distribution is not on disk, where the list of plugins kept between runs
    # looks for changes (tests/test_startup.py installs one there): start without it.
    monkeypatch.setenv("APECDOCS_CACHE", str(tmp_path / "cache"))

    module = types.ModuleType("third_party_plugin")
    exec(textwrap.dedent("""
        from apecdocs import hookimpl, DocumentType
        @hookimpl
        def document_types():
            return [DocumentType("third-party-type")]
    """), module.__dict__)
    monkeypatch.setitem(sys.modules, "third_party_plugin", module)

    class Dist:
        metadata = {"name": "third-party"}
        version = "9.9"
        entry_points = [md.EntryPoint("third", "third_party_plugin", "apecdocs")]

        @property
        def name(self):
            return "third-party"

    real = md.distributions
    monkeypatch.setattr(md, "distributions", lambda **kw: [*real(**kw), Dist()])
    pm = new_manager(None)
    types_ = [t.name for group in pm.hook.document_types() for t in group]
    assert "third-party-type" in types_


def test_project_plugins_folder_is_loaded(project_dir):
    root = project_dir(files={
        "content/01.md": "{{ 'x' | stars }}\n",
        # Markdown a filter writes is Markup; plain text would be printed as text.
        "plugins/local.py": "from markupsafe import Markup\nfrom apecdocs import hookimpl\n\n"
                            "@hookimpl\ndef jinja_filters():\n"
                            "    return {'stars': lambda s: Markup('*' + s + '*')}\n",
        "plugins/subpackage/__init__.py": "raise RuntimeError('subfolders are not plugins')\n",
    })
    project = Project.load(root)
    assert any(r["source"].startswith("project file") for r in describe(project.plugins))
    project.build(formats=["html"])
    assert "<em>x</em>" in (root / "_build/en/doc.html").read_text()


def test_broken_project_plugin_names_its_file(project_dir):
    root = project_dir(files={"content/01.md": "x\n", "plugins/bad.py": "import nonexistent_mod\n"})
    with pytest.raises(ApecdocsError) as err:
        Project.load(root)
    assert err.value.file.name == "bad.py"


def test_misspelled_hook_is_rejected(project_dir):
    class Typo:
        @hookimpl
        def transform_asts(self, ast):
            pass

    with pytest.raises(ApecdocsError) as err:
        Project.load(project_dir(), plugins=[Typo()])
    assert "transform_asts" in str(err.value)


def test_translate_hook_first_result_wins():
    class A:
        @hookimpl
        def translate(self, segments, source_lang, target_lang):
            return [s[::-1] for s in segments]

    pm = new_manager(None, autoload=False)
    pm.register(A())
    assert pm.hook.translate(segments=["abc"], source_lang="en", target_lang="vi") == ["cba"]


def test_register_commands_adds_to_the_cli():
    import click
    from click.testing import CliRunner

    from apecdocs.cli import cli

    class Cmd:
        @hookimpl
        def register_commands(self, cli):
            @cli.command(name="hello-test")
            def hello():
                click.echo("hi from a plugin")

    pm = new_manager(None, autoload=False)
    pm.register(Cmd())
    pm.hook.register_commands(cli=cli)
    try:
        result = CliRunner().invoke(cli, ["hello-test"])
        assert result.output.strip() == "hi from a plugin"
    finally:
        cli.commands.pop("hello-test", None)



class Ready:
    """A plugin that gets ready while pandoc parses: where and when it was called."""

    def __init__(self, fail: bool = False) -> None:
        self.calls: list[tuple[str, str, str]] = []
        self.fail = fail

    @hookimpl
    def prepare_document(self, project, document, lang):
        import threading

        self.calls.append((document.id, lang, threading.current_thread().name))
        if self.fail:
            raise ApecdocsError("not ready", hint="Fix it.")

    @hookimpl
    def transform_ast(self, ast, project, document, lang):
        self.transformed_after = len(self.calls)


def test_prepare_document_runs_while_pandoc_parses_and_not_when_the_parse_is_kept(tmp_path):
    from conftest import write_project

    root = write_project(tmp_path / "p", files={"content/a.md": "# A\n\nWords.\n"})
    ready = Ready()
    Project.load(root, plugins=[ready]).build(formats=["html"])
    assert [c[:2] for c in ready.calls] == [("doc", "en")]
    assert ready.calls[0][2].endswith("prepare_document")  # a thread of its own
    assert ready.transformed_after == 1  # done before the tree is transformed
    (root / "_build" / "en" / "doc.html").unlink()
    Project.load(root, plugins=[ready]).build(formats=["html"])  # parse kept: not asked
    assert len(ready.calls) == 1
    (root / "content" / "a.md").write_text("# A\n\nOther words.\n", encoding="utf-8")
    Project.load(root, plugins=[ready]).build(formats=["html"])
    assert len(ready.calls) == 2


def test_an_error_in_prepare_document_stops_the_document(tmp_path):
    from apecdocs.errors import BuildFailed
    from conftest import write_project

    root = write_project(tmp_path / "p", files={"content/a.md": "# A\n\nWords.\n"})
    with pytest.raises(BuildFailed, match="not ready"):
        Project.load(root, plugins=[Ready(fail=True)]).build(formats=["html"])
    assert not (root / "_build" / "en" / "doc.html").exists()


def test_the_citations_plugin_readies_its_engine_while_pandoc_parses(tmp_path, monkeypatch):
    from apecdocs_citations import items

    from conftest import write_project

    bib = ('[{"id": "lee2020", "type": "book", "title": "Trade", "author": [{"family": '
           '"Lee", "given": "A."}], "issued": {"date-parts": [[2020]]}}]')
    yaml = ("project: {number: TEST 01 2024, title: T}\n"
            "citations: {bibliography: data/refs.json, style: apa}\n"
            "documents:\n  - {id: doc, type: document, title: D, sources: [content/a.md]}\n")
    root = write_project(tmp_path / "p", yaml, files={
        "content/a.md": "# A\n\nAs shown [@lee2020].\n", "data/refs.json": bib})
    made: list[str] = []
    real = items.prepare
    monkeypatch.setattr(items, "prepare", lambda item, i: made.append(item["id"]) or real(item, i))
    monkeypatch.setattr(items, "_readable", {})
    Project.load(root).build(formats=["html"])
    assert made == ["lee2020"]  # made once, ahead of the rendering, which reused it
    assert "(Lee, 2020)" in (root / "_build" / "en" / "doc.html").read_text(encoding="utf-8")
