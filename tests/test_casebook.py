"""The case book (tests/casebook/) is well formed: every case has its reasoning and a valid expected outcome,
every fact tag points at a listed source, and the README index says what the cases say. Then the tool is run on
every case's declaration: its grade and Art. 72 items must agree with the case, or a deliberate reading
(tests/casebook/READINGS.yaml) must say why not; the figures must meet the goals and be those the README reports."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from compliance.declaration.load import read_document
from compliance.declaration.validate import validate_declaration
from conftest import untranslated

CASEBOOK = Path(__file__).resolve().parent / "casebook"
CASES = sorted(p for p in CASEBOOK.iterdir() if p.is_dir())
KEYS = ["grade", "grade_alternatives", "art72_items", "art72_arguable", "low_risk_control", "filed_and_compliant",
        "sources", "reasoning"]
GRADES = {"high", "medium", "low"}


def expected(case: Path) -> dict:
    return YAML(typ="safe").load((case / "expected.yaml").read_text(encoding="utf-8"))


def test_case_count_and_mix():
    assert len(CASES) == 54
    outcomes = [expected(c) for c in CASES]
    grades = [o["grade"] for o in outcomes]
    assert grades.count("high") >= 12 and grades.count("medium") >= 12 and grades.count("low") >= 10
    assert sum(bool(o["art72_items"]) for o in outcomes) >= 15
    assert sum(o["low_risk_control"] for o in outcomes) >= 1
    assert sum(o["filed_and_compliant"] for o in outcomes) >= 1


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_expected_outcome_is_valid(case: Path):
    outcome = expected(case)
    assert list(outcome) == KEYS
    assert outcome["grade"] in GRADES
    assert set(outcome["grade_alternatives"]) <= GRADES - {outcome["grade"]}
    for field in ("art72_items", "art72_arguable"):
        assert outcome[field] == sorted(set(outcome[field]))
        assert all(isinstance(i, int) and 1 <= i <= 7 for i in outcome[field])
    assert not set(outcome["art72_items"]) & set(outcome["art72_arguable"])
    assert isinstance(outcome["low_risk_control"], bool) and isinstance(outcome["filed_and_compliant"], bool)
    if outcome["low_risk_control"]:
        assert outcome["grade"] == "low" and not outcome["art72_items"] and not outcome["art72_arguable"]
    assert outcome["reasoning"] == "case.md"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_reasoning_cites_its_sources(case: Path):
    text = (case / "case.md").read_text(encoding="utf-8")
    for heading in ("## Sources", "## Facts (as a declaration would state them)", "## Legal reasoning"):
        assert heading in text
    listed = re.findall(r"^- \[S(\d+)\]", text, re.MULTILINE)
    assert listed == [str(n) for n in range(1, len(listed) + 1)]
    cited = {n for tag in re.findall(r"\[(S\d+(?:, S\d+)*)\]", text) for n in re.findall(r"S(\d+)", tag)}
    assert cited <= set(listed)
    sources = expected(case)["sources"]
    assert len(sources) == len(listed)
    positions = [text.index(url) for url in sources]
    assert positions == sorted(positions)
    grade = expected(case)["grade"]
    assert f"**Grade: {grade}.**" in text


def test_every_case_has_a_declaration():
    declared = sorted(p.parent.name for p in CASEBOOK.glob("*/declaration.yaml"))
    assert declared == [c.name for c in CASES] and len(declared) == 54


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_declaration_is_valid_and_says_where_it_comes_from(case: Path):
    # Schema validation only: the case book is the yardstick, so nothing here grades or screens it.
    path = case / "declaration.yaml"
    text = path.read_text(encoding="utf-8")
    header = text.split("\nformat:", 1)[0]
    title = (case / "case.md").read_text(encoding="utf-8").splitlines()[0].removeprefix("# ")
    assert title in header and "written from case.md facts; sources there" in header.lower()
    assert "without running the tool" in header
    document = read_document(path, path.name)
    assert [f.message.en for f in validate_declaration(document)] == []
    assert document.data["format"] == "aicomply/v2" and document.data["product"]["id"] == case.name
    assert untranslated(document.data) == []


def test_readme_index_matches_the_cases():
    readme = (CASEBOOK / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| \[([a-z0-9-]+)\]\(\1/case\.md\) \| .+ \| (\w+) \| ([^|]+) \| ([^|]+) \| ([^|]+) \| (yes|no) "
                      r"\| (yes|no) \|$", readme, re.MULTILINE)
    assert [r[0] for r in rows] == [c.name for c in CASES]
    for (name, grade, alternatives, items, arguable, control, filed), case in zip(rows, CASES):
        outcome = expected(case)
        joined = ", ".join(map(str, outcome["art72_items"])) or "-"
        assert (grade, items.strip(), control == "yes", filed == "yes") == (
            outcome["grade"], joined, outcome["low_risk_control"], outcome["filed_and_compliant"]), name
        assert alternatives.strip() == (", ".join(outcome["grade_alternatives"]) or "-"), name
        assert arguable.strip() == (", ".join(map(str, outcome["art72_arguable"])) or "-"), name


# ------------------------------------------------------------------ the tool against the case book

def _measure():
    """scripts/casebook.py, the one place the figures are computed (the README reports its output)."""
    spec = importlib.util.spec_from_file_location("casebook_measure", CASEBOOK.parent.parent / "scripts" / "casebook.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


MEASURE = _measure()
PACK_VERSION = YAML(typ="safe").load((CASEBOOK.parent.parent / "checklists" / "shenzhen-2022" / "pack.yaml")
                                     .read_text(encoding="utf-8"))["version"]
READINGS = {entry["case"]: entry for entry in
            YAML(typ="safe").load((CASEBOOK / "READINGS.yaml").read_text(encoding="utf-8"))["readings"]}


@pytest.fixture(scope="module")
def outcomes():
    from compliance.evaluate.checklists import load_pack

    pack = load_pack()
    return {case.name: MEASURE.judge(case, pack) for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_tool_agrees_with_the_case_or_a_reading_says_why(case: Path, outcomes):
    outcome, reading = outcomes[case.name], READINGS.get(case.name, {})
    assert outcome.grade is not None, outcome.invalid
    if "grade" in reading:  # any grade other than the case's own, defensible or not: recorded, with the reason
        assert (outcome.grade, outcome.exact) == (reading["grade"], False)
    else:
        assert outcome.exact, f"{outcome.grade}, expected {outcome.expected['grade']}"
    assert sorted(outcome.missed) == reading.get("missed", []), "engaged Art. 72 items the tool does not raise"
    extra = sorted({item for _, item in outcome.false_alarms})
    assert extra == reading.get("extra", []), "declared-fact errors on items the case neither engages nor argues"
    if outcome.expected["grade"] == "high":
        assert outcome.grade != "low"
    if outcome.expected["low_risk_control"]:
        assert outcome.declared == [], "no prohibited-behaviour error on the declared facts of a low-risk control"


def test_every_reading_names_a_case_and_says_why():
    assert set(READINGS) <= {case.name for case in CASES}
    for name, entry in READINGS.items():
        assert set(entry) <= {"case", "grade", "missed", "extra", "kind", "reason", "if_stated"}, name
        assert entry["kind"] in ("fail_closed", "reading", "not_declared"), name
        assert len(entry["reason"]) > 80 and ({"grade", "missed", "extra"} & set(entry)), name
        # A grade put down to unknown facts says which facts, stated harmlessly, give the case's grade.
        assert ("if_stated" in entry) == (entry["kind"] == "fail_closed" and "grade" in entry), name


FAIL_CLOSED = sorted(name for name, entry in READINGS.items() if "if_stated" in entry)


@pytest.mark.parametrize("name", FAIL_CLOSED)
def test_a_fail_closed_grade_comes_down_to_the_cases_grade_once_its_unknowns_are_stated(name, outcomes):
    from compliance.evaluate.checklists import load_pack
    from compliance.evaluate.grade import apply_changes
    from conftest import evaluate_data

    assert outcomes[name].assumed_grade, "the grade must rest on facts left unknown"
    path = CASEBOOK / name / "declaration.yaml"
    declared = read_document(path, path.name).data
    stated = READINGS[name]["if_stated"]
    for dotted in stated:  # only unknowns are answered: nothing the case states is changed
        node = declared
        for key in dotted.split("."):
            node = node.get(key, "unknown") if isinstance(node, dict) else "unknown"
        assert node in ("unknown", None), f"{dotted} is stated in the case ({node!r})"
    changed = apply_changes(declared, {tuple(dotted.split(".")): value for dotted, value in stated.items()})
    assert evaluate_data(changed, load_pack()).risk_level == outcomes[name].expected["grade"]


def test_the_figures_meet_the_goals_and_the_readme_reports_them(outcomes):
    figures = MEASURE.figures(list(outcomes.values()))
    assert figures["cases"] == 54 and figures["invalid"] == 0
    assert figures["grade_defensible"]["percent"] >= 85
    assert figures["item_recall"]["percent"] >= 90
    assert figures["item_recall_specific"]["percent"] >= 90  # not carried by the blanket self-attestation
    assert figures["support_per_finding"]["percent"] >= 80
    assert figures["high_graded_low"] == [] and figures["control_errors"] == []
    # The README says so of the comparison figure (unknown facts read as safe, which aicomply never does).
    assert figures["grade_exact_declared"]["percent"] >= 85 and figures["high_graded_low_declared"] == []
    # DESIGN's other fail-closed branch, shown for comparison, still never grades low for lack of facts.
    assert all(o.error_branch_grade != "low" for o in outcomes.values() if o.assumed_grade)
    assert figures["grade_exact_error_branch"]["of"] == 54
    readme = (CASEBOOK.parent.parent / "README.md").read_text(encoding="utf-8")
    for label, key in (("grade agreement, exact", "grade_exact"),
                       ("grade agreement, within the grades a careful reader could defend", "grade_defensible"),
                       ("Art. 72 item recall (errors, assumed or declared)", "item_recall"),
                       ("Art. 72 item recall without the self-attestation rules", "item_recall_specific"),
                       ("Art. 72 item recall on declared facts alone", "item_recall_declared"),
                       ("declared-fact Art. 72 errors supported by the case's reasoning", "support_per_finding"),
                       ("grade agreement on declared facts alone, for comparison (facts a case leaves unknown read as "
                        "safe, which aicomply never does)", "grade_exact_declared")):
        share = figures[key]
        row = next(line for line in readme.splitlines() if line.startswith(f"| {label} |"))
        assert row.split(" | ")[-2] == f"{share['percent']}% ({share['count']}/{share['of']})", label  # latest pack
    # Issue 11 read strictly asks for 85% exact agreement: the README says whether it is met, and how
    # the remaining grade disagreements divide (each is recorded in READINGS.yaml).
    exact_row = next(line for line in readme.splitlines() if line.startswith("| grade agreement, exact |"))
    assert exact_row.endswith("not met |") == (figures["grade_exact"]["percent"] < 85)
    graded = [entry for entry in READINGS.values() if "grade" in entry]
    assert len(graded) == figures["grade_exact"]["of"] - figures["grade_exact"]["count"]
    unknown = sum(entry["kind"] == "fail_closed" for entry in graded)
    flat = " ".join(readme.split())
    assert (f"Of the {len(graded)} left with pack {PACK_VERSION}, {unknown} rest on facts the case leaves unknown"
            in flat and f"the other {len(graded) - unknown} are readings" in flat)
