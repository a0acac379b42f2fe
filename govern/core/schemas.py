"""JSON Schema validators, built once per process and reused.

Every schema a run needs (the document schemas, and each rule's ``when`` and
``require``) is compiled here exactly once. ``is_valid`` runs on compiled
closures (``govern.core.fastschema``). When an instance is invalid, ``explain``
words the errors itself, with jsonschema's exact errors, for every keyword the
document schemas (initiative, config, waiver register, risk appetite) and rules'
schemas use, walking only the parts the compiled checks find invalid; jsonschema
is imported only for a schema with another keyword (``explainable``).

About 600 lines on purpose: the validators and govern's jsonschema-free ``explain`` (which must
give jsonschema's exact errors) decide together which engine answers; they are kept side by side so
that a change to one is read with the other.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from govern.core.checks import dotted
from govern.core.fastschema import (_FORMATS, _TYPES, CHECKED_FORMATS, InvalidSchema, Unsupported, all_unique, compile_parts,
                                    json_equal, unsafe_patterns)
from govern.core.resources import schemas_dir


@cache
def load_schema(name: str) -> dict[str, Any]:
    with open(schemas_dir() / f"{name}.schema.json", encoding="utf-8") as handle:
        return json.load(handle)


@cache
def _format_checker():
    from jsonschema import FormatChecker

    return FormatChecker(formats=CHECKED_FORMATS)


@cache
def _validator_class():
    """Draft 2020-12 with govern's bounded ``pattern``/``patternProperties`` and linear ``uniqueItems``.

    jsonschema explains invalid instances; it must never hang on one either
    (``govern.core.fastschema.compile_pattern`` says which patterns are safe).
    """
    from jsonschema import Draft202012Validator, validators
    from jsonschema.exceptions import ValidationError

    from govern.core.fastschema import all_unique, compile_pattern

    def matcher(source: str):
        try:
            return compile_pattern(source), None
        except InvalidSchema as exc:
            return None, str(exc)

    def pattern(validator, source, instance, schema):
        message = _pattern_problem(source, instance) if validator.is_type(instance, "string") else None
        if message:
            yield ValidationError(message)

    def pattern_properties(validator, patterns, instance, schema):
        if not validator.is_type(instance, "object"):
            return
        for source, subschema in patterns.items():
            found, problem = matcher(source)
            if found is None:
                yield ValidationError(f"cannot be checked: {problem}")
                continue
            for key, value in instance.items():
                if found.matches(key):
                    yield from validator.descend(value, subschema, path=key, schema_path=source)

    def unique_items(validator, unique, instance, schema):
        if unique and validator.is_type(instance, "array") and not all_unique(instance):
            yield ValidationError(f"{_short(instance)} has non-unique elements")

    return validators.extend(
        Draft202012Validator,
        {"pattern": pattern, "patternProperties": pattern_properties, "uniqueItems": unique_items},
    )


# -- explaining errors without jsonschema ------------------------------------------------------
#
# Importing jsonschema takes about 45 ms (more under load): in a pre-commit check of a manifest that
# breaks the schema or a rule, more than the whole check. The keywords the document schemas
# (initiative, config, waiver register, risk appetite) and rules' `require` schemas use are
# explained here, with the errors jsonschema 4.26 gives (same order, paths, keywords, messages and
# schema paths; tests/core/test_explain.py and tests/core/test_schema_errors.py compare the two). The
# compiled checks of ``govern.core.fastschema`` say which parts of an instance are valid, and those
# are never walked. A schema with any other keyword goes to jsonschema as before.

_EXPLAINED = frozenset(("properties", "required", "type", "const", "enum", "minLength", "minItems", "minimum",
                        "maximum", "pattern", "format", "items", "contains", "allOf", "anyOf", "oneOf", "not", "if",
                        "then", "else", "$ref", "additionalProperties", "propertyNames", "uniqueItems"))
_NOTES = frozenset(("$schema", "$id", "$comment", "$defs", "title", "description", "default", "examples", "deprecated"))


class Problem:
    """One reason an instance fails a schema, shaped as jsonschema's ValidationError is read here."""

    __slots__ = ("absolute_path", "validator", "validator_value", "instance", "schema", "message", "context",
                 "relative_schema_path")

    def __init__(self, path, keyword, value, instance, schema, message, context=(), where=()) -> None:
        self.absolute_path, self.validator, self.validator_value = path, keyword, value
        self.instance, self.schema, self.message, self.context = instance, schema, message, list(context)
        self.relative_schema_path = (*where, keyword)

    def __repr__(self) -> str:
        return f"<Problem {self.validator} at {list(self.absolute_path)}: {self.message}>"


