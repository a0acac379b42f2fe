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
    """Python rules of the core: a domain module's optional ``RULES`` list (govern/functions/<domain>.py).

    Almost every core rule is YAML; Python is for checks no pack can say,
    such as portfolio-wide counts.
    """
    rules = []
    for module in _domain_function_modules():
        rules.extend(getattr(module, "RULES", ()))
    return rules


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
    from govern.reporters import csv_, github, html, json_, junit, markdown, sarif, table, text

    return [text.REPORTER, json_.REPORTER, sarif.REPORTER, junit.REPORTER, github.REPORTER, markdown.REPORTER,
            table.REPORTER, html.REPORTER, csv_.REPORTER]  # portfolio formats; its json/markdown: govern.portfolio_cli


@hookimpl
def govern_schema_extensions():
    """The core owns no ``extensions.<name>`` block: they are for departments."""
    return {}
