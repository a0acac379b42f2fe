"""Plugin discovery and the registry of everything plugins contribute.

The plugin manager comes from a factory, never an import-time global. Each
plugin is loaded and each of its hooks called in isolation: one that fails
to import, raises, or returns malformed data becomes a ``GOV-PLUGIN`` error
naming it, and the others still run.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy

from govern import builtin, hookspecs
from govern.errors import GovernError

ENTRY_POINT_GROUP = "govern"
DISABLE_ENV = "GOVERN_DISABLE_PLUGIN_AUTOLOAD"


@dataclass
class PluginInfo:
    name: str
    version: str
    origin: str  # "builtin", "entry point <dist>", "file <path>"
    contributes: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Registry:
    """What every loaded plugin contributed, merged."""

    policy_paths: list[tuple[Path, str]] = field(default_factory=list)
    rules: list[Any] = field(default_factory=list)
    functions: dict[str, Any] = field(default_factory=dict)
    reporters: dict[str, Any] = field(default_factory=dict)
    extensions: dict[str, Any] = field(default_factory=dict)
    extension_owners: dict[str, str] = field(default_factory=dict)
    plugins: list[PluginInfo] = field(default_factory=list)
    errors: list[GovernError] = field(default_factory=list)


def make_plugin_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager("govern")
    pm.add_hookspecs(hookspecs)
    return pm


def autoload_disabled(no_plugins: bool) -> bool:
    return no_plugins or os.environ.get(DISABLE_ENV, "").strip() not in ("", "0", "false", "no")


def load_plugins(
    plugin_files: list[str] = (), no_plugins: bool = False, disabled: list[str] = ()
) -> Registry:
    """Register the built-ins, installed entry points and ``--plugin`` files; collect their hooks."""
    pm = make_plugin_manager()
    registry = Registry()
    origins: dict[str, tuple[str, str]] = {}
    pm.register(builtin, name="builtin")
    origins["builtin"] = ("builtin", _own_version())
    if not autoload_disabled(no_plugins):
        for name, origin, version, loader in _entry_points():
            if name in disabled:
                continue
            try:
                module = loader()
                pm.register(module, name=name)
                origins[name] = (origin, version)
            except Exception as exc:
                registry.errors.append(_plugin_error(name, f"failed to load: {type(exc).__name__}: {exc}"))
    for path in plugin_files:
        name = Path(path).stem
        try:
            module = _import_file(path)
            pm.register(module, name=name)
            origins[name] = (f"file {path}", str(getattr(module, "__version__", "")))
        except GovernError as exc:
            registry.errors.append(exc)
        except Exception as exc:
            registry.errors.append(_plugin_error(name, f"failed to import {path}: {type(exc).__name__}: {exc}", path))
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        registry.errors.append(_plugin_error(getattr(exc, "plugin", "unknown"), str(exc)))
        for name, plugin in list(pm.list_name_plugin()):
            if name != "builtin" and _has_unknown_hooks(pm, plugin):
                pm.unregister(plugin)
    for name, plugin in pm.list_name_plugin():
        origin, version = origins.get(name, ("unknown", ""))
        info = PluginInfo(name, version, origin)
        _collect(pm, name, plugin, registry, info)
        registry.plugins.append(info)
    return registry


def _own_version() -> str:
    from govern import __version__

    return __version__


def _has_unknown_hooks(pm: pluggy.PluginManager, plugin: Any) -> bool:
    return any(
        attr.startswith("govern_") and not hasattr(pm.hook, attr) for attr in dir(plugin)
    )


def _plugin_error(name: str, message: str, file: str | None = None) -> GovernError:
    return GovernError(f"plugin {name}: {message}", file or f"<plugin {name}>", rule="GOV-PLUGIN")


def _entry_points():
    from importlib.metadata import entry_points

    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        dist = getattr(ep, "dist", None)
        version = dist.version if dist is not None else ""
        origin = f"entry point {dist.name if dist is not None else ep.value}"
        yield ep.name, origin, version, ep.load


def _import_file(path: str):
    file = Path(path)
    if not file.is_file():
        raise _plugin_error(file.stem, "no such plugin file", path)
    module_name = f"govern_local_plugin_{file.stem}"
    spec = importlib.util.spec_from_file_location(module_name, file)
    if spec is None or spec.loader is None:
        raise _plugin_error(file.stem, "cannot be imported as a Python module", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


def _call(plugin: Any, hook: str) -> tuple[bool, Any]:
    impl = getattr(plugin, hook, None)
    if impl is None:
        return False, None
    return True, impl()


def _collect(pm, name: str, plugin: Any, registry: Registry, info: PluginInfo) -> None:
    from govern.functions import CheckFunction
    from govern.model import Rule
    from govern.reporters import Reporter

    def call(hook: str, expect: type) -> Any:
        try:
            present, value = _call(plugin, hook)
        except Exception as exc:
            registry.errors.append(_plugin_error(name, f"{hook}() raised {type(exc).__name__}: {exc}"))
            return None
        if not present or value is None:
            return None
        if not isinstance(value, expect):
            registry.errors.append(
                _plugin_error(name, f"{hook}() returned {type(value).__name__}, expected {expect.__name__}")
            )
            return None
        return value

    def items(value: Any, kind: type, hook: str) -> list[Any]:
        out = []
        for item in value.values() if isinstance(value, dict) else value:
            if isinstance(item, kind):
                out.append(item)
            else:
                registry.errors.append(
                    _plugin_error(name, f"{hook}() returned a {type(item).__name__}, expected {kind.__name__}")
                )
        return out

    paths = call("govern_policy_paths", (list, tuple))
    for path in paths or ():
        if isinstance(path, (str, Path)) and Path(path).is_dir():
            registry.policy_paths.append((Path(path), name))
            info.contributes.setdefault("policy paths", []).append(str(path))
        else:
            registry.errors.append(_plugin_error(name, f"govern_policy_paths() returned {path!r}, not a folder"))
    rules = call("govern_rules", (list, tuple))
    for rule in items(rules or (), Rule, "govern_rules"):
        if rule.source == "builtin" and name != "builtin":
            rule = _with_source(rule, name)
        registry.rules.append(rule)
        info.contributes.setdefault("rules", []).append(rule.id)
    functions = call("govern_check_functions", (list, tuple, dict))
    for function in items(functions or (), CheckFunction, "govern_check_functions"):
        if function.name in registry.functions:
            registry.errors.append(_plugin_error(name, f"check function {function.name!r} is already defined"))
            continue
        registry.functions[function.name] = function
        info.contributes.setdefault("functions", []).append(function.name)
    reporters = call("govern_reporters", (list, tuple, dict))
    for reporter in items(reporters or (), Reporter, "govern_reporters"):
        if reporter.name in registry.reporters:
            registry.errors.append(_plugin_error(name, f"format {reporter.name!r} is already defined"))
            continue
        registry.reporters[reporter.name] = reporter
        info.contributes.setdefault("formats", []).append(reporter.name)
    extensions = call("govern_schema_extensions", dict)
    for ext, schema in (extensions or {}).items():
        from govern.schemas import compile_schema, schema_problem

        if not isinstance(schema, (dict, bool)) or (problem := schema_problem(schema)):
            registry.errors.append(_plugin_error(name, f"schema for extensions.{ext} is invalid"))
            continue
        if ext in registry.extensions:
            registry.errors.append(_plugin_error(name, f"extensions.{ext} is already owned by {registry.extension_owners[ext]}"))
            continue
        registry.extensions[ext] = compile_schema(schema)
        registry.extension_owners[ext] = name
        info.contributes.setdefault("extensions", []).append(ext)


def _with_source(rule: Any, source: str) -> Any:
    import dataclasses

    return dataclasses.replace(rule, source=source)
