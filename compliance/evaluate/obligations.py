"""Obligations: applicable or not, then met or unmet from the declared evidence.

Applicability that depends on an unknown fact counts as applicable, and evidence that is unknown
counts as missing: either way the status is marked assumed. An unmet obligation is a finding at
the rule's severity (error for mandatory ones).
"""

from __future__ import annotations

from compliance.evaluate.checklists import GRADE_FACT
from compliance.evaluate.conditions import F, T, U
from compliance.evaluate.grade import Locate, fact_ref
from compliance.models.result import Finding, ObligationStatus
from compliance.models.rules import Rule


def obligations(data: dict, level: str, rules: tuple[Rule, ...], locate: Locate
                ) -> tuple[list[ObligationStatus], list[Finding]]:
    facts = dict(data)
    facts[GRADE_FACT] = level
    statuses, findings = [], []
    for rule in rules:
        applies = rule.applies_when.evaluate(facts) if rule.applies_when is not None else T
        if applies == F:
            statuses.append(_status(rule, "not_applicable", False))
            continue
        met = rule.met_when.evaluate(facts)
        assumed = applies == U or met == U
        if met == T:
            statuses.append(_status(rule, "met", assumed and applies == U))
            continue
        statuses.append(_status(rule, "unmet", assumed))
        _, traced = rule.met_when.trace(facts)
        refs = tuple(fact_ref(path, value, locate) for path, value in dict(traced).items())
        first = refs[0] if refs else None
        findings.append(Finding(
            rule.id, "obligation", rule.severity, rule.title, rule.message, rule.article,
            rule.citations, rule.remedy,
            line=first.line if first else None,
            fact=first.path if first else None,
            facts=refs,
            assumed=assumed,
        ))
    return statuses, findings


def _status(rule: Rule, status: str, assumed: bool) -> ObligationStatus:
    return ObligationStatus(rule.id, status, rule.mandatory, rule.title, rule.article,
                            rule.citations, rule.remedy, rule.document, assumed)
