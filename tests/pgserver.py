"""A real PostgreSQL server for the tests, from Debian's packages: `initdb` into a temporary
folder as an unprivileged user (root when CI runs is not allowed to run the server), listening on
a Unix socket in that folder only (no TCP), stopped at the end of the session.

Roles: `postgres` (superuser, trusted on the socket: the tests' owner), `aicomply_pw` (password
only: the wrong-password test), `aicomply_reader` (SELECT only: the read-only-role test).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

UNPRIVILEGED = "nobody"
PASSWORD = "s3cret-pw"


def binaries() -> Path | None:
    """The folder of initdb and pg_ctl: on PATH, else Debian's /usr/lib/postgresql/<version>/bin."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(versions[-1]).parent if versions else None


class Server:
    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.folder = Path(tempfile.mkdtemp(prefix="aicomply-pg-"))  # short: a socket path has ~100 bytes
        self.data = self.folder / "data"
        self.root = os.geteuid() == 0
        if self.root:
            user = pwd.getpwnam(UNPRIVILEGED)
            os.chown(self.folder, user.pw_uid, user.pw_gid)
        self._count = 0

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", UNPRIVILEGED, "--"] if self.root else []
        done = subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed: {done.stdout}{done.stderr}")

    def start(self) -> Server:
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync",
                  "-E", "UTF8", "--locale=C.UTF-8")
        hba = self.data / "pg_hba.conf"
        hba.write_text("local all aicomply_pw scram-sha-256\nlocal all all trust\n", encoding="utf-8")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "server.log"), "-w",
                  "-o", f"-c listen_addresses='' -k {self.folder} -c fsync=off -c max_connections=100", "start")
        self.admin("CREATE DATABASE aicomply_tests")
        self.admin(f"CREATE ROLE aicomply_pw LOGIN PASSWORD '{PASSWORD}'")
        self.admin("CREATE ROLE aicomply_reader LOGIN")
        return self

    def url(self, database: str = "postgres", user: str = "postgres", password: str | None = None) -> str:
        secret = f":{password}" if password is not None else ""
        return f"postgresql://{user}{secret}@/{database}?host={self.folder}"

    def admin(self, statement: str, database: str = "postgres") -> list:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as connection:
            cursor = connection.execute(statement)
            return cursor.fetchall() if cursor.description else []

    def new_database(self) -> str:
        """A fresh, empty database with the register's tables; its URL."""
        from compliance.register.postgresql import init_db

        self._count += 1
        name = f"register_{os.getpid()}_{self._count}"
        self.admin(f"CREATE DATABASE {name}")
        url = self.url(name)
        init_db(url)
        return url

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
