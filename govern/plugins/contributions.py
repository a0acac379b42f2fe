"""What plugins' hooks return, checked item by item before it enters the registry.

A hook's value must have the documented type (``govern/hookspecs.py``) and
every item must be well formed: a ``Rule`` with a proper id and severity, a
``CheckFunction`` with a valid options schema, a ``Reporter`` whose name can
follow ``--format``, a valid JSON Schema per extension block, and nothing
another plugin already has. Anything else is a ``GOV-PLUGIN`` error naming
the plugin, located at its source where possible; the good items still load.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govern.core.errors import GovernError, Interrupted

if TYPE_CHECKING:
    from govern.plugins.registry import PluginInfo, Registry

_RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*-[0-9]{3,}$")
_DOMAIN = re.compile(r"^[a-z][a-z0-9-]*$")
_FORMAT = re.compile(r"^[a-z0-9][a-z0-9._-]*$")  # no ':' (--format NAME:FILE)
_EXTENSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def collect(
    name: str, root: Path | None, impls: dict[str, Callable[[], Any]], registry: Registry, info: PluginInfo
) -> None:
    """Call each hook of one plugin and add what it returned to ``registry``, item by item."""

    def fail(message: str, where: Any = None) -> None:
        file, line = where_object(where, root) if where is not None else (None, 1)
        registry.errors.append(plugin_error(name, message, file, line))

    def call(hook: str, mapping: bool) -> list[tuple[Any, Any]]:
        """(key, item) pairs a hook returned; key is None for list items."""
        function = impls.get(hook)
        if function is None:
            return []
        try:
            value = function()
            if value is None:
                return []
            if isinstance(value, Mapping):
                if not mapping:
                    raise _Malformed(f"{hook}() returned a dict, expected a list")
                return list(value.items())
            if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
                expected = "a dict" if hook == "govern_schema_extensions" else "a list"
                raise _Malformed(f"{hook}() returned {_a(value)}, expected {expected}")
            if hook == "govern_schema_extensions":
                raise _Malformed(f"{hook}() returned {_a(value)}, expected a dict {{name: JSON Schema}}")
            return [(None, item) for item in list(value)]
        except _Malformed as exc:
            fail(str(exc), function)
        except Interrupted:
            raise
        except BaseException as exc:  # SystemExit or KeyboardInterrupt from a hook is the plugin's failure
            file, line = where(exc, root)
            if file is None:
                file, line = where_object(function, root)
            registry.errors.append(plugin_error(name, f"{hook}() raised {describe(exc)}", file, line))
        return []

    def add(kind: str, value: str) -> None:
        info.contributes.setdefault(kind, []).append(value)

    for _, path in call("govern_policy_paths", False):
        if isinstance(path, (str, os.PathLike)) and Path(path).exists():
            registry.policy_paths.append((Path(path), name))
            add("policy_paths", display(str(path)))
        else:
            fail(
                f"govern_policy_paths() returned {path!r}, which is not an existing folder",
                impls["govern_policy_paths"],
            )

    for _, rule in call("govern_rules", False):
        problem = _rule_problem(rule)
        if problem:
            fail(f"govern_rules() returned {problem}", impls["govern_rules"])
            continue
        rule = dataclasses.replace(
            rule,
            source=name,
            references=tuple(rule.references),
            examples=tuple(rule.examples),
            aliases=tuple(rule.aliases),
        )
        registry.rules.append(rule)
        add("rules", rule.id)

    for key, function in call("govern_check_functions", True):
        # govern's own functions' options schemas are checked by its tests (tests/plugins/test_builtin_functions.py),
        # not on every run: 68 schemas cost a pre-commit check about 6 ms
        problem = _function_problem(key, function, trusted=name == "builtin")
        if problem:
            fail(f"govern_check_functions() returned {problem}", impls["govern_check_functions"])
        elif function.name in registry.functions:
            fail(
                f"check function {function.name!r} is already defined by another plugin",
                impls["govern_check_functions"],
            )
        else:
            registry.functions[function.name] = function
            add("functions", function.name)

    for key, reporter in call("govern_reporters", True):
        problem = _reporter_problem(key, reporter)
        if problem:
            fail(f"govern_reporters() returned {problem}", impls["govern_reporters"])
        elif reporter.name in registry.reporters:
            fail(f"format {reporter.name!r} is already defined by another plugin", impls["govern_reporters"])
        else:
            registry.reporters[reporter.name] = dataclasses.replace(reporter, commands=tuple(reporter.commands))
            add("formats", reporter.name)

    from govern.core.schemas import compile_schema, schema_problem

    for ext, schema in call("govern_schema_extensions", True):
        hook = impls["govern_schema_extensions"]
        if not isinstance(ext, str) or not _EXTENSION.fullmatch(ext):
            fail(f"govern_schema_extensions() returned the block name {ext!r}; names are letters, digits, _ . -", hook)
        elif not isinstance(schema, (dict, bool)):
            fail(f"the schema for extensions.{ext} is {_a(schema)}, not a JSON Schema object", hook)
        elif problem := schema_problem(schema):
            fail(f"the schema for extensions.{ext} is not a valid JSON Schema: {problem}", hook)
        elif ext in registry.extensions:
            fail(f"extensions.{ext} is already owned by plugin {registry.extension_owners[ext]}", hook)
        else:
            registry.extensions[ext] = compile_schema(schema)
            registry.extension_owners[ext] = name
            add("extensions", ext)


class _Malformed(Exception):
    pass


def _rule_problem(rule: Any) -> str | None:
    from govern.core.model import SEVERITIES, Example, Reference, Rule
    from govern.core.scope import WAIVER_POLICIES

    if not isinstance(rule, Rule):
        return f"{_a(rule)}, expected a govern.core.model.Rule"
    label = f"rule {rule.id!r}"
    if not isinstance(rule.id, str) or not _RULE_ID.fullmatch(rule.id):
        return f"{label}: the id must look like ABC-001"
    if not isinstance(rule.title, str) or not rule.title.strip():
        return f"{label}: it has no title"
    if not isinstance(rule.domain, str) or not _DOMAIN.fullmatch(rule.domain):
        return f"{label}: domain {rule.domain!r} is not a lower-case name"
    if rule.severity not in SEVERITIES:
        return f"{label}: severity {rule.severity!r} is not one of {', '.join(SEVERITIES)}"
    if rule.scope not in ("manifest", "portfolio"):
        return f"{label}: scope {rule.scope!r} is not manifest or portfolio"
    if not callable(rule.check):
        return f"{label}: check is not callable"
    if rule.applies is not None and not callable(rule.applies):
        return f"{label}: applies is not callable"
    if rule.accountable is not None and not isinstance(rule.accountable, str):
        return f"{label}: accountable must be a role name"
    if problem := _scope_problem(rule.applies_to):
        return f"{label}: applies_to {problem}"
    if rule.waiver_policy not in (None, *WAIVER_POLICIES):
        return f"{label}: waiver_policy {rule.waiver_policy!r} is not one of {', '.join(WAIVER_POLICIES)}"
    for attr, kind in (("references", Reference), ("examples", Example), ("aliases", str)):
        value = getattr(rule, attr)
        if (
            isinstance(value, (str, bytes))
            or not isinstance(value, (list, tuple))
            or not all(isinstance(v, kind) for v in value)
        ):
            return f"{label}: {attr} must be a list of {kind.__name__}"
    return None


def _scope_problem(applies_to: Any) -> str | None:
    """Why a plugin rule's ``applies_to`` is unusable (the pack schema checks YAML rules the same way), or None."""
    from govern.core.scope import scope_problem

    found = scope_problem(applies_to)
    if found is None:
        return None
    where, why = found
    return f"{why} (at applies_to{where})" if where else why


