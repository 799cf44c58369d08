"""Art. 72 screening and risk indicators: rules whose condition, when it holds, is a finding.

A condition that holds only because a fact is unknown still gives the finding (fail closed),
marked as assumed so the reader knows which fact to state.
"""

from __future__ import annotations

from compliance.evaluate.conditions import F, U
from compliance.evaluate.grade import Locate, fact_ref
from compliance.models.result import Finding
from compliance.models.rules import Rule


def screen(data: dict, rules: tuple[Rule, ...], locate: Locate) -> list[Finding]:
    findings = []
    for rule in rules:
        truth = rule.when.evaluate(data)
        if truth == F:
            continue
        _, traced = rule.when.trace(data)
        facts = tuple(fact_ref(path, value, locate) for path, value in _unique(traced))
        first = next((fact for fact in facts if fact.line is not None), facts[0] if facts else None)
        findings.append(Finding(
            rule.id, rule.kind, rule.severity, rule.title, rule.message, rule.article,
            rule.citations, rule.remedy,
            line=first.line if first else None,
            fact=first.path if first else None,
            facts=facts,
            assumed=truth == U,
            art72_item=rule.art72_item,
        ))
    return findings


def _unique(traced: list) -> list:
    seen: dict = {}
    for path, value in traced:
        seen.setdefault(path, value)
    return list(seen.items())
