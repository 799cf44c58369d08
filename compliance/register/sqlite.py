"""The register as one SQLite file (the embedded default for one machine): the standard library,
append-only, hash-chained. See interface.py for what every backend guarantees.

Layout (schema version in PRAGMA user_version, our mark in PRAGMA application_id):

    records(seq, at, kind, product, same_as, body, prev, hash)

`seq` counts from 1 without gaps; `body` is canonical JSON, compressed (codec.py; schema 1 kept
it as text); `same_as` is the check a repeat record stands for (NULL otherwise), so the full
checks of a product are found without reading the repeats; `prev` is the hash of record
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
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from compliance.register.codec import pack, unpack
from compliance.register.interface import SCHEMA_VERSION, Register, RegisterError
from compliance.register.records import GENESIS, MAX_SEQ, Record, same_as

APPLICATION_ID = 0x61694331  # "aiC1"
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
    # 2: bodies compressed, repeats marked in a column. The table is rebuilt (the triggers forbid
    # rewriting rows in place); hashes cover the canonical text, so the chain is untouched.
    2: (
        """CREATE TABLE records_v2 (
               seq INTEGER PRIMARY KEY,
               at TEXT NOT NULL,
               kind TEXT NOT NULL,
               product TEXT NOT NULL,
               same_as INTEGER,
               body BLOB NOT NULL,
               prev TEXT NOT NULL,
               hash TEXT NOT NULL UNIQUE)""",
        """INSERT INTO records_v2 SELECT seq, at, kind, product,
               CASE WHEN kind = 'check' THEN json_extract(body, '$.same_as') END, aicomply_pack(body), prev, hash
           FROM records ORDER BY seq""",
        "DROP TABLE records",
        "ALTER TABLE records_v2 RENAME TO records",
        "CREATE INDEX records_by_product ON records (product, kind, seq)",
        "CREATE INDEX records_not_repeats ON records (seq) WHERE same_as IS NULL",
        """CREATE TRIGGER records_append_only_update BEFORE UPDATE ON records
               BEGIN SELECT RAISE(ABORT, 'the register is append-only'); END""",
        """CREATE TRIGGER records_append_only_delete BEFORE DELETE ON records
               BEGIN SELECT RAISE(ABORT, 'the register is append-only'); END""",
    ),
}


class SQLiteRegister(Register):
    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self.location = str(path)
        self._db = connection
        self._same_as = "same_as"  # a column from schema 2 on; _prepare reads schema 1 too

    # ------------------------------------------------------------------ writing

    def _append(self, make) -> Record:
        with self._immediate():
            record = make(*self.head())
            self._insert(record)
        return record

    def extend(self, records: Iterable[Record]) -> tuple[int, int]:
        with self._immediate():
            count, _ = self.head()
            return self._extend_with(records, count, self._hash_at, self._insert)

    def _hash_at(self, seq: int) -> str | None:
        row = self._db.execute("SELECT hash FROM records WHERE seq = ?", (seq,)).fetchone()
        return None if row is None else row[0]

    def _insert(self, record: Record) -> None:
        self._db.execute("INSERT INTO records (seq, at, kind, product, same_as, body, prev, hash) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (record.seq, record.at, record.kind, record.product, same_as(record), pack(record.body),
                          record.prev, record.hash))

    def head(self) -> tuple[int, str]:
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

    def _select(self, where: str, params: list, order: str = "seq", limit: str = "") -> Iterator[Record]:
        query = f"SELECT seq, at, kind, product, body, prev, hash FROM records WHERE {where} ORDER BY {order} {limit}"
        for seq, at, kind, product, body, prev, hash_ in self._db.execute(query, params):
            yield Record(seq, at, kind, product, unpack(body), prev, hash_)

    def _where(self, product: str | None, kind: str | None, full: bool) -> tuple[list[str], list]:
        clauses, params = [], []
        if product is not None:
            clauses.append("product = ?")
            params.append(product)
        if kind is not None:
            clauses.append("kind = ?")
            params.append(kind)
        if full:
            clauses.append(f"kind = 'check' AND {self._same_as} IS NULL")
        return clauses, params

    def records(self, product=None, kind=None, since=0, full_checks=False) -> Iterator[Record]:
        clauses, params = self._where(product, kind, full_checks)
        return self._select(" AND ".join(["seq > ?", *clauses]), [since, *params])

    def overview(self) -> Iterator[Record]:
        latest = ("SELECT max(seq) FROM records WHERE kind = 'check' GROUP BY product")
        return self._select(f"{self._same_as} IS NULL OR seq IN ({latest})", [])

    def record(self, seq: int) -> Record | None:
        if not 0 < seq <= MAX_SEQ:
            return None
        return next(self._select("seq = ?", [seq]), None)

    def products(self) -> list[str]:
        return [row[0] for row in self._db.execute("SELECT DISTINCT product FROM records ORDER BY product")]

    def latest(self, product, kind, before=None, full=False) -> Record | None:
        clauses, params = self._where(product, kind, full)
        if before is not None:
            clauses.append("seq < ?")
            params.append(before)
        return next(self._select(" AND ".join(clauses), params, "seq DESC", "LIMIT 1"), None)

    def first(self, product, kind) -> Record | None:
        clauses, params = self._where(product, kind, False)
        return next(self._select(" AND ".join(clauses), params, "seq", "LIMIT 1"), None)

    def close(self) -> None:
        self._db.close()


# ---------------------------------------------------------------------- opening

@contextmanager
def opened(path: str | Path, create: bool = False, readonly: bool = False) -> Iterator[SQLiteRegister]:
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
    register = SQLiteRegister(path, connection)
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
    from compliance.errors import SourceError
    from compliance.files import read_regular

    try:  # a regular file only: a named pipe given as --db would block forever
        head = read_regular(path, str(path), 100)[:100]
    except SourceError as exc:
        if exc.message.startswith("is a directory"):
            raise RegisterError(f"{path}: is a folder; --db takes the register's file name") from None
        raise RegisterError(f"{path}: cannot read the register ({exc.message})") from None
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
    is the whole register, and SQLite may read it as immutable (nobody can be writing: a writer
    would have a -wal file beside it)."""
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


def _prepare(register: SQLiteRegister, readonly: bool = False) -> None:
    db = register._db
    db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise RegisterError(f"{register.path}: this register has schema version {version}, newer than this "
                            f"aicomply knows ({SCHEMA_VERSION}); upgrade aicomply")
    if readonly:
        if version < 2:  # read schema 1 as it is: a reading command never rewrites the file
            register._same_as = "(CASE WHEN kind = 'check' THEN json_extract(body, '$.same_as') END)"
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
    db.create_function("aicomply_pack", 1, pack, deterministic=True)
    for version in range(current + 1, SCHEMA_VERSION + 1):
        for statement in MIGRATIONS[version]:
            db.execute(statement)
        db.execute(f"PRAGMA user_version = {version}")
