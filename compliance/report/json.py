"""The machine-readable report; its shape is schemas/report-v1.schema.json."""

from __future__ import annotations

import json
from typing import Any

from compliance.models.result import FactRef, FileResult, Finding, RunResult

REPORT_SCHEMA_ID = "https://aicomply.dev/schemas/report-v1.schema.json"


def render(run: RunResult, lang: str = "en") -> str:
    # Compact: json only uses its C encoder without indent, and reports of thousands of files are large.
    return json.dumps(report(run, lang), ensure_ascii=False, separators=(",", ":")) + "\n"


def report(run: RunResult, lang: str) -> dict[str, Any]:
    return {
        "$schema": REPORT_SCHEMA_ID,
        "tool": {"name": "aicomply", "version": run.tool_version},
        "rule_pack": {"id": run.pack_id, "version": run.pack_version},
        "language": lang,
        "fail_on": run.fail_on,
        "gate": "failed" if run.gate_failed else "passed",
        "summary": run.summary(),
        "results": [file_result(result, run, lang) for result in run.results],
    }


def file_result(result: FileResult, run: RunResult, lang: str) -> dict[str, Any]:
    lowering = result.lowering
    return {
        "path": result.path,
        "sha256": result.sha256,
        "product_id": result.product_id,
        "product_version": result.product_version,
        "product_name": result.product_name(lang) if result.product_name else None,
        "valid": result.valid,
        "risk_level": result.risk_level,
        "gate": "failed" if run.failed(result) else "passed",
        "reasons": [
            {
                "rule_id": reason.rule_id,
                "level": reason.level,
                "title": reason.title(lang),
                "message": reason.message(lang),
                "article": reason.article(lang),
                "citations": [c(lang) for c in reason.citations],
                "assumed": reason.assumed,
                "facts": [_fact(f) for f in reason.facts],
            }
            for reason in result.reasons
        ],
        "drivers": [_fact(f) for f in result.drivers],
        "lowering": None if lowering is None else {
            "to": lowering.to,
            "changes": [{"fact": c.fact, "from": c.old, "to": c.new} for c in lowering.changes],
        },
        "findings": [_finding(f, lang) for f in result.findings],
        "obligations": [
            {
                "id": status.id,
                "status": status.status,
                "mandatory": status.mandatory,
                "title": status.title(lang),
                "article": status.article(lang),
                "citations": [c(lang) for c in status.citations],
                "document": status.document,
                "assumed": status.assumed,
            }
            for status in result.obligations
        ],
    }


def _finding(finding: Finding, lang: str) -> dict[str, Any]:
    return {
        "rule_id": finding.rule_id,
        "kind": finding.kind,
        "severity": finding.severity,
        "title": finding.title(lang),
        "message": finding.message(lang),
        "article": finding.article(lang) if finding.article else None,
        "citations": [c(lang) for c in finding.citations],
        "remedy": finding.remedy(lang) if finding.remedy else None,
        "line": finding.line,
        "column": finding.column,
        "fact": finding.fact,
        "assumed": finding.assumed,
        "art72_item": finding.art72_item,
    }


def _fact(fact: FactRef) -> dict[str, Any]:
    return {"path": fact.path, "value": fact.value, "line": fact.line}
