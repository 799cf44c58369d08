"""The bundled examples, graded as a careful compliance officer would. Pinned: a rule-pack change
that moves any of them must be deliberate (update this table and say why in the commit)."""

from __future__ import annotations

import pytest

from compliance.evaluate.checklists import load_pack
from compliance.pipeline import check_file
from compliance.declaration.load import read_document
from conftest import EXAMPLES, untranslated

EXPECTED = {
    # product id: (grade, reasons, findings, gate)
    "childrens-learning-app": (
        "high",
        ["GRADE-ESSENTIAL-SERVICE", "GRADE-SENSITIVE-PI", "GRADE-SPECIAL-GROUPS"],
        [],
        "passed",
    ),
    "credit-scoring-model": (
        "high",
        ["GRADE-BIOMETRIC-ID", "GRADE-ESSENTIAL-DECISIONS", "GRADE-ESSENTIAL-SERVICE", "GRADE-PERSONALISED-PRICING",
         "GRADE-PROTECTED-ATTRIBUTES", "GRADE-SENSITIVE-PI", "GRADE-SIGNIFICANT-EFFECTS"],
        ["A72-4-OTHER-GROUNDS"],
        "passed",
    ),
    "cv-screener": (
        "high",
        ["GRADE-ESSENTIAL-DECISIONS", "GRADE-ESSENTIAL-SERVICE", "GRADE-PROTECTED-ATTRIBUTES", "GRADE-SIGNIFICANT-EFFECTS"],
        ["A72-4-OTHER-GROUNDS", "A72-4-PROTECTED-MODEL-INPUT", "OBL-EXANTE-ASSESSMENT", "OBL-SECURITY-TESTING"],
        "failed",
    ),
    "ecommerce-recommender": (
        "medium",
        ["GRADE-LARGE-PUBLIC-SCALE", "GRADE-PERSONALISED-PRICING"],
        ["A72-5-LAWFUL-EXCEPTION"],
        "passed",
    ),
    "face-swap-entertainment-app": (
        "medium",
        ["GRADE-LARGE-PUBLIC-SCALE", "GRADE-PUBLIC-GENERATIVE", "GRADE-REAL-PERSON-SYNTHESIS", "GRADE-SENSITIVE-PI"],
        [],
        "passed",
    ),
    "government-service-chatbot": (
        "medium",
        ["GRADE-ESSENTIAL-SERVICE", "GRADE-LARGE-PUBLIC-SCALE", "GRADE-PUBLIC-GENERATIVE", "GRADE-PUBLIC-SERVICE",
         "GRADE-SENSITIVE-PI"],
        [],
        "passed",
    ),
    "hospital-imaging-assistant": (
        "high",
        ["GRADE-CLINICAL", "GRADE-HEALTH-CARE", "GRADE-MEDICAL-DEVICE-III", "GRADE-PROTECTED-ATTRIBUTES",
         "GRADE-SENSITIVE-PI", "GRADE-SIGNIFICANT-EFFECTS"],
        ["A72-4-OTHER-GROUNDS"],
        "passed",
    ),
    "industrial-defect-detector": ("low", [], [], "passed"),
    "internal-code-assistant": ("low", [], [], "passed"),
    "ride-hailing-dynamic-pricing": (
        "medium",
        ["GRADE-BIOMETRIC-ID", "GRADE-LARGE-PUBLIC-SCALE", "GRADE-PERSONALISED-PRICING", "GRADE-SENSITIVE-PI"],
        ["A72-5-PRICE-BY-USER-TRAITS"],
        "failed",
    ),
    "robotaxi-service": (
        "high",
        ["GRADE-AUTONOMOUS-DRIVING", "GRADE-AUTONOMOUS-SIGNIFICANT", "GRADE-SAFETY-CRITICAL", "GRADE-SENSITIVE-PI",
         "GRADE-SIGNIFICANT-EFFECTS"],
        [],
        "passed",
    ),
}


def test_every_example_is_pinned():
    assert {p.stem for p in EXAMPLES.glob("*.yaml")} == set(EXPECTED)


@pytest.mark.parametrize("product_id", sorted(EXPECTED))
def test_example_grade_and_rules(product_id):
    grade, reasons, findings, gate = EXPECTED[product_id]
    result = check_file(EXAMPLES / f"{product_id}.yaml", f"{product_id}.yaml", load_pack())
    assert result.product_id == product_id
    assert result.risk_level == grade
    assert sorted(r.rule_id for r in result.reasons) == reasons
    assert sorted(f.rule_id for f in result.findings) == findings
    failed = any(f.severity == "error" for f in result.findings)
    assert ("failed" if failed else "passed") == gate


def test_the_examples_cover_what_the_issue_asks():
    grades = [value[0] for value in EXPECTED.values()]
    assert grades.count("low") >= 2
    prohibited = {rule.id for rule in load_pack().of_kind("prohibited")}
    assert any(set(findings) & prohibited for _, _, findings, _ in EXPECTED.values())


def test_special_group_raise_explains_the_high_grade_of_the_childrens_app():
    result = check_file(EXAMPLES / "childrens-learning-app.yaml", "x", load_pack())
    assert [c.fact for c in result.lowering.changes] == ["scope.special_groups.children"]
    assert result.lowering.to == "medium"


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
