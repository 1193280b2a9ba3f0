"""The core's checks for ``apecdocs check``: what a build would hit, found without writing.

A project that fails to load yields its schema findings (all of them) and every missing
source. A loaded one is checked per document: data files exist; each source renders
(every language; an unknown variable is found with its line); images exist inside the
project; plugins' transforms run; links to ``#id`` and cross-references ``@fig-x``,
``@tbl-x``, ``@sec-x`` have a target. No output is written: only work files under
``.apecdocs/`` (and whatever plugins cache there, such as charts).
"""

from __future__ import annotations

import difflib
import glob
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from .errors import ApecdocsError, Location
from .loader import PROJECT_FILE, InvalidProject, locate, read_yaml
from .model import Document, Finding, Target
from .pandoc_ast import ATTR_AT, element_ids, nodes
from .project import Project

if TYPE_CHECKING:
    from . import assemble

# The modules that render, parse and write (Jinja, lxml ...) are imported in the functions
# that use them: a build with nothing to do asks only ``project_findings`` of this module.

CROSSREF = re.compile(r"^(fig|tbl|sec)-")


def load_project(path: str | Path, plugins: list[object] | None = None
                 ) -> tuple[Project | None, list[Finding]]:
    """The project, or None and why it cannot load: every schema error, every missing source."""
    try:
        return Project.load(path, plugins=plugins), []
    except InvalidProject as exc:
        return None, list(exc.findings)
    except ApecdocsError as exc:
        first = Finding(exc.message, exc.location, "error", exc.hint, code="load")
        return None, dedupe([first, *missing_sources(Path(path))])


def missing_sources(path: Path) -> list[Finding]:
    """Every ``sources:`` pattern that matches no file (loading stops at the first)."""
    root = (path.parent if path.is_file() else path).resolve()
    file = root / PROJECT_FILE
    try:
        tree = read_yaml(file)
    except ApecdocsError:
        return []
    findings = []
    documents = tree.get("documents") if isinstance(tree, dict) else None
    for i, spec in enumerate(documents if isinstance(documents, list) else []):
        patterns = spec.get("sources") if isinstance(spec, dict) else None
        patterns = [patterns] if isinstance(patterns, str) else patterns
        for j, pattern in enumerate(patterns if isinstance(patterns, list) else []):
            if isinstance(pattern, str) and not glob.glob(pattern, root_dir=root, recursive=True):
                keys = ("documents", i, "sources") + ((j,) if len(patterns) > 1 or
                                                      not isinstance(spec["sources"], str) else ())
                where = locate(tree, keys, Location(file, 1))
                findings.append(Finding(
                    f"source file '{pattern}' not found", Location(file, where.line), "error",
                    f"Paths are relative to {root}; check the spelling or create it.", "source"))
    return findings


def project_findings(project: Project) -> list[Finding]:
    """Data files named under ``data:`` that do not exist."""
    findings = []
    for name in project.data:
        path = project.data.path(name)
        if not path.is_file():
            findings.append(Finding(f"data file '{name}' not found: {path}",
                                    project.locate("data", name), "error",
                                    "Check the path under 'data:' or create the file.", "data"))
    return findings


def document_findings(project: Project, document: Document) -> list[Finding]:
    """Render, parse and transform ``document`` as a build would, and judge the result."""
    from . import assemble, tables
    from .verify import broken_raw_blocks
    from .write import write_options

    findings: list[Finding] = []
    for fmt in document.formats:  # style files and templates, as each writer gets them
        target = Target(document.id, document.languages[0], fmt)
        _guard(findings, document, "preparing the styles of",
               lambda t=target: write_options(project, t))
    pieces, complete = [], False
    for n, lang in enumerate(document.languages):
        rendered, whole = _render(project, document, lang, findings)
        if n == 0:
            pieces, complete = rendered, whole
    if not pieces:
        return dedupe(findings)
    lang = document.languages[0]
    workdir = project.cache_path("check", f"{document.id}.{lang}")
    try:
        ast, _warnings = assemble.parse(project, document, pieces, workdir, images=False)
    except ApecdocsError as exc:
        return dedupe([*findings, _finding(exc, "parse")])
    if "docx" in document.formats:
        for source, start in broken_raw_blocks(ast, assemble.source_of):
            file = project.root / source
            where = _where(file, start) if file.is_file() else Location()
            findings.append(Finding(
                f"raw OpenXML block '{start}' is not well-formed XML on its own: the DOCX "
                "build fails unless another raw block closes it", where, "warning",
                "Close every element it opens, or write the content in Markdown.", "raw"))
    if _images(project, ast, findings) or not complete:
        return dedupe(findings)  # links are judged on the whole document only
    refs = References(ast)
    failed = len(findings)
    _guard(findings, document, "transforming", lambda: project.plugins.hook.transform_ast(
        ast=ast, project=project, document=document, lang=lang))
    if len(findings) > failed:  # the transform failed: what it would have resolved is moot,
        return dedupe(findings)  # and the build stops there too, with the same message
    # the same widths, and warnings, as a build's
    return dedupe(findings + refs.judge(ast) + tables.fit_columns(ast, project.root))


