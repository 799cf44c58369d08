"""The register file: SQLite through the standard library, append-only, hash-chained.

Layout (schema version in PRAGMA user_version, our mark in PRAGMA application_id):

    records(seq, at, kind, product, body, prev, hash)

`seq` counts from 1 without gaps; `body` is canonical JSON; `prev` is the hash of record
seq-1 (64 zeros for the first) and `hash` the SHA-256 of the record's fields and `prev`
(records.record_hash). Triggers refuse UPDATE and DELETE. `verify` recomputes the chain, so a
record changed, removed or inserted by other means is found; the head hash it prints can be
kept elsewhere (a CI log, a commit) to anchor the whole history.

Safety:
- a file is opened only after its first 100 bytes say it is a SQLite database carrying our
  application id: a foreign or damaged file is refused before SQLite touches it;
- a new register is built beside its final path and linked into place, so no process ever sees
  a half-made one, and two processes creating it at once end up sharing one;
- every append runs in its own BEGIN IMMEDIATE transaction (writers queue, WAL mode, a generous
  busy timeout), so a crash loses at most the record being written.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from compliance.errors import ToolError
from compliance.register.kinds import body_problem, record_problem
from compliance.register.records import GENESIS, Record, canonical, record_hash, utc_now

APPLICATION_ID = 0x61694331  # "aiC1"
SCHEMA_VERSION = 1
BUSY_TIMEOUT_S = 60.0
_MAGIC = b"SQLite format 3\x00"

# Migrations: MIGRATIONS[n] takes a register from schema n-1 to n. Never edit a released one.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE records (
               seq INTEGER PRIMARY KEY,
               at TEXT NOT NULL,
               kind TEXT NOT NULL,
               product TEXT NOT NULL,
               body TEXT NOT NULL,
               prev TEXT NOT NULL,
               hash TEXT NOT NULL UNIQUE)""",
        "CREATE INDEX records_by_product ON records (product, kind, seq)",
        """CREATE TRIGGER records_append_only_update BEFORE UPDATE ON records
               BEGIN SELECT RAISE(ABORT, 'the register is append-only'); END""",
        """CREATE TRIGGER records_append_only_delete BEFORE DELETE ON records
               BEGIN SELECT RAISE(ABORT, 'the register is append-only'); END""",
    ),
}


class RegisterError(ToolError):
    """The register cannot be used: missing, foreign, damaged, or from a newer aicomply (exit 2)."""


