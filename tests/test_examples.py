"""The bundled examples, graded as a careful compliance officer would. Pinned: a rule-pack change
that moves any of them must be deliberate (update this table and say why in the commit)."""

from __future__ import annotations

import pytest

from compliance.evaluate.checklists import load_pack
from compliance.pipeline import check_file
from compliance.declaration.load import read_document
from conftest import EXAMPLES, untranslated

EXPECTED = {
    # product id: (grade, reasons, findings, gate, why a careful officer grades it so)
    "childrens-learning-app": (
        "high",
        ["GRADE-ESSENTIAL-SERVICE", "GRADE-SENSITIVE-PI", "GRADE-SPECIAL-GROUPS"],
        [],
        "passed",
        "education is medium; designed for children, whose learning it shapes, it is raised one level (Art. 42, a "
        "reading); its children's data is a floor the raise does not lift, answered by guardian consent",
    ),
    "credit-scoring-model": (
        "high",
        ["GRADE-AUTONOMOUS-SIGNIFICANT", "GRADE-BIOMETRIC-ID", "GRADE-FINANCE", "GRADE-FINANCE-DECISIONS",
         "GRADE-PERSONALISED-PRICING", "GRADE-PROTECTED-ATTRIBUTES", "GRADE-SENSITIVE-PI", "GRADE-SIGNIFICANT-EFFECTS"],
        ["A72-4-OTHER-GROUNDS"],
        "passed",
        "it decides access to credit (finance principle), declines below the cut-off taking effect unless an "
        "underwriter intervenes (automated decisions, PIPL Art. 24 para. 3); age as an unjustified model input is a "
        "warning under item 4",
    ),
    "cv-screener": (
        "high",
        ["GRADE-AUTONOMOUS-SIGNIFICANT", "GRADE-ESSENTIAL-DECISIONS", "GRADE-ESSENTIAL-SERVICE",
         "GRADE-PROTECTED-ATTRIBUTES", "GRADE-SIGNIFICANT-EFFECTS"],
        ["A72-4-OTHER-GROUNDS", "A72-4-PROTECTED-MODEL-INPUT", "OBL-EXANTE-ASSESSMENT", "OBL-SECURITY-TESTING"],
        "failed",
        "rejecting applicants automatically unless a recruiter intervenes decides access to work; high without its "
        "ex-ante assessment, so the gate fails",
    ),
    "ecommerce-recommender": (
        "medium",
        ["GRADE-LARGE-PUBLIC-SCALE", "GRADE-PERSONALISED-PRICING"],
        ["A72-5-LAWFUL-EXCEPTION"],
        "passed",
        "a recommendation service for 21 million people with lawful new-user and random offers; no rights decided",
    ),
    "face-swap-entertainment-app": (
        "high",
        ["GRADE-LARGE-PUBLIC-SCALE", "GRADE-PUBLIC-REAL-PERSON-SYNTHESIS", "GRADE-REAL-PERSON-SYNTHESIS",
         "GRADE-SENSITIVE-PI"],
        ["A72-4-DISCRIMINATORY-OUTPUT", "OBL-EXANTE-ASSESSMENT", "OBL-RISK-WARNING"],
        "failed",
        "public synthesis of real faces is high from 2.0.0 (was medium); it lacks the high-risk documents, "
        "and its own test found poorer blending for some skin tones (item 4)",
    ),
    "government-service-chatbot": (
        "medium",
        ["GRADE-ESSENTIAL-SERVICE", "GRADE-PUBLIC-SERVICE", "GRADE-SENSITIVE-PI"],
        [],
        "passed",
        "a filed, moderated advisory chatbot in public administration; officers decide, so it is not high",
    ),
    "hospital-imaging-assistant": (
        "high",
        ["GRADE-CLINICAL", "GRADE-HEALTH-CARE", "GRADE-MEDICAL-DEVICE-III", "GRADE-PROTECTED-ATTRIBUTES",
         "GRADE-SENSITIVE-PI", "GRADE-SIGNIFICANT-EFFECTS"],
        [],
        "passed",
        "a Class III diagnostic device; age is a clinically justified input, so no item-4 warning",
    ),
    "industrial-defect-detector": ("low", [], [], "passed", "an internal inspection tool with no personal data or decisions about people"),
    "internal-code-assistant": ("low", [], [], "passed", "internal code generation, not offered to the public"),
    "ride-hailing-dynamic-pricing": (
        "medium",
        ["GRADE-BIOMETRIC-ID", "GRADE-LARGE-PUBLIC-SCALE", "GRADE-PERSONALISED-PRICING", "GRADE-SENSITIVE-PI",
         "GRADE-WORKER-SCHEDULING"],
        ["A72-5-PRICE-BY-USER-TRAITS", "OBL-ELDERLY-RECOMMENDATION"],
        "failed",
        "a large platform with location and payment data is medium, not high; pricing by device and payment capability "
        "is item 5; dispatching older riders with no age-friendly service breaches Alg. Rec. Art. 19 (item 7)",
    ),
    "robotaxi-service": (
        "high",
        ["GRADE-AUTONOMOUS-DRIVING", "GRADE-AUTONOMOUS-SIGNIFICANT", "GRADE-SAFETY-CRITICAL", "GRADE-SENSITIVE-PI",
         "GRADE-SIGNIFICANT-EFFECTS"],
        [],
        "passed",
        "driverless vehicles on public roads endanger life when they err; every high-risk duty is met",
    ),
}


