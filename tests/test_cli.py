"""The command line: exit codes, stdout and stderr kept apart, languages, formats, init."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest

from compliance.cli import main
from compliance.cli.check import check
from compliance.report import FORMATS, make_reporter
from conftest import EXAMPLES, ROOT

REPORT_SCHEMA = json.loads((ROOT / "schemas" / "report-v1.schema.json").read_text(encoding="utf-8"))
LOW = str(EXAMPLES / "internal-code-assistant.yaml")
FAILING = str(EXAMPLES / "ride-hailing-dynamic-pricing.yaml")
WARNING_ONLY = str(EXAMPLES / "credit-scoring-model.yaml")


def test_every_format_choice_has_a_reporter(pack):
    from compliance.models.result import RunInfo

    choices = next(p for p in check.params if p.name == "formats").type.choices
    assert tuple(choices) == FORMATS
    info = RunInfo("0", (("p", "1"),), "error", pack.rules)
    for fmt in choices:
        reporter = make_reporter(fmt, info)
        assert all(callable(getattr(reporter, step)) for step in ("begin", "result", "end"))


def test_version_names_tool_pack_and_yaml_backend(runner):
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert re.search(r"^aicomply \d+\.\d+\.\d+$", result.stdout, re.M)
    assert "rule pack: shenzhen-2022 4.0.0" in result.stdout
    assert re.search(r"YAML backend: (C|pure)", result.stdout)


def test_clean_product_exits_zero_with_a_readable_verdict(runner):
    result = runner.invoke(main, ["check", LOW])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "Risk: LOW" in result.stdout
    assert "OBL-DISCLOSURE  Ex-ante disclosure  [Art. 66 para. 2]" in result.stdout
    assert "Gate: passed" in result.stdout


def test_prohibited_behaviour_fails_the_gate(runner):
    result = runner.invoke(main, ["check", FAILING])
    assert result.exit_code == 1
    assert "A72-5-PRICE-BY-USER-TRAITS  Prices set by users' habits, preferences, location or ability to pay  [Art. 72(5)]" in result.stdout
    assert "Gate: FAILED (1 of 1 file(s) fail at error or above)" in result.stdout
    assert result.stderr == ""


def test_fail_on_sets_the_threshold(runner):
    assert runner.invoke(main, ["check", WARNING_ONLY]).exit_code == 0
    assert runner.invoke(main, ["check", WARNING_ONLY, "--fail-on", "warning"]).exit_code == 1
    assert runner.invoke(main, ["check", LOW, "--fail-on", "info"]).exit_code == 0


def test_chinese_verdict(runner):
    result = runner.invoke(main, ["check", FAILING, "--lang", "zh"])
    assert result.exit_code == 1
    assert "风险等级：中" in result.stdout
    assert "根据用户习惯、偏好、位置或支付能力定价  [第七十二条第二款第（五）项]" in result.stdout
    assert "门禁：未通过" in result.stdout


def test_json_report_matches_its_schema_and_the_issue_contract(runner, in_repo):
    result = runner.invoke(main, ["check", "examples", "--format", "json"])
    assert result.exit_code == 1  # the ride-hailing example fails
    report = json.loads(result.stdout)
    jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(report)
    assert len(report["results"]) == len(list(EXAMPLES.glob("*.yaml")))
    for item in report["results"]:
        assert item["risk_level"] in ("high", "medium", "low")
        assert all({"rule_id", "article"} <= set(r) for r in item["reasons"])
        assert all({"rule_id", "article", "severity", "message", "line"} <= set(f) for f in item["findings"])
        assert all({"id", "article", "status"} <= set(o) for o in item["obligations"])
    assert report["results"][0]["path"] == "examples/childrens-learning-app.yaml"


def test_json_in_chinese(runner):
    report = json.loads(runner.invoke(main, ["check", FAILING, "--format", "json", "--lang", "zh"]).stdout)
    finding = report["results"][0]["findings"][0]
    assert finding["article"] == "第七十二条第二款第（五）项"
    assert finding["title"] == "根据用户习惯、偏好、位置或支付能力定价"


def test_several_formats_in_one_run(runner, tmp_path, in_repo):
    json_file, jsonl_file = tmp_path / "report.json", tmp_path / "report.jsonl"
    result = runner.invoke(main, ["check", "examples", "--format", "json", "-o", str(json_file),
                                  "--format", "jsonl", "-o", str(jsonl_file), "--format", "text"])
    assert result.exit_code == 1
    assert "Gate: FAILED (3 of 11 file(s) fail at error or above)" in result.stdout
    report = json.loads(json_file.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(report)
    lines = jsonl_file.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == report["results"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json", "report.jsonl"]  # no temporary files


def test_jsonl_is_one_result_per_line(runner, in_repo):
    result = runner.invoke(main, ["check", "examples", "--format", "jsonl"])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["product_id"] for row in rows] == sorted(p.stem for p in EXAMPLES.glob("*.yaml"))
    item_schema = dict(REPORT_SCHEMA["$defs"]["result"], **{"$defs": REPORT_SCHEMA["$defs"]})
    for row in rows:
        jsonschema.Draft202012Validator(item_schema).validate(row)


def test_output_file(runner, tmp_path):
    target = tmp_path / "report.json"
    result = runner.invoke(main, ["check", LOW, "--format", "json", "--output", str(target)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["gate"] == "passed"


@pytest.mark.parametrize(
    "args, message",
    [
        (["check", "no/such/file.yaml"], "no/such/file.yaml: no such file or directory"),
        (["check", LOW, "--pack", "no-such-pack"], "unknown rule pack 'no-such-pack'"),
        (["check", LOW, "--format", "json", "--output", "/no/such/dir/out.json"], "folder /no/such/dir does not exist"),
        (["check", LOW, "--output", "report.json"], "--output needs a --format to go with it"),
        (["check", LOW, "--format", "text", "--output", "report.json"], "--output report.json pairs with --format text"),
        (["check", LOW, "--format", "json", "--format", "text"], "only one format can go to standard output"),
        (["check", LOW, "--format", "text", "-o", "a.txt", "-o", "b.txt"], "more --output than --format"),
        (["explain", "GRADE-CLINICLA"], "did you mean GRADE-CLINICAL?"),
    ],
)
def test_tool_errors_exit_2_with_one_line_on_stderr(runner, args, message):
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert "Traceback" not in result.stderr


def test_usage_errors_exit_2(runner):
    assert runner.invoke(main, ["check"]).exit_code == 2
    assert runner.invoke(main, ["check", LOW, "--format", "xml"]).exit_code == 2


def test_a_folder_without_declarations_is_a_tool_error(runner, tmp_path):
    result = runner.invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 2
    assert "no declaration files" in result.stderr


def test_a_broken_rule_pack_exits_2_naming_file_and_line(runner, tmp_path):
    import shutil

    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "checklists" / "shenzhen-2022", pack)
    grading = pack / "grading.yaml"
    grading.write_text(grading.read_text(encoding="utf-8").replace("any_of: [autonomous_driving]", "any_of: [self_driving]"), encoding="utf-8")
    result = runner.invoke(main, ["check", LOW, "--pack", str(pack)])
    assert result.exit_code == 2
    assert re.search(r"grading\.yaml:\d+: GRADE-AUTONOMOUS-DRIVING\.when: \['self_driving'\] not values of scenario\.domains", result.stderr)


def test_rules_lists_every_rule(runner):
    from compliance.evaluate.checklists import load_pack

    result = runner.invoke(main, ["rules"])
    assert result.exit_code == 0
    for rule in load_pack().rules:
        assert re.search(rf"^{re.escape(rule.id)}\s+{rule.kind}", result.stdout, re.M)
    rows = json.loads(runner.invoke(main, ["rules", "--format", "json"]).stdout)["rules"]
    assert {"id", "kind", "severity", "article"} <= set(rows[0])


def test_explain_shows_citations_rationale_condition_and_examples(runner):
    result = runner.invoke(main, ["explain", "a72-5-price-by-user-traits"])
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("A72-5-PRICE-BY-USER-TRAITS: Prices set by users' habits")
    for text in ("SZ AI Regs Art. 72(5)", "SZ Data Regs Art. 69", "PIPL Art. 24 para. 1", "Rationale:",
                 "practices.pricing.basis includes any of [habits, preferences, device, purchase_history, user_location]",
                 'fires: {"practices": {"pricing": {"personalised": true, "basis": ["supply_demand", "payment_capability"]}}}'):
        assert text in out
    zh = runner.invoke(main, ["explain", "A72-5-PRICE-BY-USER-TRAITS", "--lang", "zh"]).stdout
    assert "《深圳经济特区数据条例》第六十九条" in zh and "理由：" in zh


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_init_writes_every_section_and_validates_once_filled_in(runner, tmp_path, lang):
    target = tmp_path / "product.yaml"
    result = runner.invoke(main, ["init", str(target), "--id", "my-product", "--name", "My Product", "--lang", lang])
    assert result.exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert "id: my-product" in text and 'name: "My Product"' in text
    schema = json.loads((ROOT / "schemas" / "declaration-v2.schema.json").read_text(encoding="utf-8"))
    sections = [name for name in schema["properties"] if name != "$schema"]
    assert [name for name in sections if not re.search(rf"^{name}:", text, re.MULTILINE)] == []
    # Unfilled, it is invalid and says which placeholder to fill.
    unfilled = runner.invoke(main, ["check", str(target)])
    assert unfilled.exit_code == 1 and "is a placeholder; fill it in" in unfilled.stdout
    # Each placeholder holds the schema's own example: filled with them, it validates.
    placeholders = re.findall(r"<e\.g\. ([^>]*)>", text)
    assert len(placeholders) >= 20
    target.write_text(re.sub(r"<e\.g\. ([^>]*)>", lambda m: m.group(1), text), encoding="utf-8")
    filled = runner.invoke(main, ["check", str(target), "--format", "json"])
    report = json.loads(filled.stdout)["results"][0]
    assert report["valid"] is True, report["findings"][:3]
    assert report["risk_level"] == "high"  # everything left unknown is graded as the risky answer
    assert any(r["assumed"] for r in report["reasons"])


def test_init_in_chinese_and_never_overwrites(runner, tmp_path):
    target = tmp_path / "declaration.yaml"
    assert runner.invoke(main, ["init", str(target), "--lang", "zh"]).exit_code == 0
    original = target.read_bytes()
    assert "第六十六条" in original.decode("utf-8")
    again = runner.invoke(main, ["init", str(target)])
    assert again.exit_code == 1
    assert "already exists" in again.stderr and str(target) in again.stderr
    assert target.read_bytes() == original
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_init_refuses_a_bad_id(runner, tmp_path):
    result = runner.invoke(main, ["init", str(tmp_path / "x.yaml"), "--id", "Bad Id"])
    assert result.exit_code == 2 and "not a product id" in result.stderr
    assert not (tmp_path / "x.yaml").exists()
