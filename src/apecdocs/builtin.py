"""The core's own plugin: the generic document type, data readers, default styles.

Registered like any other plugin (see ``plugins.CORE_PLUGINS``); it knows nothing
about APEC.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import labels
from .contents import insert_contents
from .csvdata import read_dicts
from .errors import ApecdocsError
from .labels import label
from .model import DocumentType, Target, WriteOptions
from .numbering import number_document, resolve_refs
from .pandoc_ast import meta_string
from .plugins import hookimpl

STYLES = Path(__file__).parent / "styles"


LABELS_SCHEMA = {
    "type": "object",
    "description": "Words apecdocs writes (Contents, Table, 'Day {n}: {date}' ...) per language, "
                   "over the shipped ones: labels: {es: {Day: Jornada}}. See docs/translation.md.",
    "propertyNames": {"pattern": r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$"},
    "additionalProperties": {"type": "object", "additionalProperties": {"type": "string"}},
}


@hookimpl
def config_schema() -> dict[str, Any]:
    return {"labels": LABELS_SCHEMA}


@hookimpl
def template_context(project: Any, document: Any, lang: str) -> dict[str, Any]:
    """``label("Day {n}: {date}", n=1, date=...)``: a word apecdocs writes, in ``lang``."""

    def label(text: str, **fields: Any) -> str:
        return labels.text(str(text), lang, project, **fields)

    return {"label": label}


@hookimpl
def build_inputs(project: Any, document: Any, lang: str) -> list[Path]:
    """The project's own label catalog: editing it rebuilds that language."""
    paths = [labels.project_catalog(project, lang), labels.shipped_catalog(lang)]
    return [p for p in paths if p.is_file()]


@hookimpl
def document_types() -> list[DocumentType]:
    return [DocumentType("document", "A plain document: its sources, nothing added.")]


def read_csv(path: Path) -> list[dict[str, str]]:
    return read_dicts(path)  # field counts and quotes checked, with the line


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ApecdocsError(f"invalid JSON: {exc.msg}", file=path, line=exc.lineno,
                            column=exc.colno) from None


def read_yaml_data(path: Path) -> Any:
    from .loader import read_yaml

    return read_yaml(path)


@hookimpl
def data_loaders() -> dict[str, Any]:
    return {".csv": read_csv, ".json": read_json, ".yaml": read_yaml_data, ".yml": read_yaml_data}


def style_file(project: Any, document_type: str, name: str) -> Path:
    """A style file: the project's ``styles/`` first, then the type's, then the core's."""
    doc_type = project.document_types.get(document_type)
    for folder in (project.styles_dir, doc_type.styles if doc_type else None, STYLES):
        if folder is not None and (folder / name).is_file():
            if folder == project.styles_dir:  # the project's own: it must really be there
                return project.readable(folder / name, "style file")
            return folder / name
    raise ApecdocsError(f"style file '{name}' not found")


