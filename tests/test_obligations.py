"""Obligations fail closed: only evidence stated as given meets an obligation. Evidence that is
unknown leaves it unmet (marked assumed, so the reader knows which fact to state), and the unmet
obligation is a finding at the rule's severity."""

from __future__ import annotations

import pytest

from compliance.evaluate.checklists import load_pack, merge_example
from conftest import evaluate_data

PACK = load_pack()
HIGH = {"scenario": {"domains": ["judicial"]}}  # a high-risk scenario, so the high-risk obligations apply

# obligation, a patch over the pack's baseline that makes it apply, and the fact that is its evidence
EVIDENCE = [
    ("OBL-DISCLOSURE", {}, ("safeguards", "disclosure", "published")),
    ("OBL-TRAINING", {}, ("safeguards", "training", "ethics_security")),
    ("OBL-RISK-WARNING", HIGH, ("safeguards", "risk_warning", "in_place")),
    ("OBL-SECURITY-TESTING", HIGH, ("safeguards", "security_testing", "done")),
    ("OBL-ETHICS-REVIEW", HIGH, ("ethics", "review", "done")),
]


def _with(patch: dict, path: tuple, value) -> dict:
    fragment: dict = {}
    node = fragment
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value
    return merge_example(merge_example(PACK.baseline, patch), fragment)


def _status(result, rule_id):
    return next(s for s in result.obligations if s.id == rule_id)


@pytest.mark.parametrize("rule_id, patch, path", EVIDENCE, ids=[e[0] for e in EVIDENCE])
def test_unknown_evidence_never_meets_an_obligation(rule_id, patch, path):
    """Protects fail-closed obligations (obligations.py: only a condition that is true counts as
    met). Unknown evidence is no evidence: the obligation is unmet, assumed, and reported as a
    finding at its severity, with the line of the fact to state."""
    result = evaluate_data(_with(patch, path, "unknown"), PACK)
    status = _status(result, rule_id)
    assert (status.status, status.assumed) == ("unmet", True)
    findings = [f for f in result.findings if f.rule_id == rule_id]
    assert len(findings) == 1 and findings[0].assumed
    assert findings[0].severity == PACK.rule(rule_id).severity
    assert findings[0].fact == ".".join(path)


@pytest.mark.parametrize("rule_id, patch, path", EVIDENCE, ids=[e[0] for e in EVIDENCE])
def test_evidence_stated_false_is_unmet_and_true_is_met(rule_id, patch, path):
    """The two stated answers: false is unmet and not assumed; true is met, with no finding."""
    missing = evaluate_data(_with(patch, path, False), PACK)
    assert (_status(missing, rule_id).status, _status(missing, rule_id).assumed) == ("unmet", False)
    assert [f.assumed for f in missing.findings if f.rule_id == rule_id] == [False]
    given = evaluate_data(_with(patch, path, True), PACK)
    assert (_status(given, rule_id).status, _status(given, rule_id).assumed) == ("met", False)
    assert not [f for f in given.findings if f.rule_id == rule_id]


def test_an_obligation_that_may_apply_is_checked_and_said_to_be_assumed():
    """Applicability that rests on an unknown fact counts as applicable (marked assumed): an online
    game whose reach to children is unknown owes the minors mode, and met evidence is still marked
    assumed because the obligation itself was assumed."""
    game = {"scope": {"special_groups": {"children": "unknown"}}, "practices": {"engagement": {"service_type": "online_game"}}}
    unmet = evaluate_data(merge_example(PACK.baseline, game), PACK)
    status = _status(unmet, "OBL-MINORS-MODE")
    assert (status.status, status.assumed) == ("unmet", True)
    met = evaluate_data(merge_example(merge_example(PACK.baseline, game),
                                      {"safeguards": {"special_group_protections": {"minors_mode": True}}}), PACK)
    status = _status(met, "OBL-MINORS-MODE")
    assert (status.status, status.assumed) == ("met", True)
    stated = evaluate_data(merge_example(PACK.baseline, {"practices": {"engagement": {"service_type": "online_game"}}}), PACK)
    assert _status(stated, "OBL-MINORS-MODE").status == "not_applicable"  # children: none, stated
    clear = evaluate_data(PACK.baseline, PACK)
    assert _status(clear, "OBL-MINORS-MODE").status == "not_applicable"


