"""govern's own packs, check functions and reporters, registered as a plugin.

The core uses exactly the hooks that department plugins use, so every hook
is exercised by the core itself. Its hooks are unmarked ``govern_*``
functions, which the plugin manager takes as hooks just as it does a
plugin's (``govern.plugins.manager``): marking them would import pluggy on every
run, and a run with no plugin but these needs no plugin manager at all.
"""

from __future__ import annotations

from govern.core.resources import policies_dir


def govern_policy_paths():
    return [policies_dir()]


def govern_rules():
    """Python rules of the core: a domain module's optional ``RULES`` list (govern/policy/functions/<domain>.py, govern/risk/functions.py).

    Almost every core rule is YAML; Python is for checks no pack can say,
    such as portfolio-wide counts.
    """
    rules = []
    for module in _domain_function_modules():
        rules.extend(getattr(module, "RULES", ()))
    return rules


def govern_check_functions():
    from govern.policy.functions import general as core

    functions = dict(core.FUNCTIONS)
    for module in _domain_function_modules():
        functions.update(module.FUNCTIONS)
    return list(functions.values())


# The modules that hold each domain's check functions (``general`` is imported by all): the policy
# domains' in govern/policy/functions/, and risk's in govern/risk/functions.py. Named rather than
# discovered: pkgutil's discovery imports inspect on every cold start, and
# tests/cli/test_coldstart.py checks this list against the package's files.
DOMAIN_FUNCTION_MODULES = tuple(f"govern.policy.functions.{name}" for name in (
    "accessibility", "ai", "benefits", "commercial", "data", "equality", "governance", "legacy", "openness", "privacy", "records", "security", "spend")) + ("govern.risk.functions",)


def _domain_function_modules():
    import importlib

    for name in DOMAIN_FUNCTION_MODULES:
        yield importlib.import_module(name)


# The built-in formats: (module in govern.reporters, name, commands, description). A module is imported
# only when its format renders (a pre-commit check never pays for XML, HTML or CSV); the name, commands
# and description are what that module's REPORTER says (tests/cli/test_coldstart.py checks they agree).
BUILTIN_FORMATS = (
    ("text", "text", ("check",), "file:line:col  SEVERITY  RULE  message (default)"),
    ("json_", "json", ("check", "portfolio"), "the JSON report (schemas/report.schema.json)"),
    ("sarif", "sarif", ("check",), "SARIF 2.1.0 for GitHub code scanning"),
    ("junit", "junit", ("check",), "JUnit XML for CI test dashboards (one test case per manifest and rule)"),
    ("github", "github", ("check",), "GitHub Actions workflow annotations"),
    ("markdown", "markdown", ("check",), "a pull-request comment (GitHub-flavoured Markdown)"),
    ("table", "table", ("portfolio",), "the board tables as plain text (default for portfolio)"),
    ("html", "html", ("portfolio",), "the board pack: one self-contained, printable HTML page"),
    ("csv_", "csv", ("portfolio",), "the board tables as one CSV (a `table` column says which)"),
)  # portfolio formats; its json/markdown: govern.cli.portfolio


# A format whose report differs by command: (module, command) -> the module that renders it.
BY_COMMAND = {("json_", "portfolio"): "portfolio_json"}


def _reporter(module: str, report):
    """The ``REPORTER`` of ``govern.reporters.<module>`` for this report's command, imported now."""
    import importlib

    module = BY_COMMAND.get((module, getattr(report, "command", None)), module)
    return importlib.import_module(f"govern.reporters.{module}").REPORTER


def _deferred(module: str):
    """``render`` of a built-in format: imports ``govern.reporters.<module>`` on its first call."""

    def render(report, **options):
        return _reporter(module, report).render(report, **options)

    render.__qualname__ = render.__name__ = f"render_{module.rstrip('_')}"
    return render


def _deferred_stream(module: str):
    """``stream`` of a built-in format: the module's own, or its whole rendering as one piece."""

    def stream(report):
        reporter = _reporter(module, report)
        if reporter.stream is not None:
            yield from reporter.stream(report)
        else:
            yield reporter.render(report)

    stream.__qualname__ = stream.__name__ = f"stream_{module.rstrip('_')}"
    return stream


def govern_reporters():
    from govern.core.model import Reporter

    return [Reporter(name, _deferred(module), commands, description, _deferred_stream(module))
            for module, name, commands, description in BUILTIN_FORMATS]


def govern_schema_extensions():
    """The core owns no ``extensions.<name>`` block: they are for departments."""
    return {}
