"""`aicomply explain` and `aicomply rules` show the principles, the readings and what was removed."""

from __future__ import annotations

from compliance.cli import main
from compliance.evaluate.checklists import load_pack

PACK = load_pack()


def test_explain_without_a_rule_prints_the_principles_with_their_rules(runner):
    result = runner.invoke(main, ["explain"])
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith(f"Grading principles of shenzhen-2022 {PACK.version}")
    for principle in PACK.principles:
        assert principle.title.en in out and principle.text.en in out
    assert "Applied by: GRADE-FINANCE-DECISIONS, GRADE-WORKER-MANAGEMENT, GRADE-FINANCE, GRADE-WORKER-SCHEDULING" in out
    zh = runner.invoke(main, ["explain", "--lang", "zh"]).stdout
    assert "的分级原则" in zh and "规模加附带的敏感数据不构成高风险" in zh


def test_explain_shows_the_principle_and_the_reading(runner):
    out = runner.invoke(main, ["explain", "GRADE-SPECIAL-GROUPS"]).stdout
    assert "Grading principle: Designed for children, the elderly or people with disabilities" in out
    assert "A reading, not the words of an article:" in out and "Art. 42 is a support clause" in out
    zh = runner.invoke(main, ["explain", "GRADE-SPECIAL-GROUPS", "--lang", "zh"]).stdout
    assert "属于解读，并非条文原文" in zh


def test_explain_of_a_removed_rule_says_when_why_and_what_replaced_it(runner):
    result = runner.invoke(main, ["explain", "grade-sensitive-mass-scale"])
    assert result.exit_code == 0
    assert result.stdout.startswith("GRADE-SENSITIVE-MASS-SCALE: Removed in 2.0.0 (shenzhen-2022)")
    assert "Replaced by: GRADE-SCALE-RIGHTS-SAFETY" in result.stdout


def test_an_unknown_rule_is_still_an_error(runner):
    result = runner.invoke(main, ["explain", "GRADE-NOPE"])
    assert result.exit_code == 2 and "no rule 'GRADE-NOPE'" in result.stderr


def test_the_rules_list_in_json_carries_principles_readings_and_removed_rules(runner):
    import json

    payload = json.loads(runner.invoke(main, ["rules", "--format", "json"]).stdout)
    rows = {row["id"]: row for row in payload["rules"]}
    assert rows["GRADE-FINANCE-DECISIONS"]["principle"] == "finance_work" and rows["GRADE-FINANCE-DECISIONS"]["reading"]
    assert rows["A72-2-NO-LAWFUL-BASIS"]["reading"] is None
    assert {r["id"] for r in payload["removed"]} == {r.id for r in PACK.removed}


def test_explain_shows_aicomplys_own_rules_too(runner):
    """A DECL-* or WAIVER-* id seen in a report is explained as aicomply's own check, in both languages."""
    from compliance.tool_rules import TOOL_RULES

    for rule in TOOL_RULES:
        result = runner.invoke(main, ["explain", rule.id.lower()])
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith(f"{rule.id}: {rule.title.en}\n\naicomply's own check")
        assert rule.rationale.en in result.stdout and rule.remedy.en in result.stdout
        zh = runner.invoke(main, ["explain", rule.id, "--lang", "zh"]).stdout
        assert zh.startswith(f"{rule.id}: {rule.title.zh}\n") and rule.remedy.zh in zh
    assert len(TOOL_RULES) == 9
    typo = runner.invoke(main, ["explain", "DECL-INTERNL"])
    assert typo.exit_code == 2
    assert typo.stderr == f"aicomply: error: no rule 'DECL-INTERNL' in shenzhen-2022 {PACK.version}; did you mean DECL-INTERNAL?\n"
