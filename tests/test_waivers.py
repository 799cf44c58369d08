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


JUSTIFICATION = "The third-party assessment is booked and due in June 2026; the tool runs in pilot only."


def test_a_waived_finding_carries_the_whole_waiver_in_sarif(runner, tmp_path):
    """SARIF readers (GitHub code scanning) read the suppression: accepted, why, by whom, until when,
    from where; the waiver file itself is an artifact with no hash (it is not a declaration)."""
    _check(runner, tmp_path, _waiver(), extra=("--format", "sarif", "-o", str(tmp_path / "r.sarif")))
    run = json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8"))["runs"][0]
    (waived,) = [r for r in run["results"] if r["ruleId"] == "OBL-EXANTE-ASSESSMENT"]
    assert waived["suppressions"] == [{
        "kind": "external", "status": "accepted", "justification": JUSTIFICATION,
        "properties": {"approver": "He Jing, Data Protection Officer", "expires": "2026-09-30",
                       "source": f"{tmp_path / 'waivers.yaml'}:2"}}]
    declaration, waivers = run["artifacts"]
    assert declaration["location"]["uri"].endswith("cv-screener.yaml") and len(declaration["hashes"]["sha-256"]) == 64
    assert waivers["location"]["uri"].endswith("waivers.yaml") and waivers["hashes"] == {}


def test_a_waiver_further_down_the_file_still_applies(runner, tmp_path):
    """Each waiver of the product is tried: one for another rule comes first, the matching one second."""
    result, report = _check(runner, tmp_path, _waiver(rule="OBL-SECURITY-TESTING") + _waiver())
    assert result.exit_code == 0
    findings = _findings(report, "cv-screener.yaml")
    assert findings["OBL-EXANTE-ASSESSMENT"]["waiver"]["source"].endswith("waivers.yaml:7")
    assert findings["OBL-SECURITY-TESTING"]["waiver"]["source"].endswith("waivers.yaml:2")


@pytest.mark.parametrize("expires, words", [("2026-06-02", "ends in 1 day (2026-06-02)"),
                                            ("2026-06-03", "ends in 2 days (2026-06-03)")])
def test_the_days_left_read_as_english(runner, tmp_path, expires, words):
    _, report = _check(runner, tmp_path, _waiver(expires=expires))
    assert words in _findings(report, "waivers.yaml")["WAIVER-EXPIRING"]["message"]


def test_problems_of_the_waiver_file_come_in_file_order_and_say_what_they_are(runner, tmp_path):
    """An unused waiver on line 2 and an expired one on line 7: reported in line order, each as a
    waiver finding that names its rule and product, with what to do."""
    from compliance.tool_rules import TOOL_RULE_BY_ID

    _, report = _check(runner, tmp_path, _waiver(rule="OBL-TRAINING") + _waiver(expires="2026-05-31"))
    (result,) = [r for r in report["results"] if r["kind"] == "waivers"]
    assert [(f["line"], f["rule_id"]) for f in result["findings"]] == [(2, "WAIVER-UNUSED"), (7, "WAIVER-EXPIRED")]
    unused = result["findings"][0]
    assert (unused["kind"], unused["fact"], unused["remedy"]) == (
        "waiver", "waivers:OBL-TRAINING:cv-screener", TOOL_RULE_BY_ID["WAIVER-UNUSED"].remedy.en)


def test_a_declared_waiver_is_reported_unused_only_when_it_covers_nothing(runner, tmp_path):
    text = (EXAMPLES / "cv-screener.yaml").read_text(encoding="utf-8") + textwrap.dedent("""
        waivers:
          - rule: OBL-SECURITY-TESTING
            justification: Penetration test by the Art. 36 platform is booked for July 2026.
            approver: He Jing, Data Protection Officer
            expires: 2026-08-31
          - rule: OBL-TRAINING
            justification: Training is booked for the whole team in July 2026.
            approver: Wang Fang, HR
            expires: 2026-08-31
        """)
    path = tmp_path / "cv.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["check", str(path), "--date", TODAY, "--format", "json"])
    (entry,) = json.loads(result.stdout)["results"]
    unused = [f for f in entry["findings"] if f["rule_id"] == "WAIVER-UNUSED"]
    assert len(unused) == 1 and "no OBL-TRAINING finding of cv-screener to waive" in unused[0]["message"]
    (covered,) = [f for f in entry["findings"] if f["rule_id"] == "OBL-SECURITY-TESTING"]
    assert covered["waiver"] == {"justification": "Penetration test by the Art. 36 platform is booked for July 2026.",
                                 "approver": "He Jing, Data Protection Officer", "expires": "2026-08-31",
                                 "source": f"{path}:{text.splitlines().index('  - rule: OBL-SECURITY-TESTING') + 1}"}


def test_a_waiver_file_that_is_not_yaml_is_named_as_the_waiver_file(runner, tmp_path):
    path = tmp_path / "waivers.yaml"
    path.write_text("waivers:\n  - rule: [unclosed\n", encoding="utf-8")
    result = runner.invoke(main, ["check", CV, "--waivers", str(path), "--date", TODAY])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"aicomply: error: waiver file {path}:")
