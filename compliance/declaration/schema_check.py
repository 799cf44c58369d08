"""A JSON Schema validator compiled into closures, for the keywords our published schemas use.

Why not the jsonschema package at run time: it costs about a millisecond per declaration and
50 ms to import, which alone would blow the per-file and start-up budgets. The committed schema
stays the contract: this module reads that very file, refuses any keyword it does not implement
(so the schema cannot silently outgrow it), and a test checks its verdicts against the jsonschema
package on the examples and on generated mutations.

Every problem is reported, not just the first, as an Issue with the path it concerns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

Path_ = tuple[str | int, ...]

# Keywords that only annotate; everything else must be implemented below.
_ANNOTATIONS = {"$id", "$schema", "$comment", "title", "description", "default", "examples", "$defs", "deprecated"}
_IMPLEMENTED = {
    "$ref", "type", "enum", "const", "properties", "required", "additionalProperties", "items",
    "minItems", "maxItems", "uniqueItems", "minLength", "maxLength", "pattern", "format",
    "minimum", "maximum", "anyOf", "not", "allOf", "if", "then", "minProperties",
}


@dataclass(frozen=True)
class Issue:
    """One way a value fails the schema. `code` names the keyword; `params` fill the message."""

    path: Path_
    code: str
    params: dict[str, Any] = field(default_factory=dict)


Check = Callable[[Any, Path_, list], None]

_TYPE_TESTS: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: type(v) is dict,
    "array": lambda v: type(v) is list,
    "string": lambda v: type(v) is str,
    "integer": lambda v: type(v) is int or (type(v) is float and v.is_integer()),
    "number": lambda v: type(v) in (int, float),
    "boolean": lambda v: type(v) is bool,
    "null": lambda v: v is None,
}


def json_type(value: Any) -> str:
    """The JSON name of a Python value's type, as people read it in messages."""
    for name in ("null", "boolean", "integer", "number", "string", "array", "object"):
        if _TYPE_TESTS[name](value):
            return name
    return type(value).__name__


def _check_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _check_uscc(value: str) -> bool:
    # Only the check digit: the schema's pattern reports a code of the wrong shape.
    from compliance.declaration.uscc import has_valid_check_char

    return has_valid_check_char(value)


FORMATS: dict[str, Callable[[str], bool]] = {"date": _check_date, "uscc": _check_uscc}


class SchemaCompileError(Exception):
    """The schema uses something this validator does not implement."""