def _resolve(root: Any, pointer: str) -> Any:
    """The subschema a local ``$ref`` names, or None when it names none (or is not local)."""
    if not isinstance(pointer, str) or not (pointer == "#" or pointer.startswith("#/")) or "%" in pointer:
        return None
    node = root
    for token in pointer[2:].split("/") if pointer != "#" else ():
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node


def explainable(schema: Any, root: Any = None, _seen: set | None = None) -> bool:
    """Whether ``explain`` covers every keyword of ``schema`` (subschemas and local ``$ref``s included)."""
    root = schema if root is None else root
    seen = set() if _seen is None else _seen
    if schema is True:
        return True
    if type(schema) is not dict:
        return False
    if id(schema) in seen:
        return True
    seen.add(id(schema))
    if not all(key in _EXPLAINED or key in _NOTES for key in schema):
        return False
    if "$id" in schema and schema is not root:
        return False
    if "format" in schema and not isinstance(schema["format"], str):
        return False
    subschemas = [*schema.get("properties", {}).values(), *schema.get("allOf", ()), *schema.get("anyOf", ()),
                  *schema.get("oneOf", ())]
    subschemas += [schema[key] for key in ("items", "contains", "not", "if", "then", "else", "propertyNames")
                   if key in schema]
    if "additionalProperties" in schema and schema["additionalProperties"] is not False:
        subschemas.append(schema["additionalProperties"])
    if "$ref" in schema:
        target = _resolve(root, schema["$ref"])
        if target is None:
            return False
        subschemas.append(target)
    return all(explainable(sub, root, seen) for sub in subschemas)


