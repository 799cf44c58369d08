"""The incentive estimator, tested on the documents' own numbers (seeds 000-003): rates, caps,
the Qianhai AI-enterprise test, validity windows, competition between measures, exact money."""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal

import pytest
from conftest import ROOT

from compliance.cli import main
from compliance.incentives.documents import load_documents
from compliance.incentives.engine import estimate, validity
from compliance.declaration.validate import schema_issues_for

ON = date(2026, 11, 24)
EXAMPLE = str(ROOT / "profiles" / "example-profile.yaml")

BASE = {
    "format": "aicomply-profile/v1",
    "enterprise": {
        "name": "Test AI Co.",
        "uscc": "91440300MA5FUTUREJ",
        "district": "futian",
        "size": "small",
        "startup": False,
        "income": {"year": 2025, "total": 10000000, "ai": 8000000},
        "main_business": ["ai_software"],
        "lists": {"abnormal_operations": False, "dishonest_obligor": False, "seriously_dishonest": False},
    },
    "spend": [],
}


def profile(enterprise: dict | None = None, spend: list | None = None, other_support: list | None = None) -> dict:
    data = copy.deepcopy(BASE)
    data["enterprise"].update(enterprise or {})
    data["spend"] = spend or []
    if other_support:
        data["other_support"] = other_support
    problems = schema_issues_for("profile-v1.schema.json", data)
    assert not problems, problems  # every test profile is one a user could write
    return data


def compute(amount=30000000, on="2026-03-01", item_id="gpu", **facts) -> dict:
    return {"id": item_id, "kind": "compute_rental", "amount": amount, "date": on, "for_large_model": True, **facts}


def run(data: dict, on: date = ON):
    return estimate(data, load_documents(), on)


def row(result, measure: str, item: str | None = None):
    rows = [r for r in result.estimates if r.measure == measure and r.item == item]
    assert len(rows) == 1, f"{measure}/{item}: {len(rows)} rows"
    return rows[0]


def texts(items) -> str:
    return " | ".join(t.en for t in items)


# -------------------------------------------------------------- municipal training coupons

def test_training_coupon_is_half_of_a_30m_contract_capped_at_10m():
    claim = row(run(profile(spend=[compute()])), "SZ-TRAIN", "gpu")
    assert claim.status == "eligible"
    assert claim.amount == Decimal("10000000.00")
    assert texts(claim.arithmetic) == ("spend gpu 30,000,000.00 x 50% = 15,000,000.00 | "
                                       "capped at 10,000,000.00 (training coupons, up to 10M)")


def test_startup_gets_60_percent_still_capped():
    claim = row(run(profile({"startup": True}, [compute()])), "SZ-TRAIN", "gpu")
    assert claim.amount == Decimal("10000000.00")
    assert "x 60% (the enterprise is a startup) = 18,000,000.00" in texts(claim.arithmetic)


def test_below_the_cap_the_rate_decides():
    plain = row(run(profile(spend=[compute(10000000)])), "SZ-TRAIN", "gpu")
    startup = row(run(profile({"startup": True}, [compute(10000000)])), "SZ-TRAIN", "gpu")
    assert (plain.amount, startup.amount) == (Decimal("5000000.00"), Decimal("6000000.00"))


def test_unknown_startup_status_takes_the_lower_rate_and_says_what_would_raise_it():
    claim = row(run(profile({"startup": "unknown"}, [compute(10000000)])), "SZ-TRAIN", "gpu")
    assert claim.amount == Decimal("5000000.00")
    assert "60% instead if the enterprise is a startup" in texts(claim.notes)


def test_compute_not_for_large_models_is_not_eligible():
    claim = row(run(profile(spend=[compute(for_large_model=False)])), "SZ-TRAIN", "gpu")
    assert claim.status == "not_eligible" and claim.amount is None
    assert "The compute is for large-model training" in texts(claim.unmet)


