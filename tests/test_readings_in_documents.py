"""What a grading rule reads into the law, and the facts outside the product's control, reach the
documents' context, so an ex-ante assessment can say which parts of the grade are readings."""

from __future__ import annotations

from compliance.declaration.load import read_document
from compliance.evaluate.checklists import load_pack
from compliance.pipeline import check_file
from compliance.render.context import build
from conftest import EXAMPLES

PACK = load_pack()


def _context(name: str, lang: str) -> dict:
    path = EXAMPLES / f"{name}.yaml"
    result = check_file(path, path.name, PACK)
    return build(read_document(path, path.name).data, result, PACK, {"date": "2026-11-30"}, lang)


def test_each_reason_carries_its_reading_in_the_document_language():
    grade = _context("childrens-learning-app", "en")["grade"]
    special = next(r for r in grade["reasons"] if r["rule_id"] == "GRADE-SPECIAL-GROUPS")
    assert special["reading"].startswith("Art. 42 is a support clause, not a grading rule")
    zh = _context("childrens-learning-app", "zh")["grade"]
    assert next(r for r in zh["reasons"] if r["rule_id"] == "GRADE-SPECIAL-GROUPS")["reading"].startswith("第四十二条是支持性条款")


def test_the_facts_outside_the_products_control_are_named():
    grade = _context("childrens-learning-app", "en")["grade"]
    assert grade["lowering"] is None
    assert [item["path"] for item in grade["outside_control"]][:2] == ["scope.special_groups.children", "scenario.domains"]