def test_every_example_is_pinned():
    assert {p.stem for p in EXAMPLES.glob("*.yaml")} == set(EXPECTED)


@pytest.mark.parametrize("product_id", sorted(EXPECTED))
def test_example_grade_and_rules(product_id):
    grade, reasons, findings, gate, _ = EXPECTED[product_id]
    result = check_file(EXAMPLES / f"{product_id}.yaml", f"{product_id}.yaml", load_pack())
    assert result.product_id == product_id
    assert result.risk_level == grade
    assert sorted(r.rule_id for r in result.reasons) == reasons
    assert sorted(f.rule_id for f in result.findings) == findings
    failed = any(f.severity == "error" for f in result.findings)
    assert ("failed" if failed else "passed") == gate


def test_the_examples_cover_what_the_issue_asks():
    grades = [value[0] for value in EXPECTED.values()]
    assert all(value[4] for value in EXPECTED.values()), "every pinned grade says why"
    assert grades.count("low") >= 2
    prohibited = {rule.id for rule in load_pack().of_kind("prohibited")}
    assert any(set(findings) & prohibited for _, _, findings, _, _ in EXPECTED.values())


def test_special_group_raise_explains_the_high_grade_of_the_childrens_app():
    # Designed for children is what the app is, not a change the team could make: no lowering is
    # offered, and the special group is named among the facts outside the product's control.
    result = check_file(EXAMPLES / "childrens-learning-app.yaml", "x", load_pack())
    assert result.lowering is None
    assert [f.path for f in result.outside_control][:2] == ["scope.special_groups.children", "scenario.domains"]


def test_every_free_text_field_of_every_example_is_in_english_and_chinese():
    paths = sorted(EXAMPLES.glob("*.yaml"))
    assert len(paths) == 11
    for path in paths:
        assert untranslated(read_document(path, path.name).data) == [], path.name


def test_the_translation_check_finds_one_language_text():
    data = read_document(EXAMPLES / "cv-screener.yaml", "x").data
    data["scenario"]["purpose"] = "Shortlist job applicants."
    data["transparency"]["limitations"][1] = {"en": "Cannot verify qualifications"}
    data["attestation"]["privacy"]["note"] = {"zh": "仅中文"}
    assert untranslated(data) == ["scenario.purpose", "transparency.limitations[1]", "attestation.privacy.note"]
