"""The hooks a govern plugin may implement.

Plugins implement any of these with ``@govern.hookimpl``; each returns a
list (or dict) that govern merges with what the other plugins return. The
built-in packs, functions and reporters arrive through these same hooks
(``govern.builtin``).
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("govern")


@hookspec
def govern_policy_paths():
    """Folders (``pathlib.Path``) holding PolicyPack YAML files.

    Every ``*.yaml``/``*.yml`` file directly in the folder that holds
    ``kind: PolicyPack`` is loaded and validated; its rules' ``function:``
    may name any check function contributed by any plugin.
    """


@hookspec
def govern_rules():
    """Python ``govern.model.Rule`` objects.

    ``Rule.check(data, ctx)`` yields ``govern.model.Violation``; ``applies``
    is the optional precondition. Python rules are reported, waived and
    explained exactly like YAML rules.
    """


@hookspec
def govern_check_functions():
    """Named check functions (``govern.functions.CheckFunction``) usable as ``function:`` in YAML rules.

    Each carries an options JSON Schema that a rule's ``with:`` must
    satisfy when its pack loads. ``fn(data, options, ctx)`` yields
    ``Violation``s.
    """


@hookspec
def govern_reporters():
    """Reporters (``govern.reporters.Reporter``), each adding a ``--format`` value.

    ``render(report) -> str`` must be deterministic: same report, same bytes.
    """


@hookspec
def govern_schema_extensions():
    """``{name: JSON Schema}`` for the manifest's ``extensions.<name>`` block.

    The plugin that returns ``name`` owns ``extensions.<name>``; manifests
    are validated against the schema and an unowned block is a warning.
    """
