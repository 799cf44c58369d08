"""The incentive estimator, tested on the documents' own numbers (seeds 000-003): rates, caps,
the Qianhai AI-enterprise test, validity windows, competition between measures, exact money."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from conftest import ROOT
from incentive_helpers import EXAMPLE, ON, compute, profile, row, run, texts

from compliance.cli import main
from compliance.incentives.documents import load_documents
from compliance.incentives.engine import validity

# -------------------------------------------------------------- municipal training coupons

def test_training_coupon_is_half_of_a_30m_contract_capped_at_10m():
    claim = row(run(profile(spend=[compute()])), "SZ-TRAIN", "gpu")
    assert claim.status == "eligible"
    assert claim.amount == Decimal("10000000.00")
    assert texts(claim.arithmetic) == ("spend gpu 30,000,000.00 x 50% = 15,000,000.00 | "
                                       "capped at 10,000,000.00 (training coupons, up to 10M a year)")


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
    assert "The compute is rented for large-model training" in texts(claim.unmet)


def test_unknown_fact_needs_information_and_never_reads_as_eligible():
    claim = row(run(profile(spend=[compute(for_large_model="unknown")])), "SZ-TRAIN", "gpu")
    assert claim.status == "needs_information"
    assert "The compute is rented for large-model training" in texts(claim.missing)
    assert claim.amount == Decimal("10000000.00")  # what it would be, shown but not counted as eligible
    total = next(t for t in run(profile(spend=[compute(for_large_model="unknown")])).totals
                 if t.document == "shenzhen-municipal-2024")
    assert total.eligible == Decimal("0.00") and total.possible == Decimal("10000000.00")


def test_yearly_cap_is_shared_by_contracts_of_the_same_year():
    result = run(profile(spend=[compute(12000000, item_id="c1"), compute(12000000, "2026-06-01", "c2")]))
    assert row(result, "SZ-TRAIN", "c1").amount == Decimal("6000000.00")
    second = row(result, "SZ-TRAIN", "c2")
    assert second.amount == Decimal("4000000.00")
    assert "less what other claims already use" in texts(second.arithmetic)


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
            "approvals": {"city": True}, "benchmark": False}
    granted = [{"program": "provincial", "spend": "demo", "amount": 600000},
               {"program": "longgang", "spend": "demo", "amount": 800000}]
    claim = row(run(profile(spend=[demo], other_support=granted)), "SZ-DEMO", "demo")
    # 30% = 300,000, but Longgang's 800,000 leaves only 200,000 of the 1,000,000 investment.
    assert claim.amount == Decimal("200000.00")
    assert "less 100,000.00" in texts(claim.arithmetic)
    without_national = row(run(profile(spend=[demo], other_support=granted[1:])), "SZ-DEMO", "demo")
    assert without_national.amount == Decimal("300000.00")  # the rule applies to projects with national or provincial support


# ------------------------------------------------------------ Qianhai AI-enterprise test

QIANHAI = {"district": "nanshan", "qianhai_operations": True, "qianhai_since": "2025-01-01",
           "paid_in_capital": 20000000}
LEASE = {"id": "office", "kind": "office_lease", "amount": 1200000, "date": "2026-01-01", "area_m2": 1000,
         "months": 12, "in_qianhai": True, "qianhai_area": "qianwan"}


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
        {"id": f"rd-{n}", "kind": "rd", "amount": 30000000, "date": "2026-02-01", "approvals": {"qianhai": True}}
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
    assert ("    not estimated: Computing power, models and corpora at low cost; who may claim: enterprises "
            "(an enterprise: yes); no amount: services at preferential prices; why: no grant with an amount") in out


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
    clause = next(c for c in municipal["clauses"] if c["clause"] == "(2)")
    train = clause["measures"][0]["estimates"][0]
    assert clause["measures"][0]["measure"] == "SZ-TRAIN" and train["item"] == "gpu-rental-2026"
    assert train["amount"] == "10000000.00" and train["recommended"] is True
    # 10M training coupon + 1.35M corpus coupon (30% of 4.5M) + 2M Longgang demonstration project (30% of
    # 12M, capped at 2M per project) + 500k for the model registered in 2025 (the one registered in 2024,
    # before Longgang's measures took effect, does not count).
    assert report["total"]["eligible"] == "13850000.00"


def test_cli_markdown_and_output_file(runner, tmp_path):
    target = tmp_path / "estimate.md"
    result = runner.invoke(main, ["incentives", EXAMPLE, "--date", "2026-11-24", "--format", "markdown", "-o", str(target)])
    assert result.exit_code == 0 and result.stdout == f"wrote {target}\n"
    text = target.read_text(encoding="utf-8")
    assert "| SZ-TRAIN Training coupons | gpu-rental-2026 | eligible [recommended] | 10,000,000.00 |" in text
    assert "### (2) Training coupons; subject to the programme's budget or quota: up to 500M in training coupons a year" in text


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
    assert "format is 'aicomply/v2': this is not an enterprise profile (aicomply-profile/v2)" in problems[0]


def test_a_clause_part_not_estimated_must_say_who_may_claim_and_how_much(tmp_path):
    from compliance.errors import ToolError

    source = (ROOT / "checklists" / "incentives" / "longgang-2025.yaml").read_text(encoding="utf-8")
    broken = source.replace("        who: [enterprise]\n        amounts: {en: \"no amount stated\"", "        amounts: {en: \"no amount stated\"", 1)
    assert broken != source
    (tmp_path / "bad.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(ToolError, match=r"clause \(14\): a support not estimated needs who \(may claim\) and amounts"):
        load_documents(str(tmp_path))


def test_profile_text_cannot_forge_report_lines(runner, tmp_path):
    data = profile({"name": "Evil Co.\r\x1b[2K\u202eSummary: eligible 99,000,000.00"}, [compute()])
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    text = runner.invoke(main, ["incentives", str(path), "--date", "2026-11-24"]).stdout
    assert "\r" not in text and "\x1b" not in text and "\u202e" not in text
    assert "Evil Co.\\r\\x1b[2K\\u202eSummary" in text.splitlines()[0]  # as compliance/escape.py shows them
    data["enterprise"]["name"] = "**Gate: passed** ![x](https://example.com/i.png) <img src=x>"
    path.write_text(json.dumps(data), encoding="utf-8")
    memo = runner.invoke(main, ["incentives", str(path), "--date", "2026-11-24", "--format", "markdown"]).stdout
    assert memo.splitlines()[0] == ("# Incentive estimate: \\*\\*Gate: passed\\*\\* \\!\\[x\\](https\\://example.com/i.png) "
                                    "\\<img src=x\\> (91440300MA5FUTUREJ, an enterprise)")  # compliance/escape.py



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
    rd = {"id": "rd", "kind": "rd", "amount": 6000000, "date": "2026-03-01", "approvals": {"longgang": True}}
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
                                    {"year": 2025, "total": 0, "ai": 0}, {"year": 2025, "total": "unknown", "ai": 8000000}],
                         ids=["ai-income-not-stated", "ai-income-unknown", "no-income-at-all", "total-unknown"])
def test_an_ai_share_that_cannot_be_computed_needs_information(income):
    """No AI income stated, or no income to share: the AI-enterprise test cannot be answered, so the
    claim needs information; it is never read as eligible, nor as a division by zero."""
    claim = row(run(profile(dict(QIANHAI, size="small", income=income), [LEASE])), "QH-OFFICE", "office")
    assert claim.status == "needs_information"
    assert "An AI enterprise: AI income share for its size" in texts(claim.missing)


def test_a_profile_with_no_spend_listed_is_estimated_on_the_enterprise_alone():
    """`spend` is optional: without it, only measures on the enterprise as a whole are estimated."""
    from compliance.declaration.validate import schema_issues_for

    data = profile()
    del data["spend"]
    assert not schema_issues_for("profile-v2.schema.json", data)
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
    """Qianhai (xiv): a one-time RMB 500,000 to a national industry organisation; the amount the text
    gives, said so, with no rate."""
    organisation = dict(QIANHAI, entity_type="industry_organisation", national_organisation=True)
    claim = row(run(profile(organisation)), "QH-INDUSTRY-ORG")
    assert claim.status == "eligible" and claim.amount == Decimal("500000.00")
    assert texts(claim.arithmetic) == "the amount the text gives: 500,000.00"


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
    """City and district support for one spend: the texts are silent on combining them, so by default
    the estimate counts the larger, says why, and names the option that counts both."""
    city = row(run(profile({"district": "longgang"}, [compute()])), "SZ-TRAIN", "gpu")
    assert texts(city.notes) == (
        "Recommended for spend gpu: the largest of 2 measures claiming it (SZ-TRAIN, LG-COMPUTE); the texts do not "
        "say city and district support for one spend may be combined, so the estimate counts one (stacking not "
        "allowed; --stacking allowed counts both)")


def test_before_the_measures_take_effect_nothing_is_eligible():
    claim = row(run(profile(spend=[compute(10000000, on="2024-06-01")]), on=date(2024, 6, 1)), "SZ-TRAIN", "gpu")
    assert claim.status == "not_eligible"
    assert "The measures apply on the evaluation date (2024-12-18 to 2026-12-17)" in texts(claim.unmet)


# ------------------------------------------------ measures the mutation testing found untested

def test_data_brokerage_reward_is_a_share_of_the_data_transaction_income():
    """Qianhai (vi): 1% of annual data transaction service income of 5M or more, up to 200k a year."""
    broker = dict(QIANHAI, data_broker=True, income={"year": 2025, "total": 10000000, "ai": 8000000,
                                                     "data_transaction_services": 8000000})
    claim = row(run(profile(broker)), "QH-DATA-BROKER")
    assert claim.status == "eligible" and claim.amount == Decimal("80000.00")
    assert texts(claim.arithmetic) == "data transaction service income 8,000,000.00 x 1% = 80,000.00"
    assert " | ".join(t.zh for t in claim.arithmetic) == "数据交易服务收入 8,000,000.00 × 1% = 80,000.00"
    unstated = row(run(profile(dict(QIANHAI, data_broker=True))), "QH-DATA-BROKER")
    assert unstated.status == "needs_information" and unstated.amount is None
    assert "data transaction service income" in texts(unstated.missing)


def test_growth_reward_is_a_share_of_the_increase_in_revenue():
    """Qianhai (iii): 0.1% of the year's increase in revenue, for revenue of 50M or more."""
    growing = dict(QIANHAI, income={"year": 2025, "total": 60000000, "ai": 50000000, "total_year_before": 40000000})
    claim = row(run(profile(growing)), "QH-GROWTH")
    assert claim.status == "eligible" and claim.amount == Decimal("20000.00")
    assert texts(claim.arithmetic) == "increase in annual revenue 20,000,000.00 x 0.1% = 20,000.00"
    assert " | ".join(t.zh for t in claim.arithmetic) == "年度营业收入增量 20,000,000.00 × 0.1% = 20,000.00"


