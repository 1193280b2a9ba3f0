"""Corrections to citeproc-py's CSL processing, installed once per process.

Each closes a gap seen against pandoc's ``--citeproc`` on the same data and style:

- Substitution: CSL says a variable that stood in for a missing author (a title, an
  editor) is not printed again. citeproc-py only suppresses variables named directly
  on the substituting element, so ``<text macro="title"/>`` printed the title twice.
  Now every variable rendered while substituting is suppressed for the rest of the entry.
- ``initialize="false"`` (Chicago): given names stay whole ("Rahman, Rizal", not
  "Rahman, R."); a bare initial still gets its period ("James T." from "James T").
  Lowercase given names are no longer mangled ("wu, . yonghui ." became "wu, yonghui").
- Page ranges follow CSL 1.0.2 (``pages``); groups are suppressed as CSL says
  (``groups``); sort keys are compared name by name, by collation, without markup or
  quotes (``sorting``).
- ``is-numeric="locator"`` tested the reference instead of the cite, so APA's "Chapter 2"
  lost its label; numbers now follow CSL ("33-35", "2, 4", "D2" are numeric).
- Title case follows pandoc's citeproc: each part of "E-commerce" or "Residue–residue"
  is a word, stop words are CSL 1.0.1's, mixed-case words ("deepTarget") are kept.
- Case: "arXiv" and other words with inner capitals keep their case under
  ``capitalize-first``.
- Names in citations can be marked (``marking_names``), so the caller can find the
  author part of a rendered cite: to drop it (``[-@key]``), print it before the
  parenthesis (``@key``) or collapse "Smith 2015, 2016"; and overridden per item
  (``name_overrides``): more names before "et al." or given names added, the means of
  CSL disambiguation that citeproc-py lacks (see ``disambiguation``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from typing import Any

import citeproc
from citeproc import model
from citeproc.source import VariableError

from . import casing, conditions, groups, items, pages, positions, sorting, state

NAMES_OPEN, NAMES_CLOSE = "\ue001", "\ue002"
TERM = "\ue003"  # before a rendered term, while marking: a note may begin with one
SUPPRESSED = "apecdocs-suppressed"
DISAMBIGUATE = conditions.DISAMBIGUATE

_state = state.current


@contextmanager
def marking_names() -> Any:
    """Within the block, rendered names come wrapped in ``NAMES_OPEN``/``NAMES_CLOSE``."""
    before = getattr(_state, "mark", False)
    _state.mark = True
    try:
        yield
    finally:
        _state.mark = before


@contextmanager
def name_overrides(overrides: dict[str, Any], bibliography: bool = False) -> Any:
    """Within the block, names render per ``overrides[item key]`` (an object with
    ``names``: how many to show, and ``given``: {position: "initials" | "full"}). In the
    ``bibliography`` a full given name is kept whole where the style would initialize it
    (the entry shows the names its cites were told apart by, as pandoc's citeproc does)."""
    before = getattr(_state, "overrides", None), getattr(_state, "bibliography", False)
    _state.overrides, _state.bibliography = overrides, bibliography
    try:
        yield
    finally:
        _state.overrides, _state.bibliography = before


class _WholeGiven(str):
    """A given name written out for disambiguation: ``initialize`` leaves it whole."""


def _recording() -> set[str] | None:
    return getattr(_state, "recording", None)


def _context(element: Any, context: Any) -> Any:
    """``context`` unless None (lxml elements without children are falsy: no ``or``)."""
    return element if context is None else context


def _suppressed(element: Any, context: Any) -> AbstractSet[str]:
    try:
        return _context(element, context).get_layout().repressed.get(SUPPRESSED, _NONE)
    except (IndexError, AttributeError):
        return _NONE


_NONE: frozenset[str] = frozenset()


def _wrap_text_variable(original: Any) -> Any:
    def _variable(self: Any, item: Any, context: Any) -> Any:
        variable = self.get("variable")
        if variable in _suppressed(self, context):
            return None
        text = original(self, item, context)
        recording = _recording()
        if recording is not None and text:
            recording.add(variable)
        return text

    return _variable


def _wrap_names_process(original: Any) -> Any:
    def process(self: Any, item: Any, names_context: Any = None, context: Any = None,
                **kwargs: Any) -> Any:
        roles = self.__dict__.get("_apecdocs_roles")
        if roles is None:  # read once (the element is kept alive by the style's memo)
            roles = self.__dict__["_apecdocs_roles"] = tuple(self.get("variable", "").split())
        suppressed = _suppressed(self, context)
        if roles and suppressed and all(role in suppressed for role in roles):
            return None
        text = original(self, item, names_context=names_context, context=context, **kwargs)
        recording = _recording()
        if recording is not None and text:
            recording.update(r for r in roles if r.replace("-", "_") in item.reference)
        return text

    return process


def _substitute_render(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
    for child in self.getchildren():
        before = _recording()
        rendered: set[str] = set()
        _state.recording = rendered
        try:
            if isinstance(child, model.Names) and child.name is None:
                names = self.xpath_search("./parent::cs:names[1]")[0]
                text = child.render(item, names_context=names, context=context, **kwargs)
            else:
                text = child.render(item, context=context, **kwargs)
        except VariableError:
            continue
        finally:
            _state.recording = before
        if text:
            if before is not None:
                before.update(rendered)
            layout = _context(self, context).get_layout()
            layout.repressed.setdefault(SUPPRESSED, set()).update(rendered)
            self.add_to_repressed_list(child, _context(self, context))
            return text
    return None


def _names_markup(original: Any) -> Any:
    def markup(self: Any, text: Any) -> Any:
        out = original(self, text)
        if out and getattr(_state, "mark", False):
            return NAMES_OPEN + out + NAMES_CLOSE
        return out

    return markup


def _term_markup(original: Any) -> Any:
    def markup(self: Any, text: Any, language: Any = None) -> Any:
        out = original(self, text, language)
        if out and getattr(_state, "mark", False) and self.get("term") is not None:
            return TERM + out
        return out

    return markup


def _initialize(self: Any, given: Any, mark: str, context: Any) -> str:
    """Initials as CSL processors make them: "John Paul" -> "J. P.", "J.P." -> "J. P.";
    lowercase words are kept whole ("yonghui", "de"), as are abbreviations ("Md.") and
    words joined by a no-break space ("Pawel\u00a0A.", as pandoc reads them);
    with ``initialize="false"`` only bare initials change ("James T" -> "James T.")."""
    if isinstance(given, _WholeGiven):
        return str(given)
    options = self.__dict__.get("_apecdocs_initialize")  # per context, read once
    if options is None:
        options = self.__dict__["_apecdocs_initialize"] = {}
    found = options.get(context)
    if found is None:
        found = options[context] = (
            _option(self, "initialize", "true").lower() == "false",
            bool(self.get_option("initialize-with-hyphen", context)))
    return _initials(str(given), mark, *found)


@functools.lru_cache(maxsize=8192)
def _initials(text: str, mark: str, whole: bool, hyphen: bool) -> str:
    """``_initialize``'s result for a given name's text (the same names come again in
    citations, entries and sort keys)."""
    parts = text.split("-") if hyphen else [text.replace("-", " ")]
    results = []
    for n, part in enumerate(parts):
        if n and not whole and part[:1].islower() and not _INITIAL.match(part):
            continue  # "Pierre-luc" -> "P.", as pandoc initializes it; "S.-i." stays
        out = ""
        for word in _WORDS.split(part):
            stem = word.rstrip(".")
            if not stem:
                continue
            if n and len(stem) == 1 and stem.islower() and word.endswith("."):
                out += stem + mark  # the "i." of "S.-i.", an initial already
            elif not stem[0].isupper():
                if out and not out.endswith(" "):
                    out += " "  # "A.G. de G.", not "A.G.de G."
                out += word + " "
            elif len(stem) == 1:
                out += stem + mark
            elif whole:
                out += word + " "
            elif word.endswith(".") and len(stem) > 1:
                out += stem + mark
            else:
                out += stem[0] + mark
        results.append(" ".join(out.split()))
    return "-".join(results)


_INITIAL = re.compile(r"^[a-z]\.$")
_WORDS = re.compile(r"[ \t\n]+|(?<=\.)(?=[^\s.])")


def _option(name_element: Any, option: str, default: str) -> str:
    """An inheritable name option: on cs:name, else cs:citation/cs:bibliography, else style."""
    value = name_element.get(option)
    if value is not None:
        return value
    parents = name_element.xpath_search("./ancestor::*[self::cs:citation or self::cs:bibliography]")
    for element in [*parents[-1:], name_element.get_root()]:
        if element.get(option) is not None:
            return element.get(option)
    return default


_NUMERIC = re.compile(r"^\s*[a-z]*\d+[a-z]*(?:\s*(?:[-\u2013,&]|and)\s*[a-z]*\d+[a-z]*)*\s*$", re.I)


def _is_numeric(self: Any, item: Any) -> list[bool]:
    results = []
    for variable in self.get("is-numeric").split():
        if variable == "locator":
            value = item.locator.identifier if item.has_locator else None
        else:
            value = item.reference.get(variable.replace("-", "_"))
        results.append(value is not None and bool(_NUMERIC.match(str(value))))
    return results


def _wrap_name_process(original: Any) -> Any:
    def process(self: Any, item: Any, variable: str, context: Any = None,
                sort_options: Any = None, **kwargs: Any) -> Any:
        override = (getattr(_state, "overrides", None) or {}).get(item.key)
        if override is None or sort_options is not None:
            return original(self, item, variable, context, sort_options, **kwargs)
        reference = item.reference
        names = reference.get(variable.replace("-", "_")) or []
        saved = dict.get(reference, variable.replace("-", "_"))
        if override.given and names:
            from citeproc.source import Name

            changed = list(names)
            in_entry = getattr(_state, "bibliography", False) and self.get("form") != "short"
            for position, level in override.given.items():
                if position >= len(changed) or not changed[position].get("given") \
                        or "literal" in changed[position]:
                    continue
                if in_entry:  # the entry's own name form, its given name not initialized
                    if level == "full":
                        changed[position] = Name(**{**changed[position], "given": _WholeGiven(
                            _whole(changed[position]["given"], self, context))})
                else:
                    changed[position] = Name(literal=_expanded(self, changed[position], level,
                                                               context))
            reference[variable.replace("-", "_")] = changed
        before = getattr(_state, "shown", None)
        _state.shown = (override.names, len(names)) if override.names else None
        try:
            return original(self, item, variable, context, sort_options, **kwargs)
        finally:
            _state.shown = before
            if saved is not None:
                reference[variable.replace("-", "_")] = saved

    return process


def _whole(given: str, name_element: Any, context: Any) -> str:
    """A given name whole, but a bare initial takes its period: "Brett K" -> "Brett K."."""
    mark = name_element.get_option("initialize-with", context) or ". "
    return " ".join(w + mark.strip() if len(w) == 1 and w.isupper() else w
                    for w in str(given).split())


def _expanded(name_element: Any, name: Any, level: str, context: Any) -> str:
    """"Y. Wu" or "Yonghui Wu": a name written out for disambiguation."""
    given, family, dropping, non_dropping, suffix = name.parts()
    mark = name_element.get_option("initialize-with", context) or ". "
    if level == "initials":
        given = name_element.initialize(given, mark, context)
    else:
        given = _whole(given, name_element, context)
    text = " ".join(p for p in (given, dropping, non_dropping, family) if p)
    return f"{text}, {suffix}" if suffix else text


def _wrap_name_get_option(original: Any) -> Any:
    def get_option(self: Any, name: str, context: Any = None, sort_options: Any = None) -> Any:
        value = original(self, name, context, sort_options)
        shown = getattr(_state, "shown", None)
        if shown is None or sort_options is not None:
            return value
        count, total = shown
        if name in ("et-al-use-first", "et-al-subsequent-use-first"):
            return max(value, count)
        if name in ("et-al-min", "et-al-subsequent-min") and count >= total:
            return 0
        return value

    return get_option


def _wrap_case(original: Any) -> Any:
    def case(self: Any, text: Any, language: Any = None) -> Any:
        text_case = self.get("text-case")
        if text_case in ("capitalize-first", "capitalize-all", "title") and text:
            first = str(text).split(" ", 1)[0]
            if text_case == "capitalize-first" and any(c.isupper() for c in first[1:]):
                return text  # "arXiv" stays "arXiv"
        return original(self, text, language)

    return case


def _wrap_title_case(original: Any) -> Any:
    def case(self: Any, text: Any, language: Any = None) -> Any:
        if self.get("text-case") != "title" or language not in (None, "en") or not text:
            return original(self, text, language)
        from citeproc.string import MixedString, NoCase, String

        parts = list(text) if isinstance(text, MixedString) else [text]
        cased = casing.title_case([(str(p), isinstance(p, NoCase)) for p in parts])
        if len(parts) == 1:
            return String(cased[0])
        return MixedString([NoCase(c) if isinstance(p, NoCase) else String(c)
                            for p, c in zip(parts, cased, strict=True)])

    return case


def install() -> None:
    """Patch citeproc-py's classes (``engine`` calls this once, before it renders)."""
    model.Text._variable = _wrap_text_variable(model.Text._variable)
    model.Names.process = _wrap_names_process(model.Names.process)
    model.Names.markup = _names_markup(model.Names.markup)
    model.Text.markup = _term_markup(model.Text.markup)
    model.Substitute.render = _substitute_render
    model.Name.initialize = _initialize
    model.If._is_numeric = _is_numeric
    conditions.install()
    model.TextCased.case = _wrap_case(_wrap_title_case(model.TextCased.case))
    model.Name.process = _wrap_name_process(model.Name.process)
    model.Name.get_option = _wrap_name_get_option(model.Name.get_option)
    citeproc.NAMES.extend(n.replace("-", "_") for n in items.NEW_NAMES)  # read as names
    citeproc.DATES.extend(d.replace("-", "_") for d in items.NEW_DATES)
    pages.install()
    groups.install()
    sorting.install()
    positions.install()