class Compiler:
    """Compiles one schema document; $ref targets are compiled once and shared."""

    def __init__(self, root: dict) -> None:
        self.root = root
        self._refs: dict[str, Check] = {}

    def compile(self, schema: Any = None) -> Check:
        return self._compile(self.root if schema is None else schema)

    def _resolve(self, ref: str) -> dict:
        if not ref.startswith("#/"):
            raise SchemaCompileError(f"only local $ref is supported, not {ref!r}")
        node: Any = self.root
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def _compile(self, schema: Any) -> Check:
        if schema is True or schema == {}:
            return _accept
        if schema is False:
            return lambda value, path, out: out.append(Issue(path, "false"))
        unknown = {key for key in schema if not key.startswith("x-")} - _IMPLEMENTED - _ANNOTATIONS
        if unknown:
            raise SchemaCompileError(f"unsupported JSON Schema keywords: {sorted(unknown)}")
        checks: list[Check] = []
        if "$ref" in schema:
            checks.append(self._ref(schema["$ref"]))
        if "anyOf" in schema:
            checks.append(self._any_of(schema["anyOf"]))
        if "not" in schema:
            checks.append(self._not(schema["not"]))
        for part in schema.get("allOf", ()):
            checks.append(self._compile(part))
        if "if" in schema and "then" in schema:
            checks.append(self._if_then(schema["if"], schema["then"]))
        checks.extend(self._local(schema))
        if len(checks) == 1:
            return checks[0]

        def all_checks(value, path, out):
            for check in checks:
                check(value, path, out)

        return all_checks

    def _ref(self, ref: str) -> Check:
        compiled = self._refs.get(ref)
        if compiled is None:
            self._refs[ref] = _IN_PROGRESS
            compiled = self._refs[ref] = self._compile(self._resolve(ref))
        if compiled is _IN_PROGRESS:  # a recursive reference: look it up when called
            return lambda value, path, out: self._refs[ref](value, path, out)
        return compiled

    def _any_of(self, branches: list) -> Check:
        compiled = [(self._compile(branch), _branch_types(branch, self)) for branch in branches]
        descriptions = [describe(branch, self) for branch in branches]
        resolved = [self._resolve(b["$ref"]) if isinstance(b, dict) and "$ref" in b else b for b in branches]

        def any_of(value, path, out):
            failures = []
            for check, _types in compiled:
                issues: list[Issue] = []
                check(value, path, issues)
                if not issues:
                    return
                failures.append(issues)
            actual = json_type(value)
            matching = [i for i, (_, types) in enumerate(compiled) if types is None or actual in types]
            if len(matching) > 1 and type(value) is dict:
                matching = _narrow_by_keys(value, matching, resolved)
            if len(matching) > 1:  # `unknown` beside a pattern: the pattern's complaint is the useful one
                shaped = [i for i in matching if not _only_literal(resolved[i])]
                matching = shaped if len(shaped) == 1 else matching
            # When exactly one branch is of the value's type, its own complaint is the useful one.
            if len(matching) == 1 and not _only_literal(branches[matching[0]]):
                out.extend(failures[matching[0]])
            else:
                out.append(Issue(path, "any_of", {"expected": descriptions, "value": value}))

        return any_of

    def _not(self, schema: Any) -> Check:
        inner = self._compile(schema)

        def not_(value, path, out):
            issues: list[Issue] = []
            inner(value, path, issues)
            if not issues:
                out.append(Issue(path, "not", {"value": value, "schema": schema}))

        return not_

    def _if_then(self, condition: Any, consequence: Any) -> Check:
        test, then = self._compile(condition), self._compile(consequence)

        def if_then(value, path, out):
            probe: list[Issue] = []
            test(value, path, probe)
            if not probe:
                then(value, path, out)

        return if_then

    def _local(self, schema: dict) -> list[Check]:
        checks: list[Check] = []
        if "type" in schema:
            checks.append(_type_check(schema["type"]))
        if "enum" in schema:
            checks.append(_enum_check(schema["enum"]))
        if "const" in schema:
            checks.append(_const_check(schema["const"]))
        checks.extend(_string_checks(schema))
        checks.extend(_number_checks(schema))
        checks.extend(self._array_checks(schema))
        checks.extend(_bounds(schema, "minProperties", "maxProperties", (dict,), len, "min_properties", "max_properties"))
        if {"properties", "required", "additionalProperties"} & set(schema):
            checks.append(self._object_check(schema))
        return checks

    def _array_checks(self, schema: dict) -> list[Check]:
        checks = _bounds(schema, "minItems", "maxItems", (list,), len, "min_items", "max_items")
        if schema.get("uniqueItems"):

            def unique(value, path, out):
                if type(value) is list:
                    seen: list = []
                    for item in value:
                        if any(_json_equal(item, other) for other in seen):
                            out.append(Issue(path, "unique", {"value": item}))
                            return
                        seen.append(item)

            checks.append(unique)
        if "items" in schema:
            item_check = self._compile(schema["items"])

            def items(value, path, out):
                if type(value) is list:
                    for index, item in enumerate(value):
                        item_check(item, path + (index,), out)

            checks.append(items)
        return checks

    def _object_check(self, schema: dict) -> Check:
        properties = {name: self._compile(sub) for name, sub in schema.get("properties", {}).items()}
        required = tuple(schema.get("required", ()))
        extra = schema.get("additionalProperties", True)
        extra_check = None if extra is False else self._compile(extra)
        allowed = sorted(properties)

        def object_(value, path, out):
            if type(value) is not dict:
                return
            for name in required:
                if name not in value:
                    out.append(Issue(path + (name,), "required", {"name": name}))
            for name, item in value.items():
                check = properties.get(name)
                if check is not None:
                    check(item, path + (name,), out)
                elif extra_check is None:
                    out.append(Issue(path + (name,), "additional", {"name": name, "allowed": allowed}))
                else:
                    extra_check(item, path + (name,), out)

        return object_


def _accept(value, path, out) -> None:
    return None


def _IN_PROGRESS(value, path, out) -> None:  # noqa: N802 - a marker, never called
    raise AssertionError("recursive $ref called before it was compiled")


def _json_equal(a: Any, b: Any) -> bool:
    # JSON equality: true is not 1.
    return type(a) is type(b) and a == b if isinstance(a, bool) or isinstance(b, bool) else a == b


_PY_TYPES = {"object": (dict,), "array": (list,), "string": (str,), "integer": (int,),
             "number": (int, float), "boolean": (bool,), "null": (type(None),)}


def _type_check(expected: str | list[str]) -> Check:
    names = [expected] if isinstance(expected, str) else list(expected)
    exact = frozenset(t for name in names for t in _PY_TYPES[name])  # bool is not an int here
    integral_floats = "integer" in names and "number" not in names

    def type_(value, path, out):
        kind = type(value)
        if kind in exact or (integral_floats and kind is float and value.is_integer()):
            return
        out.append(Issue(path, "type", {"expected": names, "actual": json_type(value), "value": value}))

    return type_


