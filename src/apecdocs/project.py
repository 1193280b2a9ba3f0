"""The Project: a loaded, validated ``apecdocs.yaml`` and what it refers to.

``Project.load(path)`` reads and validates; ``project.build()`` writes the outputs;
``project.check()`` reports problems without building. The CLI calls only these.
"""

from __future__ import annotations

import glob
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pluggy

from . import plugins as plugin_registry
from .confine import confine, first_symlink
from .errors import ApecdocsError, Location
from .loader import PROJECT_FILE, InvalidProject, locate, plain, read_yaml, validate
from .model import FORMATS, BuildReport, Document, DocumentType, Finding
from .schema import project_schema
from .store import bypassed
from .values import TemplateData, as_template_value

DEFAULT_LANGUAGE = "en"


class DataFiles(Mapping[str, Any]):
    """``project.data`` for plugins: each data file read on first use, by its suffix, and
    its path; templates see ``for_templates()``, the contents as plain values only."""

    def __init__(self, project: Project, files: dict[str, Path]) -> None:
        self._project = project
        self._files = files
        self._loaded: dict[str, Any] = {}
        self._view: TemplateData | None = None

    def __getitem__(self, name: str) -> Any:
        if name not in self._files:
            raise KeyError(name)
        if name not in self._loaded:
            self._loaded[name] = self._project.read_data(self._files[name])
        return self._loaded[name]

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)

    def path(self, name: str) -> Path:
        """The file behind ``data.<name>``, for plugins (templates never see it)."""
        return self._files[name]

    def for_templates(self) -> TemplateData:
        """What templates see as ``data``: the files' contents as plain values."""
        if self._view is None:
            self._view = TemplateData(self.__getitem__, list(self._files))
        return self._view


