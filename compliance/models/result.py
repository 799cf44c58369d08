"""What a check produces: one FileResult per declaration, streamed to reporters with a RunInfo.

Plain frozen dataclasses: they are built thousands of times per run and read by every reporter.
Texts are kept in both languages (Text) so a reporter picks the language; reporters only read.
The JSON form is specified by schemas/report-v1.schema.json.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
    from compliance.declaration.facts import MISSING

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
    fingerprint: str = ""  # stable across edits that move lines: product, rule and fact
    waiver: WaiverRef | None = None  # set when an unexpired waiver covers the finding
    baseline_state: str | None = None  # compared with a baseline: "new", or "unchanged" (prohibited ones only; others are dropped)


@dataclass(frozen=True, slots=True)
class WaiverRef:
    """The waiver that covers a finding, as reported."""

    justification: str
    approver: str
    expires: str
    source: str  # file:line of the waiver


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
    """The smallest change the product team could make (safeguards, practices, data minimisation)
    that would move the grade down, and to what. Never a change of what the product is."""

    to: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class FileResult:
    path: str
    sha256: str | None
    kind: str = "declaration"  # or "waivers": problems found in a waiver file
    product_id: str | None = None
    product_version: str | None = None
    product_name: Text | None = None
    risk_level: str | None = None  # None when the declaration is invalid
    reasons: tuple[Reason, ...] = ()
    drivers: tuple[FactRef, ...] = ()
    lowering: Lowering | None = None
    outside_control: tuple[FactRef, ...] = ()  # grade drivers that say what the product is (identity facts)
    findings: tuple[Finding, ...] = ()
    obligations: tuple[ObligationStatus, ...] = ()
    waivers: tuple = ()  # waivers the declaration itself carries (compliance.gate.waivers.Waiver), not reported

    @property
    def valid(self) -> bool:
        """A declaration that could be graded; a waiver file's result is never a grade."""
        return self.risk_level is not None or self.kind != "declaration"

    def count(self, severity: str) -> int:
        """Findings of a severity that count: waived ones do not."""
        return sum(1 for finding in self.findings if finding.severity == severity and finding.waiver is None)


@dataclass(frozen=True)
class RunInfo:
    """What reporters need besides the results: the tool, the rules and the threshold."""

    tool_version: str
    packs: tuple[tuple[str, str], ...]  # (id, version), the main pack first
    fail_on: str
    rules: tuple = ()  # every Rule in force, for catalogues such as SARIF's rules[]
    baseline: str | None = None  # the baseline file compared against, if any
    total: int = 0  # declarations the run will check (progress)
    inputs: Any = field(default=None, compare=False, repr=False)  # files the run reads (compliance.files.Protected):
    # not for reporters; where the run writes, it never writes over one of these

    @property
    def pack_id(self) -> str:
        return self.packs[0][0]

    @property
    def pack_version(self) -> str:
        return self.packs[0][1]

    def failed(self, result: FileResult) -> bool:
        """Whether one file fails the gate: invalid, or a counted finding at or above --fail-on."""
        if not result.valid:
            return True
        threshold = SEVERITY_RANK[self.fail_on]
        return any(SEVERITY_RANK[f.severity] >= threshold and f.waiver is None for f in result.findings)


INTERNAL_RULE = "DECL-INTERNAL"  # aicomply's own fault on one file (compliance/tool_rules.py): the run exits 2


@dataclass
class Tally:
    """Counts kept while results stream past, so no result needs to stay in memory."""

    files: int = 0
    invalid: int = 0
    high: int = 0
    medium: int = 0
    low: int = 0
    error: int = 0
    warning: int = 0
    info: int = 0
    waived: int = 0
    failed: int = 0
    internal: int = 0  # files aicomply itself failed on (DECL-INTERNAL): the run exits 2; not in reports

    def add(self, result: FileResult, failed: bool) -> None:
        if result.kind == "declaration":
            self.files += 1
            if result.risk_level is None:
                self.invalid += 1
            else:
                setattr(self, result.risk_level, getattr(self, result.risk_level) + 1)
        for finding in result.findings:
            if finding.waiver is not None:
                self.waived += 1
            else:
                setattr(self, finding.severity, getattr(self, finding.severity) + 1)
        self.failed += failed
        self.internal += any(finding.rule_id == INTERNAL_RULE for finding in result.findings)

    @property
    def gate_failed(self) -> bool:
        return self.failed > 0

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in
                ("files", "invalid", "high", "medium", "low", "error", "warning", "info", "waived", "failed")}
