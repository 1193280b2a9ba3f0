"""cs:if and cs:else-if, evaluated fast and with ``disambiguate`` (installed by ``patches``).

Profiling APA on the 615-item deep-review bibliography showed a third of the time in
conditions: citeproc-py re-reads each attribute of each cs:if on every visit and splits
its lists again. The tests of an element never change, so they are read once per
element (kept with the style, as ``speedups`` keeps its caches), then evaluated with the
same meaning: one result per value of each test, combined by ``match``.

``disambiguate="true"``, which citeproc-py ignored (a test without results passed), is
true only for a cite ``disambiguation`` marked as still alike, never in the bibliography.
"""

from __future__ import annotations

from typing import Any

from citeproc import model

from . import speedups, state

DISAMBIGUATE = "_apecdocs_disambiguate"  # set on a reference whose cites need it
_TESTS = ("type", "variable", "is-numeric", "is-uncertain-date", "locator", "position",
          "disambiguate")


def _read(element: Any) -> tuple[tuple[tuple[str, Any], ...], str]:
    """The condition's tests, read once, and its match."""
    found = element.__dict__.get("_apecdocs_conditions")
    if found is None:
        tests = []
        for name in _TESTS:
            value = element.get(name)
            if value is None:
                continue
            if name == "type":
                value = tuple(t.lower() for t in value.split())
            elif name == "variable":
                value = tuple(v.replace("-", "_") for v in value.split())
            tests.append((name, value))
        found = speedups.keep(element, "_apecdocs_conditions",
                              (tuple(tests), element.get("match", "all")))
    return found


def _results(self: Any, name: str, value: Any, item: Any, context: Any) -> list[bool]:
    """The results of the tests ``_passes`` does not evaluate itself."""
    if name == "is-numeric":
        return self._is_numeric(item)
    if name == "is-uncertain-date":
        return self._is_uncertain_date(item)
    if name == "locator":
        return self._locator(item)
    if name == "position":
        return self._position(item, context)
    return [bool(dict.get(item.reference, DISAMBIGUATE)) and not state.in_bibliography()]


def _passes(self: Any, item: Any, context: Any) -> bool:
    tests, match = self.__dict__.get("_apecdocs_conditions") or _read(self)
    reference = item.reference
    deciding = match in ("any", "none")  # a true result decides these, a false one "all"
    for name, value in tests:  # in citeproc-py's order; none changes what others find
        if name == "type":  # type and variable without making lists of results
            kind = dict.get(reference, "type")
            for t in value:
                if (t == kind) is deciding:
                    return match == "any"
        elif name == "variable":
            for v in value:
                present = ("locator" in item) if v == "locator" else (v in reference)
                if present is deciding:
                    return match == "any"
        else:
            for result in _results(self, name, value, item, context):
                if bool(result) is deciding:
                    return match == "any"
    return match != "any"


def _render(self: Any, item: Any, context: Any = None, delimiter: str = "",
            **kwargs: Any) -> Any:
    if not _passes(self, item, context):
        raise model.ConditionFailed
    return self.render_children(item, context=context, delimiter=delimiter, **kwargs)


def _branches(choose: Any) -> tuple[tuple[Any, bool], ...]:
    """A cs:choose's cs:if, cs:else-if and cs:else, each with whether it has tests."""
    return speedups.children(choose, model.If)


_BRANCHES = speedups.children_attribute(model.If)  # where speedups.children keeps them


def _choose(self: Any, item: Any, context: Any = None, delimiter: str = "",
            **kwargs: Any) -> Any:
    """The first branch whose tests pass, rendered (citeproc-py raised and caught an
    exception for each branch that fails: most of them, in styles with a branch per
    item type)."""
    branches = self.__dict__.get(_BRANCHES)
    for child, tested in branches or _branches(self):
        if tested and not _passes(child, item, context):
            continue
        return child.render_children(item, context=context, delimiter=delimiter, **kwargs)
    return None


def install() -> None:
    model.If.render = _render
    model.Choose.render = _choose
