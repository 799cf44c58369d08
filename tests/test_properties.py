"""Properties over generated input: no traceback, the checker agrees with an independent validator,
same bytes every run, and the fail-closed monotonic properties of the grade, the findings and the
obligations.

Every property counts what its draws did, and fails when too few draws changed anything: a property
whose changes never reach a rule (as "adding a safeguard never raises the grade" once did, since no
grading rule reads a safeguard) tests nothing, and must say so. The shares are set well below what
the strategies reach (see each MIN_*), so they fail only when the exploration is broken, not by chance.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import strategies as s
from compliance.evaluate.checklists import load_pack
from compliance.models.result import RunInfo
from compliance.pipeline import check_bytes
from compliance.report import FORMATS, render
from conftest import EXAMPLES, ROOT, evaluate_data
from test_validator_agreement import mutated

PACK = load_pack()
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EXAMPLE_BYTES = [p.read_bytes() for p in sorted(EXAMPLES.glob("*.yaml"))]
INFO = RunInfo("0", ((PACK.id, PACK.version),), "error", PACK.rules)
RANK = {"low": 0, "medium": 1, "high": 2}


EXPLORE_BATCHES = 3


def explore(strategy, check, minimum: dict[str, float], settings_=SETTINGS) -> Counter:
    """Run `check` on draws of `strategy`; it returns labels of what the draw did. Each label in
    `minimum` must have occurred in at least that share of the draws.

    Hypothesis's draws are not independent (it mutates earlier examples), so one batch's share
    varies widely: with 200 draws, the risk-factor property fell short of its shares in 3 of 40
    runs, and a short share failed CI for no fault of the rules. So a batch short of a share is
    followed by another, up to EXPLORE_BATCHES, and the shares are judged on all draws together;
    a strategy that really does not reach a label still fails, and every draw is checked."""
    seen: Counter = Counter()

    @settings_
    @given(strategy)
    def run(value):
        labels = set(check(value))
        seen["draws"] += 1
        for label in sorted(labels):
            seen[label] += 1
            event(label)

    def short() -> dict[str, str]:
        return {label: f"{seen[label]}/{seen['draws']}" for label, share in minimum.items()
                if seen[label] < share * seen["draws"]}

    for _ in range(EXPLORE_BATCHES):
        run()
        if not short():
            break
    assert seen["draws"] >= 50
    if os.environ.get("AICOMPLY_SHOW_EXPLORATION"):
        print(dict(seen))
    assert short() == {}, f"too few draws did this (wanted shares {minimum}); all counts: {dict(seen)}"
    return seen


def _reports(results, lang="en") -> list[str]:
    """Every format's report; the machine-readable ones must also parse."""
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


def test_no_input_raises():
    """Any bytes at all: a result, never a traceback; an invalid file has only error findings."""
    def check(drawn):
        raw, kind = drawn
        result = check_bytes(raw, f"fuzz.{kind}", kind, PACK)
        assert _reports([result])[0]  # text always says something
        if not result.valid:
            assert result.findings and all(f.severity == "error" for f in result.findings)
        return {"valid" if result.valid else "invalid"}

    # Two draws in five damage an example a little and one in five takes an example as it is, so that
    # valid declarations are drawn too (a damaged v2 example is rarely still valid: 3 to 13%).
    inputs = st.one_of(st.binary(max_size=400), st.text(max_size=400).map(str.encode), damaged_bytes(), damaged_bytes(),
                       st.sampled_from(EXAMPLE_BYTES))
    explore(st.tuples(inputs, st.sampled_from(["yaml", "json"])), check, {"valid": 0.05, "invalid": 0.3})


