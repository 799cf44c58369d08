"""The register in PostgreSQL: one register for a whole organisation, written by many CI runners.

psycopg 3, imported only when a `postgresql://` register is used. The tables (made by
`aicomply register init-db`, or by a DBA from `init-db --print-sql`):

    aicomply_records(seq, at, kind, product, same_as, body, prev, hash)   as in sqlite.py
    aicomply_schema(version)                                             one row

Guarantees (interface.py): triggers refuse UPDATE, DELETE and TRUNCATE, so even the tables'
owner cannot rewrite history without first dropping them; recording needs only INSERT and
SELECT (the role `init-db --print-sql` creates). Every append takes a transaction-level advisory
lock before it reads the head, so writers from any number of runners queue and the chain stays
linear; the lock ends with the transaction, so a writer that dies never holds it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

from compliance.register.codec import pack, unpack
from compliance.register.interface import SCHEMA_VERSION, Register, RegisterError
from compliance.register.records import GENESIS, MAX_SEQ, Record, same_as

LOCK_KEY = 0x61694331  # "aiC1": the advisory lock all writers of a database queue on
CONNECT_TIMEOUT_S = 10
BUSY_TIMEOUT_S = 60.0  # how long a writer waits for the others before giving up
ROLE = "aicomply_recorder"

# MIGRATIONS[n] takes the tables from schema n-1 to n. Never edit a released one. Schema 1 is
# SQLite's text-body layout, which PostgreSQL registers never had: they start at 2.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    2: (
        """CREATE TABLE aicomply_records (
               seq bigint PRIMARY KEY CHECK (seq > 0),
               at text NOT NULL,
               kind text NOT NULL,
               product text NOT NULL,
               same_as bigint,
               body bytea NOT NULL,
               prev text NOT NULL,
               hash text NOT NULL UNIQUE)""",
        # Bodies arrive compressed (codec.py): the server need not try to compress them again.
        "ALTER TABLE aicomply_records ALTER COLUMN body SET STORAGE EXTERNAL",
        "CREATE INDEX aicomply_records_by_product ON aicomply_records (product, kind, seq)",
        "CREATE INDEX aicomply_records_not_repeats ON aicomply_records (seq) WHERE same_as IS NULL",
        """CREATE FUNCTION aicomply_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
               BEGIN RAISE EXCEPTION 'the register is append-only'; END $$""",
        """CREATE TRIGGER aicomply_records_append_only BEFORE UPDATE OR DELETE ON aicomply_records
               FOR EACH ROW EXECUTE FUNCTION aicomply_append_only()""",
        """CREATE TRIGGER aicomply_records_no_truncate BEFORE TRUNCATE ON aicomply_records
               FOR EACH STATEMENT EXECUTE FUNCTION aicomply_append_only()""",
        "CREATE TABLE aicomply_schema (version integer NOT NULL)",
        """CREATE TRIGGER aicomply_schema_append_only BEFORE DELETE OR TRUNCATE ON aicomply_schema
               FOR EACH STATEMENT EXECUTE FUNCTION aicomply_append_only()""",
        "INSERT INTO aicomply_schema (version) VALUES (0)",
    ),
}


def role_sql(database: str, role: str = ROLE) -> str:
    """The role CI runners record with: it may read and add records, never change or remove one."""
    return (f"-- The role aicomply records with: SELECT and INSERT only (no UPDATE, DELETE, TRUNCATE).\n"
            f"CREATE ROLE {role} LOGIN PASSWORD 'change-me';\n"
            f"GRANT CONNECT ON DATABASE {database} TO {role};\n"
            f"GRANT USAGE ON SCHEMA public TO {role};\n"
            f"GRANT SELECT, INSERT ON aicomply_records TO {role};\n"
            f"GRANT SELECT ON aicomply_schema TO {role};\n")


def init_sql(database: str = "aicomply") -> str:
    """Everything `init-db` runs, and the recording role, for a DBA to review and apply by hand."""
    out = ["-- aicomply register tables, schema version %d; apply as the tables' owner.\nBEGIN;" % SCHEMA_VERSION]
    for version in sorted(MIGRATIONS):
        out += [f"{statement.strip()};" for statement in MIGRATIONS[version]]
        out.append(f"UPDATE aicomply_schema SET version = {version};")
    out.append("COMMIT;\n")
    return "\n".join(out) + "\n" + role_sql(database)


def display(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{netloc[1]}"))


def _one_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return re.sub(r"\s+", " ", text[0]) if text else type(exc).__name__


class PostgreSQLRegister(Register):
    def __init__(self, url: str, connection) -> None:
        self.location = display(url)
        self._db = connection

    # ------------------------------------------------------------------ writing

    def _append(self, make) -> Record:
        with self._db.transaction():
            self._db.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
            record = make(*self.head())
            self._insert(record)
        return record

    def extend(self, records: Iterable[Record]) -> tuple[int, int]:
        with self._db.transaction():
            self._db.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
            count, _ = self.head()
            return self._extend_with(records, count, self._hash_at, self._insert)

    def _hash_at(self, seq: int) -> str | None:
        row = self._db.execute("SELECT hash FROM aicomply_records WHERE seq = %s", (seq,)).fetchone()
        return None if row is None else row[0]

    def _insert(self, record: Record) -> None:
        self._db.execute("INSERT INTO aicomply_records (seq, at, kind, product, same_as, body, prev, hash) "
                         "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                         (record.seq, record.at, record.kind, record.product, same_as(record), pack(record.body),
                          record.prev, record.hash))

    def head(self) -> tuple[int, str]:
        row = self._db.execute("SELECT seq, hash FROM aicomply_records ORDER BY seq DESC LIMIT 1").fetchone()
        return (0, GENESIS) if row is None else (row[0], row[1])

    # ------------------------------------------------------------------ reading

    def _select(self, where: str, params: list, order: str = "seq", limit: str = "",
                whole: bool = False) -> Iterator[Record]:
        query = (f"SELECT seq, at, kind, product, body, prev, hash FROM aicomply_records WHERE {where} "
                 f"ORDER BY {order} {limit}")
        if whole:  # a server-side cursor: the whole chain streams instead of arriving at once
            rows = self._stream(query, params)
        else:  # one product's records: one round trip (readers keep them in memory anyway)
            rows = self._db.execute(query, params).fetchall()
        for seq, at, kind, product, body, prev, hash_ in rows:
            yield Record(seq, at, kind, product, unpack(body), prev, hash_)

    def _stream(self, query: str, params: list):
        with self._db.transaction(), self._db.cursor(name="aicomply_records_cursor") as cursor:
            cursor.itersize = 2000
            cursor.execute(query, params)
            yield from cursor

    def _where(self, product, kind, full) -> tuple[list[str], list]:
        clauses, params = [], []
        if product is not None:
            clauses.append("product = %s")
            params.append(product)
        if kind is not None:
            clauses.append("kind = %s")
            params.append(kind)
        if full:
            clauses.append("kind = 'check' AND same_as IS NULL")
        return clauses, params

    def records(self, product=None, kind=None, since=0, full_checks=False) -> Iterator[Record]:
        clauses, params = self._where(product, kind, full_checks)
        return self._select(" AND ".join(["seq > %s", *clauses]), [since, *params], whole=product is None)

    def overview(self) -> Iterator[Record]:
        latest = "SELECT max(seq) FROM aicomply_records WHERE kind = 'check' GROUP BY product"
        return self._select(f"same_as IS NULL OR seq IN ({latest})", [], whole=True)

    def record(self, seq: int) -> Record | None:
        if not 0 < seq <= MAX_SEQ:
            return None
        return next(self._select("seq = %s", [seq], limit="LIMIT 1"), None)

    def products(self) -> list[str]:
        # Distinct products by skipping through the index, not by reading every record.
        rows = self._db.execute("""
            WITH RECURSIVE products AS (
                (SELECT product FROM aicomply_records ORDER BY product LIMIT 1)
                UNION ALL
                SELECT (SELECT r.product FROM aicomply_records r WHERE r.product > p.product
                        ORDER BY r.product LIMIT 1)
                FROM products p WHERE p.product IS NOT NULL)
            SELECT product FROM products WHERE product IS NOT NULL""").fetchall()
        return sorted(row[0] for row in rows)  # by code point, as SQLite does, whatever the collation

    def latest(self, product, kind, before=None, full=False) -> Record | None:
        clauses, params = self._where(product, kind, full)
        if before is not None:
            clauses.append("seq < %s")
            params.append(before)
        return next(self._select(" AND ".join(clauses), params, "seq DESC", "LIMIT 1"), None)

    def first(self, product, kind) -> Record | None:
        clauses, params = self._where(product, kind, False)
        return next(self._select(" AND ".join(clauses), params, "seq", "LIMIT 1"), None)

    def close(self) -> None:
        self._db.close()


# ---------------------------------------------------------------------- opening

def _psycopg():
    try:
        import psycopg
    except ImportError:
        raise RegisterError("a postgresql:// register needs psycopg: pip install 'psycopg[binary]'") from None
    return psycopg


def connect(url: str):
    psycopg = _psycopg()
    try:
        connection = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S,
                                     application_name="aicomply")
        connection.execute(f"SET lock_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        return connection
    except psycopg.Error as exc:
        raise RegisterError(f"{display(url)}: cannot connect to the register's server ({_one_line(exc)})") from None


@contextmanager
def opened(url: str, readonly: bool = False) -> Iterator[PostgreSQLRegister]:
    """The register in the database `url` names; its tables must exist (init-db)."""
    psycopg = _psycopg()
    where = display(url)
    connection = connect(url)
    try:
        register = PostgreSQLRegister(url, connection)
        _check_schema(connection, where)
        yield register  # `readonly` changes nothing here: reading needs no more than SELECT
    except psycopg.errors.InsufficientPrivilege as exc:
        raise RegisterError(f"{where}: this database role may not do that ({_one_line(exc)}); recording needs "
                            "SELECT and INSERT on aicomply_records (see `aicomply register init-db --print-sql`); "
                            "nothing was recorded") from None
    except psycopg.errors.LockNotAvailable as exc:
        raise RegisterError(f"{where}: the register cannot be used right now (another writer held it for more than "
                            f"{BUSY_TIMEOUT_S:g} s: {_one_line(exc)}); nothing was recorded by the failed step") from None
    except psycopg.errors.ReadOnlySqlTransaction as exc:
        raise RegisterError(f"{where}: the server is read-only ({_one_line(exc)}); nothing was recorded") from None
    except psycopg.errors.UndefinedTable as exc:
        raise RegisterError(f"{where}: no aicomply register in this database ({_one_line(exc)}); create it with "
                            "`aicomply register init-db --db URL`") from None
    except psycopg.Error as exc:
        raise RegisterError(f"{where}: the register's server failed ({_one_line(exc)}); nothing was recorded by "
                            "the failed step") from None
    finally:
        connection.close()


def _check_schema(connection, where: str) -> None:
    psycopg = _psycopg()
    try:
        row = connection.execute("SELECT version FROM aicomply_schema").fetchone()
    except psycopg.errors.UndefinedTable:
        raise RegisterError(f"{where}: no aicomply register in this database (table aicomply_schema is missing); "
                            "create it with `aicomply register init-db --db URL`") from None
    version = row[0] if row else 0
    if version > SCHEMA_VERSION:
        raise RegisterError(f"{where}: this register has schema version {version}, newer than this aicomply knows "
                            f"({SCHEMA_VERSION}); upgrade aicomply")
    if version < SCHEMA_VERSION:
        raise RegisterError(f"{where}: this register has schema version {version}; upgrade its tables with "
                            "`aicomply register init-db --db URL` (as their owner)")


def init_db(url: str) -> tuple[int, int]:
    """Create or upgrade the register's tables, under the writers' lock. Returns (from, to)."""
    psycopg = _psycopg()
    where = display(url)
    connection = connect(url)
    try:
        with connection.transaction():
            connection.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
            exists = connection.execute("SELECT to_regclass('aicomply_schema') IS NOT NULL").fetchone()[0]
            current = connection.execute("SELECT version FROM aicomply_schema").fetchone()[0] if exists else 1
            if current > SCHEMA_VERSION:
                raise RegisterError(f"{where}: this register has schema version {current}, newer than this aicomply "
                                    f"knows ({SCHEMA_VERSION}); upgrade aicomply")
            for version in range(current + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[version]:
                    connection.execute(statement)
                connection.execute("UPDATE aicomply_schema SET version = %s", (version,))
        return current if exists else 0, SCHEMA_VERSION
    except psycopg.errors.InsufficientPrivilege as exc:
        raise RegisterError(f"{where}: this role may not create the register's tables ({_one_line(exc)}); ask the "
                            "DBA to apply `aicomply register init-db --print-sql`") from None
    except psycopg.Error as exc:
        raise RegisterError(f"{where}: cannot create the register's tables ({_one_line(exc)}); nothing was "
                            "changed") from None
    finally:
        connection.close()
