"""Citations and a bibliography: pandoc's citation syntax, rendered with citeproc-py.

    citations:
      bibliography: data/references.json     # or .bib, .yaml, or a list of files
      style: apa                             # a CSL style by name, or styles/own.csl

Write ``[@apec2017, p. 12]``, ``@oecd2019 says``, ``[-@key]``, ``[see @a; @b, chap. 2]``.
Citations are rendered in place, in the document's language, as ordinary text
(italics, links), so DOCX, PDF and HTML show the same words; the bibliography goes in a
``::: {#refs}`` div, or at the end under "References". A document may set its own
``bibliography`` and ``csl`` in ``meta:``.
"""

from __future__ import annotations

from typing import Any

from apecdocs import ApecdocsError, hookimpl
from apecdocs.model import Finding

# ``versions`` stops an untested citeproc-py before ``document`` patches it. ``bibliography``
# and ``output`` (zipfile ...) are imported by the hooks that use them: a build with
# nothing to do calls none of those.
from . import styles, versions  # noqa: F401
from .settings import SCHEMA, settings_for


def _citing() -> Any:
    """The module that renders citations, with citeproc-py: imported on the first
    document that cites, so a build that cites nothing (or builds nothing) never loads it."""
    from . import document

    return document


@hookimpl
def config_schema() -> dict[str, Any]:
    return {"citations": SCHEMA}


@hookimpl
def prepare_document(project: Any, document: Any, lang: str) -> None:
    """While pandoc parses: citeproc-py imported and the bibliography made readable for
    it, which a document's first rendering needs (a warm build, its parse kept, is not
    asked and never loads the engine)."""
    settings = settings_for(project, document)
    if settings is not None:
        _citing().get_ready(project, settings)


@hookimpl
def transform_ast(ast: dict, project: Any, document: Any, lang: str) -> None:
    settings = settings_for(project, document)
    if settings is not None:
        _citing().cite_document(ast, project, document, lang, settings)


@hookimpl
def build_inputs(project: Any, document: Any, lang: str) -> list:
    """The bibliography files and the style: editing either rebuilds the document."""
    try:
        settings = settings_for(project, document)
        if settings is None:
            return []
        return [*settings.bibliography, styles.resolve(project, settings.style,
                                                       settings.style_where)]
    except ApecdocsError:
        return []  # the build itself reports it, with its file and line


@hookimpl
def check(project: Any, document: Any) -> list[Finding]:
    """A missing or unreadable bibliography, duplicate keys and an unusable style."""
    if document is None:
        return []
    try:
        settings = settings_for(project, document)
        if settings is None:
            return []
        from . import bibliography

        bibliography.load(settings.bibliography, project.cache_dir)
        styles.info(styles.resolve(project, settings.style, settings.style_where))
    except ApecdocsError as exc:
        return [Finding(exc.message, exc.location, "error", exc.hint, code="citations")]
    return []


@hookimpl(trylast=True)
def pandoc_options(project: Any, target: Any, options: Any) -> None:
    from . import output

    if target.format == "html":
        output.add_css(options)
        return
    if target.format != "docx" or options.reference_doc is None:
        return
    style = _style_info(project, project.documents[target.document])
    if style is not None and output.indent_wanted(style):
        options.reference_doc = output.hanging_reference_doc(options.reference_doc,
                                                             project.cache_dir)


@hookimpl
def finalize_ast(ast: dict, project: Any, target: Any) -> None:
    if target.format == "pdf":
        from . import output

        output.typst_indent(ast)
    elif target.format == "docx" and settings_for(project, project.documents[target.document]):
        _citing().entries_as_runs(ast)


def _style_info(project: Any, document: Any) -> styles.StyleInfo | None:
    try:
        settings = settings_for(project, document)
        if settings is None:
            return None
        return styles.info(styles.resolve(project, settings.style, settings.style_where))
    except ApecdocsError:
        return None