def _enum_check(options: list) -> Check:
    # JSON equality through (type, value) pairs: true is not 1, and lookups stay O(1).
    hashable = all(isinstance(o, (str, int, float, bool, type(None))) for o in options)
    allowed = frozenset((type(o), o) for o in options) if hashable else None

    def enum(value, path, out):
        if allowed is not None:
            try:
                if (type(value), value) in allowed:
                    return
            except TypeError:  # an unhashable value is in no scalar enum
                pass
        elif any(_json_equal(value, option) for option in options):
            return
        out.append(Issue(path, "enum", {"options": options, "value": value}))

    return enum


def _const_check(expected: Any) -> Check:
    def const(value, path, out):
        if not _json_equal(value, expected):
            out.append(Issue(path, "const", {"expected": expected, "value": value}))

    return const


def _string_checks(schema: dict) -> list[Check]:
    checks = _bounds(schema, "minLength", "maxLength", (str,), len, "min_length", "max_length")
    if "pattern" in schema:
        regex = re.compile(schema["pattern"])
        pattern = schema["pattern"]

        def pattern_(value, path, out):
            if type(value) is str and not regex.search(value):
                out.append(Issue(path, "pattern", {"pattern": pattern, "value": value}))

        checks.append(pattern_)
    if "format" in schema:
        name = schema["format"]
        test = FORMATS.get(name)
        if test is None:
            raise SchemaCompileError(f"unsupported format {name!r}")

        def format_(value, path, out):
            if type(value) is str and not test(value):
                out.append(Issue(path, "format", {"format": name, "value": value}))

        checks.append(format_)
    return checks


def _number_checks(schema: dict) -> list[Check]:
    return _bounds(schema, "minimum", "maximum", (int, float), lambda value: value, "minimum", "maximum")


def _bounds(schema: dict, low_key: str, high_key: str, types: tuple, measure, low_code: str, high_code: str) -> list[Check]:
    """minItems/maxItems, minLength/maxLength, minimum/maximum: one shape, three measures."""
    low, high = schema.get(low_key), schema.get(high_key)
    if low is None and high is None:
        return []

    def bounds(value, path, out):
        if type(value) in types:
            size = measure(value)
            if low is not None and size < low:
                out.append(Issue(path, low_code, {"limit": low, "value": value}))
            if high is not None and size > high:
                out.append(Issue(path, high_code, {"limit": high, "value": value}))

    return [bounds]


def _narrow_by_keys(value: dict, matching: list[int], branches: list) -> list[int]:
    """Among mapping branches, the one the value means: by a const discriminator, else by keys."""
    def const_fits(branch: dict) -> bool:
        consts = {k: v["const"] for k, v in branch.get("properties", {}).items() if isinstance(v, dict) and "const" in v}
        return bool(consts) and all(k in value and _json_equal(value[k], v) for k, v in consts.items())

    def keys_fit(branch: dict) -> bool:
        return bool(branch.get("required")) and all(k in value for k in branch["required"])

    for fits in (const_fits, keys_fit):
        narrowed = [i for i in matching if isinstance(branches[i], dict) and fits(branches[i])]
        if len(narrowed) == 1:
            return narrowed
    return matching


def _only_literal(schema: dict) -> bool:
    return set(schema) - _ANNOTATIONS <= {"const", "enum", "type"} and ("const" in schema or "enum" in schema)


def _branch_types(schema: Any, compiler: Compiler) -> set[str] | None:
    """The JSON types a branch can accept, or None when it does not say."""
    if not isinstance(schema, dict):
        return None
    if "$ref" in schema:
        return _branch_types(compiler._resolve(schema["$ref"]), compiler)
    if "type" in schema:
        names = {schema["type"]} if isinstance(schema["type"], str) else set(schema["type"])
        return names | ({"integer"} if "number" in names else set())
    if "const" in schema:
        return {json_type(schema["const"])}
    if "enum" in schema:
        return {json_type(option) for option in schema["enum"]}
    return None


def describe(schema: Any, compiler: Compiler | None = None) -> str:
    """A short English description of what a schema accepts, for 'expected ...' messages."""
    if not isinstance(schema, dict):
        return "anything" if schema is True else "nothing"
    if "$ref" in schema and compiler is not None:
        return describe(compiler._resolve(schema["$ref"]), compiler)
    if "const" in schema:
        return _literal(schema["const"])
    if "enum" in schema:
        return " or ".join(_literal(option) for option in schema["enum"])
    kind = schema.get("type")
    if kind == "array":
        return "a list"
    if kind == "object":
        return "a mapping"
    if kind == "null":
        return "null"
    if kind == "integer":
        return "a whole number"
    if kind == "boolean":
        return "true or false"
    if kind == "string":
        return "text"
    return "a value"


def _literal(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
