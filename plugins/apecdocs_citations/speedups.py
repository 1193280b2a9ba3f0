"""Speed for citeproc-py, same output: installed once per process.

Profiling the 615-item deep-review bibliography showed that almost all of citeproc-py's
time went to XPath queries re-run on a style tree that never changes: ``get_macro``
searches the whole style by name on every use, and ``Group.process`` asks every child
``calls_variable()``, which recurses through macros (each found by XPath again), so
nested groups repeat the same walk many times over (80 s for Chicago author-date). Both
are pure functions of the style, so their results are cached per element.

The rest is per-node overhead, trimmed where the answer cannot change: terms, locale
options and child lookups are cached the same way (a missing cs:name is not: citeproc-py
adds one to a cs:names without); formatting and affixes return at once when an element
has none; citation numbers come from an index rather than ``list.index``, which also
tells ``register`` the keys it has (``_key_index``); an item's reference is looked up
once; strings are joined as ``seams`` says. ``elements`` and ``names`` do the same for
cs:text, cs:group and cs:name, reading what each element says once.

The cache lives on the root element of each style or locale (as citeproc-py keeps its
own locale list there) and holds the elements it is keyed by, so lxml keeps their
Python proxies, and thus their identities, stable for as long as the style lives; each
such element also keeps a reference to the cache and to its root, found once.
"""

from __future__ import annotations

from typing import Any

from citeproc import frontend, model, source
from citeproc import string as citeproc_string
from citeproc.source import json as json_source

from . import seams


def _memo(element: Any) -> dict:
    own = element.__dict__
    memo = own.get("_apecdocs_memo")  # getattr would search the XML for a child
    if memo is None:
        root = element.getroottree().getroot()
        memo = root.__dict__.get("_apecdocs_memo")
        if memo is None:
            memo = root.__dict__["_apecdocs_memo"] = {}
        own["_apecdocs_memo"] = memo  # kept while lxml keeps this proxy (memo keys do)
    return memo


def keep(element: Any, name: str, value: Any) -> Any:
    """``value`` as ``element.__dict__[name]``; also put in the style's memo, whose key
    keeps lxml's proxy of ``element`` (and so the value) for as long as the style lives."""
    _memo(element)[(element, name)] = value
    element.__dict__[name] = value
    return value


def _get_root(self: Any) -> Any:
    root = self.__dict__.get("_apecdocs_root")
    if root is None:
        root = self.__dict__["_apecdocs_root"] = self.getroottree().getroot()
    return root


def _xpath_search(self: Any, expression: str) -> Any:
    own = self.__dict__
    found = own.get("_apecdocs_xpath")  # expression -> result, for this element
    if found is None:
        found = keep(self, "_apecdocs_xpath", {})
    try:
        return found[expression]
    except KeyError:
        result = found[expression] = self.xpath(expression, namespaces=self.nsmap)
        return result


def _get_layout(self: Any) -> Any:
    """The cs:layout an element is in (citeproc-py asks for every variable rendered)."""
    layout = self.__dict__.get("_apecdocs_layout")
    if layout is None:
        layout = self.__dict__["_apecdocs_layout"] = self.xpath_search(
            "./ancestor-or-self::cs:layout[1]")[0]
    return layout


def _cached_calls_variable(original: Any) -> Any:
    def calls_variable(self: Any) -> bool:
        memo = _memo(self)
        key = (self, "calls_variable")
        try:
            return memo[key]
        except KeyError:
            result = memo[key] = original(self)
            return result

    return calls_variable


class _Reference:
    """An item's reference, looked up once (citeproc-py walks three ``__getattr__``
    indirections on every use, half a million times for the deep-review corpus) and
    then kept in the item's ``__dict__``, where later reads find it without a call."""

    def __get__(self, item: Any, owner: Any = None) -> Any:
        if item is None:
            return self
        citation = dict.__getitem__(item, "citation")
        found = dict.__getitem__(citation, "bibliography").source[dict.__getitem__(item, "key")]
        item.__dict__["reference"] = found
        return found


