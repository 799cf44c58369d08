"""Properties over generated input: no traceback, same bytes every run, a monotonic grade."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from compliance.evaluate.checklists import load_pack
from compliance.evaluate.grade import apply_changes, grade_level
from compliance.models.result import LEVEL_RANK, RunInfo
from compliance.pipeline import check_bytes
from compliance.report import FORMATS, render
from compliance.declaration.validate import schema_issues
from conftest import EXAMPLES, ROOT
from test_validator_agreement import TEMPLATES, mutated

PACK = load_pack()
GRADING = PACK.of_kind("grade")
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EXAMPLE_BYTES = [p.read_bytes() for p in sorted(EXAMPLES.glob("*.yaml"))]


INFO = RunInfo("0", ((PACK.id, PACK.version),), "error", PACK.rules)


def _reports(results, lang="en") -> list[str]:
    """Every format's report; the machine-readable ones must also parse."""
    import json
    from xml.etree import ElementTree

    reports = {fmt: render(fmt, INFO, results, lang) for fmt in FORMATS}
    json.loads(reports["json"])
    json.loads(reports["sarif"])
    ElementTree.fromstring(reports["junit"])
    # JSON Lines separates records by \n only; str.splitlines() would also split inside a string at U+0085.
    assert all(json.loads(line) for line in reports["jsonl"].split("\n") if line)
    return list(reports.values())


# ------------------------------------------------------------------------------ no traceback

@st.composite
def damaged_bytes(draw):
    raw = bytearray(draw(st.sampled_from(EXAMPLE_BYTES)))
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(raw) - 1))
        action = draw(st.sampled_from(["flip", "cut", "insert"]))
        if action == "flip":
            raw[position] = draw(st.integers(0, 255))
        elif action == "cut":
            del raw[position:position + draw(st.integers(1, 200))]
        else:
            raw[position:position] = draw(st.sampled_from(
                [b"\n", b": ", b"- ", b"[", b"{", b"&a ", b"*a", b"!!", b"\t", b"---\n", b"<<: ", b"'", b'"', b"\xff"]))
    return bytes(raw)


@SETTINGS
@given(st.one_of(st.binary(max_size=400), st.text(max_size=400).map(str.encode), damaged_bytes()), st.sampled_from(["yaml", "json"]))
def test_no_input_raises(raw, kind):
    result = check_bytes(raw, f"fuzz.{kind}", kind, PACK)
    assert _reports([result])[0]  # text always says something
    if not result.valid:
        assert result.findings and all(f.severity == "error" for f in result.findings)


@SETTINGS
@given(mutated())
def test_no_mutated_declaration_raises(data):
    import json

    result = check_bytes(json.dumps(data).encode(), "mutated.json", "json", PACK)
    assert result.valid == (not schema_issues(data))
    for lang in ("en", "zh"):
        assert _reports([result], lang)[0]


# ------------------------------------------------------------------------------- determinism

@SETTINGS
@given(damaged_bytes(), st.sampled_from(["en", "zh"]))
def test_same_input_same_bytes(raw, lang):
    first, second = (check_bytes(raw, "a.yaml", "yaml", PACK) for _ in range(2))
    assert _reports([first], lang) == _reports([second], lang)


def test_same_bytes_across_processes_and_hash_seeds(tmp_path):
    outputs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        for fmt in ("json", "text"):
            done = subprocess.run([sys.executable, "-m", "compliance", "check", "examples", "--format", fmt, "--lang", "zh"],
                                  cwd=ROOT, env=env, capture_output=True, check=False)
            assert done.returncode == 1, done.stderr
            outputs.append((fmt, done.stdout))
    assert outputs[0] == outputs[2] and outputs[1] == outputs[3]


# -------------------------------------------------------------------------------- monotonic

