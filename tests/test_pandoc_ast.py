"""The AST helpers that every long document passes through: ``nodes`` of one type,
``replace`` and the parse's index find what a plain visit of every node finds."""

from __future__ import annotations

import copy
import random
from typing import Any

import orjson

from apecdocs.assemble import _Index
from apecdocs.pandoc_ast import ATTR_AT, nodes, replace, stringify


def _attr(rng: random.Random) -> list[Any]:
    return [rng.choice(["", "", "fig-a", "sec-b"]), [], [["k", "v"]]]


def _inlines(rng: random.Random, depth: int) -> list[dict]:
    out: list[dict] = []
    for _ in range(rng.randint(0, 6)):
        kind = rng.random()
        if depth <= 0 or kind < 0.5:
            out.append(rng.choice([{"t": "Str", "c": "word"}, {"t": "Space"},
                                   {"t": "SoftBreak"}, {"t": "RawInline", "c": ["html", "<b>"]}]))
        elif kind < 0.6:
            out.append({"t": "Emph", "c": _inlines(rng, depth - 1)})
        elif kind < 0.7:
            out.append({"t": "Span", "c": [_attr(rng), _inlines(rng, depth - 1)]})
        elif kind < 0.75:
            out.append({"t": "Link", "c": [_attr(rng), _inlines(rng, depth - 1),
                                           [rng.choice(["#sec-b", "https://x.org"]), ""]]})
        elif kind < 0.8:
            out.append({"t": "Image", "c": [_attr(rng), _inlines(rng, depth - 1), ["a.png", ""]]})
        elif kind < 0.88:  # a citation whose prefix holds another
            citation = {"citationId": "fig-a", "citationPrefix": _inlines(rng, depth - 1),
                        "citationSuffix": [], "citationMode": {"t": "NormalCitation"},
                        "citationNoteNum": 1, "citationHash": 0}
            out.append({"t": "Cite", "c": [[citation], _inlines(rng, depth - 1)]})
        elif kind < 0.94:
            out.append({"t": "Note", "c": _blocks(rng, depth - 1)})
        else:
            out.append({"t": "Quoted", "c": [{"t": "DoubleQuote"}, _inlines(rng, depth - 1)]})
    return out


def _blocks(rng: random.Random, depth: int) -> list[dict]:
    out: list[dict] = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.random()
        if depth <= 0 or kind < 0.5:
            out.append({"t": rng.choice(["Para", "Plain"]), "c": _inlines(rng, depth)})
        elif kind < 0.65:
            out.append({"t": "Div", "c": [_attr(rng), _blocks(rng, depth - 1)]})
        elif kind < 0.75:
            out.append({"t": "Header", "c": [2, _attr(rng), _inlines(rng, depth - 1)]})
        elif kind < 0.85:
            out.append({"t": "BulletList", "c": [_blocks(rng, depth - 1) for _ in range(2)]})
        elif kind < 0.9:
            out.append({"t": "CodeBlock", "c": [_attr(rng), "x = 1"]})
        else:  # a table's nesting: cells are lists that mix lists, nodes and numbers
            cell = [_attr(rng), {"t": "AlignDefault"}, 1, 1, _blocks(rng, depth - 1)]
            out.append({"t": "Table", "c": [_attr(rng), [None, []], [[{"t": "AlignDefault"},
                                            {"t": "ColWidthDefault"}]], [_attr(rng), []],
                                            [[_attr(rng), 0, [], [[_attr(rng), [cell]]]]],
                                            [_attr(rng), []]]})
    return out


