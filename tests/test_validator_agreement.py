"""Our validation layer reports exactly the problems the reference implementation finds.

`aicomply` validates with jsonschema-rs under our own layer (compliance/declaration/schema.py),
which regroups its errors: a missing field at the field's path, each unknown field on its own,
an anyOf either as itself or as the problems of the one branch the value meant. The reference is
the jsonschema package (draft 2020-12, format assertion on, our uscc format registered), with
`pattern` evaluated by regress, an ECMA-262 engine, as JSON Schema means it: Python's `re` would
let "id\\n" match "^...$".

For documents generated from every schema's real files (the examples, the profile, the rule
packs, the incentive documents, a waiver file and a config) by random mutations, valid and
invalid, the set of (place, keyword) our layer reports must be one the reference's errors allow:
nothing more, nothing less. The pydantic model, source of truth of the declaration schema,
must give the same verdict too.
"""

from __future__ import annotations

import copy
import json
import random
from collections import defaultdict
from functools import lru_cache

import jsonschema
import pytest
import regress
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.declaration.load import parse_document, read_document
from compliance.declaration.uscc import has_valid_check_char
from compliance.declaration.validate import schema_issues_for
from conftest import EXAMPLES, ROOT

WAIVER_FILE = """\
waivers:
  - rule: OBL-EXANTE-ASSESSMENT
    product: cv-screener
    justification: "The assessment is commissioned and due in June."
    approver: He Jing, Data Protection Officer
    expires: 2026-09-30
  - rule: GATE-ALGORITHM-FILING
    product: smart-fare
    justification: "Filed on 2026-03-01; the number is not issued yet."
    approver: Li Wei, Legal
    expires: 2026-12-31
"""
CONFIG_FILE = """\
paths: [products, more]
exclude: [drafts/]
fail_on: warning
formats: [text, {format: json, output: report.json}]
lang: zh
"""


def _files(pattern_root, pattern):
    return sorted(pattern_root.glob(pattern))


CASEBOOK = ROOT / "tests" / "casebook"
SOURCES = {
    "declaration-v2.schema.json": _files(EXAMPLES, "*.yaml") + _files(CASEBOOK, "*/declaration.yaml"),
    "declaration-v1.schema.json": _files(ROOT / "tests" / "data" / "examples-v1", "*.yaml"),
    "profile-v2.schema.json": _files(ROOT / "profiles", "*.yaml"),
    "profile-v1.schema.json": _files(ROOT / "tests" / "data" / "incentives", "profile-v1.yaml"),
    "checklist-v1.schema.json": [p for p in _files(ROOT / "checklists" / "shenzhen-2022", "*.yaml") if p.name != "baseline.yaml"]
    + _files(ROOT / "tests" / "data" / "org-pack", "*.yaml"),
    "incentives-v2.schema.json": _files(ROOT / "checklists" / "incentives", "*.yaml"),
}
BY_SCHEMA = {name: [read_document(p, p.name).data for p in paths] for name, paths in SOURCES.items()}
BY_SCHEMA["waivers-v1.schema.json"] = [parse_document(WAIVER_FILE.encode(), "w.yaml", "yaml").data]
BY_SCHEMA["config-v1.schema.json"] = [parse_document(CONFIG_FILE.encode(), "c.yaml", "yaml").data]
DECLARATION = "declaration-v2.schema.json"
TEMPLATES = BY_SCHEMA[DECLARATION][:11]  # the examples' data, also used by test_properties.py
SCHEMAS = {name: json.loads((ROOT / "schemas" / name).read_text(encoding="utf-8")) for name in BY_SCHEMA}
MODELS = {DECLARATION: "compliance.models.declaration", "declaration-v1.schema.json": "compliance.models.declaration_v1"}


def test_every_schema_with_documents_has_templates():
    counts = {name: len(templates) for name, templates in BY_SCHEMA.items()}
    assert counts == {"declaration-v2.schema.json": 11 + 54, "declaration-v1.schema.json": 11,
                      "profile-v2.schema.json": 1, "profile-v1.schema.json": 1, "checklist-v1.schema.json": 6,
                      "incentives-v2.schema.json": 3, "waivers-v1.schema.json": 1, "config-v1.schema.json": 1}


