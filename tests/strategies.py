"""Hypothesis strategies for declarations, read from the published declaration schema (the public
contract), not from aicomply's own fact catalogue: every fact the schema offers, of every type
(tri-states, enumerations, numbers, lists of values, lists of mappings), with its stated values and
whether it may be "unknown".

Declarations start from an example or the rule pack's baseline with every safeguard, ethics answer
and filing false, not done or unknown, so that safeguards, obligations and fail-closed answers are in
play in every draw.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from hypothesis import strategies as st

from compliance.declaration.load import read_document
from conftest import EXAMPLES, ROOT
from test_validator_agreement import REFERENCE

UNKNOWN = "unknown"
SCHEMA_NAME = "declaration-v2.schema.json"
SCHEMA = json.loads((ROOT / "schemas" / SCHEMA_NAME).read_text(encoding="utf-8"))
# The oracle: the reference implementation of JSON Schema over the published schema (python-jsonschema,
# ECMA-262 patterns, our uscc format; see test_validator_agreement.py), not our validator.
ORACLE = REFERENCE[SCHEMA_NAME]
EXAMPLE_DATA = [read_document(p, p.name).data for p in sorted(EXAMPLES.glob("*.yaml"))]


def _resolve(node: dict) -> dict:
    while "$ref" in node:
        node = SCHEMA["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node


@dataclass(frozen=True)
class Fact:
    path: tuple[str, ...]
    kind: str  # tristate | enum | number | list | records
    values: tuple = ()  # stated values (tristate, enum) or list items (list)
    unknown: bool = False  # whether "unknown" is a value the schema allows
    minimum: int = 0
    maximum: int = 50_000_000
    min_items: int = 0
    item: dict | None = None  # records: the schema of one mapping

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


def _options(node: dict) -> list[dict]:
    node = _resolve(node)
    return [_resolve(option) for option in node["anyOf"]] if "anyOf" in node else [node]


def _fact(path: tuple[str, ...], node: dict) -> Fact | None:
    options = _options(node)
    unknown = any(o.get("const") == UNKNOWN or UNKNOWN in o.get("enum", ()) for o in options)
    for option in options:
        if "enum" in option:
            stated = tuple(v for v in option["enum"] if v != UNKNOWN)
            kind = "tristate" if True in stated and False in stated else "enum"
            return Fact(path, kind, stated, unknown)
        if option.get("type") == "boolean":
            return Fact(path, "tristate", (True, False), unknown)
        if option.get("type") == "integer":
            return Fact(path, "number", (), unknown, option.get("minimum", 0), option.get("maximum", 50_000_000))
        if option.get("type") == "array":
            items = _resolve(option["items"])
            if "enum" in items:
                return Fact(path, "list", tuple(items["enum"]), unknown, min_items=option.get("minItems", 0))
            if items.get("type") == "string" and path[0] == "standards":  # names of standards
                return Fact(path, "list", ("GB/T 42755-2023", "ISO/IEC 42001:2023"), unknown,
                            min_items=option.get("minItems", 0))
            if "anyOf" in items:  # a list of values or a free-text entry
                enum = [v for o in items["anyOf"] for v in _resolve(o).get("enum", ())]
                if enum:
                    return Fact(path, "list", tuple(enum), unknown, min_items=option.get("minItems", 0))
            if items.get("type") == "object" and "properties" in items:
                return Fact(path, "records", (), unknown, item=items)
    return None  # free text, dates, identifiers: not facts a rule grades on


@cache
def facts() -> tuple[Fact, ...]:
    """Every fact of the declaration schema a condition can read, in schema order."""
    found: list[Fact] = []

    def walk(node: dict, path: tuple[str, ...]) -> None:
        node = _resolve(node)
        if node.get("type") == "object" and "properties" in node:
            for key, child in node["properties"].items():
                walk(child, path + (key,))
        elif path and path[0] not in ("waivers", "attestation"):
            fact = _fact(path, node)
            if fact is not None:
                found.append(fact)

    walk(SCHEMA, ())
    return tuple(found)


def fact(dotted: str) -> Fact:
    return next(f for f in facts() if f.dotted == dotted)


# What the team has done: safeguards, the ethics review and committee, filings (a list of entries), and
# consent where it is the basis.
SAFEGUARD_SECTIONS = ("safeguards", "ethics", "filings")
SAFEGUARDS = tuple(f for f in facts() if (f.path[0] in SAFEGUARD_SECTIONS or f.dotted == "data.consent.obtained")
                   and f.kind == "tristate")
KINDS = ("tristate", "enum", "number", "list", "records")


# -------------------------------------------------------------------------------- values

def stated(f: Fact) -> st.SearchStrategy:
    """A value of the fact other than unknown."""
    if f.kind in ("tristate", "enum"):
        return st.sampled_from(f.values)
    if f.kind == "number":
        return st.integers(f.minimum, min(f.maximum, 50_000_000))
    if f.kind == "list":
        return st.lists(st.sampled_from(f.values), unique=True, min_size=f.min_items, max_size=4)
    return st.lists(record(f.item), max_size=3)


def record(schema: dict) -> st.SearchStrategy:
    """One entry of a list of mappings: every required field, and the optional ones that are stated
    values (enumerations), drawn."""
    required = set(schema.get("required", ()))
    fields, optional = {}, {}
    for key, node in schema["properties"].items():
        options = _options(node)
        enum = [v for o in options for v in o.get("enum", ())]
        if enum:
            (fields if key in required else optional)[key] = st.sampled_from(enum)
        elif key in required:
            kind = next((o.get("type") for o in options if o.get("type") not in (None, "null")), "object")
            fields[key] = {"integer": st.integers(0, 1000), "boolean": st.booleans()}.get(
                kind, st.just("2026-01-01" if any(o.get("format") == "date" for o in options) else "Stated purpose."))
    return st.fixed_dictionaries(fields, optional=optional)


def get(data: dict, path: tuple[str, ...], default: Any = None) -> Any:
    node: Any = data
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return default
        node = node[key]
    return node


def put(data: dict, path: tuple[str, ...], value: Any, *, in_place: bool = False) -> dict:
    """Data (a deep copy unless in_place) with the value at path, parents created as needed."""
    if not in_place:
        data = copy.deepcopy(data)
    node = data
    for key in path[:-1]:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    node[path[-1]] = value
    return data


# ---------------------------------------------------------------------------- declarations

@st.composite
def declarations(draw) -> dict:
    """An example or (as often as all examples together) the pack's low-risk baseline, every
    safeguard and ethics answer false or unknown, every filing not done, pending or unknown."""
    from compliance.evaluate.checklists import load_pack

    start = draw(st.one_of(st.just(load_pack().baseline), st.sampled_from(EXAMPLE_DATA)))
    data = copy.deepcopy(start)
    for f in SAFEGUARDS:
        if get(data, f.path[:-1]) is not None or len(f.path) == 2:  # not inside a section left out
            put(data, f.path, draw(st.sampled_from([False, UNKNOWN])), in_place=True)
    for filing in data.get("filings") or ():
        filing["status"] = draw(st.sampled_from(["not_done", "pending", UNKNOWN]))
        filing.pop("number", None)
        filing.pop("date", None)
    return data


def valid(data: dict) -> bool:
    """Valid for the reference validator: the oracle, independent of aicomply's own."""
    return ORACLE.is_valid(data)


def accepted(data: dict) -> bool:
    """Valid for aicomply's own validator: a precondition of evaluating, not a property under test."""
    from compliance.declaration.validate import schema_issues

    return not schema_issues(data)
