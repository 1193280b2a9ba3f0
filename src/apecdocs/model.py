"""Plain data passed between the stages of a build and to plugins."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .errors import Location

FORMATS: tuple[str, ...] = ("docx", "pdf", "html")


@dataclass
class DocumentType:
    """A kind of document a plugin offers.

    ``template`` is a Markdown/Jinja file that receives the assembled sources as
    ``body`` (a type with no sources of its own, like an agenda, builds from it alone).
    ``schema`` is the JSON schema of the document's ``meta`` mapping.
    """

    name: str
    description: str = ""
    template: Path | None = None
    schema: dict[str, Any] = field(default_factory=lambda: {"type": "object"})
    defaults: dict[str, Any] = field(default_factory=dict)
    styles: Path | None = None
    needs_sources: bool = True


@dataclass
class Document:
    """One deliverable listed in ``apecdocs.yaml``."""

    id: str
    type: str
    title: str
    sources: list[Path]
    meta: dict[str, Any]
    formats: list[str]
    languages: list[str]
    options: dict[str, Any]
    location: Location
    spec: Any = None  # the ruamel node, to locate keys of ``meta`` for errors

    def where(self, *keys: str | int) -> Location:
        """File and line of ``meta`` key path ``keys`` (or of the document itself)."""
        from .loader import locate

        return locate(self.spec, ("meta", *keys), self.location)


@dataclass(frozen=True)
class Target:
    """One file to write: a document in a language and a format."""

    document: str
    lang: str
    format: str

    @property
    def name(self) -> str:
        return f"{self.lang}/{self.document}.{self.format}"


@dataclass
class DocxLayout:
    """How the DOCX is finished after pandoc (``docx_finish``): filled by the core from
    the document's options; plugins may change it in ``pandoc_options``."""

    sections: bool = False  # cover / front matter in roman / body in arabic from 1
    running_header: str = ""  # text of the header on body pages ("" for none)
    caption_labels: list[str] = field(default_factory=lambda: ["Figure", "Table"])  # that order
    pages: dict[str, str] = field(default_factory=dict)  # element id -> cached page number
    protection: str = ""  # "forms": only content controls and form fields can be edited


@dataclass
class WriteOptions:
    """How pandoc writes one target; filled by core defaults and ``pandoc_options``."""

    reference_doc: Path | None = None
    template: Path | None = None
    css: list[Path] = field(default_factory=list)
    variables: dict[str, Any] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)
    toc: bool = False
    toc_depth: int = 3
    number_sections: bool = False
    extra_args: list[str] = field(default_factory=list)
    fonts: list[Path] = field(default_factory=list)
    docx: DocxLayout = field(default_factory=DocxLayout)


@dataclass
class Finding:
    """A problem found by a check: where it is, what it is, what to do."""

    message: str
    location: Location = field(default_factory=Location)
    severity: Literal["error", "warning", "info"] = "error"
    hint: str | None = None
    code: str = ""

    def __str__(self) -> str:
        where = str(self.location)
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text = f"{text.rstrip('.')}. {self.hint}"
        return f"{self.severity}: {text}"


@dataclass
class Output:
    """What a build wrote (or skipped) for one target."""

    target: Target
    path: Path
    seconds: float
    status: Literal["built", "unchanged", "failed"] = "built"
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    exception: BaseException | None = field(default=None, repr=False)


@dataclass
class BuildReport:
    """The result of ``Project.build``."""

    outputs: list[Output] = field(default_factory=list)
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # plugins' summary lines (build_finished)

    @property
    def failed(self) -> list[Output]:
        return [o for o in self.outputs if o.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed

    def paths(self) -> list[Path]:
        return [o.path for o in self.outputs if o.status != "failed"]
