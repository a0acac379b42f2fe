"""Configuration: command-line options over ``govern.yaml`` / ``[tool.govern]`` over defaults.

Discovery follows ruff: ``--config FILE``, else the first folder, from the
current one upwards, that holds ``govern.yaml`` or a ``pyproject.toml`` with
a ``[tool.govern]`` table. The file is validated against
``schemas/config.schema.json``; a mistake is a ``GOV-CONFIG`` error located
at ``file:line:col`` (exit 2). Paths in a configuration file are relative to
the folder that holds it. A file applies to every run, so it may not switch
off or lower a rule that is not waivable (``refuse_switching_off``); the
command line's ``--skip``/``--only`` may, for one run.

Just over 400 lines: every configuration key's default, validation and location in one module, so
`govern config` and the reference generated from it cannot disagree.
"""

from __future__ import annotations

import argparse
import copy
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govern.core.errors import GovernError
from govern.core.defaults import DEFAULTS
from govern.core.loader import DEFAULT_MAX_FILE_SIZE


# Every setting `govern config` shows, with its default (DEFAULTS above win where they overlap).
SETTINGS: dict[str, Any] = {
    "policies": [],
    "packs": {"enable": [], "disable": []},
    "only": [],
    "skip": [],
    "severity": {},
    "appetite": None,  # None: the bundled statement
    "waivers": None,
    "fail_on": "error",
    "format": "text",
    "classification": {},
    "home_country": "GB",
    "plugins": {"enable": [], "disable": [], "autoload": True},
    "max_file_size": DEFAULT_MAX_FILE_SIZE,
    "jobs": None,  # None: every core this process may use
    "organisation": None,  # {type, nation}: the body, for manifests that do not say (docs/design/semantics.md 8.1)
    "business_case": {},  # section 9 govern defaults: core.defaults.DEFAULTS holds the values
    "delegated_authority_limit": None,
    "spend_control": {},
    "security": {},  # govern defaults for the security pack: core.defaults.DEFAULTS holds the values
    "board": {"decision_window_days": 30, "sro_limit": 3},  # govern portfolio: docs/guides/board-pack.md
}
MERGED = ("packs", "classification", "plugins", "business_case", "spend_control", "security", "board")  # settings whose keys are merged one level deep
PATH_SETTINGS = ("policies", "appetite", "waivers")
CONFIG_NAME = "govern.yaml"
PYPROJECT = "pyproject.toml"
COMMAND_LINE = "command line"
DEFAULT = "default"

PORTFOLIO_FAIL_ON = "never"


@dataclass(frozen=True)
class RuleSetting:
    """An entry of a configuration file that switches rules off or changes a severity, located in it."""

    setting: str  # severity, skip, only, packs.disable or packs.enable
    name: str  # the rule id, domain or pack it names
    value: str | None  # the severity, for `severity`
    file: str
    line: int
    column: int
    pointer: str


@dataclass
class ConfigFile:
    """A configuration file that was found and validated."""

    path: str  # as shown to the user
    folder: Path
    values: dict[str, Any] = field(default_factory=dict)
    rule_settings: list[RuleSetting] = field(default_factory=list)


@dataclass
class Effective:
    """The settings a run uses and where each came from (default, the file, or the command line)."""

    values: dict[str, Any]
    sources: dict[str, str]
    file: ConfigFile | None = None


def apply_config(options: Any, args: argparse.Namespace, command: str) -> None:
    """Fill ``options`` from the command line, then the configuration file, then defaults."""
    effective = resolve(args, command)
    values = effective.values
    config = {key: copy.deepcopy(value) for key, value in values.items() if value is not None}
    if command != "check":
        config.pop("format", None)  # `format` names a check format; other commands have their own
    options.config = config
    options.policies = list(values["policies"])
    options.only = list(values["only"])
    options.skip = list(values["skip"])
    options.appetite = values["appetite"]
    options.waivers = values["waivers"]
    options.fail_on = values["fail_on"]
    options.max_file_size = values["max_file_size"]
    options.jobs = values.get("jobs")
    options.severity = dict(values["severity"])
    settings = effective.file.rule_settings if effective.file else []
    # only/skip given on the command line replace the file's: those entries then switch nothing off
    options.rule_settings = [s for s in settings if effective.sources.get(s.setting) != COMMAND_LINE]
    options.no_plugins = bool(getattr(args, "no_plugins", False))  # `plugins` settings: govern.plugins.manager.load_for
    options.config_file = effective.file.path if effective.file else None