def test_unknown_fact_needs_information_and_never_reads_as_eligible():
    claim = row(run(profile(spend=[compute(for_large_model="unknown")])), "SZ-TRAIN", "gpu")
    assert claim.status == "needs_information"
    assert "The compute is for large-model training" in texts(claim.missing)
    assert claim.amount == Decimal("10000000.00")  # what it would be, shown but not counted as eligible
    total = next(t for t in run(profile(spend=[compute(for_large_model="unknown")])).totals
                 if t.document == "shenzhen-municipal-2024")
    assert total.eligible == Decimal("0.00") and total.possible == Decimal("10000000.00")


def test_yearly_cap_is_shared_by_contracts_of_the_same_year():
    result = run(profile(spend=[compute(12000000, item_id="c1"), compute(12000000, "2026-06-01", "c2")]))
    assert row(result, "SZ-TRAIN", "c1").amount == Decimal("6000000.00")
    second = row(result, "SZ-TRAIN", "c2")
    assert second.amount == Decimal("4000000.00")
    assert "less what other spend already uses" in texts(second.arithmetic)


# ------------------------------------------------------------ Longgang and competition

def test_longgang_compute_is_30_percent_capped_at_6m():
    claim = row(run(profile({"district": "longgang"}, [compute()])), "LG-COMPUTE", "gpu")
    assert claim.status == "eligible"
    assert claim.amount == Decimal("6000000.00")
    assert texts(claim.arithmetic).startswith("spend gpu 30,000,000.00 x 30% = 9,000,000.00 | capped at 6,000,000.00")


def test_competing_measures_are_both_shown_and_the_larger_recommended():
    result = run(profile({"district": "longgang"}, [compute()]))
    city, district = row(result, "SZ-TRAIN", "gpu"), row(result, "LG-COMPUTE", "gpu")
    assert (city.recommended, district.recommended) == (True, False)
    assert city.competing == ["LG-COMPUTE"] and district.competing == ["SZ-TRAIN"]
    assert "Recommended for spend gpu: the largest of 2 measures" in texts(city.notes)
    assert "competes with SZ-TRAIN for spend gpu, which gives more (10,000,000.00)" in texts(district.notes)
    municipal = next(t for t in result.totals if t.document == "shenzhen-municipal-2024")
    assert municipal.eligible == Decimal("10000000.00")
    assert not [t for t in result.totals if t.document == "longgang-2025"]  # nothing counted there


def test_a_losing_claim_does_not_use_up_its_measures_cap():
    """Two 30M contracts in one year: the city's 10M yearly cap is gone after the first, so the
    second goes to Longgang, whose 6M cap the first (not counted) must not have used."""
    result = run(profile({"district": "longgang"}, [compute(item_id="c1"), compute(on="2026-04-01", item_id="c2")]))
    assert row(result, "SZ-TRAIN", "c1").recommended is True
    assert row(result, "LG-COMPUTE", "c1").recommended is False
    assert row(result, "SZ-TRAIN", "c2").amount == Decimal("0.00")
    second = row(result, "LG-COMPUTE", "c2")
    assert second.recommended is True and second.amount == Decimal("6000000.00")


def test_longgang_more_favourable_rule_against_support_already_granted():
    spend = [compute()]
    kept = run(profile({"district": "longgang"}, spend, [{"program": "longgang", "spend": "gpu", "amount": 7000000}]))
    claim = row(kept, "LG-COMPUTE", "gpu")
    assert claim.recommended is False and "at least as favourable" in texts(claim.notes)
    better = run(profile({"district": "longgang"}, spend, [{"program": "longgang", "spend": "gpu", "amount": 1000000}]))
    assert "More favourable than the 1,000,000.00 already under longgang" in texts(row(better, "LG-COMPUTE", "gpu").notes)


def test_municipal_support_already_granted_rules_out_a_second_municipal_measure():
    result = run(profile(spend=[compute()], other_support=[{"program": "municipal", "spend": "gpu", "amount": 1000000}]))
    claim = row(result, "SZ-TRAIN", "gpu")
    assert claim.status == "not_eligible"
    assert "No similar support for this spend already under: municipal" in texts(claim.unmet)


