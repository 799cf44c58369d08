"""Data against one of our published schemas, checked by jsonschema-rs, as Issues our messages word.

Why a library: jsonschema-rs is well kept and implements all of JSON Schema draft 2020-12; with
this layer it takes about a quarter of the CPU time of the hand-written subset it replaced
(benchmarks/bench_validate.py). It is imported on first use only (about 7 ms), so a command that
validates nothing does not pay for it.

What this layer adds, for any schema (nothing here knows a field name; validate.py words it):
- one Issue per problem at the path of the value concerned: a missing field at the field's path,
  each unknown field at its own path with the names allowed there, the repeated item of a list;
- an anyOf/oneOf whose value plainly meant one branch (by its type, a const discriminator or the
  keys it has) reports that branch's own problems instead of "expected A or B";
- our own formats (USCC check digit) registered; a format nobody registered is refused when the
  schema is compiled, so a schema cannot silently outgrow the checks;
- values JSON does not have are reported as such: NaN and infinity (jsonschema-rs would read
  them as null, which a nullable field accepts), TOML dates and lone surrogates in text the schema
  reads (jsonschema-rs raises on those). A lone surrogate in text no keyword reads (a bare
  `type: string`) passes, as it did before; the loader is the place to refuse it.

Issues come in document order (the order of keys in the data, a missing field before its
siblings), so "the first problem" is the first one in the file.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from compliance import resources
from compliance.declaration.uscc import has_valid_check_char

Path_ = tuple[str | int, ...]

# Keywords that only annotate a schema; a branch made of const/enum/type and these is a literal.
_ANNOTATIONS = {"$id", "$schema", "$comment", "title", "description", "default", "examples", "$defs", "deprecated"}


@dataclass(frozen=True)
class Issue:
    """One way a value fails the schema. `code` names the problem; `params` fill the message."""

    path: Path_
    code: str
    params: dict[str, Any] = field(default_factory=dict)


def _uscc_format(value: Any) -> bool:
    # Only the check digit: the schema's pattern reports a code of the wrong shape.
    return not isinstance(value, str) or has_valid_check_char(value)


# Formats of ours; draft 2020-12's own (date, email, ...) are jsonschema-rs's.
FORMATS = {"uscc": _uscc_format}


class SchemaError(Exception):
    """A schema of ours cannot be compiled (a bug in aicomply, not in the user's file)."""


@dataclass(frozen=True)
class CompiledSchema:
    root: dict
    validator: Any  # a jsonschema_rs.Validator


@cache
def schema_document(schema_name: str) -> dict:
    """A schema file from schemas/, parsed."""
    return json.loads(resources.schema_path(schema_name).read_text(encoding="utf-8"))


@cache
def compiled(schema_name: str) -> CompiledSchema:
    return compile_schema(schema_document(schema_name))


def compile_schema(root: dict) -> CompiledSchema:
    import jsonschema_rs  # here, not at the top: only validation pays for the import

    try:
        validator = jsonschema_rs.validator_for(
            root, formats=FORMATS, validate_formats=True, ignore_unknown_formats=False,
            # The regex crate runs in linear time: no schema pattern can backtrack exponentially.
            pattern_options=jsonschema_rs.RegexOptions(),
        )
    except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError, ValueError) as exc:
        raise SchemaError(f"schema {root.get('$id', '')!r} cannot be compiled: {exc}") from None
    return CompiledSchema(root, validator)


def issues_for(schema_name: str, data: Any) -> list[Issue]:
    """Every problem of data against one of the published schemas in schemas/."""
    return check(compiled(schema_name), data)


def check(schema: CompiledSchema, data: Any) -> list[Issue]:
    # jsonschema-rs reads NaN and infinity as null, which a nullable field would accept: look
    # for them first. Other values it cannot take (a date, a lone surrogate) make it raise.
    refused = None
    if _plain_json(data):
        try:
            if schema.validator.is_valid(data):
                return []
            return _ordered(data, _collect(schema, data, schema.validator.iter_errors(data)))
        except ValueError as exc:  # UnicodeEncodeError: a lone surrogate; "Unsupported type"
            refused = exc
    strange = _non_json(data)
    if not strange and refused is not None:
        raise refused  # not a value of the document: a fault of ours
    return _check_sanitised(schema, data, strange)


# ------------------------------------------------------------------ errors -> issues


