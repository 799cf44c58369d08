"""Art. 72 item 5: prices set by users' traits. Each trait is checked on its own, so a trait dropped
from the rule's list is noticed by a test, not only by `aicomply explain` or the README."""

from __future__ import annotations

import pytest

from compliance.evaluate.checklists import load_pack, merge_example
from conftest import evaluate_data

PACK = load_pack()
RULE = "A72-5-PRICE-BY-USER-TRAITS"
# Art. 72(5) names habits, preferences and ability to pay; the pack reads the device, the purchase
# history and the user's own location as stand-ins for them (the schema lists all six as user traits).
# Each, alone, makes personalised pricing prohibited.
USER_TRAITS = ["habits", "preferences", "payment_capability", "device", "purchase_history", "user_location"]
# Prices that follow the transaction, not the buyer: no Art. 72(5) finding.
NOT_TRAITS = ["route_or_area", "supply_demand", "cost", "time_of_day", "distance"]
LAWFUL_EXCEPTIONS = ["new_user_offer", "random_promotion", "membership_tier"]  # SZ Data Regs Art. 69


def _findings(basis: list[str], personalised=True) -> set[str]:
    data = merge_example(PACK.baseline, {"practices": {"pricing": {"personalised": personalised, "basis": basis}}})
    return {f.rule_id for f in evaluate_data(data, PACK).findings}


@pytest.mark.parametrize("trait", USER_TRAITS)
def test_pricing_on_each_user_trait_alone_is_prohibited(trait):
    """Protects the Art. 72(5) pricing traits of A72-5-PRICE-BY-USER-TRAITS, one by one (`device`
    included): personalised prices based on this trait alone are a prohibited behaviour."""
    assert RULE in _findings([trait])
    assert RULE in _findings(["cost", trait])  # a lawful basis beside it does not excuse it


@pytest.mark.parametrize("basis", NOT_TRAITS + LAWFUL_EXCEPTIONS)
def test_pricing_on_the_offer_or_a_lawful_exception_is_not_prohibited(basis):
    findings = _findings([basis])
    assert RULE not in findings
    assert ("A72-5-LAWFUL-EXCEPTION" in findings) == (basis in LAWFUL_EXCEPTIONS)


def test_prices_that_are_not_personalised_are_not_screened():
    assert RULE not in _findings(USER_TRAITS, personalised=False)


def test_ability_to_pay_is_a_trading_condition_in_credit_only():
    """Credit status is part of the trading conditions (SZ Data Regs Art. 69 para. 2), so pricing a loan
    on the borrower's ability to pay is not the Art. 72(5) behaviour; any other user trait still is. An
    insurer pricing a policy on what the customer can pay is (pack 4.0.0; 3.x let insurance through)."""
    def findings(domain, basis):
        data = merge_example(PACK.baseline, {"scenario": {"domains": [domain]},
                                             "practices": {"pricing": {"personalised": True, "basis": basis}}})
        return {f.rule_id for f in evaluate_data(data, PACK).findings}

    assert RULE not in findings("credit", ["payment_capability"])
    assert RULE in findings("credit", ["payment_capability", "device"])
    assert RULE in findings("insurance", ["payment_capability"])


def test_the_lists_cover_every_declared_pricing_basis():
    """Every value the schema offers for a pricing basis is placed in one list above, so a new value
    cannot go unexamined."""
    import json

    from conftest import ROOT

    schema = json.loads((ROOT / "schemas" / "declaration-v2.schema.json").read_text(encoding="utf-8"))
    basis = schema["$defs"]["Pricing"]["properties"]["basis"]
    values = [value for option in basis["anyOf"] for value in option.get("items", {}).get("enum", ())]
    assert sorted(values) == sorted(USER_TRAITS + NOT_TRAITS + LAWFUL_EXCEPTIONS)