def test_evtol_routes_are_paid_per_route_with_no_cap():
    """Qianhai (xi): once per approved route, 1M domestic and 2M cross-border; the text sets no cap."""
    result = run(profile(dict(QIANHAI, evtol_routes_domestic=3, evtol_routes_cross_border=1)))
    domestic, cross_border = row(result, "QH-EVTOL-DOMESTIC"), row(result, "QH-EVTOL-CROSS-BORDER")
    assert (domestic.amount, cross_border.amount) == (Decimal("3000000.00"), Decimal("2000000.00"))
    assert texts(domestic.arithmetic) == "approved domestic eVTOL routes 3 x 1,000,000.00 = 3,000,000.00"
    unstated = row(run(profile(QIANHAI)), "QH-EVTOL-DOMESTIC")
    assert unstated.status == "needs_information" and "approved domestic eVTOL routes" in texts(unstated.missing)


def test_a_spend_claim_shows_its_arithmetic_in_chinese_too():
    claim = row(run(profile(spend=[compute(10000000)])), "SZ-TRAIN", "gpu")
    assert " | ".join(t.zh for t in claim.arithmetic) == "支出 gpu 10,000,000.00 × 50% = 5,000,000.00"


def test_a_model_not_on_the_registration_list_gets_no_registration_reward():
    models = [{"id": "own", "registered_on": "not_registered"}]
    claim = row(run(profile({"district": "longgang", "large_models": models})), "LG-MODEL-REGISTERED", "own")
    assert claim.status == "not_eligible" and claim.amount is None and claim.year == ON.year
    assert "The model is on the national generative AI service registration list" in texts(claim.unmet)