def _collect(schema: CompiledSchema, data: Any, errors) -> list[Issue]:
    out: list[Issue] = []
    for error in errors:
        out.extend(_issues(schema, data, error))
    return out


def _issues(schema: CompiledSchema, data: Any, error) -> list[Issue]:
    kind = error.kind
    name = kind.name
    path = tuple(error.instance_path)
    value = _value_at(data, path)
    node = _node_at(schema.root, error.schema_path[:-1])
    if name == "required":
        prop = kind.property
        unknown_ok = _accepts_word(schema.root, _property_schema(schema.root, error.schema_path, prop), "unknown", 0)
        return [Issue(path + (prop,), "required", {"name": prop, "unknown_ok": unknown_ok})]
    if name in ("additionalProperties", "unevaluatedProperties"):
        allowed = sorted(_property_names(schema.root, node))
        return [Issue(path + (extra,), "additional", {"name": extra, "allowed": allowed}) for extra in kind.unexpected]
    if name in ("anyOf", "oneOf"):
        return _branches(schema, data, error, node, value, name)
    if name == "type":
        expected = node.get("type", list(kind.types))
        names = [expected] if isinstance(expected, str) else list(expected)
        return [Issue(path, "type", {"expected": names, "actual": json_type(value), "value": value})]
    if name == "uniqueItems":
        return [Issue(path, "unique", {"value": _first_repeat(value)})]
    if name == "falseSchema":
        return [Issue(path, "false", {"value": value})]
    if name in _KEYWORD_CODES:
        code, keyword = _KEYWORD_CODES[name]
        params = {"value": value}
        if keyword in node:
            params[_PARAM[code]] = node[keyword]
        elif name == "format":
            params["format"] = kind.format
        return [Issue(path, code, params)]
    return [Issue(path, "other", {"keyword": name, "message": error.message, "value": value})]


_KEYWORD_CODES = {
    "enum": ("enum", "enum"), "const": ("const", "const"), "pattern": ("pattern", "pattern"),
    "format": ("format", "format"), "not": ("not", "not"),
    "minItems": ("min_items", "minItems"), "maxItems": ("max_items", "maxItems"),
    "minLength": ("min_length", "minLength"), "maxLength": ("max_length", "maxLength"),
    "minimum": ("minimum", "minimum"), "maximum": ("maximum", "maximum"),
    "exclusiveMinimum": ("exclusive_minimum", "exclusiveMinimum"),
    "exclusiveMaximum": ("exclusive_maximum", "exclusiveMaximum"),
    "minProperties": ("min_properties", "minProperties"), "maxProperties": ("max_properties", "maxProperties"),
    "multipleOf": ("multiple_of", "multipleOf"),
}
_PARAM = {"enum": "options", "const": "expected", "pattern": "pattern", "format": "format", "not": "schema",
          "multiple_of": "limit"}
_PARAM.update({code: "limit" for code, _ in _KEYWORD_CODES.values() if code not in _PARAM})


def _branches(schema: CompiledSchema, data: Any, error, node: dict, value: Any, name: str) -> list[Issue]:
    """anyOf/oneOf: the problems of the branch the value meant, or one 'expected A or B' issue."""
    path = tuple(error.instance_path)
    raw = node.get(name, [])
    branches = [resolve(schema.root, branch) for branch in raw]
    if type(error.kind).__name__ == "OneOfMultipleValid":
        return [Issue(path, "one_of_many", {"value": value})]
    context = getattr(error.kind, "context", None) or []
    actual = json_type(value)
    matching = [i for i, branch in enumerate(branches) if (types := _branch_types(schema.root, branch)) is None or actual in types]
    if len(matching) > 1 and type(value) is dict:
        matching = _narrow_by_keys(value, matching, branches)
    if len(matching) > 1:  # `unknown` beside a pattern: the pattern's complaint is the useful one
        shaped = [i for i in matching if not _only_literal(branches[i])]
        matching = shaped if len(shaped) == 1 else matching
    if len(matching) == 1 and len(context) == len(branches) and context[matching[0]] and not _only_literal(branches[matching[0]]):
        return _collect(schema, data, context[matching[0]])
    return [Issue(path, "any_of", {"branches": branches, "value": value})]


