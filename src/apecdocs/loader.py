"""Read ``apecdocs.yaml`` with line numbers kept, and validate it against the schema.

Every problem becomes a ``Finding`` with the file and line of the offending key, and
a hint (a did-you-mean for unknown keys, the expected type for wrong ones).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from . import usercache, yamlcache
from .errors import ApecdocsError, Location

PASSED = "valid-1"  # usercache kind: data and schema that validated

if TYPE_CHECKING:
    import jsonschema
    from ruamel.yaml.error import MarkedYAMLError

PROJECT_FILE = "apecdocs.yaml"


class InvalidProject(ApecdocsError):
    """The project file breaks the schema; ``findings`` lists every problem."""

    def __init__(self, findings: list) -> None:
        self.findings = findings
        first = findings[0]
        more = f" (and {len(findings) - 1} more problem(s))" if len(findings) > 1 else ""
        super().__init__(
            first.message + more,
            file=first.location.file,
            line=first.location.line,
            hint=first.hint,
        )

    def __str__(self) -> str:
        if len(self.findings) == 1:
            return super().__str__()
        return "\n".join(str(f).removeprefix("error: ") for f in self.findings)


def read_yaml(path: Path) -> Any:
    """Parse a YAML file keeping line numbers (ruamel round-trip nodes); errors name the
    line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ApecdocsError("file not found", file=path) from None
    except UnicodeDecodeError as exc:
        raise ApecdocsError(
            f"not UTF-8 text ({exc.reason} at byte {exc.start})",
            file=path, line=exc.object.count(b"\n", 0, exc.start) + 1,
            hint="Save the file as UTF-8.",
        ) from None
    except OSError as exc:
        raise ApecdocsError(f"cannot read the file: {exc.strerror}", file=path) from None
    return read_yaml_text(text, path)


def read_yaml_text(text: str, file: Path | str | None, first_line: int = 1,
                   what: str = "YAML", *, invalid_ok: bool = False) -> Any:
    """Parse YAML text that starts at line ``first_line`` of ``file``: every YAML reader
    (project file, data, agenda, acronyms, front matter, chart blocks) goes through here,
    so each has the same limit on aliases (a few lines of ``*name`` can expand to
    billions of values) and errors naming file and line. ``invalid_ok``: text that is
    not YAML gives None (only the alias limit is wanted). A text parsed before comes from
    ``yamlcache`` (it passed the alias limit then), without loading the parser."""
    tree = yamlcache.get(text)
    if tree is not yamlcache.MISS:
        return tree
    # here: importing the YAML library is start-up time that a kept parse never needs
    from ruamel.yaml import YAML

    try:
        tree = YAML(typ="rt").load(text)
    except Exception as exc:
        if invalid_ok:
            return None
        raise _yaml_error(exc, file, first_line, what) from None
    try:
        bomb = _expanded_size(tree, {}) > MAX_EXPANSION * _distinct_nodes(tree, set()) + \
            10_000
    except RecursionError:
        bomb = True
    if bomb:
        raise ApecdocsError(f"the {what} repeats aliases (*name) so often that it would "
                            "expand to millions of values", file=file,
                            line=_first_alias_line(text, first_line),
                            hint="Write the values out, or use fewer nested aliases.")
    yamlcache.put(text, tree)
    return tree


def _yaml_error(exc: Exception, file: Path | str | None, first_line: int,
                what: str) -> ApecdocsError:
    from ruamel.yaml.error import MarkedYAMLError  # loaded already: the parser raised exc

    if isinstance(exc, MarkedYAMLError):
        problem, mark = yaml_problem(exc, first_line)
        return ApecdocsError(
            f"invalid {what}: {problem}",
            file=file,
            line=mark.line + first_line if mark else None,
            column=mark.column + 1 if mark else None,
            hint="Check indentation, colons, brackets and quotes on that line.",
        )
    if isinstance(exc, RecursionError):
        return ApecdocsError(f"the {what} is nested too deeply", file=file, line=first_line)
    # ruamel raises a few unmarked errors on odd input
    return ApecdocsError(f"invalid {what}: {exc}", file=file, line=first_line)


def yaml_problem(exc: MarkedYAMLError, first_line: int = 1) -> tuple[str, Any]:
    """What ruamel found wrong and where: for a bracket or quote never closed, where it
    opens (the end of the text, or the later line where ruamel noticed, says little)."""
    problem = (exc.problem or exc.context or "invalid YAML").strip()
    mark = exc.problem_mark or exc.context_mark
    opening = exc.context_mark
    opened = (exc.context or "").removeprefix("while parsing a ").strip()
    if "stream end" in problem and opening and (mark is None or (opening.line, opening.column)
                                                < (mark.line, mark.column)):
        return f"the {opened or 'bracket or quote'} opened here is never closed", opening
    if opened.startswith("flow") and opening and mark and opening.line < mark.line:
        return (f"the {opened} opened here is not closed where it should be ({problem} on "
                f"line {mark.line + first_line})"), opening
    return problem, mark


MAX_EXPANSION = 100  # values an alias-expanded YAML may have per value written


_ALIAS = re.compile(r"(?:^|[\s\[,:-])\*[^\s,\]]+")


def _first_alias_line(text: str, first_line: int) -> int:
    for number, line in enumerate(text.splitlines()):
        if _ALIAS.search(line):
            return number + first_line
    return first_line


def _expanded_size(node: Any, memo: dict[int, int]) -> int:
    """How many values ``node`` becomes once its aliases are written out (an alias bomb,
    a few lines of YAML, expands to billions)."""
    if not isinstance(node, dict | list):
        return 1
    if id(node) not in memo:
        children = list(node.values()) if isinstance(node, dict) else node
        memo[id(node)] = 1 + sum(_expanded_size(child, memo) for child in children)
    return memo[id(node)]


