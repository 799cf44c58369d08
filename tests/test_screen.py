"""What a screening finding (an Art. 72 prohibited behaviour or a risk indicator) says: the rule's
words, its Art. 72 item, and the line of the first fact a reader can find in the file, with the
declared values of every fact behind it. Expectations come from the rules and the declaration."""

from __future__ import annotations

import json
from dataclasses import replace

from compliance.cli import main
from compliance.evaluate.checklists import load_pack, merge_example

PACK = load_pack()
TRAITS = {"practices": {"pricing": {"personalised": True, "basis": ["device"]}}}


def _check(tmp_path, runner, data: dict) -> tuple[str, dict]:
    text = json.dumps(data, indent=2, default=str)
    source = tmp_path / "declaration.json"
    source.write_text(text, encoding="utf-8")
    (entry,) = json.loads(runner.invoke(main, ["check", str(source), "--format", "json"]).stdout)["results"]
    return text, entry


def test_a_prohibited_behaviour_is_reported_with_its_rule_its_item_and_its_line(tmp_path, runner):
    rule = PACK.rule("A72-5-PRICE-BY-USER-TRAITS")
    text, entry = _check(tmp_path, runner, merge_example(PACK.baseline, TRAITS))
    (finding,) = [f for f in entry["findings"] if f["rule_id"] == rule.id]
    line = text[:text.index('"personalised": true')].count("\n") + 1
    assert {key: finding[key] for key in ("kind", "severity", "title", "message", "article", "citations", "remedy",
                                          "line", "fact", "assumed", "art72_item")} == {
        "kind": "prohibited", "severity": "error", "title": rule.title.en, "message": rule.message.en,
        "article": rule.article.en, "citations": [c.en for c in rule.citations], "remedy": rule.remedy.en,
        "line": line, "fact": "practices.pricing.personalised", "assumed": False, "art72_item": 5}


def test_a_finding_names_the_declared_value_of_every_fact_behind_it():
    from conftest import evaluate_data

    result = evaluate_data(merge_example(PACK.baseline, TRAITS), PACK)
    (finding,) = [f for f in result.findings if f.rule_id == "A72-5-PRICE-BY-USER-TRAITS"]
    assert [(f.path, f.value) for f in finding.facts] == [
        ("practices.pricing.personalised", True), ("practices.pricing.basis", ["device"])]


def _screen(condition: dict, locations: dict):
    """One screening rule with the given condition, over the baseline with a public generative
    service whose foundation model is not named; `locations` maps fact paths to the lines a reader
    finds them at."""
    from compliance.declaration.facts import declaration_catalog
    from compliance.evaluate.conditions import ConditionCompiler
    from compliance.evaluate.screen import screen

    rule = replace(PACK.rule("A72-7-UNFILED-GENERATIVE"),
                   when=ConditionCompiler(declaration_catalog()).compile(condition, "test"))
    data = merge_example(PACK.baseline, {"practices": {"generative_service": {"public": True}}})
    (finding,) = screen(data, (rule,), lambda path: locations.get(path))
    return finding


UNNAMED_FIRST = {"all": [{"fact": "practices.generative_service.foundation_model", "present": False},
                         {"fact": "practices.generative_service.public", "is": True}]}


def test_the_finding_points_at_the_first_fact_the_reader_can_find():
    """The foundation model is not in the file (no line); the finding points at the first fact that is."""
    finding = _screen(UNNAMED_FIRST, {("practices", "generative_service", "public"): 7})
    assert (finding.fact, finding.line) == ("practices.generative_service.public", 7)
    assert [f.path for f in finding.facts] == ["practices.generative_service.foundation_model",
                                               "practices.generative_service.public"]
    assert finding.facts[0].value is None  # an optional fact, not stated anywhere


def test_with_no_fact_in_the_file_the_finding_names_the_first_fact_without_a_line():
    finding = _screen(UNNAMED_FIRST, {})
    assert (finding.fact, finding.line) == ("practices.generative_service.foundation_model", None)


def test_a_fact_read_twice_is_listed_once_with_its_value():
    twice = {"all": [{"fact": "practices.generative_service.public", "is": True},
                     {"not": {"fact": "practices.generative_service.public", "is": False}}]}
    finding = _screen(twice, {("practices", "generative_service", "public"): 7})
    assert [(f.path, f.value, f.line) for f in finding.facts] == [("practices.generative_service.public", True, 7)]