def explain(schema: Any, instance: Any, path: tuple = (), root: Any = None, parts: dict | None = None,
            where: tuple = (), invalid: bool = False):
    """The errors jsonschema's ``iter_errors`` would give, for an ``explainable`` schema.

    ``parts`` (``govern.core.fastschema.compile_parts``) answers, for a subschema, whether a part
    of the instance is valid; a valid part is not walked. ``where`` is the schema path so far;
    ``invalid``: the instance is already known not to be valid (it is not checked again).
    """
    root = schema if root is None else root
    if schema is True:
        return
    if parts is not None and not invalid:
        fast = parts.get(id(schema))
        if fast is not None and fast(instance):
            return
    for key, value in schema.items():
        if key == "properties":
            if type(instance) is dict:
                for name, sub in value.items():
                    if name in instance:
                        yield from explain(sub, instance[name], (*path, name), root, parts, (*where, key, name))
        elif key == "required":
            if type(instance) is dict:
                for name in value:
                    if name not in instance:
                        yield Problem(path, key, value, instance, schema, f"{name!r} is a required property", (), where)
        elif key == "type":
            names = value if isinstance(value, list) else [value]
            if not any(_TYPES[name](instance) for name in names):
                yield Problem(path, key, value, instance, schema, f"{instance!r} is not of type {', '.join(map(repr, names))}",
                              (), where)
        elif key == "const":
            if not json_equal(instance, value):
                yield Problem(path, key, value, instance, schema, f"{value!r} was expected", (), where)
        elif key == "enum":
            if not any(json_equal(each, instance) for each in value):
                yield Problem(path, key, value, instance, schema, f"{instance!r} is not one of {value!r}", (), where)
        elif key in ("minLength", "minItems"):
            if type(instance) is (str if key == "minLength" else list) and len(instance) < value:
                yield Problem(path, key, value, instance, schema,
                              f"{instance!r} {'should be non-empty' if value == 1 else 'is too short'}", (), where)
        elif key == "minimum":
            if type(instance) in (int, float) and instance < value:
                yield Problem(path, key, value, instance, schema, f"{instance!r} is less than the minimum of {value!r}",
                              (), where)
        elif key == "maximum":
            if type(instance) in (int, float) and instance > value:
                yield Problem(path, key, value, instance, schema, f"{instance!r} is greater than the maximum of {value!r}",
                              (), where)
        elif key == "pattern":
            if type(instance) is str:
                message = _pattern_problem(value, instance)
                if message:
                    yield Problem(path, key, value, instance, schema, message, (), where)
        elif key == "format":
            test = _FORMATS.get(value) if value in CHECKED_FORMATS else None
            if test is not None and type(instance) is str and not test(instance):
                yield Problem(path, key, value, instance, schema, f"{instance!r} is not a {value!r}", (), where)
        elif key == "uniqueItems":
            if value and type(instance) is list and not all_unique(instance):
                yield Problem(path, key, value, instance, schema, f"{_short(instance)} has non-unique elements", (), where)
        elif key == "items":
            if type(instance) is list:
                for index, item in enumerate(instance):
                    yield from explain(value, item, (*path, index), root, parts, (*where, key))
        elif key == "contains":
            if type(instance) is list and not any(_valid(value, each, root, parts) for each in instance):
                yield Problem(path, key, value, instance, schema,
                              f"{instance!r} does not contain items matching the given schema", (), where)
        elif key == "additionalProperties":
            if type(instance) is dict:
                known = schema.get("properties", {})
                extras = [name for name in instance if name not in known]
                if value is False:
                    if extras:
                        extras.sort(key=str)
                        verb = "was" if len(extras) == 1 else "were"
                        yield Problem(path, key, value, instance, schema, "Additional properties are not allowed "
                                      f"({', '.join(repr(name) for name in extras)} {verb} unexpected)", (), where)
                else:
                    for name in extras:
                        yield from explain(value, instance[name], (*path, name), root, parts, (*where, key))
        elif key == "propertyNames":
            if type(instance) is dict:
                for name in instance:
                    yield from explain(value, name, path, root, parts, (*where, key))
        elif key == "$ref":
            yield from explain(_resolve(root, value), instance, path, root, parts, where)
        elif key == "allOf":
            for index, sub in enumerate(value):
                yield from explain(sub, instance, path, root, parts, (*where, key, index))
        elif key in ("anyOf", "oneOf"):
            found: list[Problem] = []
            valid = None
            rest = iter(enumerate(value))
            for index, sub in rest:
                errors = list(explain(sub, instance, path, root, parts, (index,)))
                if not errors:
                    valid = sub
                    break
                found += errors
            if valid is None:
                yield Problem(path, key, value, instance, schema, f"{instance!r} is not valid under any of the given schemas",
                              found, where)
            elif key == "oneOf":
                more = [sub for _, sub in rest if _valid(sub, instance, root, parts)]
                if more:
                    shown = ", ".join(repr(sub) for sub in (*more, valid))
                    yield Problem(path, key, value, instance, schema, f"{instance!r} is valid under each of {shown}",
                                  (), where)
        elif key == "not":
            if _valid(value, instance, root, parts):
                yield Problem(path, key, value, instance, schema, f"{instance!r} should not be valid under {value!r}",
                              (), where)
        elif key == "if":
            branch = "then" if _valid(value, instance, root, parts) else "else"
            if branch in schema:
                yield from explain(schema[branch], instance, path, root, parts, (*where, branch))


def _valid(schema: Any, instance: Any, root: Any = None, parts: dict | None = None) -> bool:
    fast = parts.get(id(schema)) if parts is not None else None
    if fast is not None:
        return fast(instance)
    return next(explain(schema, instance, (), schema if root is None else root, parts), None) is None


def _pattern_problem(source: str, instance: str) -> str | None:
    """What govern's bounded ``pattern`` (``_validator_class``) says of ``instance``, or None."""
    from govern.core.fastschema import PATTERN_MAX_INPUT, compile_pattern

    try:
        found = compile_pattern(source)
    except InvalidSchema as exc:
        return f"cannot be checked: {exc}"
    if found.too_long(instance):
        return (f"is {len(instance)} characters long, too long to check against the pattern {source!r} "
                f"(at most {PATTERN_MAX_INPUT} for this pattern)")
    if not found.matches(instance):
        return f"{_short(instance)} does not match {source!r}"
    return None


