"""Plugin discovery and the registry of everything plugins contribute.

The plugin manager comes from a factory, never an import-time global. The
built-ins register first as the plugin ``builtin``; then installed
packages of the entry-point group ``govern`` (unless autoload is off), then
``--plugin FILE`` modules. Each plugin is imported, registered and each of
its hooks called in isolation: one that fails to import, has a misspelt
``govern_*`` hook, raises, or returns malformed data becomes a
``GOV-PLUGIN`` error naming it (located in its source where possible) and
the others still run.

Over 400 lines (about 415) on purpose: discovery (entry points, ``--plugin`` files),
import, registration and hook validation share one ``_Candidate`` and one isolation rule (a
failing plugin is a ``GOV-PLUGIN`` error, the others still run); split, that rule would be
repeated in each part.
"""

from __future__ import annotations

import functools
import inspect
import os
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from govern.core.errors import GovernError, Interrupted
from govern.plugins import builtin
from govern.plugins.contributions import collect, describe, display, plugin_error, where, where_object
from govern.plugins.registry import PluginInfo, Registry

ENTRY_POINT_GROUP = "govern"
DISABLE_ENV = "GOVERN_DISABLE_PLUGIN_AUTOLOAD"
BUILTIN = "builtin"
RESERVED = (BUILTIN, "local")  # "local" is the source of --policies packs
# The hooks of govern/hookspecs.py, sorted (tests/cli/test_coldstart.py checks they agree): named here so that a
# run with no plugin but the built-ins never imports pluggy, which hookspecs needs for its markers.
HOOKS = (
    "govern_check_functions", "govern_policy_paths", "govern_reporters", "govern_rules", "govern_schema_extensions",
)


class _Candidate:
    """A plugin to load (a plain class: every dataclass costs a cold start ~0.5 ms)."""

    __slots__ = ("name", "origin", "version", "load", "root")

    def __init__(self, name: str, origin: str, version: str, load: Callable[[], Any], root: Path | None = None) -> None:
        self.name = name
        self.origin = origin
        self.version = version
        self.load = load
        self.root = root  # the plugin's file or package folder, to locate its errors


@functools.cache
def _manager_class() -> type:
    import pluggy

    class _Manager(pluggy.PluginManager):
        """pluggy's manager; like pytest's, it also takes unmarked ``govern_*`` functions as hooks.

        So a plugin that forgot ``@govern.hookimpl`` still works, and a misspelt
        unmarked hook is caught by ``check_pending`` instead of silently ignored.
        """

        def parse_hookimpl_opts(self, plugin: Any, name: str):
            opts = super().parse_hookimpl_opts(plugin, name)
            if (
                opts is None
                and name.startswith("govern_")
                and inspect.isroutine(inspect.getattr_static(plugin, name, None))
            ):
                return {}
            return opts

    return _Manager


def make_plugin_manager() -> Any:
    """A ``pluggy.PluginManager`` for the project ``govern``, with its hook specifications."""
    from govern.plugins import hookspecs

    pm = _manager_class()("govern")
    pm.add_hookspecs(hookspecs)
    return pm


def autoload_disabled(no_plugins: bool = False) -> bool:
    """True when ``--no-plugins`` is given or ``GOVERN_DISABLE_PLUGIN_AUTOLOAD`` is set (not 0/false/no)."""
    return no_plugins or os.environ.get(DISABLE_ENV, "").strip().lower() not in ("", "0", "false", "no")


def load_for(options: Any) -> Registry:
    """The registry for a run's ``Options``: ``--plugin``/``--no-plugins`` and the ``plugins`` configuration."""
    config = getattr(options, "config", None)
    config = config if isinstance(config, dict) else {}
    settings = config.get("plugins") if isinstance(config.get("plugins"), dict) else {}
    return load_plugins(
        list(getattr(options, "plugins", []) or []),
        bool(getattr(options, "no_plugins", False)),
        list(settings.get("disable", []) or []),
        autoload=settings.get("autoload", True) is not False,
        enabled=list(settings.get("enable", []) or []),
    )


