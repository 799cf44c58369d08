"""Our compiled validator, the jsonschema package and the pydantic model must agree.

The validator that runs in `aicomply check` is our own (schema_check.py, for speed); the
jsonschema package is the reference implementation of the published schema; the pydantic model
is its source of truth. Generated mutations of the examples must get the same verdict from all
three, or one of them has drifted.
"""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, ROOT
from compliance.declaration.load import read_document
from compliance.declaration.uscc import has_valid_check_char
from compliance.declaration.validate import schema_issues

SCHEMA = json.loads((ROOT / "schemas" / "declaration-v2.schema.json").read_text(encoding="utf-8"))
FORMATS = jsonschema.FormatChecker()
FORMATS.checks("uscc")(lambda value: not isinstance(value, str) or has_valid_check_char(value))
REFERENCE = jsonschema.Draft202012Validator(SCHEMA, format_checker=FORMATS)
TEMPLATES = [read_document(p, p.name).data for p in sorted(EXAMPLES.glob("*.yaml"))]

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 20_000_000), st.sampled_from(
        ["unknown", "not_applicable", "", " ", "yes", "public", "credit", "III", "2026-02-30", "2026-02-28",
         "con", "<placeholder>", "91440300MA5AY4CL1B", "91440300MA5AY4CL1C", "a@b.cn", "x" * 250]),
    st.text(max_size=12),
)
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=3), st.dictionaries(st.sampled_from(["a", "engages", "note"]), SCALARS, max_size=2))


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, prefix + (index,))


@st.composite
def mutated(draw):
    data = copy.deepcopy(draw(st.sampled_from(TEMPLATES)))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        path = draw(st.sampled_from(paths))
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        action = draw(st.sampled_from(["set", "delete", "add"]))
        if action == "set":
            parent[path[-1]] = draw(VALUES)
        elif action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "scenaro", "note"]))] = draw(SCALARS)
    return data


def _pydantic_valid(data) -> bool:
    from pydantic import ValidationError

    from compliance.models.declaration import Declaration

    try:
        Declaration.model_validate(data)
    except ValidationError:
        return False
    return True


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_three_validators_agree_on_mutated_declarations(data):
    ours = not schema_issues(data)
    reference = REFERENCE.is_valid(data)
    assert ours == reference, list(REFERENCE.iter_errors(data))[:2] or schema_issues(data)[:2]
    assert _pydantic_valid(data) == reference


@settings(max_examples=200, deadline=None)
@given(mutated())
def test_every_reference_error_location_is_reported_by_ours(data):
    """Where jsonschema finds a problem, ours reports one at that place or below it."""
    ours = [issue.path for issue in schema_issues(data)]
    for error in REFERENCE.iter_errors(data):
        where = tuple(error.absolute_path)
        if error.validator == "required":
            continue  # reported at the parent by jsonschema, at the missing field by us
        assert any(path[: len(where)] == where for path in ours), (where, error.message, ours)


@pytest.mark.parametrize("index", range(len(TEMPLATES)))
def test_examples_pass_all_three(index):
    data = TEMPLATES[index]
    assert not schema_issues(data)
    assert REFERENCE.is_valid(data)
    assert _pydantic_valid(data)