def _document(seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    meta = {"title": {"t": "MetaInlines", "c": _inlines(rng, 2)},
            "extra": {"t": "MetaMap", "c": {"blocks": {"t": "MetaBlocks", "c": _blocks(rng, 1)}}}}
    return {"pandoc-api-version": [1, 23], "meta": meta, "blocks": _blocks(rng, 4)}


KINDS = ["Str", "Space", "Cite", "Image", "Link", "Note", "Para", "CodeBlock", "AlignDefault",
         "MetaBlocks", "Emph"]


def test_nodes_of_one_type_are_those_every_node_has_of_it_in_order() -> None:
    for seed in range(60):
        document = _document(seed)
        for value in (document, document["blocks"], document["blocks"][0], document["meta"]):
            every = list(nodes(value))
            for kind in KINDS:
                assert [id(n) for n in nodes(value, kind)] == \
                    [id(n) for n in every if n["t"] == kind], (seed, kind)


def _replaced_reference(value: Any, kind: str, fn: Any) -> Any:
    """A new tree with each outermost ``kind`` node in a list spliced as ``fn`` says."""
    if type(value) is list:
        out: list[Any] = []
        for x in value:
            if type(x) is dict and x.get("t") == kind:
                result = fn(copy.deepcopy(x))
                out += result if type(result) is list else [result]
            else:
                out.append(_replaced_reference(x, kind, fn))
        return out
    if type(value) is dict:
        key = "c" if "t" in value else "blocks"
        if key in value and type(value[key]) in (list, dict):
            return {**value, key: _replaced_reference(value[key], kind, fn)}
    return value


def test_replace_changes_what_a_rebuilt_tree_changes_in_document_order() -> None:
    def fn(node: dict) -> Any:  # depends on the node only: the order of calls is free
        if len(orjson.dumps(node)) % 2:
            return [{"t": "Str", "c": "X"}, node]
        return {"t": "Span", "c": [["", [], []], [node]]}

    for seed in range(60):
        for kind in ("Cite", "Image", "Emph", "Note", "CodeBlock", "Str"):
            document = _document(seed)
            expected = _replaced_reference(copy.deepcopy(document), kind, fn)
            outermost = [orjson.dumps(n) for n in _outermost(document, kind)]
            seen: list[bytes] = []
            replace(document, kind, lambda node, seen=seen: seen.append(orjson.dumps(node)) or fn(node))
            assert orjson.dumps(document) == orjson.dumps(expected), (seed, kind)
            assert seen == outermost, (seed, kind)  # in document order


def test_replace_sparse_changes_what_replace_changes_in_the_same_order() -> None:
    """Walking only the blocks whose JSON holds the kind changes the blocks as a walk
    of every block does, calling ``fn`` on the same nodes in the same order."""
    from apecdocs.pandoc_ast import replace_sparse

    def fn(node: dict) -> Any:
        if len(orjson.dumps(node)) % 2:
            return [{"t": "Str", "c": "X"}, node]
        return {"t": "Span", "c": [["", [], []], [node]]}

    tricky = {"t": "Para", "c": [{"t": "Str", "c": '"t":"Cite"'}]}  # the text, not a node
    for seed in range(60):
        for kind in ("Cite", "Image", "Note", "CodeBlock", "Div", "Para"):
            document = _document(seed)
            document["blocks"].insert(0, tricky)
            expected = copy.deepcopy(document["blocks"])
            calls: list[bytes] = []
            replace(expected, kind,
                    lambda node, calls=calls: calls.append(orjson.dumps(node)) or fn(node))
            seen: list[bytes] = []
            replace_sparse(document["blocks"], kind,
                           lambda node, seen=seen: seen.append(orjson.dumps(node)) or fn(node))
            assert orjson.dumps(document["blocks"]) == orjson.dumps(expected), (seed, kind)
            assert seen == calls, (seed, kind)


def _outermost(value: Any, kind: str) -> list[dict]:
    """The ``kind`` nodes with no ``kind`` node above them, in document order."""
    inner = {id(m) for n in nodes(value, kind) for m in list(nodes(n["c"], kind))}
    return [n for n in nodes(value, kind) if id(n) not in inner]


def test_the_parse_index_holds_what_a_visit_of_every_node_finds() -> None:
    for seed in range(60):
        blocks = _document(seed)["blocks"]
        index = _Index(blocks)
        every = list(nodes(blocks))
        ids = [n["c"][ATTR_AT[n["t"]]] for n in every
               if n["t"] in ATTR_AT and n["c"][ATTR_AT[n["t"]]][0]]
        assert [id(a) for a in index.ids] == [id(a) for a in ids]
        for found, kinds in ((index.cites, ("Cite",)), (index.images, ("Image",)),
                             (index.notes, ("Note",)), (index.raws, ("RawBlock", "RawInline"))):
            assert [id(n) for n in found] == [id(n) for n in every if n["t"] in kinds]
        assert [id(n) for n in index.links] == [
            id(n) for n in every if n["t"] == "Link" and n["c"][2][0].startswith("#")]


def _text_reference(item: Any, parts: list[str]) -> None:
    """pandoc's stringify, node by node, one call each: what ``stringify`` must give."""
    if isinstance(item, list):
        for sub in item:
            _text_reference(sub, parts)
        return
    if not isinstance(item, dict):
        return
    t, c = item.get("t"), item.get("c")
    if t == "Str":
        parts.append(c)
    elif t in ("Space", "SoftBreak", "LineBreak"):
        parts.append(" ")
    elif t in ("Code", "Math", "CodeBlock"):
        parts.append(c[1])
    elif t in ("RawInline", "RawBlock", "Note"):
        return
    elif t == "Quoted":
        q = "“”" if c[0]["t"] == "DoubleQuote" else "‘’"
        parts.append(q[0])
        _text_reference(c[1], parts)
        parts.append(q[1])
    elif t in ("Cite", "Link", "Image", "Span", "Div"):
        _text_reference(c[1], parts)
    elif t in ("Header", "Figure"):
        _text_reference(c[2], parts)
    elif isinstance(c, list):
        _text_reference(c, parts)
    if t in ("Para", "Plain", "Header"):
        parts.append("\n")


def test_stringify_gives_the_text_a_visit_of_every_node_gives() -> None:
    for seed in range(100):
        document = _document(seed)
        for value in (document["blocks"], *document["blocks"], document["meta"]["title"]["c"]):
            parts: list[str] = []
            _text_reference(value, parts)
            assert stringify(value) == "".join(parts).strip(), seed


def _every(value: Any) -> list[dict]:
    """Every node anywhere in ``value``, metadata maps included."""
    if type(value) is list:
        return [n for item in value for n in _every(item)]
    if type(value) is dict:
        inner = [n for item in value.values() for n in _every(item)]
        return [value, *inner] if "t" in value else inner
    return []


def test_holds_answers_as_a_visit_of_every_node_does() -> None:
    from apecdocs.pandoc_ast import holds

    tricky = [{"t": "Str", "c": '"t":"CodeBlock"'}, {"t": "Str", "c": 'x\\"t":"Note"'},
              {"t": "Code", "c": [["", [], [['"t"', "Image"]]], '{"t":"Cite"}']}]
    for seed in range(60):
        document = _document(seed)
        document["blocks"].append({"t": "Para", "c": tricky})
        document["meta"]['a"t'] = {"t": "MetaString", "c": "Link"}
        for value in (document, document["blocks"], document["meta"]):
            below = {n["t"] for n in _every(value)}
            for kind in [*KINDS, "Code"]:
                assert holds(value, kind) == (kind in below), (seed, kind)
    assert holds({"t": "Para", "c": [object()]}, "Note")  # cannot tell: says yes