class References:
    """Links to ``#id`` and ``@fig-/@tbl-/@sec-`` cross-references of a document as read,
    judged once plugins have transformed it (they add targets and resolve references).
    The build and ``check`` judge with this same code, so they give the same findings."""

    def __init__(self, ast: dict) -> None:
        self.links, self.crossrefs, self.ids = _references(ast)

    @classmethod
    def of_parsed(cls, parsed: assemble.Parsed) -> References:
        """The same, from what parsing found (no walk over the document again)."""
        refs = cls.__new__(cls)
        refs.links, refs.crossrefs, refs.ids = [], [], set()
        for path, _, index in parsed.found:
            refs.ids.update(attribute[0] for attribute in index.ids if attribute[0])
            refs.links += [(unquote(link["c"][2][0][1:]), path) for link in index.links
                           if len(link["c"][2][0]) > 1]
            refs.crossrefs += [(c["citationId"], path) for cite in index.cites
                               for c in cite["c"][0] if CROSSREF.match(c["citationId"])]
        return refs

    def judge(self, ast: dict) -> list[Finding]:
        if not self.crossrefs and all(ident in self.ids for ident, _ in self.links):
            return []  # the common case, judged without another pass over a long document
        ids = self.ids | element_ids(ast["blocks"])
        resolved = {link["c"][2][0][1:] for link in nodes(ast, "Link")
                    if "xref" in link["c"][0][1]}
        findings = []
        for ident, source in self.links:
            if ident not in ids:
                findings.append(Finding(f"link to '#{ident}' has no target",
                                        _where(source, ident), "error", _suggest(ident, ids),
                                        "link"))
        for ident, source in self.crossrefs:
            if ident in resolved:
                continue
            hint = ("Sections get numbers, and so cross-references, only with number_sections: "
                    "true." if ident in ids and ident.startswith("sec-") else _suggest(ident, ids))
            findings.append(Finding(f"cross-reference '@{ident}' has no numbered target; it "
                                    "would be printed as written", _where(source, "@" + ident),
                                    "error", hint, "xref"))
        return findings


def _guard(findings: list[Finding], document: Document, doing: str, step: Any) -> Any:
    """Run ``step``; a user error or a plugin's failure (a ``PluginError``, naming the
    plugin and hook) becomes a finding. Anything else is a bug in apecdocs itself."""
    try:
        return step()
    except ApecdocsError as exc:
        findings.append(_finding(exc, doing))
    except Exception as exc:
        findings.append(Finding(f"internal error while {doing} '{document.id}' "
                                f"({type(exc).__name__}: {exc})", document.location, "error",
                                "Please report it with the traceback from 'apecdocs --debug "
                                "build'.", doing))
    return None


def _render(project: Project, document: Document, lang: str, findings: list[Finding]
            ) -> tuple[list[assemble.Piece], bool]:
    """Each source rendered on its own, so one bad file does not hide the next.

    Returns the pieces that rendered and whether that is all of them.
    """
    from . import assemble
    from .templates import render

    jinja = assemble.Jinja(project, document, lang)
    context = _guard(findings, document, "computing the template context",
                     lambda: jinja.context)
    if context is None:
        return [], False
    env = jinja.env
    pieces: list[assemble.Piece] = []
    complete = True
    for path in document.sources:
        try:
            pieces.append(assemble.render_source(project, path, jinja))
        except ApecdocsError as exc:
            complete = False
            if exc.message.startswith("unknown template variable"):  # the others too
                findings += _unknown_names(env, path.relative_to(project.root).as_posix(),
                                           path, {*context, "page"})
            findings.append(_finding(exc, "template"))
    template = project.document_types[document.type].template
    if template is not None and complete:
        try:
            pieces.append(assemble.Piece(template, render(env, template.name, context, template),
                                         {}))
        except ApecdocsError as exc:
            findings.append(_finding(exc, "template"))
            complete = False
    return pieces, complete


