"""Baselines: record today's findings, report only new ones later."""

from __future__ import annotations

import json
import shutil

from compliance.cli import main
from conftest import EXAMPLES, ROOT

SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def test_baseline_then_only_new_findings(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(EXAMPLES, tmp_path / "products")
    created = runner.invoke(main, ["baseline", "create", "products"])
    assert created.exit_code == 0 and "wrote .aicomply-baseline.json: 9 finding(s) of 11 file(s)" in created.stdout
    baseline = json.loads((tmp_path / ".aicomply-baseline.json").read_text(encoding="utf-8"))
    assert baseline["format"] == "aicomply-baseline/v1" and len(baseline["findings"]) == 9

    unchanged = runner.invoke(main, ["check", "products", "--baseline", ".aicomply-baseline.json", "--format", "json"])
    assert unchanged.exit_code == 0  # the two failing examples are known
    assert json.loads(unchanged.stdout)["summary"]["error"] == 0

    # A new problem, plus a comment that moves every line: only the new problem is reported.
    cv = tmp_path / "products" / "cv-screener.yaml"
    text = "# moved\n" + cv.read_text(encoding="utf-8").replace("training: {ethics_security: true, legal: true",
                                                                   "training: {ethics_security: true, legal: false")
    cv.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["check", "products", "--baseline", ".aicomply-baseline.json", "--format", "sarif"])
    assert result.exit_code == 1
    sarif = json.loads(result.stdout)
    import jsonschema

    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(sarif)
    results = sarif["runs"][0]["results"]
    assert [(r["ruleId"], r["baselineState"]) for r in results] == [("OBL-TRAINING", "new")]
    assert sarif["runs"][0]["properties"]["baseline"] == ".aicomply-baseline.json"


def test_baseline_refuses_to_overwrite_and_bad_baselines_exit_2(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    low = str(EXAMPLES / "internal-code-assistant.yaml")
    assert runner.invoke(main, ["baseline", "create", low]).exit_code == 0
    again = runner.invoke(main, ["baseline", "create", low])
    assert again.exit_code == 2 and "already exists; pass --force" in again.stderr
    assert runner.invoke(main, ["baseline", "create", low, "--force"]).exit_code == 0
    (tmp_path / "bad.json").write_text('{"findings": 1}', encoding="utf-8")
    result = runner.invoke(main, ["check", low, "--baseline", "bad.json"])
    assert result.exit_code == 2 and "not an aicomply baseline" in result.stderr
    missing = runner.invoke(main, ["check", low, "--baseline", "nope.json"])
    assert missing.exit_code == 2 and "no such baseline file" in missing.stderr
