"""The plugin manager: entry points, a project's ``plugins/`` folder, and Python calls.

First-party plugins are found through the ``apecdocs`` entry-point group exactly as a
third party's are. ``APECDOCS_DISABLE_PLUGIN_AUTOLOAD=1`` skips entry points (for tests
and for tracking down a misbehaving plugin); ``APECDOCS_TRACE_PLUGINS=1`` prints every
hook call to stderr.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pluggy

from . import hookspecs, plugin_cache
from .errors import ApecdocsError
from .hookguard import GuardedManager

ENTRY_POINT_GROUP = "apecdocs"
hookimpl = pluggy.HookimplMarker("apecdocs")

# Built into the core package itself: generic document type, CSV/YAML/JSON loaders.
CORE_PLUGINS: tuple[str, ...] = ("apecdocs.builtin", "apecdocs.review.plugin")


class Manager(GuardedManager):
    """The guarded manager; it knows the distribution of each plugin found from the cache."""

    def __init__(self, project_name: str) -> None:
        super().__init__(project_name)
        self.found: list[tuple[object, Any]] = []

    def list_plugin_distinfo(self) -> list[tuple[object, Any]]:
        return super().list_plugin_distinfo() + list(self.found)


def new_manager(project_root: Path | None = None, *, autoload: bool | None = None) -> pluggy.PluginManager:
    """A manager with the hook specs, core plugins, entry points and local plugins."""
    pm = Manager("apecdocs")  # hooks that raise or hang name their plugin
    pm.add_hookspecs(hookspecs)
    for name in CORE_PLUGINS:
        pm.register(importlib.import_module(name), name=name)
    if autoload is None:
        autoload = not os.environ.get("APECDOCS_DISABLE_PLUGIN_AUTOLOAD")
    if autoload:
        try:
            load_entry_points(pm, ENTRY_POINT_GROUP)
        except Exception as exc:  # a broken third-party plugin must say who it is
            raise ApecdocsError(
                f"a plugin in the '{ENTRY_POINT_GROUP}' entry-point group failed to load: {exc!r}",
                hint="Uninstall or fix that plugin, or set APECDOCS_DISABLE_PLUGIN_AUTOLOAD=1.",
            ) from exc
    if project_root is not None:
        load_local_plugins(pm, project_root / "plugins")
    check_pending(pm)
    if os.environ.get("APECDOCS_TRACE_PLUGINS"):
        pm.trace.root.setwriter(lambda text: sys.stderr.write(text))
        pm.enable_tracing()
    return pm


def load_entry_points(pm: pluggy.PluginManager, group: str) -> None:
    """Register every plugin of ``group``, as pluggy's ``load_setuptools_entrypoints``
    does, from the list kept by ``plugin_cache`` (reading every installed distribution's
    metadata is a twentieth of a second of every start)."""
    for name, value, dist, version in plugin_cache.entry_points(group):
        if pm.get_plugin(name) is not None or pm.is_blocked(name):
            continue
        module, _, attribute = value.partition(":")
        plugin: Any = importlib.import_module(module.strip())
        for part in attribute.split("[")[0].strip().split("."):
            plugin = getattr(plugin, part) if part else plugin
        pm.register(plugin, name=name)
        if isinstance(pm, Manager):
            pm.found.append((plugin, SimpleNamespace(project_name=dist, version=version)))


def load_local_plugins(pm: pluggy.PluginManager, folder: Path) -> list[ModuleType]:
    """Import each ``*.py`` file in a project's plugin folder and register it.

    Subfolders are not plugins (the apecdocs repository keeps its first-party plugin
    packages there; they load through entry points).
    """
    loaded = []
    if not folder.is_dir():
        return loaded
    for path in sorted(folder.glob("*.py")):
        name = f"apecdocs_local_{path.stem}"
        if pm.get_plugin(name) is not None:
            continue
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception as exc:
            raise ApecdocsError(
                f"the project plugin failed to import: {exc!r}",
                file=path,
                hint="Fix the error in the plugin or move the file out of plugins/.",
            ) from exc
        module.__apecdocs_source__ = str(path)  # type: ignore[attr-defined]
        pm.register(module, name=name)
        loaded.append(module)
    return loaded


def check_pending(pm: pluggy.PluginManager) -> None:
    """Reject hook implementations whose names match no hook (a typo would be silent)."""
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise ApecdocsError(
            f"a plugin implements a hook that does not exist: {exc}",
            hint="Check the hook's name against 'apecdocs plugins --hooks'.",
        ) from exc


def describe(pm: pluggy.PluginManager) -> list[dict[str, str]]:
    """Name, source and hooks of each registered plugin, for ``apecdocs plugins``."""
    dists = {id(plugin): dist for plugin, dist in pm.list_plugin_distinfo()}
    rows = []
    for name, plugin in pm.list_name_plugin():
        if plugin is None:
            continue
        dist = dists.get(id(plugin))
        if dist is not None:
            source = f"entry point of {dist.project_name} {dist.version}"
        elif hasattr(plugin, "__apecdocs_source__"):
            source = f"project file {plugin.__apecdocs_source__}"
        elif name in CORE_PLUGINS:
            source = "core"
        else:
            source = "registered in Python"
        hooks = sorted(h.name for h in pm.get_hookcallers(plugin) or [])
        rows.append({"name": name, "source": source, "hooks": ", ".join(hooks)})
    return rows