def _unknown_names(env: Any, name: str, path: Path, known: set[str]) -> list[Finding]:
    """Every top-level name a source uses but nobody defines, not only the first one.

    Names guarded by ``is defined`` or given a ``default`` are fine, as they are when
    rendering.
    """
    import jinja2
    from jinja2 import meta as jinja_meta
    from jinja2 import nodes as jn

    try:
        source = env.loader.get_source(env, name)[0]
        tree = env.parse(source)
    except (jinja2.TemplateError, OSError):
        return []
    guarded = {n.node.name for n in tree.find_all(jn.Test)
               if n.name in ("defined", "undefined") and isinstance(n.node, jn.Name)}
    guarded |= {n.node.name for n in tree.find_all(jn.Filter)
                if n.name in ("default", "d") and isinstance(n.node, jn.Name)}
    unknown = jinja_meta.find_undeclared_variables(tree) - known - set(env.globals) - guarded
    findings = []
    for ident in sorted(unknown):
        lines = [n.lineno for n in tree.find_all(jn.Name) if n.name == ident and n.ctx == "load"]
        findings.append(Finding(f"unknown template variable: '{ident}' is undefined",
                                Location(path, min(lines) if lines else None), "error",
                                _did_you_mean(ident, known) or
                                f"Names available here: {', '.join(sorted(known))}.",
                                "template"))
    return findings


def _images(project: Project, ast: dict, findings: list[Finding]) -> bool:
    """Judge every image as the build does (the build stops at the first bad one)."""
    from . import assemble

    bad = False
    for block in ast["blocks"]:
        if assemble.source_of(block) is None:
            continue
        for image in list(nodes(block, "Image")):
            single = {"t": "Div", "c": [block["c"][0], [{"t": "Plain", "c": [image]}]]}
            try:
                assemble._rebase_images(single, project)  # the build's own rules and words
            except ApecdocsError as exc:
                findings.append(_finding(exc, "image"))
                bad = True
    return bad


def _references(ast: dict) -> tuple[list[tuple[str, Path | None]], list[tuple[str, Path | None]],
                                     set[str]]:
    """``(id, source file)`` of each ``#id`` link and each ``@fig-/@tbl-/@sec-`` reference,
    and every element id."""
    from . import assemble

    links, crossrefs, ids = [], [], set()
    for block in ast["blocks"]:
        path = dict(block["c"][0][2]).get("path") if assemble.source_of(block) else None
        source = Path(path) if path else None
        for node in nodes(block):  # one pass: a long report has a great many nodes
            t = node["t"]
            at = ATTR_AT.get(t)  # attr_of, inlined
            if at is not None and node["c"][at][0]:
                ids.add(node["c"][at][0])
            if t == "Link":
                url = node["c"][2][0]
                if url.startswith("#") and len(url) > 1:
                    links.append((unquote(url[1:]), source))
            elif t == "Cite":
                crossrefs += [(c["citationId"], source) for c in node["c"][0]
                              if CROSSREF.match(c["citationId"])]
    return links, crossrefs, ids


def _where(source: Path | None, needle: str) -> Location:
    from . import assemble

    if source is None:
        return Location()
    return Location(source, assemble.find_line(source, needle))


def _suggest(ident: str, ids: set[str]) -> str:
    close = difflib.get_close_matches(ident, sorted(ids), n=1)
    if close:
        return f"Did you mean '{close[0]}'?"
    return "Give the heading, figure or table an id, e.g. '# Title {#sec-title}'."


def _did_you_mean(name: str, names: set[str]) -> str | None:
    close = difflib.get_close_matches(name, sorted(names), n=1)
    return f"Did you mean '{close[0]}'?" if close else None


def _finding(exc: ApecdocsError, code: str) -> Finding:
    return Finding(exc.message, exc.location, "error", exc.hint, code)


def dedupe(findings: list[Finding]) -> list[Finding]:
    """Drop findings that repeat another's message at the same file and line."""
    seen, out = set(), []
    for f in findings:
        key = (f.message, str(f.location.file), f.location.line)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
