"""Every rule's own pass/fail examples, laid over the pack's baseline, behave as the rule says;
and every rule in the pack is well formed (cites its article, has both languages)."""

from __future__ import annotations

import pytest

from compliance.evaluate.checklists import load_pack, merge_example
from conftest import evaluate_data

PACK = load_pack()

# The reviewed level of every grading rule of pack 3.1.0, kept apart from the pack so that a level
# changed in the pack fails the rule's own examples (not only the README table). Changing one is a
# legal decision: update this table, the README and the commit message together.
LEVELS = {
    "GRADE-SAFETY-CRITICAL": "high",
    "GRADE-AUTONOMOUS-DRIVING": "high",
    "GRADE-CLINICAL": "high",
    "GRADE-MEDICAL-DEVICE-III": "high",
    "GRADE-SECURITY-JUSTICE": "high",
    "GRADE-PUBLIC-DECISION": "high",
    "GRADE-ESSENTIAL-DECISIONS": "high",
    "GRADE-FINANCE-DECISIONS": "high",
    "GRADE-WORKER-MANAGEMENT": "high",
    "GRADE-AUTONOMOUS-SIGNIFICANT": "high",
    "GRADE-REMOTE-BIOMETRIC-PUBLIC": "high",
    "GRADE-BIOMETRIC-PUPILS-WORKERS": "high",
    "GRADE-PUBLIC-REAL-PERSON-SYNTHESIS": "high",
    "GRADE-EMOTION-WORK-SCHOOL": "high",
    "GRADE-INFLUENCE-VULNERABLE": "high",
    "GRADE-ESSENTIAL-SERVICE": "medium",
    "GRADE-FINANCE": "medium",
    "GRADE-WORKER-SCHEDULING": "medium",
    "GRADE-SIGNIFICANT-EFFECTS": "medium",
    "GRADE-SENSITIVE-PI": "medium",
    "GRADE-BIOMETRIC-ID": "medium",
    "GRADE-HEALTH-CARE": "medium",
    "GRADE-MEDICAL-DEVICE-II": "medium",
    "GRADE-PUBLIC-OPINION": "medium",
    "GRADE-REAL-PERSON-SYNTHESIS": "medium",
    "GRADE-LARGE-PUBLIC-SCALE": "medium",
    "GRADE-STRONG-INFLUENCE": "medium",
    "GRADE-PERSONALISED-PRICING": "medium",
    "GRADE-PROTECTED-ATTRIBUTES": "medium",
    "GRADE-PUBLIC-SERVICE": "medium",
    "GRADE-EMOTION-RECOGNITION": "medium",
    "GRADE-SCALE-RIGHTS-SAFETY": "raise",
    "GRADE-SPECIAL-GROUPS": "raise",
}
# Levels that rest only on the data handled, publicity or pricing: floors no raise lifts (3.0.0).
FLOORS = {"GRADE-SENSITIVE-PI", "GRADE-BIOMETRIC-ID", "GRADE-PUBLIC-OPINION", "GRADE-PERSONALISED-PRICING",
          "GRADE-PROTECTED-ATTRIBUTES"}
_RANK = {"low": 0, "medium": 1, "high": 2}


def _grade_from_reasons(reasons) -> str:
    """The grade the reviewed levels give: the highest level of the raisable reasons, one up for a
    raise, but never below the highest floor."""
    levels = [(LEVELS[r.rule_id], r.rule_id in FLOORS) for r in reasons]
    base = max((_RANK[level] for level, floor in levels if level != "raise" and not floor), default=0)
    floor = max((_RANK[level] for level, floor in levels if floor), default=0)
    raised = any(level == "raise" for level, _ in levels)
    return ("low", "medium", "high")[max(floor, min(2, base + raised))]


def _outcome(rule, result):
    """'fail' when the rule fires (an obligation: is unmet), else 'pass'."""
    if rule.kind == "grade":
        return "fail" if any(reason.rule_id == rule.id for reason in result.reasons) else "pass"
    if rule.kind == "obligation":
        status = next(s.status for s in result.obligations if s.id == rule.id)
        return "fail" if status == "unmet" else "pass"
    return "fail" if any(f.rule_id == rule.id for f in result.findings) else "pass"


CASES = [
    (rule.id, outcome, index)
    for rule in PACK.rules
    for outcome in ("fail", "pass")
    for index in range(len(rule.examples[outcome]))
]


