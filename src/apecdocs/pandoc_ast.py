"""Small helpers for pandoc's JSON AST: walk it, read its text, build nodes.

Nodes are dicts ``{"t": type, "c": content}``; lists of nodes are blocks or inlines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import orjson

# The class of the Div that holds one source file's blocks until the writers unwrap it.
SOURCE_CLASS = "apecdocs-source"

Node = dict[str, Any]


def walk(value: Any, fn: Callable[[Node], Any]) -> Any:
    """Depth-first rewrite: ``fn(node)`` may return None (keep), a node, or a list.

    A list replaces the node by its items (an empty list deletes it). Children are
    visited before their parent sees them, as in pandoc filters. A list in which
    nothing changed is kept as it is (rebuilding every list costs a third of a walk).
    """
    if type(value) is list:
        out: list[Any] | None = None
        for i, item in enumerate(value):
            kind = type(item)
            result = walk(item, fn) if kind is dict or kind is list else item
            if result is item:
                if out is not None:
                    out.append(item)
                continue
            if out is None:
                out = value[:i]
            if kind is dict and "t" in item and type(result) is list:
                out.extend(result)
            else:
                out.append(result)
        return value if out is None else out
    if type(value) is dict:
        content = value.get("c")
        if content is not None:
            if type(content) is list or type(content) is dict:
                new = walk(content, fn)
                if new is not content:
                    value["c"] = new
        elif "blocks" in value:  # the document itself
            value["blocks"] = walk(value["blocks"], fn)
            return value
        if "t" in value:
            result = fn(value)
            return value if result is None else result
    return value


def nodes(value: Any, kind: str | None = None) -> Iterator[Node]:
    """Every node below ``value`` (of type ``kind`` if given), parents first.

    With ``kind``, the nodes are all found first (``_collect``, three times faster on
    a long report), then given: change what is below them, not the tree's shape."""
    if kind is not None:
        found: list[Node] = []
        _collect((value,), kind, found)
        yield from found
        return
    stack = [value]
    pop, extend = stack.pop, stack.extend
    while stack:
        item = pop()
        if type(item) is dict:
            t = item.get("t")
            if t is None:
                child = item.get("blocks")
            else:
                yield item
                child = item.get("c")
            if type(child) is list:
                extend(reversed(child))
            elif type(child) is dict:
                stack.append(child)
        elif type(item) is list:
            extend(reversed(item))


def _collect(items: Any, kind: str, out: list[Node]) -> None:
    """Append the nodes of type ``kind`` in ``items`` to ``out``, parents first.

    A function that calls itself per list, and passes over a word or a space (most of
    the nodes of a text) at once, beats a generator's stack of every node."""
    for item in items:
        if type(item) is dict:
            t = item.get("t")
            if t is None:
                child = item.get("blocks")
            else:
                if t == kind:
                    out.append(item)
                if t == "Str" or t == "Space":
                    continue
                child = item.get("c")
            if type(child) is list:
                _collect(child, kind, out)
            elif type(child) is dict:
                _collect((child,), kind, out)
        elif type(item) is list:
            _collect(item, kind, out)


def holds(value: Any, kind: str) -> bool:
    """Whether a node of type ``kind`` is anywhere below ``value``, answered from the
    tree's JSON in a third of a walk's time: ``"t":"<kind>"`` is written there by a
    node's type alone (a string escapes its quotes; the one map with keys of the
    author's, metadata's, holds nodes). A piece that will not serialize says yes."""
    needle = _needle(kind)
    return any(needle in data for data in _serialized(value, needle))


def _needle(kind: str) -> bytes:
    """What a node of type ``kind`` writes in its JSON, and nothing else can."""
    return b'"t":"' + kind.encode() + b'"'


def _div_blocks(item: Any) -> list[Node] | None:
    """A Div's blocks, which are serialized (and searched) each on their own."""
    content = item.get("c") if type(item) is dict and item.get("t") == "Div" else None
    if type(content) is list and len(content) == 2 and type(content[1]) is list:
        return content[1]
    return None


def _serialized(value: Any, failed: bytes) -> Iterator[bytes]:
    """``value``'s JSON a piece at a time, so a long report is never one string: a
    document's metadata and blocks, a list's items, a Div's own type and its blocks."""
    if type(value) is dict and "t" not in value and "blocks" in value:  # the document
        yield _json(value.get("meta", {}), failed)
        value = value["blocks"]
    for item in value if type(value) is list else [value]:
        inner = _div_blocks(item)
        if inner is not None:
            yield b'"t":"Div"'
            yield _json(item["c"][0], failed)
            for block in inner:
                yield _json(block, failed)
        else:
            yield _json(item, failed)


