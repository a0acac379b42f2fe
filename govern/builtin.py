"""govern's own packs, check functions and reporters, registered as a plugin.

The core uses exactly the hooks that department plugins use, so every hook
is exercised by the core itself.
"""

from __future__ import annotations

from govern import hookimpl
from govern.resources import policies_dir


@hookimpl
def govern_policy_paths():
    return [policies_dir()]


@hookimpl
def govern_rules():
    return []


@hookimpl
def govern_check_functions():
    from govern.functions import core

    functions = dict(core.FUNCTIONS)
    for module in _domain_function_modules():
        functions.update(module.FUNCTIONS)
    return list(functions.values())


def _domain_function_modules():
    import importlib
    import pkgutil

    import govern.functions as package

    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name != "core":
            yield importlib.import_module(f"govern.functions.{info.name}")


@hookimpl
def govern_reporters():
    from govern.reporters import json_, text

    return [text.REPORTER, json_.REPORTER]


@hookimpl
def govern_schema_extensions():
    return {}
