"""The hooks a govern plugin may implement: the whole plugin API.

A plugin is a module (or any object) with functions named after these
hooks, marked ``@govern.hookimpl``. Every hook is optional, takes no
arguments and returns a list (or dict) that govern merges with what the
other plugins return. The built-in packs, check functions and reporters
arrive through these same hooks (``govern.plugins.builtin``).

govern calls each plugin's hooks one at a time: a hook that raises, or
returns the wrong type or a malformed item, becomes a ``GOV-PLUGIN``
error naming the plugin and the others still run. A ``govern_*`` function
that matches no hook here (a misspelling) rejects the whole plugin.

The hook reference in docs/reference/hooks.md is generated from this module
(``govern.plugins.hookdocs``); a test fails when the two drift apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from pathlib import Path

    from govern.core.checks import CheckFunction
    from govern.core.model import Reporter, Rule

hookspec = pluggy.HookspecMarker("govern")


@hookspec
def govern_policy_paths() -> list[Path]:
    """Folders holding PolicyPack YAML files.

    Every ``*.yaml``/``*.yml`` file directly in each folder that holds
    ``kind: PolicyPack`` is loaded and validated against
    ``schemas/policy-pack.schema.json`` (sub-folders such as ``examples/``
    are not read as packs). Give absolute paths, e.g.
    ``[Path(__file__).parent / "policies"]``. The packs' rules may name any
    check function from any plugin in ``function:``; a pack error is a
    ``GOV-PLUGIN`` error located in the pack file.
    """


@hookspec
def govern_rules() -> list[Rule]:
    """Python rules: ``govern.core.model.Rule`` objects.

    Build one with ``Rule(id=, title=, domain=, severity=, accountable=,
    check=, applies=None, references=(), rationale=, remediation=,
    examples=())``. ``Rule.check(data, ctx)`` yields ``govern.core.model.Violation`` for one
    manifest (``data`` is the parsed manifest, ``ctx`` a
    ``govern.core.model.Context`` with ``as_of``; never read the clock).
    ``Rule.applies(data, ctx) -> bool`` is the optional precondition.
    ``id`` must look like ``ABC-001``, ``severity`` is error, warning or
    info. Give ``examples`` (``govern.core.model.Example``) so ``govern test``
    can run them. The rule's ``source`` is set to the plugin's name.
    Python rules are reported, waived and explained exactly like YAML rules.
    """


@hookspec
def govern_check_functions() -> list[CheckFunction]:
    """Named check functions usable as ``function:`` in YAML rules.

    Each is a ``govern.core.checks.CheckFunction(name, fn, options_schema,
    description)``. ``options_schema`` is the JSON Schema a rule's ``with:``
    must satisfy when its pack loads. ``fn(data, options, ctx)`` yields
    ``Violation`` objects and must never raise on odd data. Names are global:
    prefix them with your plugin's name (``childrens_services.defaults_off``). A dict
    ``{name: CheckFunction}`` is accepted too.
    """


@hookspec
def govern_reporters() -> list[Reporter]:
    """Reporters, each adding a ``--format`` value.

    Each is a ``govern.reporters.Reporter(name, render, commands,
    description, stream=None)``: ``render(report) -> str`` receives the run's
    ``govern.run.runner.Report`` and must be deterministic (same report, same
    bytes); ``commands`` lists the commands it serves (e.g. ``("check",)``).
    The optional ``stream(report)`` yields the same text in pieces, which
    govern writes as they come, so a large report is never held whole.
    Format names are global and the built-in ones cannot be replaced.
    A dict ``{name: Reporter}`` is accepted too.
    """


@hookspec
def govern_schema_extensions() -> dict[str, dict[str, Any]]:
    """``{name: JSON Schema}`` for the manifest's ``extensions.<name>`` block.

    The plugin that returns ``name`` owns ``extensions.<name>``: every
    manifest's block is validated against the schema (Draft 2020-12) and a
    mismatch is a ``GOV-SCHEMA`` error at its location. An ``extensions``
    key that no loaded plugin owns is a ``GOV-EXTENSION`` warning.
    """
