"""What the grade says besides its level: its reasons (in order, with the rule's words and the
declared facts at their lines), the facts that drove it, and the smallest change that lowers it
(with each fact's declared value). Expectations come from the rules and the declaration."""

from __future__ import annotations

import copy
import json

from compliance.cli import main
from compliance.declaration.facts import declaration_catalog
from compliance.evaluate.conditions import ConditionCompiler
from compliance.evaluate.grade import grade
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


def test_a_floor_above_the_raisable_level_alone_drives_the_grade():
    """A floor (raisable: false) above the raisable level gives the grade by itself: the raisable
    reason is still listed, but its facts did not drive the grade. The bundled pack's floors are all
    medium, so a high floor is made from GRADE-SECURITY-JUSTICE, as a pack of one's own may write."""
    from dataclasses import replace

    high_floor = replace(PACK.rule("GRADE-SECURITY-JUSTICE"), raisable=False)
    medium = PACK.rule("GRADE-EMOTION-RECOGNITION")
    data = merge_example(PACK.baseline, {
        "scenario": {"domains": ["judicial"]}, "scope": {"affected": ["users"]},
        "practices": {"emotion_recognition": {"used": True, "kinds": ["emotion"], "contexts": ["marketing"]}}})
    outcome = grade(data, (high_floor, medium), lambda path: None)
    assert outcome.level == "high"
    assert [reason.rule_id for reason in outcome.reasons] == [high_floor.id, medium.id]
    assert [fact.path for fact in outcome.drivers] == ["scenario.domains"]


def test_the_lowering_changes_only_what_holds_the_grade_up():
    """Biometric identification in public spaces (high) beside strong influence (medium): one step
    down needs only the biometrics gone; the medium reason stays and is not asked to change."""
    data = merge_example(PACK.baseline, {
        "autonomy": {"behavioural_influence": "strong"},
        "practices": {"biometric_identification": {"used": True, "public_spaces": True}}})
    result = evaluate_data(data, PACK)
    assert result.risk_level == "high"
    assert result.lowering.to == "medium"
    assert [(c.fact, c.old, c.new) for c in result.lowering.changes] == [
        ("practices.biometric_identification.used", True, False)]


def test_a_lowering_keeps_the_list_items_that_do_not_raise_the_grade():
    """A protected attribute used as a decision factor (medium), another used only to test fairness:
    the lowering drops the first and keeps the second, as declared."""
    fairness = {"attribute": "age", "use": "fairness_testing", "purpose": "Bias audit.", "justification": "fairness_monitoring"}
    deciding = {"attribute": "gender", "use": "decision_factor", "purpose": "Pricing tiers.", "justification": "none"}
    result = evaluate_data(merge_example(PACK.baseline, {"data": {"protected_attributes": [deciding, fairness]}}), PACK)
    assert result.risk_level == "medium"
    assert result.lowering.to == "low"
    assert [(c.fact, c.new) for c in result.lowering.changes] == [("data.protected_attributes", [fairness])]


def test_a_candidate_change_that_fires_another_rule_is_passed_over():
    """The smallest changes are tried in turn, each graded again: when the first one fires another
    rule at the same level, the next one that really lowers the grade is offered, never the first.
    Two rules written for the test: fully autonomous is high, and so is advisory."""
    from dataclasses import replace

    compiler = ConditionCompiler(declaration_catalog())
    base = PACK.rule("GRADE-AUTONOMOUS-SIGNIFICANT")
    autonomous = replace(base, id="T-AUTONOMOUS", when=compiler.compile(
        {"fact": "autonomy.level", "is": "fully_autonomous"}, "t"))
    advisory = replace(base, id="T-ADVISORY", when=compiler.compile({"fact": "autonomy.level", "is": "advisory"}, "t"))
    data = merge_example(PACK.baseline, {"autonomy": {"level": "fully_autonomous"}})
    outcome = grade(data, (autonomous, advisory), lambda path: None)
    assert outcome.level == "high"
    # advisory comes first among the other levels, and is high too; human_in_the_loop lowers
    assert [(c.fact, c.new) for c in outcome.lowering.changes] == [("autonomy.level", "human_in_the_loop")]
    assert outcome.lowering.to == "low"
