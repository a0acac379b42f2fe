"""Policy packs: YAML files of declarative rules, compiled once per run.

A pack is validated against ``schemas/policy-pack.schema.json`` and then
rule by rule: each ``when``/``require`` must be a valid JSON Schema, each
``function`` must exist and its ``with`` options must satisfy that
function's own options schema. Any problem is a ``GovernError`` located in
the pack file; a bad rule is never silently skipped.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from govern.core.errors import GovernError
from govern.core.checks import CheckFunction
from govern.policy import packcache
from govern.core.loader import DEFAULT_MAX_FILE_SIZE, Document, load_file
from govern.core.model import Example, Reference, Rule, Violation
from govern.core.schemas import (compile_schema, deferred_schema, describe, document_validator, plain_key, root_causes,
                                  schema_problem)


def pack_files(folder: Path) -> list[Path]:
    """Pack files of a folder (not recursive: ``examples/`` beside packs hold manifests).

    Every visible ``*.yaml``/``*.yml`` entry that is not a folder is returned, so one that
    cannot be read (a broken link, a FIFO) is reported by the loader, never silently dropped.
    """
    if not folder.is_dir():
        return [folder]
    return sorted(
        p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith(".") and not p.is_dir()
    )


def load_packs(
    folders: Iterable[Path], functions: dict[str, CheckFunction], source: str = "builtin", examples: bool = False
) -> tuple[list[Rule], list[GovernError], list[dict[str, Any]]]:
    """Rules from every PolicyPack document in ``folders``, with errors and pack metadata.

    Examples are built only when asked (``govern test``, ``explain``): a check
    run has no use for them.
    """
    rules: list[Rule] = []
    errors: list[GovernError] = []
    packs: list[dict[str, Any]] = []
    for folder in folders:
        folder = Path(folder)
        if not folder.exists():
            errors.append(GovernError("policy folder does not exist", str(folder)))
            continue
        try:
            paths = pack_files(folder)
        except OSError as exc:
            errors.append(GovernError(f"cannot read policy folder: {exc.strerror or exc}", str(folder)))
            continue
        for path in paths:
            if not examples and (known := _from_cache(path, functions, source)) is not None:
                for pack_rules, meta in known:
                    rules.extend(pack_rules)
                    packs.append(meta)
                continue
            loaded = load_file(str(path), _display(path))
            errors.extend(loaded.errors)
            clean = not loaded.errors
            compiled = []
            for doc in loaded.documents:
                if doc.kind != "PolicyPack":
                    continue
                try:
                    pack_rules, meta = compile_pack(doc, path, functions, source, examples)
                except GovernError as exc:
                    errors.append(exc)
                    clean = False
                    continue
                meta["sha256"] = loaded.sha256
                rules.extend(pack_rules)
                packs.append(meta)
                compiled.append(doc)
            if clean:
                packcache.remember(loaded.sha256, compiled, functions)
    packcache.save()
    return rules, errors, packs


def _from_cache(path: Path, functions: dict[str, CheckFunction], source: str) -> list[tuple[list[Rule], dict[str, Any]]] | None:
    """The packs of a file validated by an earlier run (``govern.policy.packcache``), or None to load it in full.

    Only what depends on this run is checked again (the check functions named and their
    options); any problem at all is left to the full load, which locates it exactly.
    """
    found = packcache.lookup(path, _display(path), DEFAULT_MAX_FILE_SIZE)
    if found is None:
        return None
    sha, documents = found
    out = []
    try:
        for doc, validated in documents:
            pack_rules, meta = compile_pack(doc, path, functions, source, trusted=True, validated=validated)
            meta["sha256"] = sha
            out.append((pack_rules, meta))
    except Exception:
        return None
    return out


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def _schema_errors(doc: Document, schema_name: str) -> GovernError | None:
    validator = document_validator(schema_name)
    errors = sorted(validator.iter_errors(doc.data), key=lambda e: list(map(str, e.absolute_path)))
    if not errors:
        return None
    pointer, message, _ = (root_causes(errors) or [("", errors[0].message, None)])[0]
    line, column = doc.locate(pointer)
    return GovernError(f"invalid {doc.kind}: {message}", doc.file, line, column)


def compile_pack(
    doc: Document, path: Path, functions: dict[str, CheckFunction], source: str, examples: bool = False,
    trusted: bool = False, validated: list[Any] = (),
) -> tuple[list[Rule], dict[str, Any]]:
    """``trusted``: the document was validated by an earlier run (``govern.policy.packcache``); its
    schema checks are skipped and its rules' schemas compiled when first used. ``validated``:
    for each rule, the canonical JSON of the options schema its ``with`` was found to satisfy;
    when the function's options schema is still that one, the options are not checked again."""
    problem = None if trusted else _schema_errors(doc, "policy-pack")
    if problem:
        raise problem
    data = doc.data
    meta = data["metadata"]
    examples_cfg = data.get("examples", {})
    base = None
    if examples and "base" in examples_cfg:
        base = _load_example_file(path.parent / examples_cfg["base"], doc, "/examples/base")
    default_as_of = _date(examples_cfg.get("as_of"))
    rules = []
    seen: set[str] = set()
    for i, spec in enumerate(data["rules"]):
        pointer = f"/rules/{i}"
        if spec["id"] in seen:
            line, column = doc.locate(f"{pointer}/id")
            raise GovernError(f"rule {spec['id']} is defined twice in this pack", doc.file, line, column)
        seen.add(spec["id"])
        rules.append(
            compile_rule(spec, doc, pointer, meta, functions, source, path.parent, base, default_as_of, examples,
                         trusted, validated[i] if trusted and i < len(validated) else None)
        )
    info = {"name": meta["name"], "version": str(meta.get("version", "")), "file": doc.file, "source": source}
    return rules, info


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else None


