"""`aicomply diff OLD NEW`: what changed between two assessments of a product, and whether it
demands a new ex-ante assessment. Pure functions over results in the JSON report's form.

A side is a declaration file (checked now) or a recorded check (as it was recorded). The diff
names the grade change with the reasons that appeared or went and the declared facts behind
them, findings added and cleared, obligations newly due. It demands re-assessment (exit 1)
when the grade rises, a declaration becomes invalid, or an unwaived error appears.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from compliance.models.result import LEVEL_RANK


@dataclass(frozen=True)
class Side:
    label: str  # how the user named it: a path, @SEQ, PRODUCT~N
    result: dict  # the result in the JSON report's form
    data: Any  # the declaration's data, or None when it could not be parsed
    packs: tuple[tuple[str, str], ...] = ()


@dataclass
class Diff:
    old: Side
    new: Side
    grade: str  # raised | lowered | unchanged | invalid | fixed
    reasons_added: list[dict] = field(default_factory=list)
    reasons_removed: list[dict] = field(default_factory=list)
    facts: list[tuple[str, Any, Any]] = field(default_factory=list)  # declared facts the grade reads that changed
    other_facts: int = 0  # declared values that changed but no reason reads
    findings_added: list[dict] = field(default_factory=list)
    findings_cleared: list[dict] = field(default_factory=list)
    obligations_due: list[tuple[dict, str]] = field(default_factory=list)  # (obligation, old status)
    obligations_met: list[tuple[dict, str]] = field(default_factory=list)

    @property
    def demands_reassessment(self) -> bool:
        new_error = any(f["severity"] == "error" and f.get("waiver") is None for f in self.findings_added)
        return self.grade in ("raised", "invalid") or new_error

    @property
    def rules_changed(self) -> bool:
        return bool(self.old.packs and self.new.packs and self.old.packs != self.new.packs)

    @property
    def changed(self) -> bool:
        return bool(self.grade != "unchanged" or self.reasons_added or self.reasons_removed or self.findings_added
                    or self.findings_cleared or self.obligations_due or self.obligations_met)


def diff(old: Side, new: Side) -> Diff:
    result = Diff(old, new, _grade_change(old.result, new.result))
    result.reasons_added, result.reasons_removed = _split(old.result["reasons"], new.result["reasons"], _reason_key)
    result.findings_added, result.findings_cleared = _split(old.result["findings"], new.result["findings"], _finding_key)
    result.facts, result.other_facts = _fact_changes(old, new)
    result.obligations_due, result.obligations_met = _obligation_changes(old.result, new.result)
    return result


def _grade_change(old: dict, new: dict) -> str:
    before, after = old.get("risk_level"), new.get("risk_level")
    if after is None:
        return "unchanged" if before is None else "invalid"
    if before is None:
        return "fixed"
    if LEVEL_RANK[after] > LEVEL_RANK[before]:
        return "raised"
    return "lowered" if LEVEL_RANK[after] < LEVEL_RANK[before] else "unchanged"


def _reason_key(reason: dict) -> tuple:
    return reason["rule_id"], reason["level"]


def _finding_key(finding: dict) -> tuple:
    # Not the fingerprint: it includes the product id, which may be what changed.
    return finding["rule_id"], finding.get("fact") or "", finding["message"] if finding["kind"] == "declaration" else ""


def _split(old: list[dict], new: list[dict], key) -> tuple[list[dict], list[dict]]:
    old_keys, new_keys = {key(item) for item in old}, {key(item) for item in new}
    return [item for item in new if key(item) not in old_keys], [item for item in old if key(item) not in new_keys]


def _fact_changes(old: Side, new: Side) -> tuple[list[tuple[str, Any, Any]], int]:
    """Declared values that differ, split into those a grading reason or finding reads and the rest."""
    if old.data is None or new.data is None:
        return [], 0
    before, after = flatten(old.data), flatten(new.data)
    changed = sorted(path for path in before.keys() | after.keys() if before.get(path, _ABSENT) != after.get(path, _ABSENT))
    read = _read_paths(old.result) | _read_paths(new.result)
    relevant = [path for path in changed if any(path == r or path.startswith(r + ".") for r in read)]
    return [(path, before.get(path, _ABSENT), after.get(path, _ABSENT)) for path in relevant], len(changed) - len(relevant)


def _read_paths(result: dict) -> set[str]:
    paths = {fact["path"] for reason in result["reasons"] for fact in reason["facts"]}
    paths |= {fact["path"] for fact in result["drivers"]}
    paths |= {finding["fact"] for finding in result["findings"] if finding.get("fact")}
    return paths


class _Absent:
    def __repr__(self) -> str:
        return "(not stated)"


_ABSENT = _Absent()


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Dotted paths to values; lists are values (their order and items are the fact)."""
    if isinstance(data, dict):
        flat: dict[str, Any] = {}
        for key, value in data.items():
            flat.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    return {prefix: data}


def _obligation_changes(old: dict, new: dict) -> tuple[list[tuple[dict, str]], list[tuple[dict, str]]]:
    """Obligations that now apply and are unmet, or newly apply; and those now met or no longer due."""
    before = {o["id"]: o["status"] for o in old["obligations"]}
    due, met = [], []
    for obligation in new["obligations"]:
        was = before.get(obligation["id"], "not_applicable")
        now = obligation["status"]
        if now == was:
            continue
        if now == "unmet" or (now == "met" and was == "not_applicable"):
            due.append((obligation, was))
        else:
            met.append((obligation, was))
    return due, met


def is_absent(value: Any) -> bool:
    return value is _ABSENT