class Register:
    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection

    # ------------------------------------------------------------------ writing

    def append(self, kind: str, product: str, body: dict, at: str | None = None) -> Record:
        """Add one record at the end of the chain, in its own transaction. A body that is not one
        of its kind is a bug here, never written (the chain would no longer verify)."""
        text = canonical(body)
        problem = record_problem(product, "2000-01-01T00:00:00.000000Z") or body_problem(kind, text)
        if problem:
            raise RegisterError(f"{self.path}: refusing to record a {kind} of {product}: {problem}")
        with self._immediate():
            seq, prev = self._head()
            record = Record(seq + 1, at or utc_now(), kind, product, text, prev, "")
            record = record.with_hash(record_hash(record))
            self._insert(record)
        return record

    def extend(self, records: list[Record]) -> tuple[int, int]:
        """Imported records: those already here must match, the rest are appended (idempotent).
        Returns (added, already present)."""
        with self._immediate():
            count, _ = self._head()
            for record in records:
                if record.seq <= count:
                    mine = self._db.execute("SELECT hash FROM records WHERE seq = ?", (record.seq,)).fetchone()
                    if mine[0] != record.hash:
                        raise RegisterError(f"{self.path}: the import diverges from this register at record "
                                            f"{record.seq}; nothing was imported")
                else:
                    self._insert(record)
        added = sum(1 for record in records if record.seq > count)
        return added, len(records) - added

    def _insert(self, record: Record) -> None:
        self._db.execute("INSERT INTO records (seq, at, kind, product, body, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (record.seq, record.at, record.kind, record.product, record.body, record.prev, record.hash))

    def _head(self) -> tuple[int, str]:
        row = self._db.execute("SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1").fetchone()
        return (0, GENESIS) if row is None else (row[0], row[1])

    @contextmanager
    def _immediate(self):
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # ------------------------------------------------------------------ reading

    def records(self, product: str | None = None, kind: str | None = None, since: int = 0) -> Iterator[Record]:
        """Records in chain order, optionally of one product and kind."""
        query = "SELECT seq, at, kind, product, body, prev, hash FROM records WHERE seq > ?"
        params: list = [since]
        if product is not None:
            query += " AND product = ?"
            params.append(product)
        if kind is not None:
            query += " AND kind = ?"
            params.append(kind)
        for row in self._db.execute(query + " ORDER BY seq", params):
            yield Record(*row)

    def record(self, seq: int) -> Record | None:
        row = self._db.execute("SELECT seq, at, kind, product, body, prev, hash FROM records WHERE seq = ?",
                               (seq,)).fetchone()
        return None if row is None else Record(*row)

    def body(self, record: Record) -> dict:
        """A record's body, with a repeated check's body taken from the check it repeats."""
        body = record.data()
        if record.kind == "check" and "same_as" in body:
            original = self.record(body["same_as"])
            if original is None or original.kind != "check" or original.product != record.product:
                raise RegisterError(f"{self.path}: record {record.seq} repeats record {body['same_as']}, "
                                    "which is not a check of the same product; run `aicomply verify`")
            return dict(original.data(), source=body["source"], same_as=body["same_as"])
        return body

    def products(self) -> list[str]:
        return [row[0] for row in self._db.execute("SELECT DISTINCT product FROM records ORDER BY product")]

    def latest(self, product: str, kind: str, before: int | None = None) -> Record | None:
        query = "SELECT seq, at, kind, product, body, prev, hash FROM records WHERE product = ? AND kind = ?"
        params: list = [product, kind]
        if before is not None:
            query += " AND seq < ?"
            params.append(before)
        row = self._db.execute(query + " ORDER BY seq DESC LIMIT 1", params).fetchone()
        return None if row is None else Record(*row)

    def count(self) -> int:
        return self._head()[0]

    def close(self) -> None:
        self._db.close()


# ---------------------------------------------------------------------- opening

@contextmanager
def opened(path: str | Path, create: bool = False, readonly: bool = False) -> Iterator[Register]:
    """The register at `path`. Created (with its folder) only when `create`; opened read-only when
    the command only reads (it then works in a read-only folder or on read-only media); SQLite
    errors on the way become one RegisterError line."""
    path = Path(path)
    if not path.exists():
        if not create:
            raise RegisterError(f"{path}: no register here yet; record a check first (`aicomply check --record`) "
                                "or pass --db")
        _create(path)
    _check_header(path)
    try:
        connection = _connect_readonly(path) if readonly else sqlite3.connect(path, timeout=BUSY_TIMEOUT_S,
                                                                               isolation_level=None)
    except sqlite3.Error as exc:
        raise RegisterError(f"{path}: cannot open the register ({exc})") from None
    register = Register(path, connection)
    try:
        _prepare(register, readonly)
        yield register
    except sqlite3.OperationalError as exc:  # busy past the timeout, read-only file or disk, disk full
        raise RegisterError(f"{path}: the register cannot be used right now ({exc}); nothing was recorded by the "
                            "failed step") from None
    except sqlite3.DatabaseError as exc:
        raise RegisterError(f"{path}: the register is damaged or unreadable ({exc}); restore it from an export "
                            "(`aicomply register import`)") from None
    finally:
        connection.close()


def _check_header(path: Path) -> None:
    """Refuse anything that is not a register before SQLite opens (and might write to) it."""
    try:
        with path.open("rb") as handle:
            head = handle.read(100)
    except IsADirectoryError:
        raise RegisterError(f"{path}: is a folder; --db takes the register's file name") from None
    except OSError as exc:
        raise RegisterError(f"{path}: cannot read the register ({exc.strerror or exc})") from None
    if len(head) < 100 or not head.startswith(_MAGIC):
        raise RegisterError(f"{path}: not an aicomply register (not a SQLite database); nothing was changed. "
                            "Pass --db with the register's path")
    if int.from_bytes(head[68:72], "big") != APPLICATION_ID:
        raise RegisterError(f"{path}: a SQLite database, but not an aicomply register; nothing was changed")


def _create(path: Path) -> None:
    """Build the register beside its path, then link it into place (never over an existing file)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RegisterError(f"{path.parent}: cannot create the register's folder ({exc.strerror or exc})") from None
    temporary = path.with_name(f".{path.name}.{os.getpid()}.new")
    try:
        connection = sqlite3.connect(temporary, isolation_level=None)
        try:
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            connection.execute("PRAGMA journal_mode = WAL")  # kept in the file: every later opener uses WAL
            _migrate(connection, 0)
        finally:
            connection.close()
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
    except (OSError, sqlite3.Error) as exc:
        raise RegisterError(f"{path}: cannot create the register ({exc})") from None
    finally:
        for leftover in (temporary, Path(f"{temporary}-wal"), Path(f"{temporary}-shm")):
            leftover.unlink(missing_ok=True)


def _connect_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection. A WAL register needs its -shm file, which cannot be made in a
    read-only folder; when no write-ahead log holds records (-wal absent or empty) the file alone
    is the whole register, and SQLite may read it as immutable."""
    uri = f"file:{quote(str(path.absolute()))}"
    try:
        connection = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        connection.execute("PRAGMA user_version").fetchone()
        return connection
    except sqlite3.OperationalError:
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise
    return sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None)


def _prepare(register: Register, readonly: bool = False) -> None:
    db = register._db
    db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise RegisterError(f"{register.path}: this register has schema version {version}, newer than this "
                            f"aicomply knows ({SCHEMA_VERSION}); upgrade aicomply")
    if readonly:
        if version < SCHEMA_VERSION:
            raise RegisterError(f"{register.path}: this register has schema version {version}; record to it once "
                                f"with this aicomply (it is upgraded to {SCHEMA_VERSION} then) before reading it")
        return
    db.execute("PRAGMA synchronous = FULL")  # a committed record survives a power cut, not just a crash
    if version < SCHEMA_VERSION:
        db.execute("BEGIN IMMEDIATE")
        try:
            _migrate(db, db.execute("PRAGMA user_version").fetchone()[0])  # read again under the lock
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise


def _migrate(db: sqlite3.Connection, current: int) -> None:
    for version in range(current + 1, SCHEMA_VERSION + 1):
        for statement in MIGRATIONS[version]:
            db.execute(statement)
        db.execute(f"PRAGMA user_version = {version}")