def _json(value: Any, failed: bytes) -> bytes:
    try:
        return orjson.dumps(value)
    except (orjson.JSONEncodeError, TypeError):
        return failed


def replace(value: Any, kind: str, fn: Callable[[Node], Node | list[Node]]) -> None:
    """Replace, in place, every node of type ``kind`` by ``fn(node)``: a node or a list
    of nodes, which is not searched again. Faster than ``walk`` where one type matters:
    only the lists that hold such a node are rebuilt; ``fn`` sees them in document order."""
    if type(value) is list:
        _replace_in(value, kind, fn)
    elif type(value) is dict:
        child = value.get("c") if "t" in value else value.get("blocks")
        if type(child) is list or type(child) is dict:
            replace(child, kind, fn)


def replace_sparse(blocks: list[Node], kind: str, fn: Callable[[Node], Node | list[Node]]) -> None:
    """``replace`` in a list of blocks, for a kind few of them hold: only the blocks whose
    JSON holds ``"t":"<kind>"`` (as in ``holds``, a Div's blocks each on their own) are
    walked; serializing a block is a fraction of a walk's time."""
    needle = _needle(kind)
    if any(type(block) is dict and block.get("t") == kind for block in blocks):
        _replace_in(blocks, kind, fn)  # the list itself changes: walked whole
        return
    for block in blocks:
        inner = _div_blocks(block)
        if inner is not None:
            replace_sparse(inner, kind, fn)
        elif needle in _json(block, needle):
            _replace_in([block], kind, fn)


def _replace_in(items: list[Any], kind: str, fn: Callable[[Node], Node | list[Node]]) -> None:
    new: list[Any] | None = None  # the list rebuilt, from its first node of ``kind`` on
    for i, x in enumerate(items):
        if type(x) is dict:
            t = x.get("t")
            if t == kind:
                if new is None:
                    new = items[:i]
                result = fn(x)
                if type(result) is list:
                    new.extend(result)
                else:
                    new.append(result)
                continue
            if t != "Str" and t != "Space":  # words and spaces: nothing below them
                child = x.get("c") if "t" in x else x.get("blocks")
                if type(child) is list:
                    _replace_in(child, kind, fn)
                elif type(child) is dict:
                    replace(child, kind, fn)
        elif type(x) is list:
            _replace_in(x, kind, fn)
        if new is not None:
            new.append(x)
    if new is not None:
        items[:] = new


_BLOCK_CHILDREN = {
    "Div": lambda c: [c[1]], "BlockQuote": lambda c: [c], "BulletList": lambda c: c,
    "OrderedList": lambda c: c[1], "Figure": lambda c: [c[2]],
    "DefinitionList": lambda c: [d for _, defs in c for d in defs],
}


def child_blocks(block: Node) -> list[list[Node]]:
    """The lists of blocks directly inside ``block`` (a Div's body, a list's items)."""
    children = _BLOCK_CHILDREN.get(block.get("t", ""))
    return children(block["c"]) if children else []


def blocks(value: list[Node]) -> Iterator[Node]:
    """Every block below a list of blocks, parents first, without entering inline text.

    Much faster than ``nodes`` when looking for Figures, Tables or Headers.
    """
    stack = list(reversed(value))
    while stack:
        block = stack.pop()
        if not isinstance(block, dict):
            continue
        yield block
        children = _BLOCK_CHILDREN.get(block.get("t", ""))
        if children:
            for group in reversed(children(block["c"])):
                stack.extend(reversed(group))


# Where a node type keeps its ``[id, classes, attributes]``.
ATTR_AT = {"Header": 1, "Div": 0, "Span": 0, "CodeBlock": 0, "Code": 0, "Link": 0,
            "Image": 0, "Figure": 0, "Table": 0}


def attr_of(node: Node) -> list[Any] | None:
    """The ``[id, classes, attributes]`` of a node that has one, else None."""
    at = ATTR_AT.get(node.get("t", ""))
    return node["c"][at] if at is not None else None


def element_ids(value: Any) -> set[str]:
    """Every identifier in the tree: the targets ``#id`` links and ``@id`` refs may name."""
    ids = set()
    for node in nodes(value):
        attribute = attr_of(node)
        if attribute is not None and attribute[0]:
            ids.add(attribute[0])
    return ids


