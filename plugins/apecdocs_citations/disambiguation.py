"""CSL disambiguation, which citeproc-py lacks: names, given names, then year suffixes.

Two cites are ambiguous when they print alike for different works ("Chen et al. 2016"
twice). As CSL orders it, and as the style allows:

1. ``givenname-disambiguation-rule`` (other than ``by-cite``) first tells apart people
   who share a family name anywhere in the document ("Y. Wu" and "Z. Wu");
2. ``disambiguate-add-names`` shows names otherwise hidden by "et al.", one at a time,
   until a cite differs from the others;
3. ``disambiguate-add-givenname`` adds initials, then full given names, to the names
   that still collide;
3a. what is still alike renders with ``disambiguate="true"`` conditions true (Chicago
   notes add a date or publisher; citeproc-py took the condition as always true);
4. ``disambiguate-add-year-suffix`` gives what still prints alike 2023a, 2023b in
   bibliography order (the case of an organisation's many reports in one year).

Each cite is judged in its first-position form without locator, as the specification
says. The result is an override per item, applied while citations are rendered.
"""

from __future__ import annotations

import itertools
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import patches

NAME_VARIABLES = ("author", "editor", "translator", "composer", "director", "interviewer",
                  "illustrator", "container_author", "original_author", "recipient")


@dataclass
class Override:
    names: int | None = None  # names shown before "et al."
    given: dict[int, str] = field(default_factory=dict)  # position -> "initials" | "full"

    def copy(self) -> Override:
        return Override(self.names, dict(self.given))


def disambiguate(element: Any, items: list[Any],
                 render: Callable[[Any], str]) -> dict[str, Override]:
    """Overrides by item key; ``render(item)`` gives a cite's text under the overrides in
    force, and year suffixes are set on the references of what stays ambiguous."""
    overrides: dict[str, Override] = {}
    add_names = element.get("disambiguate-add-names") == "true"
    add_given = element.get("disambiguate-add-givenname") == "true"
    add_suffix = element.get("disambiguate-add-year-suffix") == "true"
    condition = bool(element.xpath_search(
        "ancestor::cs:style//*[self::cs:if or self::cs:else-if][@disambiguate]"))
    rule = element.get("givenname-disambiguation-rule", "by-cite") if add_given else None
    if not (add_names or add_given or add_suffix or condition):
        return overrides
    with patches.name_overrides(overrides):
        if rule not in (None, "by-cite"):
            _global_names(items, overrides, rule, _shown(element))
        texts = {item.key: render(item) for item in items}
        ambiguous = _ambiguous(items, texts)
        for group in ambiguous:
            if add_names:
                group = _add_names(group, overrides, rule)
            if rule == "by-cite":
                _add_given(group, overrides)
        members = [item for group in ambiguous for item in group]
        if condition and members:
            # CSL: disambiguate="true" renders only for cites still alike after names
            now = {item.key: render(item) for item in members}
            for group in _ambiguous(members, now):
                for item in group:
                    item.reference[patches.DISAMBIGUATE] = True
        if add_suffix and members:
            # what still prints alike once names are added gets 2023a, 2023b
            now = {item.key: render(item) for item in members}
            _year_suffixes(_ambiguous(members, now))
    return overrides


def _names(item: Any) -> list[Any]:
    for variable in NAME_VARIABLES:
        names = item.reference.get(variable)
        if names:
            return list(names)
    return []


def _person(name: Any) -> tuple[str, str] | None:
    if "literal" in name or not name.get("given"):
        return None
    family = " ".join(p for p in (name.get("non-dropping-particle"), name.get("family")) if p)
    return family, str(name.get("given"))


def _initials(given: str) -> str:
    return "".join(w[0] for w in given.replace(".", " ").replace("-", " ").split() if w)


def _shown(element: Any) -> Callable[[int], int]:
    """How many names a first cite shows, for an item with ``n`` names."""
    root = element.getroottree().getroot()

    def option(name: str, default: str) -> int:
        for source in (element, root):
            if source.get(name) is not None:
                try:
                    return int(source.get(name))
                except ValueError:
                    return int(default)
        return int(default)

    et_al_min, use_first = option("et-al-min", "0"), option("et-al-use-first", "1")
    return lambda n: use_first if et_al_min and n >= et_al_min and n > 1 else n


