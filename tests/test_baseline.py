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
    assert created.exit_code == 0 and "wrote .aicomply-baseline.json: 10 finding(s) of 11 file(s)" in created.stdout
    baseline = json.loads((tmp_path / ".aicomply-baseline.json").read_text(encoding="utf-8"))
    assert baseline["format"] == "aicomply-baseline/v1" and len(baseline["findings"]) == 10  # 4.0.0: the ride-hailing elderly warning

    unchanged = runner.invoke(main, ["check", "products", "--baseline", ".aicomply-baseline.json", "--format", "json"])
    assert unchanged.exit_code == 1  # the CV screener's missing assessment is known; the Art. 72(5) pricing is not hidden
    findings = [(r["path"], f["rule_id"], f["baseline_state"]) for r in json.loads(unchanged.stdout)["results"]
                for f in r["findings"]]
    assert findings == [("products/ride-hailing-dynamic-pricing.yaml", "A72-5-PRICE-BY-USER-TRAITS", "new")]

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
    assert [(r["ruleId"], r["baselineState"]) for r in results] == [("OBL-TRAINING", "new"),
                                                                     ("A72-5-PRICE-BY-USER-TRAITS", "new")]
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


def test_prohibited_behaviour_is_never_baselined(runner, tmp_path, monkeypatch):
    """Issue 9, item 8: a baseline hid an Art. 72 error (exit 0) though a waiver of it is refused."""
    monkeypatch.chdir(tmp_path)
    ride = str(EXAMPLES / "ride-hailing-dynamic-pricing.yaml")
    created = runner.invoke(main, ["baseline", "create", ride])
    assert created.exit_code == 0
    assert "not baselined: 1 prohibited-behaviour finding(s) (Art. 72)" in created.stderr
    baseline = json.loads((tmp_path / ".aicomply-baseline.json").read_text(encoding="utf-8"))
    assert "A72-5-PRICE-BY-USER-TRAITS" not in [entry["rule_id"] for entry in baseline["findings"]]

    # A baseline that lists it anyway (made by an older aicomply, or by hand) still cannot hide it.
    report = json.loads(runner.invoke(main, ["check", ride, "--format", "json", "--no-waivers"]).stdout)
    listed = [{"fingerprint": f["fingerprint"], "rule_id": f["rule_id"], "product_id": r["product_id"], "path": r["path"]}
              for r in report["results"] for f in r["findings"]]
    assert "A72-5-PRICE-BY-USER-TRAITS" in [entry["rule_id"] for entry in listed]
    baseline["findings"] = listed
    (tmp_path / "old.json").write_text(json.dumps(baseline), encoding="utf-8")
    for fmt in ("json", "sarif"):
        result = runner.invoke(main, ["check", ride, "--baseline", "old.json", "--format", fmt])
        assert result.exit_code == 1, result.output
        output = json.loads(result.stdout)
        if fmt == "json":
            states = [(f["rule_id"], f["baseline_state"]) for r in output["results"] for f in r["findings"]]
        else:
            states = [(r["ruleId"], r["baselineState"]) for r in output["runs"][0]["results"]]
        assert states == [("A72-5-PRICE-BY-USER-TRAITS", "unchanged")]
    text = runner.invoke(main, ["check", ride, "--baseline", "old.json"])
    assert text.exit_code == 1 and "A72-5-PRICE-BY-USER-TRAITS" in text.stdout


def test_a_100000_deep_baseline_is_a_clear_error(runner):
    """Issue 9, item 23: json recursed until RecursionError, an internal error."""
    deep = ROOT / "tests" / "hostile" / "baseline-100000-deep.json"
    result = runner.invoke(main, ["check", str(EXAMPLES / "internal-code-assistant.yaml"), "--baseline", str(deep)])
    assert result.exit_code == 2
    assert "baseline-100000-deep.json: not a baseline file (nested too deeply)" in result.stderr
    assert "internal error" not in result.stderr
