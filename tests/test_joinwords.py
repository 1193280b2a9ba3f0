"""Words joined for pandoc's writers: the JSON stays a valid tree, only ``Str`` and
``Space`` nodes change, and the documents written read exactly as before."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import orjson
import pytest
from docx import Document

from apecdocs import Project, halves, pandoc
from apecdocs.joinwords import join_words
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

    def spy(ast, options, fmt="docx"):
        split = real(ast, options, fmt)
        seen.append(split.whole)
        return split

    monkeypatch.setattr(halves, "dumps", spy)
    root = write_project(tmp_path / "p", files={"content/a.md": "# A\n\nSome plain words.\n"})
    Project.load(root).build(formats=["html"])
    assert seen and b'"Some plain words."' in seen[0]
