"""What the grade says besides its level: its reasons (in order, with the rule's words and the
declared facts at their lines), the facts that drove it, and the smallest change that lowers it
(with each fact's declared value). Expectations come from the rules and the declaration."""

from __future__ import annotations

import copy
import json

from compliance.cli import main
from compliance.evaluate.checklists import load_pack, merge_example
from conftest import evaluate_data

PACK = load_pack()
ORDER = {"high": 0, "raise": 1, "medium": 2}
HIGH_RAISE_MEDIUM = {  # judicial use (high), designed for children (raise), personalised prices (medium)
    "scenario": {"domains": ["judicial"]},
    "scope": {"special_groups": {"children": "primary"}},
    "practices": {"pricing": {"personalised": True, "basis": ["cost"]}},
}


def _check(tmp_path, runner, patch: dict, remove: tuple[str, ...] = ()) -> tuple[str, dict]:
    """The declaration as JSON, one fact a line, and its `aicomply check --format json` result."""
    data = copy.deepcopy(merge_example(PACK.baseline, patch))  # the merge shares the baseline's sections
    for dotted in remove:  # a section or fact left out of the file
        *parents, last = dotted.split(".")
        node = data
        for key in parents:
            node = node[key]
        del node[last]
    text = json.dumps(data, indent=2, default=str)
    source = tmp_path / "declaration.json"
    source.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["check", str(source), "--format", "json"])
    (entry,) = json.loads(result.stdout)["results"]
    return text, entry


def _line(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


def test_reasons_are_listed_from_the_highest_level_down():
    """High reasons first, then the raise, then medium ones: the order a reader weighs them in."""
    result = evaluate_data(merge_example(PACK.baseline, HIGH_RAISE_MEDIUM), PACK)
    levels = [reason.level for reason in result.reasons]
    assert set(levels) == {"high", "raise", "medium"}
    assert levels == sorted(levels, key=ORDER.__getitem__)
    assert result.risk_level == "high"


def test_a_reason_carries_its_rule_and_the_declared_facts_at_their_lines(tmp_path, runner):
    rule = PACK.rule("GRADE-PERSONALISED-PRICING")
    text, entry = _check(tmp_path, runner, {"practices": {"pricing": {"personalised": True, "basis": ["cost"]}}})
    (reason,) = [r for r in entry["reasons"] if r["rule_id"] == rule.id]
    assert reason == {
        "rule_id": rule.id, "level": "medium", "title": rule.title.en, "message": rule.message.en,
        "article": rule.article.en, "citations": [c.en for c in rule.citations], "assumed": False,
        "facts": [{"path": "practices.pricing.personalised", "value": True, "line": _line(text, '"personalised": true')}]}


def test_a_reason_that_rests_on_an_unstated_fact_says_so(tmp_path, runner):
    """Practices left out entirely: the pricing reason holds on an unknown fact, points at the
    nearest part of the file that exists (the document itself, line 1), and is marked assumed."""
    _, entry = _check(tmp_path, runner, {}, remove=("practices",))
    (reason,) = [r for r in entry["reasons"] if r["rule_id"] == "GRADE-PERSONALISED-PRICING"]
    assert reason["assumed"] is True
    assert reason["facts"] == [{"path": "practices.pricing.personalised", "value": "unknown", "line": 1}]


def test_drivers_are_the_facts_of_the_reasons_that_set_the_grade(tmp_path, runner):
    """The facts behind the high reason and the raise drove a high grade; the medium reason's did not."""
    text, entry = _check(tmp_path, runner, HIGH_RAISE_MEDIUM)
    assert entry["risk_level"] == "high"
    setting = [r for r in entry["reasons"] if r["level"] in ("high", "raise")]
    expected = {}
    for reason in setting:
        for fact in reason["facts"]:
            expected.setdefault(fact["path"], fact)
    assert entry["drivers"] == list(expected.values())
    assert {"scenario.domains", "scope.special_groups.children"} <= set(expected)
    assert "practices.pricing.personalised" not in expected
    children = next(d for d in entry["drivers"] if d["path"] == "scope.special_groups.children")
    assert children == {"path": "scope.special_groups.children", "value": "primary",
                        "line": _line(text, '"children": "primary"')}


def test_the_lowering_names_each_fact_with_its_declared_value(tmp_path, runner):
    """When the raise rests on what the product is (designed for the elderly, affecting health), the
    lowering keeps it and brings the raisable level down: one fact, from what the declaration says
    to what would lower the grade."""
    _, entry = _check(tmp_path, runner, {
        "scope": {"affected": ["users"], "special_groups": {"elderly": "primary"}},
        "autonomy": {"affects_health": True},
        "practices": {"emotion_recognition": {"used": True, "kinds": ["emotion"], "contexts": ["marketing"]}}})
    assert entry["risk_level"] == "high"
    assert entry["lowering"] == {"to": "medium", "changes": [
        {"fact": "practices.emotion_recognition.used", "from": True, "to": False}]}
    _, unstated = _check(tmp_path, runner, {}, remove=("practices.biometric_identification",))
    assert unstated["risk_level"] == "high"  # biometric identification in public spaces, unless stated otherwise
    assert unstated["lowering"] == {"to": "low", "changes": [
        {"fact": "practices.biometric_identification.used", "from": "unknown", "to": False}]}
