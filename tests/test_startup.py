"""Start-up: what a no-op build and ``--help`` import, and what is kept between runs.

Heavy libraries load on first use; these tests look at which modules a fresh process
imported (not at times: speed is measured by benchmarks/).
"""

from __future__ import annotations

import json
import subprocess
import sys

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

