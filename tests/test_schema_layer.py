"""The validation layer over jsonschema-rs (compliance/declaration/schema.py) and its messages.

It must serve any schema of ours, including the declaration format that comes after v1, so
most tests here use a schema made up for the test, with no v1 field name in it.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from compliance.cli import main
from compliance.declaration.schema import SchemaError, check, compile_schema, issues_for
from compliance.declaration.validate import describe_issue, schema_issues
from compliance.declaration.load import read_document
from conftest import EXAMPLES, ROOT

GOOD_USCC = "91440300MA5AY4CL1B"
BAD_USCC = "91440300MA5AY4CL1C"

# A v2-like schema: a discriminated union of parties, bilingual text, unknown where allowed.
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://example.test/party.schema.json",
    "type": "object",
    "additionalProperties": False,
    "required": ["party", "headcount", "summary"],
    "properties": {
        "party": {"oneOf": [{"$ref": "#/$defs/Enterprise"}, {"$ref": "#/$defs/Authority"}]},
        "headcount": {"anyOf": [{"type": "integer", "minimum": 0}, {"const": "unknown"}]},
        "summary": {"anyOf": [{"type": "string", "minLength": 1, "pattern": "\\S"}, {"$ref": "#/$defs/Bilingual"}]},
        "tags": {"type": "array", "items": {"enum": ["alpha", "beta", "gamma"]}, "uniqueItems": True, "maxItems": 3},
        "started": {"type": "string", "format": "date"},
        "note": {"type": ["string", "null"]},
    },
    "$defs": {
        "Enterprise": {"type": "object", "additionalProperties": False, "required": ["kind", "code"],
                       "properties": {"kind": {"const": "enterprise"},
                                      "code": {"type": "string", "pattern": "^[0-9A-Z]{18}$", "format": "uscc"}}},
        "Authority": {"type": "object", "additionalProperties": False, "required": ["kind", "level"],
                      "properties": {"kind": {"const": "authority"}, "level": {"enum": ["city", "district"]}}},
        "Bilingual": {"type": "object", "additionalProperties": False, "required": ["en", "zh"],
                      "properties": {"en": {"type": "string"}, "zh": {"type": "string"}}},
    },
}
COMPILED = compile_schema(SCHEMA)
VALID = {"party": {"kind": "enterprise", "code": GOOD_USCC}, "headcount": 12, "summary": {"en": "A bot.", "zh": "机器人。"},
         "tags": ["alpha"], "started": "2026-01-31", "note": None}


def _messages(data, lang="en"):
    return [describe_issue(issue, lang) for issue in check(COMPILED, data)]


def _with(**changes):
    data = json.loads(json.dumps(VALID))
    data.update(changes)
    return data


def test_a_valid_document_has_no_issues():
    assert check(COMPILED, VALID) == []


def test_a_missing_field_is_named_with_the_unknown_hint_only_where_the_schema_takes_unknown():
    data = _with()
    del data["headcount"], data["summary"]
    assert _messages(data) == ["missing required field 'headcount'; write unknown if you do not know",
                               "missing required field 'summary'"]
    assert _messages(data, "zh")[0] == "缺少必填字段“headcount”；如不确定，请填写 unknown"


def test_unknown_fields_each_get_did_you_mean():
    data = _with(sumary="x", tagz=["alpha"])
    assert _messages(data) == ["unknown field 'sumary'; did you mean 'summary'?",
                               "unknown field 'tagz'; did you mean 'tags'?"]


def test_a_discriminated_union_reports_the_branch_the_value_names():
    data = _with(party={"kind": "enterprise", "code": BAD_USCC})
    assert _messages(data) == [
        f"party.code: check digit of unified social credit code {BAD_USCC} is wrong "
        "(GB 32100-2015: the last character should be B); copy it from the business licence"]
    data = _with(party={"kind": "authority", "levl": "city"})
    assert _messages(data) == ["missing required field 'party.level'", "unknown field 'party.levl'; did you mean 'level'?"]


def test_bilingual_text_narrows_by_type():
    assert _messages(_with(summary={"en": "A bot.", "zhh": "机器人。"})) == [
        "missing required field 'summary.zh'", "unknown field 'summary.zhh'; did you mean 'zh'?"]
    assert _messages(_with(summary=" ")) == ["summary: ' ' should be some text, not only spaces"]
    assert _messages(_with(headcount="many")) == ["headcount: expected a whole number or unknown, got 'many'"]
    assert _messages(_with(headcount="many"), "zh") == ["“headcount”的值 'many' 类型不符，应为：整数，或unknown"]


def test_lists_dates_and_types():
    assert _messages(_with(tags=["alpha", "beta", "alpha", "gamma"])) == [
        "tags takes at most 3 items", "tags: 'alpha' is listed twice"]
    assert _messages(_with(tags=["alpha", "delta"])) == [
        "tags[1]: 'delta' is not allowed; use one of: 'alpha', 'beta', 'gamma'; did you mean 'beta'?"]
    assert _messages(_with(started="2026-02-30")) == ["started: '2026-02-30' is not a real date (YYYY-MM-DD)"]
    assert _messages(_with(note=3)) == ['note: expected text or null, got 3 (quote it to make it text: "3")']


def test_a_value_matching_two_one_of_branches_is_ambiguous():
    schema = compile_schema({"oneOf": [{"type": "integer"}, {"type": "number"}]})
    [issue] = check(schema, 3)
    assert describe_issue(issue, "en") == "the top level: 3 fits more than one of the allowed forms, so its meaning is unclear; write it one way"


def test_issues_come_in_document_order_a_missing_field_before_its_siblings():
    data = {"tags": ["delta"], "party": {"kind": "authority", "level": "town"}, "summary": 5}
    assert [issue.path for issue in check(COMPILED, data)] == [
        ("headcount",), ("tags", 0), ("party", "level"), ("summary",)]


def test_an_unknown_format_is_refused_when_the_schema_is_compiled():
    with pytest.raises(SchemaError, match="nope"):
        compile_schema({"type": "string", "format": "nope"})


def test_the_uscc_format_checks_the_check_digit_only():
    schema = compile_schema({"type": "string", "format": "uscc"})
    assert check(schema, GOOD_USCC) == []
    assert [i.code for i in check(schema, BAD_USCC)] == ["format"]
    assert check(schema, "not a code") == []  # the shape is the pattern's business


def test_every_published_schema_compiles():
    names = sorted(p.name for p in (ROOT / "schemas").glob("*.schema.json"))
    assert len(names) == 14  # the register record bodies (4) joined the ten
    for name in names:
        assert issues_for(name, {}) is not None


# ------------------------------------------------------------------ values JSON does not have


def test_nan_and_infinity_are_reported_not_read_as_null():
    data = _with(note=float("nan"), headcount=float("inf"))
    assert _messages(data) == ["headcount: inf is not a finite number; write a number",
                               "note: nan is not a finite number; write a number"]
    assert _messages(data, "zh")[1] == "“note”的值 nan 不是有限数字；请填写数字"


def test_a_yaml_nan_where_the_declaration_takes_null_is_an_error(tmp_path, runner):
    example = read_document(EXAMPLES / "internal-code-assistant.yaml", "x")
    data = json.loads(json.dumps(example.data))
    data["product"]["description"] = None
    assert schema_issues(data) == []  # null is fine here, and jsonschema-rs alone reads NaN as null
    text = (EXAMPLES / "internal-code-assistant.yaml").read_text(encoding="utf-8")
    start = text.index("  description:\n")
    end = text.index("\n", text.index("    zh:", start)) + 1
    source = tmp_path / "nan.yaml"
    source.write_text(text[:start] + "  description: .nan\n" + text[end:], encoding="utf-8")
    result = runner.invoke(main, ["check", str(source)])
    assert result.exit_code == 1 and isinstance(result.exception, (SystemExit, type(None))), result.output
    assert "product.description: nan is not a finite number; write a number" in result.output


def test_lone_surrogates_in_text_and_keys_are_reported():
    data = _with(note="ok \ud800", party={"kind": "enterprise", "code": GOOD_USCC, "\udfff": 1})
    assert _messages(data) == [
        "party.\\udfff: '\\udfff' holds a lone surrogate, which is not valid Unicode text; remove it",
        "note: 'ok \\ud800' holds a lone surrogate, which is not valid Unicode text; remove it"]
    # (The loader refuses them in files; data from elsewhere reaches the layer as it is.)


def test_a_toml_date_in_the_config_is_named(tmp_path, runner, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.aicomply]\nfail_on = "error"\nlang = 2026-01-01\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["config"])
    assert result.exit_code == 2
    assert 'pyproject.toml:3: config: lang: 2026-01-01 is a date or time value; write it as quoted text: "2026-01-01"' in result.output


# ------------------------------------------------------------------ patterns read as ECMA-262


def _patterns(node):
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            yield node["pattern"]
        for value in node.values():
            yield from _patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from _patterns(value)


# One value each anchored pattern of our schemas accepts; a new pattern needs a sample here.
SAMPLES = {
    "^<[^<>]*>$": "<product name>",
    "^\\d{4}-\\d{2}-\\d{2}$": "2026-01-31",
    "^\\d{1,13}(\\.\\d{1,2})?$": "1250.50",
    "^(\\d{1,13}(\\.\\d{1,2})?|unknown)$": "unknown",
    "^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$": "GRADE-X1",
    "^[a-z0-9]+(-[a-z0-9]+)*$": "cv-screener",
    "^[a-z][a-z0-9_]*$": "art44_area",
    "^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$": GOOD_USCC,
    "^[0-9a-f]{64}$": "0" * 64,
    "^\\d+\\.\\d+\\.\\d+$": "1.1.0",
    "^[a-z0-9_-]+\\.ya?ml$": "grading.yaml",
    "^(\\$[a-z_]+|[a-z_$][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)*)$": "practices.pricing.basis",
    "^[A-Z][A-Z0-9-]*$": "A72",
    "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$": "dpo@talentcloud.example.cn",
    "^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*$": "Asia/Shanghai",  # config: the time zone
    "^https?://\\S+$": "https://example.cn/x",
    "^0(\\.\\d{1,4})?$|^1(\\.0{1,4})?$": "0.5",
    "^[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)*$": "practices.pricing",
    "^(laws/[^/]+\\.md|[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+@[0-9a-f]{7,40}:.+|https://.+)$": "https://example.cn/law",
}


def test_every_anchored_pattern_of_our_schemas_refuses_a_trailing_newline():
    patterns = set()
    schemas = sorted((ROOT / "schemas").glob("*.schema.json"))
    assert len(schemas) >= 10
    for path in schemas:
        patterns.update(_patterns(json.loads(path.read_text(encoding="utf-8"))))
    anchored = {p for p in patterns if p.endswith("$")}
    assert anchored == set(SAMPLES)
    for pattern, sample in SAMPLES.items():
        schema = compile_schema({"type": "string", "pattern": pattern})
        assert check(schema, sample) == [], pattern
        assert [i.code for i in check(schema, sample + "\n")] == ["pattern"], pattern
        assert [i.code for i in check(schema, sample + "\r\n")] == ["pattern"], pattern


def test_digits_and_spaces_are_read_as_ecma_262_does():
    digits = compile_schema({"type": "string", "pattern": "^\\d+$"})
    assert check(digits, "123") == []
    assert [i.code for i in check(digits, "\u0661\u0662\u0663")] == ["pattern"]  # Arabic-Indic digits
    text = compile_schema({"type": "string", "pattern": "\\S"})
    assert [i.code for i in check(text, "\u3000\u00a0 ")] == ["pattern"]  # ideographic and no-break spaces


# ------------------------------------------------------------------ start-up cost


def test_the_library_is_imported_only_when_something_is_validated():
    code = ("import sys\nfrom compliance.cli import main\nimport compliance.pipeline, compliance.declaration.validate\n"
            "main(['--version'], standalone_mode=False)\nprint('jsonschema_rs' in sys.modules)\n"
            "from compliance.declaration.validate import schema_issues\nschema_issues({})\n"
            "print('jsonschema_rs' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-2:] == ["False", "True"]


def test_declaration_examples_still_validate():
    paths = sorted(EXAMPLES.glob("*.yaml"))
    assert len(paths) == 11
    for path in paths:
        assert schema_issues(read_document(path, path.name).data) == []


def test_findings_with_lines_come_from_whichever_schema_is_named():
    """validate_declaration serves another schema as is (as it will the next declaration format)."""
    from compliance.declaration.load import parse_document
    from compliance.declaration.validate import validate_declaration

    text = (ROOT / "profiles" / "example-profile.yaml").read_text(encoding="utf-8")
    assert "  district: longgang\n" in text and "  size: small\n" in text
    text = text.replace("  district: longgang\n", "  distrct: longgang\n", 1).replace("  size: small\n", "  size: tiny\n", 1)
    document = parse_document(text.encode(), "profile.yaml", "yaml")
    findings = validate_declaration(document, "profile-v2.schema.json")
    assert [(f.line, f.message.en.split(";")[0]) for f in findings] == [
        (text[: text.index("enterprise:")].count("\n") + 1, "missing required field 'enterprise.district'"),  # at its mapping
        (text[: text.index("  distrct")].count("\n") + 1, "unknown field 'enterprise.distrct'"),
        (text[: text.index("  size: tiny")].count("\n") + 1, "enterprise.size: 'tiny' is not allowed"),
    ]
    assert "did you mean 'district'?" in findings[1].message.en