# ------------------------------------------------------------------ the reference


@lru_cache(maxsize=None)
def _ecma(pattern: str):
    return regress.Regex(pattern)


def _ecma_pattern(validator, pattern, instance, schema):
    if validator.is_type(instance, "string") and _ecma(pattern).find(instance) is None:
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


FORMATS = jsonschema.FormatChecker()
FORMATS.checks("uscc")(lambda value: not isinstance(value, str) or has_valid_check_char(value))
EcmaValidator = jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": _ecma_pattern})
REFERENCE = {name: EcmaValidator(schema, format_checker=FORMATS) for name, schema in SCHEMAS.items()}

# Our issue codes, as the keywords the reference names.
KEYWORD = {
    "required": "required", "additional": "additionalProperties", "any_of": "anyOf", "type": "type",
    "enum": "enum", "const": "const", "pattern": "pattern", "format": "format", "not": "not",
    "unique": "uniqueItems", "min_items": "minItems", "max_items": "maxItems", "min_length": "minLength",
    "max_length": "maxLength", "minimum": "minimum", "maximum": "maximum",
    "min_properties": "minProperties", "max_properties": "maxProperties",
    "exclusive_minimum": "exclusiveMinimum", "exclusive_maximum": "exclusiveMaximum", "multiple_of": "multipleOf",
}


def _fixed(error) -> frozenset:
    """What a faithful layer reports for one reference error that is not an anyOf."""
    path = tuple(error.absolute_path)
    keyword = error.validator
    if keyword == "required":
        return frozenset((path + (name,), "required") for name in error.validator_value if name not in error.instance)
    if keyword == "additionalProperties":
        allowed = error.schema.get("properties", {})
        return frozenset((path + (key,), keyword) for key in error.instance if key not in allowed)
    return frozenset({(path, keyword)})


def _faithful(ours: frozenset, errors) -> bool:
    """Whether `ours` is exactly what the reference errors call for, where an anyOf may be
    reported as itself or as the problems of any one of its branches (checked recursively)."""
    fixed = frozenset().union(*(_fixed(e) for e in errors if e.validator != "anyOf"))
    if not fixed <= ours:
        return False
    left = set(ours - fixed)
    # The deepest anyOf first claims what was reported at or below its place.
    for error in sorted((e for e in errors if e.validator == "anyOf"), key=lambda e: -len(e.absolute_path)):
        path = tuple(error.absolute_path)
        claimed = frozenset(item for item in left if item[0][: len(path)] == path)
        left -= claimed
        # A problem the schema states twice (beside the anyOf and inside a branch) is said once.
        shared = frozenset(item for item in fixed if item[0][: len(path)] == path)
        by_branch = defaultdict(list)
        for sub in error.context:
            by_branch[sub.relative_schema_path[0]].append(sub)
        if claimed != {(path, "anyOf")} and not any(
                _faithful(claimed, subs) or (shared and _faithful(claimed | shared, subs)) for subs in by_branch.values()):
            return False
    return not left


def _ours(name: str, data) -> frozenset:
    issues = schema_issues_for(name, data)
    reported = [(issue.path, KEYWORD[issue.code]) for issue in issues]
    assert len(reported) == len(set(reported)), f"reported twice: {reported}"
    return frozenset(reported)


def _assert_agree(name: str, data) -> bool:
    ours = _ours(name, data)
    errors = list(REFERENCE[name].iter_errors(data))
    assert _faithful(ours, errors), (
        f"{name}: ours {sorted(ours, key=repr)}; reference {[(tuple(e.absolute_path), e.validator, e.message[:80]) for e in errors]}")
    if name in MODELS:
        assert _pydantic_valid(MODELS[name], data) == (not errors)
    return not errors


