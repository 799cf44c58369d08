"""Which register a `--db` value names, opened with the backend it needs.

    path/to/register.db, sqlite:path/to/register.db     one SQLite file (sqlite.py)
    postgresql://user@host/db, postgres://...            a PostgreSQL database (postgresql.py)

The value comes from --db, else $AICOMPLY_DB, else `register:` in the config, else
.aicomply/register.db (the CLI resolves that order).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from compliance.register.interface import SCHEMA_VERSION, Register, RegisterError

SERVER_SCHEMES = ("postgresql://", "postgres://")

__all__ = ["SCHEMA_VERSION", "Register", "RegisterError", "is_server", "opened", "sqlite_path"]


def is_server(target: str | Path) -> bool:
    return str(target).startswith(SERVER_SCHEMES)


def sqlite_path(target: str | Path) -> Path:
    text = str(target)
    return Path(text[len("sqlite:"):] if text.startswith("sqlite:") else text)


@contextmanager
def opened(target: str | Path, create: bool = False, readonly: bool = False) -> Iterator[Register]:
    """The register `target` names. `create` makes a missing SQLite file (a PostgreSQL register's
    tables are made by `aicomply register init-db`); `readonly` when the command only reads."""
    if is_server(target):
        from compliance.register import postgresql

        with postgresql.opened(str(target), readonly=readonly) as register:
            yield register
    else:
        from compliance.register import sqlite

        with sqlite.opened(sqlite_path(target), create=create, readonly=readonly) as register:
            yield register
