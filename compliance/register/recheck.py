"""`aicomply recheck`: every product's latest recorded declaration judged again by the rule packs
in force now, compared with what was recorded. A rule-pack release that changes a grade or a
finding shows up here before anyone edits a declaration, with why: a rule the pack removed says
what replaced it and for what reason."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from compliance import __version__
from compliance.models.result import RunInfo
from compliance.models.rules import RemovedRule
from compliance.register.diff import Diff, diff
from compliance.register.entries import check_body
from compliance.register.sides import side_from_record, side_from_result


@dataclass(frozen=True)
class Rechecked:
    product: str
    seq: int  # the check record judged again
    diff: Diff
    recorded: int | None = None  # the new check record, when --record stored it
    removed: tuple[RemovedRule, ...] = ()  # rules behind the change that the pack has since removed, and why


def recheck(register, pack, on: date, record: bool = False) -> Iterator[Rechecked]:
    from compliance.gate.waivers import WaiverBook, rules_by_id
    from compliance.pipeline import check_bytes, fingerprinted

    info = RunInfo(__version__, pack.packs, "error")
    for product in register.products():
        latest = register.latest(product, "check")
        if latest is None:
            continue
        body = register.body(latest)
        declaration = body["declaration"]
        content = declaration["content"]
        result = check_bytes(content.encode("utf-8"), declaration["path"], declaration["format"], pack)
        # The declaration's own waivers, judged today; a waiver file belongs to a checkout, not the register.
        result = fingerprinted(WaiverBook((), rules_by_id(pack.rules), on, None).apply(result))
        change = diff(side_from_record(body, f"@{latest.seq}"), side_from_result(body, result, pack.packs, "now"))
        stored = None
        if record and change.changed:
            stored = register.append("check", product, check_body(result, info, content, source="recheck")).seq
        yield Rechecked(product, latest.seq, change, stored, _removed_behind(change, pack))


def _removed_behind(change: Diff, pack) -> tuple[RemovedRule, ...]:
    """The removed rules whose reasons or findings went away: the pack's own account of why."""
    gone = {item["rule_id"] for item in change.reasons_removed + change.findings_cleared}
    return tuple(rule for rule in pack.removed if rule.id in gone)
