"""Register records: their canonical form, their hash, and the chain check. Pure functions.

A record's hash covers its sequence number, time, kind, product, body (canonical JSON: sorted
keys, no spaces, UTF-8) and the previous record's hash, so changing, removing, inserting or
reordering any record breaks the chain from that record on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any

GENESIS = "0" * 64
# What records mean: their fields, hash and bodies (kinds.py). Exports carry it; a backend's
# storage layout has its own version (interface.SCHEMA_VERSION).
RECORD_SCHEMA = 1
KINDS = ("check", "document", "incident", "review")
MAX_SEQ = 2**63 - 1  # SQLite's and PostgreSQL's largest integer
_TEXT_FIELDS = ("at", "kind", "product", "prev", "hash")


@dataclass(frozen=True)
class Record:
    seq: int
    at: str  # UTC, ISO 8601 to the microsecond with Z
    kind: str
    product: str
    body: str  # canonical JSON
    prev: str
    hash: str

    def data(self) -> dict[str, Any]:
        return json.loads(self.body)

    def with_hash(self, value: str) -> Record:
        return replace(self, hash=value)

    def as_export(self) -> dict[str, Any]:
        return {"seq": self.seq, "at": self.at, "kind": self.kind, "product": self.product,
                "body": self.data(), "prev": self.prev, "hash": self.hash}


def bodies(records: Iterable[Record]) -> dict[int, dict]:
    """Each record's body by sequence number; a check that repeats an earlier one (`same_as`,
    see recording.py) gets that one's body, marked with its own source and `same_as`."""
    out: dict[int, dict] = {}
    for record in records:
        body = record.data()
        if record.kind == "check" and "same_as" in body:
            from compliance.register.interface import repeated

            body = repeated(out[body["same_as"]], body)
        out[record.seq] = body
    return out


def same_as(record: Record) -> int | None:
    """The check a repeat record stands for, None for every other record."""
    if record.kind != "check" or '"same_as":' not in record.body:
        return None
    value = json.loads(record.body).get("same_as")
    return value if isinstance(value, int) else None


def canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def record_hash(record: Record) -> str:
    material = "\n".join((str(record.seq), record.at, record.kind, record.product, record.prev, record.body))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Verdict:
    count: int  # records read
    head: str  # hash of the last good record
    broken_at: int | None = None  # the first record that does not verify
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify(records: Iterable[Record]) -> Verdict:
    """Walk the chain from the first record; stop at the first that does not verify."""
    expected_seq, prev, count, before = 1, GENESIS, 0, GENESIS
    checks: dict[int, str] = {}
    for record in records:
        if record.seq != expected_seq:
            return Verdict(count, prev, expected_seq, f"record {expected_seq} is missing (the next one is {record.seq})")
        if record.prev != prev:
            if expected_seq == 1:
                return Verdict(count, prev, 1, "it does not start the chain")
            # The previous record verified against its own (rewritten) hash; this one still holds the old one.
            return Verdict(count - 1, before, expected_seq - 1,
                           "it was changed and its hash rewritten (the next record still links to the original)")
        if record_hash(record) != record.hash:
            return Verdict(count, prev, expected_seq, "its content does not match its hash (changed after it was written)")
        problem = content_problem(record, checks)
        if problem:
            return Verdict(count, prev, expected_seq, problem)
        expected_seq, before, prev, count = expected_seq + 1, prev, record.hash, count + 1
    return Verdict(count, prev)


def content_problem(record: Record, checks: dict[int, str]) -> str | None:
    """Why a record, though its hash is right, holds what the readers cannot use; None when it is
    sound. `checks` maps the full checks seen so far to their product (updated here): a repeat
    must point back to one of the same product."""
    from compliance.register.kinds import body_problem, record_problem

    problem = record_problem(record.product, record.at) or body_problem(record.kind, record.body)
    if problem or record.kind != "check":
        return problem
    same_as = json.loads(record.body).get("same_as")
    if same_as is None:
        checks[record.seq] = record.product
    elif checks.get(same_as) != record.product:
        return f"it repeats record {same_as}, which is not an earlier full check of {record.product}"
    return None


def anchored(records: Iterable[Record], anchor: str | None, found: list[int]) -> Iterator[Record]:
    """The records unchanged, noting in `found` the sequence number of the one whose hash is
    `anchor` (a head kept elsewhere), so one pass verifies the chain and finds the anchor."""
    for record in records:
        if record.hash == anchor:
            found.append(record.seq)
        yield record


def parse_export_line(line: str, number: int, display: str) -> Record:
    """One line of an export file back into a record (its hash is checked by verify)."""
    from compliance.register.interface import RegisterError

    try:
        item = json.loads(line)
        if not isinstance(item, dict) or not all(isinstance(item.get(key), str) for key in _TEXT_FIELDS):
            raise ValueError("seq, at, kind, product, body, prev and hash are required")
        if not isinstance(item.get("seq"), int) or not 1 <= item["seq"] <= MAX_SEQ:
            raise ValueError(f"seq must be a whole number from 1 to {MAX_SEQ}")
        if not isinstance(item.get("body"), dict):
            raise ValueError("body must be a JSON object")
        record = Record(item["seq"], item["at"], item["kind"], item["product"], canonical(item["body"]),
                        item["prev"], item["hash"])
    except RecursionError:
        raise RegisterError(f"{display}:{number}: not a register export record (nested too deeply)") from None
    except ValueError as exc:
        raise RegisterError(f"{display}:{number}: not a register export record ({exc})") from None
    return record