def _cached(kind: str, original: Any) -> Any:
    """``original(self, *args)`` remembered per element and arguments."""

    def method(self: Any, *args: Any) -> Any:
        memo = _memo(self)
        key = (self, kind, args)
        try:
            return memo[key]
        except KeyError:
            result = memo[key] = original(self, *args)
            return result

    return method


def _cached_per_root(kind: str, original: Any) -> Any:
    """``original(self, ...)`` that depends only on the style (or locale) as a whole."""

    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        memo = _memo(self)
        key = (kind, args, tuple(sorted(kwargs.items())))
        try:
            return memo[key]
        except KeyError:
            result = memo[key] = original(self, *args, **kwargs)
            return result

    return method


_UNKNOWN = object()


def _child(original: Any) -> Any:
    def __getattr__(self: Any, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        memo = _memo(self)
        key = (self, "child", name)
        found = memo.get(key, _UNKNOWN)
        if found is _UNKNOWN:
            found = original(self, name)
            if found is not None or name != "name":  # citeproc-py may add a cs:name
                memo[key] = found
        return found

    return __getattr__


def _name_option(original: Any) -> Any:
    """cs:name's options, remembered per element, option, context and sort options:
    citeproc-py finds each by XPath and the style's options on every name rendered,
    fifteen times per name list (the patches that adjust an option wrap this)."""

    def get_option(self: Any, name: str, context: Any = None, sort_options: Any = None) -> Any:
        memo = self.__dict__.get("_apecdocs_name_options")
        if memo is None:  # kept in the style's memo too, which keeps the proxy
            memo = keep(self, "_apecdocs_name_options", {})
        key = (name, context, None if sort_options is None else tuple(sort_options.items()))
        try:
            return memo[key]
        except KeyError:
            result = memo[key] = original(self, name, context, sort_options)
            return result

    return get_option


def _get_formatter(self: Any) -> Any:
    root = self.getroottree().getroot()
    formatter = root.__dict__.get("formatter")
    return formatter if formatter is not None else root.style.formatter


FORMAT_ATTRIBUTES = ("font-style", "font-variant", "font-weight", "text-decoration",
                      "vertical-align")


def formatted(element: Any) -> bool:
    """Whether ``element`` has any formatting attribute (else ``format`` changes nothing)."""
    get = element.get
    return any(get(name) is not None for name in FORMAT_ATTRIBUTES)


def affixed(element: Any) -> bool:
    return element.get("prefix") is not None or element.get("suffix") is not None


def _fast_format(original: Any) -> Any:
    """No formatting attribute, nothing to do (citeproc-py makes five calls to find out)."""

    def format(self: Any, string: Any) -> Any:
        if formatted(self):
            return original(self, string)
        return str(string) if isinstance(string, (int, float)) else string

    return format


def _fast_wrap(original: Any) -> Any:
    def wrap(self: Any, string: Any) -> Any:
        if string is not None and not affixed(self):
            return string
        return original(self, string)

    return wrap


def _key_index(bib: Any) -> dict[str, int]:
    """Each registered key's position in ``bib.keys``, kept with that list (made anew
    when citeproc-py replaces it, as ``sort`` does)."""
    keys = bib.keys
    found = bib.__dict__.get("_apecdocs_index")
    if found is None or found[0] is not keys or len(found[1]) != len(keys):
        found = bib.__dict__["_apecdocs_index"] = (keys, {k: n for n, k in enumerate(keys)})
    return found[1]


def _number(self: Any) -> int:
    """Citation numbers from an index, not ``list.index`` on every use."""
    return _key_index(self.bibliography)[dict.__getitem__(self, "key")] + 1


def _missing(self: Any, key: Any) -> Any:
    """A missing field is a ``VariableError``, as citeproc-py's ``__getitem__`` made it,
    but found by the dict itself: the Python ``__getitem__`` (with ``super()``) cost a
    call on every field read, a fifth of a million times for the deep-review corpus."""
    raise source.VariableError


def _register(self: Any, citation: Any, callback: Any = None) -> None:
    """citeproc-py's ``register``, knowing the registered keys by ``_key_index``: it
    searched the list of keys for every cite, and every entry and probe is registered
    as a citation (615 x 615 comparisons, three times over, for the deep-review corpus)."""
    citation.bibliography = self
    index = _key_index(self)
    for item in citation.cites:
        key = dict.__getitem__(item, "key")
        if key in self.source:
            if key not in index:
                index[key] = len(self.keys)
                self.keys.append(key)
                self.items.append(item)
        elif callback is not None:
            callback(item)


def children_attribute(kind: type | None = None) -> str:
    """Where ``children(element, kind)`` keeps its answer on the element: a hot path
    may read it there first, and call ``children`` only when it is missing."""
    return "_apecdocs_children" if kind is None else "_apecdocs_children_" + kind.__name__


def children(element: Any, kind: type | None = None) -> tuple[tuple[Any, bool], ...]:
    """An element's children, each with whether it is a ``kind`` (default cs:choose),
    found once (lxml makes a new proxy of each child on every walk). Not for cs:names,
    to which citeproc-py adds a cs:name while rendering."""
    name = children_attribute(kind)
    found = element.__dict__.get(name)
    if found is None:
        test = model.Choose if kind is None else kind
        found = keep(element, name, tuple((child, isinstance(child, test))
                                          for child in element.iterchildren()))
    return found


def _render_children(self: Any, item: Any, delimiter: str = "", **kwargs: Any) -> Any:
    """citeproc-py's ``Parent.render_children``, over the children found once."""
    found = self.__dict__.get("_apecdocs_children")
    if found is None:
        if isinstance(self, model.Names):
            return _original_render_children(self, item, delimiter=delimiter, **kwargs)
        found = children(self)
    output = []
    for child, choose in found:
        try:
            text = child.render(item, delimiter=delimiter, **kwargs) if choose \
                else child.render(item, **kwargs)
        except source.VariableError:
            continue
        if text is not None:
            output.append(text)
    if not output:
        return None
    return output[0] if len(output) == 1 else model.join(output, delimiter)


_original_render_children = model.Parent.render_children


def _parse_string(original: Any) -> Any:
    """A field without a nocase span is one String (what citeproc-py's loop builds for
    it, by way of an exception per field)."""

    def parse_string(self: Any, string: Any) -> Any:
        string = str(string)
        if '<span class="nocase">' in string.lower():
            return original(self, string)
        return citeproc_string.MixedString([citeproc_string.String(string)] if string else [])

    return parse_string


def install() -> None:
    """Patch citeproc-py's classes (``engine`` calls this once, before it renders)."""
    model.CitationStylesElement.xpath_search = _xpath_search
    model.CitationStylesElement.get_root = _get_root
    model.CitationStylesElement.get_layout = _get_layout
    for cls in (model.Parent, model.Text):
        cls.calls_variable = _cached_calls_variable(cls.__dict__["calls_variable"])
    source.CitationItem.reference = _Reference()
    source.CitationItem.number = property(_number)
    source.CustomDict.__missing__ = _missing
    del source.CustomDict.__getitem__
    frontend.CitationStylesBibliography.register = _register
    element = model.CitationStylesElement
    element.get_term = _cached_per_root("term", element.get_term)
    element.get_locale_option = _cached_per_root("locale-option", element.get_locale_option)
    element.get_formatter = _get_formatter
    model.Name.get_option = _name_option(model.Name.get_option)
    model.Name.et_al = _cached("et-al", model.Name.et_al)  # its sibling's term, found once
    model.SomewhatObjectifiedElement.__getattr__ = _child(
        model.SomewhatObjectifiedElement.__getattr__)
    model.Formatted.format = _fast_format(model.Formatted.format)
    model.Affixed.wrap = _fast_wrap(model.Affixed.wrap)
    seams.install()
    model.Parent.render_children = _render_children
    json_source.CiteProcJSON.parse_string = _parse_string(json_source.CiteProcJSON.parse_string)
    model.Term.single = property(_cached("single", model.Term.single.fget))
    model.Term.multiple = property(_cached("multiple", model.Term.multiple.fget))
