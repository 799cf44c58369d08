"""The facts a declaration can state, read from the declaration schema.

Rules name facts by dotted path (``practices.pricing.basis``). The catalog tells the rule
compiler, for each path, whether it exists, which values it can take and what it is when left
out. A rule that names a path or a value the schema does not know is refused at load, so a typo
in a rule pack cannot silently switch a rule off.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from compliance import resources
from compliance.declaration.schema import resolve, schema_document

V1, V2 = "aicomply/v1", "aicomply/v2"  # the declaration formats
DECLARATION_SCHEMA = "declaration-v2.schema.json"  # the facts rules read; v1 files are upgraded first
DECLARATION_V1_SCHEMA = "declaration-v1.schema.json"


class _Missing:
    """A fact the declaration does not state and the schema gives no default for."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
ITEM = "[]"  # path segment standing for "each item of the list"


@dataclass(frozen=True)
class Fact:
    """What the schema says about one path."""

    path: tuple[str, ...]
    kinds: frozenset[str]  # JSON types accepted ("array", "string", "boolean", "object", ...)
    values: tuple[Any, ...] | None  # every scalar value allowed, when the set is finite
    item_values: tuple[Any, ...] | None  # for a list of enumerated values
    default: Any = MISSING
    min_items: int = 0
    accepts_unknown: bool = False

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


class FactCatalog:
    def __init__(self, facts: dict[tuple[str, ...], Fact]) -> None:
        self._facts = facts

    def get(self, path: tuple[str, ...]) -> Fact | None:
        return self._facts.get(path)

    def __iter__(self):
        return iter(self._facts.values())

    @classmethod
    def from_schema(cls, schema: dict) -> FactCatalog:
        facts: dict[tuple[str, ...], Fact] = {}
        _collect(schema, schema, (), MISSING, facts)
        return cls(facts)


def is_v1(data: Any) -> bool:
    """A declaration in format v1: still read, upgraded to v2 in memory."""
    return isinstance(data, MutableMapping) and data.get("format") == V1


def schema_path():
    return resources.schema_path(DECLARATION_SCHEMA)


def declaration_schema() -> dict:
    """The declaration schema, parsed once and shared with the validator: read it, never change it."""
    return schema_document(DECLARATION_SCHEMA)


@cache
def declaration_catalog() -> FactCatalog:
    return FactCatalog.from_schema(declaration_schema())


def _branches(root: dict, node: Any) -> list[dict]:
    node = resolve(root, node)
    if isinstance(node, dict) and "anyOf" in node:
        return [b for branch in node["anyOf"] for b in _branches(root, branch)]
    return [node] if isinstance(node, dict) else []


def _collect(root: dict, node: Any, path: tuple[str, ...], default: Any, out: dict) -> None:
    branches = _branches(root, node)
    kinds: set[str] = set()
    values: list[Any] = []
    finite = True
    item_values: list[Any] | None = None
    min_items = 0
    for branch in branches:
        if "const" in branch:
            values.append(branch["const"])
            kinds.add(_kind_of(branch["const"]))
        elif "enum" in branch:
            values.extend(branch["enum"])
            kinds.update(_kind_of(v) for v in branch["enum"])
        elif branch.get("type") == "null":
            values.append(None)
            kinds.add("null")
        else:
            kinds.add(branch.get("type", "any"))
            finite = False
        if branch.get("type") == "object" or "properties" in branch:
            for name, sub in branch.get("properties", {}).items():
                _collect(root, sub, path + (name,), _default(sub), out)
        if branch.get("type") == "array":
            min_items = branch.get("minItems", 0)
            items = resolve(root, branch.get("items", {}))
            item_branches = _branches(root, items)
            enumerated = [v for b in item_branches for v in b.get("enum", [b["const"]] if "const" in b else [])]
            if enumerated:
                item_values = enumerated
            for item in item_branches:
                if item.get("type") == "object":
                    for name, sub in item.get("properties", {}).items():
                        _collect(root, sub, path + (ITEM, name), _default(sub), out)
    if path:
        out[path] = Fact(
            path=path,
            kinds=frozenset(kinds),
            values=tuple(values) if finite and values else None,
            item_values=tuple(item_values) if item_values else None,
            default=default,
            min_items=min_items,
            accepts_unknown=any(
                b.get("const") == "unknown" or "unknown" in b.get("enum", ()) for b in branches
            ),
        )


def _default(prop: Any) -> Any:
    return prop.get("default", MISSING) if isinstance(prop, dict) else MISSING


def _kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, str):
        return "string"
    return "any"
