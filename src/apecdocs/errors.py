"""Errors a user can act on: each names the file, the line and what to change."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """A place in a user's file; line and column are 1-based, None when unknown."""

    file: Path | str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.file is None:
            return ""
        where = f"In file {self.file}"
        if self.line is not None:
            where += f" (line {self.line}"
            if self.column is not None:
                where += f", column {self.column}"
            where += ")"
        return where


class ApecdocsError(Exception):
    """A mistake in the user's project, reported without a traceback.

    ``hint`` says what to do about it; the CLI prints ``str(error)`` as one paragraph.
    """

    # The build's report when the error came after its outputs were written (a plugin
    # failing in ``build_finished``), so the summary can still say what was built.
    report: object | None = None

    def __init__(
        self,
        message: str,
        *,
        file: Path | str | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = Location(file, line, column)
        self.hint = hint

    @property
    def file(self) -> Path | str | None:
        return self.location.file

    @property
    def line(self) -> int | None:
        return self.location.line

    def __str__(self) -> str:
        text = self.message
        where = str(self.location)
        if where:
            text = f"{where}: {text}"
        if self.hint:
            text = f"{text.rstrip('.')}. {self.hint}"
        return text


class BuildFailed(ApecdocsError):
    """One or more targets failed; ``errors`` holds each failure."""

    def __init__(self, errors: list[tuple[str, Exception]]) -> None:
        self.errors = errors
        lines = [f"{len(errors)} target(s) failed:"]
        lines += [f"- {name}: {err}" for name, err in errors]
        super().__init__("\n".join(lines))
        self.report = None

    def with_report(self, report: object) -> BuildFailed:
        """Attach the build report, so callers can see what did build."""
        self.report = report
        return self

    def __str__(self) -> str:
        return self.message


def relative_to(path: Path, root: Path) -> Path:
    """``path`` relative to ``root`` when inside it, for shorter messages."""
    try:
        return path.resolve().relative_to(root.resolve())
    except ValueError:
        return path


def environment_error(exc: OSError, doing: str | None = None) -> ApecdocsError:
    """A fault of the machine, not of the project (read-only folder, full disk, no
    permission), as a message that says what failed where and what to do."""
    import errno

    where = exc.filename or "a file"
    hints = {
        errno.ENOSPC: "The disk is full: free some space and build again.",
        errno.EROFS: "That folder is on a read-only disk: build into a writable folder "
                     "(--out) or copy the project.",
        errno.EACCES: "You may not write there: change its permissions or build elsewhere.",
        errno.EPERM: "You may not write there: change its permissions or build elsewhere.",
        errno.EEXIST: "A file stands where apecdocs needs a folder: rename or remove it.",
        errno.ENOTDIR: "A file stands where apecdocs needs a folder: rename or remove it.",
        errno.EISDIR: "A folder stands where apecdocs writes a file: give a file name.",
    }
    writing = {errno.ENOSPC, errno.EROFS, errno.EEXIST, errno.EISDIR, errno.EDQUOT}
    doing = doing or ("write" if exc.errno in writing else "use")
    return ApecdocsError(f"cannot {doing} {where}: {exc.strerror or exc}",
                         hint=hints.get(exc.errno or 0, "Check the disk and the permissions."))