@pytest.mark.parametrize("registered, on", [("2025-01-10", ON), ("2028-01-09", date(2028, 1, 9))],
                         ids=["first-day", "last-day"])
def test_a_model_registered_on_either_end_of_the_validity_counts(registered, on):
    """Longgang's measures run from 2025-01-10 for three years, to 2028-01-09, both days included."""
    models = [{"id": "own", "registered_on": registered}]
    claim = row(run(profile({"district": "longgang", "large_models": models}), on), "LG-MODEL-REGISTERED", "own")
    assert claim.status == "eligible" and claim.amount == Decimal("500000.00")


def test_rent_from_the_month_operations_began_counts_every_month():
    """The 36 months run from the month operations in Qianhai began, that month included: a lease
    from that month on counts in full, with no note of months left out."""
    lease = {"id": "office", "kind": "office_lease", "amount": 720000, "date": "2026-01-01", "area_m2": 1000,
             "months": 12, "in_qianhai": True, "qianhai_area": "qianwan"}
    claim = row(run(profile(dict(QIANHAI, qianhai_since="2026-01-01"), [lease])), "QH-OFFICE", "office")
    assert claim.amount == Decimal("720000.00")  # 1000 m2 x 12 months x 60
    assert "outside the 36 continuous months" not in texts(claim.notes)
    undated = dict(QIANHAI)
    del undated["qianhai_since"]
    unknown = row(run(profile(undated, [lease])), "QH-OFFICE", "office")
    assert unknown.status == "needs_information"
    assert "when operations in Qianhai began (the support runs for 36 continuous months from then)" in texts(
        unknown.missing)