def stringify(value: Any) -> str:
    """Plain text of a node or list of nodes (what pandoc's ``stringify`` gives)."""
    parts: list[str] = []
    _stringify(value, parts)
    return "".join(parts).strip()


def stringify_start(value: Any, enough: Callable[[str], bool]) -> str:
    """The start of ``stringify(value)``, at least up to where ``enough(text so far)``
    holds (the text may end inside a word): a search by a paragraph's first words need
    not read its hundreds. A list is read a few items at a time, more each round."""
    if type(value) is not list:
        return stringify(value)
    parts: list[str] = []
    done, step = 0, 16
    while done < len(value):
        _stringify(value[done:done + step], parts)
        done += step
        step *= 2
        if done < len(value) and enough("".join(parts)):
            break
    return "".join(parts).strip()


def _stringify(item: Any, parts: list[str]) -> None:
    """``stringify``'s walk; a module function, as a nested one that calls itself is a
    reference cycle per call, left for the cycle collector to find."""
    if isinstance(item, list):
        for sub in item:
            if type(sub) is dict:  # words and spaces, most of a text, without a call
                t = sub.get("t")
                if t == "Str":
                    parts.append(sub.get("c"))
                    continue
                if t == "Space" or t == "SoftBreak" or t == "LineBreak":
                    parts.append(" ")
                    continue
            _stringify(sub, parts)
        return
    if not isinstance(item, dict):
        return
    t = item.get("t")
    c = item.get("c")
    if t == "Str":
        parts.append(c)
    elif t in ("Space", "SoftBreak", "LineBreak"):
        parts.append(" ")
    elif t in ("Code", "Math") or t == "CodeBlock":
        parts.append(c[1])
    elif t in ("RawInline", "RawBlock", "Note"):
        return
    elif t == "Quoted":
        q = "“”" if c[0]["t"] == "DoubleQuote" else "‘’"
        parts.append(q[0])
        _stringify(c[1], parts)
        parts.append(q[1])
    elif t in ("Cite", "Link", "Image", "Span", "Div"):
        _stringify(c[1], parts)  # [citations or attr, content(, target)]
    elif t in ("Header", "Figure"):
        _stringify(c[2], parts)  # [level or attr, attr or caption, content]
    elif isinstance(c, list):  # Para, Plain, Emph, Strong, BlockQuote, ...
        _stringify(c, parts)
    if t in ("Para", "Plain", "Header"):
        parts.append("\n")


def text_inlines(text: str) -> list[Node]:
    """Inlines for plain ``text``: words as ``Str``, separated by ``Space``."""
    out: list[Node] = []
    for i, word in enumerate(text.split()):
        if i:
            out.append({"t": "Space"})
        out.append({"t": "Str", "c": word})
    return out


def attr(identifier: str = "", classes: list[str] | None = None,
         attrs: dict[str, str] | None = None) -> list[Any]:
    return [identifier, list(classes or []), [[k, v] for k, v in (attrs or {}).items()]]


def attr_dict(attribute: list[Any]) -> dict[str, str]:
    return dict(attribute[2])


def para(text: str) -> Node:
    return {"t": "Para", "c": text_inlines(text)}


def header(level: int, text: str, identifier: str = "", classes: list[str] | None = None) -> Node:
    return {"t": "Header", "c": [level, attr(identifier, classes), text_inlines(text)]}


def div(blocks: list[Node], identifier: str = "", classes: list[str] | None = None,
        attrs: dict[str, str] | None = None) -> Node:
    return {"t": "Div", "c": [attr(identifier, classes, attrs), blocks]}


def raw_block(fmt: str, text: str) -> Node:
    return {"t": "RawBlock", "c": [fmt, text]}


def raw_inline(fmt: str, text: str) -> Node:
    return {"t": "RawInline", "c": [fmt, text]}


def meta_string(value: Any) -> Node:
    """A Python value as pandoc metadata (strings become MetaString)."""
    if isinstance(value, bool):
        return {"t": "MetaBool", "c": value}
    if isinstance(value, dict):
        return {"t": "MetaMap", "c": {k: meta_string(v) for k, v in value.items()}}
    if isinstance(value, list):
        return {"t": "MetaList", "c": [meta_string(v) for v in value]}
    return {"t": "MetaString", "c": str(value)}