def _checked(tmp_path, runner, patch: dict, *args) -> tuple[str, object]:
    """The declaration written as JSON (one fact a line, so lines can be found in it) and checked."""
    import json

    source = tmp_path / "declaration.json"
    text = json.dumps(merge_example(PACK.baseline, patch), indent=2, default=str)
    source.write_text(text, encoding="utf-8")
    from compliance.cli import main

    return text, runner.invoke(main, ["check", str(source), *args])


def test_an_unmet_obligation_is_reported_with_its_rule_and_the_fact_to_state(tmp_path, runner):
    """The finding of an unmet obligation carries what the rule says (title, message, article,
    citations, remedy) and points at the line of the evidence to state; its status names the
    document it calls for. Written from the rule and the declaration, not from a previous run."""
    import json

    rule = PACK.rule("OBL-DISCLOSURE")
    text, result = _checked(tmp_path, runner, {"safeguards": {"disclosure": {"published": "unknown"}}},
                            "--format", "json")
    (entry,) = json.loads(result.stdout)["results"]
    (finding,) = [f for f in entry["findings"] if f["rule_id"] == rule.id]
    line = text[:text.index('"published": "unknown"')].count("\n") + 1
    assert {key: finding[key] for key in ("kind", "severity", "title", "message", "article", "citations", "remedy",
                                          "line", "fact", "assumed")} == {
        "kind": "obligation", "severity": rule.severity, "title": rule.title.en, "message": rule.message.en,
        "article": rule.article.en, "citations": [c.en for c in rule.citations], "remedy": rule.remedy.en,
        "line": line, "fact": "safeguards.disclosure.published", "assumed": True}
    (status,) = [o for o in entry["obligations"] if o["id"] == rule.id]
    assert status == {"id": rule.id, "status": "unmet", "mandatory": True, "title": rule.title.en,
                      "article": rule.article.en, "citations": [c.en for c in rule.citations],
                      "document": "disclosure", "assumed": True}
    _, shown = _checked(tmp_path, runner, {"safeguards": {"disclosure": {"published": "unknown"}}})
    assert "a fact it needs is unknown: safeguards.disclosure.published" in shown.stdout  # which fact to state


def test_statuses_carry_the_rule_whether_met_or_not_applicable():
    """Every status, met, unmet or not applicable, carries the rule's title, article, citations,
    remedy and document; one that does not apply is never marked assumed."""
    result = evaluate_data(PACK.baseline, PACK)
    statuses = {s.id: s for s in result.obligations}
    assert {s.status for s in statuses.values()} == {"met", "not_applicable"}
    for rule in PACK.of_kind("obligation"):
        status = statuses[rule.id]
        assert (status.mandatory, status.title, status.article, status.citations, status.remedy, status.document) == (
            rule.mandatory, rule.title, rule.article, rule.citations, rule.remedy, rule.document), rule.id
        assert status.assumed is False, rule.id


def test_a_finding_names_the_declared_value_of_its_evidence():
    """The facts behind an unmet obligation are the declaration's own values, each with its path."""
    result = evaluate_data(merge_example(PACK.baseline, {"safeguards": {"training": {"ethics_security": False,
                                                                                       "legal": "unknown"}}}), PACK)
    (finding,) = [f for f in result.findings if f.rule_id == "OBL-TRAINING"]
    assert [(f.path, f.value) for f in finding.facts] == [("safeguards.training.ethics_security", False)]
    assert finding.fact == "safeguards.training.ethics_security" and not finding.assumed
