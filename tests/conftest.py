"""Shared helpers: small projects in tmp_path, and readers for what a user opens."""

from __future__ import annotations

import os
import re
import shutil
import textwrap
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]

MINIMAL = """\
project:
  number: TEST 01 2024
  title: A Test Project
documents:
  - id: doc
    type: document
    title: The Test Document
    sources: [content/*.md]
"""

# The smallest project that builds fast: one document, HTML only (tests of messages,
# the cache and interrupts, whose line numbers in apecdocs.yaml depend on this text).
HTML = """\
project: {number: TEST 01 2024, title: A Test Project}
formats: [html]
documents:
  - id: doc
    type: document
    title: The Test Document
    sources: [content/*.md]
"""


# What a copy of the worked example leaves out: outputs, caches, the package's own code
# and tests, and any virtual environment in the checkout (CI makes .ci-venv there; one
# copy of it per test would fill the disk).
NOT_THE_EXAMPLE = ("_build", ".apecdocs", ".git", "*venv*", "*.egg-info", "__pycache__",
                   ".pytest_cache", ".ruff_cache", "tests", "benchmarks", "src")


def copy_example(root: Path, *leave_out: str) -> Path:
    """A copy of the worked example at ``root``, without ``leave_out`` as well."""
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(*NOT_THE_EXAMPLE, *leave_out))
    return root


def write_project(root: Path, yaml_text: str = MINIMAL, files: dict[str, str | bytes] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "apecdocs.yaml").write_text(textwrap.dedent(yaml_text), encoding="utf-8")
    for name, content in (files or {"content/01.md": "# Hello\n\nWorld.\n"}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


@pytest.fixture(autouse=True, scope="session")
def _own_user_cache(tmp_path_factory: pytest.TempPathFactory) -> object:
    """The tests keep apecdocs' user-level cache (plugins found, kept parses, passed
    validations) in a folder of their own, not in the home folder of whoever runs them."""
    before = os.environ.get("APECDOCS_CACHE")
    os.environ["APECDOCS_CACHE"] = str(tmp_path_factory.mktemp("user-cache"))
    yield
    if before is None:
        os.environ.pop("APECDOCS_CACHE", None)
    else:
        os.environ["APECDOCS_CACHE"] = before


@pytest.fixture
def project_dir(tmp_path: Path):
    def make(yaml_text: str = MINIMAL, files: dict[str, str | bytes] | None = None) -> Path:
        return write_project(tmp_path / "proj", yaml_text, files)

    return make


def docx_paragraphs(path: Path) -> list[str]:
    """Every paragraph's text, body and tables, in order."""
    import docx

    document = docx.Document(str(path))
    out = []
    body = document.element.body
    for element in body.iter():
        if element.tag.endswith("}p"):
            text = "".join(t.text or "" for t in element.iter() if t.tag.endswith("}t"))
            if text.strip():
                out.append(text)
    return out


def docx_text(path: Path) -> str:
    return "\n".join(docx_paragraphs(path))


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("style", "script"):
            self.skip += 1
        if tag in ("p", "div", "li", "tr", "h1", "h2", "h3", "h4", "br", "td", "th"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_parse(path: Path) -> _Text:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def html_text(path: Path) -> str:
    return "".join(html_parse(path).parts)


def squash(text: str) -> str:
    """Whitespace folded, for comparing text across formats."""
    return re.sub(r"\s+", " ", text).strip()


def place_by_walk(ast: dict, project: Any, fmt: str,
                  originals: dict[bytes, bytes] | None = None) -> list[Path]:
    """The images of ``ast`` placed node by node (``write.Images.place``), as a walk of
    the tree finds them: what the build's placement in the JSON must match."""
    from apecdocs.pandoc_ast import nodes
    from apecdocs.write import Images

    images = Images(project, fmt, originals)
    for image in nodes(ast, "Image"):
        images.place(image)
    return images.used
