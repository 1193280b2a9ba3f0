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
from pathlib import Path

import pytest

from apecdocs import ApecdocsError, Project

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


def test_a_project_file_that_passed_before_is_not_validated_again(project_dir):
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