def load_plugins(
    plugin_files: Iterable[str] = (),
    no_plugins: bool = False,
    disabled: Iterable[str] = (),
    *,
    autoload: bool = True,
    enabled: Iterable[str] = (),
) -> Registry:
    """Register the built-ins, installed entry points and ``--plugin`` files; collect their hooks.

    ``no_plugins`` (``--no-plugins``) loads no entry point at all. With
    ``autoload`` off (``plugins.autoload: false`` or the environment
    variable) only the entry points named in ``enabled`` load.
    ``disabled`` names entry points never to load. A ``--plugin`` file is
    always loaded, and replaces an installed plugin of the same name (so a
    plugin's own checkout can be tested while an older version is
    installed). ``builtin`` cannot be disabled.
    """
    registry = Registry()
    from govern import __version__

    loaded = [(_Candidate(BUILTIN, BUILTIN, __version__, lambda: builtin, Path(builtin.__file__).parent), builtin)]
    files = [_file_candidate(path) for path in plugin_files]
    names = {c.name for c in files}
    candidates = _entry_point_candidates(no_plugins, set(disabled), autoload, list(enabled), names, registry) + files
    if not candidates:  # the built-ins alone (the usual pre-commit run): their hooks are called as pluggy would
        candidate = loaded[0][0]
        impls = {hook: getattr(builtin, hook) for hook in HOOKS if callable(getattr(builtin, hook, None))}
        info = PluginInfo(BUILTIN, candidate.version, candidate.origin, display(_module_file(builtin, candidate)))
        collect(BUILTIN, candidate.root, impls, registry, info)
        registry.plugins.append(info)
        return registry
    pm = make_plugin_manager()
    pm.register(builtin, name=BUILTIN)
    seen = {BUILTIN}
    for candidate in candidates:
        if candidate.name in RESERVED:
            registry.errors.append(
                plugin_error(candidate.name, f"the name {candidate.name!r} is reserved by govern; rename the file")
            )
            continue
        if candidate.name in seen:
            registry.errors.append(
                plugin_error(candidate.name, "is loaded twice (two plugins with one name); the second is ignored")
            )
            continue
        seen.add(candidate.name)
        module = _import(candidate, registry)
        if module is not None and _register(pm, candidate, module, registry):
            loaded.append((candidate, module))
    rejected = _reject_unknown_hooks(pm, registry)
    impls = _implementations(pm)
    for candidate, module in loaded:
        if candidate.name in rejected:
            continue
        info = PluginInfo(candidate.name, candidate.version, candidate.origin, display(_module_file(module, candidate)))
        collect(candidate.name, candidate.root, impls.get(candidate.name, {}), registry, info)
        registry.plugins.append(info)
    return registry


# -- finding and importing plugins ------------------------------------------------------------


def _entry_point_candidates(
    no_plugins: bool, disabled: set[str], autoload: bool, enabled: list[str], overridden: set[str], registry: Registry
) -> list[_Candidate]:
    if no_plugins:
        return []
    autoload = autoload and not autoload_disabled()
    found = []
    if _may_declare_entry_points():  # importlib.metadata costs a cold start ~40 ms: only when it can find one
        from importlib.metadata import entry_points

        found = sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: (ep.name, ep.value))
    out = []
    for ep in found:
        if ep.name in disabled or ep.name in overridden or (not autoload and ep.name not in enabled):
            continue
        dist = getattr(ep, "dist", None)
        dist_name = dist.name if dist is not None else ep.value
        version = dist.version if dist is not None else ""
        if ep.name in RESERVED:
            registry.errors.append(
                plugin_error(ep.name, f"the name {ep.name!r} is reserved by govern (entry point of {dist_name})")
            )
            continue
        out.append(_Candidate(ep.name, f"entry point {dist_name}", version, ep.load, _module_root(ep.module)))
    names = {ep.name for ep in found}
    for name in sorted(set(enabled) - names - overridden):
        registry.errors.append(
            plugin_error(
                name,
                f"is enabled in the configuration but no installed package has "
                f"a {ENTRY_POINT_GROUP!r} entry point of that name",
            )
        )
    return out


def _may_declare_entry_points() -> bool:
    """False only when no installed distribution declares a ``[govern]`` entry-point section.

    A quick look where ``importlib.metadata`` would look: the ``*.dist-info``/``*.egg-info``
    folders (and an egg's ``EGG-INFO``) of every folder on ``sys.path``. Anything it cannot
    judge as cheaply (a zip file or unreadable folder on the path, a finder of its own on
    ``sys.meta_path``, an unreadable ``entry_points.txt``) answers True, and
    ``importlib.metadata`` decides as before.
    """
    from importlib.machinery import PathFinder

    for finder in sys.meta_path:
        if finder is not PathFinder and getattr(finder, "find_distributions", None) is not None:
            return True
    for entry in sys.path:
        try:
            root = os.fspath(entry) or "."
            children = os.listdir(root)
        except OSError:
            if os.path.exists(root):
                return True  # a zip file (or a folder that cannot be listed)
            continue
        except Exception:  # not a path at all: let importlib.metadata make of it what it does
            return True
        if not isinstance(root, str):
            return True
        egg = os.path.basename(root).lower().endswith(".egg")
        for child in children:
            low = child.lower()
            if low.endswith((".dist-info", ".egg-info")) or (egg and low == "egg-info"):
                if _declares_section(os.path.join(root, child, "entry_points.txt")):
                    return True
    return False


def _declares_section(path: str) -> bool:
    """Whether an ``entry_points.txt`` may have a ``[govern]`` section (True when unsure)."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError, PermissionError):
        return False  # importlib.metadata reads no entry points from it either
    except (OSError, ValueError):
        return True
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]") and ENTRY_POINT_GROUP in line.lower():
            return True
    return False


def _module_root(module_name: str) -> Path | None:
    """Where an entry point's module lives, found without importing it."""
    try:
        import importlib.util

        spec = importlib.util.find_spec(module_name.split(".")[0])
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin or not os.path.exists(spec.origin):
        return None
    origin = Path(spec.origin)
    return origin.parent if origin.name == "__init__.py" else origin


