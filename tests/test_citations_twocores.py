"""A long bibliography rendered on two cores (``twocores``) gives the entries one core
gives, in every kind of style, and falls back to one core whenever the forked copy
fails, hangs or cannot send its entries, or no core is free."""

from __future__ import annotations

import json
import os
import sys
import threading
import time

import pytest
from apecdocs_citations import engine, styles, twocores

from apecdocs import Project, pandoc

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or pandoc.SLOTS < 2,
                                reason="two cores are used on Linux with two cores only")

NAMES = ["Lee", "Kim", "Park", "Cho", "Nguyen", "Tan", "Wong", "Suzuki"]


def _items(n: int) -> dict[str, dict]:
    """``n`` entries of several types, with names shared so that years need suffixes."""
    kinds = ["article-journal", "book", "report", "chapter"]
    return {f"k{i}": {
        "id": f"k{i}", "type": kinds[i % 4], "title": f"Study number {i} of trade",
        "author": [{"family": NAMES[i % 8], "given": "Ann"}],
        "container-title": "Journal of Trade", "volume": str(i), "page": f"{i}-{i + 9}",
        "publisher": "APEC", "issued": {"date-parts": [[2000 + i % 5]]},
        "URL": f"https://example.org/a?x={i}&y=2"} for i in range(n)}


@pytest.fixture
def forks(monkeypatch):
    """Every fork made, counted in this process; a bibliography of 8 is long enough."""
    made = []
    real = os.fork

    def counting():
        pid = real()
        if pid:
            made.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counting)
    monkeypatch.setattr(twocores, "MIN_ENTRIES", 8)
    return made


def _render(style: str, items: dict) -> engine.Result:
    groups = [[engine.Cite(key)] for key in items]
    return engine.render(items, groups, styles.packaged(style), "en-US")


@pytest.mark.parametrize("style", ["apa", "ieee", "chicago-note-bibliography"])
def test_entries_on_two_cores_are_the_entries_on_one(forks, monkeypatch, style):
    items = _items(40)
    two = _render(style, items)
    assert len(forks) == 1, "the bibliography was not rendered on two cores"
    monkeypatch.setattr(twocores, "MIN_ENTRIES", 10**9)
    one = _render(style, items)
    assert len(forks) == 1
    assert two.entries == one.entries and two.citations == one.citations
    assert len(one.entries) == 40


def _double(part):
    return [2 * x for x in part]


def test_a_failing_copy_is_replaced_by_this_process(forks):
    def fails(part):
        raise RuntimeError("the copy fails")

    assert twocores.render(list(range(20)), _double, fails) == _double(range(20))
    assert len(forks) == 1


def test_a_copy_that_cannot_send_its_entries_is_replaced(forks):
    assert twocores.render(list(range(20)), _double,
                           lambda part: [{"bad": object()}]) == _double(range(20))
    assert len(forks) == 1


def test_a_hanging_copy_is_killed(forks, monkeypatch):
    monkeypatch.setattr(twocores, "PATIENCE", 0)  # one second
    started = time.perf_counter()
    result = twocores.render(list(range(20)), _double, lambda part: time.sleep(60))
    assert result == _double(range(20)) and time.perf_counter() - started < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(forks[0], os.WNOHANG)  # killed and reaped, not left behind


def test_an_error_in_the_second_half_is_raised_here(forks):
    def first(part):
        if 15 in part:
            raise ValueError("entry 15 cannot be read")
        return _double(part)

    with pytest.raises(ValueError, match="entry 15"):
        twocores.render(list(range(20)), first, first)


def test_no_fork_without_a_free_core(forks, monkeypatch):
    monkeypatch.setattr(pandoc, "_slots", threading.BoundedSemaphore(1))
    with pandoc.slot():  # the only core is taken
        assert twocores.render(list(range(20)), _double, _double) == _double(range(20))
    assert forks == []


def test_a_build_of_one_job_takes_one_core(forks, tmp_path):
    from conftest import write_project

    items = _items(12)
    root = write_project(tmp_path / "p", """\
        project: {number: TEST 01 2024, title: Two cores}
        citations: {bibliography: refs.json, style: ieee}
        documents:
          - {id: doc, type: document, title: Cited, sources: [content/*.md], formats: [html]}
        """, {"refs.json": json.dumps(list(items.values())),
              "content/a.md": "# A\n\n" + " ".join(f"[@{k}]" for k in items) + "\n"})
    Project.load(root).build(jobs=1)
    assert forks == []
    Project.load(root).build(jobs=2, force=True)
    assert len(forks) == 1
    assert (root / "_build/en/doc.html").read_text(encoding="utf-8").count("csl-entry") >= 12


def test_the_copy_holds_no_other_process_input_open(forks):
    """A pandoc started by another thread reads its input until every writer has closed
    it: the copy must not keep the write end it inherited, or that pandoc would wait
    for the copy to finish."""
    import subprocess

    reader = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                              stdin=subprocess.PIPE)
    ended = []

    def slow(part):
        time.sleep(3)
        return _double(part)

    def first(part):
        if part and part[0] == 0 and not ended:  # the first half, while the copy sleeps
            reader.stdin.close()
            started = time.perf_counter()
            reader.wait(timeout=10)
            ended.append(time.perf_counter() - started)
        return _double(part)

    assert twocores.render(list(range(20)), first, slow) == _double(range(20))
    assert len(forks) == 1 and ended[0] < 2  # it ended at once, not after the copy
