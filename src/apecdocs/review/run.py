"""``Project.review``: read returned DOCX files, locate every item, and (as asked) apply
the changes, print a diff, and write the comment-resolution matrix."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..confine import confine
from ..errors import ApecdocsError
from ..labels import text
from ..model import Document
from ..write import atomic_path
from . import apply as applying
from . import matrix as matrices
from .docx_read import Reviewed, read
from .locate import Locator

if TYPE_CHECKING:
    from ..project import Project

MATRIX_FORMATS = ["docx", "html"]


@dataclass
class ReviewResult:
    """What a review run found and did."""

    document: str
    lang: str
    rows: list[matrices.Row]
    plan: applying.Plan | None = None
    written: list[Path] = field(default_factory=list)  # sources patched by --apply
    matrix: list[Path] = field(default_factory=list)  # state YAML, CSV, DOCX, HTML
    diff: str = ""

    @property
    def conflicts(self) -> list[applying.Conflict]:
        return self.plan.conflicts if self.plan else []


def review(project: Project, files: list[str | Path], *, document: str | None = None,
           lang: str | None = None, matrix: bool = False, apply: bool = False,
           diff: bool = False, state: str | Path | None = None) -> ReviewResult:
    if not files:
        raise ApecdocsError("no reviewed file given",
                            hint="Pass the .docx files the reviewers sent back.")
    reviewed = [read(Path(f)) for f in files]
    doc, language = _document(project, reviewed, document, lang)
    locator = Locator(project, doc, language)
    located = [(item, locator.locate(r, item)) for r in reviewed for item in r.items]
    rows = matrices.merge(located)
    result = ReviewResult(doc.id, language, rows)
    if apply or diff:
        result.plan = applying.plan(rows, project.root, doc.sources,
                                    translated=language != project.languages[0])
        result.diff = result.plan.diff(project.root)
        if apply and not diff:
            result.written = applying.write(result.plan)
            for row in result.plan.applied:
                row.status = "applied"
    if matrix:
        result.matrix = write_matrix(project, doc, language, rows, state)
    return result


def _document(project: Project, reviewed: list[Reviewed], document: str | None,
              lang: str | None) -> tuple[Document, str]:
    """Which document the files are copies of: as asked, else as the build wrote in them."""
    said = {r.document for r in reviewed if r.document}
    if document is None:
        if len(said) > 1:
            raise ApecdocsError(f"the files are copies of different documents ({', '.join(sorted(said))})",
                                hint="Review one document at a time.")
        if said:
            document, _, built_lang = next(iter(said)).partition(":")
            lang = lang or built_lang or None
        elif len(project.documents) == 1:
            document = next(iter(project.documents))
        else:
            raise ApecdocsError(
                f"cannot tell which document '{reviewed[0].path.name}' is a copy of",
                file=reviewed[0].path,
                hint=f"Pass --document (one of {', '.join(project.documents)}).")
    if document not in project.documents:
        raise ApecdocsError(f"no document '{document}' in {project.file.name}",
                            hint=f"Documents: {', '.join(project.documents)}.")
    doc = project.documents[document]
    language = lang or doc.languages[0]
    if language not in doc.languages:
        raise ApecdocsError(f"'{document}' is not built in '{language}'",
                            hint=f"Its languages: {', '.join(doc.languages)}.")
    return doc, language


def write_matrix(project: Project, document: Document, lang: str, rows: list[matrices.Row],
                 state: str | Path | None = None) -> list[Path]:
    """Save the state (YAML + CSV), then build the matrix as DOCX and HTML."""
    yaml_path, csv_path = matrices.state_paths(project.root, document.id,
                                               _inside(project, state) if state else None,
                                               lang, project.languages[0])
    records = matrices.keep_responses(rows, matrices.load_state(yaml_path, csv_path, lang))
    matrices.save_state(yaml_path, csv_path, document.id, records, lang)
    return [yaml_path, csv_path] + build_matrix(project, document, lang, records)


def build_matrix(project: Project, document: Document, lang: str,
                 records: list[dict]) -> list[Path]:
    """The matrix through the normal build, as a plain document in the project's styles."""
    ident = f"{document.id}-comments"
    if ident in project.documents:
        raise ApecdocsError(f"a document '{ident}' exists: the matrix would overwrite it",
                            file=project.file, hint="Give that document another id.")
    source = project.cache_dir / "review" / f"{ident}.md"
    with atomic_path(source) as tmp:
        tmp.write_text("---\njinja: false\n---\n" + matrices.markdown(records, lang),
                       encoding="utf-8")
    title = text("Comments received on {title} and how they were addressed", lang, project,
                 title=document.title)
    doc = Document(id=ident, type="document", title=title, sources=[source], meta={},
                   formats=MATRIX_FORMATS, languages=[lang],
                   options={**project.document_types["document"].defaults},
                   location=document.location)
    project.documents[ident] = doc
    try:
        report = project.build(documents=[ident], formats=MATRIX_FORMATS, languages=[lang])
    finally:
        del project.documents[ident]
    return report.paths()


def _inside(project: Project, path: str | Path) -> Path:
    resolved = confine(path, [project.root], what="review state", action="write",
                       hint="Keep it inside the project, e.g. review/report.yaml; a symlink "
                       "that points outside it is refused too.")
    if resolved.suffix.lower() not in (".yaml", ".yml"):
        raise ApecdocsError(f"the review state '{path}' must be a .yaml file",
                            hint="The CSV copy is written beside it.")
    return resolved
