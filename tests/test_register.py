"""The register (post-facto tracking, Art. 66): recording, the hash chain and tampering, history,
diff, recheck, incidents and reviews, due items, export and import, concurrency, crash safety and
files that are not registers."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT

import compliance
from compliance.cli import main
from compliance.evaluate.checklists import load_rules
from compliance.declaration.load import read_document
from registerbackend import Backend, SQLite

RIDE = EXAMPLES / "ride-hailing-dynamic-pricing.yaml"
PRODUCTS = sorted(read_document(p, p.name).data["product"]["id"] for p in EXAMPLES.glob("*.yaml"))
# Subprocesses import the same compliance the tests do (the source tree, or the installed wheel in CI).
ENV = dict(os.environ, PYTHONPATH=str(Path(compliance.__file__).resolve().parent.parent))
PACK_VERSION = load_rules().version  # the bundled pack, whatever its release



def cli(runner, *args):
    return runner.invoke(main, [str(a) for a in args])


@pytest.fixture()
def db(backend):
    """A register location on each backend in turn (conftest.backend)."""
    return backend


def _record_examples(runner, db):
    result = cli(runner, "check", EXAMPLES, "--record", "--db", db)
    assert result.exit_code == 1  # the ride-hailing example fails the gate on purpose
    assert f"recorded {len(PRODUCTS)} checks in {db}" in result.stderr
    return db


@pytest.fixture()
def recorded(runner, db):
    """A register holding one check of every example, on each backend."""
    return _record_examples(runner, db)


@pytest.fixture()
def sqlite_recorded(runner, tmp_path):
    """The same in a SQLite file, for what only a file can suffer (damage, a foreign header)."""
    return _record_examples(runner, tmp_path / "reg" / "register.db")


def rows(db) -> list[tuple]:
    """(seq, kind, product, body text, prev, hash) of every record."""
    return (db if isinstance(db, Backend) else SQLite(Path(db))).rows()


# ------------------------------------------------------------------ recording and chain

def test_check_record_stores_each_result_with_its_declaration(recorded):
    stored = rows(recorded)
    assert [r[0] for r in stored] == list(range(1, len(PRODUCTS) + 1))
    assert sorted(r[2] for r in stored) == PRODUCTS
    ride = next(json.loads(r[3]) for r in stored if r[2] == "ride-hailing-dynamic-pricing")
    assert ride["declaration"]["content"] == RIDE.read_text(encoding="utf-8")
    assert ride["declaration"]["sha256"] == hashlib.sha256(RIDE.read_bytes()).hexdigest()
    assert ride["result"]["risk_level"] == "medium" and ride["packs"] == [["shenzhen-2022", PACK_VERSION]]
    assert any(f["rule_id"] == "A72-5-PRICE-BY-USER-TRAITS" for f in ride["result"]["findings"])
    assert stored[0][4] == "0" * 64 and all(stored[i][4] == stored[i - 1][5] for i in range(1, len(stored)))


def test_register_file_is_wal_with_our_mark_and_schema_version(sqlite_recorded):
    with sqlite3.connect(sqlite_recorded) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("PRAGMA application_id").fetchone()[0] == 0x61694331
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 2


def test_records_are_append_only(recorded):
    if recorded.name == "sqlite":
        for statement in ("UPDATE records SET product = 'x' WHERE seq = 1", "DELETE FROM records WHERE seq = 1"):
            with sqlite3.connect(recorded.db) as connection, \
                    pytest.raises(sqlite3.IntegrityError, match="append-only"):
                connection.execute(statement)
        return
    import psycopg

    for statement in ("UPDATE aicomply_records SET product = 'x' WHERE seq = 1",
                      "DELETE FROM aicomply_records WHERE seq = 1", "TRUNCATE aicomply_records",
                      "DELETE FROM aicomply_schema"):
        with psycopg.connect(recorded.db) as connection, pytest.raises(psycopg.Error, match="append-only"):
            connection.execute(statement)  # even the tables' owner (here a superuser) is refused
    assert len(rows(recorded)) == len(PRODUCTS)


def test_verify_passes_and_prints_the_head(runner, recorded):
    result = cli(runner, "verify", "--db", recorded)
    assert result.exit_code == 0
    assert f"{len(PRODUCTS)} records, chain intact; head {rows(recorded)[-1][5]}" in result.stdout


def _lower_grade(db, seq: int) -> None:
    body = rows(db)[seq - 1][3]
    assert '"risk_level":"medium"' in body
    db.tamper(seq, body=body.replace('"risk_level":"medium"', '"risk_level":"low"'))


_CHANGED = "its content does not match its hash (changed after it was written)"


@pytest.mark.parametrize(("change", "first", "words"), [
    (lambda db: _lower_grade(db, 4), 4, _CHANGED),
    (lambda db: db.delete(6), 6, "record 6 is missing (the next one is 7)"),
    (lambda db: db.tamper(2, product="someone-else"), 2, _CHANGED),
], ids=["body", "deleted", "product"])
def test_verify_names_the_first_tampered_record(runner, recorded, change, first, words):
    change(recorded)
    result = cli(runner, "verify", "--db", recorded)
    assert result.exit_code == 1
    before = "the record before it is intact" if first == 2 else f"the {first - 1} records before it are intact"
    assert result.stdout == f"{recorded}: record {first} does not verify: {words}; {before}\n"


def _forge(recorded, seq: int) -> str:
    """Record `seq` with its grade changed in its body and a fresh hash, as a forger with the tool's own
    hash function would write it; returns the new hash."""
    from compliance.register.records import Record, record_hash

    record = _record(recorded, seq)
    level = re.search(r'"risk_level":"(\w+)"', record.body).group(1)
    forged_body = record.body.replace(f'"risk_level":"{level}"', f'"risk_level":"{"low" if level != "low" else "high"}"')
    assert forged_body != record.body
    forged = record_hash(Record(seq, record.at, record.kind, record.product, forged_body, record.prev, ""))
    recorded.tamper(seq, body=forged_body, hash=forged)
    return forged


def _record(recorded, seq: int):
    from compliance.register.store import opened

    with opened(recorded.db, readonly=True) as register:
        return register.record(seq)


def test_the_hash_covers_the_link_so_a_relinked_forgery_fails_verify(runner, recorded):
    """Protects the chain's link: a record's hash must cover `prev` (records.record_hash). Record 5
    rewritten with a fresh hash, and record 6's `prev` patched to that hash, must not verify: if the
    hash left `prev` out, record 6 would still match its own hash and the forgery would pass."""
    forged = _forge(recorded, 5)
    recorded.tamper(6, prev=forged)
    assert [r[4] for r in rows(recorded)][5] == forged  # the link now points at the forgery
    result = cli(runner, "verify", "--db", recorded)
    assert result.exit_code == 1, result.stdout
    assert "record 5 does not verify" in result.stdout or "record 6 does not verify" in result.stdout
    assert "chain intact" not in result.stdout


def test_a_record_of_a_kind_the_register_never_writes_fails_verify(runner, recorded):
    """Protects the kinds check of verify (kinds.body_problem): the last record rewritten as a kind
    aicomply never writes, with a hash that matches, is refused by name, not taken as history."""
    from compliance.register.records import Record, record_hash

    seq = len(rows(recorded))
    record = _record(recorded, seq)
    forged = record_hash(Record(seq, record.at, "other", record.product, record.body, record.prev, ""))
    recorded.tamper(seq, kind="other", hash=forged)
    result = cli(runner, "verify", "--db", recorded)
    assert result.exit_code == 1
    assert result.stdout == (f"{recorded}: record {seq} does not verify: unknown record kind 'other'; "
                             f"the {seq - 1} records before it are intact\n")


def test_verify_finds_a_record_rewritten_with_a_fresh_hash(runner, recorded):
    _forge(recorded, 5)
    result = cli(runner, "verify", "--db", recorded)
    assert result.exit_code == 1
    assert result.stdout == (f"{recorded}: record 5 does not verify: it was changed and its hash rewritten (the next "
                             "record still links to the original); the 4 records before it are intact\n")


# ---------------------------------------------------------------------- bad registers

@pytest.mark.parametrize("content", [
    b"",
    b"not a database at all\n" * 10,
    b"SQLite format 3\x00" + b"\x00" * 200,  # a SQLite header without our mark
])
def test_a_foreign_or_damaged_file_is_refused_and_left_alone(runner, tmp_path, content):
    path = tmp_path / "register.db"
    path.write_bytes(content)
    for command in (["verify"], ["history", "x"], ["due"], ["check", RIDE, "--record"]):
        result = cli(runner, *command, "--db", path)
        assert result.exit_code == 2, command
        assert result.stderr.startswith(f"aicomply: error: {path}: not an aicomply register") or \
            "not an aicomply register" in result.stderr
        assert "Traceback" not in result.output
    assert path.read_bytes() == content


def test_another_programs_sqlite_database_is_not_touched(runner, tmp_path):
    path = tmp_path / "app.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE users (name TEXT)")
    before = path.read_bytes()
    result = cli(runner, "check", RIDE, "--record", "--db", path)
    assert result.exit_code == 2 and "a SQLite database, but not an aicomply register" in result.stderr
    assert path.read_bytes() == before


def test_a_damaged_register_is_one_line_not_a_traceback(runner, sqlite_recorded):
    recorded = sqlite_recorded
    data = bytearray(recorded.read_bytes())
    data[4096:] = b"\xff" * (len(data) - 4096)  # wreck every page after the first
    recorded.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        Path(f"{recorded}{suffix}").unlink(missing_ok=True)
    result = cli(runner, "verify", "--db", recorded)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "damaged or unreadable" in result.stderr


def test_a_register_from_a_newer_aicomply_is_refused(runner, recorded):
    if recorded.name == "sqlite":
        with sqlite3.connect(recorded.db) as connection:
            connection.execute("PRAGMA user_version = 99")
    else:
        recorded.server.admin("UPDATE aicomply_schema SET version = 99", recorded.database)
    for command in (["verify"], ["check", RIDE, "--record"]):
        result = cli(runner, *command, "--db", recorded)
        assert result.exit_code == 2 and "schema version 99, newer than this aicomply knows (2)" in result.stderr


def test_reading_commands_do_not_create_a_register(runner, tmp_path):
    db = tmp_path / "reg" / "register.db"
    result = cli(runner, "history", "x", "--db", db)
    assert result.exit_code == 2 and "no register here yet" in result.stderr
    assert not db.exists() and not db.parent.exists()


def test_record_refuses_a_baseline(runner, db, tmp_path):
    assert cli(runner, "baseline", "create", RIDE, "-o", tmp_path / "b.json").exit_code == 0
    result = cli(runner, "check", RIDE, "--record", "--db", db, "--baseline", tmp_path / "b.json")
    assert result.exit_code == 2 and "drop --baseline" in result.stderr
    assert not db.exists() or rows(db) == []


# ------------------------------------------------------------------------ concurrency

def test_eight_processes_recording_at_once(db):
    # On SQLite the file is created by whichever process gets there first.
    command = [sys.executable, "-m", "compliance", "check", str(EXAMPLES), "--record", "--db", str(db), "--jobs", "1"]
    processes = [subprocess.Popen(command, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                 for _ in range(8)]
    for process in processes:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 1, err  # the gate fails on the ride-hailing example, as always
    stored = rows(db)
    assert len(stored) == 8 * len(PRODUCTS)
    assert sorted({r[2] for r in stored}) == PRODUCTS
    assert all(sum(1 for r in stored if r[2] == product) == 8 for product in PRODUCTS)
    assert _verify(db)[0].ok


_WRITERS = textwrap.dedent("""
    import sys, threading
    from compliance.register.store import opened
    path, name, threads, each = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    body = {"severity": "low", "summary": "", "occurred": "2026-01-01", "details": None, "reported_by": None}
    def write(thread):
        with opened(path) as register:  # one connection per writer, as separate runners have
            for n in range(each):
                register.append("incident", "cv-screener", dict(body, summary=f"{name}-{thread}-{n}"))
    workers = [threading.Thread(target=write, args=(t,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
""")


def test_sixteen_writers_in_four_processes_keep_one_linear_chain(db):
    from compliance.register.store import opened

    with opened(db.db, create=True):  # the SQLite file exists before the writers start
        pass
    processes = [subprocess.Popen([sys.executable, "-c", _WRITERS, str(db), f"p{n}", "4", "25"], env=ENV,
                                  stderr=subprocess.PIPE, text=True) for n in range(4)]
    for process in processes:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    stored = rows(db)
    assert [r[0] for r in stored] == list(range(1, 401))
    summaries = sorted(json.loads(r[3])["summary"] for r in stored)
    assert summaries == sorted(f"p{p}-{t}-{n}" for p in range(4) for t in range(4) for n in range(25))
    verdict, count = _verify(db)
    assert verdict.ok and count == 400


# ------------------------------------------------------------------------ crash safety

_WRITER = textwrap.dedent("""
    import os, signal, sys
    from compliance.register.records import Record, record_hash
    from compliance.register.store import opened
    mode, path = sys.argv[1], sys.argv[2]
    body = '{"details":null,"occurred":"2026-01-01","reported_by":null,"severity":"low","summary":"s"}'
    with opened(path, create=True) as register:
        if mode == "loop":
            for n in range(100000):
                record = register.append("incident", "pp", {"severity": "low", "summary": f"n{n}",
                                                            "occurred": "2026-01-01", "details": None,
                                                            "reported_by": None})
                print(record.seq, flush=True)
        else:  # die inside the transaction, after the INSERT and before COMMIT
            seq, prev = register.head()
            record = Record(seq + 1, "2026-01-01T00:00:00.000000Z", "incident", "pp", body, prev, "")
            def records():
                yield record.with_hash(record_hash(record))
                os.kill(os.getpid(), signal.SIGKILL)
            register.extend(records())
""")


def _verify(db):
    from compliance.register.records import verify
    from compliance.register.store import opened

    with opened(str(db)) as register:
        return verify(register.records()), register.count()


def test_killed_mid_write_loses_only_the_unfinished_record(db):
    if db.name == "sqlite":
        Path(db.db).parent.mkdir(parents=True, exist_ok=True)
    writer = subprocess.Popen([sys.executable, "-c", _WRITER, "loop", str(db)], env=ENV, stdout=subprocess.PIPE,
                              text=True)
    acknowledged = 0
    for line in writer.stdout:
        acknowledged = int(line)
        if acknowledged >= 40:
            writer.send_signal(signal.SIGKILL)
            break
    writer.wait(timeout=30)
    verdict, count = _verify(db)
    assert verdict.ok and count >= acknowledged  # every record the writer saw committed is there


def test_a_transaction_cut_before_commit_leaves_no_trace(db, runner):
    assert cli(runner, "check", RIDE, "--record", "--db", db).exit_code == 1
    died = subprocess.run([sys.executable, "-c", _WRITER, "once", str(db)], env=ENV, capture_output=True, timeout=60)
    assert died.returncode == -signal.SIGKILL, died.stderr
    verdict, count = _verify(db)
    assert verdict.ok and count == 1
    assert cli(runner, "check", RIDE, "--record", "--db", db).exit_code == 1  # and it takes new records
    assert _verify(db)[1] == 2


# ----------------------------------------------------------------------------- history

def test_history_shows_grade_changes_documents_incidents_and_reviews(runner, recorded, tmp_path):
    changed = tmp_path / "ride.yaml"
    text = RIDE.read_text(encoding="utf-8")
    changed.write_text(text.replace("  public_decision_making: false", "  public_decision_making: true"),
                       encoding="utf-8")
    assert "public_decision_making: true" in changed.read_text(encoding="utf-8")
    assert cli(runner, "check", changed, "--record", "--db", recorded).exit_code == 1
    out = tmp_path / "docs"
    out.mkdir()
    assert cli(runner, "render", changed, "--out", out, "--doc", "risk_warning", "--date", "2026-11-24",
               "--record", "--db", recorded).exit_code == 0
    product = "ride-hailing-dynamic-pricing"
    assert cli(runner, "incident", "add", product, "--severity", "high", "--summary", "Fares tripled for some riders",
               "--date", "2026-11-20", "--db", recorded).exit_code == 0
    assert cli(runner, "review", "add", product, "--reviewer", "Li Wei", "--outcome", "Pricing inputs audited",
               "--date", "2026-11-24", "--next", "2027-02-24", "--db", recorded).exit_code == 0
    result = cli(runner, "history", product, "--db", recorded)
    lines = result.stdout.splitlines()
    assert result.exit_code == 0 and lines[0] == f"History of {product}"
    assert "MEDIUM (first check)" in lines[1]
    assert "HIGH (raised from MEDIUM)" in lines[2]
    assert f"risk_warning (en) -> {out / (product + '.risk_warning.en.md')}" in lines[3]
    assert "HIGH: Fares tripled for some riders (occurred 2026-11-20)" in lines[4]
    assert "2026-11-24 by Li Wei: Pricing inputs audited; next due 2027-02-24" in lines[5]
    events = json.loads(cli(runner, "history", product, "--db", recorded, "--format", "json").stdout)["events"]
    assert [e["kind"] for e in events] == ["check", "check", "document", "incident", "review"]
    assert events[1]["change"] == "raised" and events[1]["previous_grade"] == "medium"
    assert "中风险（首次检查）" in cli(runner, "history", product, "--db", recorded, "--lang", "zh").stdout


def test_incidents_and_reviews_need_a_recorded_product(runner, recorded):
    result = cli(runner, "incident", "add", "no-such-product", "--severity", "low", "--summary", "x", "--db", recorded)
    assert result.exit_code == 2 and "no recorded check of product 'no-such-product'" in result.stderr
    assert len(rows(recorded)) == len(PRODUCTS)


def test_incident_list_filters_by_product(runner, recorded):
    for product, summary in (("cv-screener", "Rejected all applicants over 40"), ("robotaxi-service", "Near miss")):
        cli(runner, "incident", "add", product, "--severity", "medium", "--summary", summary, "--date", "2026-11-01",
            "--db", recorded)
    everything = cli(runner, "incident", "list", "--db", recorded).stdout
    assert "Rejected all applicants over 40" in everything and "Near miss" in everything
    only = json.loads(cli(runner, "incident", "list", "cv-screener", "--db", recorded, "--format", "json").stdout)
    assert [i["summary"] for i in only] == ["Rejected all applicants over 40"]


# -------------------------------------------------------------------------------- diff

def _edited(tmp_path, old: str, new: str) -> Path:
    path = tmp_path / "edited.yaml"
    text = RIDE.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_diff_of_two_files_names_the_facts_behind_a_grade_rise(runner, tmp_path):
    raised = _edited(tmp_path, "  public_decision_making: false", "  public_decision_making: true")
    result = cli(runner, "diff", RIDE, raised)
    assert result.exit_code == 1  # the grade rose: a new ex-ante assessment is due
    assert "Grade: MEDIUM -> HIGH (raised from MEDIUM)" in result.stdout
    assert "scope.public_decision_making: false -> true" in result.stdout
    assert "A new ex-ante assessment is due (Art. 66 para. 2)" in result.stdout
    back = cli(runner, "diff", raised, RIDE, "--format", "json")
    report = json.loads(back.stdout)
    assert back.exit_code == 0 and report["grade"] == "lowered" and report["reassessment_due"] is False
    assert report["review_due"] is None


def test_a_new_error_on_a_medium_product_asks_for_its_disclosure_not_an_ex_ante_assessment(runner, tmp_path):
    """Art. 66 para. 2: an ex-ante assessment is for high risk; a medium-risk product that gains an
    error reviews its disclosure and tracking plan (the diff said "a new ex-ante assessment")."""
    worse = _edited(tmp_path, "  processing_without_basis: false", "  processing_without_basis: true")
    result = cli(runner, "diff", RIDE, worse)
    assert result.exit_code == 1 and "Grade: MEDIUM -> MEDIUM" in result.stdout
    assert "The ex-ante disclosure and the tracking plan need review (Art. 66 para. 2)" in result.stdout
    assert "ex-ante assessment is due" not in result.stdout
    zh = cli(runner, "diff", RIDE, worse, "--lang", "zh")
    assert "需要重新审查事前披露和事后跟踪计划（第六十六条第二款）" in zh.stdout and "Art. 66" not in zh.stdout
    report = json.loads(cli(runner, "diff", RIDE, worse, "--format", "json").stdout)
    assert report["reassessment_due"] is True and report["review_due"] == "disclosure_and_tracking"


def test_diff_against_recorded_checks(runner, recorded, tmp_path):
    lower = _edited(tmp_path, "reach: 6500000", "reach: 500")
    result = cli(runner, "diff", "ride-hailing-dynamic-pricing", lower, "--db", recorded)
    assert result.exit_code == 0
    assert "Reasons gone: GRADE-LARGE-PUBLIC-SCALE" in result.stdout and "scope.reach: 6500000 -> 500" in result.stdout
    assert cli(runner, "check", lower, "--record", "--db", recorded).exit_code == 1
    both = json.loads(cli(runner, "diff", "ride-hailing-dynamic-pricing~1", "ride-hailing-dynamic-pricing",
                          "--db", recorded, "--format", "json").stdout)
    assert both["reasons_removed"] == ["GRADE-LARGE-PUBLIC-SCALE"]
    seq = rows(recorded)[-1][0]
    across = json.loads(cli(runner, "diff", "@1", f"@{seq}", "--db", recorded, "--format", "json").stdout)
    first = read_document(EXAMPLES / f"{PRODUCTS[0]}.yaml", "x").data  # record 1: the first example checked
    assert rows(recorded)[0][2] == PRODUCTS[0] == "childrens-learning-app"
    assert across["old"]["label"].startswith("@1 (#1, ") and across["new"]["label"].startswith(f"@{seq} (#{seq}, ")
    assert (across["old"]["risk_level"], across["new"]["risk_level"], across["grade"]) == ("high", "medium", "lowered")
    assert "scope.special_groups.children" in {fact["path"] for fact in across["facts"]}
    assert first["scope"]["special_groups"]["children"] == "primary"  # why the first is high: designed for children
    assert "GRADE-SPECIAL-GROUPS" in across["reasons_removed"] and "GRADE-PERSONALISED-PRICING" in across["reasons_added"]


def test_diff_exit_1_for_a_new_error(runner, tmp_path):
    clean = EXAMPLES / "internal-code-assistant.yaml"
    text = clean.read_text(encoding="utf-8")
    edited = tmp_path / "x.yaml"
    edited.write_text(text.replace("format: aicomply/v2", "format: aicomply/v2\nsurprise: 1"), encoding="utf-8")
    result = cli(runner, "diff", clean, edited)
    assert result.exit_code == 1 and "Findings added: error DECL-SCHEMA" in result.stdout


@pytest.mark.parametrize("ref", ["nope", "@999", "ride-hailing-dynamic-pricing~5"])
def test_diff_with_a_bad_reference_is_one_line(runner, recorded, ref):
    result = cli(runner, "diff", ref, RIDE, "--db", recorded)
    assert result.exit_code == 2 and "Traceback" not in result.output and ref in result.stderr


# ----------------------------------------------------------------------------- recheck

def test_recheck_finds_products_a_new_rule_changes(runner, recorded, tmp_path):
    unchanged = cli(runner, "recheck", "--db", recorded)
    assert unchanged.exit_code == 0 and f"Re-evaluated {len(PRODUCTS)} products" in unchanged.stdout
    assert ": 0 changed" in unchanged.stdout
    result = cli(runner, "recheck", "--db", recorded, "--extra-pack", ROOT / "tests" / "data" / "org-pack",
                 "--record", "--format", "json")
    report = json.loads(result.stdout)
    # What the organisation pack (tests/data/org-pack) says, read from each declaration: ACME-LOGGING is a
    # new obligation, met where logging is declared; ACME-NO-FULL-AUTONOMY flags fully autonomous products.
    declared = {read_document(p, p.name).data["product"]["id"]: read_document(p, p.name).data
                for p in sorted(EXAMPLES.glob("*.yaml"))}
    assert len(declared) == len(PRODUCTS)
    autonomous = sorted(p for p, data in declared.items() if data["autonomy"]["level"] == "fully_autonomous")
    assert 0 < len(autonomous) < len(PRODUCTS)
    changed = {item["product"]: item for item in report["changed"]}
    assert sorted(changed) == PRODUCTS  # every product gains the new obligation
    for product, item in changed.items():
        expected = ["ACME-NO-FULL-AUTONOMY"] if product in autonomous else []
        assert [f["rule_id"] for f in item["findings_added"]] == expected, product
        logging = declared[product]["safeguards"]["logging"] is True
        assert {"id": "ACME-LOGGING", "from": "not_applicable", "to": "met" if logging else "unmet"} in \
            item["obligations_due"] + item["obligations_met"], product
    stored = rows(recorded)
    assert len(stored) == len(PRODUCTS) + len(changed)
    recorded_now = {r[2]: r[0] for r in stored[len(PRODUCTS):]}
    assert {product: item["recorded"] for product, item in changed.items()} == recorded_now
    assert all(json.loads(r[3])["source"] == "recheck" for r in stored[len(PRODUCTS):])


def test_recheck_says_why_when_a_rule_pack_removed_the_rule_behind_a_change(runner, recorded, tmp_path):
    import shutil

    # A pack release that removes a grading rule: recheck names the rule, the release, what replaced it and why.
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "checklists" / "shenzhen-2022", pack)
    grading = (pack / "grading.yaml").read_text(encoding="utf-8")
    start = grading.index("  - id: GRADE-PERSONALISED-PRICING\n")
    end = grading.index("  - id: ", start + 10)
    (pack / "grading.yaml").write_text(grading[:start] + grading[end:], encoding="utf-8")
    manifest = (pack / "pack.yaml").read_text(encoding="utf-8").replace("version: 2.0.0", "version: 2.1.0")
    manifest = manifest.replace("removed:\n", "removed:\n  - id: GRADE-PERSONALISED-PRICING\n    removed_in: 2.1.0\n"
                                "    replaced_by: [A72-5-PRICE-BY-USER-TRAITS]\n    reason: {en: \"Pricing is screened, not graded.\", "
                                "zh: 定价改为审查而不分级。}\n", 1)
    (pack / "pack.yaml").write_text(manifest, encoding="utf-8")
    text = cli(runner, "recheck", "--db", recorded, "--pack", pack).stdout
    assert "Reasons gone: GRADE-PERSONALISED-PRICING" in text
    assert ("GRADE-PERSONALISED-PRICING removed in 2.1.0, replaced by A72-5-PRICE-BY-USER-TRAITS: "
            "Pricing is screened, not graded.") in text
    zh = cli(runner, "recheck", "--db", recorded, "--pack", pack, "--lang", "zh").stdout
    assert "GRADE-PERSONALISED-PRICING 已于 2.1.0 版移除，由 A72-5-PRICE-BY-USER-TRAITS 取代：定价改为审查而不分级。" in zh
    report = json.loads(cli(runner, "recheck", "--db", recorded, "--pack", pack, "--format", "json").stdout)
    why = [item["removed_rules"] for item in report["changed"] if item["removed_rules"]]
    assert why and why[0][0]["id"] == "GRADE-PERSONALISED-PRICING" and why[0][0]["removed_in"] == "2.1.0"


# -------------------------------------------------------------------------------- due

PINNED = date(2031, 3, 3)


@pytest.fixture()
def pinned_clock():
    """The clock stopped at noon in Shenzhen (04:00 UTC), so records, "today" and the dates derived
    from them fall on one known day in UTC and in the default time zone, whatever the hour the test
    runs: it cannot straddle midnight, and its expected dates are not read from the code's clock."""
    import time_machine

    with time_machine.travel("2031-03-03 04:00:00Z", tick=False):
        yield PINNED


def _months_later(day: date, months: int) -> date:
    """The same day `months` later, or the last day of that month (written here, not imported)."""
    import calendar

    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def test_due_lists_reviews_waivers_documents_and_stale_checks(runner, db, tmp_path, pinned_clock):
    today = pinned_clock  # due counts from today in the configured (default) time zone
    cv = EXAMPLES / "cv-screener.yaml"  # review_interval_months: 6
    waivers = tmp_path / "w.yaml"
    expires = today + timedelta(days=16)
    waivers.write_text(textwrap.dedent(f"""\
        waivers:
          - rule: OBL-EXANTE-ASSESSMENT
            product: cv-screener
            justification: The third-party assessment is booked for next month.
            approver: Wang Fang, DPO
            expires: "{expires}"
    """), encoding="utf-8")
    assert cli(runner, "check", cv, "--record", "--db", db, "--waivers", waivers).exit_code == 0
    out = tmp_path / "docs"
    out.mkdir()
    assert cli(runner, "render", cv, "--out", out, "--doc", "tracking_plan", "--record", "--db", db).exit_code == 0
    edited = tmp_path / "cv.yaml"
    edited.write_text(cv.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert cli(runner, "check", edited, "--record", "--db", db, "--waivers", waivers).exit_code == 0
    events = json.loads(cli(runner, "history", "cv-screener", "--db", db, "--format", "json").stdout)["events"]
    assert [e["at"] for e in events] == ["2031-03-03T04:00:00.000000Z"] * 3  # the register's clock is the pinned one

    soon = cli(runner, "due", "--db", db, "--within", "30d")
    assert soon.exit_code == 1  # the document is overdue: it describes the declaration before the edit
    assert f"waiver of OBL-EXANTE-ASSESSMENT ends {expires} (approved by Wang Fang, DPO)" in soon.stdout
    assert "cv-screener.tracking_plan.en.md (tracking_plan, en) describes an older declaration" in soon.stdout
    assert "review:" not in soon.stdout  # six months away

    later = today + timedelta(days=200)
    report = json.loads(cli(runner, "due", "--db", db, "--date", later, "--format", "json").stdout)
    found = {item["kind"]: item for item in report["items"]}
    assert sorted(found) == ["check", "document", "review", "waiver"]
    assert found["review"]["state"] == "overdue"
    assert found["review"]["due"] == _months_later(today, 6).isoformat() == "2031-09-03"  # six months after the first check
    assert found["check"]["state"] == "overdue" and found["check"]["due"] == (today + timedelta(days=90)).isoformat()
    assert found["waiver"]["state"] == "overdue"


def test_a_check_goes_stale_after_90_days_by_default_in_due_and_in_the_portfolio(runner, db, tmp_path, pinned_clock):
    """Protects the stale-check default: 90 days (timeline.DEFAULT_STALE_DAYS), in `aicomply due` and
    on the portfolio page, which takes no --stale. A check shows as due from 30 days before it goes
    stale (the default --within window), and is overdue after."""
    assert cli(runner, "check", RIDE, "--record", "--db", db).exit_code == 1
    day = pinned_clock
    stale = day + timedelta(days=90)

    def check_items(on: date) -> list[dict]:
        report = json.loads(cli(runner, "due", "--db", db, "--date", on, "--format", "json").stdout)
        return [item for item in report["items"] if item["kind"] == "check"]

    def portfolio(on: date) -> str:
        page = tmp_path / f"portfolio-{on}.html"
        assert cli(runner, "report", "--html", page, "--db", db, "--date", on).exit_code == 0
        return page.read_text(encoding="utf-8")

    assert check_items(day + timedelta(days=59)) == []
    assert [(i["due"], i["state"]) for i in check_items(day + timedelta(days=60))] == [(stale.isoformat(), "upcoming")]
    assert [(i["due"], i["state"]) for i in check_items(day + timedelta(days=91))] == [(stale.isoformat(), "overdue")]
    assert "check again by" not in portfolio(day + timedelta(days=59))
    assert f"check again by {stale} (every 90 days)" in portfolio(day + timedelta(days=60))


def test_a_recorded_review_sets_the_next_due_date(runner, recorded):
    product = "cv-screener"
    cli(runner, "review", "add", product, "--reviewer", "Li Wei", "--outcome", "Bias metrics within bounds",
        "--date", "2026-11-24", "--next", "2027-01-15", "--db", recorded)
    report = json.loads(cli(runner, "due", "--db", recorded, "--date", "2027-01-10", "--format", "json",
                            "--stale", "365d").stdout)
    review = [i for i in report["items"] if i["product"] == product and i["kind"] == "review"]
    assert review == [{"product": product, "kind": "review", "due": "2027-01-15", "state": "upcoming",
                       "detail": {"en": "tracking review due 2027-01-15 (last review 2026-11-24)",
                                  "zh": "跟踪复核应于 2027-01-15 完成（上次复核 2026-11-24）"}}]


def test_due_with_a_bad_window_is_a_usage_error(runner, recorded):
    result = cli(runner, "due", "--db", recorded, "--within", "soon")
    assert result.exit_code == 2 and "--within takes a number of days from 0 to 3660 such as 30d" in result.stderr


# --------------------------------------------------------------------- export, import

def test_export_and_import_round_trip_idempotently(runner, recorded, tmp_path):
    cli(runner, "incident", "add", "cv-screener", "--severity", "low", "--summary", "Typo in notice", "--db", recorded)
    export = tmp_path / "backup.jsonl"
    result = cli(runner, "register", "export", export, "--db", recorded)
    head = rows(recorded)[-1][5]
    assert result.exit_code == 0 and f"exported {len(PRODUCTS) + 1} records" in result.stdout and head in result.stdout
    copy = tmp_path / "moved" / "register.db"
    assert "imported 12 records (0 already present)" in cli(runner, "register", "import", export, "--db", copy).stdout
    assert "imported 0 records (12 already present)" in cli(runner, "register", "import", export, "--db", copy).stdout
    assert rows(copy) == rows(recorded)
    assert cli(runner, "register", "export", export, "--db", recorded).exit_code == 2  # never overwrites silently


def test_import_refuses_a_tampered_export_and_writes_nothing(runner, recorded, tmp_path):
    export = tmp_path / "backup.jsonl"
    cli(runner, "register", "export", export, "--db", recorded)
    lines = export.read_text(encoding="utf-8").splitlines()
    forged = json.loads(lines[3])  # record 3 (line 1 is the header)
    forged["body"]["result"]["risk_level"] = "low" if forged["body"]["result"]["risk_level"] != "low" else "high"
    lines[3] = json.dumps(forged)
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = tmp_path / "new.db"
    result = cli(runner, "register", "import", export, "--db", target)
    assert result.exit_code == 2 and "record 3 does not verify" in result.stderr and f"{export}:4" in result.stderr
    assert not target.exists()


def test_export_refuses_a_register_that_does_not_verify(runner, recorded, tmp_path):
    recorded.tamper(3, product="someone-else")
    export = tmp_path / "backup.jsonl"
    result = cli(runner, "register", "export", export, "--db", recorded)
    assert result.exit_code == 2
    assert result.stderr == (f"aicomply: error: {recorded}: record 3 does not verify ({_CHANGED}); nothing was exported "
                             "(see `aicomply verify`)\n")
    assert not export.exists()


def test_an_export_says_what_it_is_then_holds_each_record_in_canonical_form(runner, recorded, tmp_path):
    """First line: format, register schema, record count and head. Then each record as stored, its
    body canonical JSON: sorted keys, no spaces, UTF-8 (Chinese as is)."""
    export, lines = _export_lines(runner, recorded, tmp_path)
    stored = rows(recorded)
    assert json.loads(lines[0]) == {"format": "aicomply-register-export/v1", "schema": 1, "records": len(stored),
                                    "head": stored[-1][5]}
    for line, (seq, kind, product, body, prev, digest) in zip(lines[1:], stored):
        item = json.loads(line)
        assert (item["seq"], item["kind"], item["product"], item["prev"], item["hash"]) == (seq, kind, product, prev, digest)
        assert body == json.dumps(json.loads(body), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        assert line == json.dumps(item, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert any("深圳" in body for *_, body, _, _ in stored)  # Chinese kept as is, not \u escapes
    again = cli(runner, "register", "export", export, "--db", recorded, "--force")
    assert again.exit_code == 0 and export.read_text(encoding="utf-8").splitlines() == lines  # --force replaces


def _export_lines(runner, recorded, tmp_path) -> tuple[Path, list[str]]:
    export = tmp_path / "backup.jsonl"
    assert cli(runner, "register", "export", export, "--db", recorded).exit_code == 0
    lines = export.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(PRODUCTS) + 1  # the header, then one record a line
    return export, lines


def test_an_export_can_be_verified_without_aicomply(runner, recorded, tmp_path):
    """The hash format is a contract registers outlive releases with: each record's hash is the
    SHA-256 of its sequence number, time, kind, product, previous hash and body, one per line, UTF-8;
    each links to the one before, from 64 zeros. An auditor can check an export with hashlib alone."""
    _, lines = _export_lines(runner, recorded, tmp_path)
    previous = "0" * 64
    for line in lines[1:]:
        item = json.loads(line)
        body = json.dumps(item["body"], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        material = "\n".join((str(item["seq"]), item["at"], item["kind"], item["product"], item["prev"], body))
        assert item["prev"] == previous
        assert item["hash"] == hashlib.sha256(material.encode("utf-8")).hexdigest(), item["seq"]
        previous = item["hash"]
    assert previous == json.loads(lines[0])["head"]


def test_import_refuses_an_export_cut_short(runner, recorded, tmp_path):
    """The last record lost (a truncated copy): every line left verifies, but the header's count
    and head do not match; nothing is imported."""
    export, lines = _export_lines(runner, recorded, tmp_path)
    export.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    target = tmp_path / "new.db"
    result = cli(runner, "register", "import", export, "--db", target)
    assert result.exit_code == 2 and not target.exists()
    assert (f"the export is incomplete (the header promises {len(PRODUCTS)} records, the file holds "
            f"{len(PRODUCTS) - 1})") in result.stderr


def test_import_refuses_an_export_whose_header_miscounts(runner, recorded, tmp_path):
    export, lines = _export_lines(runner, recorded, tmp_path)
    header = json.loads(lines[0])
    lines[0] = json.dumps(dict(header, records=header["records"] + 1))
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli(runner, "register", "import", export, "--db", tmp_path / "new.db")
    assert result.exit_code == 2 and "the export is incomplete" in result.stderr


@pytest.mark.parametrize("content, words", [(b"", ":1: not an aicomply register export"),
                                            (b"\xff\xfe not text", ": cannot read the export")])
def test_import_of_an_empty_or_unreadable_file_is_one_line(runner, tmp_path, content, words):
    export = tmp_path / "backup.jsonl"
    export.write_bytes(content)
    result = cli(runner, "register", "import", export, "--db", tmp_path / "new.db")
    assert result.exit_code == 2 and f"{export}{words}" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "new.db").exists()


def test_import_refuses_an_export_with_a_record_missing(runner, recorded, tmp_path):
    export, lines = _export_lines(runner, recorded, tmp_path)
    del lines[4]  # record 4
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli(runner, "register", "import", export, "--db", tmp_path / "new.db")
    assert result.exit_code == 2
    assert f"{export}:5: record 4 does not verify (record 4 is missing (the next one is 5))" in result.stderr


MAX_SEQ = 2**63 - 1  # SQLite's and PostgreSQL's largest integer


def _record_line(lines: list[str], **changes) -> str:
    return json.dumps(dict(json.loads(lines[2]), **changes))


@pytest.mark.parametrize("damage, where, words", [
    (lambda lines: ['{"format": "something-else"}'] + lines[1:], 1,
     "not an aicomply register export (expected format aicomply-register-export/v1)"),
    (lambda lines: lines[:2] + ['{"seq": 2, "kind": "check"}'] + lines[3:], 3,
     "not a register export record (seq, at, kind, product, body, prev and hash are required)"),
    (lambda lines: lines[:2] + ['[2, "check"]'] + lines[3:], 3,
     "not a register export record (seq, at, kind, product, body, prev and hash are required)"),
    (lambda lines: lines[:2] + ["not json"] + lines[3:], 3, "not a register export record (Expecting value"),
    (lambda lines: lines[:2] + [_record_line(lines, seq="2")] + lines[3:], 3,
     f"not a register export record (seq must be a whole number from 1 to {MAX_SEQ})"),
    (lambda lines: lines[:2] + [_record_line(lines, seq=MAX_SEQ + 1)] + lines[3:], 3,
     f"not a register export record (seq must be a whole number from 1 to {MAX_SEQ})"),
    (lambda lines: lines[:2] + [_record_line(lines, seq=MAX_SEQ)] + lines[3:], 3,
     f"record 2 does not verify (record 2 is missing (the next one is {MAX_SEQ}))"),  # the largest is a number
], ids=["header", "fields-missing", "not-a-mapping", "not-json", "seq-as-text", "seq-too-large", "seq-largest"])
def test_import_refuses_what_is_not_an_export_naming_the_line(runner, recorded, tmp_path, damage, where, words):
    export, lines = _export_lines(runner, recorded, tmp_path)
    export.write_text("\n".join(damage(lines)) + "\n", encoding="utf-8")
    target = tmp_path / "new.db"
    result = cli(runner, "register", "import", export, "--db", target)
    assert result.exit_code == 2 and not target.exists()
    assert result.stderr.startswith(f"aicomply: error: {export}:{where}: {words}"), result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.output


def test_import_of_a_named_pipe_is_refused_without_waiting(runner, tmp_path):
    fifo = tmp_path / "backup.jsonl"
    os.mkfifo(fifo)
    result = cli(runner, "register", "import", fifo, "--db", tmp_path / "new.db")
    assert result.exit_code == 2
    assert result.stderr == (f"aicomply: error: {fifo}: cannot read the export (is a named pipe, not a regular file; "
                             "only regular files are read)\n")
    assert not (tmp_path / "new.db").exists()


def test_verify_says_when_the_chain_does_not_start_at_its_beginning(runner, recorded):
    """The first record rewritten to hang off another chain (a fresh hash over a foreign `prev`)."""
    from compliance.register.records import Record, record_hash

    first = _record(recorded, 1)
    foreign = "f" * 64
    recorded.tamper(1, prev=foreign, hash=record_hash(Record(1, first.at, first.kind, first.product, first.body,
                                                               foreign, "")))
    result = cli(runner, "verify", "--db", recorded)
    assert result.exit_code == 1
    assert result.stdout == f"{recorded}: record 1 does not verify: it does not start the chain; no record comes before it\n"


def test_import_refuses_a_diverging_history(runner, recorded, tmp_path):
    export = tmp_path / "backup.jsonl"
    cli(runner, "register", "export", export, "--db", recorded)
    other = tmp_path / "other.db"
    cli(runner, "check", RIDE, "--record", "--db", other)  # another register with a different first record
    result = cli(runner, "register", "import", export, "--db", other)
    assert result.exit_code == 2 and "the records diverge from this register at record 1; nothing was written" in result.stderr
    assert len(rows(other)) == 1


def test_config_moves_the_register(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "aicomply.yaml").write_text("register: records/tracking.db\n", encoding="utf-8")
    assert cli(runner, "check", RIDE, "--record").exit_code == 1
    assert (tmp_path / "records" / "tracking.db").is_file()
    assert "records/tracking.db" in cli(runner, "config").stdout


def test_default_register_location(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli(runner, "check", RIDE, "--record").exit_code == 1
    assert (tmp_path / ".aicomply" / "register.db").is_file()
    assert cli(runner, "verify").exit_code == 0


def test_an_unchanged_recheck_is_recorded_as_a_repeat(runner, db, tmp_path):
    for _ in range(3):
        assert cli(runner, "check", RIDE, "--record", "--db", db).exit_code == 1
    stored = rows(db)
    assert len(stored) == 3
    assert [json.loads(r[3]).get("same_as") for r in stored] == [None, 1, 1]  # a repeat points at the full record
    assert len(stored[1][3]) < 100 < len(stored[0][3])
    history = cli(runner, "history", "ride-hailing-dynamic-pricing", "--db", db).stdout.splitlines()
    assert "MEDIUM (first check)" in history[1] and "MEDIUM (no change)" in history[2] and "(no change)" in history[3]
    diffed = json.loads(cli(runner, "diff", "@1", "ride-hailing-dynamic-pricing", "--db", db, "--format", "json").stdout)
    assert diffed["changed"] is False
    edited = _edited(tmp_path, "reach: 6500000", "reach: 500")
    assert cli(runner, "check", edited, "--record", "--db", db).exit_code == 1
    assert "same_as" not in json.loads(rows(db)[-1][3])  # a change is stored in full


def test_a_register_held_too_long_by_another_writer_is_one_line(runner, recorded, monkeypatch):
    if recorded.name == "sqlite":
        import compliance.register.sqlite as backend

        holder = sqlite3.connect(recorded.db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another process in the middle of a long write
        release = lambda: (holder.execute("ROLLBACK"), holder.close())  # noqa: E731
        words = "cannot be used right now (database is locked)"
    else:
        import psycopg

        import compliance.register.postgresql as backend

        holder = psycopg.connect(recorded.db)
        holder.execute("SELECT pg_advisory_xact_lock(%s)", (backend.LOCK_KEY,))  # a writer mid-transaction
        release = lambda: (holder.rollback(), holder.close())  # noqa: E731
        words = "cannot be used right now (another writer held it for more than 0.2 s"
    monkeypatch.setattr(backend, "BUSY_TIMEOUT_S", 0.2)
    try:
        result = cli(runner, "incident", "add", "cv-screener", "--severity", "low", "--summary", "x", "--db", recorded)
    finally:
        release()
    assert result.exit_code == 2 and words in result.stderr, result.stderr
    assert len(rows(recorded)) == len(PRODUCTS)


def test_a_repeat_keeps_its_own_source_and_points_at_the_full_record(runner, db):
    """A check that repeats a recheck's record (same packs, same result) is stored as a repeat: the
    history shows it as a check, not as the recheck it repeats."""
    org = ROOT / "tests" / "data" / "org-pack"
    assert cli(runner, "check", RIDE, "--record", "--db", db).exit_code == 1
    assert json.loads(cli(runner, "recheck", "--db", db, "--extra-pack", org, "--record", "--format", "json").stdout)["changed"]
    assert cli(runner, "check", RIDE, "--extra-pack", org, "--record", "--db", db).exit_code == 1
    assert [json.loads(r[3]).get("same_as") for r in rows(db)] == [None, None, 2]
    events = json.loads(cli(runner, "history", "ride-hailing-dynamic-pricing", "--db", db, "--format", "json").stdout)["events"]
    assert [(e["source"], e["change"]) for e in events] == [("check", "first"), ("recheck", "same"), ("check", "repeat")]
    assert events[2]["packs"] == events[1]["packs"] and len(events[2]["packs"]) == 2  # the full record's body


def test_records_are_stamped_in_utc_whatever_the_local_time_zone(runner, db, monkeypatch):
    import time

    import time_machine

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        with time_machine.travel("2031-03-03 20:30:00Z", tick=False):  # 04:30 the next day in Shenzhen
            assert cli(runner, "check", RIDE, "--record", "--db", db).exit_code == 1
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    events = json.loads(cli(runner, "history", "ride-hailing-dynamic-pricing", "--db", db, "--format", "json").stdout)["events"]
    assert events[0]["at"] == "2031-03-03T20:30:00.000000Z"


def test_an_older_schema_is_migrated_on_open(runner, tmp_path):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as connection:  # our mark, schema version 0: nothing migrated yet
        connection.execute("PRAGMA application_id = 1634288433")
        connection.execute("CREATE TABLE placeholder (x)")
    assert cli(runner, "check", RIDE, "--record", "--db", path).exit_code == 1
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 2
    assert len(rows(path)) == 1 and cli(runner, "verify", "--db", path).exit_code == 0


def test_a_schema_1_register_is_read_as_it_is_and_compacted_when_written(runner, tmp_path):
    """Schema 1 kept bodies as text: reading commands read it unchanged (they never write), the
    first write moves it to schema 2 (compressed bodies) with the chain and head unchanged."""
    from compliance.register.records import GENESIS, Record, canonical, record_hash
    from compliance.register.sqlite import MIGRATIONS

    path = tmp_path / "v1.db"
    lines = (ROOT / "tests" / "hostile" / "register-line-separators.jsonl").read_text(encoding="utf-8").split("\n")
    repeat = {"source": "check", "same_as": 1}
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA application_id = 1634288433")
        for statement in MIGRATIONS[1]:
            connection.execute(statement)
        connection.execute("PRAGMA user_version = 1")
        prev = GENESIS
        for seq, body in ((1, json.loads(lines[1])["body"]), (2, repeat)):
            record = Record(seq, f"2026-01-0{seq}T08:00:00.000000Z", "check", "cv-screener", canonical(body), prev, "")
            prev = record_hash(record)
            connection.execute("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?)",
                               (seq, record.at, "check", "cv-screener", record.body, record.prev, prev))
    before = path.read_bytes()
    verified = cli(runner, "verify", "--db", path)
    assert verified.exit_code == 0 and f"2 records, chain intact; head {prev}" in verified.stdout
    assert "(no change)" in cli(runner, "history", "cv-screener", "--db", path).stdout
    assert path.read_bytes() == before  # read as schema 1, not migrated by a reading command
    size = len(before)
    assert cli(runner, "incident", "add", "cv-screener", "--severity", "low", "--summary", "s", "--db", path,
               "--date", "2026-01-03").exit_code == 0
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 2
        stored = connection.execute("SELECT length(body), same_as FROM records ORDER BY seq").fetchall()
    assert stored[0][0] < 6000 and stored[1][1] == 1
    assert "3 records, chain intact" in cli(runner, "verify", "--db", path).stdout
    assert rows(path)[1][5] == prev and size > 0
