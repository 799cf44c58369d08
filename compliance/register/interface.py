"""The storage interface of the register: what every backend (sqlite.py, postgresql.py) offers,
and the layer's base error. Everything above it (recording, history, due, verify, export, copy)
works through these methods only, so the two backends give the same results byte for byte.

Guarantees every implementation keeps:
- records are append-only (the database refuses UPDATE and DELETE), hash-chained (records.py);
- `append` serialises writers, so the chain stays linear however many write at once, and a
  failed or interrupted append leaves no trace;
- `extend` writes all of its records in one transaction, or none;
- reading methods stream in chain order and never hold more than a few records in memory.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator

from compliance.errors import ToolError
from compliance.register.records import GENESIS, Record, canonical, record_hash, utc_now

SCHEMA_VERSION = 2  # of the record store; an export names the one it came from


class RegisterError(ToolError):
    """The register cannot be used: missing, foreign, damaged, unreachable, not allowed, or from a
    newer aicomply (exit 2). Always one line, and nothing was recorded by the failed step."""


class Register(ABC):
    """One register: a SQLite file or a PostgreSQL database."""

    location: str  # how messages name it (a path, or a URL without its password)

    # ------------------------------------------------------------------ writing

    def append(self, kind: str, product: str, body: dict, at: str | None = None) -> Record:
        """Add one record at the end of the chain, in its own transaction. A body that is not one
        of its kind is a bug here, never written (the chain would no longer verify)."""
        from compliance.register.kinds import body_problem, record_problem

        text = canonical(body)
        problem = record_problem(product, "2000-01-01T00:00:00.000000Z") or body_problem(kind, text)
        if problem:
            raise RegisterError(f"{self.location}: refusing to record a {kind} of {product}: {problem}")

        def make(seq: int, prev: str) -> Record:
            record = Record(seq + 1, at or utc_now(), kind, product, text, prev, "")
            return record.with_hash(record_hash(record))

        return self._append(make)

    @abstractmethod
    def _append(self, make) -> Record:
        """Under the writers' lock, in one transaction: read the head (seq, hash), insert
        make(seq, hash), commit; return the record."""

    @abstractmethod
    def extend(self, records: Iterable[Record]) -> tuple[int, int]:
        """Records of another copy of this chain, in order from 1, in one transaction: those already
        here must match (else RegisterError, nothing written), the rest are appended (idempotent).
        Returns (added, already present)."""

    def _extend_with(self, records: Iterable[Record], count: int, hash_at, insert) -> tuple[int, int]:
        """The shared rule of extend, given this store's head count and two primitives."""
        added = present = 0
        for record in records:
            if record.seq <= count:
                if hash_at(record.seq) != record.hash:
                    raise RegisterError(f"{self.location}: the records diverge from this register at record "
                                        f"{record.seq}; nothing was written")
                present += 1
            else:
                insert(record)
                added += 1
        return added, present

    # ------------------------------------------------------------------ reading

    @abstractmethod
    def records(self, product: str | None = None, kind: str | None = None, since: int = 0,
                full_checks: bool = False) -> Iterator[Record]:
        """Records in chain order after `since`, optionally of one product and kind; with
        `full_checks`, only checks that are not repeats of an earlier one."""

    @abstractmethod
    def overview(self) -> Iterator[Record]:
        """Every record but the repeats, and each product's latest check (repeat or not), in chain
        order: all that `due` and the portfolio read, in two queries however long the chain."""

    @abstractmethod
    def record(self, seq: int) -> Record | None: ...

    @abstractmethod
    def products(self) -> list[str]: ...

    @abstractmethod
    def latest(self, product: str, kind: str, before: int | None = None, full: bool = False) -> Record | None:
        """The last record of a product and kind (with `full`, the last full check)."""

    @abstractmethod
    def first(self, product: str, kind: str) -> Record | None: ...

    @abstractmethod
    def head(self) -> tuple[int, str]:
        """(number of records, hash of the last; GENESIS when empty)."""

    def count(self) -> int:
        return self.head()[0]

    @abstractmethod
    def close(self) -> None: ...

    def body(self, record: Record) -> dict:
        """A record's body, with a repeated check's body taken from the check it repeats."""
        body = record.data()
        if record.kind == "check" and "same_as" in body:
            original = self.record(body["same_as"])
            if original is None or original.kind != "check" or original.product != record.product:
                raise RegisterError(f"{self.location}: record {record.seq} repeats record {body['same_as']}, "
                                    "which is not a check of the same product; run `aicomply verify`")
            return repeated(original.data(), body)
        return body


def repeated(original: dict, repeat: dict) -> dict:
    """The body a repeat stands for: the original's, with the repeat's own source and path."""
    out = dict(original, source=repeat["source"], same_as=repeat["same_as"])
    if repeat.get("path") is not None and repeat["path"] != original["declaration"]["path"]:
        out["declaration"] = dict(original["declaration"], path=repeat["path"])
        out["result"] = dict(original["result"], path=repeat["path"])
    return out


__all__ = ["GENESIS", "SCHEMA_VERSION", "Register", "RegisterError", "repeated"]
