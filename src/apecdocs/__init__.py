"""apecdocs: build an APEC project's deliverables from Markdown and YAML.

    from apecdocs import Project
    project = Project.load("path/to/project")
    report = project.build(formats=["docx", "pdf"], documents=["report"])
"""

__version__ = "0.1.0"

from .errors import ApecdocsError, BuildFailed  # noqa: E402
from .model import (  # noqa: E402
    BuildReport,
    Document,
    DocumentType,
    Finding,
    Output,
    Target,
    WriteOptions,
)
from .plugins import hookimpl  # noqa: E402
from .project import Project  # noqa: E402

__all__ = [
    "ApecdocsError", "BuildFailed", "BuildReport", "Document", "DocumentType", "Finding",
    "Output", "Project", "Target", "WriteOptions", "__version__", "hookimpl",
]
