"""Plan and run a build: documents × languages × formats, in parallel, incrementally.

Per document and language the sources are assembled and parsed once and the
format-independent transforms run once; each format then gets its own copy of the AST
for its format-specific transforms and is written. One failing target does not stop
the others; the report lists each failure.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import gc
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import orjson

from . import cache, checks, pandoc, store, tempfiles
from .background import Background
from .confine import is_inside, language_tag
from .errors import ApecdocsError, BuildFailed, environment_error
from .hookguard import call_each
from .interrupt import STOP
from .loads import track_loads
from .model import FORMATS, BuildReport, Document, Finding, Output, Target
from .plugin_cache import distribution_version
from .project import Project

# assemble, tables, templates, verify and write (Jinja, lxml ...) are imported where a
# target is built: a build with nothing to do decides so without them.

Progress = Callable[[str, Target, Output | None], None]
_LONGEST_FIRST = {"pdf": 0, "docx": 1, "html": 2}  # formats by how long they take to write


def select(project: Project, documents: list[str] | None, formats: list[str] | None,
           languages: list[str] | None) -> list[Target]:
    """The targets a build asks for; unknown names fail with a did-you-mean."""
    ids = list(project.documents)
    for name in documents or []:
        if name not in project.documents:
            close = difflib.get_close_matches(name, ids, n=1)
            raise ApecdocsError(
                f"no document '{name}' in {project.file.name}",
                hint=(f"Did you mean '{close[0]}'? " if close else "")
                + f"Documents: {', '.join(ids)}.",
            )
    for lang in languages or []:  # before it names a folder: no '../x'
        language_tag(lang)
    for fmt in formats or []:
        if fmt not in FORMATS:
            raise ApecdocsError(f"unknown format '{fmt}'", hint=f"Use {', '.join(FORMATS)}.")
    chosen = [d for d in project.documents.values() if not documents or d.id in documents]
    known = list(dict.fromkeys(x for d in chosen for x in d.languages))
    for lang in languages or []:
        if lang not in known:
            close = difflib.get_close_matches(lang, known, n=1, cutoff=0.5)
            raise ApecdocsError(
                f"no document to build in '{lang}'",
                hint=(f"Did you mean '{close[0]}'? " if close else "")
                + f"Languages: {', '.join(known)}; add '{lang}' to languages: in "
                f"{project.file.name} (the project's or a document's) first.",
            )
    targets = []
    for doc in chosen:
        for lang in doc.languages if not languages else [x for x in languages
                                                         if x in doc.languages]:
            for fmt in doc.formats:
                if formats and fmt not in formats:
                    continue
                targets.append(Target(doc.id, lang, fmt))
    if formats and not targets:  # "0 built" with exit 0 would look like success
        has = "; ".join(f"'{d.id}' is built as {', '.join(d.formats)}" for d in chosen)
        raise ApecdocsError(
            f"no document asked for is built as {', '.join(formats)}: {has}",
            hint="Add the format under the document's 'formats:' in apecdocs.yaml, or pick "
                 "another with --to.")
    return targets


def check_project(project: Project, documents: list[str] | None = None) -> list[Finding]:
    """Plugins' findings, then the core's (``checks``): content is rendered, parsed and
    transformed, not written; a document a plugin already rejects is not rendered."""
    findings = project_level_findings(project)
    # a data file that is missing is reported once, not again by each document reading it
    missing = {project.data.path(n) for n in project.data if not project.data.path(n).is_file()}
    for doc in project.documents.values():
        if documents and doc.id not in documents:
            continue
        found = check_document(project, doc)
        if not any(f.severity == "error" for f in found):
            found = found + checks.document_findings(project, doc)
        findings.extend(f for f in found
                        if not (f.location.file and Path(f.location.file) in missing))
    return checks.dedupe(findings)  # a data file two documents read: its problem once


def project_level_findings(project: Project) -> list[Finding]:
    """What plugins find in the project as a whole (economy names in any file, say) and
    the core's data files: the build stops the documents they concern, as check does."""
    findings = plugin_findings(project, None)
    findings.extend(checks.project_findings(project))
    return findings


def plugin_findings(project: Project, document: Document | None) -> list[Finding]:
    """Every plugin's ``check`` findings; a plugin that fails is one finding, naming it,
    and the other plugins' findings still count."""
    groups, errors = call_each(project.plugins.hook.check, project=project, document=document)
    findings = [f for group in groups for f in group or []]
    findings += [Finding(e.message, e.location, "error", e.hint, "plugin") for e in errors]
    return findings