@pytest.mark.parametrize("rule_id, outcome, index", CASES, ids=[f"{r}-{o}{i}" for r, o, i in CASES])
def test_rule_example(rule_id, outcome, index):
    """The example behaves as the rule says; and the grade is what the reviewed levels of its reasons
    give, so a grading rule's level changed in the pack fails its own `fail` examples."""
    rule = PACK.rule(rule_id)
    data = merge_example(PACK.baseline, rule.examples[outcome][index])
    result = evaluate_data(data, PACK)
    assert _outcome(rule, result) == outcome
    assert result.risk_level == _grade_from_reasons(result.reasons), [r.rule_id for r in result.reasons]
    if rule.kind == "grade" and outcome == "fail":
        assert next(r.level for r in result.reasons if r.rule_id == rule.id) == LEVELS[rule.id]


def test_every_grading_rule_has_a_reviewed_level():
    """Protects the grading levels: a new grading rule needs its level reviewed here, and a level
    changed in the pack (or a floor made raisable) differs from this table."""
    assert {rule.id: rule.level for rule in PACK.of_kind("grade")} == LEVELS
    assert {rule.id for rule in PACK.of_kind("grade") if not rule.raisable} == FLOORS


def test_baseline_is_low_with_nothing_to_report():
    result = evaluate_data(PACK.baseline, PACK)
    assert result.risk_level == "low"
    assert result.reasons == ()
    assert result.findings == ()
    assert {s.status for s in result.obligations} <= {"met", "not_applicable"}


@pytest.mark.parametrize("rule", PACK.rules, ids=lambda r: r.id)
def test_rule_is_well_formed(rule):
    assert rule.cites[0].source == "SZ-AI" and rule.cites[0].article, "first citation: the Shenzhen article"
    for text in (rule.title, rule.message, rule.rationale):
        assert text.en.strip() and text.zh.strip()
    assert rule.article.en.startswith("Art. ") and rule.article.zh.startswith("第")
    if rule.kind in ("prohibited", "indicator", "obligation"):
        assert rule.remedy is not None
    if rule.kind == "prohibited":
        assert rule.severity == "error" and rule.art72_item and rule.cites[0].article == 72
    if rule.kind == "obligation" and rule.mandatory:
        assert rule.severity == "error"


def test_every_art72_item_is_screened():
    items = {rule.art72_item for rule in PACK.of_kind("prohibited")}
    assert items == set(range(1, 8))
    attested = {rule.id for rule in PACK.of_kind("obligation") if rule.id.endswith("-ATTESTED")}
    assert attested == {f"A72-{n}-ATTESTED" for n in range(1, 8)}


