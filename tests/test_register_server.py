"""One register for the organisation (issue 13): PostgreSQL errors, the recording role, copying
between backends, anchoring a head, the same output on both backends, compact storage and local
dates. The rest of the register suite runs on both backends through conftest.backend."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
from conftest import EXAMPLES, ROOT

from compliance.cli import main

RIDE = EXAMPLES / "ride-hailing-dynamic-pricing.yaml"
CV = EXAMPLES / "cv-screener.yaml"
HOSTILE = ROOT / "tests" / "hostile"


def cli(runner, *args, env=None):
    return runner.invoke(main, [str(a) for a in args], env=env)


def one_error_line(result) -> str:
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    return result.stderr


@pytest.fixture()
def server_db(postgres):
    import registerbackend

    return registerbackend.PostgreSQL(postgres)


# ------------------------------------------------------------------ server errors

def test_a_server_that_is_down_is_one_line(runner, tmp_path):
    url = f"postgresql://postgres@/aicomply?host={tmp_path}"  # no server listens in this folder
    result = cli(runner, "check", RIDE, "--record", "--db", url)
    assert "cannot connect to the register's server" in one_error_line(result)
    assert cli(runner, "verify", "--db", url).exit_code == 2


def test_a_wrong_password_is_one_line_and_never_printed(runner, postgres):
    import pgserver

    url = postgres.url("aicomply_tests", "aicomply_pw", "not-the-password")
    result = cli(runner, "verify", "--db", url)
    line = one_error_line(result)
    assert "password authentication failed" in line and "not-the-password" not in line and ":***@" in line
    assert pgserver.PASSWORD not in line


def test_a_database_without_the_tables_is_one_line(runner, postgres):
    postgres.admin("CREATE DATABASE no_tables")
    url = postgres.url("no_tables")
    for command in (["check", RIDE, "--record"], ["history", "x"], ["register", "import",
                                                                    HOSTILE / "register-line-separators.jsonl"]):
        line = one_error_line(cli(runner, *command, "--db", url))
        assert "no aicomply register in this database" in line and "aicomply register init-db" in line
    assert postgres.admin("SELECT to_regclass('aicomply_records') IS NULL", "no_tables") == [(True,)]


def test_init_db_prints_sql_a_dba_can_apply_and_the_role_can_only_add(runner, postgres):
    """The printed SQL builds the tables; its role records (SELECT, INSERT) but cannot change,
    delete or empty anything, nor create tables."""
    import psycopg

    printed = cli(runner, "register", "init-db", "--print-sql", "--db", postgres.url("role_test"))
    assert printed.exit_code == 0
    sql = printed.stdout
    assert "GRANT SELECT, INSERT ON aicomply_records TO aicomply_recorder;" in sql
    assert not re.search(r"GRANT[^;]*(UPDATE|DELETE|TRUNCATE)", sql)
    postgres.admin("CREATE DATABASE role_test")
    with psycopg.connect(postgres.url("role_test"), autocommit=True) as connection:
        connection.execute(sql.replace("BEGIN;", "").replace("COMMIT;", ""))
        connection.execute("ALTER ROLE aicomply_recorder PASSWORD NULL")  # the socket trusts it in this test server
    recorder = postgres.url("role_test", "aicomply_recorder")
    assert cli(runner, "check", RIDE, "--record", "--db", recorder).exit_code == 1
    assert cli(runner, "verify", "--db", recorder).exit_code == 0
    with psycopg.connect(recorder, autocommit=True) as connection:
        for statement in ("UPDATE aicomply_records SET product = 'x'", "DELETE FROM aicomply_records",
                          "TRUNCATE aicomply_records", "CREATE TABLE aicomply_records_2 (x int)"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(statement)
    assert cli(runner, "register", "init-db", "--db", postgres.url("role_test")).stdout.endswith("(already there)\n")


def test_a_read_only_role_cannot_record_and_leaves_nothing(runner, server_db, postgres):
    assert cli(runner, "check", RIDE, "--record", "--db", server_db).exit_code == 1
    postgres.admin("GRANT SELECT ON aicomply_records, aicomply_schema TO aicomply_reader", server_db.database)
    reader = postgres.url(server_db.database, "aicomply_reader")
    assert cli(runner, "verify", "--db", reader).exit_code == 0  # reading is all it may do
    for command in (["check", CV, "--record"], ["incident", "add", "ride-hailing-dynamic-pricing", "--severity",
                                                  "low", "--summary", "s"]):
        line = one_error_line(cli(runner, *command, "--db", reader))
        assert "this database role may not do that" in line and "nothing was recorded" in line
    assert len(server_db.rows()) == 1


# ------------------------------------------------------------- selecting the register

def test_aicomply_db_and_the_config_select_the_server(runner, server_db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli(runner, "check", RIDE, "--record", env={"AICOMPLY_DB": server_db.db}).exit_code == 1
    (tmp_path / "aicomply.yaml").write_text(f"register: {server_db.db}\n", encoding="utf-8")
    assert cli(runner, "check", CV, "--record", env={"AICOMPLY_DB": None}).exit_code == 1
    assert [row[2] for row in server_db.rows()] == ["ride-hailing-dynamic-pricing", "cv-screener"]
    assert not (tmp_path / ".aicomply").exists()
    shown = cli(runner, "config", env={"AICOMPLY_DB": "sqlite:elsewhere.db"}).stdout
    assert "sqlite:elsewhere.db" in shown and "AICOMPLY_DB" in shown


# ------------------------------------------------------------------ copy and anchor

def test_copy_from_sqlite_to_postgresql_and_back_verifies_and_is_idempotent(runner, server_db, tmp_path):
    source = tmp_path / "local.db"
    assert cli(runner, "check", EXAMPLES, "--record", "--db", source).exit_code == 1
    head = json.loads(json.dumps(server_db.rows()))  # empty
    assert head == []
    first = cli(runner, "register", "copy", "--from", f"sqlite:{source}", "--to", server_db.db)
    assert first.exit_code == 0 and "copied 11 records" in first.stdout and "(0 already present)" in first.stdout
    again = cli(runner, "register", "copy", "--from", f"sqlite:{source}", "--to", server_db.db)
    assert again.exit_code == 0 and "copied 0 records" in again.stdout and "(11 already present)" in again.stdout
    back = tmp_path / "back.db"
    assert cli(runner, "register", "copy", "--from", server_db.db, "--to", f"sqlite:{back}").exit_code == 0
    from registerbackend import SQLite

    assert SQLite(back).rows() == server_db.rows() == SQLite(source).rows()


def test_copy_refuses_a_source_that_does_not_verify_and_writes_nothing(runner, server_db, tmp_path):
    from registerbackend import SQLite

    source = SQLite(tmp_path / "local.db")
    assert cli(runner, "check", EXAMPLES, "--record", "--db", source).exit_code == 1
    source.delete(3)
    result = cli(runner, "register", "copy", "--from", source, "--to", server_db.db)
    assert "record 3 does not verify" in one_error_line(result) and "nothing was copied" in result.stderr
    assert server_db.rows() == []


def test_copy_refuses_a_target_with_another_history(runner, server_db, tmp_path):
    source = tmp_path / "local.db"
    assert cli(runner, "check", CV, "--record", "--db", source).exit_code == 1
    assert cli(runner, "check", RIDE, "--record", "--db", server_db).exit_code == 1
    result = cli(runner, "register", "copy", "--from", source, "--to", server_db.db)
    assert "diverge from this register at record 1" in one_error_line(result)
    assert [row[2] for row in server_db.rows()] == ["ride-hailing-dynamic-pricing"]


def test_verify_head_confirms_an_anchor_and_catches_a_rebuilt_chain(runner, backend, tmp_path):
    assert cli(runner, "check", EXAMPLES, "--record", "--db", backend).exit_code == 1
    anchor = backend.rows()[4][5]
    kept = cli(runner, "verify", "--head", anchor, "--db", backend)
    assert kept.exit_code == 0 and f"anchored head {anchor} is record 5, still in the chain" in kept.stdout
    # Rebuild the whole chain from record 3 on with fresh hashes: it verifies, but the anchor is gone.
    from compliance.register.records import Record, record_hash

    rows = backend.rows()
    prev = rows[1][5]
    from compliance.register.store import opened

    with opened(backend.db) as register:
        times = {r.seq: r.at for r in register.records()}
    for seq, kind, product, body, _, _ in rows[2:]:
        if seq == 3:
            body = body.replace('"risk_level":"medium"', '"risk_level":"low"').replace('"risk_level":"high"',
                                                                                       '"risk_level":"low"')
        record = Record(seq, times[seq], kind, product, body, prev, "")
        prev = record_hash(record)
        backend.tamper(seq, body=body, prev=record.prev, hash=prev)
    rebuilt = cli(runner, "verify", "--head", anchor, "--db", backend)
    assert rebuilt.exit_code == 1 and "chain intact" in rebuilt.stdout
    assert f"anchored head {anchor} is not in the verified chain: the chain was rebuilt" in rebuilt.stdout
    assert "--head takes a record hash" in one_error_line(cli(runner, "verify", "--head", "abc", "--db", backend))


# ------------------------------------------------------- the same bytes on both backends

READING = [["verify"], ["history", "cv-screener"], ["history", "cv-screener", "--format", "json", "--lang", "zh"],
           ["due", "--date", "2026-02-01"], ["due", "--date", "2026-02-01", "--format", "json"],
           ["incident", "list"], ["diff", "@1", "cv-screener"], ["recheck", "--date", "2026-02-01"],
           ["register", "export", "{out}/export.jsonl"], ["report", "--html", "{out}/page.html", "--date", "2026-02-01"]]


def test_every_reading_command_gives_the_same_bytes_on_both_backends(runner, server_db, tmp_path):
    source = HOSTILE / "register-line-separators.jsonl"
    local = tmp_path / "local.db"
    outputs = {}
    for name, db in (("sqlite", str(local)), ("postgresql", server_db.db)):
        assert cli(runner, "register", "import", source, "--db", db).exit_code == 0
        out = tmp_path / name
        out.mkdir()
        produced = []
        for command in READING:
            result = cli(runner, *[part.format(out=out) for part in command], "--db", db)
            assert result.exit_code in (0, 1), (command, result.output)
            produced.append(result.stdout.replace(db, "REGISTER").replace(str(out), "OUT"))
        produced += [(out / "export.jsonl").read_bytes(), (out / "page.html").read_bytes()]
        outputs[name] = produced
    assert len(outputs["sqlite"]) == len(READING) + 2
    assert outputs["sqlite"] == outputs["postgresql"]
    assert (tmp_path / "sqlite" / "export.jsonl").read_bytes() == source.read_bytes()


# ------------------------------------------------------------------ size and dates

def test_a_full_check_is_stored_compressed_and_repeats_compact_whatever_the_path(runner, backend, tmp_path):
    moved = tmp_path / "runner-2" / RIDE.name
    moved.parent.mkdir()
    moved.write_bytes(RIDE.read_bytes())
    for path in (RIDE, moved, RIDE):
        assert cli(runner, "check", path, "--record", "--db", backend).exit_code == 1
    rows = backend.rows()
    assert [json.loads(r[3]).get("same_as") for r in rows] == [None, 1, 1]
    first, second = json.loads(rows[0][3])["declaration"]["path"], json.loads(rows[1][3])["path"]
    assert first.endswith(f"examples/{RIDE.name}") and second.endswith(f"runner-2/{RIDE.name}")
    assert "path" not in json.loads(rows[2][3])
    history = json.loads(cli(runner, "history", "ride-hailing-dynamic-pricing", "--format", "json", "--db",
                             backend).stdout)["events"]
    assert [e["path"] for e in history] == [first, second, first]
    assert [e["change"] for e in history] == ["first", "repeat", "repeat"]
    if backend.name == "sqlite":
        with sqlite3.connect(backend.db) as connection:
            sizes = [row[0] for row in connection.execute("SELECT length(body) FROM records ORDER BY seq")]
    else:
        sizes = [row[0] for row in backend.server.admin("SELECT length(body) FROM aicomply_records ORDER BY seq",
                                                        backend.database)]
    # The full record keeps the declaration's own text (bilingual, 12 KB here), which compresses
    # least; the result around it shrinks with the preset dictionary (scripts/register_dictionary.py).
    assert len(rows[0][3]) > 15000 and sizes[0] <= 0.35 * len(rows[0][3].encode("utf-8")) and sizes[0] <= 8000
    assert max(sizes[1:]) < 200  # a repeat: its path and a link


def test_dates_are_shown_in_the_configured_time_zone(runner, backend, tmp_path, monkeypatch):
    """A check at 07:00 in Shenzhen (23:00 UTC the day before) is dated that day in Shenzhen."""
    from compliance.register.store import opened

    with opened(backend.db, create=True) as register:
        register.append("check", "cv-screener",
                        json.loads((HOSTILE / "register-line-separators.jsonl").read_text(encoding="utf-8")
                                   .split("\n")[1])["body"], at="2026-03-01T23:00:00.000000Z")
    shanghai = cli(runner, "history", "cv-screener", "--db", backend).stdout
    assert "2026-03-02 07:00:00  #1" in shanghai
    monkeypatch.chdir(tmp_path)
    (tmp_path / "aicomply.yaml").write_text("timezone: Europe/London\n", encoding="utf-8")
    assert "2026-03-01 23:00:00  #1" in cli(runner, "history", "cv-screener", "--db", backend).stdout
    raw = json.loads(cli(runner, "history", "cv-screener", "--format", "json", "--db", backend).stdout)
    assert raw["events"][0]["at"] == "2026-03-01T23:00:00.000000Z"  # records stay in UTC
    (tmp_path / "aicomply.yaml").write_text("timezone: Mars/Olympus\n", encoding="utf-8")
    assert "not an IANA time zone" in one_error_line(cli(runner, "history", "cv-screener", "--db", backend))
