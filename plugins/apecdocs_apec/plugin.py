"""Registered through the ``apecdocs`` entry-point group (see pyproject.toml)."""

from __future__ import annotations

from pathlib import Path

from apecdocs import DocumentType, hookimpl

HERE = Path(__file__).parent


@hookimpl
def document_types() -> list[DocumentType]:
    return [
        DocumentType(
            "publication",
            "An APEC publication: cover, imprint page, contents, chapters, annexes.",
            styles=HERE / "styles",
            defaults={"toc": True, "lof": True, "lot": True, "number_sections": True},
        ),
    ]
