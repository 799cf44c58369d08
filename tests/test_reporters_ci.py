"""CI formats: SARIF against the official schema, JUnit through a real XML parser, GitHub
annotations and the Markdown step summary."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from compliance.cli import main
from compliance.evaluate.checklists import load_pack
from compliance.models.result import RunInfo
from compliance.pipeline import check_bytes
from compliance.report import render
from compliance.tool_rules import TOOL_RULES
from conftest import EXAMPLES, ROOT, line_of

SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
PACK = load_pack()
INFO = RunInfo("0.1.0", ((PACK.id, PACK.version),), "error", PACK.rules)
BROKEN = b"format: aicomply/v1\nproduct: {id: x}\nscenaro: 1\n"


def _results(*extra):
    examples = sorted(EXAMPLES.glob("*.yaml"))
    assert len(examples) == 11
    results = [check_bytes(p.read_bytes(), f"examples/{p.name}", "yaml", PACK) for p in examples]
    return results + [check_bytes(raw, name, "yaml", PACK) for name, raw in extra]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_sarif_validates_against_the_official_schema(lang):
    sarif = json.loads(render("sarif", INFO, _results(("broken.yaml", BROKEN)), lang))
    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(sarif)
    assert sarif["version"] == "2.1.0"


def test_sarif_rules_one_entry_per_rule_with_article_and_chinese():
    run = json.loads(render("sarif", INFO, _results()))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    assert len(ids) == len(set(ids)) == len(PACK.rules) + len(TOOL_RULES)
    price = next(rule for rule in rules if rule["id"] == "A72-5-PRICE-BY-USER-TRAITS")
    assert price["properties"]["article"] == "Art. 72(5)"
    assert price["properties"]["zh"]["title"] == "根据用户习惯、偏好、位置或支付能力定价"
    assert price["properties"]["zh"]["article"] == "第七十二条第二款第（五）项"
    assert "What to do:" in price["help"]["text"] and "SZ Data Regs Art. 69" in price["help"]["text"]
    assert price["defaultConfiguration"]["level"] == "error"
    levels = {rule["id"]: rule["defaultConfiguration"]["level"] for rule in rules}
    assert levels["A72-4-OTHER-GROUNDS"] == "warning" and levels["A72-5-LAWFUL-EXCEPTION"] == "note"


def test_sarif_results_carry_level_region_and_rule_index():
    run = json.loads(render("sarif", INFO, _results(("broken.yaml", BROKEN))))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    by_rule = {r["ruleId"]: r for r in run["results"]}
    price = by_rule["A72-5-PRICE-BY-USER-TRAITS"]
    assert price["level"] == "error"
    assert price["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "examples/ride-hailing-dynamic-pricing.yaml"
    assert price["locations"][0]["physicalLocation"]["region"]["startLine"] == line_of(EXAMPLES / "ride-hailing-dynamic-pricing.yaml", "personalised: true")
    assert rules[price["ruleIndex"]]["id"] == price["ruleId"]
    assert by_rule["A72-4-OTHER-GROUNDS"]["level"] == "warning"
    assert by_rule["A72-5-LAWFUL-EXCEPTION"]["level"] == "note"
    schema_error = by_rule["DECL-SCHEMA"]
    assert schema_error["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    grades = {a["location"]["uri"]: a["properties"]["riskLevel"] for a in run["artifacts"]}
    assert grades["examples/robotaxi-service.yaml"] == "high" and grades["broken.yaml"] is None


def test_sarif_fingerprints_survive_edits_that_move_lines():
    original = (EXAMPLES / "ride-hailing-dynamic-pricing.yaml").read_bytes()
    moved = b"# a comment added at the top\n# and another\n" + original
    first = json.loads(render("sarif", INFO, [check_bytes(original, "r.yaml", "yaml", PACK)]))["runs"][0]["results"][0]
    second = json.loads(render("sarif", INFO, [check_bytes(moved, "r.yaml", "yaml", PACK)]))["runs"][0]["results"][0]
    region = lambda r: r["locations"][0]["physicalLocation"]["region"]["startLine"]  # noqa: E731
    assert region(second) == region(first) + 2
    assert second["partialFingerprints"] == first["partialFingerprints"]


def test_junit_parses_and_has_the_junit_shape():
    xml = render("junit", INFO, _results(("broken.yaml", BROKEN)))
    root = ET.fromstring(xml)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 12
    for suite in suites:
        cases = suite.findall("testcase")
        assert {"name", "tests", "failures", "errors", "skipped"} <= set(suite.attrib)
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
        assert int(suite.get("skipped")) == sum(1 for c in cases if c.find("skipped") is not None)
        for case in cases:
            assert case.get("classname") and case.get("name")
            failure = case.find("failure")
            if failure is not None:
                assert failure.get("message") and failure.get("type") in ("error", "warning", "info")
    cv = next(s for s in suites if s.get("name") == "examples/cv-screener.yaml")
    failing = [c for c in cv.findall("testcase") if c.find("failure") is not None]
    assert [c.get("name") for c in failing] == ["OBL-EXANTE-ASSESSMENT Ex-ante assessment"]
    assert "[Art. 66 para. 2]" in failing[0].find("failure").text
    names = [c.get("name") for c in cv.findall("testcase")]
    assert names[0] == "grading" and "Art. 72(5) price discrimination and consumer fraud by algorithm" in names
    broken = suites[-1]
    assert broken.get("failures") == "1" and "unknown field 'scenaro'" in broken.find("testcase/failure").text


def test_junit_stays_well_formed_when_a_value_holds_control_characters():
    # XML 1.0 cannot carry most C0 controls, even escaped; a product id quoted in a message once broke the report.
    raw = (EXAMPLES / "industrial-defect-detector.yaml").read_bytes().replace(
        b"id: industrial-defect-detector", b'id: "bad\\x1fid\\x00"')
    result = check_bytes(raw, "control.yaml", "yaml", PACK)
    assert not result.valid
    failure = ET.fromstring(render("junit", INFO, [result])).find("testsuite/testcase/failure")
    assert "bad\\x1fid\\x00" in failure.text


def test_junit_fail_on_warning_fails_warning_cases():
    info = RunInfo("0.1.0", ((PACK.id, PACK.version),), "warning", PACK.rules)
    root = ET.fromstring(render("junit", info, _results()))
    cv = next(s for s in root.findall("testsuite") if s.get("name") == "examples/cv-screener.yaml")
    assert cv.get("failures") == "3"  # ex-ante assessment, Art. 72(4), security testing


ANNOTATION = re.compile(r"^::(error|warning|notice) file=[^,:]+(,line=\d+(,col=\d+)?)?,title=[^:]+::.+$")


def test_github_annotations_are_workflow_commands():
    lines = render("github", INFO, _results(("broken.yaml", BROKEN))).splitlines()
    assert lines and all(ANNOTATION.match(line) for line in lines), lines
    line = line_of(EXAMPLES / "ride-hailing-dynamic-pricing.yaml", "personalised: true")
    assert f"::error file=examples/ride-hailing-dynamic-pricing.yaml,line={line},title=A72-5-PRICE-BY-USER-TRAITS Prices set by users' habits%2C preferences%2C location or ability to pay::" in "\n".join(lines)
    assert sum(line.startswith("::notice") for line in lines) == 1  # the lawful-exception info


def test_github_escapes_newlines_and_percent():
    from compliance.report.github import _data, _property

    assert _data("50% off\nnow") == "50%25 off%0Anow"
    assert _property("a,b:c") == "a%2Cb%3Ac"


def test_markdown_summary_carries_every_finding():
    results = _results(("broken.yaml", BROKEN))
    markdown = render("markdown", INFO, results)
    rows = [line for line in markdown.splitlines() if line.startswith("| ") and not line.startswith("| File")]
    findings = sum(len(r.findings) for r in results)
    empty = sum(1 for r in results if not r.findings)
    assert len(rows) == findings + empty
    assert "**Gate: FAILED (4 of 12 file(s) fail at error or above)**" in markdown


def test_every_format_via_the_cli(runner, tmp_path, in_repo):
    files = {"sarif": "r.sarif", "junit": "r.xml", "markdown": "summary.md", "jsonl": "r.jsonl", "json": "r.json"}
    args = ["check", "examples"]
    for fmt, name in files.items():
        args += ["--format", fmt, "-o", str(tmp_path / name)]
    args += ["--format", "github"]
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    assert result.stdout.startswith("::")
    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8")))
    ET.fromstring((tmp_path / "r.xml").read_text(encoding="utf-8"))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(files.values())


def test_json_lines_stay_one_line_each_whatever_the_text(tmp_path, runner):
    """U+0085, U+2028, U+2029 and the file separators are legal raw in JSON, but str.splitlines and
    many log shippers break records at them: the reports write them escaped."""
    text = (EXAMPLES / "internal-code-assistant.yaml").read_text(encoding="utf-8")
    path = tmp_path / "odd.yaml"
    path.write_text(text.replace("version: 1.4.0", 'version: "1\\u0085\\u2028\\u2029\\x1c4"', 1), encoding="utf-8")
    out = runner.invoke(main, ["check", str(path), "--format", "jsonl"]).stdout
    lines = out.splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["product_version"] == "1\u0085\u2028\u2029\x1c4"
    report = runner.invoke(main, ["check", str(path), "--format", "json"]).stdout
    assert len(report.splitlines()) == 1