def test_no_mutated_declaration_raises_and_validity_matches_the_reference_validator():
    """A mutated declaration is valid exactly when the reference JSON Schema implementation
    (python-jsonschema over the published schema) says it is, not when our own validator says so;
    every report of it, in both languages, parses (JSON, SARIF, JUnit XML, JSON lines)."""
    def check(data):
        result = check_bytes(json.dumps(data).encode(), "mutated.json", "json", PACK)
        expected = s.valid(data)
        assert result.valid == expected, [f.message("en") for f in result.findings][:3]
        for lang in ("en", "zh"):
            assert _reports([result], lang)[0]
        return {"valid" if expected else "invalid"}

    explore(mutated(), check, {"valid": 0.05, "invalid": 0.3})


# ------------------------------------------------------------------------------- determinism

def test_same_input_same_bytes():
    def check(drawn):
        raw, lang = drawn
        first, second = (check_bytes(raw, "a.yaml", "yaml", PACK) for _ in range(2))
        assert _reports([first], lang) == _reports([second], lang)
        return {"valid" if first.valid else "invalid"}

    explore(st.tuples(damaged_bytes(), st.sampled_from(["en", "zh"])), check, {"valid": 0.05, "invalid": 0.05})


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

def _outcome(data: dict):
    """Grade, screening findings (prohibited behaviours and indicators) and unmet obligations."""
    result = evaluate_data(data, PACK)
    screened = {f.rule_id for f in result.findings if f.kind in ("prohibited", "indicator")}
    unmet = {o.id for o in result.obligations if o.status == "unmet"}
    return result.risk_level, screened, unmet


# Risk factors: a true answer, a step up an ordered scale, one more list item, more people reached.
RISKY_TRUE = [
    "scope.public_decision_making", "scope.public_interest_commercial", "autonomy.significant_effects",
    "autonomy.affects_health", "autonomy.human_machine_fusion", "data.personal_information",
    "data.processing_without_basis", "data.cross_border.transfer", "data.cross_border.important_data",
    "data.third_party_provision.provided", "practices.pricing.personalised", "practices.deep_synthesis.used",
    "practices.deep_synthesis.public", "practices.deep_synthesis.real_persons", "practices.generative_service.public",
    "practices.recommendation.used", "practices.biometric_identification.used",
    "practices.biometric_identification.remote", "practices.biometric_identification.public_spaces",
    "practices.biometric_identification.covert", "practices.emotion_recognition.used",
    "practices.engagement.addictive_design", "practices.engagement.many_minor_users",
    "practices.engagement.companion_persona", "practices.worker_scheduling.used", "practices.public_opinion.attributes",
    "practices.public_opinion.mobilisation", "consumer.misleading_price_practices", "consumer.pre_ticked_options",
]
ORDINALS = {
    "autonomy.level": ["advisory", "human_in_the_loop", "human_on_the_loop", "fully_autonomous"],
    "autonomy.physical_actuation": ["none", "assistive", "safety_critical"],
    "autonomy.behavioural_influence": ["none", "moderate", "strong"],
    "scope.special_groups.children": ["none", "incidental", "primary"],
    "scope.special_groups.elderly": ["none", "incidental", "primary"],
    "scope.special_groups.disabled": ["none", "incidental", "primary"],
    "standards.medical_device.class": ["none", "I", "II", "III"],
}
# Adding these scenarios makes creditworthiness a trading condition (SZ Data Regs Art. 69 para. 2), so
# pricing a loan or a policy on ability to pay is no longer the Art. 72(5) behaviour: the one finding
# a risk factor may clear, by the pack's reading.
CLEARED_BY = {("scenario.domains", "credit"): {"A72-5-PRICE-BY-USER-TRAITS"},
              ("scenario.domains", "insurance"): {"A72-5-PRICE-BY-USER-TRAITS"}}
GROWING_LISTS = ["scenario.domains", "scope.audience", "scope.affected", "data.sensitive_categories",
                 "practices.pricing.basis", "practices.deep_synthesis.modalities", "practices.emotion_recognition.kinds",
                 "practices.emotion_recognition.contexts"]


def test_the_curated_risk_factors_are_facts_of_the_schema():
    """The lists above name real facts with the values they use, so they cannot drift silently."""
    names = {f.dotted: f for f in s.facts()}
    assert all(names[d].kind == "tristate" for d in RISKY_TRUE)
    assert all(set(scale) <= set(names[d].values) for d, scale in ORDINALS.items())
    assert all(names[d].kind == "list" for d in GROWING_LISTS)


