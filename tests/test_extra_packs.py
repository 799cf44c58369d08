"""An organisation's own rule pack beside the Shenzhen one: same schema, own ids and citations."""

from __future__ import annotations

import json
import shutil

from compliance.cli import main
from conftest import EXAMPLES, ROOT

ORG = str(ROOT / "tests" / "data" / "org-pack")


def test_extra_pack_rules_report_with_their_own_ids(runner):
    result = runner.invoke(main, ["check", str(EXAMPLES / "robotaxi-service.yaml"), "--extra-pack", ORG,
                                  "--format", "json"])
    report = json.loads(result.stdout)
    findings = {f["rule_id"]: f for f in report["results"][0]["findings"]}
    assert findings["ACME-NO-FULL-AUTONOMY"]["article"] == "Art. 9 para. 2"
    assert findings["ACME-NO-FULL-AUTONOMY"]["citations"] == ["ACME AI Policy Art. 9 para. 2"]
    statuses = {o["id"]: o["status"] for o in report["results"][0]["obligations"]}
    assert statuses["ACME-LOGGING"] == "met"


def test_extra_pack_in_rules_explain_sarif_and_config(runner, tmp_path, monkeypatch):
    assert "ACME-LOGGING" in runner.invoke(main, ["rules", "--extra-pack", ORG]).stdout
    explained = runner.invoke(main, ["explain", "ACME-LOGGING", "--extra-pack", ORG, "--lang", "zh"]).stdout
    assert "《ACME 人工智能政策》第七条" in explained
    monkeypatch.chdir(tmp_path)
    (tmp_path / "aicomply.yaml").write_text(f"packs: [{ORG}]\n", encoding="utf-8")
    sarif = json.loads(runner.invoke(main, ["check", str(EXAMPLES / "robotaxi-service.yaml"), "--format", "sarif"]).stdout)
    run = sarif["runs"][0]
    assert {"name": "acme-ai-policy", "version": "2.3.0"} in run["tool"]["extensions"]
    assert "ACME-LOGGING" in [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert "ACME-NO-FULL-AUTONOMY" in [r["ruleId"] for r in run["results"]]


def test_a_broken_or_clashing_extra_pack_exits_2(runner, tmp_path):
    clash = tmp_path / "clash"
    shutil.copytree(ORG, clash)
    rules = clash / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("id: ACME-LOGGING", "id: OBL-TRAINING"), encoding="utf-8")
    result = runner.invoke(main, ["check", str(EXAMPLES / "robotaxi-service.yaml"), "--extra-pack", str(clash)])
    assert result.exit_code == 2 and "rule id OBL-TRAINING of pack acme-ai-policy is already used by pack shenzhen-2022" in result.stderr
    rules.write_text(rules.read_text(encoding="utf-8").replace("kind: indicator", "kind: suggestion"), encoding="utf-8")
    broken = runner.invoke(main, ["check", str(EXAMPLES / "robotaxi-service.yaml"), "--extra-pack", str(clash)])
    assert broken.exit_code == 2 and "rules.yaml:" in broken.stderr