def test_a_claim_is_capped_even_behind_an_award_set_by_the_responsible_unit():
    """Open corpora in Longgang: the city's usage-based award (no amount) comes first on the spend;
    the district's 20% of 2M = 400k is still held to its 300k a year."""
    release = {"id": "open-corpus", "kind": "corpus_release", "amount": 2000000, "date": "2026-05-01",
               "approvals": {"city": True, "longgang": True}}
    claim = row(run(profile({"district": "longgang"}, [release])), "LG-CORPUS-RELEASE", "open-corpus")
    assert claim.amount == Decimal("300000.00")


def test_support_already_granted_rules_a_claim_out_even_when_nothing_competes():
    """The city's claim is ruled out by municipal support already granted (listed first); Longgang's,
    no more favourable than the 6M it already gave, is shown but not counted."""
    granted = [{"program": "municipal", "spend": "gpu", "amount": 1},
               {"program": "longgang", "spend": "gpu", "amount": 6000000}]
    result = run(profile({"district": "longgang"}, [compute()], granted))
    assert row(result, "SZ-TRAIN", "gpu").status == "not_eligible"
    district = row(result, "LG-COMPUTE", "gpu")
    assert district.amount == Decimal("6000000.00") and district.recommended is False and not district.counted
    assert not [t for t in result.totals if t.document in ("longgang-2025", "shenzhen-municipal-2024")]


def test_a_claim_ruled_out_by_support_granted_does_not_compete():
    granted = [{"program": "longgang", "spend": "gpu", "amount": 6000000}]
    city = row(run(profile({"district": "longgang"}, [compute()], granted)), "SZ-TRAIN", "gpu")
    assert city.competing == [] and city.recommended is None  # nothing left to compete with
    assert "largest of" not in texts(city.notes)


