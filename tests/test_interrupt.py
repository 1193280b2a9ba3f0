"""Ctrl-C stops a build at once, the first time, at any moment: exit code 130, one
line, no traceback, previous outputs kept."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import HTML, write_project

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

STUCK = """\
import time
from pathlib import Path
from apecdocs import hookimpl

@hookimpl
def transform_ast(ast, project, document, lang):
    (project.root / "started").write_text("yes")
    time.sleep(600)  # a plugin that never returns
"""


def apecdocs(root: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "apecdocs", "-p", str(root), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)


def test_ctrl_c_in_the_first_moments(tmp_path):
    """Whenever Ctrl-C comes once apecdocs's code runs (importing its modules takes a
    moment), it ends with 130 and one line. Before that, Python itself is starting and
    prints its own traceback, which names no apecdocs file."""
    root = write_project(tmp_path / "proj", HTML)
    stopped = 0
    for delay in (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4):
        proc = apecdocs(root, "build", "--force")
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGINT)
        output, _ = proc.communicate(timeout=30)
        if proc.returncode == 0:  # the build was quicker than the Ctrl-C: nothing to stop
            continue
        assert "/apecdocs/" not in output and "Aborted" not in output, output
        if proc.returncode == 130:
            stopped += 1
            assert output.strip().endswith("nothing was left half-written"), output
    assert stopped, "no Ctrl-C reached apecdocs"


def test_the_first_ctrl_c_stops_a_plugin_stuck_in_a_hook(tmp_path):
    root = write_project(tmp_path / "proj", HTML, {"content/01.md": "# T\n",
                                                   "plugins/stuck.py": STUCK})
    proc = apecdocs(root, "build")
    deadline = time.monotonic() + 60
    while not (root / "started").exists():
        assert proc.poll() is None and time.monotonic() < deadline, proc.stdout.read()
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)
    output, _ = proc.communicate(timeout=60)  # not the 600 s the plugin would take
    assert proc.returncode == 130, output
    assert "Traceback" not in output and "interrupted" in output
    assert not (root / "_build/en/doc.html").exists()
