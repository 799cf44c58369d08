"""Evaluate one valid declaration against a rule pack: grade, Art. 72 screening, obligations."""

from __future__ import annotations

from compliance.declaration.load import Document
from compliance.evaluate.grade import grade
from compliance.evaluate.obligations import obligations
from compliance.evaluate.screen import screen
from compliance.models.result import SEVERITY_RANK, FileResult, Finding
from compliance.models.rules import RulePack, Text


def evaluate(document: Document, pack: RulePack) -> FileResult:
    data = document.data

    def locate(path: tuple) -> int | None:
        found = document.locate(path)
        return found[0] if found else None

    outcome = grade(data, pack.of_kind("grade"), locate, pack.is_identity)
    findings = screen(data, pack.of_kind("prohibited", "indicator"), locate)
    statuses, unmet = obligations(data, outcome.level, pack.of_kind("obligation"), locate)
    findings.extend(unmet)
    product = data["product"]
    return FileResult(
        path=document.path,
        sha256=document.sha256,
        product_id=product["id"],
        product_version=product["version"],
        product_name=Text.declared(product["name"]),
        risk_level=outcome.level,
        reasons=outcome.reasons,
        drivers=outcome.drivers,
        lowering=outcome.lowering,
        outside_control=outcome.outside_control,
        findings=tuple(sort_findings(findings)),
        obligations=tuple(statuses),
    )


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Most severe first, then by line: the order a reader fixes them in. Deterministic."""
    return sorted(findings, key=lambda f: (-SEVERITY_RANK[f.severity], f.line or 0, f.rule_id))