def resolve(args: argparse.Namespace, command: str = "check") -> Effective:
    """Command line over the configuration file over the defaults, setting by setting."""
    defaults = copy.deepcopy({**SETTINGS, **DEFAULTS})
    if command == "portfolio":
        defaults["fail_on"] = PORTFOLIO_FAIL_ON
    file = find_and_read(getattr(args, "config", None))
    values = dict(defaults)
    sources = {key: DEFAULT for key in values}
    if file is not None:
        for key, value in file.values.items():
            if key == "fail_on" and command == "portfolio":
                continue  # a report: only --fail-on makes `govern portfolio` fail (docs/reference/exit-codes.md)
            values[key] = {**values[key], **value} if key in MERGED else value
            sources[key] = file.path
    for key, value in command_line(args, values).items():
        values[key] = value
        sources[key] = COMMAND_LINE
    return Effective(values, sources, file)


def command_line(args: argparse.Namespace, values: dict[str, Any]) -> dict[str, Any]:
    """The settings given as options; a list option replaces the configured list."""
    given: dict[str, Any] = {}
    for key in ("policies", "only", "skip", "format"):
        if getattr(args, key, None):
            given[key] = list(getattr(args, key)) if key != "format" else ", ".join(args.format)
    for key in ("appetite", "waivers", "fail_on", "max_file_size", "jobs"):
        if getattr(args, key, None) is not None:
            given[key] = getattr(args, key)
    if getattr(args, "no_plugins", False):
        given["plugins"] = {**values["plugins"], "autoload": False}
    return given


# -- finding and reading the file ------------------------------------------------


def find_and_read(explicit: str | None, start: Path | None = None) -> ConfigFile | None:
    if explicit:
        if not os.path.isfile(explicit):
            raise GovernError("configuration file not found", explicit, rule="GOV-CONFIG")
        return read_config(Path(explicit))
    found = find_config(start or Path.cwd())
    return read_config(found) if found is not None else None


def find_config(start: Path) -> Path | None:
    """The first ``govern.yaml``, or ``pyproject.toml`` with ``[tool.govern]``, from ``start`` upwards."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
        candidate = folder / PYPROJECT
        if candidate.is_file() and _has_tool_govern(candidate):
            return candidate
    return None


def _has_tool_govern(path: Path) -> bool:
    import tomllib

    from govern.core.loader import read_source

    try:
        text, _ = read_source(str(path))  # bounded: a huge or special file is never read whole
    except GovernError:
        return False
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        return "tool.govern" in text  # broken, but meant for govern: read_config reports where
    tool = data.get("tool")
    return isinstance(tool, dict) and "govern" in tool


def show_path(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when possible."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        rel = str(path)
    return rel.replace(os.sep, "/")


def read_config(path: Path) -> ConfigFile:
    """Load and validate one configuration file; any problem is a located GOV-CONFIG error."""
    display = show_path(path)
    if path.suffix == ".toml":
        values, locate = _read_toml(path, display)
    else:
        values, locate = _read_yaml(path, display)
    _validate(values, display, locate)
    folder = path.resolve().parent
    return ConfigFile(display, folder, _resolve_paths(values, folder), _rule_settings(values, display, locate))


def _rule_settings(values: dict[str, Any], display: str, locate) -> list[RuleSetting]:
    """Every entry that switches rules off or changes a severity, in the order of the file's settings."""
    found = []

    def add(setting: str, name: str, value: str | None, pointer: str) -> None:
        found.append(RuleSetting(setting, name, value, display, *locate(pointer), pointer))

    for rule_id, severity in (values.get("severity") or {}).items():
        add("severity", rule_id, severity, "/severity/" + rule_id.replace("~", "~0").replace("/", "~1"))
    for key in ("skip", "only"):
        for i, name in enumerate(values.get(key) or []):
            add(key, name, None, f"/{key}/{i}")
    for key in ("disable", "enable"):
        for i, name in enumerate((values.get("packs") or {}).get(key) or []):
            add(f"packs.{key}", name, None, f"/packs/{key}/{i}")
    return found