def concerns(finding: Finding, document: Document, project: Project) -> bool:
    """Whether a project-level finding concerns ``document``: one in a source file
    concerns the documents built from it; one elsewhere (data, the project file) all."""
    file = finding.location.file
    if file is None:
        return True
    path = Path(file).resolve()
    return path in document.sources or not any(path in d.sources
                                               for d in project.documents.values())


def finding_text(finding: Finding) -> str:
    """A finding as a build warning or error: place, message, hint, no severity word."""
    return str(finding).removeprefix(f"{finding.severity}: ")


def stop_on_errors(findings: list[Finding]) -> None:
    """Fail with the first error, as ``check`` reports it first, and how many more."""
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ApecdocsError(first.message + more, file=first.location.file,
                            line=first.location.line, column=first.location.column,
                            hint=first.hint)


def check_document(project: Project, document: Document) -> list[Finding]:
    return plugin_findings(project, document)


class Builder:
    def __init__(self, project: Project, out: Path | None = None, jobs: int | None = None,
                 force: bool = False, progress: Progress | None = None) -> None:
        self.project = project
        # An output folder named by the user (--out) may lie outside the project;
        # the project's own 'output:' may not (Project.resolve checks it).
        self.explicit_out = out.resolve() if out is not None else None
        self.out = project.writable(out or project.output_dir, "output folder",
                                    also=self.explicit_out)
        if jobs is not None and jobs < 1:
            raise ApecdocsError(f"jobs must be 1 or more, not {jobs}",
                                hint="Leave it out to use the CPU cores.")
        self.jobs = jobs or min(4, os.cpu_count() or 1)
        if project.cache_dir.exists() and not project.cache_dir.is_dir():
            raise ApecdocsError(
                f"{project.cache_dir.name} is a file, but apecdocs keeps its build cache in a "
                f"folder of that name", file=project.cache_dir,
                hint="Rename or remove the file; the folder is made again by the next build.")
        self.force = force
        self.progress = progress or (lambda event, target, output: None)
        store.take_notes()  # notes of an earlier run in this process are not this build's
        self.manifest = cache.Manifest(project.cache_path("manifest.json"))
        self.digests = cache.KeptDigests(project.cache_path("digests.json"))
        self._deps_seen: set[Path] = set()
        self.base_inputs = self._base_inputs()
        # What every target depends on (project file, plugin code, styles), hashed once.
        self.base_digest = cache.inputs_digest(self.base_inputs, {}, self.digests)
        self.stop = threading.Event()  # set on Ctrl-C: no write starts after it
        self.findings: list[Finding] = []  # project-level, found at the start of run
        self.writers = 1  # formats of one document written at once (set by run)
        self.unstarted = _Count(0)  # targets not yet writing (set by run)

    def dest(self, target: Target) -> Path:
        return self.out / target.lang / f"{target.document}.{target.format}"

    def run(self, formats: list[str] | None = None, documents: list[str] | None = None,
            languages: list[str] | None = None) -> BuildReport:
        with _collector_paused(), pandoc.one_core() if self.jobs == 1 else nullcontext():
            return self._run(formats, documents, languages)

    def _run(self, formats: list[str] | None, documents: list[str] | None,
             languages: list[str] | None) -> BuildReport:
        started = time.perf_counter()
        targets = select(self.project, documents, formats, languages)
        groups: dict[tuple[str, str], list[Target]] = {}
        for t in targets:
            groups.setdefault((t.document, t.lang), []).append(t)
        report = BuildReport()
        STOP.clear()
        self.findings = project_level_findings(self.project)
        report.warnings = [finding_text(f) for f in self.findings if f.severity == "warning"]
        tempfiles.remove_stale(self.out, self.project.cache_dir)  # a killed build's leftovers
        # Fewer documents than workers (one big report): its formats are written at once.
        self.writers = max(1, self.jobs // max(1, len(groups)))
        self.unstarted = _Count(len(targets))
        pool = ThreadPoolExecutor(max_workers=self.jobs)
        futures = {key: pool.submit(self._group, *key, targets) for key, targets in groups.items()}
        try:
            for key, future in futures.items():
                try:
                    report.outputs.extend(future.result())
                except Exception as exc:  # a crash outside a target's own guard
                    report.outputs += [Output(t, self.dest(t), 0.0, "failed", error=_describe(exc),
                                              exception=exc) for t in groups[key]]
        except BaseException:  # Ctrl-C: start nothing new and stop now; a write under way
            self.stop.set()      # is abandoned before its output is moved into place
            STOP.set()  # and a plugin's hook is not waited for
            pool.shutdown(wait=False, cancel_futures=True)
            wait(list(futures.values()), timeout=5)  # pandoc had the Ctrl-C too: moments
            self._save_manifest(report)  # what did complete need not be built again
            raise
        pool.shutdown()
        self._save_manifest(report)
        if any(o.status != "unchanged" for o in report.outputs):  # else nothing was kept anew
            from . import assemble

            assemble.parsed_store(self.project).prune()
        report.notes += store.take_notes()
        report.seconds = time.perf_counter() - started
        finished: ApecdocsError | None = None
        try:
            self.project.plugins.hook.build_finished(project=self.project, report=report)
        except ApecdocsError as exc:  # the outputs are written: keep the report with it
            finished = exc
        for output in report.outputs:  # each distinct warning once, project-level first
            report.warnings += [w for w in output.warnings if w not in report.warnings]
        if finished is not None:
            finished.report = report
            raise finished
        if report.failed:
            raise BuildFailed([(o.target.name, o.error) for o in report.failed]).with_report(report)
        return report

    def _save_manifest(self, report: BuildReport) -> None:
        try:
            self.manifest.save()
        except OSError as exc:  # outputs are written; only the next build's shortcut is lost
            report.notes.append(f"note: {environment_error(exc)} (the build cache was not "
                                "saved: the next build rebuilds everything)")
        with contextlib.suppress(OSError):  # the next build reads its inputs again: no more
            self.digests.save()

    # -- one document in one language --------------------------------------------------

    def _group(self, doc_id: str, lang: str, targets: list[Target]) -> list[Output]:
        doc = self.project.documents[doc_id]
        started = time.perf_counter()
        plugged = self._plugin_inputs(doc, lang)  # one document and language: the same for each
        keys = {t: self._inputs(doc, t, self.manifest.deps(t.name), plugged) for t in targets}
        todo = [t for t in targets
                if self.force or not self.manifest.fresh(t.name, keys[t], self.dest(t))]
        outputs = [Output(t, self.dest(t), 0.0, "unchanged") for t in targets if t not in todo]
        self.unstarted.take(len(outputs))
        for o in outputs:
            self.progress("unchanged", o.target, o)
        if not todo:
            return outputs
        # The longest first (a PDF is pandoc and Typst): the others fit beside it on the
        # other cores, rather than it starting last and alone.
        todo.sort(key=lambda t: _LONGEST_FIRST.get(t.format, len(_LONGEST_FIRST)))
        for t in todo:
            self.progress("start", t, None)
        try:
            ast, common = self._prepare(doc, lang, docx=any(t.format == "docx" for t in todo))
        except Exception as exc:  # reported per target; the other documents go on
            failed = [Output(t, self.dest(t), time.perf_counter() - started, "failed",
                             error=_describe(exc), exception=exc) for t in todo]
            self.unstarted.take(len(failed))
            for o in failed:
                self.progress("failed", o.target, o)
            return sorted(outputs + failed, key=lambda o: targets.index(o.target))
        # Each format transforms its own copy, made from JSON; a single format can use the
        # tree itself. Copies are made and serialized one at a time (``tree``), while the
        # pandoc and Typst processes of the formats before run: a long report is in memory
        # as one tree, not one per format, and its JSON is written while the next is made.
        shared: bytes | dict = pandoc.dumps(ast) if len(todo) > 1 else ast
        del ast
        turns = _Turns(todo)  # in order: the longest format's process starts first

        def write(t: Target) -> Output:
            try:
                inputs = self._inputs(doc, t, common.deps)
            except BaseException:
                with turns.of(t):  # pass the turn on: the next writers wait for it
                    raise
            return self._write(t, shared, common, inputs, turns.of(t))

        if self.writers > 1 and len(todo) > 1:
            # Every format at once: the next tree is made while the earlier formats' processes
            # run, and those are bounded by pandoc's slots (one per core).
            with ThreadPoolExecutor(max_workers=len(todo)) as writers:
                outputs += writers.map(write, todo)
        else:
            outputs += map(write, todo)
        return sorted(outputs, key=lambda o: targets.index(o.target))  # as asked, not as run

    def _prepare(self, doc: Document, lang: str, *, docx: bool = False) -> tuple[dict, _Common]:
        """Render, parse and transform; the same findings as ``check`` stop it, with the
        same first message; the document's own warnings go with each of its outputs
        (project-wide ones are the report's). ``docx``: one of its targets is a DOCX, whose
        review markers look for paragraphs in the text rendered here."""
        from . import assemble, tables

        own = check_document(self.project, doc)
        stop_on_errors([f for f in self.findings if concerns(f, doc, self.project)] + own)
        with track_loads() as included:  # sources and {% include %}d files of this document
            pieces = assemble.render_sources(self.project, doc, lang)
        if docx:  # its review markers find its paragraphs in this text
            assemble.keep_rendered(self.project, doc, lang, pieces)
        workdir = self.project.cache_path("work", f"{doc.id}.{lang}")
        # Plugins get ready once a pandoc process of the parse ends (a core is free then,
        # while the others read on); not when every parse is kept.
        preparing = Background(functools.partial(self.project.plugins.hook.prepare_document,
                                                 project=self.project, document=doc, lang=lang),
                               name="prepare_document")
        parsed = assemble.parse_indexed(self.project, doc, pieces, workdir, jobs=self.jobs,
                                        when_read=preparing.start)
        preparing.finish()
        ast, warnings = parsed.ast, parsed.warnings
        refs = checks.References.of_parsed(parsed)
        self.project.plugins.hook.transform_ast(ast=ast, project=self.project, document=doc,
                                                lang=lang)
        stop_on_errors(refs.judge(ast))
        warnings = [finding_text(f) for f in own if f.severity == "warning"] + warnings
        warnings += [finding_text(f) for f in tables.fit_columns(ast, self.project.root)]
        deps = [p.path for p in pieces] + sorted(included)  # and its pictures: ``_write``
        return ast, _Common(warnings, deps, parsed.raw_blocks())

    def _write(self, target: Target, shared: bytes | dict, common: _Common, inputs: str,
               tree: AbstractContextManager) -> Output:
        from . import assemble
        from .verify import RAW_FORMATS
        from .write import prepare_target, write_prepared

        started = time.perf_counter()
        dest = self.dest(target)
        try:
            with tree:  # the targets of a document take their turns here, in order
                # The last target to begin may write a long DOCX or HTML on two cores
                # (``halves``): before it, the other targets' processes want them.
                last = self.unstarted.take() == 0 and self.jobs > 1
                ast = orjson.loads(shared) if isinstance(shared, bytes) else shared
                self.project.plugins.hook.finalize_ast(ast=ast, project=self.project,
                                                       target=target)
                assemble.unwrap_sources(ast)
                prepared = prepare_target(self.project, target, ast)
                del ast
            # What the output is made from: the document's files, and the pictures placed
            # in it (those a plugin added too) as they were placed: a document with
            # pictures has its inputs hashed again with them.
            deps = common.deps + list(dict.fromkeys(prepared.images))
            if prepared.images:
                inputs = self._inputs(self.project.documents[target.document], target, deps)
            if self.stop.is_set():
                raise ApecdocsError("interrupted before writing; the previous output is kept")
            # The sources' raw blocks, as parsing found them: named if the output is broken.
            origins = [(source, text) for source, fmt, text in common.raw_blocks
                       if fmt in RAW_FORMATS.get(target.format, ())]
            workdir = self.project.cache_path("work", f"{target.document}.{target.lang}")
            self.project.writable(dest, "output", also=self.explicit_out)
            out_warnings = write_prepared(self.project, target, prepared, dest, workdir,
                                          origins=origins, two_cores=last)
        except Exception as exc:
            output = Output(target, dest, time.perf_counter() - started, "failed",
                            error=_describe(exc), exception=exc)
            self.progress("failed", target, output)
            return output
        self.manifest.record(target.name, inputs, dest, deps)
        output = Output(target, dest, time.perf_counter() - started, "built",
                        warnings=common.warnings + out_warnings)
        self.project.plugins.hook.output_written(project=self.project, path=dest, target=target)
        self.progress("built", target, output)
        return output

    # -- what a target depends on ------------------------------------------------------

    def _readable_dep(self, path: Path) -> bool:
        """Whether a dependency the manifest names is a regular file inside the project;
        a yes is kept for the build (the formats and languages of a document share most
        of their files), a no asked again (the build may make the file)."""
        if path in self._deps_seen:
            return True
        root = self.project.root
        found = path.is_relative_to(root) and is_inside(path, root) and path.is_file()
        if found:
            self._deps_seen.add(path)
        return found

    def _base_inputs(self) -> list[Path]:
        p = self.project
        files = [p.file, *cache.plugin_files(p.plugins)]
        files += [p.data.path(name) for name in p.data]
        for folder in (p.styles_dir, p.root / "templates"):  # the project's: only what is in it
            if folder.is_dir() and is_inside(folder, p.root):
                files += [f for f in folder.rglob("*") if f.is_file() and is_inside(f, p.root)]
        styles = Path(__file__).parent / "styles"
        files += [f for f in styles.rglob("*") if f.is_file()]
        for doc_type in p.document_types.values():
            for folder in (doc_type.styles, doc_type.template.parent if doc_type.template else None):
                if folder and folder.is_dir():
                    files += [f for f in folder.rglob("*") if f.is_file()]
        return files

    def _plugin_inputs(self, doc: Document, lang: str) -> list[Path]:
        files: list[Path] = []
        for group in self.project.plugins.hook.build_inputs(project=self.project, document=doc,
                                                            lang=lang):
            files += group or []
        return files

    def _inputs(self, doc: Document, target: Target, deps: list[Path],
                plugged: list[Path] | None = None) -> str:
        # Only regular files inside the project: the manifest naming the deps is a file in
        # the project, and a planted one must not make the build read elsewhere (nor
        # /dev/zero, which never ends). A plugin's own files are in base_inputs, hashed
        # once per build (base_digest).
        deps = [d for d in deps if self._readable_dep(d)]
        files = doc.sources + deps
        files += self._plugin_inputs(doc, target.lang) if plugged is None else plugged
        extra = {"target": target.name, "pandoc": pandoc.pandoc_version(),
                 "typst": _typst_version() if target.format == "pdf" else "",
                 "plugins": sorted(n for n, _ in self.project.plugins.list_name_plugin()),
                 "out": str(self.out), "env": os.environ.get("SOURCE_DATE_EPOCH", ""),
                 "base": self.base_digest}
        return cache.inputs_digest(files, extra, self.digests)


@dataclass
class _Common:
    """What every format of one document in one language shares, besides its tree."""

    warnings: list[str]  # the document's own, given with each of its outputs
    deps: list[Path]  # the files it was made from, for the cache
    raw_blocks: list[tuple[str, str, str]]  # (source, format, text), named if an output breaks


class _Count:
    """A count shared by the writer threads."""

    def __init__(self, value: int) -> None:
        self.value = value
        self.lock = threading.Lock()

    def take(self, n: int = 1) -> int:
        """Take ``n`` off; return what is left."""
        with self.lock:
            self.value -= n
            return self.value


class _Turns:
    """Lets the writers of one document make their trees one at a time, in the order of
    ``targets``: the first one's process is under way while the next tree is made."""

    def __init__(self, targets: list[Target]) -> None:
        self.order = list(targets)
        self.next = 0
        self.changed = threading.Condition()

    @contextmanager
    def of(self, target: Target) -> Iterator[None]:
        mine = self.order.index(target)
        with self.changed:
            self.changed.wait_for(lambda: self.next == mine)
        try:
            yield
        finally:
            with self.changed:
                self.next += 1
                self.changed.notify_all()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """A build makes and drops ASTs of a hundred thousand small dicts and lists, none in
    a cycle, and Python's cycle collector would walk them over and over (a sixth of a
    long report's CPU). Reference counting still frees them; cycles wait for the end."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@functools.cache
def _typst_version() -> str:
    """The PDF engine's version: a new Typst may lay out the same source differently.
    Its distribution's version, kept between runs (``plugin_cache``): importing the
    module to ask it is start-up time that a build with nothing to do skips."""
    return distribution_version("typst") or "unknown"


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ApecdocsError):
        return str(exc)
    if isinstance(exc, OSError):  # read-only, full or forbidden: the machine, not apecdocs
        return str(environment_error(exc))
    return f"internal error ({type(exc).__name__}: {exc}); please report it with the traceback " \
           f"from 'apecdocs --debug build'"
