"""Issue 14, item by item: per-platform caps, who may claim, usage-based awards, approvals per
authority, the lower items, every clause listed, and the stacking reading.

Every expected amount is worked out in the comment above it from the words of the source
documents (seeds 000 Qianhai, 001 municipal, 002 Longgang), not from the tool.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import pytest
from conftest import ROOT
from incentive_helpers import ON, compute, profile, row, run, texts

from compliance.cli import main
from compliance.incentives.documents import load_documents

QIANHAI = {"district": "nanshan", "qianhai_operations": True, "qianhai_since": "2025-01-01",
           "paid_in_capital": 20000000, "income": {"year": 2025, "total": 10000000, "ai": 9000000}}


def total(result, document: str, year: int):
    return next(t for t in result.totals if t.document == document and t.year == year)


def data_centre(item_id: str, amount: int, platform: str | None, on: str = "2025-06-01", **facts) -> dict:
    item = {"id": item_id, "kind": "platform_investment", "amount": amount, "date": on, "platform_kind": "compute_centre",
            "in_qianhai": True, "project_total": amount, **facts}
    if platform:
        item["platform"] = platform
    return item


# ------------------------------------------------------------- 1. Qianhai compute, per platform

def test_qianhai_compute_cap_is_per_platform_and_the_yearly_total_reaches_30m():
    spend = [
        data_centre("dc-a", 300000000, "dc-a"),
        data_centre("dc-b", 200000000, "dc-b"),
        {"id": "office", "kind": "office_lease", "amount": 3600000, "date": "2026-01-01", "area_m2": 5000, "months": 12,
         "in_qianhai": True, "qianhai_area": "qianwan"},
        {"id": "challenge", "kind": "rd", "amount": 30000000, "date": "2026-03-01", "approvals": {"qianhai": True}},
    ]
    result = run(profile(QIANHAI, spend))
    # (v): "5% of the actual investment amount of the previous year, with a cumulative maximum of RMB 20
    # million per platform": dc-a 5% x 300M = 15M; dc-b 5% x 200M = 10M; each under its own 20M.
    # Both were invested in 2025, so both are paid in 2026.
    a, b = row(result, "QH-COMPUTE", "dc-a"), row(result, "QH-COMPUTE", "dc-b")
    assert (a.amount, b.amount) == (Decimal("15000000.00"), Decimal("10000000.00"))
    assert (a.year, b.year) == (2026, 2026)
    # (i): 5000 m2 x 12 months x 60 = 3.6M, "maximum annual subsidy of RMB 3 million" -> 3M.
    # (xiii): 20% of 30M R&D = 6M, "up to RMB 5 million per project" -> 5M.
    # 2026: 15M + 10M + 3M + 5M = 33M, over "shall not exceed RMB 30 million" a year -> 30M.
    qianhai = total(result, "qianhai-2024", 2026)
    assert qianhai.eligible == Decimal("30000000.00")
    assert "33,000,000.00 capped at 30,000,000.00 per entity per year" in texts(qianhai.arithmetic)


def test_one_platform_keeps_one_cumulative_cap_across_years():
    # dc-a: 2024 investment 300M -> 5% = 15M paid in 2025; 2025 investment 200M -> 5% = 10M, but the
    # "cumulative maximum of RMB 20 million per platform" leaves 20M - 15M = 5M, paid in 2026.
    spend = [data_centre("dc-a-2024", 300000000, "dc-a", "2024-06-01"), data_centre("dc-a-2025", 200000000, "dc-a")]
    result = run(profile(QIANHAI, spend))
    assert row(result, "QH-COMPUTE", "dc-a-2024").amount == Decimal("15000000.00")
    second = row(result, "QH-COMPUTE", "dc-a-2025")
    assert second.amount == Decimal("5000000.00")
    assert "less what other claims already use" in texts(second.arithmetic)


def test_spend_naming_no_platform_shares_one_cap_and_says_so():
    # Unnamed platforms cannot be told apart, so they share one 20M (the reading that never
    # overstates): 15M, then 20M - 15M = 5M of the second's 10M.
    spend = [data_centre("dc-a", 300000000, None), data_centre("dc-b", 200000000, None)]
    result = run(profile(QIANHAI, spend))
    second = row(result, "QH-COMPUTE", "dc-b")
    assert second.amount == Decimal("5000000.00")
    assert "The spend names no platform: spend items without one share one cap" in texts(second.notes)


# ---------------------------------------------------------- 2. Qianhai events: organisations

EVENT = {"id": "summit", "kind": "event", "amount": 2000000, "date": "2026-04-01", "in_qianhai": True,
         "approvals": {"qianhai": True}}


def test_qianhai_event_support_is_for_industry_organisations():
    # (xiv): "Encourage AI industry organizations to host ... in the Qianhai Cooperation Zone": an
    # enterprise is not one.
    firm = row(run(profile(QIANHAI, [EVENT])), "QH-EVENT", "summit")
    assert firm.status == "not_eligible"
    assert "Who may claim: industry organisations (clause (xiv))" in texts(firm.unmet)
    # An industry organisation: "20% of the actual event costs, up to a maximum of RMB 1 million":
    # 20% x 2M = 400,000.
    organisation = row(run(profile(dict(QIANHAI, entity_type="industry_organisation"), [EVENT])), "QH-EVENT", "summit")
    assert organisation.status == "eligible" and organisation.amount == Decimal("400000.00")


def test_national_industry_organisation_gets_its_one_time_500k():
    # (xiv): "one-time support of RMB 500,000 for national-level AI industry organizations
    # established in the Qianhai Cooperation Zone".
    claim = row(run(profile(dict(QIANHAI, entity_type="industry_organisation", national_organisation=True))),
                "QH-INDUSTRY-ORG")
    assert claim.status == "eligible" and claim.amount == Decimal("500000.00")
    assert row(run(profile(QIANHAI)), "QH-INDUSTRY-ORG").status == "not_eligible"


# ------------------------------------------------------- 3. usage-based: never the maximum

CORPUS_RELEASE = {"id": "open-corpus", "kind": "corpus_release", "amount": 1000000, "date": "2026-05-01",
                  "approvals": {"city": True, "longgang": True}}


def test_municipal_open_corpora_award_is_never_estimated_at_its_maximum():
    result = run(profile({"district": "longgang"}, [CORPUS_RELEASE]))
    city = row(result, "SZ-CORPUS-OPEN", "open-corpus")
    # Clause 3: "up to 1 million yuan rewards ... based on the annual sharing usage": no formula, so
    # no amount; the most is shown and never counted.
    assert city.status == "needs_information" and city.amount is None and city.up_to == Decimal("1000000.00")
    assert "set on the annual sharing usage of the open corpora" in texts(city.missing)
    # Longgang clause 4: "at 20% of the production costs, with the yearly maximum amount of 300,000":
    # 20% x 1M = 200,000. It is the one counted; before, the city's 1M maximum beat it.
    district = row(result, "LG-CORPUS-RELEASE", "open-corpus")
    assert district.amount == Decimal("200000.00") and district.recommended is True
    assert city.recommended is False and "its amount is set by the responsible unit" in texts(city.notes)
    assert not [t for t in result.totals if t.document == "shenzhen-municipal-2024"]
    assert total(result, "longgang-2025", 2026).possible == Decimal("200000.00")


def test_usage_based_awards_are_listed_apart_in_every_format(runner, tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(profile({"district": "longgang"}, [CORPUS_RELEASE])), encoding="utf-8")
    text = runner.invoke(main, ["incentives", str(path), "--date", "2026-11-24"]).stdout
    assert ("SZ-CORPUS-OPEN Corpus coupons (open corpora) (clause (3)), spend open-corpus: needs information, "
            "not estimated (set by the responsible unit), max 1,000,000.00 [not counted]") in text
    assert "Not counted, set by the responsible unit: SZ-CORPUS-OPEN, spend open-corpus (max 1,000,000.00)" in text
    report = json.loads(runner.invoke(main, ["incentives", str(path), "--date", "2026-11-24", "--format", "json"]).stdout)
    assert report["set_by_unit"] == [{"document": "shenzhen-municipal-2024", "measure": "SZ-CORPUS-OPEN",
                                      "subject": "spend", "item": "open-corpus", "up_to": "1000000.00"}]
    assert report["total"] == {"eligible": "200000.00", "possible": "200000.00"}


# ----------------------------------------------------------------------- 4. who may claim

# From each clause's wording (the data's `who`, checked here against the seeds by hand).
ALL = {"enterprise", "university", "research_institute", "industry_organisation", "innovation_centre"}
WHO = {
    "SZ-TRAIN": {"enterprise", "university", "research_institute"},  # (2) "enterprises, higher education institutions, and research institutions"
    "SZ-CORPUS": {"enterprise"},  # (3) "For enterprises purchasing unrelated party corpora"
    "SZ-CORPUS-OPEN": {"enterprise"},  # (3) "Support enterprises in opening corpora"
    "SZ-MODEL": {"enterprise"},  # (4) "For enterprises utilizing ... registered"
    "SZ-DEMO": ALL,  # (5) "the project construction entity"
    "SZ-MIGRATION": {"innovation_centre"},  # (10) "For eligible innovation centers"
    "SZ-PLATFORM": ALL,  # (12) "For new platforms that meet the criteria"
    "SZ-PLATFORM-OPERATING": ALL,  # (12) "for existing platforms"
    "SZ-EVENT": ALL,  # (18) "For eligible activities"
    "QH-OFFICE": {"enterprise"},  # (i) "For AI enterprises"
    "QH-GROWTH": {"enterprise"},  # (iii) "AI enterprises with a declared annual operating revenue"
    "QH-COMPUTE": {"enterprise"},  # (v) "Support enterprises in the Qianhai Cooperation Zone"
    "QH-DATA-BROKER": {"enterprise"},  # (vi) "Reward data brokerage enterprises"
    "QH-MODEL-RELEASE": {"enterprise"},  # (viii) "to Qianhai enterprises"
    "QH-DEMO": ALL,  # (ix) "to the project's main body"
    "QH-ICV": {"enterprise"},  # (x) "to large-scale enterprises"
    "QH-EVTOL-DOMESTIC": {"enterprise"},  # (xi) "Qianhai Cooperation Zone enterprises"
    "QH-EVTOL-CROSS-BORDER": {"enterprise"},
    "QH-INNOVATION-CENTRE": {"innovation_centre"},  # (xii) "for innovation centers"
    "QH-CHALLENGE": ALL,  # (xiii) soliciting from society
    "QH-INDUSTRY-ORG": {"industry_organisation"},  # (xiv) "national-level AI industry organizations"
    "QH-EVENT": {"industry_organisation"},  # (xiv) "Encourage AI industry organizations to host"
    "LG-COMPUTE": {"enterprise"},  # (2) "Each enterprise that purchases computing power"
    "LG-CORPUS": {"enterprise"},  # (3) "encourages enterprises to purchase corpus data"
    "LG-CORPUS-RELEASE": {"enterprise"},  # (4) "encourages enterprises to release"
    "LG-MODEL-REGISTERED": {"enterprise"},  # (5) "grant the owner enterprise"
    "LG-MODEL-SERVICES": {"enterprise"},  # (6) "grant the enterprises that purchase"
    "LG-ROBOT-RD": {"enterprise"},  # (7) "supports embodied robot enterprises"
    "LG-ROBOT-PRODUCTION": {"enterprise"},
    "LG-SMART-PRODUCT": {"enterprise"},  # (8) "an enterprise engaged in the above-mentioned business"
    "LG-DEMO": {"enterprise"},  # (10) "encourages the enterprises in every sector"
    "LG-KEYTECH": {"enterprise"},  # (11) "the yearly amount to an enterprise"
    "LG-EVENT": {"enterprise", "industry_organisation"},  # (16) "enterprises, industry associations"
}


def test_every_measure_of_every_document_states_who_may_claim_as_its_clause_words_it():
    measures = {m.id: set(m.data["who"]) for d in load_documents() for m in d.measures}
    assert len(measures) == 33
    assert measures == WHO


@pytest.mark.parametrize("entity_type", sorted(ALL))
def test_who_may_claim_is_checked_for_every_measure(entity_type):
    spend = [
        {"id": kind.replace("_", "-"), "kind": kind, "amount": 1000000, "date": "2026-05-01"}
        for kind in ("compute_rental", "corpus_purchase", "corpus_release", "model_purchase", "demonstration_project",
                     "rd", "production", "event", "migration", "platform_investment", "platform_operation")
    ] + [{"id": "office-lease", "kind": "office_lease", "amount": 1, "date": "2026-05-01", "area_m2": 1, "months": 1}]
    result = run(profile({"entity_type": entity_type, "large_models": [{"id": "m1"}]}, spend))
    rows = result.estimates
    assert {r.measure for r in rows} == set(WHO)
    for claim in rows:
        stated = [t for t in claim.met + claim.unmet if t.en.startswith("Who may claim:")]
        assert len(stated) == 1, claim.measure
        assert (stated[0] in claim.met) == (entity_type in WHO[claim.measure]), claim.measure
        if entity_type not in WHO[claim.measure]:
            assert claim.status == "not_eligible" and claim.amount is None


def test_a_university_gets_training_coupons_but_nothing_from_longgangs_enterprise_measures():
    spend = [compute(1000000),
             {"id": "corpus", "kind": "corpus_purchase", "amount": 1000000, "date": "2026-03-01",
              "for_large_model": True, "unrelated_party": True, "via_trading_platform": True},
             {"id": "model", "kind": "model_purchase", "amount": 1000000, "date": "2026-03-01", "registered_model": True}]
    result = run(profile({"entity_type": "university", "district": "longgang"}, spend))
    # Municipal (2): "enterprises, higher education institutions, and research institutions": 50% x 1M = 500,000.
    assert row(result, "SZ-TRAIN", "gpu").amount == Decimal("500000.00")
    # Longgang (2), (3), (6) address enterprises; before, the university was shown eligible for
    # 30% x 1M + 20% x 1M + 30% x 1M.
    for measure, item in (("LG-COMPUTE", "gpu"), ("LG-CORPUS", "corpus"), ("LG-MODEL-SERVICES", "model"),
                          ("SZ-CORPUS", "corpus"), ("SZ-MODEL", "model")):
        assert row(result, measure, item).status == "not_eligible", measure
    assert [(t.document, t.eligible) for t in result.totals] == [("shenzhen-municipal-2024", Decimal("500000.00"))]


def test_the_startup_rate_is_for_enterprises():
    # (2): "the funding ratio for startups raised to 60%": a startup is an enterprise, so a
    # research institute claims 50%: 50% x 10M = 5M.
    result = run(profile({"entity_type": "research_institute", "startup": True}, [compute(10000000)]))
    assert row(result, "SZ-TRAIN", "gpu").amount == Decimal("5000000.00")


# ------------------------------------------------------------- 5. approvals per authority

def test_city_and_qianhai_approvals_are_separate_acts():
    organisation = dict(QIANHAI, entity_type="industry_organisation")
    city_only = run(profile(organisation, [dict(EVENT, approvals={"city": True})]))
    # Municipal (18): "up to 50% of the total investment approved ... up to 3 million": 50% x 2M = 1M.
    assert row(city_only, "SZ-EVENT", "summit").status == "eligible"
    assert row(city_only, "SZ-EVENT", "summit").amount == Decimal("1000000.00")
    qianhai = row(city_only, "QH-EVENT", "summit")
    assert qianhai.status == "needs_information"
    assert "Agreed in advance by the Qianhai Authority (audited after the event)" in texts(qianhai.missing)
    qianhai_only = run(profile(organisation, [dict(EVENT, approvals={"city": False, "qianhai": True})]))
    assert row(qianhai_only, "SZ-EVENT", "summit").status == "not_eligible"
    # (xiv): 20% x 2M = 400,000.
    assert row(qianhai_only, "QH-EVENT", "summit").amount == Decimal("400000.00")


def test_every_approval_a_measure_needs_names_its_authority():
    # The acts the clauses name: recognised, judged, approved by the city; assessed, selected,
    # registered by Longgang; evaluated, selected, agreed in advance by the Qianhai Authority.
    approvals = {"shenzhen-municipal-2024": "city", "longgang-2025": "longgang", "qianhai-2024": "qianhai"}
    needing = set()
    for document in load_documents():
        for measure in document.measures:
            facts = re.findall(r"item\.approvals\.(\w+)", json.dumps(measure.data.get("requires", [])))
            assert set(facts) <= {approvals[document.id]}, measure.id
            needing |= {measure.id} if facts else set()
    assert needing == {"SZ-CORPUS-OPEN", "SZ-MODEL", "SZ-DEMO", "SZ-MIGRATION", "SZ-PLATFORM", "SZ-PLATFORM-OPERATING",
                       "SZ-EVENT", "LG-CORPUS-RELEASE", "LG-DEMO", "LG-KEYTECH", "LG-EVENT", "QH-DEMO", "QH-CHALLENGE",
                       "QH-EVENT"}


# ------------------------------------------------------------------------ 6. lower items

def test_longgang_model_services_accept_third_party_tested_models():
    # Longgang (6): "registered ... large models and third-party-tested ones": 30% x 1M = 300,000.
    spend = [{"id": "svc", "kind": "model_purchase", "amount": 1000000, "date": "2026-03-01",
              "registered_model": False, "third_party_tested": True}]
    claim = row(run(profile({"district": "longgang"}, spend)), "LG-MODEL-SERVICES", "svc")
    assert claim.status == "eligible" and claim.amount == Decimal("300000.00")


def test_longgang_registered_model_reward_is_once_per_model_and_not_before_the_measures():
    models = [{"id": f"m{n}", "registered_on": f"2025-0{n}-01"} for n in range(2, 7)] + [
        {"id": "early", "registered_on": "2024-12-01"}, {"id": "undated"}, {"id": "later", "registered_on": "2026-02-01"}]
    for on in (ON, date(2027, 6, 1)):
        result = run(profile({"district": "longgang", "large_models": models}), on)
        # (5): "500,000 yuan at most" per model, "the yearly maximum ... not exceeding 2 million":
        # five models registered in 2025: 4 x 500k = 2M, the fifth gets what is left, 0.
        rewarded = [row(result, "LG-MODEL-REGISTERED", f"m{n}") for n in range(2, 7)]
        assert [r.amount for r in rewarded] == [Decimal("500000.00")] * 4 + [Decimal("0.00")]
        assert {r.year for r in rewarded} == {2025}  # the year of registration, whatever the evaluation date
        assert total(result, "longgang-2025", 2025).eligible == Decimal("2000000.00")
        # 2026 is a new year: 500k.
        assert row(result, "LG-MODEL-REGISTERED", "later").amount == Decimal("500000.00")
        # Registered on 2024-12-01, before the measures took effect on 2025-01-10: not counted.
        assert row(result, "LG-MODEL-REGISTERED", "early").status == "not_eligible"
        assert row(result, "LG-MODEL-REGISTERED", "undated").status == "needs_information"


def test_unitless_caps_per_year_in_the_city_and_over_the_life_in_longgang():
    spend = [compute(item_id="y2025", on="2025-03-01"), compute(item_id="y2026", on="2026-03-01")]
    result = run(profile({"district": "longgang"}, spend), stacking="allowed")
    # Municipal (2): "funding of up to 10 million yuan", read per year (annual coupons): 50% x 30M
    # = 15M, capped at 10M, in 2025 and again in 2026.
    assert [row(result, "SZ-TRAIN", i).amount for i in ("y2025", "y2026")] == [Decimal("10000000.00")] * 2
    # Longgang (2): "up to 6 million yuan to the maximum", without the "yearly" of clauses 3-7: read
    # over the measures' life: 30% x 30M = 9M, capped at 6M in 2025, nothing left for 2026.
    assert [row(result, "LG-COMPUTE", i).amount for i in ("y2025", "y2026")] == [Decimal("6000000.00"), Decimal("0.00")]
    readings = {d.id: " ".join(r["en"] for r in d.data["readings"]) for d in load_documents()}
    assert "is read per recipient per year" in readings["shenzhen-municipal-2024"]
    assert "read per enterprise over the measures' three years" in readings["longgang-2025"]


def test_municipal_benchmark_project_counts_the_demonstration_standard_only():
    demo = {"id": "demo", "kind": "demonstration_project", "amount": 50000000, "date": "2026-05-01",
            "approvals": {"city": True}}
    # (5): "no more than 30% ..., with a maximum of 2 million yuan; for benchmark application projects
    # ..., the funding standard may be increased, with a maximum of 10 million": 30% x 50M = 15M,
    # capped at 2M; the benchmark's higher standard has no rate, so it is shown, not counted.
    benchmark = row(run(profile(spend=[dict(demo, benchmark=True)])), "SZ-DEMO", "demo")
    assert benchmark.amount == Decimal("2000000.00")
    assert "only the standard above is counted (the most is 10,000,000.00)" in texts(benchmark.notes)
    unknown = row(run(profile(spend=[demo])), "SZ-DEMO", "demo")
    assert unknown.amount == Decimal("2000000.00") and "the profile does not say" in texts(unknown.notes)


LEASE = {"id": "office", "kind": "office_lease", "amount": 720000, "date": "2026-01-01", "area_m2": 1000, "months": 12,
         "in_qianhai": True, "qianhai_area": "qianwan"}


def test_qianhai_rent_runs_36_continuous_months_in_the_named_areas():
    started = dict(QIANHAI, qianhai_since="2023-06-01")
    claim = row(run(profile(started, [LEASE])), "QH-OFFICE", "office")
    # (i): "RMB 60 per square meter per month ... for a continuous period of 36 months": from June 2023
    # the 36 months end in May 2026, so of 2026 only January-May count: 1000 x 5 x 60 = 300,000.
    assert claim.amount == Decimal("300000.00")
    assert "7 of the 12 months leased fall outside the 36 continuous months from 2023-06 to 2026-05" in texts(claim.notes)
    # "(including the Qianwan, Guiwan, Mawan, Baozhong, and Dachan Bay areas)": elsewhere does not count.
    elsewhere = row(run(profile(started, [dict(LEASE, qianhai_area="elsewhere")])), "QH-OFFICE", "office")
    assert elsewhere.status == "not_eligible" and "named area of the aggregation zone" in texts(elsewhere.unmet)


def test_qianhai_compute_is_paid_on_the_previous_years_investment():
    result = run(profile(QIANHAI, [data_centre("y2023", 100000000, "dc-a", "2023-05-01"),
                                   data_centre("y2027", 100000000, "dc-b", "2027-03-01")]))
    # (v): "5% of the actual investment amount of the previous year": 2023's 100M is paid in 2024, while
    # the measures (2024-01-15 to 2027-01-14) are in force: 5M.
    early = row(result, "QH-COMPUTE", "y2023")
    assert early.year == 2024 and early.amount == Decimal("5000000.00")
    assert "Paid in 2024 on 2023's figures" in texts(early.met)
    # 2027's investment would be paid in 2028, after the measures: not eligible.
    assert row(result, "QH-COMPUTE", "y2027").status == "not_eligible"


def test_longgangs_title_is_printed_as_our_translation(runner):
    example = str(ROOT / "profiles" / "example-profile.yaml")
    text = runner.invoke(main, ["incentives", example, "--date", "2026-11-24"]).stdout
    assert ("Longgang District Measures to Promote the High-Quality Development of the AI Industry "
            "(our translation: the source gives no title) [longgang-2025]") in text
    zh = runner.invoke(main, ["incentives", example, "--date", "2026-11-24", "--lang", "zh"]).stdout
    assert "龙岗区促进人工智能产业高质量发展的若干措施 (译名：所据文本未载标题，非官方标题) [longgang-2025]" in zh
    assert "Qianhai Authority to Support the High-Quality Development and High-Level Application of AI [qianhai-2024]" in text


# --------------------------------------------------------------------- 7. every clause appears

CLAUSES = {  # as numbered in the seeds
    "shenzhen-municipal-2024": [f"({n})" for n in range(1, 19)] + ["5."],
    "qianhai-2024": [f"({n})" for n in ("i ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi".split())] + ["V."],
    "longgang-2025": [f"({n})" for n in range(1, 21)],
}


def test_every_clause_of_every_document_is_listed_in_order(runner):
    example = str(ROOT / "profiles" / "example-profile.yaml")
    text = runner.invoke(main, ["incentives", example, "--date", "2026-11-24"]).stdout
    heads = [line[2:] for line in text.splitlines() if re.match(r"  (\(|5\.|V\.)", line)]
    listed = {d.id: [c["clause"] for c in d.data["clauses"]] for d in load_documents()}
    assert listed == CLAUSES
    expected = [clause for document in ("shenzhen-municipal-2024", "longgang-2025", "qianhai-2024")
                for clause in CLAUSES[document]]
    assert [head.split(" ")[0] for head in heads] == expected
    assert len(heads) == 19 + 17 + 20


@pytest.mark.parametrize("words", [
    # municipal (13)-(15) and (12): the amounts that used to sit in a group without them
    "one-time 1M, 500k or 300k for enterprises founded by AI talents who studied abroad",
    "rent exemption of 6 months to 3 years",
    "up to 3M for one rated good or excellent in the three-yearly evaluation",
    "matching support of up to 1:1 for a successful application as a national industry innovation centre",
    # Qianhai (vii), (xv), (xvi)
    "General-purpose technology service platforms on domestic AI foundations",
    "supervisory sandbox; non-prosecution of compliant enterprises",
    "major platforms and key projects may be supported through cooperation agreements",
    # Longgang (12), (17), (18)
    "no support to a platform for 3 consecutive years or 4 times (as the translation words it); at most 5M per enterprise",
    "rule: Apply for the more favourable of this and other Longgang policies, never both",
    "rule: Controls on the total amount of the fiscal funds",
])
def test_clauses_not_estimated_are_listed_with_their_amounts_and_why(runner, words):
    text = runner.invoke(main, ["incentives", str(ROOT / "profiles" / "example-profile.yaml"), "--date", "2026-11-24"]).stdout
    assert words in text


@pytest.mark.parametrize("words", [
    "(2) Training coupons; subject to the programme's budget or quota: up to 500M in training coupons a year",
    "(vi) Data as a factor of production; subject to the programme's budget or quota: at most 10 enterprises rewarded a year",
    "(ix) Application scenario demonstrations; subject to the programme's budget or quota: at most 10 projects supported a year",
    "(xiii) Key technology breakthroughs; subject to the programme's budget or quota: no more than 5 challenge topics a year",
    "(10) Demonstration AI scenario projects; subject to the programme's budget or quota: at most 20 projects selected a year",
    "Budget: the funding amounts are subject to the total annual limit (supplementary provisions)",
])
def test_programme_budgets_and_quotas_are_shown(runner, words):
    text = runner.invoke(main, ["incentives", str(ROOT / "profiles" / "example-profile.yaml"), "--date", "2026-11-24"]).stdout
    assert words in text


# ------------------------------------------------------------------------- 8. stacking

def test_stacking_not_allowed_by_default_and_allowed_on_request(runner, tmp_path):
    data = profile({"district": "longgang", "startup": True}, [compute()])
    strict, stacked = run(data), run(data, stacking="allowed")
    # Municipal (2): 60% for a startup x 30M = 18M, capped at 10M. Longgang (2): 30% x 30M = 9M,
    # capped at 6M. Not allowed: only the larger, 10M. Allowed: 10M + 6M = 16M.
    assert (row(strict, "SZ-TRAIN", "gpu").counted, row(strict, "LG-COMPUTE", "gpu").counted) == (True, False)
    assert sum(t.eligible for t in strict.totals) == Decimal("10000000.00")
    assert (row(stacked, "SZ-TRAIN", "gpu").counted, row(stacked, "LG-COMPUTE", "gpu").counted) == (True, True)
    assert sum(t.eligible for t in stacked.totals) == Decimal("16000000.00")
    assert "Counted together with LG-COMPUTE for spend gpu: stacking allowed" in texts(row(stacked, "SZ-TRAIN", "gpu").notes)
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    default = runner.invoke(main, ["incentives", str(path), "--date", "2026-11-24"]).stdout
    assert "Combining city and district support for one spend: not allowed (the conservative reading" in default
    allowed = runner.invoke(main, ["incentives", str(path), "--date", "2026-11-24", "--stacking", "allowed",
                                   "--format", "json"])
    assert allowed.exit_code == 0 and json.loads(allowed.stdout)["stacking"] == "allowed"


def test_stacking_allowed_still_keeps_one_documents_measures_apart():
    # Longgang (17): "whichever is more favorable, with any repetition prohibited": an R&D spend that
    # is both a key technology project (50% x 2M = 1M) and an AI-enabled traditional product (30% x 2M
    # = 600k, capped at 300k) gives one, the larger.
    rd = {"id": "rd", "kind": "rd", "amount": 2000000, "date": "2026-03-01", "approvals": {"longgang": True},
          "traditional_industry": True, "product_stage": "launched"}
    result = run(profile({"district": "longgang"}, [rd]), stacking="allowed")
    keytech, product = row(result, "LG-KEYTECH", "rd"), row(result, "LG-SMART-PRODUCT", "rd")
    assert (keytech.amount, product.amount) == (Decimal("1000000.00"), Decimal("300000.00"))
    assert (keytech.recommended, product.recommended) == (True, False)
    assert "the documents rule out combining them" in texts(keytech.notes)