@st.composite
def risk_added(draw):
    """A declaration, and the same with one more risk factor; labelled with the fact type drawn. A
    fact that is unknown or not stated already counts as its riskiest answer: stating it is the
    other property's business, so such a draw changes nothing (and is counted apart)."""
    data = draw(s.declarations())
    kind = draw(st.sampled_from(s.KINDS))
    if kind == "tristate":
        f = s.fact(draw(st.sampled_from(RISKY_TRUE)))
        stated = s.get(data, f.path) in (True, False)
        value = True
    elif kind == "enum":
        f = s.fact(draw(st.sampled_from(sorted(ORDINALS))))
        scale, current = ORDINALS[f.dotted], s.get(data, f.path)
        stated = current in scale
        value = draw(st.sampled_from(scale[scale.index(current):])) if stated else current
    elif kind == "list":
        f = s.fact(draw(st.sampled_from(GROWING_LISTS)))
        current = s.get(data, f.path)
        stated = isinstance(current, list)
        extra = draw(st.sampled_from(f.values))
        value = current + ([extra] if extra not in current else []) if stated else current
    elif kind == "number":
        f = s.fact("scope.reach")
        current = s.get(data, f.path)
        stated = isinstance(current, int)
        value = current + draw(st.integers(0, 50_000_000)) if stated else current
    else:
        f = s.fact("data.protected_attributes")
        current = s.get(data, f.path)
        stated = isinstance(current, list)
        value = current + [draw(s.record(f.item))] if stated else current
    added = (f.dotted, extra) if kind == "list" else (f.dotted,)
    return kind, added, data, (s.put(data, f.path, value) if stated else data)


def test_adding_a_risk_factor_never_lowers_the_grade_nor_clears_a_finding():
    def check(drawn):
        kind, added, before, after = drawn
        if after is before:
            return {"not stated before"}
        if not (s.accepted(before) and s.accepted(after)):
            return set()
        grade_before, screened_before, _ = _outcome(before)
        grade_after, screened_after, _ = _outcome(after)
        assert RANK[grade_after] >= RANK[grade_before], added
        assert screened_before - CLEARED_BY.get(added, set()) <= screened_after, added
        return {f"kind:{kind}", "valid"} | ({"raised"} if grade_after != grade_before else set()) | (
            {"new finding"} if screened_after != screened_before else set())

    seen = explore(risk_added(), check, {"valid": 0.8, "raised": 0.04, "new finding": 0.02})
    assert all(seen[f"kind:{kind}"] >= 0.01 * seen["draws"] for kind in s.KINDS), dict(seen)


@st.composite
def safeguard_added(draw):
    """A declaration with safeguards false or unknown, and the same with one to four of them given."""
    data = draw(s.declarations())
    chosen = draw(st.lists(st.sampled_from(s.SAFEGUARDS), min_size=1, max_size=4, unique=True))
    after = data
    for f in chosen:
        after = s.put(after, f.path, True)
    return data, after


def test_adding_a_safeguard_never_makes_a_product_look_worse():
    """Giving a safeguard never raises the grade, never adds a finding and never leaves an obligation
    newly unmet; and in a good share of draws it meets an obligation that was unmet."""
    def check(pair):
        before, after = pair
        grade_before, screened_before, unmet_before = _outcome(before)
        grade_after, screened_after, unmet_after = _outcome(after)
        assert RANK[grade_after] <= RANK[grade_before]
        assert screened_after <= screened_before
        if grade_after == grade_before:  # the grade decides which obligations apply
            assert unmet_after <= unmet_before
        return {"obligation met"} if unmet_after < unmet_before else set()

    explore(safeguard_added(), check, {"obligation met": 0.07})