def _pydantic_valid(module: str, data) -> bool:
    import importlib

    from pydantic import ValidationError

    try:
        importlib.import_module(module).Declaration.model_validate(data)
    except ValidationError:
        return False
    return True


# ------------------------------------------------------------------ generated documents

SCALARS = [None, True, False, 0, 1, -1, 1.0, 2.5, 20_000_000, 10**30, "unknown", "not_applicable", "", " ", "yes",
           "public", "credit", "III", "2026-02-30", "2026-02-28", "2026-02-28\n", "con", "<placeholder>",
           "91440300MA5AY4CL1B", "91440300MA5AY4CL1C", "91440300MA5AY4CL1B\n", "a@b.cn", "a@b.cn\n",
           "https://a.cn/x", "x" * 250, "cv-screener", "cv-screener\n", "GRADE-X", "1250.50", "1250.50\n",
           "\u0661\u0662", "\u3000", "工作人员", "a b c d e"]
KEYS = ["extra", "scenaro", "note", "engages", "id", "format", "when", "fact", "$schema", "en", "zh", "kind"]


def _value(rng: random.Random, depth: int = 0):
    roll = rng.random()
    if roll < 0.6 or depth > 1:
        return rng.choice(SCALARS) if rng.random() < 0.85 else "".join(rng.choice("ab -\n<>@.1") for _ in range(rng.randint(0, 6)))
    if roll < 0.8:
        return [_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {rng.choice(KEYS): _value(rng, depth + 1) for _ in range(rng.randint(0, 2))}


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, prefix + (index,))


def mutate(rng: random.Random, template) -> object:
    """A copy of a real document with one to three changes: set, delete, add, newline, repeat, lengthen."""
    data = copy.deepcopy(template)
    for _ in range(rng.randint(1, 3)):
        paths = [p for p in _paths(data) if p]
        if not paths:
            return data
        path = rng.choice(paths)
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        current = parent[path[-1]]
        action = rng.choice(["set", "set", "delete", "add", "newline", "repeat", "lengthen", "unknown"])
        if action == "set":
            parent[path[-1]] = _value(rng)
        elif action == "unknown":
            parent[path[-1]] = "unknown"
        elif action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[rng.choice(KEYS)] = _value(rng)
        elif action == "newline" and isinstance(current, str):
            parent[path[-1]] = current + "\n"
        elif action == "repeat" and isinstance(current, list) and current:
            current.append(copy.deepcopy(rng.choice(current)))
        elif action == "lengthen" and isinstance(current, list) and current:
            current.extend(copy.deepcopy(rng.choice(current)) if rng.random() < 0.5 else f"item {i}"
                           for i in range(rng.choice([5, 120, 600])))
    return data


@st.composite
def mutated(draw, schema: str = DECLARATION):
    """A mutated document of one schema (a declaration by default; test_properties.py uses it)."""
    rng = draw(st.randoms(use_true_random=False))
    return mutate(rng, draw(st.sampled_from(BY_SCHEMA[schema])))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(BY_SCHEMA)), st.data())
def test_ours_reports_what_the_reference_finds(name, data):
    _assert_agree(name, data.draw(mutated(name)))


def test_a_fixed_sweep_covers_valid_and_invalid_documents_of_every_schema():
    rng = random.Random(20261124)
    verdicts = defaultdict(lambda: [0, 0])
    for name in sorted(BY_SCHEMA):
        for _ in range(120):
            document = mutate(rng, rng.choice(BY_SCHEMA[name]))
            verdicts[name][_assert_agree(name, document)] += 1
    for name, (invalid, valid) in verdicts.items():
        assert valid >= 5 and invalid >= 40, (name, valid, invalid)


@pytest.mark.parametrize("name", sorted(BY_SCHEMA))
def test_the_real_files_pass_both(name):
    for data in BY_SCHEMA[name]:
        assert _ours(name, data) == frozenset()
        assert REFERENCE[name].is_valid(data)
        if name in MODELS:
            assert _pydantic_valid(MODELS[name], data)