VALID = [t for t in TEMPLATES] + [PACK.baseline]
RISKY_TRUE = [
    "scope.public_decision_making", "scope.public_interest_commercial", "autonomy.significant_effects",
    "autonomy.affects_health", "data.personal_information", "data.cross_border_transfer",
    "practices.pricing.personalised", "practices.deep_synthesis.used", "practices.deep_synthesis.real_persons",
    "practices.generative_service.public", "practices.recommendation.used", "practices.biometric_identification.used",
    "practices.biometric_identification.remote", "practices.biometric_identification.public_spaces",
    "practices.emotion_recognition.used", "practices.engagement.addictive_design", "practices.worker_scheduling.used",
    "practices.public_opinion.attributes",
]
ORDINALS = {
    "autonomy.level": ["advisory", "human_in_the_loop", "human_on_the_loop", "fully_autonomous"],
    "autonomy.physical_actuation": ["none", "assistive", "safety_critical"],
    "autonomy.behavioural_influence": ["none", "moderate", "strong"],
    "scope.special_groups.children": ["none", "incidental", "primary"],
    "scope.special_groups.elderly": ["none", "incidental", "primary"],
    "scope.special_groups.disabled": ["none", "incidental", "primary"],
}
ADD_TO_LIST = {
    "scenario.domains": ["credit", "judicial", "autonomous_driving", "elder_care", "other", "education", "medical_device"],
    "scope.audience": ["public", "government"],
    "data.sensitive_categories": ["biometric", "health", "minors_under_14"],
    "practices.emotion_recognition.contexts": ["workplace", "education"],
    "practices.deep_synthesis.modalities": ["face", "voice"],
}
SAFEGUARDS = [
    "safeguards.human_oversight", "safeguards.risk_assessment.done", "safeguards.ex_ante_assessment.done",
    "ethics.review.done", "safeguards.security_testing.done", "safeguards.incident_response",
    "safeguards.logging", "safeguards.monitoring", "safeguards.training.ethics_security",
    "safeguards.disclosure.published", "safeguards.algorithm_explanation.published", "data.consent.obtained",
]


def _get(data, dotted):
    node = data
    for key in dotted.split("."):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def _path(dotted):
    return tuple(dotted.split("."))


@st.composite
def risk_added(draw, kinds=("true", "ordinal", "list", "users", "unknown")):
    """A valid declaration, and the same with one more risk factor (or one fact made unknown)."""
    data = draw(st.sampled_from(VALID))
    kind = draw(st.sampled_from(kinds))
    if kind == "true":
        change = {_path(draw(st.sampled_from(RISKY_TRUE))): True}
    elif kind == "ordinal":
        dotted = draw(st.sampled_from(sorted(ORDINALS)))
        scale = ORDINALS[dotted]
        current = _get(data, dotted)
        start = scale.index(current) if current in scale else 0
        change = {_path(dotted): draw(st.sampled_from(scale[start:]))}
    elif kind == "list":
        dotted = draw(st.sampled_from(sorted(ADD_TO_LIST)))
        current = _get(data, dotted)
        current = current if isinstance(current, list) else []
        extra = draw(st.sampled_from(ADD_TO_LIST[dotted]))
        change = {_path(dotted): current + ([extra] if extra not in current else [])}
    elif kind == "users":
        current = _get(data, "scope.users")
        change = {("scope", "users"): (current if isinstance(current, int) else 0) + draw(st.integers(0, 50_000_000))}
    else:
        change = {_path(draw(st.sampled_from(RISKY_TRUE + sorted(ORDINALS)))): "unknown"}
    return data, apply_changes(data, change)


@SETTINGS
@given(risk_added())
def test_adding_a_risk_factor_never_lowers_the_grade(pair):
    before, after = pair
    assume(not schema_issues(after))
    assert grade_level(after, GRADING) >= grade_level(before, GRADING)


@SETTINGS
@given(st.sampled_from(VALID), st.lists(st.sampled_from(SAFEGUARDS), min_size=1, max_size=4))
def test_adding_a_safeguard_never_raises_the_grade(data, safeguards):
    after = apply_changes(data, {_path(dotted): True for dotted in safeguards})
    assert not schema_issues(after)
    assert grade_level(after, GRADING) <= grade_level(data, GRADING)


@SETTINGS
@given(risk_added(kinds=("unknown",)))
def test_stating_an_unknown_fact_never_raises_the_grade(pair):
    """The fail-closed property, read backwards: from unknown to any stated value, never up."""
    stated, unknown = pair
    assume(not schema_issues(unknown))
    assert grade_level(unknown, GRADING) >= grade_level(stated, GRADING)


@pytest.mark.parametrize("index", range(len(VALID)))
def test_the_lowering_offered_really_lowers(index):
    from conftest import evaluate_data

    data = VALID[index]
    result = evaluate_data(data, PACK)
    if result.risk_level == "low":
        assert result.lowering is None
        return
    if result.lowering is None:
        # Nothing the team can change lowers it: the grade must rest on what the product is.
        assert result.outside_control, "a grade no change lowers names the facts outside the product's control"
        return
    assert not any(PACK.is_identity(c.fact) for c in result.lowering.changes), "never advice to be another product"
    changed = apply_changes(data, {_path(c.fact): c.new for c in result.lowering.changes})
    assert LEVEL_RANK[result.lowering.to] == grade_level(changed, GRADING) < LEVEL_RANK[result.risk_level]