def test_municipal_support_stays_within_the_audited_investment():
    demo = {"id": "demo", "kind": "demonstration_project", "amount": 1000000, "date": "2026-05-01",
            "recognised": True, "benchmark": False}
    granted = [{"program": "provincial", "spend": "demo", "amount": 600000},
               {"program": "longgang", "spend": "demo", "amount": 800000}]
    claim = row(run(profile(spend=[demo], other_support=granted)), "SZ-DEMO", "demo")
    # 30% = 300,000, but Longgang's 800,000 leaves only 200,000 of the 1,000,000 investment.
    assert claim.amount == Decimal("200000.00")
    assert "less 100,000.00" in texts(claim.arithmetic)
    without_national = row(run(profile(spend=[demo], other_support=granted[1:])), "SZ-DEMO", "demo")
    assert without_national.amount == Decimal("300000.00")  # the rule applies to projects with national or provincial support


def test_benchmark_project_lifts_the_2m_demonstration_cap_to_10m():
    demo = {"id": "demo", "kind": "demonstration_project", "amount": 50000000, "date": "2026-05-01", "recognised": True}
    assert row(run(profile(spend=[dict(demo, benchmark=False)])), "SZ-DEMO", "demo").amount == Decimal("2000000.00")
    assert row(run(profile(spend=[dict(demo, benchmark=True)])), "SZ-DEMO", "demo").amount == Decimal("10000000.00")
    assert row(run(profile(spend=[dict(demo, benchmark="unknown")])), "SZ-DEMO", "demo").amount == Decimal("2000000.00")


# ------------------------------------------------------------ Qianhai AI-enterprise test

QIANHAI = {"district": "nanshan", "qianhai_operations": True, "qianhai_since": "2023-06-01",
           "paid_in_capital": 20000000}
LEASE = {"id": "office", "kind": "office_lease", "amount": 1200000, "date": "2026-01-01", "area_m2": 1000,
         "months": 12, "in_qianhai": True}


@pytest.mark.parametrize(("ai", "eligible"), [(4900000, False), (5000000, False), (5100000, True)])
def test_small_firm_ai_share_must_be_more_than_50_percent(ai, eligible):
    enterprise = dict(QIANHAI, size="small", income={"year": 2025, "total": 10000000, "ai": ai})
    claim = row(run(profile(enterprise, [LEASE])), "QH-OFFICE", "office")
    assert claim.status == ("eligible" if eligible else "not_eligible")
    share = "An AI enterprise: AI income share for its size"
    assert share in texts(claim.met if eligible else claim.unmet)


@pytest.mark.parametrize(("ai", "eligible"), [(2999999, False), (3000000, True)])
def test_medium_firm_share_of_30_percent_counts(ai, eligible):
    enterprise = dict(QIANHAI, size="medium", income={"year": 2025, "total": 10000000, "ai": ai})
    assert row(run(profile(enterprise, [LEASE])), "QH-OFFICE", "office").status == (
        "eligible" if eligible else "not_eligible")


def test_large_firm_qualifies_on_20m_ai_income_below_30_percent():
    enterprise = dict(QIANHAI, size="large", income={"year": 2025, "total": 1000000000, "ai": 20000000})
    assert row(run(profile(enterprise, [LEASE])), "QH-OFFICE", "office").status == "eligible"


def test_office_rent_is_60_yuan_per_m2_per_month_capped_at_3m():
    enterprise = dict(QIANHAI, income={"year": 2025, "total": 10000000, "ai": 9000000})
    claim = row(run(profile(enterprise, [LEASE])), "QH-OFFICE", "office")
    assert claim.amount == Decimal("720000.00")  # 1000 m2 x 12 months x 60
    big = row(run(profile(enterprise, [dict(LEASE, area_m2=5000)])), "QH-OFFICE", "office")
    assert big.amount == Decimal("3000000.00")


