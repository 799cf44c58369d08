"""Waivers: a finding accepted for a time, with a reason and an approver.

A waiver names a rule, a product, a justification, an approver and the last day it holds. It
comes from a waiver file (.aicomply-waivers.yaml, schemas/waivers-v1.schema.json) or from a
declaration's own `waivers:` list. What a waiver does:

- covers a matching finding, which is then reported as waived and no longer fails the gate;
- past its last day: an error, and the finding counts again;
- within 30 days of its last day: a warning;
- on an Art. 72 prohibited behaviour: an error, the finding stands (the product is corrected);
- on a rule id that is not in the rule packs: an error;
- on a product that was checked but had no such finding: a warning (unused).

Problems of waivers from a file are reported on the waiver file, as a result of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from compliance.errors import ChecklistError
from compliance.models.result import FileResult, Finding, WaiverRef
from compliance.models.rules import Rule, Text
from compliance.tool_rules import TOOL_RULE_BY_ID

EXPIRY_WARNING_DAYS = 30
WAIVER_FILE = ".aicomply-waivers.yaml"
WAIVERS_SCHEMA = "waivers-v1.schema.json"


@dataclass(frozen=True)
class Waiver:
    rule: str
    product: str
    justification: str
    approver: str
    expires: str
    path: str  # the file it is written in
    line: int | None

    @property
    def source(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def ref(self) -> WaiverRef:
        return WaiverRef(self.justification, self.approver, self.expires, self.source)


def load_waiver_file(path: Path, display: str) -> tuple[Waiver, ...]:
    """Waivers from a waiver file; a file that is unreadable or breaks its schema stops the run."""
    from compliance.declaration.validate import read_checked

    document = read_checked(path, display, WAIVERS_SCHEMA, "waiver file")
    return tuple(
        Waiver(item["rule"], item["product"], item["justification"], item["approver"], item["expires"],
               display, _line(document, ("waivers", index)))
        for index, item in enumerate(document.data["waivers"])
    )


def declared_waivers(document, product_id: str) -> tuple[Waiver, ...]:
    """The `waivers:` a valid declaration carries for its own product."""
    return tuple(
        Waiver(item["rule"], product_id, item["justification"], item["approver"], item["expires"],
               document.path, _line(document, ("waivers", index)))
        for index, item in enumerate(document.data.get("waivers", ()))
    )


def _line(document, path: tuple) -> int | None:
    where = document.locate(path)
    return where[0] if where else None


class WaiverBook:
    """Applies waivers to results as they stream past and remembers which ones were used."""

    def __init__(self, file_waivers: tuple[Waiver, ...], rules: dict[str, Rule], today: date,
                 file_display: str | None = None) -> None:
        self.file_waivers = file_waivers
        self.rules = rules
        self.today = today
        self.file_display = file_display
        self.used: set[Waiver] = set()
        self.checked_products: set[str] = set()

    def apply(self, result: FileResult) -> FileResult:
        if result.kind != "declaration" or result.product_id is None:
            return result
        self.checked_products.add(result.product_id)
        if not result.valid:
            return result  # an invalid declaration is fixed, not waived
        declared = result.waivers
        candidates = [w for w in self.file_waivers if w.product == result.product_id] + list(declared)
        findings = [self._waive(finding, candidates) for finding in result.findings]
        for waiver in declared:
            problems = self._problems(waiver)
            if not problems and waiver not in self.used:
                problems = [_unused(waiver)]
            findings.extend(problems)
        return replace(result, findings=tuple(findings))

    def _waive(self, finding: Finding, candidates: list[Waiver]) -> Finding:
        for waiver in candidates:
            if waiver.rule != finding.rule_id:
                continue
            self.used.add(waiver)
            rule = self.rules.get(finding.rule_id)
            if rule is None or rule.kind == "prohibited" or self._expired(waiver):
                return finding
            return replace(finding, waiver=waiver.ref())
        return finding

    def _expired(self, waiver: Waiver) -> bool:
        return date.fromisoformat(waiver.expires) < self.today

    def _problems(self, waiver: Waiver) -> list[Finding]:
        """What is wrong with one waiver in itself (not whether it was used)."""
        rule = self.rules.get(waiver.rule)
        if rule is None:
            return [_finding("WAIVER-UNKNOWN-RULE", waiver,
                             Text(f"{waiver.rule} is not a rule of the rule packs in use; this waiver covers nothing",
                                  f"{waiver.rule} 不是所用规则包中的规则，该豁免不覆盖任何问题"))]
        if rule.kind == "prohibited":
            return [_finding("WAIVER-PROHIBITED", waiver,
                             Text(f"{waiver.rule} is an Art. 72 prohibited behaviour and cannot be waived; "
                                  "correct the product (or the declaration, if it is wrong) and delete this waiver",
                                  f"{waiver.rule} 属于第七十二条禁止行为，不得豁免；请整改产品（如申报有误则更正申报）并删除该豁免"))]
        days = (date.fromisoformat(waiver.expires) - self.today).days
        if days < 0:
            return [_finding("WAIVER-EXPIRED", waiver,
                             Text(f"waiver of {waiver.rule} for {waiver.product} expired on {waiver.expires}; "
                                  "the finding counts again",
                                  f"{waiver.product} 的 {waiver.rule} 豁免已于 {waiver.expires} 到期，该问题重新计入"))]
        if days <= EXPIRY_WARNING_DAYS:
            when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
            return [_finding("WAIVER-EXPIRING", waiver,
                             Text(f"waiver of {waiver.rule} for {waiver.product} ends {when} ({waiver.expires})",
                                  f"{waiver.product} 的 {waiver.rule} 豁免将于 {waiver.expires} 到期（剩余 {days} 天）"))]
        return []

    def file_result(self) -> FileResult | None:
        """Problems of the waiver file's own waivers, reported once all declarations are seen."""
        if self.file_display is None:
            return None
        findings = [problem for waiver in self.file_waivers for problem in self._problems(waiver)]
        for waiver in self.file_waivers:
            if waiver not in self.used and waiver.product in self.checked_products and waiver.rule in self.rules:
                findings.append(_unused(waiver))
        findings.sort(key=lambda f: (f.line or 0, f.rule_id))
        return FileResult(self.file_display, None, kind="waivers", findings=tuple(findings))


def _unused(waiver: Waiver) -> Finding:
    return _finding("WAIVER-UNUSED", waiver,
                    Text(f"no {waiver.rule} finding of {waiver.product} to waive; "
                         "remove the waiver or correct its rule or product",
                         f"{waiver.product} 没有可豁免的 {waiver.rule} 问题；请删除该豁免或更正规则与产品"))


def _finding(rule_id: str, waiver: Waiver, message: Text) -> Finding:
    rule = TOOL_RULE_BY_ID[rule_id]
    return Finding(rule_id, "waiver", rule.severity, rule.title, message, None, remedy=rule.remedy,
                   line=waiver.line, fact=f"waivers:{waiver.rule}:{waiver.product}")


def rules_by_id(rules: tuple[Rule, ...]) -> dict[str, Rule]:
    ids: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in ids:
            raise ChecklistError(f"rule id {rule.id} is defined twice across rule packs")
        ids[rule.id] = rule
    return ids
