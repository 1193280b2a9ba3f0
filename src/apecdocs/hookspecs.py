"""Hook specifications: every way a plugin can take part in a build.

A plugin is a module or object with functions named like the hooks below and marked
with ``apecdocs.hookimpl``. It is found through the ``apecdocs`` entry-point group, a
project's ``plugins/*.py`` files, or ``PluginManager.register`` in Python. First-party
plugins (APEC formatting, charts, citations, translation) use exactly these hooks.

The build path is: load -> validate -> assemble -> parse -> transform -> write. Hooks
are listed in that order. Hooks that return a value are collected (one result per
plugin) unless marked ``firstresult``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from pathlib import Path

    import click

    from .model import BuildReport, Document, DocumentType, Finding, Target, WriteOptions
    from .project import Project

hookspec = pluggy.HookspecMarker("apecdocs")


@hookspec
def config_schema() -> dict[str, dict[str, Any]]:
    """Top-level keys this plugin adds to ``apecdocs.yaml``.

    Return ``{key: json_schema}``. The loader validates the key against the schema and
    ``apecdocs schema`` prints it, so editors and the build agree. Unknown top-level keys
    are errors, so a plugin must declare every key it reads.
    """


@hookspec
def file_schemas() -> dict[str, dict[str, Any]]:
    """JSON schemas of the other YAML files this plugin reads, ``{kind: schema}`` (a
    questionnaire definition, say): ``apecdocs schema --file KIND`` prints one for
    editors, and the plugin validates the file with the same schema."""


@hookspec
def document_types() -> list[DocumentType]:
    """Kinds of document this plugin provides (report, agenda, circular, ...).

    Each ``DocumentType`` gives defaults (formats, contents, numbering), a JSON schema
    for the document's ``meta`` mapping, an optional Markdown/Jinja template wrapped
    around the document's sources and an optional styles folder.
    """


@hookspec
def data_loaders() -> dict[str, Any]:
    """Readers for data files, keyed by file suffix (``".csv"``).

    A reader is ``reader(path: Path) -> Any``. Data files named in ``data:`` in
    ``apecdocs.yaml`` are read on first use and seen by templates as ``data.<name>``.
    """


@hookspec
def jinja_filters() -> dict[str, Any]:
    """Filters for Markdown templates, ``{name: callable}``."""


@hookspec
def jinja_globals() -> dict[str, Any]:
    """Functions and values every Markdown template sees, ``{name: value}``."""


@hookspec
def template_context(project: Project, document: Document, lang: str) -> dict[str, Any] | None:
    """Extra names for the templates of ``document`` in language ``lang``.

    Computed figures belong here, not in templates: the template only presents them.
    Later plugins' keys override earlier ones'; raise ``ApecdocsError`` for bad data.
    Values become plain data (mappings, lists, text, numbers, dates, functions; a path
    becomes text, another object is refused) and text is escaped as Markdown when
    printed: wrap Markdown the plugin wrote (escaping the data inside) in
    ``markupsafe.Markup`` to have it printed as Markdown.
    """


@hookspec
def check(project: Project, document: Document | None) -> list[Finding] | None:
    """Problems a build would hit, without building.

    Called once with ``document=None`` for project-wide findings and once for each
    document, by ``apecdocs check`` and by every build alike. Errors stop the documents
    they concern (a project-wide one in a source file: the documents built from it;
    elsewhere: all); warnings go to the build summary and ``BuildReport.warnings``, a
    document's also to its outputs' ``warnings``. ``apecdocs check`` prints every
    finding with its file and line.
    """


@hookspec
def prepare_document(project: Project, document: Document, lang: str) -> None:
    """Get ready to transform ``document`` in ``lang`` while pandoc parses its sources.

    Called on a thread of its own once a pandoc process of the parse ends, while any
    others still read (not when every parse is kept from an earlier build), for work
    that needs no tree: importing an engine, reading a bibliography or a style. It
    fills time the build spends waiting; nothing may depend on it: ``transform_ast``
    must find or make again what it prepared. An error it raises stops the document
    once the parse is done.
    """


@hookspec
def transform_ast(ast: dict[str, Any], project: Project, document: Document, lang: str) -> None:
    """Rewrite a document's pandoc AST (JSON) in place, once per document and language.

    Runs before any format is written, so the result serves DOCX, PDF and HTML alike:
    citations, translation, numbering, generated front matter belong here.
    """


@hookspec
def finalize_ast(ast: dict[str, Any], project: Project, target: Target) -> None:
    """Rewrite the AST in place for one output format (``target.format``).

    For what differs between formats: raw Typst for a cover page, a Word field for a
    live table of contents. Gets its own copy of the tree.
    """


@hookspec
def pandoc_options(project: Project, target: Target, options: WriteOptions) -> None:
    """Adjust how pandoc writes ``target``: reference doc, template, variables, args.

    Mutate ``options`` in place. Core sets defaults first; plugins refine them.
    ``options.docx`` says how the DOCX is finished after pandoc: sections, running
    header, caption labels, known page numbers (see docs/word-output.md).
    """


@hookspec(firstresult=True)
def translate(segments: list[str], source_lang: str, target_lang: str) -> list[str | None] | None:
    """Machine-translate ``segments`` (one result per segment, ``None`` if unknown).

    The first plugin that returns a list wins. Results are offered to translators as
    fuzzy catalog entries, never published as reviewed text.
    """


@hookspec
def output_written(project: Project, path: Path, target: Target) -> None:
    """Called after ``path`` has been moved into place for ``target``."""


@hookspec
def build_inputs(project: Project, document: Document, lang: str) -> list[Path] | None:
    """Files, besides sources, data and styles, that the build of ``document`` in
    ``lang`` reads (a translation catalog, say): a change to one rebuilds it."""


@hookspec
def build_finished(project: Project, report: BuildReport) -> None:
    """Called once when a build ends, before failures are raised: add lines to
    ``report.notes`` (printed in the summary) or warnings to an output's ``warnings``.
    If it raises, the outputs stay written: the summary is printed, then the failure
    (exit 1); ``project.build()`` raises the error with the report as ``.report``."""


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add commands to the ``apecdocs`` command line (``cli.add_command``)."""