def _file_candidate(path: str) -> _Candidate:
    file = Path(path)
    if file.is_dir() and (file / "__init__.py").is_file():
        file = file / "__init__.py"
    package = file.name == "__init__.py"
    name = plugin_name(file.resolve().parent.name if package else file.stem)
    root = file.parent if package else file

    def load() -> Any:
        if not file.is_file():
            raise GovernError(f"plugin {name}: no such plugin file", path, rule="GOV-PLUGIN")
        if file.suffix != ".py":
            raise GovernError(
                f"plugin {name}: cannot be imported (expected a .py file or a package folder)", path, rule="GOV-PLUGIN"
            )
        import importlib.util

        module_name = "govern_plugin_" + re.sub(r"\W", "_", name)
        spec = importlib.util.spec_from_file_location(
            module_name, file, submodule_search_locations=[str(file.parent)] if package else None
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            sys.modules.pop(module_name, None)
            raise
        return module

    return _Candidate(name, f"file {display(path)}", "", load, root)


def plugin_name(module: str) -> str:
    """A ``--plugin`` file's plugin name: its module name without a ``govern_`` prefix.

    ``govern_health/__init__.py`` is the plugin ``health``; name the entry
    point the same so that the installed plugin and its checkout are one.
    """
    for prefix in ("govern_", "govern-"):
        if module.startswith(prefix) and len(module) > len(prefix):
            return module[len(prefix) :]
    return module


def _import(candidate: _Candidate, registry: Registry) -> Any:
    try:
        module = candidate.load()
    except GovernError as exc:
        registry.errors.append(exc)
        return None
    except Interrupted:
        raise
    except BaseException as exc:  # SystemExit or KeyboardInterrupt from a plugin's import is its failure too
        file, line = where(exc, candidate.root)
        registry.errors.append(plugin_error(candidate.name, f"failed to import: {describe(exc)}", file, line))
        return None
    if not candidate.version:
        version = getattr(module, "__version__", "")
        candidate.version = version if isinstance(version, str) else ""
    return module


def _register(pm: Any, candidate: _Candidate, module: Any, registry: Registry) -> bool:
    import pluggy

    try:
        pm.register(module, name=candidate.name)
    except pluggy.PluginValidationError as exc:
        registry.errors.append(
            plugin_error(candidate.name, f"has an invalid hook: {exc}", *where_object(module, candidate.root))
        )
        return False
    except ValueError as exc:  # the same module object under two names
        registry.errors.append(plugin_error(candidate.name, f"cannot be registered: {str(exc).splitlines()[0]}"))
        return False
    return True


def _reject_unknown_hooks(pm: Any, registry: Registry) -> set[str]:
    """``pm.check_pending()`` until it passes, unregistering each plugin with a misspelt hook."""
    import pluggy

    rejected: set[str] = set()
    while True:
        try:
            pm.check_pending()
            return rejected
        except pluggy.PluginValidationError as exc:
            plugin = exc.plugin
            name = pm.get_name(plugin) or repr(plugin)
            for caller in sorted(pm.get_hookcallers(plugin) or [], key=lambda c: c.name):
                if caller.has_spec():
                    continue
                impl = next(i for i in caller.get_hookimpls() if i.plugin is plugin)
                import difflib

                hint = difflib.get_close_matches(caller.name, HOOKS, n=1)
                more = f" (did you mean {hint[0]}?)" if hint else f" (hooks are: {', '.join(HOOKS)})"
                registry.errors.append(
                    plugin_error(
                        name,
                        f"unknown hook {caller.name}{more}; the plugin is not loaded",
                        *where_object(impl.function),
                    )
                )
            rejected.add(name)
            pm.unregister(plugin)


def _implementations(pm: Any) -> dict[str, dict[str, Callable[[], Any]]]:
    out: dict[str, dict[str, Callable[[], Any]]] = {}
    for hook in HOOKS:
        for impl in getattr(pm.hook, hook).get_hookimpls():
            out.setdefault(impl.plugin_name, {})[hook] = impl.function
    return out


def _module_file(module: Any, candidate: _Candidate) -> str | None:
    file = getattr(module, "__file__", None)
    if isinstance(file, str):
        return file
    return str(candidate.root) if candidate.root else None


def describe_plugins(
    registry: Registry, rules: Iterable[Any] = (), packs: Iterable[dict[str, Any]] = ()
) -> list[dict[str, Any]]:
    """Each plugin with everything it contributes, including its packs and their rules."""
    rules, packs = list(rules), list(packs)
    out = []
    for info in registry.plugins:
        own = info.to_dict()
        entry = {key: own[key] for key in ("name", "version", "origin", "file")}
        entry["packs"] = sorted(
            (
                {"name": p["name"], "version": p.get("version", ""), "file": p.get("file")}
                for p in packs
                if p.get("source") == info.name
            ),
            key=lambda p: (p["name"], p["file"] or ""),
        )
        entry["rules"] = sorted({r.id for r in rules if r.source == info.name}) if rules else own["rules"]
        entry.update({key: own[key] for key in ("functions", "formats", "extensions", "policy_paths")})
        out.append(entry)
    return out