def _function_problem(key: Any, function: Any, trusted: bool = False) -> str | None:
    from govern.core.checks import CheckFunction
    from govern.core.schemas import schema_problem

    if not isinstance(function, CheckFunction):
        return f"{_a(function)}, expected a govern.core.checks.CheckFunction"
    if not isinstance(function.name, str) or not function.name.strip() or any(c.isspace() for c in function.name):
        return f"a check function named {function.name!r}; names are non-empty, without spaces"
    if key is not None and key != function.name:
        return f"check function {function.name!r} under the key {key!r}"
    if not callable(function.fn):
        return f"check function {function.name!r} whose fn is not callable"
    if not isinstance(function.options_schema, (dict, bool)):
        return f"check function {function.name!r} without an options schema"
    if not trusted and (problem := schema_problem(function.options_schema)):
        return f"check function {function.name!r} whose options schema is invalid: {problem}"
    return None


def _reporter_problem(key: Any, reporter: Any) -> str | None:
    from govern.core.model import Reporter

    if not isinstance(reporter, Reporter):
        return f"{_a(reporter)}, expected a govern.reporters.Reporter"
    if not isinstance(reporter.name, str) or not _FORMAT.fullmatch(reporter.name):
        return f"a reporter named {reporter.name!r}; format names are lower-case letters, digits, . _ -"
    if key is not None and key != reporter.name:
        return f"reporter {reporter.name!r} under the key {key!r}"
    if not callable(reporter.render):
        return f"reporter {reporter.name!r} whose render is not callable"
    commands = reporter.commands
    if (
        isinstance(commands, str)
        or not isinstance(commands, (list, tuple))
        or not commands
        or not all(isinstance(c, str) for c in commands)
    ):
        return f"reporter {reporter.name!r} whose commands are not a list of command names"
    return None


# -- messages and locations ---------------------------------------------------------------------


def plugin_error(name: str, message: str, file: str | None = None, line: int = 1) -> GovernError:
    return GovernError(
        f"plugin {name}: {message}", display(file) if file else f"<plugin {name}>", line, rule="GOV-PLUGIN"
    )


def _a(value: Any) -> str:
    kind = type(value).__name__
    return f"{'an' if kind[:1].lower() in 'aeiou' else 'a'} {kind}"


def describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _under(filename: str, root: Path) -> bool:
    try:
        path = Path(filename).resolve()
        root = root.resolve()
    except OSError:
        return False
    return path == root or root in path.parents


def where(exc: BaseException, root: Path | None) -> tuple[str | None, int]:
    """The plugin's own line an exception came from (a syntax error's line, else the deepest frame)."""
    if isinstance(exc, SyntaxError) and exc.filename and (root is None or _under(exc.filename, root)):
        return exc.filename, exc.lineno or 1
    if root is not None:
        import traceback

        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if _under(frame.filename, root):
                return frame.filename, frame.lineno or 1
    return None, 1


def where_object(obj: Any, root: Path | None = None) -> tuple[str | None, int]:
    """Where a function (or module) is defined (asked only to locate a problem: inspect loads late)."""
    import inspect
    import linecache

    target = inspect.unwrap(obj) if callable(obj) else obj
    try:
        file = inspect.getsourcefile(target) or inspect.getfile(target)
    except TypeError:
        return (str(root) if root is not None and root.is_file() else None), 1
    code = getattr(target, "__code__", None)
    if code is None:
        return file, 1
    line = code.co_firstlineno
    while line < code.co_firstlineno + 20 and linecache.getline(file, line).lstrip().startswith("@"):
        line += 1  # point at the `def`, not its decorators
    return file, line


def display(path: str | None) -> str | None:
    if path is None:
        return None
    from govern.core.paths import display_path

    return display_path(str(path))