def _narrow_by_keys(value: dict, matching: list[int], branches: list) -> list[int]:
    """Among mapping branches, the one the value means: by a const discriminator, else by keys."""

    def const_fits(branch: dict) -> bool:
        consts = {k: v["const"] for k, v in branch.get("properties", {}).items() if isinstance(v, dict) and "const" in v}
        return bool(consts) and all(k in value and json_equal(value[k], v) for k, v in consts.items())

    def keys_fit(branch: dict) -> bool:
        return bool(branch.get("required")) and all(k in value for k in branch["required"])

    for fits in (const_fits, keys_fit):
        narrowed = [i for i in matching if isinstance(branches[i], dict) and fits(branches[i])]
        if len(narrowed) == 1:
            return narrowed
    return matching


def _only_literal(branch: Any) -> bool:
    return (isinstance(branch, dict) and set(branch) - _ANNOTATIONS <= {"const", "enum", "type"}
            and ("const" in branch or "enum" in branch))


def _branch_types(root: dict, branch: Any) -> set[str] | None:
    """The JSON types a branch can accept, or None when it does not say."""
    if not isinstance(branch, dict):
        return None
    branch = resolve(root, branch)
    if "type" in branch:
        names = {branch["type"]} if isinstance(branch["type"], str) else set(branch["type"])
        return names | ({"integer"} if "number" in names else set())
    if "const" in branch:
        return {json_type(branch["const"])}
    if "enum" in branch:
        return {json_type(option) for option in branch["enum"]}
    return None


def _property_schema(root: dict, schema_path, name: str) -> Any:
    """The schema of a missing field: in the mapping that requires it, or, when the requirement
    sits in an if/then or allOf part, in the nearest enclosing schema that describes the field."""
    for end in range(len(schema_path) - 1, -1, -1):
        found = _node_at(root, schema_path[:end]).get("properties", {}).get(name)
        if found is not None:
            return found
    return None


def _accepts_word(root: dict, node: Any, word: str, depth: int) -> bool:
    """Whether the schema accepts `word` (the missing field may then be written `unknown`)."""
    if not isinstance(node, dict) or depth > 8:
        return False
    node = resolve(root, node)
    if node.get("const") == word or word in node.get("enum", ()):
        return True
    return any(_accepts_word(root, branch, word, depth + 1) for key in ("anyOf", "oneOf") for branch in node.get(key, ()))


def _property_names(root: dict, node: dict, depth: int = 0) -> set[str]:
    """The field names a mapping may have here, for 'did you mean' (through $ref, allOf and branches)."""
    if not isinstance(node, dict) or depth > 8:
        return set()
    node = resolve(root, node)
    names = set(node.get("properties", {}))
    for key in ("allOf", "anyOf", "oneOf"):
        for branch in node.get(key, ()):
            names |= _property_names(root, branch, depth + 1)
    for key in ("then", "else"):
        names |= _property_names(root, node.get(key), depth + 1)
    return names


def resolve(root: dict, node: Any) -> Any:
    """A subschema with a local $ref replaced by its target (following a short chain of them)."""
    for _ in range(8):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#")):
            return node
        node = _node_at(root, _pointer(node["$ref"]))
    return node


def _pointer(ref: str) -> list[str]:
    fragment = ref[1:].lstrip("/")
    return [part.replace("~1", "/").replace("~0", "~") for part in fragment.split("/")] if fragment else []


def _node_at(root: Any, schema_path) -> dict:
    node = root
    for part in schema_path:
        try:
            node = node[int(part) if isinstance(node, list) else part]
        except (KeyError, IndexError, TypeError, ValueError):
            return {}
    return node if isinstance(node, dict) else {}


def _value_at(data: Any, path: Path_) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


# ------------------------------------------------------------------ values JSON does not have


def _plain_json(data: Any) -> bool:
    """False when some number is NaN or infinite, or some value is of a type JSON does not have.

    One flat loop over the containers, scalars checked inline: this runs for every document."""
    if type(data) is not dict and type(data) is not list:
        return _plain_scalar(data)
    stack = [data]
    while stack:
        value = stack.pop()
        for item in value.values() if type(value) is dict else value:
            kind = type(item)
            if kind is str or kind is bool or kind is int or item is None:
                continue
            if kind is dict or kind is list:
                stack.append(item)
            elif kind is not float or item - item != 0.0:  # inf - inf and nan - nan are nan
                return False
    return True


def _plain_scalar(value: Any) -> bool:
    kind = type(value)
    return kind in (str, bool, int, type(None)) or (kind is float and math.isfinite(value))


