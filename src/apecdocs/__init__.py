"""apecdocs: build an APEC project's deliverables from Markdown and YAML.

    from apecdocs import Project
    project = Project.load("path/to/project")
    report = project.build(formats=["docx", "pdf"], documents=["report"])
"""

from __future__ import annotations

__version__ = "0.1.0"

# Imported on first use: the command line starts in a few milliseconds, so that even a
# Ctrl-C in its first moments ends it cleanly (see ``__main__``).
_EXPORTS = {
    "ApecdocsError": ".errors", "BuildFailed": ".errors", "Location": ".errors",
    "BuildReport": ".model",
    "Document": ".model", "DocumentType": ".model", "Finding": ".model", "Output": ".model",
    "Target": ".model", "WriteOptions": ".model", "hookimpl": ".plugins", "Project": ".project",
}

TYPE_CHECKING = False  # not ``typing``'s: this module imports nothing, to start at once
if TYPE_CHECKING:
    from .errors import ApecdocsError, BuildFailed, Location
    from .model import BuildReport, Document, DocumentType, Finding, Output, Target, WriteOptions
    from .plugins import hookimpl
    from .project import Project


def __getattr__(name: str) -> object:
    from importlib import import_module  # here: the package itself imports nothing

    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'apecdocs' has no attribute '{name}'")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "ApecdocsError", "BuildFailed", "BuildReport", "Document", "DocumentType", "Finding",
    "Location", "Output", "Project", "Target", "WriteOptions", "__version__", "hookimpl",
]