# Facts whose unknown answer the pack reads in context, on purpose: a stated risky answer always
# counts, an unknown one only where the product makes it likely (a `present: true` guard beside the
# condition). Stating them may add what the unknown did not; every other fact is strictly fail-closed.
CONTEXT_ANSWERED = {
    "practices.engagement.addictive_design": "A72-3-ADDICTIVE-DESIGN: unknown counts for an engagement service only",
    "practices.engagement.many_minor_users": "many_minors (OBL-MINORS-MODE, GRADE-INFLUENCE-VULNERABLE): an unknown "
                                             "count is answered by children: none",
    "outputs.self_harm.outcome": "A72-3-SELF-HARM-OUTPUT: unknown counts for a companion or public generation only",
    "outputs.discriminatory.outcome": "A72-4-DISCRIMINATORY-OUTPUT: unknown counts for public generation or "
                                      "significant effects only",
    "standards.medical_device.class": "OBL-MEDICAL-DEVICE-REGISTRATION: a stated class applies in any scenario, an "
                                      "unknown one in a medical, health or elder-care scenario only (as in 3.x)",
}


def _leaves(node, out: set) -> set:
    """(fact, op, operand) of every leaf of a compiled condition, definitions included."""
    for child in (getattr(node, name, None) for name in ("body", "child", "inner")):
        if child is not None:
            _leaves(child, out)
    for child in getattr(node, "children", ()):
        _leaves(child, out)
    if hasattr(node, "op"):
        out.add((".".join(node.path), node.op, node.operand if node.op != "in" else tuple(node.operand)))
    return out


def test_the_facts_answered_in_context_are_the_packs_present_guards():
    """A new `present: true` guard in a rule's condition is a decision to review (and to list above)."""
    guarded = set()
    for rule in PACK.rules:
        for condition in (rule.when, rule.applies_when):
            if condition is not None:
                guarded |= {fact for fact, op, operand in _leaves(condition, set()) if op == "present" and operand}
    unknowable = {f.dotted for f in s.facts() if f.unknown}
    assert guarded & unknowable == set(CONTEXT_ANSWERED)


@st.composite
def unknown_stated(draw):
    """A declaration with one fact unknown, and the same with that fact stated (any type)."""
    data = draw(s.declarations())
    candidates = [f for f in s.facts() if f.unknown and f.path[0] not in s.SAFEGUARD_SECTIONS
                  and f.dotted not in CONTEXT_ANSWERED]  # safeguards: the property above
    kind = draw(st.sampled_from(sorted({f.kind for f in candidates})))
    f = draw(st.sampled_from([f for f in candidates if f.kind == kind]))
    declared = s.get(data, f.path)
    # Half the time the value the declaration had, which (on the low-risk baseline) is often what
    # lowers a grade the unknown raised; else any stated value.
    values = [st.just(declared), s.stated(f)] if declared not in (None, s.UNKNOWN) else [s.stated(f)]
    return kind, f.dotted, s.put(data, f.path, s.UNKNOWN), s.put(data, f.path, draw(st.one_of(values)))


def test_stating_an_unknown_fact_never_raises_the_grade_nor_adds_a_finding():
    """The fail-closed property, read backwards: from unknown to any stated value of any type, the
    grade never rises and no screening finding appears (unknown already counted as the risky answer)."""
    def check(drawn):
        kind, dotted, unknown, stated = drawn
        if not (s.accepted(unknown) and s.accepted(stated)):
            return set()
        grade_unknown, screened_unknown, unmet_unknown = _outcome(unknown)
        grade_stated, screened_stated, unmet_stated = _outcome(stated)
        assert RANK[grade_stated] <= RANK[grade_unknown], dotted
        assert screened_stated <= screened_unknown, (dotted, screened_stated - screened_unknown)
        if grade_stated == grade_unknown:
            assert unmet_stated <= unmet_unknown, (dotted, unmet_stated - unmet_unknown)
        return {f"kind:{kind}", "valid"} | ({"lowered"} if grade_stated != grade_unknown else set()) | (
            {"finding cleared"} if screened_stated != screened_unknown else set())

    seen = explore(unknown_stated(), check, {"valid": 0.9, "lowered": 0.03, "finding cleared": 0.04})
    assert all(seen[f"kind:{kind}"] >= 0.01 * seen["draws"] for kind in s.KINDS), dict(seen)


