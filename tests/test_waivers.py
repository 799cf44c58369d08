"""Waivers: justified, approved, dated exceptions, and every way one can go wrong."""

from __future__ import annotations

import json
import textwrap

import pytest

from compliance.cli import main
from conftest import EXAMPLES, line_of

CV = str(EXAMPLES / "cv-screener.yaml")  # fails on OBL-EXANTE-ASSESSMENT (error), warns on three more
RIDE = str(EXAMPLES / "ride-hailing-dynamic-pricing.yaml")  # fails on A72-5-PRICE-BY-USER-TRAITS (prohibited)
TODAY = "2026-06-01"


def _waiver(rule="OBL-EXANTE-ASSESSMENT", product="cv-screener", expires="2026-09-30",
            justification="The third-party assessment is booked and due in June 2026; the tool runs in pilot only."):
    return (f"  - rule: {rule}\n    product: {product}\n    justification: \"{justification}\"\n"
            f"    approver: He Jing, Data Protection Officer\n    expires: {expires}\n")


def _check(runner, tmp_path, waivers: str, *paths: str, extra=()):
    waiver_file = tmp_path / "waivers.yaml"
    waiver_file.write_text("waivers:\n" + waivers, encoding="utf-8")
    result = runner.invoke(main, ["check", *(paths or (CV,)), "--waivers", str(waiver_file), "--date", TODAY,
                                  *extra, "--format", "json"])
    return result, (json.loads(result.stdout) if result.stdout.startswith("{") else None)


def _findings(report, path_end):
    result = next(r for r in report["results"] if r["path"].endswith(path_end))
    return {f["rule_id"]: f for f in result["findings"]}


def test_a_valid_waiver_covers_the_finding_and_passes_the_gate(runner, tmp_path):
    result, report = _check(runner, tmp_path, _waiver())
    assert result.exit_code == 0, result.output
    finding = _findings(report, "cv-screener.yaml")["OBL-EXANTE-ASSESSMENT"]
    assert finding["severity"] == "error"  # still reported, as waived
    assert finding["waiver"]["approver"] == "He Jing, Data Protection Officer"
    assert finding["waiver"]["source"].endswith("waivers.yaml:2")
    assert report["summary"]["waived"] == 1 and report["summary"]["error"] == 0
    assert report["results"][-1]["kind"] == "waivers" and report["results"][-1]["findings"] == []


def test_waived_findings_in_text_and_sarif(runner, tmp_path):
    result, _ = _check(runner, tmp_path, _waiver(), extra=("--format", "sarif", "-o", str(tmp_path / "r.sarif")))
    sarif = json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8"))
    waived = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "OBL-EXANTE-ASSESSMENT"][0]
    assert waived["suppressions"][0]["kind"] == "external"
    assert waived["suppressions"][0]["justification"].startswith("The third-party assessment is booked")
    text = runner.invoke(main, ["check", CV, "--waivers", str(tmp_path / "waivers.yaml"), "--date", TODAY]).stdout
    line = line_of(EXAMPLES / "cv-screener.yaml", "ex_ante_assessment:")
    where = f"line {line}".ljust(9)  # the text report pads the location to nine columns
    assert f"waived  {where} OBL-EXANTE-ASSESSMENT  Ex-ante assessment" in text
    assert "waived by He Jing, Data Protection Officer until 2026-09-30: The third-party assessment" in text


def test_no_waivers_shows_everything(runner, tmp_path):
    result, report = _check(runner, tmp_path, _waiver(), extra=("--no-waivers",))
    assert result.exit_code == 1
    assert _findings(report, "cv-screener.yaml")["OBL-EXANTE-ASSESSMENT"]["waiver"] is None
    assert all(r["kind"] == "declaration" for r in report["results"])


def test_expired_waiver_is_an_error_and_covers_nothing(runner, tmp_path):
    result, report = _check(runner, tmp_path, _waiver(expires="2026-05-31"))
    assert result.exit_code == 1
    assert _findings(report, "cv-screener.yaml")["OBL-EXANTE-ASSESSMENT"]["waiver"] is None
    problem = _findings(report, "waivers.yaml")["WAIVER-EXPIRED"]
    assert problem["severity"] == "error" and problem["line"] == 2
    assert "expired on 2026-05-31" in problem["message"]