def test_rule_ids_are_unique_and_stable():
    ids = [rule.id for rule in PACK.rules]
    assert len(ids) == len(set(ids))
    # Released ids never change: this list only grows (see checklists/shenzhen-2022/pack.yaml).
    released = {
        "GRADE-SAFETY-CRITICAL", "GRADE-AUTONOMOUS-DRIVING", "GRADE-CLINICAL", "GRADE-MEDICAL-DEVICE-III",
        "GRADE-SECURITY-JUSTICE", "GRADE-PUBLIC-DECISION", "GRADE-ESSENTIAL-DECISIONS", "GRADE-AUTONOMOUS-SIGNIFICANT",
        "GRADE-REMOTE-BIOMETRIC-PUBLIC", "GRADE-SENSITIVE-MASS-SCALE", "GRADE-INFLUENCE-VULNERABLE",
        "GRADE-EMOTION-WORK-SCHOOL", "GRADE-ESSENTIAL-SERVICE", "GRADE-SIGNIFICANT-EFFECTS", "GRADE-SENSITIVE-PI",
        "GRADE-BIOMETRIC-ID", "GRADE-HEALTH-CARE", "GRADE-MEDICAL-DEVICE-II", "GRADE-PUBLIC-OPINION",
        "GRADE-PUBLIC-GENERATIVE", "GRADE-REAL-PERSON-SYNTHESIS", "GRADE-LARGE-PUBLIC-SCALE", "GRADE-STRONG-INFLUENCE",
        "GRADE-PERSONALISED-PRICING", "GRADE-ASSISTIVE-ACTUATION", "GRADE-PROTECTED-ATTRIBUTES", "GRADE-PUBLIC-SERVICE",
        "GRADE-EMOTION-RECOGNITION", "GRADE-CROSS-BORDER", "GRADE-UNCLASSIFIED", "GRADE-SPECIAL-GROUPS",
        "A72-RISK-ASSESSMENT", "A72-1-ATTESTED", "A72-1-SELF-DECLARED", "A72-1-UNMODERATED-GENERATION",
        "A72-2-ATTESTED", "A72-2-SELF-DECLARED", "A72-2-NO-LAWFUL-BASIS", "A72-2-SENSITIVE-NO-SEPARATE-CONSENT",
        "A72-2-CHILD-NO-GUARDIAN-CONSENT", "A72-2-BIOMETRIC-NO-ALTERNATIVE", "A72-2-PUBLIC-CAMERA-PURPOSE",
        "A72-2-PROVISION-NO-CONSENT", "A72-2-CROSS-BORDER-REVIEW", "A72-3-ATTESTED", "A72-3-SELF-DECLARED",
        "A72-3-ADDICTIVE-DESIGN", "A72-3-MINORS-TIME-LIMITS", "A72-3-MINORS-SPENDING-LIMITS", "A72-3-WORKER-SCHEDULING",
        "A72-4-ATTESTED", "A72-4-SELF-DECLARED", "A72-4-PROTECTED-DECISION-FACTOR", "A72-4-PROTECTED-MODEL-INPUT",
        "A72-4-OTHER-GROUNDS", "A72-5-ATTESTED", "A72-5-SELF-DECLARED", "A72-5-PRICE-BY-USER-TRAITS",
        "A72-5-LAWFUL-EXCEPTION", "A72-6-ATTESTED", "A72-6-SELF-DECLARED", "A72-6-NO-DEPICTED-CONSENT",
        "A72-6-NO-IMPLICIT-LABELS", "A72-6-NO-CONSPICUOUS-LABELS", "A72-6-NO-IDENTITY-CHECK", "A72-7-ATTESTED",
        "A72-7-SELF-DECLARED", "A72-7-UNFILED-GENERATIVE", "A72-7-NO-NON-PERSONALISED-OPTION",
        "A72-7-RECOMMENDATION-MINORS", "OBL-EXANTE-ASSESSMENT", "OBL-RISK-WARNING", "OBL-DISCLOSURE",
        "OBL-TRACKING-PLAN", "OBL-ETHICS-REVIEW", "OBL-ETHICS-COMMITTEE", "OBL-ETHICS-EXPERT-REREVIEW", "OBL-TRAINING",
        "OBL-ALGORITHM-EXPLANATION", "OBL-DEIDENTIFY-PROVISION", "OBL-SECURITY-TESTING", "OBL-MINORS-MODE",
        "OBL-ELDERLY-FRIENDLY", "OBL-ACCESSIBILITY", "OBL-PILOT-ELIGIBILITY", "OBL-MEDICAL-DEVICE-REGISTRATION",
        "GATE-ALGORITHM-FILING", "GATE-SECURITY-ASSESSMENT", "GATE-PI-IMPACT-ASSESSMENT",
        # 2.0.0
        "GRADE-FINANCE-DECISIONS", "GRADE-WORKER-MANAGEMENT", "GRADE-BIOMETRIC-PUPILS-WORKERS",
        "GRADE-PUBLIC-REAL-PERSON-SYNTHESIS", "GRADE-FINANCE", "GRADE-WORKER-SCHEDULING", "GRADE-SCALE-RIGHTS-SAFETY",
        "A72-1-PROHIBITED-CONTENT-OUTPUT", "A72-1-DATA-EXPORT-UNASSESSED", "A72-2-INVALID-CONSENT", "A72-2-NO-NOTICE",
        "A72-2-PUBLIC-CAMERA-NO-SIGNS", "A72-2-EXPORT-NO-MECHANISM", "A72-2-AUTOMATED-DECISION-NO-REVIEW",
        "A72-2-DATA-INCIDENT", "A72-3-PUPIL-MONITORING", "A72-3-COMPANION-MINORS", "A72-3-SELF-HARM-OUTPUT",
        "A72-3-HARM-INCIDENT", "A72-4-DISCRIMINATORY-OUTPUT", "A72-4-DISCRIMINATION-INCIDENT", "A72-5-MISLEADING-PRICES",
        "A72-5-UNSUBSTANTIATED-CLAIMS", "A72-5-SYNTHETIC-ENDORSER", "A72-5-PRE-TICKED-OPTIONS", "A72-5-UNCLEAR-TERMS",
        "A72-5-CONSUMER-HARM-INCIDENT", "A72-6-SYNTHETIC-DECEPTION", "A72-7-NO-IMPLICIT-LABELS",
        "A72-7-NO-CONSPICUOUS-LABELS", "A72-7-UNREPORTED-INCIDENT", "A72-7-MISINFORMATION-INCIDENT",
        "OBL-INCIDENTS-DECLARED", "A72-7-UNMODERATED-GENERATION",
        # 3.1.0
        "OBL-OUTPUT-TESTING",
        # 4.0.0
        "OBL-ELDERLY-RECOMMENDATION",
    }
    removed = {rule.id for rule in PACK.removed}
    # A released id is in the pack or listed as removed, never both, and a removed id is never reused.
    assert released <= set(ids) | removed, sorted(released - set(ids) - removed)
    assert not removed & set(ids)
    assert set(ids) <= released, sorted(set(ids) - released)  # a new rule is added to this list
    assert removed == {"GRADE-SENSITIVE-MASS-SCALE", "GRADE-PUBLIC-GENERATIVE", "GRADE-CROSS-BORDER",
                       "A72-1-UNMODERATED-GENERATION", "A72-6-NO-IMPLICIT-LABELS", "A72-6-NO-CONSPICUOUS-LABELS",
                       # 3.0.0
                       "GRADE-UNCLASSIFIED", "GRADE-ASSISTIVE-ACTUATION"}


