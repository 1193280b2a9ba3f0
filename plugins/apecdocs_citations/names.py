"""cs:name rendered with its options read as one set (installed after ``speedups`` and
before ``patches``, whose wrappers and ``sorting``'s go around what is set here).

citeproc-py's ``Name.process`` asks for fourteen options on every name list it renders,
each through the wrappers of ``patches`` (names shown for disambiguation), ``sorting``
(a sort key's separators) and ``speedups`` (the memo): some sixty calls per list, for
thousands of lists. What those calls return depends only on the element, the context,
the sort options and the names disambiguation shows, so the fourteen are read once per
such combination, still through the wrappers; the rest is citeproc-py's ``Name.process``
as it is, with the element's cs:name-part children found once.
"""

from __future__ import annotations

from typing import Any

from citeproc import model

from . import speedups, state

_OPTIONS = ("and", "delimiter", "delimiter-precedes-et-al", "delimiter-precedes-last",
            "et-al-min", "et-al-use-first", "et-al-subsequent-min",
            "et-al-subsequent-use-first", "et-al-use-last", "initialize-with",
            "name-as-sort-order", "sort-separator", "form", "demote-non-dropping-particle")


def options(element: Any, context: Any, sort_options: Any) -> tuple[Any, ...]:
    """``element.get_option(name, context, sort_options)`` for each of ``_OPTIONS``, in
    citeproc-py's order, read once per context, sort options and names shown."""
    memo = element.__dict__.get("_apecdocs_option_sets")
    if memo is None:
        memo = speedups.keep(element, "_apecdocs_option_sets", {})
    key = (context, None if sort_options is None else tuple(sort_options.items()),
           getattr(state.current, "shown", None))
    found = memo.get(key)
    if found is None:
        get_option = element.get_option
        found = memo[key] = tuple(get_option(name, context, sort_options)
                                  for name in _OPTIONS)
    return found


def _name_parts(element: Any) -> tuple[Any, ...]:
    parts = element.__dict__.get("_apecdocs_name_parts")
    if parts is None:
        parts = element.__dict__["_apecdocs_name_parts"] = tuple(
            element.findall("cs:name-part", element.nsmap))
    return parts


def _process(self: Any, item: Any, variable: str, context: Any = None,
             sort_options: Any = None, **kwargs: Any) -> Any:
    """citeproc-py's ``Name.process``, its options from ``options``."""
    (and_, delimiter, delimiter_precedes_et_al, delimiter_precedes_last, et_al_min,
     et_al_use_first, _subsequent_min, _subsequent_use_first, et_al_use_last,
     initialize_with, name_as_sort_order, sort_separator, form,
     demote_ndp) = options(self, context, sort_options)
    name_parts = _name_parts(self)

    def format_name_parts(given: Any, family: Any) -> tuple[Any, Any]:
        for part in name_parts:
            given, family = part.format_part(given, family)
        return given, family

    names = item.reference.get(variable, [])

    if and_ == "text":
        and_term = self.get_single_term(name="and")
    elif and_ == "symbol":
        and_term = self.preformat("&")

    et_al = self.et_al()
    output = []
    if form == "count":
        count = min(len(names), et_al_use_first)
        output.append(count)
        return sum(output)
    et_al_truncate = (len(names) > 1 and et_al_min and len(names) >= et_al_min)
    et_al_last = et_al_use_last and et_al_use_first <= et_al_min - 2
    if et_al_truncate:
        names = names[:et_al_use_first] + [names[-1]] if et_al_last \
            else names[:et_al_use_first]
    for i, name in enumerate(names):
        given, family, dp, ndp, suffix = name.parts()

        if given is not None and initialize_with is not None:
            given = self.initialize(given, initialize_with, context)

        if form == "long":
            if (name_as_sort_order == "all"
                    or (name_as_sort_order == "first" and i == 0)):
                if demote_ndp in ("never", "sort-only"):
                    family = " ".join([n for n in (ndp, family) if n])
                    given = " ".join([n for n in (given, dp) if n])
                else:
                    given = " ".join([n for n in (given, dp, ndp) if n])

                given, family = format_name_parts(given, family)
                order = family, given, suffix
                text = sort_separator.join([n for n in order if n])
            else:
                family = " ".join([n for n in (dp, ndp, family) if n])
                given, family = format_name_parts(given, family)
                order = given, family, suffix
                text = " ".join([n for n in order if n])
        elif form == "short":
            family = " ".join([n for n in (ndp, family) if n])
            given, family = format_name_parts(given, family)
            text = family

        output.append(text)

    if et_al_truncate and et_al:
        if et_al_last:
            ellipsis = self.unicode_character("horizontal ellipsis")
            output[-1] = ellipsis + " " + output[-1]
            text = self.join(output, delimiter)
        elif (delimiter_precedes_et_al == "always"
              or (delimiter_precedes_et_al == "contextual" and len(output) >= 2)):
            output.append(et_al)
            text = self.join(output, delimiter)
        else:
            text = self.join(output, delimiter) + " " + et_al
    elif and_ is not None and len(output) > 1:
        text = self.join(output[:-1], ", ")
        if (delimiter_precedes_last == "always"
                or (delimiter_precedes_last == "contextual" and len(output) > 2)):
            text = self.join([text, ""], ", ")
        else:
            text += " "
        text += f"{and_term} " + output[-1]
    else:
        text = self.join(output, delimiter)

    return text


def install() -> None:
    """Set ``Name.process`` (once, by ``engine``: ``patches`` and ``sorting`` then wrap it)."""
    model.Name.process = _process
