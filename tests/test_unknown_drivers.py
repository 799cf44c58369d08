"""A grade that rests on facts left unknown says they are to be stated, not that nothing lowers it.

The Air Canada case leaves whether its chatbot synthesises anything unknown; fail closed, that is
graded high. The report used to say "No change the product team can make lowers the grade" and list
the unknown facts as "Outside the product's control", which reads as if the product were high for
what it is. Stating the facts is what lowers it (tests/casebook/READINGS.yaml, if_stated)."""

from __future__ import annotations

import json
from pathlib import Path

from compliance.cli import main

CASE = Path(__file__).parent / "casebook" / "air-canada-chatbot-bereavement-fare" / "declaration.yaml"
UNSTATED = ["practices.deep_synthesis.used", "practices.deep_synthesis.real_persons",
            "practices.deep_synthesis.modalities", "practices.deep_synthesis.public"]


def test_unknown_drivers_are_to_be_stated_not_outside_control(runner):
    report = json.loads(runner.invoke(main, ["check", str(CASE), "--format", "json"]).stdout)["results"][0]
    assert report["risk_level"] == "high" and report["lowering"] is None
    assert [f["path"] for f in report["drivers"]] == UNSTATED
    assert all(f["value"] == "unknown" for f in report["drivers"])
    assert report["outside_control"] == []


def test_the_text_report_asks_for_the_unknown_facts_in_both_languages(runner):
    en = runner.invoke(main, ["check", str(CASE)]).stdout
    assert ("The grade takes the risky answer for facts left unknown; stating them may lower it: "
            + ", ".join(UNSTATED)) in en
    assert "No change the product team can make" not in en and "Outside the product's control" not in en
    zh = runner.invoke(main, ["check", str(CASE), "--lang", "zh"]).stdout
    assert "如实申报后等级可能降低：" + ", ".join(UNSTATED) in zh and "产品自身无法改变的因素" not in zh


def test_a_grade_resting_on_what_the_product_is_still_says_no_change_lowers_it(runner):
    """The hospital example is high for diagnosis and a class III device: stated identity facts."""
    example = Path(__file__).parent.parent / "examples" / "hospital-imaging-assistant.yaml"
    en = runner.invoke(main, ["check", str(example)]).stdout
    assert "No change the product team can make lowers the grade" in en
    assert "Outside the product's control: scenario.domains" in en
    assert "stating them may lower it" not in en