def test_qianhai_exclusion_lists_and_no_double_benefit_with_nanshan():
    enterprise = dict(QIANHAI, income={"year": 2025, "total": 10000000, "ai": 9000000},
                      lists={"abnormal_operations": True, "dishonest_obligor": False, "seriously_dishonest": False})
    listed = row(run(profile(enterprise, [LEASE])), "QH-OFFICE", "office")
    assert listed.status == "not_eligible" and "abnormal business operations" in texts(listed.unmet)
    enterprise["lists"]["abnormal_operations"] = False
    doubled = run(profile(enterprise, [LEASE], [{"program": "nanshan", "spend": "office", "amount": 100000}]))
    assert "No similar support for this spend already under: nanshan" in texts(row(doubled, "QH-OFFICE", "office").unmet)


def test_qianhai_total_is_capped_at_30m_per_entity_per_year():
    enterprise = dict(QIANHAI, income={"year": 2025, "total": 10000000, "ai": 9000000})
    spend = [LEASE | {"area_m2": 5000}] + [
        {"id": f"rd-{n}", "kind": "rd", "amount": 30000000, "date": "2026-02-01", "recognised": True}
        for n in range(6)
    ]
    result = run(profile(enterprise, spend))
    assert all(row(result, "QH-CHALLENGE", f"rd-{n}").amount == Decimal("5000000.00") for n in range(6))
    total = next(t for t in result.totals if t.document == "qianhai-2024" and t.year == 2026)
    assert total.eligible == Decimal("30000000.00")  # 3M rent + 6 x 5M, capped
    assert "33,000,000.00 capped at 30,000,000.00 per entity per year" in texts(total.arithmetic)


def test_growth_reward_on_revenue_increase_needs_50m_revenue():
    enterprise = dict(QIANHAI, income={"year": 2025, "total": 80000000, "ai": 70000000, "total_year_before": 60000000})
    claim = row(run(profile(enterprise)), "QH-GROWTH")
    assert claim.status == "eligible" and claim.amount == Decimal("20000.00")  # 0.1% of 20M
    smaller = dict(enterprise, income={"year": 2025, "total": 49999999, "ai": 40000000, "total_year_before": 1})
    assert row(run(profile(smaller)), "QH-GROWTH").status == "not_eligible"
    unknown = dict(enterprise, income={"year": 2025, "total": 80000000, "ai": 70000000})
    assert row(run(profile(unknown)), "QH-GROWTH").status == "needs_information"


# ------------------------------------------------------------------------ validity

@pytest.mark.parametrize(("on", "state", "days"), [
    (date(2026, 9, 18), "expiring", 90),  # within 90 days of the last day
    (date(2026, 9, 17), "valid", 91),
    (date(2026, 12, 17), "expiring", 0),
    (date(2026, 12, 18), "expired", -1),
    (date(2024, 12, 17), "not_yet", 730),
])
def test_municipal_measures_last_two_years_to_the_day(on, state, days):
    window = validity(date(2024, 12, 18), 2, on)
    assert window.last_day == date(2026, 12, 17)
    assert (window.state, window.days_left) == (state, days)


def test_qianhai_and_longgang_last_days():
    assert validity(date(2024, 1, 15), 3, ON).last_day == date(2027, 1, 14)
    assert validity(date(2025, 1, 10), 3, ON).last_day == date(2028, 1, 9)
    assert validity(date(2024, 2, 29), 2, ON).last_day == date(2026, 2, 28)


def test_on_the_last_day_a_measure_applies_and_the_day_after_it_does_not():
    spend = [compute(on="2026-12-17")]
    assert row(run(profile(spend=spend), date(2026, 12, 17)), "SZ-TRAIN", "gpu").status == "eligible"
    after = row(run(profile(spend=spend), date(2026, 12, 18)), "SZ-TRAIN", "gpu")
    assert after.status == "not_eligible"
    assert "The measures apply on the evaluation date (2024-12-18 to 2026-12-17)" in texts(after.unmet)


def test_spend_dated_after_the_last_day_is_outside_the_measures():
    claim = row(run(profile(spend=[compute(on="2027-01-05")])), "SZ-TRAIN", "gpu")
    assert claim.status == "not_eligible" and "falls within the measures' validity" in texts(claim.unmet)


