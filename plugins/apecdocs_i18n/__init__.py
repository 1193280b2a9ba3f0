"""Translation: every document in several languages, from gettext catalogs.

- ``apecdocs i18n extract [--lang vi] [--fill]`` writes ``locales/<lang>/<doc>.po``,
  one entry per heading, paragraph, list item, table cell, caption, footnote and title
  (``--fill`` asks a ``translate`` provider plugin for fuzzy suggestions).
- ``apecdocs build --lang vi`` puts the reviewed translations into the AST; the
  summary prints each document's coverage.
- Jinja filters ``format_date``, ``format_number``, ``format_money`` and
  ``format_percent`` write for the document's language (Babel).
- Before a PDF is laid out, characters that no available font covers are named in
  a warning; ``fonts:`` in ``apecdocs.yaml`` adds the project's own fonts.

Registered through the ``apecdocs`` entry-point group like any third-party plugin.
"""

from __future__ import annotations

import threading
import weakref
from pathlib import Path
from typing import Any

from apecdocs import Finding, hookimpl

from . import fonts, label_report, script_fonts
from .catalog import catalog_path, project_languages, wanted

_lock = threading.Lock()
_font_warnings: weakref.WeakKeyDictionary[Any, dict[Any, list[str]]] = weakref.WeakKeyDictionary()


@hookimpl
def config_schema() -> dict[str, Any]:
    return {"fonts": {
        "type": "array", "items": {"type": "string"},
        "description": "Font files or folders in the project that the PDF may use (e.g. a "
                       "CJK font); the build warns about characters no font covers.",
    }}


@hookimpl
def jinja_filters() -> dict[str, Any]:
    from .formatting import FILTERS  # here: asked only as templates are made (Jinja's loaded)

    return dict(FILTERS)


def _translating() -> Any:
    """The module that translates: imported on the first translated build, so a build
    of the source language (or of nothing) never loads it."""
    from . import translate

    return translate


@hookimpl(wrapper=True)
def transform_ast(ast: dict, project: Any, document: Any, lang: str) -> Any:
    """Translate the authors' text before any other plugin reads it (citations and
    cross-references are still Markdown), and what the others generated after them."""
    translating = wanted(project, lang)
    if translating:
        _translating().translate_sources(ast, project, document, lang)
    result = yield
    if translating:
        _translating().translate_generated(ast, project, document, lang)
    return result


@hookimpl
def build_inputs(project: Any, document: Any, lang: str) -> list[Path]:
    """The catalog, and the language's font files: installing the extra rebuilds."""
    font = script_fonts.for_language(lang)
    files = fonts.font_files(font.folders()) if font else []
    if wanted(project, lang):
        files.append(catalog_path(project, lang, document.id))
    return files


@hookimpl
def pandoc_options(project: Any, target: Any, options: Any) -> None:
    if target.format == "pdf":
        for path in fonts.project_fonts(project):
            options.fonts.append(path if path.is_dir() else path.parent)
        font = script_fonts.for_language(target.lang)
        if font is not None:  # the language's own font first: Japanese Han forms in Japanese
            options.fonts.extend(font.folders())
            options.variables["script-fonts"] = font.typst_fonts()


@hookimpl(trylast=True)
def finalize_ast(ast: dict, project: Any, target: Any) -> None:
    """Name the characters the PDF would print as boxes."""
    if target.format != "pdf":
        return
    missing = fonts.missing_characters(fonts.document_text(ast), fonts.available_fonts(project),
                                       project.cache_path("font-charmaps.json"))
    if missing:
        text = (f"no font has a glyph for {len(missing)} character(s), which the PDF would "
                f"show as boxes: {fonts.describe(missing)}; "
                f"{script_fonts.install_hint(missing, target.lang)}")
        with _lock:
            _font_warnings.setdefault(project, {})[target] = [text]
    else:
        with _lock:
            _font_warnings.setdefault(project, {}).pop(target, None)


@hookimpl
def build_finished(project: Any, report: Any) -> None:
    with _lock:
        warned = _font_warnings.pop(project, {})
    for output in report.outputs:
        for text in warned.get(output.target, []):
            if text not in output.warnings:
                output.warnings.append(text)
    label_report.add_warnings(project, report)
    pairs = {(o.target.document, o.target.lang) for o in report.outputs
             if o.status != "failed" and wanted(project, o.target.lang)}
    coverage = _translating().save(project, pairs) if pairs else {}
    for (doc, lang), (done, total) in coverage.items():
        share = f"{done / total:.0%}" if total else "-"
        report.notes.append(f"translation {lang}/{doc}: {done}/{total} segments ({share})"
                            + ("" if catalog_path(project, lang, doc).is_file() else
                               f"; no catalog yet: apecdocs i18n extract --lang {lang}"))


@hookimpl
def check(project: Any, document: Any) -> list[Finding]:
    if document is not None:
        return []
    from apecdocs import ApecdocsError

    findings = []
    try:
        fonts.project_fonts(project)
    except ApecdocsError as exc:
        findings.append(Finding(exc.message, exc.location, "error", exc.hint, "i18n-font"))
    for lang in project_languages(project):
        text = label_report.warning(project, lang)
        if text:
            findings.append(Finding(text, project.locate("languages"), "warning",
                                    code="i18n-labels"))
    return findings + label_report.findings(project)


@hookimpl
def register_commands(cli: Any) -> None:
    from .cli import i18n

    cli.add_command(i18n)