def test_every_grading_rule_applies_a_principle_and_says_what_it_reads_into_the_law():
    principles = {p.id for p in PACK.principles}
    for rule in PACK.of_kind("grade"):
        assert rule.principle in principles, rule.id
        assert rule.reading is not None and rule.reading.en.strip() and rule.reading.zh.strip(), rule.id
    used = {rule.principle for rule in PACK.of_kind("grade")}
    # Every principle that gives a level is applied by a rule; the others limit the rules.
    assert {p.id for p in PACK.principles if p.level != "none"} <= used


def test_rules_leaning_on_art_42_or_44_say_they_are_readings():
    for rule in PACK.rules:
        leans = any(c.source == "SZ-AI" and c.article in (42, 44) for c in rule.cites) and rule.kind == "grade"
        if leans:
            assert rule.reading is not None and ("reading" in rule.reading.en), rule.id
            assert all(c.see_also for c in rule.cites if c.source == "SZ-AI" and c.article == 44), rule.id


def test_identity_facts_are_facts_of_the_declaration():
    from compliance.declaration.facts import declaration_catalog

    paths = {".".join(fact.path) for fact in declaration_catalog()}
    for dotted in PACK.identity_facts:
        assert any(p == dotted or p.startswith(dotted + ".") for p in paths), dotted
    assert PACK.is_identity("scenario.domains") and PACK.is_identity("scope.reach")
    assert not PACK.is_identity("safeguards.human_oversight") and not PACK.is_identity("data.sensitive_categories")


def test_the_pack_readme_states_every_principle():
    from conftest import ROOT

    readme = (ROOT / "checklists" / "shenzhen-2022" / "README.md").read_text(encoding="utf-8")
    for principle in PACK.principles:
        assert f"**{principle.title.en}**" in readme or f"**{principle.title.en}.**" in readme, principle.id


def test_the_changelog_lists_every_rule_added_and_removed_in_this_version():
    from conftest import ROOT

    changelog = (ROOT / "checklists" / "shenzhen-2022" / "CHANGELOG.md").read_text(encoding="utf-8")

    def section(version: str) -> str:
        return changelog.split(f"\n## {version} ")[1].split("\n## ")[0]

    assert PACK.removed
    for gone in PACK.removed:  # each removal is explained in the release that made it
        assert f"`{gone.id}`" in section(gone.removed_in).split("### Removed")[1].split("\n### ")[0], gone.id
    assert f"\n## {PACK.version} " in changelog
    for number in range(1, 11):  # the ten items of the legal review of 1.1.0, each answered in 2.0.0
        assert f"\n{number}. **" in section("2.0.0"), number


def test_only_data_publicity_and_pricing_levels_are_floors_a_raise_does_not_lift():
    # Principle scale_is_not_enough, and the special_groups reading: a raise lifts what the product
    # does; the level of the data it handles, its publicity or its pricing is a floor.
    floors = {rule.id for rule in PACK.of_kind("grade") if not rule.raisable}
    assert floors == {"GRADE-SENSITIVE-PI", "GRADE-BIOMETRIC-ID", "GRADE-PROTECTED-ATTRIBUTES",
                      "GRADE-PUBLIC-OPINION", "GRADE-PERSONALISED-PRICING"}
    assert all(PACK.rule(rule_id).level == "medium" for rule_id in floors)


def test_a_raise_rule_cannot_be_a_floor(tmp_path):
    import shutil

    from compliance.evaluate.checklists import ChecklistError
    from conftest import ROOT

    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "checklists" / "shenzhen-2022", pack)
    grading = pack / "grading.yaml"
    text = grading.read_text(encoding="utf-8")
    assert text.count("    level: raise\n    principle: special_groups\n") == 1
    grading.write_text(text.replace("    level: raise\n    principle: special_groups\n",
                                    "    level: raise\n    principle: special_groups\n    raisable: false\n"), encoding="utf-8")
    with pytest.raises(ChecklistError, match=r"grading\.yaml:\d+: GRADE-SPECIAL-GROUPS is a raise rule"):
        load_pack(pack)


def test_explain_says_a_floor_is_not_raised():
    from compliance.report.rules import render_explain

    assert "Raised by scale or a special group: no" in render_explain(PACK.rule("GRADE-SENSITIVE-PI"), PACK)
    assert "Raised by scale or a special group" not in render_explain(PACK.rule("GRADE-HEALTH-CARE"), PACK)
