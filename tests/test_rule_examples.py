"""Every rule's own pass/fail examples, laid over the pack's baseline, behave as the rule says;
and every rule in the pack is well formed (cites its article, has both languages)."""

from __future__ import annotations

import pytest

from compliance.evaluate.checklists import load_pack, merge_example
from conftest import evaluate_data

PACK = load_pack()

# The reviewed level of every grading rule, kept apart from the pack so that a level changed in the
# pack fails the rule's own examples (not only the README table). Changing one is a legal decision:
# update this table, the README and the commit message together.
LEVELS = {
    "GRADE-SAFETY-CRITICAL": "high",
    "GRADE-AUTONOMOUS-DRIVING": "high",
    "GRADE-CLINICAL": "high",
    "GRADE-MEDICAL-DEVICE-III": "high",
    "GRADE-SECURITY-JUSTICE": "high",
    "GRADE-PUBLIC-DECISION": "high",
    "GRADE-ESSENTIAL-DECISIONS": "high",
    "GRADE-AUTONOMOUS-SIGNIFICANT": "high",
    "GRADE-REMOTE-BIOMETRIC-PUBLIC": "high",
    "GRADE-SENSITIVE-MASS-SCALE": "high",
    "GRADE-INFLUENCE-VULNERABLE": "high",
    "GRADE-EMOTION-WORK-SCHOOL": "high",
    "GRADE-ESSENTIAL-SERVICE": "medium",
    "GRADE-SIGNIFICANT-EFFECTS": "medium",
    "GRADE-SENSITIVE-PI": "medium",
    "GRADE-BIOMETRIC-ID": "medium",
    "GRADE-HEALTH-CARE": "medium",
    "GRADE-MEDICAL-DEVICE-II": "medium",
    "GRADE-PUBLIC-OPINION": "medium",
    "GRADE-PUBLIC-GENERATIVE": "medium",
    "GRADE-REAL-PERSON-SYNTHESIS": "medium",
    "GRADE-LARGE-PUBLIC-SCALE": "medium",
    "GRADE-STRONG-INFLUENCE": "medium",
    "GRADE-PERSONALISED-PRICING": "medium",
    "GRADE-ASSISTIVE-ACTUATION": "medium",
    "GRADE-PROTECTED-ATTRIBUTES": "medium",
    "GRADE-PUBLIC-SERVICE": "medium",
    "GRADE-EMOTION-RECOGNITION": "medium",
    "GRADE-CROSS-BORDER": "medium",
    "GRADE-UNCLASSIFIED": "medium",
    "GRADE-SPECIAL-GROUPS": "raise",
}
_RANK = {"low": 0, "medium": 1, "high": 2}


def _grade_from_reasons(reasons) -> str:
    """The grade the reviewed levels give: the highest level of any reason, one up for a raise."""
    base = max((_RANK[LEVELS[r.rule_id]] for r in reasons if LEVELS[r.rule_id] != "raise"), default=0)
    raised = any(LEVELS[r.rule_id] == "raise" for r in reasons)
    return ("low", "medium", "high")[min(2, base + raised)]


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
    changed in the pack differs from this table."""
    assert {rule.id: rule.level for rule in PACK.of_kind("grade")} == LEVELS


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
    }
    assert released <= set(ids), sorted(released - set(ids))