def _read_yaml(path: Path, display: str):
    from govern.core.loader import load_file

    loaded = load_file(str(path), display)
    for error in loaded.errors:
        raise GovernError(error.message, display, error.line, error.column, rule="GOV-CONFIG")
    documents = [doc for doc in loaded.documents if doc.data is not None]
    if len(documents) > 1:
        raise GovernError("a configuration file holds one YAML document", display, documents[1].line, documents[1].column, rule="GOV-CONFIG")
    if not documents:
        return {}, lambda pointer: (1, 1)
    doc = documents[0]
    if not isinstance(doc.data, dict):
        raise GovernError("configuration must be a mapping of settings", display, doc.line, doc.column, rule="GOV-CONFIG")
    return doc.data, doc.locate


def _read_toml(path: Path, display: str):
    import tomllib

    from govern.core.loader import read_source

    try:
        text, _ = read_source(str(path))
        data = tomllib.loads(text)
    except GovernError as exc:
        raise GovernError(f"cannot read configuration: {exc.message}", display, exc.line, exc.column, rule="GOV-CONFIG") from None
    except RecursionError:
        raise GovernError("TOML is nested too deeply to be a configuration", display, rule="GOV-CONFIG") from None
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"at line (\d+), column (\d+)", str(exc))
        line, column = (int(where.group(1)), int(where.group(2))) if where else (1, 1)
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise GovernError(f"TOML syntax error: {message}", display, line, column, rule="GOV-CONFIG") from None
    prefix: tuple[str, ...] = ()
    tool = data.get("tool")
    if isinstance(tool, dict) and "govern" in tool:
        data, prefix = tool["govern"], ("tool", "govern")
    elif path.name == PYPROJECT:
        raise GovernError("pyproject.toml has no [tool.govern] table", display, rule="GOV-CONFIG")
    if not isinstance(data, dict):
        raise GovernError("[tool.govern] must be a table of settings", display, rule="GOV-CONFIG")
    return data, _toml_locator(text, prefix)


# compiled where used: most runs read no pyproject.toml, and compiling is a cold-start cost
_TABLE = r"^\s*\[(?!\[)\s*([^\]]+?)\s*\]"
_KEY = r"^(\s*)((?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)\s*="


def _split_key(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in re.findall(r"\"[^\"]*\"|'[^']*'|[^.]+", dotted))


def _toml_locator(text: str, prefix: tuple[str, ...]):
    """Line and column of a setting by scanning the text: TOML parsers keep no positions."""
    split = _split_key
    table_line, key_line = re.compile(_TABLE).match, re.compile(_KEY).match
    positions: dict[tuple[str, ...], tuple[int, int]] = {}
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), 1):
        if match := table_line(line):
            table = split(match.group(1))
            positions.setdefault(table, (number, line.index("[") + 1))
        elif match := key_line(line):
            positions.setdefault(table + split(match.group(2)), (number, len(match.group(1)) + 1))

    def locate(pointer: str) -> tuple[int, int]:
        tokens = tuple(t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]) if pointer else ()
        key = prefix + tokens
        while len(key) >= len(prefix):
            if key in positions:
                return positions[key]
            if not key:
                break
            key = key[:-1]
        return (1, 1)

    return locate


def _validate(values: dict[str, Any], display: str, locate) -> None:
    from govern.core.schemas import document_validator, root_causes

    errors = sorted(document_validator("config").iter_errors(values), key=lambda e: [str(p) for p in e.absolute_path])
    for pointer, detail, _ in root_causes(errors):  # a misspelt key first, never reported missing as well
        line, column = locate(pointer)
        raise GovernError(f"invalid configuration: {detail}", display, line, column, rule="GOV-CONFIG", path=pointer)