def font_dirs() -> list[Path]:
    """Fonts every machine has: DejaVu (wide Latin and Vietnamese coverage) ships with
    matplotlib, a dependency; Typst embeds Libertinus and New Computer Modern."""
    import importlib.util

    spec = importlib.util.find_spec("matplotlib")
    dirs = []
    if spec and spec.submodule_search_locations:
        dirs.append(Path(spec.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf")
    return [d for d in dirs if d.is_dir()]


WORD_LANGUAGES = {"zh-Hans": "zh-CN", "zh-Hant": "zh-TW", "zh": "zh-CN"}


def typst_language(lang: str) -> tuple[str, str]:
    """``(language, region)`` for Typst's text settings, which hyphenate, break lines
    (Thai by word, CJK by character) and pick punctuation by them."""
    parts = lang.replace("_", "-").split("-")
    language, rest = parts[0].lower(), [p.lower() for p in parts[1:]]
    region = next((p.upper() for p in rest if len(p) == 2 and p.isalpha()), "")
    if language == "zh" and not region:
        region = "TW" if "hant" in rest else "CN"
    return language, region


@hookimpl(tryfirst=True)
def pandoc_options(project: Any, target: Target, options: WriteOptions) -> None:
    doc = project.documents[target.document]
    options.number_sections = False  # numbers are written into the AST by the core
    options.variables["lang"] = target.lang
    if target.format == "docx":
        options.reference_doc = style_file(project, doc.type, "reference.docx")
        options.docx.sections = bool(doc.options.get("sections"))
        options.docx.caption_labels = [label("Figure", target.lang), label("Table", target.lang)]
        # Word knows zh-CN, not zh-Hans
        options.variables["lang"] = WORD_LANGUAGES.get(target.lang, target.lang)
        if doc.options.get("running_header"):
            options.docx.running_header = running_header(project, doc)
    elif target.format == "html":
        options.template = style_file(project, doc.type, "template.html")
        css = style_file(project, doc.type, "style.css").read_text(encoding="utf-8")
        options.variables["css-inline"] = css
    elif target.format == "pdf":
        options.template = style_file(project, doc.type, "template.typ")
        options.fonts.extend(font_dirs())
        # Typst takes an ISO 639 language and a region: zh-Hant is zh, TW
        options.variables["lang"], region = typst_language(target.lang)
        if region:
            options.variables["region"] = region


RUNNING_HEADER_MAX = 60  # characters; a longer title gives way to the project's short title


def running_header(project: Any, doc: Any) -> str:
    """The document's ``short_title``; else its title when short enough to run in a
    header; else the project's ``short_title``; else the title."""
    if doc.options.get("short_title"):
        return str(doc.options["short_title"])
    if len(doc.title) <= RUNNING_HEADER_MAX or not project.meta.get("short_title"):
        return str(doc.title)
    return str(project.meta["short_title"])


@hookimpl(wrapper=True, specname="pandoc_options")
def project_css(project: Any, target: Target, options: WriteOptions) -> Any:
    """``styles/custom.css`` of the project, after every plugin's CSS: a few rules that
    adjust the house style without copying all of ``style.css``."""
    result = yield
    custom = project.styles_dir / "custom.css"
    if target.format == "html" and custom.is_file():
        css = options.variables.get("css-inline", "")
        options.variables["css-inline"] = css + "\n" + custom.read_text(encoding="utf-8")
    return result


@hookimpl
def transform_ast(ast: dict, project: Any, document: Any, lang: str) -> None:
    meta = ast.setdefault("meta", {})
    meta.setdefault("title", meta_string(document.title))
    meta["lang"] = meta_string(lang)
    for key in ("subtitle", "date"):
        if key in document.meta:
            meta.setdefault(key, meta_string(document.meta[key]))


@hookimpl(trylast=True, specname="transform_ast")
def number(ast: dict, project: Any, document: Any, lang: str) -> None:
    """Number sections, figures and tables after every other transform has run.

    Citations no plugin resolved are left as their Markdown text (``[@key]``) rather
    than handed to writers that would fail on them (Typst needs a bibliography).
    """
    with labels.using(project):  # the project's own words for Table, Section ...
        refs = number_document(ast, sections=bool(document.options.get("number_sections")),
                               lang=lang)
    resolve_refs(ast, refs)


@hookimpl(tryfirst=True)
def finalize_ast(ast: dict, project: Any, target: Target) -> None:
    """Contents go in first, after the leading front matter, so plugins lay out both."""
    with labels.using(project):
        insert_contents(ast, project.documents[target.document].options, target, project)


@hookimpl(trylast=True, specname="finalize_ast")
def docx_body_section(ast: dict, project: Any, target: Target) -> None:
    """A section break before the first numbered chapter, once every plugin has laid
    out the front matter: the body's page numbers start there."""
    if target.format == "docx" and project.documents[target.document].options.get("sections"):
        from .docx_sections import mark_body  # here: it brings lxml, which no-op builds skip

        mark_body(ast)
