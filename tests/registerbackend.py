"""One register location per test, on either backend, with what the tests need beyond the CLI:
the stored rows, and tampering that goes around the append-only triggers (as an attacker with
the database's owner rights would)."""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from pathlib import Path


class Backend(ABC):
    name: str
    db: str  # what --db takes

    def __str__(self) -> str:
        return self.db

    def rows(self) -> list[tuple]:
        """(seq, kind, product, body text, prev, hash) of every record, read through aicomply."""
        from compliance.register.store import opened

        with opened(self.db, readonly=True) as register:
            return [(r.seq, r.kind, r.product, r.body, r.prev, r.hash) for r in register.records()]

    @abstractmethod
    def exists(self) -> bool:
        """Whether the register has been created."""

    @abstractmethod
    def tamper(self, seq: int, **columns) -> None:
        """Change a stored record's columns (body given as canonical text), bypassing the triggers."""

    @abstractmethod
    def delete(self, seq: int) -> None:
        """Delete a stored record, bypassing the triggers."""


class SQLite(Backend):
    name = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = str(path)

    def exists(self) -> bool:
        return self.path.exists()

    def _untriggered(self, statement: str, params: tuple) -> None:
        with sqlite3.connect(self.path) as connection:
            connection.execute("DROP TRIGGER IF EXISTS records_append_only_update")
            connection.execute("DROP TRIGGER IF EXISTS records_append_only_delete")
            connection.execute(statement, params)

    def tamper(self, seq: int, **columns) -> None:
        from compliance.register.codec import pack

        values = {name: pack(value) if name == "body" else value for name, value in columns.items()}
        assignments = ", ".join(f"{name} = ?" for name in values)
        self._untriggered(f"UPDATE records SET {assignments} WHERE seq = ?", (*values.values(), seq))

    def delete(self, seq: int) -> None:
        self._untriggered("DELETE FROM records WHERE seq = ?", (seq,))


class PostgreSQL(Backend):
    name = "postgresql"

    def __init__(self, server) -> None:
        self.server = server
        self.db = server.new_database()
        self.database = self.db.split("/")[3].split("?")[0]

    def exists(self) -> bool:
        return True

    def _untriggered(self, statement: str, params: tuple) -> None:
        import psycopg

        with psycopg.connect(self.db) as connection:
            connection.execute("ALTER TABLE aicomply_records DISABLE TRIGGER USER")
            connection.execute(statement, params)
            connection.execute("ALTER TABLE aicomply_records ENABLE TRIGGER USER")

    def tamper(self, seq: int, **columns) -> None:
        from compliance.register.codec import pack

        values = {name: pack(value) if name == "body" else value for name, value in columns.items()}
        assignments = ", ".join(f"{name} = %s" for name in values)
        self._untriggered(f"UPDATE aicomply_records SET {assignments} WHERE seq = %s", (*values.values(), seq))

    def delete(self, seq: int) -> None:
        self._untriggered("DELETE FROM aicomply_records WHERE seq = %s", (seq,))