def _non_json(data: Any) -> dict[Path_, str]:
    """Paths of values jsonschema-rs cannot see as they are: kind 'number', 'type', 'text' or 'key'."""
    found: dict[Path_, str] = {}
    stack: list[tuple[Path_, Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        kind = type(value)
        if kind is dict:
            for key, item in value.items():
                if type(key) is not str or _bad_text(key):
                    found[path + (key,)] = "key"
                stack.append((path + (key,), item))
        elif kind is list:
            stack.extend((path + (index,), item) for index, item in enumerate(value))
        elif kind is float:
            if not math.isfinite(value):
                found[path] = "number"
        elif kind is str:
            if _bad_text(value):
                found[path] = "text"
        elif kind not in (int, bool, type(None)):
            found[path] = "type"
    return found


def _bad_text(text: Any) -> bool:
    if not isinstance(text, str) or text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _check_sanitised(schema: CompiledSchema, data: Any, strange: dict[Path_, str]) -> list[Issue]:
    """Report each strange value itself, and check the rest with those values set aside.

    Paths are escaped (a lone surrogate becomes \\udXXX), and the messages show values with
    repr(): text that cannot be encoded must never reach a terminal or a report."""
    clean = _sanitise(data, (), strange)
    escaped = {_escaped_path(path): kind for path, kind in strange.items()}
    issues = [Issue(_escaped_path(path), "not_json", {"kind": kind, "value": path[-1] if kind == "key" else _value_at(data, path)})
              for path, kind in strange.items()]
    found = _collect(schema, clean, schema.validator.iter_errors(clean))
    issues.extend(issue for issue in found if issue.path not in escaped)
    return _ordered(clean, issues)


def _escaped_path(path: Path_) -> Path_:
    return tuple(_escaped(part) if isinstance(part, str) else part for part in path)


def _sanitise(value: Any, path: Path_, strange: dict[Path_, str]) -> Any:
    kind = strange.get(path)
    if kind in ("number", "type"):
        return None
    if kind == "text":
        return _escaped(value)
    if type(value) is dict:
        return {(_escaped(key) if type(key) is str else str(key)): _sanitise(item, path + (key,), strange)
                for key, item in value.items()}
    if type(value) is list:
        return [_sanitise(item, path + (index,), strange) for index, item in enumerate(value)]
    return value


def _escaped(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


# ------------------------------------------------------------------ order, equality, types


def _ordered(data: Any, issues: list[Issue]) -> list[Issue]:
    """Issues in document order: by the position of each key in its mapping (missing ones first).

    An issue said twice (a schema may state a keyword both beside an anyOf and inside its
    branch, as pydantic does for uniqueItems) is kept once."""
    seen: set = set()
    issues = [issue for issue in issues
              if (marker := (issue.path, issue.code, repr(issue.params))) not in seen and not seen.add(marker)]

    def key(issue: Issue) -> tuple:
        positions = []
        node = data
        for part in issue.path:
            if type(node) is dict:
                keys = list(node)
                positions.append(keys.index(part) if part in node else -1)
                node = node.get(part)
            elif type(node) is list and isinstance(part, int):
                positions.append(part)
                node = node[part] if 0 <= part < len(node) else None
            else:
                positions.append(-1)
                node = None
        return tuple(positions)

    return sorted(issues, key=key)


def _first_repeat(items: Any) -> Any:
    """The first item that repeats an earlier one (JSON equality), in one pass."""
    if not isinstance(items, list):
        return None
    seen: set = set()
    for item in items:
        marker = _hashable(item)
        if marker in seen:
            return item
        seen.add(marker)
    return None


def _hashable(value: Any) -> Any:
    # JSON equality: true is not 1, 1 is 1.0, mapping order does not matter.
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (int, float)):
        return ("number", value)
    if isinstance(value, list):
        return ("list", tuple(_hashable(item) for item in value))
    if isinstance(value, dict):
        return ("dict", frozenset((key, _hashable(item)) for key, item in value.items()))
    return (type(value).__name__, value)


def json_equal(a: Any, b: Any) -> bool:
    return _hashable(a) == _hashable(b)


def json_type(value: Any) -> str:
    """The JSON name of a Python value's type, as people read it in messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if type(value) is int or (type(value) is float and value.is_integer()):
        return "integer"
    if type(value) is float:
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__