def _short(value) -> str:
    text = repr(value[:200] if isinstance(value, (str, list)) else value)
    return text if len(text) <= 80 and len(value) <= 200 else text[:77] + "..."


class Validator:
    """``is_valid`` on the fast path; ``explain`` words the errors, jsonschema only for what it does not cover."""

    __slots__ = ("schema", "_fast", "_slow", "_plain", "_parts")

    def __init__(self, schema: Any, fast: Any = None) -> None:
        self.schema = schema
        self._slow = None
        self._plain = None
        self._parts = None
        self._fast = fast
        if fast is None:
            try:
                self._fast, self._parts = compile_parts(schema)
            except (Unsupported, InvalidSchema):
                self._fast = None

    @property
    def slow(self):
        if self._slow is None:
            self._slow = _validator_class()(self.schema, format_checker=_format_checker())
        return self._slow

    def is_valid(self, instance: Any) -> bool:
        if self._fast is not None:
            return self._fast(instance)
        return self.slow.is_valid(instance)

    def iter_errors(self, instance: Any):
        """jsonschema's errors (``explain`` gives the same without importing it, where it can)."""
        if self._fast is not None and self._fast(instance):
            return iter(())
        return self.slow.iter_errors(instance)

    def explain(self, instance: Any):
        """``iter_errors``, without importing jsonschema when the schema is ``explainable``."""
        if self._fast is not None and self._fast(instance):
            return iter(())
        if self._plain is None:
            self._plain = explainable(self.schema)
            if self._plain and self._parts is None and self._fast is not None:
                self._parts = compile_parts(self.schema)[1]  # which parts are valid: only the others are walked
        if not self._plain:
            return self.slow.iter_errors(instance)
        return explain(self.schema, instance, (), self.schema, self._parts, (), self._fast is not None)


class _Deferred(Validator):
    """A ``Validator`` compiled on first use; it then turns into a plain ``Validator`` (no cost per call)."""

    __slots__ = ()

    def __init__(self, schema: Any) -> None:
        self.schema = schema
        self._slow = None
        self._plain = None
        self._parts = None
        self._fast = None

    def _compile(self) -> None:
        try:
            self._fast, self._parts = compile_parts(self.schema)
        except (Unsupported, InvalidSchema):
            self._fast = None
        self.__class__ = Validator

    def is_valid(self, instance: Any) -> bool:
        self._compile()
        return self.is_valid(instance)

    def iter_errors(self, instance: Any):
        self._compile()
        return self.iter_errors(instance)

    def explain(self, instance: Any):
        self._compile()
        return self.explain(instance)


def deferred_schema(schema: Any) -> Validator:
    """A validator for a schema already known to be valid (a cached pack's), compiled when first used."""
    return _Deferred(schema)


@cache
def document_validator(name: str) -> Validator:
    return Validator(load_schema(name))


_COMPILED: dict[str, Validator] = {}


def _key(schema: Any) -> str:
    return json.dumps(schema, sort_keys=True, default=str)


def compile_schema(schema: Any) -> Validator:
    """A validator for an inline schema (a rule's ``when``/``require``), cached by content."""
    key = _key(schema)
    validator = _COMPILED.get(key)
    if validator is None:
        validator = _COMPILED[key] = Validator(schema)
    return validator


_PLAIN: dict[int, tuple[Any, str | None]] = {}  # id(schema) -> (schema, plain_key(schema))


def plain_key(schema: Any) -> str | None:
    """``schema`` as canonical JSON text when it is plain JSON data (dicts with text keys, lists,
    text, numbers, booleans, null), else None: the text then stands for the schema exactly."""
    known = _PLAIN.get(id(schema))
    if known is not None and known[0] is schema:
        return known[1]
    try:
        key = json.dumps(schema, sort_keys=True) if _plain(schema) else None
    except (RecursionError, ValueError, TypeError):
        key = None
    if isinstance(schema, (dict, list)) and len(_PLAIN) < 4096:
        _PLAIN[id(schema)] = (schema, key)
    return key