class Project:
    """A project folder: metadata, documents, data, styles and the plugins in play."""

    def __init__(self, root: Path, tree: Any, pm: pluggy.PluginManager) -> None:
        self.root = root
        self.file = root / PROJECT_FILE
        self.tree = tree
        self.plugins = pm
        self.config: dict[str, Any] = plain(tree)
        self.meta: dict[str, Any] = self.config["project"]
        self.document_types = self._document_types()
        self.languages: list[str] = self.config.get("languages") or [
            self.meta.get("language", DEFAULT_LANGUAGE)
        ]
        self.formats: list[str] = self.config.get("formats") or list(FORMATS)
        self.output_dir = self.resolve(self.config.get("output", "_build"), "output")
        self.styles_dir = self.resolve(self.config.get("styles", "styles"), "styles")
        self.cache_dir = self.writable(self.root / ".apecdocs", "cache folder")
        planted = first_symlink(self.cache_dir)  # every plugin's cache writes are safe
        if planted is not None:
            raise ApecdocsError(
                f"the cache folder holds a symbolic link, {planted}; apecdocs never makes "
                "one, and will not write through it", file=planted,
                hint="Delete the .apecdocs folder (it is only a cache) and build again.")
        self.data = DataFiles(
            self, {k: self.resolve(v, "data", k) for k, v in self.config.get("data", {}).items()}
        )
        self._jinja: Any = None
        self._plain: dict[str, Any] | None = None
        self.documents: dict[str, Document] = {}
        for i, spec in enumerate(tree["documents"]):
            doc = self._document(i, spec)
            if doc.id in self.documents:
                raise ApecdocsError(
                    f"two documents have the id '{doc.id}'", file=self.file,
                    line=doc.location.line, hint="Give each document its own id.",
                )
            self.documents[doc.id] = doc

    # -- loading ---------------------------------------------------------------------

    @classmethod
    def load(
        cls,
        path: str | Path = ".",
        *,
        plugins: list[object] | None = None,
        autoload: bool | None = None,
    ) -> Project:
        """Load the project in folder ``path`` (or the ``apecdocs.yaml`` file ``path``).

        ``plugins`` are registered in addition to installed ones (for tests and for
        programs that embed apecdocs).
        """
        path = Path(path)
        root = (path.parent if path.is_file() else path).resolve()
        file = root / PROJECT_FILE
        if not file.is_file():
            raise ApecdocsError(
                f"no {PROJECT_FILE} in {root}",
                hint="Run apecdocs in a project folder, pass --project PATH, "
                "or create one with 'apecdocs init'.",
            )
        pm = plugin_registry.new_manager(root, autoload=autoload)
        for plugin in plugins or []:
            pm.register(plugin)
        plugin_registry.check_pending(pm)
        tree = read_yaml(file)
        if tree is None:
            raise ApecdocsError("the project file is empty", file=file, line=1,
                                hint="Start from 'apecdocs init' or the README's example.")
        findings = validate(plain(tree), project_schema(pm), tree, file)
        if findings:
            raise InvalidProject(findings)
        return cls(root, tree, pm)

    def _document_types(self) -> dict[str, DocumentType]:
        types: dict[str, DocumentType] = {}
        for group in self.plugins.hook.document_types():
            for doc_type in group or []:
                types[doc_type.name] = doc_type
        return types

    def _document(self, index: int, spec: Any) -> Document:
        where = locate(self.tree, ("documents", index), Location(self.file, 1))
        doc_type = self.document_types[spec["type"]]
        data = plain(spec)
        options = {**doc_type.defaults}
        options.update({k: data[k] for k in ("toc", "toc_depth", "lof", "lot", "number_sections",
                                             "sections", "running_header", "short_title")
                        if k in data})
        sources = self._sources(index, spec, data.get("sources", []), doc_type)
        meta = data.get("meta", {})
        findings = validate(meta, doc_type.schema, self.tree, self.file,
                            prefix=("documents", index, "meta"))
        if findings:
            raise InvalidProject(findings)
        title = data.get("title") or meta.get("title") or self.meta["title"]
        return Document(
            id=data["id"], type=data["type"], title=title, sources=sources, meta=meta,
            formats=data.get("formats") or options.get("formats") or self.formats,
            languages=data.get("languages") or self.languages, options=options,
            location=where, spec=spec,
        )

    def _sources(self, index: int, spec: Any, patterns: Any, doc_type: DocumentType) -> list[Path]:
        patterns = [patterns] if isinstance(patterns, str) else patterns
        files: list[Path] = []
        for j, pattern in enumerate(patterns):
            where = locate(self.tree, ("documents", index, "sources", j), Location(self.file, 1))
            if isinstance(spec.get("sources"), str):
                where = locate(self.tree, ("documents", index, "sources"), Location(self.file, 1))
            matches = sorted(glob.glob(pattern, root_dir=self.root, recursive=True))
            if not matches:
                raise ApecdocsError(
                    f"source file '{pattern}' not found", file=self.file, line=where.line,
                    hint=f"Paths are relative to {self.root}; check the spelling or create it.",
                )
            for match in matches:
                path = self.resolve(match, "documents", index, "sources", j)
                if path.is_file() and path not in files:
                    files.append(path)
        if not files and doc_type.needs_sources:
            where = locate(self.tree, ("documents", index), Location(self.file, 1))
            raise ApecdocsError(
                f"document type '{doc_type.name}' needs at least one source file",
                file=self.file, line=where.line, hint="Add 'sources:' with Markdown files.",
            )
        return files

    def resolve(self, relative: str, *keys: str | int) -> Path:
        """A path from the project file, which must stay inside the project folder."""
        return confine(self.root / relative, [self.root], what="path", shown=relative,
                       action="use", file=self.file, line=self.locate(*keys).line,
                       hint="Keep sources, data and outputs inside the project; a "
                       "symlink that points outside it is refused too.")

    def readable(self, path: Path, what: str = "file", *, file: Path | None = None,
                 line: int | None = None) -> Path:
        """``path`` resolved, if the project may read it (inside the project folder)."""
        return confine(path, [self.root], what=what, action="read", file=file, line=line)

    def writable(self, path: Path, what: str = "file", *, also: Path | None = None) -> Path:
        """``path`` resolved, if apecdocs may write it: inside the project folder, or
        inside ``also`` (an output folder the user named on the command line)."""
        roots = [self.root] if also is None else [self.root, also]
        return confine(path, roots, what=what, action="write")

    def cache_path(self, *parts: str) -> Path:
        """A path in the cache folder (``.apecdocs``), which must really be there: a
        symlink planted in the cache cannot send the cache's writes elsewhere."""
        return confine(self.cache_dir.joinpath(*parts), [self.cache_dir], what="cache path",
                       action="write", hint="Delete the .apecdocs folder (it is only a "
                       "cache) and build again.")

    def locate(self, *keys: str | int) -> Location:
        """File and line of a key path in ``apecdocs.yaml``."""
        return locate(self.tree, keys, Location(self.file, 1))

    # -- what templates and plugins use ----------------------------------------------

    def read_data(self, path: Path) -> Any:
        loaders: dict[str, Any] = {}
        for group in self.plugins.hook.data_loaders():
            loaders.update(group or {})
        reader = loaders.get(path.suffix.lower())
        if reader is None:
            raise ApecdocsError(
                f"no reader for '{path.suffix}' data files", file=path,
                hint=f"Known kinds: {', '.join(sorted(loaders))}.",
            )
        if not path.is_file():
            raise ApecdocsError("data file not found", file=path,
                                hint="Check the path under 'data:' in apecdocs.yaml.")
        return reader(path)

    def jinja_env(self, document: Document) -> Any:
        """The Jinja environment of the project's templates (one per project)."""
        if self._jinja is None:
            self._jinja = self._make_jinja_env()
        return self._jinja

    def _make_jinja_env(self) -> Any:
        from .templates import environment

        filters: dict[str, Any] = {}
        for group in self.plugins.hook.jinja_filters():
            filters.update(group or {})
        globals_: dict[str, Any] = {}
        for group in self.plugins.hook.jinja_globals():
            globals_.update(group or {})
        # A project's files must resolve inside the project; a plugin's inside its folder.
        roots = [(self.root / "templates", self.root)]
        roots += [(t.template.parent, t.template.parent)
                  for t in self.document_types.values() if t.template]
        roots.append((self.root, self.root))
        return environment(roots, filters, globals_)

    def template_context(self, document: Document, lang: str) -> dict[str, Any]:
        """What a Markdown source sees: project, document, data, lang, plus plugins'."""
        if self._plain is None:  # the project file's values, made plain once
            self._plain = as_template_value({"project": self.meta, "config": self.config})
        core: dict[str, Any] = {
            "project": self._plain["project"],
            "document": {"id": document.id, "title": document.title, "type": document.type,
                         "meta": document.meta, **document.meta},
            "data": self.data.for_templates(),
            "lang": lang,
            "config": self._plain["config"],
        }
        context = dict(core)
        for extra in self.plugins.hook.template_context(project=self, document=document, lang=lang):
            context.update(extra or {})
        # Templates get plain values only (values.as_template_value): what plugins added,
        # and the document's meta; the project file's values were made plain above.
        return {k: v if core.get(k) is v and k not in ("document", "lang")
                else as_template_value(v, k) for k, v in context.items()}

    # -- the two things a user does --------------------------------------------------

    def check(self, documents: list[str] | None = None) -> list[Finding]:
        """Every problem a build of ``documents`` would hit, without building."""
        from .build import check_project

        return check_project(self, documents)

    def build(
        self,
        formats: list[str] | None = None,
        documents: list[str] | None = None,
        languages: list[str] | None = None,
        out: str | Path | None = None,
        *,
        jobs: int | None = None,
        force: bool = False,
        progress: Any = None,
    ) -> BuildReport:
        """Build the chosen documents × formats × languages; return what was written.

        Raises ``BuildFailed`` after building everything it could when a target fails;
        previous outputs of failed targets are left in place.
        """
        from .build import Builder

        builder = Builder(self, out=Path(out) if out else None, jobs=jobs, force=force,
                          progress=progress)
        if not force:
            return builder.run(formats=formats, documents=documents, languages=languages)
        with bypassed():  # --force: no cached result of any kind is read
            return builder.run(formats=formats, documents=documents, languages=languages)

    def review(
        self,
        files: list[str | Path],
        *,
        document: str | None = None,
        lang: str | None = None,
        matrix: bool = False,
        apply: bool = False,
        diff: bool = False,
        state: str | Path | None = None,
    ) -> Any:
        """Read reviewers' returned DOCX copies: every comment and tracked change with
        its source file and line (``ReviewResult.rows``). ``apply`` patches the Markdown
        sources where certain (``diff``: only works out ``ReviewResult.diff``);
        ``matrix`` writes the comment-resolution matrix (YAML state, CSV, DOCX, HTML).
        """
        from .review.run import review

        return review(self, files, document=document, lang=lang, matrix=matrix, apply=apply,
                      diff=diff, state=state)