def _resolve_paths(values: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Paths in the file are relative to its folder; the run sees them relative to the current one."""
    out = dict(values)

    def resolve(value: str) -> str:
        return show_path(folder / os.path.expanduser(value))

    for key in PATH_SETTINGS:
        if key in out:
            out[key] = [resolve(v) for v in out[key]] if isinstance(out[key], list) else resolve(out[key])
    if "format" in out:
        name, sep, target = out["format"].partition(":")
        if sep and target:
            out["format"] = f"{name}:{resolve(target)}"
    return out


# -- rules that cannot be waived cannot be configured away (docs/design/semantics.md) ------------------------


def refuse_switching_off(rules: list[Any], settings: list[RuleSetting], only: list[str], skip: list[str]) -> None:
    """Raise a located GOV-CONFIG error when configuration would switch off or lower a rule that is not waivable.

    ``rules`` are every rule loaded, before selection; ``only``/``skip`` the run's. A rule the
    command line leaves out (``--only``/``--skip``) is an explicit choice for one run, recorded in
    provenance, and is allowed; a configuration file applies to every run and may not. A domain
    or pack switched off in configuration that holds non-waivable rules is an error naming them.
    """
    from govern.core.model import SEVERITY_RANK

    config_only = [s for s in settings if s.setting == "only"]
    cli_only = [] if config_only else only
    cli_skip = [] if any(s.setting == "skip" for s in settings) else skip
    enabled = {s.name for s in settings if s.setting == "packs.enable"}
    blamed: dict[RuleSetting, list[Any]] = {}
    for rule in rules:
        names = {rule.id, rule.domain, *rule.aliases}
        if rule.waivable or (cli_only and not names.intersection(cli_only)) or names.intersection(cli_skip):
            continue
        for s in settings:
            if s.setting == "severity":
                hit = s.name == rule.id and (s.value == "off" or SEVERITY_RANK[s.value] < SEVERITY_RANK[rule.severity])
            elif s.setting == "skip":
                hit = s.name in names
            elif s.setting == "only":
                hit = s is config_only[0] and not names.intersection(o.name for o in config_only)
            elif s.setting == "packs.disable":
                hit = rule.pack is not None and s.name == rule.pack
            else:
                hit = rule.pack is not None and rule.pack not in enabled and s is _first(settings, "packs.enable")
            if hit:
                blamed.setdefault(s, []).append(rule)
                break
    if blamed:
        setting, hit = next((s, blamed[s]) for s in settings if s in blamed)
        listed = ", ".join(s.name for s in settings if s.setting == setting.setting)
        label = f"{setting.setting}: [{listed}]" if setting.setting in ("only", "packs.enable") else ""
        raise GovernError(_refusal(setting, hit, label), setting.file, setting.line, setting.column,
                          rule="GOV-CONFIG", path=setting.pointer)


def _first(settings: list[RuleSetting], kind: str) -> RuleSetting | None:
    return next((s for s in settings if s.setting == kind), None)


def _refusal(setting: RuleSetting, rules: list[Any], label: str) -> str:
    ids = ", ".join(sorted(rule.id for rule in rules))
    them = "them" if len(rules) > 1 else "it"
    kind = "rules that cannot be waived" if len(rules) > 1 else "a rule that cannot be waived"
    if setting.setting == "severity" and setting.value != "off":
        return (f"`severity: {setting.name}: {setting.value}` would lower {ids} from {rules[0].severity}, {kind} "
                "(waivable: false); configuration may not switch off or downgrade it: remove the setting")
    if setting.setting == "severity":
        action = f"`severity: {setting.name}: off` would switch off"
    elif setting.setting in ("only", "packs.enable"):
        action = f"`{label}` leaves out"
    else:
        action = f"`{setting.setting}: {setting.name}` would switch off"
    return (f"{action} {ids}, {kind} (waivable: false); configuration may not switch off or downgrade {them}: "
            f"remove the setting, or leave {them} out of one run with --skip or --only on the command line "
            "(recorded in the report's provenance)")
