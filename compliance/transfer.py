"""Results in a compact form for the trip from a worker process back to the parent.

Pickling a FileResult whole copies every rule text it refers to (about 25 KB and half a
millisecond a file). Rule-derived fields travel as the rule id and are looked up again in the
parent's own rule pack; only what the check found travels in full.
"""

from __future__ import annotations

from typing import Any

from compliance.models.result import FileResult, Finding, ObligationStatus, Reason
from compliance.models.rules import Rule


def pack_result(result: FileResult) -> tuple:
    return (
        result.path, result.sha256, result.kind, result.product_id, result.product_version,
        None if result.product_name is None else (result.product_name.en, result.product_name.zh),
        result.risk_level,
        tuple((r.rule_id, r.facts, r.assumed) for r in result.reasons),
        result.drivers, result.lowering, result.outside_control,
        tuple(_pack_finding(f) for f in result.findings),
        tuple((o.id, o.status, o.assumed) for o in result.obligations),
        result.waivers,
    )


def _pack_finding(finding: Finding) -> tuple:
    if finding.kind in ("prohibited", "indicator", "obligation"):  # texts come from the rule
        return ("rule", finding.rule_id, finding.line, finding.column, finding.fact, finding.facts,
                finding.assumed, finding.fingerprint, finding.waiver, finding.baseline_state)
    return ("full", finding)


def unpack_result(data: tuple, rules: dict[str, Rule]) -> FileResult:
    from compliance.models.rules import Text

    (path, sha256, kind, product_id, version, name, level, reasons, drivers, lowering, outside_control,
     findings, obligations, waivers) = data
    return FileResult(
        path=path, sha256=sha256, kind=kind, product_id=product_id, product_version=version,
        product_name=None if name is None else Text(*name), risk_level=level,
        reasons=tuple(_reason(rules[rule_id], facts, assumed) for rule_id, facts, assumed in reasons),
        drivers=drivers, lowering=lowering, outside_control=outside_control,
        findings=tuple(_finding(item, rules) for item in findings),
        obligations=tuple(_obligation(rules[rule_id], status, assumed) for rule_id, status, assumed in obligations),
        waivers=waivers,
    )


def _reason(rule: Rule, facts: Any, assumed: bool) -> Reason:
    return Reason(rule.id, rule.level, rule.title, rule.message, rule.article, rule.citations, facts, assumed)


def _finding(item: tuple, rules: dict[str, Rule]) -> Finding:
    if item[0] == "full":
        return item[1]
    _, rule_id, line, column, fact, facts, assumed, fingerprint, waiver, baseline_state = item
    rule = rules[rule_id]
    return Finding(rule.id, rule.kind, rule.severity, rule.title, rule.message, rule.article, rule.citations,
                   rule.remedy, line, column, fact, facts, assumed, rule.art72_item, fingerprint, waiver, baseline_state)


def _obligation(rule: Rule, status: str, assumed: bool) -> ObligationStatus:
    return ObligationStatus(rule.id, status, rule.mandatory, rule.title, rule.article, rule.citations,
                            rule.remedy, rule.document, assumed)

