"""Issue 9, item 18: a huge list is turned away quickly, with one message that says why.

A `scope.audience` of 90,000 distinct items took 411 s of CPU: the old validator compared every
pair of items for uniqueItems. jsonschema-rs checks uniqueness in one pass, and every list of
the declaration now has a length bound a real declaration never reaches (the bench script
benchmarks/bench_validate.py measures the time; tests assert outcomes only).
"""

from __future__ import annotations

import json

import pytest

from compliance.cli import main
from compliance.declaration.load import parse_document
from compliance.declaration.validate import schema_issues, validate_declaration
from conftest import EXAMPLES, ROOT

CV_TEXT = (EXAMPLES / "cv-screener.yaml").read_text(encoding="utf-8")


def _with_audience(items: str) -> str:
    start = CV_TEXT.index("  audience:")
    return CV_TEXT[:start] + f"  audience: [{items}]" + CV_TEXT[CV_TEXT.index("\n", start):]


def _arrays(node, path=()):
    if isinstance(node, dict):
        if node.get("type") == "array":
            yield path, node
        for key, value in node.items():
            yield from _arrays(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _arrays(value, path + (index,))


@pytest.mark.parametrize("name", ["declaration-v1.schema.json", "declaration-v2.schema.json"])
def test_every_list_of_the_declaration_schema_is_bounded(name):
    schema = json.loads((ROOT / "schemas" / name).read_text(encoding="utf-8"))
    arrays = list(_arrays(schema))
    assert len(arrays) >= 15  # domains, audience, the data and practice lists, standards, transparency, waivers
    unbounded = ["/".join(map(str, path)) for path, node in arrays if not 1 <= node.get("maxItems", 0) <= 500]
    assert unbounded == []
    # A list of enumerated values without repeats can never be longer than its vocabulary.
    for path, node in arrays:
        if node.get("uniqueItems") and "enum" in node.get("items", {}):
            assert node["maxItems"] == len(node["items"]["enum"]), path


def test_a_list_longer_than_its_vocabulary_gets_one_clear_message():
    document = parse_document(_with_audience(", ".join(["public"] * 1000)).encode(), "long.yaml", "yaml")
    messages = [finding.message.en for finding in validate_declaration(document)]
    assert messages == ["scope.audience takes at most 4 items", "scope.audience: 'public' is listed twice"]
    line = CV_TEXT[: CV_TEXT.index("  audience:")].count("\n") + 1
    assert {finding.line for finding in validate_declaration(document)} == {line}


def test_the_hostile_90000_item_audience_is_reported_not_compared_pairwise(runner, tmp_path):
    source = tmp_path / "huge-audience.yaml"
    source.write_text(_with_audience(", ".join(f"a{i}" for i in range(90_000))), encoding="utf-8")
    result = runner.invoke(main, ["check", str(source)])
    assert result.exit_code == 1
    assert "scope.audience takes at most 4 items" in result.output
    # 90,000 values outside the vocabulary plus the length: the first 50 are shown, the rest counted.
    assert "... and 89951 more problems; is this a declaration file?" in result.output
    assert result.output.count("DECL-SCHEMA") == 51


def test_a_long_free_text_list_is_bounded_too():
    data = parse_document(CV_TEXT.encode(), "cv.yaml", "yaml").data
    data["transparency"] = {"capabilities": [f"Ranks applicant number {i}." for i in range(5000)]}
    issues = schema_issues(data)
    assert [(issue.path, issue.code, issue.params["limit"]) for issue in issues] == [
        (("transparency", "capabilities"), "max_items", 100)]