def compile_rule(
    spec: dict[str, Any],
    doc: Document,
    pointer: str,
    meta: dict[str, Any],
    functions: dict[str, CheckFunction],
    source: str,
    folder: Path,
    base: dict[str, Any] | None,
    default_as_of: dt.date | None,
    examples: bool = True,
    trusted: bool = False,
    validated: str | None = None,
) -> Rule:
    def fail(message: str, sub: str = "") -> GovernError:
        line, column = doc.locate(pointer + sub)
        return GovernError(f"rule {spec['id']}: {message}", doc.file, line, column)

    problem_in = (lambda schema: None) if trusted else schema_problem
    compiled = deferred_schema if trusted else compile_schema
    for key in ("when", "require"):
        if key in spec and (problem := problem_in(spec[key])):
            raise fail(f"`{key}` is not a valid JSON Schema: {problem}", f"/{key}")
    overrides = []
    for j, override in enumerate(spec.get("severities", [])):
        if problem := problem_in(override["when"]):
            raise fail(f"severity override is not a valid JSON Schema: {problem}", f"/severities/{j}/when")
        overrides.append((compiled(override["when"]), override["severity"]))

    checks = []
    if "require" in spec:
        checks.append(_require_check(compiled(spec["require"])))
    if "function" in spec:
        function = functions.get(spec["function"])
        if function is None:
            known = ", ".join(sorted(functions)) or "none"
            raise fail(f"unknown check function {spec['function']!r} (known: {known})", "/function")
        options = spec.get("with", {})
        done = validated is not None and validated == plain_key(function.options_schema)
        errors = [] if done else list(compile_schema(function.options_schema).iter_errors(options))
        if errors:
            sub, message = _option_problem(function, errors[0])
            raise fail(f"options for {function.name}: {message}", "/with" + sub)
        checks.append(_function_check(function, options))
    if not checks:
        raise fail("needs `require` or `function`")

    when = compiled(spec["when"]) if "when" in spec else None
    line, column = doc.locate(pointer)
    return Rule(
        id=spec["id"],
        title=spec["title"],
        domain=spec.get("domain", meta.get("domain")),
        severity=spec["severity"],
        accountable=spec.get("accountable"),
        check=_combine(checks, overrides, spec["severity"], (spec["function"],) if "function" in spec else ()),
        applies=(lambda data, ctx, _v=when: _v.is_valid(data)) if when is not None else None,
        references=tuple(_reference(ref) for ref in spec.get("references", [])),
        rationale=spec.get("rationale", "").strip(),
        remediation=spec.get("remediation", "").strip(),
        waivable=spec.get("waivable", True),
        scope=spec.get("scope", "manifest"),
        source=source,
        pack=meta["name"],
        help_uri=spec.get("help_uri"),
        message=spec.get("message"),
        effective_from=_date(spec.get("effective_from")),
        retired_on=_date(spec.get("retired_on")),
        aliases=tuple(spec.get("aliases", [])),
        examples=_examples(spec, doc, pointer, folder, base, default_as_of) if examples else (),
        defaults=spec.get("defaults"),
        location=(doc.file, line, column),
        applies_to=_scope(spec.get("applies_to")),
        waiver_policy=spec.get("waiver_policy"),
        changed=_changed(spec.get("changed"), meta),
        as_live_while_holding_data=spec.get("as_live_while_holding_data", False),
        severity_by_scope=tuple((_scope(entry["applies_to"]) or {}, entry["severity"])
                                for entry in spec.get("severity_by_scope", [])),
    )


def _changed(text: str | None, meta: dict[str, Any]) -> str | None:
    """A rule's ``changed`` text, led by the pack's major version: "changed in pack version 2: ..."."""
    if not text:
        return None
    major = str(meta.get("version", "")).split(".")[0] or "?"
    return f"changed in pack version {major}: {' '.join(text.split())}"


def _scope(value: dict[str, Any] | None) -> dict[str, Any] | None:
    """``applies_to`` as tuples (already validated by the pack schema)."""
    from govern.core.scope import normalised

    return normalised(value)


