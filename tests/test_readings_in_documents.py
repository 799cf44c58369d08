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


def _grade_sentence(path, lang: str, tmp_path, runner) -> str:
    from compliance.cli import main

    out = tmp_path / f"{path.stem}-{lang}"
    assert runner.invoke(main, ["render", str(path), "--out", str(out), "--lang", lang]).exit_code == 0
    text = (out / f"{path.parent.name if path.stem == 'declaration' else path.stem}.ex_ante_assessment.{lang}.md"
            ).read_text(encoding="utf-8")
    marker = "The product is graded **" if lang == "en" else "本产品评定为**"
    return next(line for line in text.splitlines() if line.startswith(marker))


def test_the_grade_sentence_says_what_raised_the_grade_and_what_it_assumes(runner, tmp_path):
    """It used to state, for every product, that a special-group reason raised the grade (Art. 42)
    and that an unstated fact counted as the riskier answer, true or not (issue 11)."""
    air_canada = EXAMPLES.parent / "tests" / "casebook" / "air-canada-chatbot-bereavement-fare" / "declaration.yaml"
    nyc = EXAMPLES.parent / "tests" / "casebook" / "nyc-mycity-business-chatbot" / "declaration.yaml"
    sentences = {name: _grade_sentence(path, "en", tmp_path, runner) for name, path in (
        ("children", EXAMPLES / "childrens-learning-app.yaml"), ("hospital", EXAMPLES / "hospital-imaging-assistant.yaml"),
        ("air_canada", air_canada), ("nyc", nyc))}
    assumed = "resting on facts the declaration does not state, each counted as the riskier answer"
    assert sentences["hospital"] == "The product is graded **high risk**: the highest level its grading reasons give."
    assert sentences["children"] == "The product is graded **high risk**: the highest level its grading reasons give, raised one level by R1."
    assert sentences["air_canada"] == f"The product is graded **high risk**: the highest level its grading reasons give, {assumed}."
    assert sentences["nyc"] == (f"The product is graded **high risk**: the highest level its grading reasons give, "
                                f"raised one level by R1, {assumed}.")
    assert _grade_sentence(EXAMPLES / "childrens-learning-app.yaml", "zh", tmp_path, runner) == (
        "本产品评定为**高风险**：取各项评定理由所给等级中的最高者，并因 R1 上调一级。")


def test_unstated_facts_are_listed_once_not_as_what_the_grade_rests_on(runner, tmp_path):
    """The grade rests on stated facts; the unstated ones are listed once, as graded the riskier way
    (they were also listed as "rests on: ... (not stated)")."""
    from compliance.cli import main

    nyc = EXAMPLES.parent / "tests" / "casebook" / "nyc-mycity-business-chatbot" / "declaration.yaml"
    out = tmp_path / "nyc"
    assert runner.invoke(main, ["render", str(nyc), "--out", str(out), "--lang", "en", "--doc",
                                "ex_ante_assessment"]).exit_code == 0
    text = (out / "nyc-mycity-business-chatbot.ex_ante_assessment.en.md").read_text(encoding="utf-8")
    rests = [line for line in text.splitlines() if line.startswith("The grade rests on: ")]
    unstated = [line for line in text.splitlines() if line.startswith("Not yet stated, and graded as the riskier answer: ")]
    assert rests == ["The grade rests on: application scenarios (public decision-making and administration)."]
    assert len(unstated) == 1 and "sensitive personal information" in unstated[0]
    assert "not stated" not in rests[0]
