"""SARIF 2.1.0 for code-scanning dashboards (GitHub, GitLab, Azure DevOps).

One rules[] entry per rule id, with its article, English help and a Chinese translation in
properties; levels mapped from severity; a region with the start line; waived findings carry a
suppression with the justification; fingerprints are stable across edits that move lines.
Results are written as they arrive; per-file grades go in artifacts[] at the end.
"""

from __future__ import annotations

import json
from typing import Any

from compliance.models.result import FileResult, Finding, RunInfo, Tally
from compliance.tool_rules import TOOL_RULES

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT_KEY = "aicomply/v1"


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class SarifReporter:
    def __init__(self, info: RunInfo, lang: str = "en") -> None:
        self.info = info
        self.lang = lang
        self.catalogue = tuple(info.rules) + TOOL_RULES
        self.index = {rule.id: position for position, rule in enumerate(self.catalogue)}
        self.first = True
        self.artifacts: list[dict[str, Any]] = []

    def begin(self) -> str:
        driver = {
            "name": "aicomply",
            "version": self.info.tool_version,
            "semanticVersion": self.info.tool_version,
            "informationUri": "https://aicomply.dev",
            "rules": [_rule_descriptor(rule) for rule in self.catalogue],
        }
        extensions = [{"name": pack_id, "version": version} for pack_id, version in self.info.packs]
        tool = {"driver": driver, "extensions": extensions}
        head = {"$schema": SARIF_SCHEMA, "version": "2.1.0"}
        return _dumps(head)[:-1] + ',"runs":[{"tool":' + _dumps(tool) + ',"results":['

    def result(self, result: FileResult, failed: bool) -> str:
        self.artifacts.append(_artifact(result))
        parts = []
        for finding in result.findings:
            parts.append(_dumps(self._result(result, finding)))
        if not parts:
            return ""
        text = ("" if self.first else ",") + ",".join(parts)
        self.first = False
        return text

    def end(self, tally: Tally) -> str:
        properties = {"summary": tally.as_dict(), "gate": "failed" if tally.gate_failed else "passed",
                      "failOn": self.info.fail_on}
        if self.info.baseline:
            properties["baseline"] = self.info.baseline
        return f'],"artifacts":{_dumps(self.artifacts)},"properties":{_dumps(properties)}}}]}}\n'

    def _result(self, result: FileResult, finding: Finding) -> dict[str, Any]:
        location: dict[str, Any] = {"artifactLocation": {"uri": result.path}}
        if finding.line is not None:
            region: dict[str, Any] = {"startLine": finding.line}
            if finding.column is not None:
                region["startColumn"] = finding.column
            location["region"] = region
        entry: dict[str, Any] = {
            "ruleId": finding.rule_id,
            "ruleIndex": self.index[finding.rule_id],
            "level": LEVEL[finding.severity],
            "message": {"text": finding.message(self.lang)},
            "locations": [{"physicalLocation": location}],
            "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
            "properties": {
                "article": finding.article(self.lang) if finding.article else None,
                "productId": result.product_id,
                "riskLevel": result.risk_level,
                "assumed": finding.assumed,
            },
        }
        if finding.waiver is not None:
            entry["suppressions"] = [{
                "kind": "external",
                "status": "accepted",
                "justification": finding.waiver.justification,
                "properties": {"approver": finding.waiver.approver, "expires": finding.waiver.expires,
                               "source": finding.waiver.source},
            }]
        if finding.baseline_state is not None:
            entry["baselineState"] = finding.baseline_state
        return entry


def _rule_descriptor(rule) -> dict[str, Any]:
    citations_en = [c.en for c in rule.citations]
    help_en = rule.rationale.en + ("\n\nWhat to do: " + rule.remedy.en if rule.remedy else "")
    if citations_en:
        help_en += "\n\nCites: " + "; ".join(citations_en)
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.split("-")),
        "shortDescription": {"text": rule.title.en},
        "fullDescription": {"text": rule.rationale.en},
        "help": {"text": help_en},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {
            "kind": rule.kind,
            "family": rule.family,
            "article": rule.article.en if rule.article else None,
            "citations": citations_en,
            "tags": _tags(rule),
            "zh": {
                "title": rule.title.zh,
                "help": rule.rationale.zh + (("\n\n处理建议：" + rule.remedy.zh) if rule.remedy else ""),
                "article": rule.article.zh if rule.article else None,
                "citations": [c.zh for c in rule.citations],
            },
        },
    }
    return descriptor


def _tags(rule) -> list[str]:
    tags = ["compliance", f"kind:{rule.kind}"]
    if rule.art72_item:
        tags.append(f"art72-item-{rule.art72_item}")
    return tags


def _artifact(result: FileResult) -> dict[str, Any]:
    return {
        "location": {"uri": result.path},
        "hashes": {"sha-256": result.sha256} if result.sha256 else {},
        "properties": {"kind": result.kind, "productId": result.product_id, "riskLevel": result.risk_level},
    }
