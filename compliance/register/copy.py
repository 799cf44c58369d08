"""`aicomply register copy --from A --to B`: move a register between backends (a SQLite file to
the organisation's PostgreSQL, or back) without losing or forging a record.

The source is verified first (chain and bodies), then its records stream into the target in one
transaction (records the target already holds must match: copying twice adds nothing), then the
target is verified. A copy that fails writes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from compliance.register.interface import RegisterError
from compliance.register.records import verify
from compliance.register.store import opened


@dataclass(frozen=True)
class Copied:
    source: str
    target: str
    added: int
    present: int
    head: str


def copy(source: str, target: str) -> Copied:
    with opened(source, readonly=True) as origin:
        verdict = verify(origin.records())
        if not verdict.ok:
            raise RegisterError(f"{origin.location}: record {verdict.broken_at} does not verify ({verdict.problem}); "
                                "nothing was copied (see `aicomply verify`)")
        with opened(target, create=True) as destination:
            if destination.location == origin.location:
                raise RegisterError(f"{origin.location}: --from and --to name the same register")
            before = verify(destination.records())
            if not before.ok:
                raise RegisterError(f"{destination.location}: record {before.broken_at} of the target does not verify "
                                    f"({before.problem}); nothing was copied")
            # Only the records verified above: a writer may append to the source meanwhile.
            added, present = destination.extend(r for r in origin.records() if r.seq <= verdict.count)
            after = verify(destination.records())
            if not after.ok or after.count < verdict.count:
                raise RegisterError(f"{destination.location}: the copy does not verify (record {after.broken_at}: "
                                    f"{after.problem}); restore the target from an export")
    return Copied(origin.location, destination.location, added, present, verdict.head)