# ------------------------------------------------------------------------ money

def test_amounts_are_exact_decimals():
    claim = row(run(profile(spend=[compute("3333333.33")])), "SZ-TRAIN", "gpu")
    assert claim.amount == Decimal("1666666.67")  # half a cent rounds half up, in Decimal
    assert isinstance(claim.amount, Decimal)


def test_floats_are_refused_in_a_profile(runner, tmp_path):
    path = tmp_path / "p.yaml"
    data = profile(spend=[compute()])
    data["spend"][0]["amount"] = 30000000.5
    path.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(main, ["incentives", str(path), "--date", "2026-11-24"])
    assert result.exit_code == 1
    assert f"{path}:1:" in result.stderr and "spend[0].amount" in result.stderr
    assert result.stdout == ""


# ------------------------------------------------------------------------ command

def test_cli_text_report_on_the_example(runner):
    result = runner.invoke(main, ["incentives", EXAMPLE, "--date", "2026-11-24"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "SZ-TRAIN Training coupons (clause (2)), spend gpu-rental-2026: eligible, 10,000,000.00 [recommended]" in out
    assert "spend gpu-rental-2026 30,000,000.00 x 60% (the enterprise is a startup) = 18,000,000.00" in out
    assert "LG-COMPUTE Computing power (clause (2)), spend gpu-rental-2026: eligible, 6,000,000.00 [not counted]" in out
    assert "EXPIRING: last valid day 2026-12-17 (23 days left)" in out
    assert "Not estimated: (1) Inclusive service resources" in out


def test_cli_chinese_report(runner):
    result = runner.invoke(main, ["incentives", EXAMPLE, "--date", "2026-11-24", "--lang", "zh"])
    assert result.exit_code == 0
    assert "SZ-TRAIN 训力券" in result.stdout and "即将到期：最后有效日 2026-12-17" in result.stdout
    assert "符合条件" in result.stdout


def test_cli_json_report_keeps_amounts_as_decimal_strings(runner):
    result = runner.invoke(main, ["incentives", EXAMPLE, "--date", "2026-11-24", "--format", "json"])
    report = json.loads(result.stdout)
    municipal = report["documents"][0]
    assert municipal["id"] == "shenzhen-municipal-2024" and municipal["validity"]["state"] == "expiring"
    train = next(e for e in municipal["estimates"] if e["measure"] == "SZ-TRAIN")
    assert train["amount"] == "10000000.00" and train["recommended"] is True
    assert report["total"]["eligible"] == "12350000.00"


def test_cli_markdown_and_output_file(runner, tmp_path):
    target = tmp_path / "estimate.md"
    result = runner.invoke(main, ["incentives", EXAMPLE, "--date", "2026-11-24", "--format", "markdown", "-o", str(target)])
    assert result.exit_code == 0 and result.stdout == f"wrote {target}\n"
    text = target.read_text(encoding="utf-8")
    assert "| SZ-TRAIN Training coupons | (2) | gpu-rental-2026 | eligible [recommended] | 10,000,000.00 |" in text


def test_same_input_same_bytes(runner):
    args = ["incentives", EXAMPLE, "--date", "2026-11-24", "--format", "json"]
    assert runner.invoke(main, args).stdout == runner.invoke(main, args).stdout


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["enterprise"].update(size="tiny"), "enterprise.size"),
    (lambda d: d["spend"].append(dict(d["spend"][0])), "spend id 'gpu' is used twice"),
    (lambda d: d.update(other_support=[{"program": "municipal", "spend": "nope", "amount": 1}]),
     "other_support names spend 'nope'"),
    (lambda d: d["spend"].append({"id": "of", "kind": "office_lease", "amount": 1, "date": "2026-01-01"}),
     "needs area_m2 and months"),
    (lambda d: d["spend"][0].update(date="2026-02-30"), "spend[0].date"),
])
def test_invalid_profiles_are_refused_with_file_and_line(runner, tmp_path, change, message):
    data = profile(spend=[compute()])
    change(data)
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    result = runner.invoke(main, ["incentives", str(path)])
    assert result.exit_code == 1
    assert message in result.stderr and f"{path}:" in result.stderr
    assert "Traceback" not in result.output