def _really_lowers(data: dict, result) -> None:
    assert not any(PACK.is_identity(c.fact) for c in result.lowering.changes), "never advice to be another product"
    changed = data
    for change in result.lowering.changes:
        changed = s.put(changed, tuple(change.fact.split(".")), change.new)
    lowered = evaluate_data(changed, PACK).risk_level  # the changed declaration is one a team could write
    assert result.lowering.to == lowered and RANK[lowered] < RANK[result.risk_level]


def _lowering_checked(data: dict) -> str:
    """What the grade of `data` offers: nothing (low), only facts outside the team's control, or a
    lowering, which is applied and must give the grade it promises."""
    result = evaluate_data(data, PACK)
    if result.risk_level == "low":
        assert result.lowering is None
        return "low"
    if result.lowering is None:
        # Nothing the team can change lowers it: the grade must rest on what the product is, or on
        # facts left unknown (to be stated, never listed as outside the product's control).
        unstated = [f for f in result.drivers if f.unknown]
        assert result.outside_control or unstated, "a grade no change lowers names what it rests on"
        assert not any(f.unknown for f in result.outside_control)
        return "outside control"
    _really_lowers(data, result)
    return "lowering checked"


@pytest.mark.parametrize("index", range(len(s.EXAMPLE_DATA) + 1))
def test_the_lowering_offered_really_lowers(index):
    """On the examples (every graded one rests on what the product is) and the baseline."""
    assert _lowering_checked((s.EXAMPLE_DATA + [PACK.baseline])[index]) in ("low", "outside control")


# Risk factors the product team chooses (how the product is run, not what it is): the changes a
# lowering may offer. Checked against the pack's identity facts below.
TEAM_CHOICES = {
    "practices.pricing.personalised": True, "practices.biometric_identification.used": True,
    "practices.biometric_identification.public_spaces": True, "practices.emotion_recognition.used": True,
    "practices.engagement.addictive_design": True, "data.cross_border.transfer": True,
    "data.third_party_provision.provided": True, "consumer.misleading_price_practices": True,
    "autonomy.behavioural_influence": "strong", "autonomy.level": "fully_autonomous",
}


def test_the_team_choices_are_not_identity_facts():
    assert [dotted for dotted in TEAM_CHOICES if PACK.is_identity(dotted)] == []


@st.composite
def team_choices_added(draw):
    """A declaration with one to three risky choices of the team made."""
    data = draw(s.declarations())
    for dotted in draw(st.lists(st.sampled_from(sorted(TEAM_CHOICES)), min_size=1, max_size=3, unique=True)):
        data = s.put(data, s.fact(dotted).path, TEAM_CHOICES[dotted])
    return data


def test_the_lowering_offered_for_a_drawn_declaration_really_lowers():
    """The examples offer no lowering (their grades rest on what they are), so declarations with the
    team's risky choices made are drawn: in a good share of draws a lowering is offered, applied and
    checked; in others the grade rests on facts outside the team's control, which are named."""
    def check(data):
        return {_lowering_checked(data)} if s.accepted(data) else set()

    explore(team_choices_added(), check, {"lowering checked": 0.15, "outside control": 0.05})


def test_explore_still_fails_a_strategy_that_never_reaches_a_label():
    """Running more batches cannot make a share check pass that the strategy never meets."""
    calls = Counter()

    def check(value):
        calls["draws"] += 1
        return {"sometimes"} if value % 50 == 0 else set()

    with pytest.raises(AssertionError, match="too few draws did this"):
        explore(st.integers(0, 10**9).map(lambda n: 50 * n + 1), check, {"sometimes": 0.01},
                settings(max_examples=60, deadline=None))
    assert calls["draws"] >= EXPLORE_BATCHES * 50  # every batch ran before it gave up
