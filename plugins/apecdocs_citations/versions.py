"""The citeproc-py versions this plugin is tested against, checked when it is imported.

The plugin changes citeproc-py's internals (``patches``, ``speedups`` and the modules
they install), which another release may rename or rework: output could then be wrong
without an error. So any other version stops the import with what to do; pyproject.toml
pins the same versions.
"""

from __future__ import annotations

from apecdocs.plugin_cache import distribution_version

TESTED = ("0.11.1",)


class UntestedCiteproc(ImportError):
    """citeproc-py is missing or at a version the plugin was not tested with."""


def check(found: str | None) -> None:
    """Raise ``UntestedCiteproc`` unless ``found`` is a tested citeproc-py version."""
    if found in TESTED:
        return
    pin = " or ".join(f"citeproc-py=={v}" for v in TESTED)
    what = "is not installed" if found is None else f"{found} is installed"
    raise UntestedCiteproc(
        f"apecdocs citations: citeproc-py {what}, but the citations plugin changes its "
        f"internals and is tested only with {', '.join(TESTED)}. Install a tested version: "
        f"pip install '{pin}'.")


def installed() -> str | None:
    """The installed citeproc-py's version, kept between runs (``importlib.metadata``
    reads every installed distribution: start-up time on every command)."""
    return distribution_version("citeproc-py")


check(installed())