def test_a_waiver_holds_on_its_last_day_with_a_warning(runner, tmp_path):
    result, report = _check(runner, tmp_path, _waiver(expires=TODAY))
    assert result.exit_code == 0
    assert _findings(report, "cv-screener.yaml")["OBL-EXANTE-ASSESSMENT"]["waiver"] is not None
    assert "ends today" in _findings(report, "waivers.yaml")["WAIVER-EXPIRING"]["message"]


def test_expiring_within_30_days_is_a_warning(runner, tmp_path):
    result, report = _check(runner, tmp_path, _waiver(expires="2026-07-01"))
    problem = _findings(report, "waivers.yaml")["WAIVER-EXPIRING"]
    assert problem["severity"] == "warning" and "in 30 days" in problem["message"]
    _, later = _check(runner, tmp_path, _waiver(expires="2026-07-02"))
    assert "WAIVER-EXPIRING" not in _findings(later, "waivers.yaml")


def test_unused_waiver_is_a_warning(runner, tmp_path):
    result, report = _check(runner, tmp_path, _waiver(rule="OBL-DISCLOSURE"))
    assert result.exit_code == 1  # the ex-ante finding is not covered
    assert _findings(report, "waivers.yaml")["WAIVER-UNUSED"]["severity"] == "warning"


def test_waiver_for_a_product_not_checked_is_not_reported_unused(runner, tmp_path):
    _, report = _check(runner, tmp_path, _waiver(product="some-other-product"))
    assert _findings(report, "waivers.yaml") == {}


def test_waiver_for_an_unknown_rule_is_an_error(runner, tmp_path):
    result, report = _check(runner, tmp_path, _waiver(rule="OBL-EXANTE-ASSESMENT"))
    assert result.exit_code == 1
    assert "not a rule of the rule packs" in _findings(report, "waivers.yaml")["WAIVER-UNKNOWN-RULE"]["message"]


def test_prohibited_behaviours_cannot_be_waived(runner, tmp_path):
    result, report = _check(runner, tmp_path, _waiver(rule="A72-5-PRICE-BY-USER-TRAITS", product="ride-hailing-dynamic-pricing"), RIDE)
    assert result.exit_code == 1
    assert _findings(report, "ride-hailing-dynamic-pricing.yaml")["A72-5-PRICE-BY-USER-TRAITS"]["waiver"] is None
    problem = _findings(report, "waivers.yaml")["WAIVER-PROHIBITED"]
    assert "cannot be waived; correct the product" in problem["message"]


@pytest.mark.parametrize(
    "waivers, message",
    [
        (_waiver(expires="2026-02-30"), "waivers[0].expires: '2026-02-30' is not a real date"),
        (_waiver(expires="next year"), "waivers[0].expires: 'next year' should be a date written YYYY-MM-DD"),
        (_waiver(justification="ok"), "waivers[0].justification"),
        ("  - rule: OBL-DISCLOSURE\n    product: cv-screener\n", "missing required field 'waivers[0].justification'"),
    ],
)
def test_malformed_waiver_file_stops_the_run_with_file_and_line(runner, tmp_path, waivers, message):
    result, _ = _check(runner, tmp_path, waivers)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"{tmp_path / 'waivers.yaml'}:" in result.stderr and message in result.stderr


def test_waivers_inside_a_declaration(runner, tmp_path):
    text = (EXAMPLES / "cv-screener.yaml").read_text(encoding="utf-8") + textwrap.dedent("""
        waivers:
          - rule: OBL-SECURITY-TESTING
            justification: Penetration test by the Art. 36 platform is booked for July 2026.
            approver: He Jing, Data Protection Officer
            expires: 2026-08-31
          - rule: A72-4-PROTECTED-MODEL-INPUT
            justification: The gender feature is removed in release 2.1, due before the expiry date.
            approver: He Jing, Data Protection Officer
            expires: 2026-05-01
        """)
    path = tmp_path / "cv.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["check", str(path), "--date", TODAY, "--format", "json"])
    findings = _findings(json.loads(result.stdout), "cv.yaml")
    lines = text.splitlines()
    first = lines.index("  - rule: OBL-SECURITY-TESTING") + 1
    second = lines.index("  - rule: A72-4-PROTECTED-MODEL-INPUT") + 1
    assert findings["OBL-SECURITY-TESTING"]["waiver"]["source"].endswith(f"cv.yaml:{first}")
    assert findings["A72-4-PROTECTED-MODEL-INPUT"]["waiver"] is None
    assert findings["WAIVER-EXPIRED"]["line"] == second