def _plain(value: Any) -> bool:
    kind = type(value)
    if kind is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())
    if kind is list:
        return all(_plain(v) for v in value)
    return value is None or kind in (str, int, float, bool)


def schema_problem(schema: Any) -> str | None:
    """Why ``schema`` is not a valid Draft 2020-12 schema, or None.

    The fast compiler checks structure (and refuses misspelt keywords, which
    the metaschema would let through as a rule that silently checks nothing);
    only schemas it does not implement go to jsonschema's metaschema check.
    A schema this govern found valid before (``govern.policy.packcache``) is not checked
    again, and is compiled when first used.
    """
    from govern.core.verdicts import store

    key = plain_key(schema)
    if key is not None and store.valid_schema(key):
        _COMPILED.setdefault(key, deferred_schema(schema))
        return None
    problem = _schema_problem(schema)
    if problem is None and key is not None:
        store.note_valid_schema(key)
    return problem


def _schema_problem(schema: Any) -> str | None:
    try:
        fast, parts = compile_parts(schema)
        validator = Validator(schema, fast)
        validator._parts = parts
        _COMPILED.setdefault(_key(schema), validator)  # compiled once, reused by the rule
        return None
    except InvalidSchema as exc:
        return str(exc)
    except Unsupported:
        pass
    problem = unsafe_patterns(schema)  # jsonschema will run this schema: no pattern may hang it
    if problem:
        return problem
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        return exc.message
    return None


def describe(error) -> list[tuple[str, str]]:
    """A JSON Schema error as (pointer, sentence) pairs a person can act on.

    An unknown key is reported at the key itself with the closest known key
    ("did you mean ...?") or the keys allowed there; a value in the wrong form
    gets the form and an example, never the regular expression that checks it
    (``govern.core.hints``).
    """
    pointer = _pointer(error)
    where = dotted(pointer)
    kind = error.validator
    if "propertyNames" in getattr(error, "relative_schema_path", ()) and isinstance(error.instance, str):
        # a bad key: point at the key itself, not at the mapping that holds it
        key = error.instance.replace("~", "~0").replace("/", "~1")
        return [(f"{pointer}/{key}", f"{where}: the key {_described(error) or error.message}")]
    if kind == "additionalProperties" and error.validator_value is False and isinstance(error.instance, dict):
        return [_unknown_key(pointer, key, known) for key, known in _unknown_keys(error)]
    if kind in ("type", "pattern", "format", "minLength") and (shape := _form(error)):
        from govern.core.hints import form_hint, what_is_wrong

        return [(pointer, f"{where}: {_show(error.instance)} {what_is_wrong(shape, error.instance)}; "
                          f"{form_hint(shape, error.instance)}")]
    if described := _described(error):
        return [(pointer, f"{where}: {described}")]
    if kind == "required":
        instance = error.instance if isinstance(error.instance, dict) else {}
        missing = [p for p in error.validator_value if p not in instance]
        return [(f"{pointer}/{p}", f"{dotted(f'{pointer}/{p}')} is missing") for p in missing]
    if kind == "const":
        return [(pointer, f"{where} must be {_show(error.validator_value)} (found {_show(error.instance)})")]
    if kind == "enum":
        allowed = ", ".join(_show(v) for v in error.validator_value)
        guess = _close_value(error)
        mean = f"; did you mean {_show(guess)}?" if guess is not None else ""
        return [(pointer, f"{where} must be one of {allowed} (found {_show(error.instance)}{mean})")]
    if kind == "minItems" and error.validator_value == 1:
        return [(pointer, f"{where} must not be empty")]
    if kind == "contains" and isinstance(error.validator_value, dict) and "enum" in error.validator_value:
        allowed = ", ".join(_show(v) for v in error.validator_value["enum"])
        return [(pointer, f"{where} must include one of {allowed} (found {_show(error.instance)})")]
    if kind in ("anyOf", "oneOf") and error.context:
        best = min(error.context, key=lambda e: (len(e.absolute_path) * -1, e.message))
        return describe(best)
    if kind == "not":
        return [(pointer, f"{where} has a value that is not allowed here (found {_show(error.instance)})")]
    return [(pointer, f"{where}: {error.message}")]