def _distinct_nodes(node: Any, seen: set[int]) -> int:
    if not isinstance(node, dict | list) or id(node) in seen:
        return 1
    seen.add(id(node))
    children = list(node.values()) if isinstance(node, dict) else node
    return 1 + sum(_distinct_nodes(child, seen) for child in children)


def plain(node: Any) -> Any:
    """ruamel nodes to plain dicts and lists (dates stay ``datetime.date``)."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [plain(v) for v in node]
    if isinstance(node, dt.datetime):
        return node
    if isinstance(node, str):
        return str(node)
    return node


def jsonable(node: Any) -> Any:
    """Plain data as JSON types, for schema validation (dates become ISO strings)."""
    if isinstance(node, dict):
        return {str(k): jsonable(v) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [jsonable(v) for v in node]
    if isinstance(node, dt.date):
        return node.isoformat()
    if isinstance(node, float):  # ruamel's float as a float: a parsed and a kept tree agree
        return float(node)
    return node


def locate(node: Any, keys: tuple[str | int, ...] | list, fallback: Location) -> Location:
    """The file and line of key path ``keys`` inside a ruamel node tree (or a kept one,
    ``yamlcache``: both carry their lines as ``.lc``)."""
    line, column = fallback.line, fallback.column
    for key in keys:
        try:
            lc = getattr(node, "lc", None)
            if lc is None:
                break
            if isinstance(node, dict) and key in node:
                line, column = lc.key(key)
                line, column = line + 1, column + 1
                node = node[key]
            elif isinstance(node, list) and isinstance(key, int) and key < len(node):
                line, column = lc.item(key)
                line, column = line + 1, column + 1
                node = node[key]
            else:
                break
        except (AttributeError, KeyError, TypeError):
            break
    return Location(fallback.file, line, column)


def validate(instance: Any, schema: dict, tree: Any, file: Path, prefix: tuple = ()) -> list:
    """Validate plain ``instance`` against ``schema``; findings located in ``tree``."""
    from .model import Finding

    data = jsonable(instance)
    # Data and schema that passed before pass again (a no-op build needs no validator).
    # Kept in the user's cache, not the project's: a received project cannot bring an
    # entry that lets its own files skip validation.
    try:
        memo = orjson.dumps([data, schema], option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS,
                            default=str)
    except TypeError:
        memo = None
    if memo is not None and usercache.get(PASSED, memo) is True:
        return []
    validator = _jsonschema().Draft202012Validator(
        schema, format_checker=_jsonschema().Draft202012Validator.FORMAT_CHECKER
    )
    findings = []
    for error in validator.iter_errors(data):
        for message, path, hint in _explain(error):
            where = locate(tree, (*prefix, *path), Location(file, 1))
            findings.append(Finding(message, where, "error", hint, code="schema"))
    findings.sort(key=lambda f: (f.location.line or 0, f.message))
    if not findings and memo is not None:
        usercache.put(PASSED, memo, True)
    return findings


def _jsonschema() -> Any:
    """jsonschema, imported on first use: it is a tenth of a second of start-up, and a
    project file that passed before (``validate``) does not need it again."""
    import jsonschema

    return jsonschema


def _explain(error: jsonschema.ValidationError) -> list[tuple[str, tuple, str | None]]:
    """Turn a jsonschema error into plain words: (message, key path, hint)."""
    path = tuple(error.absolute_path)
    name = ".".join(str(p) for p in path) or "the file"
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        extras = [k for k in error.instance if k not in schema.get("properties", {})]
        out = []
        for key in extras:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"Did you mean '{close[0]}'?" if close else f"Known keys: {', '.join(allowed)}."
            out.append((f"unknown key '{key}' in {name}", (*path, key), hint))
        return out
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        extras = [k for k in error.instance if k not in schema.get("properties", {})]
        if difflib.get_close_matches(missing, [str(k) for k in extras], n=1):
            return []  # a misspelt key ('strat:'): its unknown-key finding is the one cause
        return [(f"missing required field '{missing}' in {name}", path, f"Add '{missing}:'.")]
    if error.validator in ("anyOf", "oneOf") and error.context:
        # Say what is wrong inside the closest alternative, not "valid under none of them".
        best = max(error.context, key=lambda e: len(e.absolute_path))
        if len(best.absolute_path) > len(path):
            return [(m, p, h or schema.get("description")) for m, p, h in _explain(best)]
        types = [s.get("type") for s in error.validator_value if isinstance(s, dict)]
        if all(isinstance(t, str) for t in types):
            got = type(error.instance).__name__
            return [(f"'{name}' should be {_a(types)}, not {got}", path,
                     schema.get("description"))]
    if error.validator == "type":
        want = error.validator_value
        got = type(error.instance).__name__
        return [(f"'{name}' should be {_a(want)}, not {got}", path, None)]
    if error.validator == "enum":
        options = [str(o) for o in error.validator_value]
        close = difflib.get_close_matches(str(error.instance), options, n=1)
        hint = f"Did you mean '{close[0]}'?" if close else f"Use one of: {', '.join(options)}."
        return [(f"'{error.instance}' is not allowed for '{name}'", path, hint)]
    if error.validator in ("pattern", "format"):
        hint = schema.get("description")
        return [(f"'{error.instance}' is not a valid value for '{name}'", path, hint)]
    return [(f"'{name}': {error.message}", path, schema.get("description"))]


def _a(types: Any) -> str:
    names = {"string": "text", "object": "a mapping", "array": "a list",
             "integer": "a whole number", "number": "a number", "boolean": "true or false"}
    types = types if isinstance(types, list) else [types]
    return " or ".join(names.get(t, t) for t in types)
