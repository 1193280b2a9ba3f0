"""cs:text and cs:group with their attributes read once per element (installed after
``speedups`` and before ``patches``, which wraps the markup and variable lookup set here).

citeproc-py reads the same attributes of the same cs:text for every entry: which of
variable, macro, term or value it prints (and the macro found by XPath), the formatting,
affixes, quotes, case and strip-periods that only then turn out to be absent, each an
lxml call; a cs:text is rendered through three methods. A style's elements do not change
while it renders, so what they say is read on an element's first use and kept with its
Python proxy (which the style's memo keeps alive, see ``speedups``); the steps an element
does not ask for are skipped. Same results as citeproc-py's ``Text.render``,
``Text.markup``, ``Text._variable``, ``Group.markup`` and ``Date.is_locale_date``; a
cs:text also counts itself in its group for the rule ``groups`` implements.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from citeproc import model
from citeproc import string as citeproc_string

from . import groups, speedups


class TextSpec(NamedTuple):
    """What a cs:text prints and which of its markup steps apply."""

    variable: str | None
    macro: Any  # the cs:macro element (only when there is no variable)
    has_macro: bool  # the attribute, as ``groups`` counts a macro
    term: bool
    language: str  # the style's default language, for an item without one
    strip_periods: bool
    case: bool
    formatted: bool
    quoted: bool
    affixed: bool
    tag: str  # the element's tag, as citeproc-py's repressed lists name it
    short: bool  # form="short": the variable's short form, where the item has one
    calls_variable: bool  # counts as a variable called in its group (``groups``)


def _flag(element: Any, name: str) -> bool:
    return element.get(name, "false").lower() == "true"


def text_spec(element: Any) -> TextSpec:
    """``element``'s spec, read on first use."""
    spec = element.__dict__.get("_apecdocs_text")
    if spec is None:
        get = element.get
        variable, macro = get("variable"), get("macro")
        spec = TextSpec(
            variable=variable,
            macro=element.get_macro(macro) if variable is None and macro is not None
            else None,
            has_macro=macro is not None,
            term=get("term") is not None,
            language=element.get_root().get("default-locale", "en")[:2],
            strip_periods=_flag(element, "strip-periods"),
            case=get("text-case") is not None,
            formatted=speedups.formatted(element),
            quoted=_flag(element, "quotes"),
            affixed=speedups.affixed(element),
            tag=element.tag,
            short=get("form") == "short",
            calls_variable=variable is not None and variable not in groups.GENERATED)
        speedups.keep(element, "_apecdocs_text", spec)
    return spec


def _text_render(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
    """citeproc-py's ``Text.render`` and ``Text.process`` in one, the item's language
    found without raising (and catching) an exception for each text with none, counted
    in the group around it as ``groups`` says."""
    spec = self.__dict__.get("_apecdocs_text") or text_spec(self)
    frames = groups.current()
    if frames and spec.calls_variable:
        frames[-1][0] += 1
    if context is None:
        context = self
    language = dict.get(item.reference, "language")
    language = str(language)[:2] if language is not None else spec.language
    if spec.variable is not None:
        text = self._variable(item, context)
    elif spec.macro is not None:
        text = spec.macro.render(item, context)
    elif spec.term:
        text = self._term(item)
    else:
        text = citeproc_string.String(self.preformat(self.get("value", "")))
    out = self.markup(text, language)
    if out and frames and (spec.calls_variable or spec.has_macro):
        frames[-1][1] += 1
    return out


def _text_variable(self: Any, item: Any, context: Any) -> Any:
    """citeproc-py's ``Text._variable``, with the element's variable, tag and form read
    once."""
    spec = self.__dict__.get("_apecdocs_text") or text_spec(self)
    variable = spec.variable
    repressed = context.get_layout().repressed
    if spec.tag in repressed and variable in repressed[spec.tag]:
        return None
    if spec.short:
        short_variable = variable + "-short"
        if short_variable.replace("-", "_") in item.reference:
            variable = short_variable
    if variable.startswith("page"):
        return self._process(item.reference.page, variable)
    if variable == "citation-number":
        return item.number
    if variable == "locator":
        en_dash = self.unicode_character("EN DASH")
        return str(item.locator.identifier).replace("-", en_dash)
    return item.reference[variable.replace("-", "_")]


def _text_markup(self: Any, text: Any, language: Any) -> Any:
    """citeproc-py's ``Text.markup`` (strip periods, case, format, quote, affixes), each
    step only where the element asks for it."""
    if not text:
        return None
    spec = self.__dict__.get("_apecdocs_text") or text_spec(self)
    if spec.strip_periods:
        text = self.strip_periods(text)
    if spec.case:
        text = self.case(text, language)
    if spec.formatted:
        text = self.format(text)
    elif isinstance(text, (int, float)):
        text = str(text)
    if spec.quoted:
        text = self.quote(text)
    return self.wrap(text) if spec.affixed else text


def _markup_flags(element: Any) -> tuple[bool, bool]:
    flags = element.__dict__.get("_apecdocs_markup")
    if flags is None:
        flags = speedups.keep(element, "_apecdocs_markup",
                              (speedups.formatted(element), speedups.affixed(element)))
    return flags


def _group_markup(self: Any, text: Any) -> Any:
    """citeproc-py's ``Group.markup``: format and affixes, where the group has them."""
    if not text:
        return None
    is_formatted, is_affixed = _markup_flags(self)
    if is_formatted:
        text = self.format(text)
    elif isinstance(text, (int, float)):
        text = str(text)
    return self.wrap(text) if is_affixed else text


def _is_locale_date(self: Any) -> bool:
    """citeproc-py's ``Date.is_locale_date`` (whether the cs:date is a locale's date
    format), found once: it raised and caught an IndexError on each use by a style."""
    found = self.__dict__.get("_apecdocs_locale_date")
    if found is None:
        found = self.__dict__["_apecdocs_locale_date"] = bool(
            self.xpath_search("./ancestor::cs:locale[1]"))  # the search keeps the proxy
    return found


def install() -> None:
    """Set the methods (once, by ``engine``: ``patches`` then wraps them)."""
    model.Text.render = _text_render
    model.Text.markup = _text_markup
    model.Text._variable = _text_variable
    model.Group.markup = _group_markup
    model.Date.is_locale_date = _is_locale_date
