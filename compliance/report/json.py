"""The machine-readable reports: json (schemas/report-v1.schema.json) and jsonl (one result a line).

Both are written as results arrive. Compact: json only uses its C encoder without indent, and
reports of thousands of files are large.
"""

from __future__ import annotations

import json
from typing import Any

from compliance.models.result import FactRef, FileResult, Finding, RunInfo, Tally

REPORT_SCHEMA_ID = "https://aicomply.dev/schemas/report-v1.schema.json"


# JSON allows these raw inside strings, but line-based readers (str.splitlines, many log shippers)
# break a JSON-lines record at them; written escaped, every record stays on its one line.
_LINE_BREAKERS = str.maketrans({"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029",
                                "\x1c": "\\u001c", "\x1d": "\\u001d", "\x1e": "\\u001e"})


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_LINE_BREAKERS)


class JsonReporter:
    """One JSON object: the run's header, the results array, then summary and gate."""

    def __init__(self, info: RunInfo, lang: str = "en") -> None:
        self.info = info
        self.lang = lang
        self.first = True

    def begin(self) -> str:
        head = _dumps(header(self.info, self.lang))
        return head[:-1] + ',"results":['

    def result(self, result: FileResult, failed: bool) -> str:
        text = ("" if self.first else ",") + _dumps(file_result(result, failed, self.lang))
        self.first = False
        return text

    def end(self, tally: Tally) -> str:
        return f'],"summary":{_dumps(tally.as_dict())},"gate":"{"failed" if tally.gate_failed else "passed"}"}}\n'


class JsonLinesReporter:
    """One result per line, written as each file finishes; nothing before or after."""

    def __init__(self, info: RunInfo, lang: str = "en") -> None:
        self.lang = lang

    def begin(self) -> str:
        return ""

    def result(self, result: FileResult, failed: bool) -> str:
        return _dumps(file_result(result, failed, self.lang)) + "\n"

    def end(self, tally: Tally) -> str:
        return ""


def header(info: RunInfo, lang: str) -> dict[str, Any]:
    return {
        "$schema": REPORT_SCHEMA_ID,
        "tool": {"name": "aicomply", "version": info.tool_version},
        "rule_pack": {"id": info.pack_id, "version": info.pack_version},
        "language": lang,
        "fail_on": info.fail_on,
    }


def file_result(result: FileResult, failed: bool, lang: str) -> dict[str, Any]:
    lowering = result.lowering
    return {
        "path": result.path,
        "kind": result.kind,
        "sha256": result.sha256,
        "product_id": result.product_id,
        "product_version": result.product_version,
        "product_name": result.product_name(lang) if result.product_name else None,
        "valid": result.valid,
        "risk_level": result.risk_level,
        "gate": "failed" if failed else "passed",
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
        "outside_control": [_fact(f) for f in result.outside_control],
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
        "fingerprint": finding.fingerprint,
        "waiver": None if finding.waiver is None else {
            "justification": finding.waiver.justification,
            "approver": finding.waiver.approver,
            "expires": finding.waiver.expires,
            "source": finding.waiver.source,
        },
        "baseline_state": finding.baseline_state,
    }


def _fact(fact: FactRef) -> dict[str, Any]:
    return {"path": fact.path, "value": fact.value, "line": fact.line}