def _global_names(items: list[Any], overrides: dict[str, Override], rule: str,
                  shown: Callable[[int], int]) -> None:
    """People sharing a family name, told apart wherever their names show."""
    primary = rule.startswith("primary-name")
    deepest = "initials" if rule.endswith("with-initials") else "full"
    people: dict[str, set[str]] = {}
    placed: list[tuple[Any, int, tuple[str, str]]] = []
    for item in items:
        names = _names(item)
        for position in range(1 if primary else shown(len(names))):
            person = _person(names[position]) if position < len(names) else None
            if person:
                people.setdefault(person[0], set()).add(person[1])
                placed.append((item, position, person))
    for item, position, (family, given) in placed:
        others = people[family] - {given}
        if not others:
            continue
        if _initials(given) not in {_initials(o) for o in others}:
            level = "initials"
        elif deepest == "full":
            level = "full"
        else:
            continue
        overrides.setdefault(item.key, Override()).given[position] = level


def _ambiguous(items: list[Any], texts: dict[str, str]) -> list[list[Any]]:
    alike: dict[str, list[Any]] = {}
    for item in items:
        if texts[item.key]:
            alike.setdefault(texts[item.key], []).append(item)
    return [group for group in alike.values() if len(group) > 1]


def _name_key(name: Any, given: str | None) -> tuple[str, ...]:
    if "literal" in name:
        return (str(name["literal"]),)
    family = " ".join(p for p in (name.get("non-dropping-particle"), name.get("family")) if p)
    return (family,) if given is None else (family, given)


def _compared(item: Any, count: int, rule: str | None) -> tuple[tuple[str, ...], ...]:
    """An item's first ``count`` names as the rule lets them differ: with given names,
    initials, or family names only (as jgm/citeproc judges "add names")."""
    out = []
    for position, name in enumerate(_names(item)[:count]):
        given = str(name.get("given", "")) or None
        if rule in ("by-cite", "all-names"):
            shown = given
        elif rule == "all-names-with-initials":
            shown = _initials(given) if given else None
        elif rule == "primary-name" and position == 0:
            shown = given
        elif rule == "primary-name-with-initials" and position == 0:
            shown = _initials(given) if given else None
        else:
            shown = None
        out.append(_name_key(name, shown))
    return tuple(out)


def _add_names(group: list[Any], overrides: dict[str, Override], rule: str | None) -> list[Any]:
    """Show the fewest names that tell apart as many cites as all names would."""
    most = max(len(_names(item)) for item in group)

    def told_apart(count: int) -> list[Any]:
        keys = [_compared(item, count, rule) for item in group]
        return [item for item, key in zip(group, keys, strict=True) if keys.count(key) == 1]

    best = told_apart(most)
    if not best:
        return group
    count = next(n for n in range(1, most + 1) if told_apart(n) == best)
    for item in group:  # CSL: names are added to all members of the ambiguous set
        overrides.setdefault(item.key, Override()).names = count
    if rule == "by-cite":
        _add_given(group, overrides)
    told = {item.key for item in best}
    return [item for item in group if item.key not in told]


def _add_given(group: list[Any], overrides: dict[str, Override]) -> list[Any]:
    """Position by position, initials (or full given names when initials collide) for
    names sharing a family name with another cite's name at that position."""
    pending = list(group)
    most = max((len(_names(item)) for item in group), default=0)
    for position in range(most):
        at = [(item, _names(item)[position]) for item in pending if len(_names(item)) > position]
        hinted = set()
        for item, name in at:
            person = _person(name)
            if person is None:
                continue
            family, given = person
            others = [p for _, n in at if (p := _person(n)) and p != person and p[0] == family]
            if not others:
                continue
            level = "full" if any(_initials(g) == _initials(given) for _, g in others) \
                else "initials"
            overrides.setdefault(item.key, Override()).given[position] = level
            hinted.add(item.key)
        pending = [item for item in pending if item.key not in hinted]
    return pending


def _year_suffixes(groups: list[list[Any]]) -> None:
    from citeproc.string import String

    for group in groups:
        for item, letter in zip(group, _letters(), strict=False):
            item.reference["year_suffix"] = String(letter)


def _letters() -> Any:
    for size in itertools.count(1):
        for combo in itertools.product(string.ascii_lowercase, repeat=size):
            yield "".join(combo)