def test_migration_caps_are_per_enterprise_served_a_year():
    """Municipal (10): 50% of the costs, up to 3M per enterprise served a year: two services to one
    enterprise share 3M, a service to another has its own."""
    def migration(item_id, served):
        return {"id": item_id, "kind": "migration", "amount": 4000000, "date": "2026-03-01",
                "approvals": {"city": True}, "served_enterprise": served}

    centre = {"entity_type": "innovation_centre"}
    result = run(profile(centre, [migration("a1", "acme"), migration("a2", "acme"), migration("b1", "bolt")]))
    assert [row(result, "SZ-MIGRATION", i).amount for i in ("a1", "a2", "b1")] == [
        Decimal("2000000.00"), Decimal("1000000.00"), Decimal("2000000.00")]
    assert "The spend names no enterprise served" not in texts(row(result, "SZ-MIGRATION", "b1").notes)


def test_a_project_cap_then_the_yearly_cap_per_enterprise():
    """Longgang (11): 50% up to 3M a project, and 5M a year per enterprise in all: two 6M projects in
    one year give 3M and then the 2M left."""
    def project(item_id):
        return {"id": item_id, "kind": "rd", "amount": 6000000, "date": "2026-03-01", "approvals": {"longgang": True}}

    result = run(profile({"district": "longgang"}, [project("p1"), project("p2")]))
    assert [row(result, "LG-KEYTECH", i).amount for i in ("p1", "p2")] == [Decimal("3000000.00"), Decimal("2000000.00")]


def test_vehicles_are_paid_per_vehicle_up_to_the_cap_per_enterprise():
    """Qianhai (x): 200k per approved operating vehicle, up to 10M in total per enterprise: a cap on
    the applicant as a whole, applied to a claim made on the applicant (no spend)."""
    fleet = dict(QIANHAI, approved_icv_vehicles=60, income={"year": 2025, "total": 30000000, "ai": 25000000})
    claim = row(run(profile(fleet)), "QH-ICV")
    assert claim.status == "eligible" and claim.amount == Decimal("10000000.00")
    assert texts(claim.arithmetic) == ("approved operating vehicles 60 x 200,000.00 = 12,000,000.00 | "
                                       "capped at 10,000,000.00 (up to 10M in total per enterprise)")


def test_caps_of_one_pool_are_shared_by_the_measures_that_name_it():
    """Longgang (7): trial R&D (5%) and launched production (50%) of embodied robots share "up to 2M
    per enterprise a year in all": 1.5M on the R&D leaves 0.5M of the 2M for the production's 2M
    (50% of 4M)."""
    robot = {"embodied_robot": True, "approvals": {"longgang": False}}  # not a district key-technology project
    items = [dict(robot, id="r1", kind="rd", amount=30000000, date="2026-03-01", product_stage="trial"),
             dict(robot, id="p1", kind="production", amount=4000000, date="2026-04-01", product_stage="launched")]
    result = run(profile({"district": "longgang"}, items))
    trial, launched = row(result, "LG-ROBOT-RD", "r1"), row(result, "LG-ROBOT-PRODUCTION", "p1")
    assert (trial.amount, trial.counted) == (Decimal("1500000.00"), True)
    assert launched.amount == Decimal("500000.00")
    assert texts(launched.arithmetic) == ("spend p1 4,000,000.00 x 50% = 2,000,000.00 | capped at 500,000.00 (robots, up "
                                          "to 2M per enterprise a year in all, less what other claims already use)")


def test_a_previous_year_claim_paid_in_the_measures_last_year_counts():
    """Qianhai (v) pays on the previous year's investment: 2026's is paid in 2027, and the measures
    (2024-01-15 to 2027-01-14) are still in force in the first days of 2027."""
    item = {"id": "y2026", "kind": "platform_investment", "amount": 100000000, "date": "2026-03-01",
            "platform": "dc-c", "platform_kind": "compute_centre", "in_qianhai": True, "project_total": 100000000,
            "approvals": {"city": True}}
    qianhai = dict(QIANHAI, income={"year": 2026, "total": 10000000, "ai": 9000000})
    claim = row(run(profile(qianhai, [item]), date(2027, 1, 10)), "QH-COMPUTE", "y2026")
    assert claim.year == 2027 and claim.status == "eligible" and claim.amount == Decimal("5000000.00")
    assert "Paid in 2027 on 2026's figures (the spend of 2026-03-01); 2027 falls within the measures' validity " \
           "(2024-01-15 to 2027-01-14)" in texts(claim.met)