def test_unreadable_profile_is_one_line_with_a_location(runner, tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("format: [unclosed\n", encoding="utf-8")
    result = runner.invoke(main, ["incentives", str(path)])
    assert result.exit_code == 1 and f"{path}:" in result.stderr and "Traceback" not in result.output


def test_broken_incentive_data_stops_the_tool(tmp_path):
    from compliance.errors import ToolError

    source = (ROOT / "checklists" / "incentives" / "longgang-2025.yaml").read_text(encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(source.replace("item.for_large_model", "item.for_large_modle", 1),
                                       encoding="utf-8")
    with pytest.raises(ToolError, match="item.for_large_modle"):
        load_documents(str(tmp_path))


def test_a_declaration_given_as_profile_gets_one_clear_line(runner):
    result = runner.invoke(main, ["incentives", str(ROOT / "examples" / "cv-screener.yaml")])
    assert result.exit_code == 1
    problems = [line for line in result.stderr.splitlines() if not line.startswith("aicomply: error")]
    assert len(problems) == 1
    assert "format is 'aicomply/v1': this is not an enterprise profile (aicomply-profile/v1)" in problems[0]


# ------------------------------------------------------------------ edges of the arithmetic

def test_a_document_applies_from_its_first_day():
    effective = date(2024, 12, 18)  # the municipal measures
    assert validity(effective, 2, effective).state == "valid"
    assert validity(effective, 2, date(2024, 12, 17)).state == "not_yet"


def test_a_spend_on_the_first_day_of_the_measures_is_within_them():
    claim = row(run(profile(spend=[compute(10000000, on="2024-12-18")]), on=date(2025, 1, 10)), "SZ-TRAIN", "gpu")
    assert claim.status == "eligible" and claim.amount == Decimal("5000000.00")
    assert "The spend's date (2024-12-18) falls within the measures' validity" in texts(claim.met)


def test_an_amount_exactly_at_a_cap_is_not_capped():
    claim = row(run(profile(spend=[compute(20000000)])), "SZ-TRAIN", "gpu")  # 50% = 10M, the yearly cap
    assert claim.amount == Decimal("10000000.00")
    assert texts(claim.arithmetic) == "spend gpu 20,000,000.00 x 50% = 10,000,000.00"
    rd = {"id": "rd", "kind": "rd", "amount": 6000000, "date": "2026-03-01", "recognised": True}
    project = row(run(profile({"district": "longgang"}, [rd])), "LG-KEYTECH", "rd")  # 50% = 3M, the project cap
    assert project.amount == Decimal("3000000.00")
    assert texts(project.arithmetic) == "spend rd 6,000,000.00 x 50% = 3,000,000.00"


def test_a_yearly_cap_exactly_used_up_leaves_the_last_claim_whole():
    result = run(profile(spend=[compute(10000000, item_id="c1"), compute(10000000, "2026-06-01", "c2")]))
    second = row(result, "SZ-TRAIN", "c2")  # 5M + 5M: exactly the 10M a year
    assert second.amount == Decimal("5000000.00") and "capped" not in texts(second.arithmetic)


def test_support_already_granted_for_the_same_amount_is_as_favourable():
    """Longgang's "the more favourable one": 6M already granted against a 6M claim; the claim is not
    more favourable, so it is not counted."""
    granted = [{"program": "longgang", "spend": "gpu", "amount": 6000000}]
    claim = row(run(profile({"district": "longgang"}, [compute()], granted)), "LG-COMPUTE", "gpu")
    assert claim.amount == Decimal("6000000.00") and claim.recommended is False
    assert "at least as favourable" in texts(claim.notes)


@pytest.mark.parametrize("income", [{"year": 2025, "total": 10000000}, {"year": 2025, "total": 10000000, "ai": "unknown"},
                                    {"year": 2025, "total": 0, "ai": 0}],
                         ids=["ai-income-not-stated", "ai-income-unknown", "no-income-at-all"])
def test_an_ai_share_that_cannot_be_computed_needs_information(income):
    """No AI income stated, or no income to share: the AI-enterprise test cannot be answered, so the
    claim needs information; it is never read as eligible, nor as a division by zero."""
    claim = row(run(profile(dict(QIANHAI, size="small", income=income), [LEASE])), "QH-OFFICE", "office")
    assert claim.status == "needs_information"
    assert "An AI enterprise: AI income share for its size" in texts(claim.missing)


def test_a_profile_with_no_spend_listed_is_estimated_on_the_enterprise_alone():
    """`spend` is optional: without it, only measures on the enterprise as a whole are estimated."""
    data = profile()
    del data["spend"]
    assert not schema_issues_for("profile-v1.schema.json", data)
    result = run(data)
    assert result.estimates and all(e.item is None for e in result.estimates)


def test_a_year_with_nothing_yet_eligible_totals_zero_in_money(runner, tmp_path):
    """The JSON report writes money with its cents: 0.00, not 0, when every counted claim of a year
    still needs information."""
    source = tmp_path / "profile.json"
    source.write_text(json.dumps(profile(spend=[compute(for_large_model="unknown")])), encoding="utf-8")
    report = json.loads(runner.invoke(main, ["incentives", str(source), "--date", "2026-11-24", "--format", "json"]).stdout)
    (municipal,) = [d for d in report["documents"] if d["id"] == "shenzhen-municipal-2024"]
    assert municipal["totals"] == [{"year": 2026, "eligible": "0.00", "possible": "10000000.00",
                                    "arithmetic": municipal["totals"][0]["arithmetic"]}]


def test_a_fixed_award_is_the_award_with_its_arithmetic():
    release = {"id": "open", "kind": "corpus_release", "amount": 0, "date": "2026-03-01", "recognised": True}
    claim = row(run(profile(spend=[release])), "SZ-CORPUS-OPEN", "open")
    assert claim.status == "eligible" and claim.amount == Decimal("1000000.00")
    assert texts(claim.arithmetic) == "an award decided on assessment: at most 1,000,000.00"


def test_a_cap_on_the_enterprise_in_total_spans_the_years():
    """Longgang's compute support: 6M per enterprise over the measures' life, not per year. The city's
    measure is ruled out by municipal support already granted, so Longgang's is the one counted."""
    spend = [compute(20000000, on="2025-03-01", item_id="y1"), compute(10000000, on="2026-03-01", item_id="y2")]
    granted = [{"program": "municipal", "spend": s["id"], "amount": 1} for s in spend]
    result = run(profile({"district": "longgang"}, spend, granted))
    first, second = row(result, "LG-COMPUTE", "y1"), row(result, "LG-COMPUTE", "y2")
    assert (first.year, first.amount) == (2025, Decimal("6000000.00"))
    assert (second.year, second.amount) == (2026, Decimal("0.00"))  # the 6M is used up in 2025


def test_why_only_one_competing_measure_is_counted():
    """City and district support for one spend: the texts are silent on combining them, so the estimate
    counts the larger and says to ask."""
    city = row(run(profile({"district": "longgang"}, [compute()])), "SZ-TRAIN", "gpu")
    assert texts(city.notes) == (
        "Recommended for spend gpu: the largest of 2 measures claiming it (SZ-TRAIN, LG-COMPUTE); the texts do not "
        "say city and district support for one spend may be combined, so the estimate counts one; ask the "
        "responsible units whether both may be had")


def test_before_the_measures_take_effect_nothing_is_eligible():
    claim = row(run(profile(spend=[compute(10000000, on="2024-06-01")]), on=date(2024, 6, 1)), "SZ-TRAIN", "gpu")
    assert claim.status == "not_eligible"
    assert "The measures apply on the evaluation date (2024-12-18 to 2026-12-17)" in texts(claim.unmet)
