"""Parallel parsing: a long source read in chunks must give the AST pandoc gives whole."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apecdocs import Project, chunks, pandoc
from apecdocs.assemble import _Index, _join, parse, render_sources
from apecdocs.pandoc_ast import nodes, stringify
from conftest import MINIMAL, html_text, squash

# Markdown that is tempting to cut wrongly: headings inside code, divs, HTML blocks and
# comments; citations (pandoc numbers them through the document); inline notes; ids.
FRAGMENTS = [
    "# Chapter {n}\n\nText of chapter {n} with a citation [@key{n}, p. {n}] and a note.^[Note {n}.]\n",
    "## Section {n} {{#sec-{n}}}\n\nSee @fig{n} and [the section](#sec-{n}).\n",
    "```\n# not a heading {n}\n\n## still code\n```\n",
    "~~~~ python\n# comment {n}\n\n~~~\n## inside the fence\n~~~~\n",
    "::: {{.box}}\n\n## Heading in a div {n}\n\nBoxed text.\n\n:::\n",
    "<div class=\"raw\">\n\n## Heading in HTML {n}\n\n</div>\n",
    "<!-- a comment\n\n## Heading in a comment {n}\n\n-->\n",
    "- item {n}\n- item with *emphasis*\n\n  continued\n",
    "| A | B |\n|---|---|\n| {n} | x |\n\n: Table {n} {{#tbl-{n}}}\n",
    "Plain paragraph {n} with $x^{n}$ math and `code`.\n",
    "### Deeper heading {n}\n\n> quoted {n}\n",
    "A sentence with only a note.^[Plain note {n}.] And @author{n} says so.\n",
    "Term {n}\n\n:   Definition with [a span]{{.smallcaps}} and \"quotes\".\n",
    "![A figure {n}](img{n}.png){{#fig-{n}}}\n",
]


def _parse_whole_and_chunked(tmp_path, text: str, parts: int) -> tuple[dict, dict | None, int]:
    whole_file = tmp_path / "whole.md"
    whole_file.write_text(text, encoding="utf-8")
    whole, _ = pandoc.parse(whole_file)
    pieces = chunks.split(text, parts)
    parsed = []
    for j, (first_line, chunk) in enumerate(pieces):
        file = tmp_path / f"chunk{j}.md"
        file.write_text("\n" * first_line + chunk, encoding="utf-8")
        ast, _ = pandoc.parse(file)
        parsed.append((ast, _Index(ast["blocks"])))
    joined = _join(parsed)
    return whole, (joined[0] if joined else None), len(pieces)


def _same(a: dict, b: dict) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(chunks, "MIN_CHUNK", 200)


def test_long_text_is_cut_and_reads_the_same(tmp_path, small_chunks):
    text = "\n".join(f.format(n=n) for n in range(6) for f in FRAGMENTS)
    whole, joined, count = _parse_whole_and_chunked(tmp_path, text, 4)
    assert count == 4
    assert joined is not None and _same(joined, whole)
    cites = [c["citationNoteNum"] for cite in nodes(joined, "Cite") for c in cite["c"][0]]
    assert cites == sorted(cites) and cites[-1] > cites[0]  # numbered through the chunks


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(picks=st.lists(st.integers(0, len(FRAGMENTS) - 1), min_size=4, max_size=30),
       parts=st.integers(2, 4))
def test_any_mix_reads_the_same_or_is_read_whole(tmp_path, small_chunks, picks, parts):
    text = "\n".join(FRAGMENTS[p].format(n=i) for i, p in enumerate(picks))
    whole, joined, count = _parse_whole_and_chunked(tmp_path, text, parts)
    if count > 1 and joined is not None:
        assert _same(joined, whole)


@pytest.mark.parametrize("text", [
    "[link][ref] text\n\n[ref]: https://apec.org\n",  # link reference definition
    "Text.[^1]\n\n[^1]: A note defined apart.\n",  # footnote definition
    "(@) First example.\n\n(@) Second.\n",  # example lists count through the document
    "\\newcommand{\\tuple}[1]{\\langle #1 \\rangle}\n\n$\\tuple{a}$\n",  # LaTeX macro
])
def test_document_wide_definitions_keep_the_text_whole(small_chunks, text):
    body = "\n".join(f"# Part {n}\n\n" + "Words. " * 60 + "\n" for n in range(8))
    assert len(chunks.split(body + "\n" + text, 4)) == 1
    assert len(chunks.split(body, 4)) == 4


def test_no_cut_between_a_heading_and_a_link_to_it_by_name(small_chunks):
    filler = "Words. " * 60 + "\n"
    text = (f"# Start\n\n{filler}\n# Methods\n\n{filler}\n# Middle\n\n{filler}\n"
            f"# Results\n\nAs [Methods] says.\n\n{filler}\n# End\n\n{filler}")
    lines = text.splitlines(keepends=True)
    starts = [i for i, _ in chunks.split(text, 4)]
    methods = lines.index("# Methods\n")
    mention = next(i for i, line in enumerate(lines) if "[Methods]" in line)
    assert not any(methods < s <= mention for s in starts)


def test_cuts_fall_only_on_headings_outside_blocks():
    text = "".join(f.format(n=n) for n in range(3) for f in FRAGMENTS)
    lines = text.splitlines(keepends=True)
    for cut in chunks._candidates(lines):
        assert lines[cut].startswith("#") and not lines[cut - 1].strip()
        before = "".join(lines[:cut])
        assert before.count("```") % 2 == 0 and before.count("~~~~") % 2 == 0
        assert before.count("<!--") == before.count("-->")
        assert before.count("<div") == before.count("</div>")
        assert sum(x.startswith("::: {") for x in lines[:cut]) == sum(x == ":::\n" for x in lines[:cut])


def test_same_heading_in_two_chunks_is_read_whole(tmp_path, project_dir, monkeypatch):
    """pandoc gives the second "Introduction" the id introduction-1; so must we."""
    monkeypatch.setattr(chunks, "MIN_CHUNK", 200)
    filler = "Words. " * 60 + "\n"
    text = f"# Introduction\n\n{filler}\n# Other\n\n{filler}\n# Introduction\n\n{filler}"
    whole, joined, count = _parse_whole_and_chunked(tmp_path, text, 2)
    assert count == 2 and joined is None  # the join refuses...
    root = project_dir(MINIMAL, {"content/01.md": text})
    project = Project.load(root)
    doc = project.documents["doc"]
    ast, _ = parse(project, doc, render_sources(project, doc, "en"), tmp_path / "work")
    ids = [h["c"][1][0] for h in nodes(ast, "Header")]
    assert ids == ["introduction", "other", "introduction-1"]  # ...and the text is read whole


def test_a_long_source_builds_the_same_in_chunks(project_dir, monkeypatch):
    filler = "Words about trade and MSMEs. " * 30 + "\n"
    body = "".join(f"# Chapter {n}\n\n{filler}\n## Part {n}.1\n\n{filler}\n" for n in range(12))
    root = project_dir(MINIMAL, {"content/01.md": body, "content/02.md": "# Annex\n\nLast words.\n"})
    built = {}
    for name, size in (("whole", 10**9), ("chunked", 300)):
        monkeypatch.setattr(chunks, "MIN_CHUNK", size)
        report = Project.load(root).build(formats=["html"], out=root / name, force=True)
        built[name] = squash(html_text(report.outputs[0].path))
    assert built["chunked"] == built["whole"]
    text = built["chunked"]
    assert text.index("Chapter 0") < text.index("Part 11.1") < text.index("Annex Last words.")
    assert text.count("Words about trade") == 12 * 2 * 30


def test_pandoc_warnings_name_the_source_file(project_dir, tmp_path):
    root = project_dir(MINIMAL, {"content/01.md": "# A {#x}\n\nOne.\n\n# B {#x}\n\nTwo.\n"})
    project = Project.load(root)
    doc = project.documents["doc"]
    _, warnings = parse(project, doc, render_sources(project, doc, "en"), tmp_path / "work")
    assert any("Duplicate identifier 'x'" in w and "content/01.md" in w for w in warnings)
    assert not any("work" in w for w in warnings)


def test_dumps_takes_float_subclasses_and_refuses_other_objects():
    class Size(float):
        pass

    assert json.loads(pandoc.dumps({"t": "MetaString", "c": Size(1.5)}))["c"] == 1.5
    with pytest.raises(TypeError, match="not JSON serializable"):
        pandoc.dumps({"t": "Str", "c": object()})


def test_stringify_of_a_chunked_parse_keeps_every_word(tmp_path, small_chunks):
    text = "\n".join(f"# H{n}\n\n" + f"word{n} " * 50 + "\n" for n in range(10))
    _, joined, count = _parse_whole_and_chunked(tmp_path, text, 3)
    assert count == 3 and joined is not None
    words = stringify(joined["blocks"]).split()
    assert sum(1 for w in words if w.startswith("word")) == 500


# -- parsed sources kept between builds (.apecdocs/parsed) ------------------------------


def _count_reads(monkeypatch) -> list[str]:
    reads: list[str] = []
    real = pandoc.read

    def counting(file, reader=pandoc.MARKDOWN):
        reads.append(file.name)
        return real(file, reader)

    monkeypatch.setattr(pandoc, "read", counting)
    return reads


def test_an_edit_parses_only_the_edited_source_again(project_dir, monkeypatch):
    files = {f"content/{n:02d}.md": f"# Chapter {n}\n\nText {n}.\n" for n in range(1, 5)}
    root = project_dir(MINIMAL, files)
    Project.load(root).build(formats=["html"])
    reads = _count_reads(monkeypatch)
    (root / "content/03.md").write_text("# Chapter 3\n\nNew text three.\n", encoding="utf-8")
    report = Project.load(root).build(formats=["html"])
    assert len(reads) == 1  # chapter 3 only; the others' ASTs were kept
    text = squash(html_text(report.outputs[0].path))
    assert "New text three." in text and "Text 4." in text and "Text 3." not in text


def test_kept_parses_keep_their_warnings_and_a_damaged_one_is_parsed_again(project_dir, tmp_path,
                                                                          monkeypatch):
    root = project_dir(MINIMAL, {"content/01.md": "# A {#x}\n\nOne.\n\n# B {#x}\n\nTwo.\n"})
    project = Project.load(root)
    doc = project.documents["doc"]

    def warnings_of_a_parse() -> list[str]:
        return parse(project, doc, render_sources(project, doc, "en"), tmp_path / "work")[1]

    first = warnings_of_a_parse()
    reads = _count_reads(monkeypatch)
    assert warnings_of_a_parse() == first and reads == []
    assert any("content/01.md" in w for w in first)
    for entry in (root / ".apecdocs" / "parsed").iterdir():
        entry.write_bytes(entry.read_bytes()[:-40])  # a damaged entry
    assert warnings_of_a_parse() == first and len(reads) == 1


def test_store_keeps_the_most_recently_used_within_its_limit(tmp_path):
    import os

    from apecdocs.store import Store, key

    store = Store(tmp_path / "s", limit=250)
    keys = [key("entry", str(n)) for n in range(5)]
    for n, k in enumerate(keys):
        store.put(k, bytes([n]) * 100)
        os.utime(store.path(k), (1000 + n, 1000 + n))
    store.limit = 2 * store.path(keys[0]).stat().st_size + 50  # room for two entries
    assert store.get(keys[0]) == bytes([0]) * 100  # used now: kept
    assert store.prune() == 3
    assert [store.get(k) is not None for k in keys] == [True, False, False, False, True]
    assert not [p for p in (tmp_path / "s").iterdir() if p.name.startswith(".")]
    assert key("a", "bc") != key("ab", "c")


def test_one_job_reads_one_source_at_a_time_and_does_not_cut(project_dir, monkeypatch):
    """``-j1`` is a promise to run one pandoc at a time (a small machine, say)."""
    import threading
    import time

    monkeypatch.setattr(chunks, "MIN_CHUNK", 200)
    filler = "Words. " * 60 + "\n"
    files = {f"content/{n:02d}.md": "".join(f"# Part {n}.{k}\n\n{filler}\n" for k in range(6))
             for n in range(1, 4)}
    root = project_dir(MINIMAL, files)
    running, most, reads = [0], [0], []
    lock = threading.Lock()
    real = pandoc.read

    def tracking(file, reader=pandoc.MARKDOWN):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
            reads.append(file.name)
        time.sleep(0.05)
        try:
            return real(file, reader)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(pandoc, "read", tracking)
    Project.load(root).build(formats=["html"], jobs=1)
    assert most[0] == 1 and len(reads) == 3  # one file at a time, none cut in chunks


# -- what parsing finds is what a walk over the parsed document finds --------------------

def test_references_and_raw_blocks_found_while_parsing_match_a_walk(project_dir, monkeypatch,
                                                                    tmp_path):
    """The build takes links, cross-references, ids and raw blocks from the parse's own
    pass over each chunk; ``check`` walks the document. They must agree, chunks, files
    with the same ids and notes included."""
    from apecdocs.assemble import parse_indexed, source_of
    from apecdocs.checks import References
    from apecdocs.verify import raw_origins

    monkeypatch.setattr(chunks, "MIN_CHUNK", 200)
    filler = "Words about trade and MSMEs. " * 20 + "\n"
    first = "".join(
        f"# Chapter {n} {{#sec-c{n}}}\n\n{filler}\nSee [above](#sec-c{max(0, n - 1)}), "
        f"@fig-{n}, [the gap](#nowhere-{n}) and a note.^[A note with `<w:r/>`{{=openxml}} "
        f"and [a link](#sec-c0).]\n\n"
        f"```{{=html}}\n<aside>{n}</aside>\n```\n\n" for n in range(6))
    second = "# Chapter 0 {#sec-c0}\n\nThe same id again; [back](#sec-c0-1) @tbl-x.\n"
    root = project_dir(MINIMAL, {"content/01.md": first, "content/02.md": second})
    project = Project.load(root)
    doc = project.documents["doc"]
    parsed = parse_indexed(project, doc, render_sources(project, doc, "en"), tmp_path / "w")
    assert len(parsed.found) == 2
    assert len(chunks.split(first + "\n", pandoc.SLOTS)) == min(2, pandoc.SLOTS)  # joined
    walked, found = References(parsed.ast), References.of_parsed(parsed)
    assert found.links == walked.links and len(found.links) == 6 * 3 + 1
    assert found.crossrefs == walked.crossrefs and len(found.crossrefs) == 7
    assert found.ids == walked.ids and "sec-c0-1" in found.ids
    for fmt in ("docx", "html"):
        kinds = {"docx": ("openxml",), "html": ("html", "html5", "html4")}[fmt]
        assert [(s, t) for s, f, t in parsed.raw_blocks() if f in kinds] == \
            raw_origins(parsed.ast, fmt, source_of)


def test_a_long_text_read_before_is_cut_where_it_was_without_reading_its_lines(
        project_dir, tmp_path, monkeypatch, small_chunks):
    text = "\n".join(f.format(n=n) for n in range(6) for f in FRAGMENTS)
    root = project_dir(MINIMAL, {"content/01.md": text})
    project = Project.load(root)
    doc = project.documents["doc"]

    def parsed() -> dict:
        return parse(project, doc, render_sources(project, doc, "en"), tmp_path / "work",
                     images=False, jobs=2)[0]

    monkeypatch.setattr(pandoc, "SLOTS", 2)  # two chunks on any machine
    cut: list[int] = []
    real = chunks.split
    monkeypatch.setattr(chunks, "split", lambda t, n: cut.append(n) or real(t, n))
    first = parsed()
    assert cut == [2] and len(first["blocks"][0]["c"][1]) > 10
    assert _same(parsed(), first) and cut == [2]  # the cut was kept, not looked for again
    for entry in (root / ".apecdocs" / "parsed").iterdir():
        if entry.stat().st_size < 200:  # the cut's entry: damaged, so cut again
            entry.write_bytes(entry.read_bytes()[:-5])
    assert _same(parsed(), first) and cut == [2, 2]


def test_pandoc_runs_with_a_smaller_allocation_area_unless_the_user_sets_one(tmp_path,
                                                                            monkeypatch):
    """``GHCRTS`` is how a GHC program such as pandoc is given runtime options: apecdocs
    passes its own, and leaves a user's alone."""
    import os
    import subprocess

    seen: list[str | None] = []
    real = subprocess.run

    def spy(args, **kwargs):
        env = kwargs.get("env")
        seen.append((env if env is not None else os.environ).get("GHCRTS"))
        return real(args, **kwargs)

    monkeypatch.setattr(pandoc.subprocess, "run", spy)
    monkeypatch.delenv("GHCRTS", raising=False)
    source = tmp_path / "a.md"
    source.write_text("# A\n\nWords.\n", encoding="utf-8")
    assert pandoc.parse(source)[0]["blocks"][0]["t"] == "Header"
    monkeypatch.setenv("GHCRTS", "-A4m")
    pandoc.parse(source)
    assert seen == [pandoc.RTS_OPTIONS, "-A4m"]