def _show(value: Any) -> str:
    text = json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def root_causes(errors) -> list[tuple[str, str, Any]]:
    """``describe`` for all of a document's errors, one (pointer, sentence, error) per root cause.

    A value wrong in several ways (a date both in the wrong shape and not a date) is reported
    once, and a key reported as misspelt is not reported missing as well: the misspelling is
    the cause. Errors keep their order.
    """
    errors = list(errors)
    meant = set()
    for error in errors:
        for pointer, action, argument in corrections(error):
            if action == "rename":
                meant.add(f"{pointer.rsplit('/', 1)[0]}/{_escape(argument)}")
    found: list[tuple[str, str, Any]] = []
    seen: set[str] = set()
    for error in errors:
        for pointer, sentence in describe(error):
            if pointer in seen or (error.validator == "required" and pointer in meant):
                continue
            seen.add(pointer)
            found.append((pointer, sentence, error))
    return found


def corrections(error) -> list[tuple[str, str, Any]]:
    """What the person most probably meant, as (pointer, action, argument) triples.

    ``rename``: a misspelt key whose closest known key is not in the mapping yet;
    ``form``: a date, email address or URL in the wrong form (the argument says which);
    ``value``: a misspelt value of a list of allowed values. ``govern.core.engine``
    runs the rules again on the manifest so corrected: a rule finding that goes away
    was a consequence of the schema error, which already reports the one root cause.
    """
    pointer = _pointer(error)
    kind = error.validator
    if kind == "additionalProperties" and error.validator_value is False and isinstance(error.instance, dict):
        from govern.core.hints import suggest

        found = []
        for key, known in _unknown_keys(error):
            guess = suggest(key, known)
            if guess is not None and guess not in error.instance:
                found.append((f"{pointer}/{_escape(key)}", "rename", guess))
        return found
    if kind in ("type", "pattern", "format", "minLength") and (shape := _form(error)):
        return [(pointer, "form", shape)]
    if kind == "enum":
        guess = _close_value(error)
        if guess is not None:
            return [(pointer, "value", guess)]
    return []


def _pointer(error) -> str:
    return "".join("/" + _escape(str(p)) for p in error.absolute_path)


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _unknown_keys(error) -> list[tuple[str, list[str]]]:
    """The keys ``additionalProperties: false`` refused, each with the keys the mapping allows."""
    schema = getattr(error, "schema", None)
    schema = schema if isinstance(schema, dict) else {}
    known = list(schema.get("properties", {}))
    patterns = list(schema.get("patternProperties", {}))
    refused = []
    for key in error.instance:
        if key in known or any(_matches(source, key) for source in patterns):
            continue
        refused.append((key, known))
    return refused


def _matches(source: str, key: str) -> bool:
    try:
        return re.search(source, key) is not None
    except re.error:
        return False


def _unknown_key(pointer: str, key: str, known: list[str]) -> tuple[str, str]:
    from govern.core.hints import listing, suggest

    where = f"{dotted(pointer)}: unknown key" if pointer else "unknown top-level key"
    guess = suggest(key, known)
    if guess is not None:
        advice = f"did you mean {_show(guess)}?"
    elif known:
        advice = f"the keys allowed here are {listing(known)}"
    else:
        advice = "no keys are allowed here"
    return (f"{pointer}/{_escape(key)}", f"{where} {_show(key)} ({advice})")


def _described(error) -> str | None:
    """For a value that does not match a pattern: the form in the schema's own words, when it has them."""
    schema = getattr(error, "schema", None)
    if error.validator != "pattern" or not isinstance(schema, dict) or not isinstance(schema.get("description"), str):
        return None
    return f"{_show(error.instance)} is not in the form this field needs ({schema['description'].rstrip('.')})"


def _form(error) -> str | None:
    from govern.core.hints import form

    return form(getattr(error, "schema", None))


def _close_value(error) -> Any:
    from govern.core.hints import suggest

    return suggest(error.instance, error.validator_value) if isinstance(error.validator_value, list) else None
