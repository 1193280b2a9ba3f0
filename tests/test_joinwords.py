"""Words joined for pandoc's writers: the JSON stays a valid tree, only ``Str`` and
``Space`` nodes change, and the documents written read exactly as before."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import orjson
import pytest
from docx import Document

from apecdocs import Project, halves, pandoc
from apecdocs.joinwords import join_words, unwrap_spans
from apecdocs.model import WriteOptions


def _str(text: str) -> dict[str, Any]:
    return {"t": "Str", "c": text}


SPACE = {"t": "Space"}
TRICKY = ['say "hi"', "back\\slash", 'end\\', "\\\"", "ünï", "}", '"},{"t":"Space"},', "a,b"]


def _reference(node: Any) -> Any:
    """The joining done on the tree, node by node: what the text substitution must equal."""
    if isinstance(node, dict):
        return {key: _reference(value) for key, value in node.items()}
    if not isinstance(node, list):
        return node
    out: list[Any] = []
    for item in map(_reference, node):
        last = out[-1] if out else None
        if isinstance(item, dict) and item.get("t") == "Str":
            if isinstance(last, dict) and last.get("t") == "Str":
                out[-1] = _str(last["c"] + item["c"])
                continue
            if (last == SPACE and len(out) > 1 and isinstance(out[-2], dict)
                    and out[-2].get("t") == "Str"):
                out.pop()
                out[-1] = _str(out[-1]["c"] + " " + item["c"])
                continue
        out.append(item)
    return out


def _para(*inlines: Any) -> dict[str, Any]:
    return {"t": "Para", "c": list(inlines)}


AST = {"pandoc-api-version": [1, 23, 1], "meta": {"title": {"t": "MetaInlines", "c": [
    _str("A"), SPACE, _str("title")]}}, "blocks": [
    _para(*[x for word in TRICKY for x in (_str(word), SPACE)], _str("last")),
    _para(SPACE, _str("lead"), SPACE, SPACE, _str("two"), {"t": "SoftBreak"}, _str("soft"),
          {"t": "LineBreak"}, _str("x"), _str("y"), SPACE,
          {"t": "Emph", "c": [_str("in"), SPACE, _str("emph")]}, SPACE, _str("after"),
          {"t": "Code", "c": [["", [], []], "a b"]}, _str("z"), SPACE),
    {"t": "Div", "c": [["d", ["c"], [["k", "v"]]], [_para(_str("only"))]]},
]}


def test_joined_json_is_the_tree_joined_node_by_node():
    joined = orjson.loads(join_words(pandoc.dumps(AST)))
    assert joined == _reference(AST)
    first = joined["blocks"][0]["c"]
    assert first == [_str(" ".join([*TRICKY, "last"]))]  # one node, quotes and all
    second = joined["blocks"][1]["c"]
    # a space with no word before it, two spaces, a soft or hard break, markup: kept
    assert second[:4] == [SPACE, _str("lead"), SPACE, SPACE]
    assert {"t": "SoftBreak"} in second and {"t": "LineBreak"} in second
    assert _str("xy") in second and {"t": "Emph", "c": [_str("in emph")]} in second
    assert joined["meta"]["title"]["c"] == [_str("A title")]


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_documents_written_from_joined_words_read_the_same(tmp_path, fmt):
    options = WriteOptions()
    plain, joined = tmp_path / f"plain.{fmt}", tmp_path / f"joined.{fmt}"
    pandoc.write(pandoc.dumps(AST), fmt, plain, options)
    pandoc.write(join_words(pandoc.dumps(AST)), fmt, joined, options)
    if fmt == "html":
        assert joined.read_bytes() == plain.read_bytes()
        return
    # pandoc writes a space exactly as a word " ", and joins a paragraph's runs of one
    # format: the body is the same bytes (on deep-review too, every part of the package)
    with zipfile.ZipFile(plain) as a, zipfile.ZipFile(joined) as b:
        assert a.read("word/document.xml") == b.read("word/document.xml")
    text = [p.text for p in Document(io.BytesIO(joined.read_bytes())).paragraphs]
    assert any(" ".join([*TRICKY, "last"]) in t for t in text)


def test_a_build_hands_the_writer_joined_words(tmp_path, monkeypatch):
    from conftest import write_project

    seen: list[bytes] = []
    real = halves.dumps

    def spy(ast, options, fmt="docx", **kwargs):
        split = real(ast, options, fmt, **kwargs)
        seen.append(split.whole)
        return split

    monkeypatch.setattr(halves, "dumps", spy)
    root = write_project(tmp_path / "p", files={"content/a.md": "# A\n\nSome plain words.\n"})
    Project.load(root).build(formats=["html"])
    assert seen and b'"Some plain words."' in seen[0]


# -- where a line break is a space (DOCX, HTML without wrapping) -------------------------

SOFT = {"t": "SoftBreak"}


def _reference_soft(node: Any) -> Any:
    """Soft joining done on the tree: breaks as spaces; then, from left to right, a word
    with the words after it (each after at most one space), a space before it if one is
    there, and a space after it if no word follows that space, as one word."""
    if isinstance(node, dict):
        return {key: _reference_soft(value) for key, value in node.items()}
    if not isinstance(node, list):
        return node
    items = [SPACE if item == SOFT else item for item in map(_reference_soft, node)]

    def word(i: int) -> bool:
        return i < len(items) and isinstance(items[i], dict) and items[i].get("t") == "Str"

    out: list[Any] = []
    i = 0
    while i < len(items):
        lead = items[i] == SPACE and word(i + 1)
        if not (lead or word(i)):
            out.append(items[i])
            i += 1
            continue
        i += lead
        text, words = (" " if lead else "") + items[i]["c"], 1
        i += 1
        while True:
            if word(i):
                text, i, words = text + items[i]["c"], i + 1, words + 1
            elif i < len(items) and items[i] == SPACE and word(i + 1):
                text, i, words = text + " " + items[i + 1]["c"], i + 2, words + 1
            else:
                break
        trail = i < len(items) and items[i] == SPACE
        if trail:
            text, i = text + " ", i + 1
        out.append(_str(text))
    return out


def test_soft_joining_is_the_tree_joined_node_by_node():
    joined = orjson.loads(join_words(pandoc.dumps(AST), soft=True))
    assert joined == _reference_soft(AST)
    second = joined["blocks"][1]["c"]
    assert {"t": "SoftBreak"} not in second
    assert _str("two soft") in second or any("two soft" in x.get("c", "") for x in second
                                               if isinstance(x, dict))
    # a space before markup joins the word before it; after markup, the word after it
    assert {"t": "Emph", "c": [_str("in emph")]} in second
    assert _str(" after") in second


@pytest.mark.parametrize("seed", range(40))
def test_soft_joining_matches_the_tree_on_random_inlines(seed):
    import random

    rng = random.Random(seed)
    pool = [lambda: _str(rng.choice(TRICKY + ["w", "x y", ""])), lambda: SPACE, lambda: SOFT,
            lambda: {"t": "Emph", "c": [_str("e"), SPACE]},
            lambda: {"t": "Code", "c": [["", [], []], "c d"]}, lambda: {"t": "LineBreak"}]
    inlines = [rng.choice(pool)() for _ in range(rng.randrange(1, 25))]
    ast = {"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": [_para(*inlines)]}
    assert orjson.loads(join_words(pandoc.dumps(ast), soft=True)) == _reference_soft(ast)


def _runs_by_format(docx: Path) -> list[tuple[bytes, list[tuple[bytes, str]]]]:
    """Each paragraph's properties and its text cut where the run format changes: what a
    reader sees, whatever the runs."""
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(docx) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    out = []
    for p in root.iter(f"{w}p"):
        pieces: list[list] = []
        for r in p.iter(f"{w}r"):
            rpr = r.find(f"{w}rPr")
            key = etree.tostring(rpr) if rpr is not None else b""
            text = "".join(t.text or "" for t in r.iter(f"{w}t"))
            if pieces and pieces[-1][0] == key:
                pieces[-1][1] += text
            elif text:
                pieces.append([key, text])
        ppr = p.find(f"{w}pPr")
        out.append((etree.tostring(ppr) if ppr is not None else b"",
                    [(k, t) for k, t in pieces if t]))
    return out


def _count_runs(docx: Path) -> int:
    with zipfile.ZipFile(docx) as z:
        return z.read("word/document.xml").count(b"<w:r>")


def _citing_ast() -> dict[str, Any]:
    cite = {"t": "Span", "c": [["", ["citation"], [["data-cites", "a b"]]],
                               [_str("(Author"), SPACE, _str("2020)")]]}
    return {"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": [
        _para(_str("Line"), SPACE, _str("one"), SOFT, _str("line"), SPACE, _str("two"), SPACE,
              cite, _str("."), SPACE, {"t": "Strong", "c": [_str("bold")]}, SPACE, _str("end")),
        _para(*AST["blocks"][1]["c"]),
        _para(_str("kept"), SPACE, {"t": "Span", "c": [["anchor", [], []], [_str("id")]]},
              SPACE, {"t": "Span", "c": [["", ["x"], [["custom-style", "Emphatic"]]],
                                          [_str("styled")]]}),
    ]}


def test_a_docx_from_soft_joined_and_unwrapped_json_reads_the_same(tmp_path):
    options = WriteOptions()
    data = pandoc.dumps(_citing_ast())
    plain, joined = tmp_path / "plain.docx", tmp_path / "joined.docx"
    pandoc.write(data, "docx", plain, options)
    pandoc.write(join_words(unwrap_spans(data), soft=True), "docx", joined, options)
    assert _runs_by_format(joined) == _runs_by_format(plain)
    assert _count_runs(joined) < _count_runs(plain) / 2
    text = [p.text for p in Document(io.BytesIO(joined.read_bytes())).paragraphs]
    assert text[0] == "Line one line two (Author 2020). bold end"
    with zipfile.ZipFile(joined) as z:  # the span with an identifier is still a bookmark
        body = z.read("word/document.xml")
    assert b'w:name="anchor"' in body and b"Emphatic" in body


def test_html_without_wrapping_is_the_same_bytes_with_soft_joining(tmp_path):
    options = WriteOptions()
    data = pandoc.dumps(_citing_ast())
    plain, joined = tmp_path / "plain.html", tmp_path / "joined.html"
    pandoc.write(data, "html", plain, options)
    pandoc.write(join_words(data, soft=True), "html", joined, options)
    assert joined.read_bytes() == plain.read_bytes()


def test_html_keeps_its_line_breaks_when_a_project_asks_pandoc_to_wrap():
    split = halves.dumps(_citing_ast(), WriteOptions(extra_args=["--wrap=preserve"]), "html")
    assert b'"SoftBreak"' in split.whole
    assert b'"SoftBreak"' not in halves.dumps(_citing_ast(), WriteOptions(), "html").whole
    assert b'"SoftBreak"' in halves.dumps(_citing_ast(), WriteOptions(), "pdf").whole


# -- spans the DOCX writer writes as their contents -----------------------------------------

def _span(classes: list[str], content: list, attrs: list | None = None,
          identifier: str = "") -> dict[str, Any]:
    return {"t": "Span", "c": [[identifier, classes, attrs or []], content]}


def test_inert_spans_are_unwrapped_and_others_kept():
    inner = _span([], [_str('in ]]} [ "q" \\')])
    kept = [_span(["mark"], [_str("m")]), _span([], [_str("i")], identifier="id"),
            _span(["c"], [_str("l")], [["lang", "fr"]]), _span([], [_str("r")], [["dir", "rtl"]]),
            _span([], [_str("s")], [["custom-style", "S"]]), _span(["csl-left-margin"], [_str("1")]),
            _span(["insertion"], [_str("ins")], [["author", "A"]])]
    inlines = [_str("a"), _span(["citation"], [_str("[1]"), inner, {"t": "Emph", "c": [
        _str("x")]}], [["data-cites", "k1 k2"]]), _span(["nocase"], []), *kept,
        _span([], [_span(["x"], [_str("deep")])])]
    out = orjson.loads(unwrap_spans(orjson.dumps(inlines)))
    assert out == [_str("a"), _str("[1]"), _str('in ]]} [ "q" \\'), {"t": "Emph", "c": [
        _str("x")]}, _str(""), *kept, _str("deep")]


def test_unwrapping_leaves_anything_else_alone():
    assert unwrap_spans(b'{"t":"Str","c":"{\\"t\\":\\"Span\\",\\"c\\":[[\\"\\",[],[]],["}') \
        == b'{"t":"Str","c":"{\\"t\\":\\"Span\\",\\"c\\":[[\\"\\",[],[]],["}'
    broken = b'[{"t":"Span","c":[["",[],[]],[{"t":"Str","c":"x"}'
    assert unwrap_spans(broken) == broken


def test_a_built_docx_has_a_citation_in_the_runs_of_its_sentence(tmp_path):
    from conftest import write_project

    bib = '[{"id": "lee2020", "type": "book", "title": "Trade", "author": [{"family": "Lee",' \
          ' "given": "A."}], "issued": {"date-parts": [[2020]]}}]'
    yaml = ("project: {number: TEST 01 2024, title: T}\n"
            "citations: {bibliography: data/refs.json, style: apa}\n"
            "documents:\n  - {id: doc, type: document, title: D, sources: [content/a.md]}\n")
    root = write_project(tmp_path / "p", yaml, files={
        "content/a.md": "# A\n\nAs shown\nbefore [@lee2020], trade grew.\n",
        "data/refs.json": bib})
    Project.load(root).build(formats=["docx"])
    with zipfile.ZipFile(root / "_build" / "en" / "doc.docx") as z:
        body = z.read("word/document.xml")
    assert b"As shown before (Lee, 2020), trade grew." in body
