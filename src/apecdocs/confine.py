"""The one place that decides whether a path may be read or written.

A project folder is untrusted input (see docs/security.md): any path it names, any
symlink inside it, any template or option, must not make apecdocs read or write a file
outside the project. Every read of a project file (sources, includes, styles, template
partials, images, data, catalogs, Typst's files) and every write (outputs, cache,
catalogs) goes through ``confine``: it resolves the real path, symlinks at every level
included, and refuses it unless it lies inside one of the allowed folders.

Folders that plugins ship (their templates and styles) are code, trusted as code is:
paths a plugin names itself are not checked here; only what a project supplies is.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from .errors import ApecdocsError

# A language tag as BCP 47 shapes it (en, vi, zh-Hant, es-419, pt-BR): letters and digits
# in dash-separated parts, nothing that could be a path.
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


def real(path: str | os.PathLike[str]) -> Path:
    """The real path: absolute, every symlink on the way followed (existing or not)."""
    return Path(os.path.realpath(path))


def is_inside(path: str | os.PathLike[str], folder: str | os.PathLike[str]) -> bool:
    """Whether ``path`` resolves to ``folder`` or somewhere below it."""
    return real(path).is_relative_to(real(folder))


def confine(path: str | os.PathLike[str], roots: Iterable[str | os.PathLike[str]], *,
            what: str = "file", action: str = "read", file: Path | None = None,
            line: int | None = None, hint: str | None = None, shown: str | None = None) -> Path:
    """``path`` resolved, if it lies inside one of ``roots``; else a clear refusal.

    ``what`` names the thing for the message ("image", "output"), ``shown`` the path as
    the user wrote it; ``file``/``line`` say where it was written, when known.
    """
    resolved = real(path)
    for root in roots:
        if resolved.is_relative_to(real(root)):
            return resolved
    via = f" (it resolves to {resolved})" if Path(path).absolute() != resolved else ""
    raise ApecdocsError(
        f"{what} '{shown or os.fspath(path)}' points outside the project folder{via}; "
        f"apecdocs will not {action} it",
        file=file, line=line,
        hint=hint or "Keep every file a project reads or writes inside the project folder; "
        "a symlink that points outside it is refused too.",
    )


def first_symlink(folder: Path) -> Path | None:
    """The first symbolic link below ``folder``, if any (without following any). The
    cache never holds one, so one there was planted to send writes elsewhere."""
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return None
    for entry in entries:
        if entry.is_symlink():
            return Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            found = first_symlink(Path(entry.path))
            if found is not None:
                return found
    return None


def language_tag(lang: str, *, where: str = "--lang") -> str:
    """``lang`` if it is a language tag: checked before a language names a folder
    (``_build/<lang>``, ``locales/<lang>``). Whether the project has it is the caller's
    question (a did-you-mean among the project's languages)."""
    if not isinstance(lang, str) or not LANGUAGE_TAG.match(lang):
        raise ApecdocsError(
            f"'{lang}' given for {where} is not a language tag",
            hint="Use a language code such as en, vi, zh-Hant or es-419.",
        )
    return lang