def _reference(ref: dict[str, Any]) -> Reference:
    """A reference of the pack; ``in_force_from``/``in_force_until`` become dates (law that changes on a date)."""
    dated = {k: _date(ref.get(k)) for k in ("in_force_from", "in_force_until")}
    return Reference(**{**ref, **dated})


def _combine(checks, overrides, severity, functions: tuple[str, ...] = ()):
    """One check from a rule's ``require`` and ``function``; ``check.functions`` names the
    check functions it calls, so ``explain`` and the reference can say which rules use one."""

    def check(data: Any, ctx: Any) -> Iterable[Violation]:
        chosen = None
        for validator, override in overrides:
            if validator.is_valid(data):
                chosen = override
                break
        for one in checks:
            for violation in one(data, ctx):
                if chosen and violation.severity is None:
                    violation = Violation(violation.path, violation.message, chosen, violation.accountable,
                                          violation.also_cites)
                yield violation

    check.functions = functions  # type: ignore[attr-defined]
    return check


def _option_problem(function: CheckFunction, error: Any) -> tuple[str, str]:
    """(pointer within ``with``, sentence) for options a function refuses; an unknown option is
    located at itself, with the closest option and every option the function takes."""
    from govern.core.hints import listing, suggest

    sub, message = (describe(error) or [("", error.message)])[0]
    allowed = list(function.options_schema.get("properties", {}))
    if error.validator == "additionalProperties" and not error.absolute_path:
        key = sub[1:].replace("~1", "/").replace("~0", "~")
        guess = suggest(key, allowed)
        mean = f"did you mean {guess!r}? " if guess else ""
        takes = f"it takes {listing(allowed)}" if allowed else "it takes no options"
        return sub, f"unknown option {key!r} ({mean}{takes})"
    if error.validator == "required" and allowed:
        return sub, f"{message} (it takes {listing(allowed)})"
    return sub, message


def _function_check(function: CheckFunction, options: dict[str, Any]):
    def check(data: Any, ctx: Any) -> Iterable[Violation]:
        return function.fn(data, options, ctx)

    return check


def _require_check(validator):
    def check(data: Any, ctx: Any) -> Iterable[Violation]:  # noqa: ARG001
        seen: set[str] = set()
        for error in validator.explain(data):
            for path, detail in describe(error):
                if path not in seen:
                    seen.add(path)
                    yield Violation(path, detail)

    return check

def _examples(spec, doc, pointer, folder, base, default_as_of) -> tuple[Example, ...]:
    out = []
    for kind in ("pass", "fail"):
        for j, item in enumerate(spec.get("examples", {}).get(kind, [])):
            sub = f"{pointer}/examples/{kind}/{j}"
            as_of = default_as_of
            if isinstance(item, str):
                manifest = _load_example_file(folder / item, doc, sub)
                label = item
            else:
                as_of = _date(item.get("as_of")) or as_of
                if "file" in item:
                    manifest = _load_example_file(folder / item["file"], doc, sub)
                    label = item["file"]
                elif "manifest" in item:
                    manifest = item["manifest"]
                    label = f"{kind} #{j + 1} (inline)"
                elif "base" in item:  # another base for this example, e.g. a central department's manifest
                    start = _load_example_file(folder / item["base"], doc, f"{sub}/base")
                    manifest = merge_patch(start, item.get("patch", {}))
                    label = item.get("name") or f"{kind} #{j + 1} ({item['base']} + patch)"
                else:
                    if base is None:
                        line, column = doc.locate(sub)
                        raise GovernError(
                            f"rule {spec['id']}: a `patch` example needs `examples.base` in the pack",
                            doc.file, line, column,
                        )
                    manifest = merge_patch(base, item.get("patch", {}))
                    label = item.get("name") or f"{kind} #{j + 1} (base + patch)"
            appetite = None
            if isinstance(item, dict) and "appetite" in item:
                appetite = folder / item["appetite"]
                if not appetite.is_file():
                    line, column = doc.locate(f"{sub}/appetite")
                    raise GovernError(f"rule {spec['id']}: example appetite {appetite} does not exist", doc.file, line, column)
                appetite = str(appetite)
            also = tuple(item.get("also_fires", ())) if isinstance(item, dict) else ()
            config = item.get("config") if isinstance(item, dict) else None
            out.append(Example(kind, label, manifest, as_of, appetite, also, config))
    return tuple(out)


def _load_example_file(path: Path, doc: Document, pointer: str) -> dict[str, Any]:
    loaded = load_file(str(path), _display(path))
    for error in loaded.errors:
        raise error
    for example in loaded.documents:
        if example.kind == "Initiative":
            return example.data
    line, column = doc.locate(pointer)
    raise GovernError(f"example {path} holds no Initiative", doc.file, line, column)


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396 JSON merge patch: ``null`` deletes, objects merge, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result
