"""What a check produces: one FileResult per declaration, gathered in a RunResult.

Plain frozen dataclasses: they are built thousands of times per run and read by every reporter.
Texts are kept in both languages (Text) so a reporter picks the language; reporters only read.
The JSON form is specified by schemas/report-v1.schema.json.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from compliance.models.rules import LEVELS, SEVERITIES, Text

SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}  # info < warning < error
LEVEL_RANK = {name: rank for rank, name in enumerate(LEVELS)}  # low < medium < high


@dataclass(frozen=True, slots=True)
class FactRef:
    """A declared fact as the evaluator saw it: dotted path, value, line in the file."""

    path: str
    value: Any
    line: int | None = None

    @property
    def unknown(self) -> bool:
        return _is_unknown(self.value)


def _is_unknown(value: Any) -> bool:
    from compliance.facts import MISSING

    return value is MISSING or value == "unknown"


@dataclass(frozen=True, slots=True)
class Reason:
    """One grading rule that fired: the level it gives and the facts behind it."""

    rule_id: str
    level: str  # high | medium | raise
    title: Text
    message: Text
    article: Text
    citations: tuple[Text, ...]
    facts: tuple[FactRef, ...]
    assumed: bool  # fired only because a fact is unknown (fail closed)


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    kind: str  # prohibited | indicator | obligation | grade | declaration
    severity: str  # error | warning | info
    title: Text
    message: Text
    article: Text | None
    citations: tuple[Text, ...] = ()
    remedy: Text | None = None
    line: int | None = None
    column: int | None = None
    fact: str | None = None
    facts: tuple[FactRef, ...] = ()
    assumed: bool = False
    art72_item: int | None = None


@dataclass(frozen=True, slots=True)
class ObligationStatus:
    id: str
    status: str  # met | unmet | not_applicable
    mandatory: bool
    title: Text
    article: Text
    citations: tuple[Text, ...]
    remedy: Text | None
    document: str | None
    assumed: bool  # applies (or is unmet) only because a fact is unknown


@dataclass(frozen=True, slots=True)
class Change:
    fact: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class Lowering:
    """The smallest change of declared facts that would move the grade down, and to what."""

    to: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class FileResult:
    path: str
    sha256: str | None
    product_id: str | None = None
    product_version: str | None = None
    product_name: Text | None = None
    risk_level: str | None = None  # None when the declaration is invalid
    reasons: tuple[Reason, ...] = ()
    drivers: tuple[FactRef, ...] = ()
    lowering: Lowering | None = None
    findings: tuple[Finding, ...] = ()
    obligations: tuple[ObligationStatus, ...] = ()

    @property
    def valid(self) -> bool:
        return self.risk_level is not None

    def worst(self) -> str | None:
        """The most severe finding's severity, or None without findings."""
        if not self.findings:
            return None
        return max((f.severity for f in self.findings), key=SEVERITY_RANK.__getitem__)

    def count(self, severity: str) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)


@dataclass(frozen=True)
class RunResult:
    results: tuple[FileResult, ...]
    tool_version: str
    pack_id: str
    pack_version: str
    fail_on: str

    def failed(self, result: FileResult) -> bool:
        """Whether one file fails the gate: invalid, or a finding at or above --fail-on."""
        if not result.valid:
            return True
        threshold = SEVERITY_RANK[self.fail_on]
        return any(SEVERITY_RANK[f.severity] >= threshold for f in result.findings)

    @property
    def gate_failed(self) -> bool:
        return any(self.failed(result) for result in self.results)

    def summary(self) -> dict[str, int]:
        counts = {"files": len(self.results), "invalid": 0, "high": 0, "medium": 0, "low": 0,
                  "error": 0, "warning": 0, "info": 0, "failed": 0}
        for result in self.results:
            counts[result.risk_level or "invalid"] += 1
            for severity in SEVERITIES:
                counts[severity] += result.count(severity)
            counts["failed"] += self.failed(result)
        return counts
