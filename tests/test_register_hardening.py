"""Register hardening (issue 9, items 2, 3, 4, 21 and the register part of 23): exports that
restore whatever text they hold, imports that refuse what the readers could not use, dates that
cannot break the register, read-only registers, and numbers too large for a date or a record."""

from __future__ import annotations

import html
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.cli import main

HOSTILE = ROOT / "tests" / "hostile"
CV = EXAMPLES / "cv-screener.yaml"


def cli(runner, *args):
    return runner.invoke(main, [str(a) for a in args])


def one_error_line(result) -> str:
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    return result.stderr


@pytest.fixture()
def recorded(runner, tmp_path):
    db = tmp_path / "reg" / "register.db"
    assert cli(runner, "check", CV, "--record", "--db", db).exit_code == 1  # cv-screener has errors
    return db


def test_the_hostile_exports_have_correct_chains():
    """Each hostile export (tests/hostile/register_inputs.py wrote them) links and hashes right,
    so only the checks of what a record holds can refuse it."""
    from compliance.register.records import GENESIS, Record, canonical, record_hash

    exports = sorted(HOSTILE.glob("register-*.jsonl"))
    assert len(exports) == 8
    for path in exports:
        lines = path.read_text(encoding="utf-8").split("\n")
        header, items = json.loads(lines[0]), [line for line in lines[1:] if line]
        if path.name == "register-deep.jsonl":
            assert header["records"] == 0 and items == ["[" * 100_000]
            continue
        prev = GENESIS
        for line in items:
            item = json.loads(line)
            body = canonical(item["body"])
            record = Record(item["seq"], item["at"], item["kind"], item["product"], body, item["prev"], "")
            assert item["prev"] == prev and record_hash(record) == item["hash"], path.name
            prev = item["hash"]
        assert header["records"] == len(items) and header["head"] == prev, path.name


# ------------------------------------------------------------ 2: exports that restore

def test_an_export_holding_line_separators_imports_and_exports_the_same_bytes(runner, tmp_path, backend):
    source = HOSTILE / "register-line-separators.jsonl"
    db = backend
    result = cli(runner, "register", "import", source, "--db", db)
    assert result.exit_code == 0 and "imported 3 records" in result.stdout, result.output
    again = tmp_path / "again.jsonl"
    assert cli(runner, "register", "export", again, "--db", db).exit_code == 0
    assert again.read_bytes() == source.read_bytes()
    history = cli(runner, "history", "cv-screener", "--format", "json", "--db", db)
    assert history.exit_code == 0 and "\u2028" in history.stdout


_FREE = st.text(st.characters(codec="utf-8"), max_size=40)  # any Unicode scalar value (no lone surrogates)
_FILLED = st.text(st.characters(codec="utf-8"), min_size=1, max_size=40)


def _check_template() -> dict:
    """A real check body (the first record of a hostile export, made by the recorder's code)."""
    if not hasattr(_check_template, "body"):
        lines = (HOSTILE / "register-line-separators.jsonl").read_text(encoding="utf-8").split("\n")
        _check_template.body = json.loads(lines[1])["body"]
    return _check_template.body


@st.composite
def record_of_every_kind(draw) -> list[tuple[str, dict]]:
    """A check, a document, an incident and a review whose every free-text field is arbitrary."""
    import copy

    check = copy.deepcopy(_check_template())
    check["declaration"].update(content=draw(_FREE), path=draw(_FREE))
    check["tool"] = draw(_FREE)
    result = check["result"]
    result.update(path=draw(_FREE), product_name=draw(_FREE), product_version=draw(_FREE))
    for item in result["findings"][:2] + result["reasons"][:2]:
        item.update(title=draw(_FREE), message=draw(_FREE))
    document = {"document": draw(_FREE), "lang": draw(st.sampled_from(["en", "zh", None])), "path": draw(_FREE),
                "sha256": "a" * 64, "declaration_sha256": "b" * 64, "date": "2026-11-24"}
    incident = {"severity": "high", "summary": draw(_FILLED), "occurred": "2026-11-24", "details": draw(_FREE),
                "reported_by": draw(_FREE)}
    review = {"date": "2026-11-24", "reviewer": draw(_FILLED), "outcome": draw(_FILLED), "next_due": None}
    return [("check", check), ("document", document), ("incident", incident), ("review", review)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record_of_every_kind())
def test_export_then_import_round_trips_any_text(records):
    from compliance.register.backup import export, read_export
    from compliance.register.store import opened

    with tempfile.TemporaryDirectory() as folder:
        first, second, file = Path(folder, "a.db"), Path(folder, "b.db"), Path(folder, "export.jsonl")
        with opened(first, create=True) as register:
            for kind, body in records:
                register.append(kind, "cv-screener", body)
            export(register, file)
            original = list(register.records())
        with opened(second, create=True) as register:
            assert register.extend(read_export(file, "export.jsonl")) == (4, 0)
            assert list(register.records()) == original


# -------------------------------------------------- 3: imports the readers can use

@pytest.mark.parametrize("name, words", [
    ("register-body-hello.jsonl", "register-body-hello.jsonl:2: record 1 does not verify (its check body does not "
                                  "match register-check-v1.schema.json"),
    ("register-body-same-as-99.jsonl", "register-body-same-as-99.jsonl:2: record 1 does not verify (it repeats "
                                       "record 99, which is not an earlier full check of cv-screener)"),
    ("register-body-list.jsonl", "register-body-list.jsonl:2: not a register export record (body must be a JSON "
                                 "object)"),
    ("register-schema-99.jsonl", "register-schema-99.jsonl:1: the export has register schema 99"),
    ("register-deep.jsonl", "register-deep.jsonl:2: not a register export record (nested too deeply)"),
])
def test_an_import_the_readers_could_not_use_is_refused_and_writes_nothing(runner, backend, name, words):
    result = cli(runner, "register", "import", HOSTILE / name, "--db", backend)
    assert words in one_error_line(result)
    assert not backend.exists() or backend.rows() == []


def test_verify_checks_what_each_record_holds(runner, backend):
    """A record inserted with a correct hash but a body no reader can use is named by verify."""
    from compliance.register.records import Record, canonical, record_hash
    from compliance.register.store import opened

    assert cli(runner, "check", CV, "--record", "--db", backend).exit_code == 1
    with opened(backend.db) as register:
        seq, prev = register.head()
        record = Record(seq + 1, "2026-11-24T08:00:00.000000Z", "incident", "cv-screener",
                        canonical({"hello": "world"}), prev, "")
        register.extend([record.with_hash(record_hash(record))])  # extend trusts its caller to have verified
    result = cli(runner, "verify", "--db", backend)
    assert result.exit_code == 1
    assert "record 2 does not verify: its incident body does not match register-incident-v1.schema.json" in result.stdout


REVIEW = {"date": "2026-11-20", "next_due": None, "outcome": "Bias metrics within bounds", "reviewer": "Li Wei"}
INCIDENT = {"severity": "low", "summary": "Typo in the notice", "occurred": "2026-11-20", "details": None,
            "reported_by": None}


@pytest.mark.parametrize("kind, product, body, words", [
    ("incident", "cv-screener", [], "its incident body does not match register-incident-v1.schema.json "
                                    "(body: Input should be an object)"),
    ("incident", "cv-screener", dict(INCIDENT, reported_by=5),
     "its incident body does not match register-incident-v1.schema.json (reported_by: Input should be a valid string)"),
    ("review", "cv-screener", dict(REVIEW, reviewer=""),
     "its review body does not match register-review-v1.schema.json (reviewer: String should have at least 1 "
     "character)"),
    ("review", "Bad Product", REVIEW, "its product 'Bad Product' is not a product id"),
    ("review", "a" * 65, REVIEW, f"its product '{'a' * 65}' is not a product id"),
    ("review", "a" * 64, REVIEW, None),  # the longest product id
], ids=["body-not-an-object", "one-wrong-field", "empty-reviewer", "product-not-an-id", "product-65", "product-64"])
def test_verify_names_what_a_record_holds_that_no_reader_can_use(runner, backend, kind, product, body, words):
    """Each record with a correct hash is checked for what it holds: its product id and its body,
    where the first problem is named by its field (the whole body when it is not an object)."""
    from compliance.register.records import Record, canonical, record_hash
    from compliance.register.store import opened

    assert cli(runner, "check", CV, "--record", "--db", backend).exit_code == 1
    with opened(backend.db) as register:
        seq, prev = register.head()
        record = Record(seq + 1, "2026-11-24T08:00:00.000000Z", kind, product, canonical(body), prev, "")
        register.extend([record.with_hash(record_hash(record))])  # extend trusts its caller to have verified
    result = cli(runner, "verify", "--db", backend)
    if words is None:
        assert result.exit_code == 0 and "2 records, chain intact" in result.stdout, result.stdout
    else:
        assert result.exit_code == 1
        assert result.stdout == f"{backend}: record 2 does not verify: {words}; the record before it is intact\n"


def test_verify_names_a_nested_field_of_a_check_by_its_path(runner, backend):
    """A check body is one of two shapes (a full check or a repeat); the problem is named by its path
    inside the body (`result.risk_level`), not by the name of the shape it was tried against."""
    from compliance.register.records import Record, canonical, record_hash
    from compliance.register.store import opened

    assert cli(runner, "check", CV, "--record", "--db", backend).exit_code == 1
    with opened(backend.db) as register:
        [first] = list(register.records())
        body = json.loads(first.body)
        body["result"]["risk_level"] = "extreme"
        seq, prev = register.head()
        record = Record(seq + 1, "2026-11-24T08:00:00.000000Z", "check", first.product, canonical(body), prev, "")
        register.extend([record.with_hash(record_hash(record))])
    result = cli(runner, "verify", "--db", backend)
    assert result.exit_code == 1
    assert result.stdout == (f"{backend}: record 2 does not verify: its check body does not match "
                             "register-check-v1.schema.json (result.risk_level: Input should be 'high', 'medium' or "
                             "'low'); the record before it is intact\n")


# -------------------------------------------------------- 4: dates that break nothing

def test_review_and_incident_dates_must_be_ones_that_can_have_happened(runner, recorded):
    """The clock is stopped at 00:30 on 4 March in Shenzhen (16:30 on 3 March UTC): "today" is the
    date where the person entering it is (the default time zone), and the test cannot straddle midnight."""
    import time_machine

    with time_machine.travel("2031-03-03 16:30:00Z", tick=False):
        _dates_that_can_have_happened(runner, recorded, date(2031, 3, 4))


def _dates_that_can_have_happened(runner, recorded, local):
    tomorrow, later = local + timedelta(days=1), local + timedelta(days=3)
    for command in (["review", "add", "cv-screener", "--reviewer", "r", "--outcome", "o"],
                    ["incident", "add", "cv-screener", "--severity", "low", "--summary", "s"]):
        for bad in ("9999-12-31", later.isoformat(), "1999-12-31"):
            result = cli(runner, *command, "--date", bad, "--db", recorded)
            assert "is not a date this can have happened on" in one_error_line(result), bad
        assert cli(runner, *command, "--date", tomorrow.isoformat(), "--db", recorded).exit_code == 0
    with sqlite3.connect(recorded) as connection:
        assert connection.execute("SELECT count(*) FROM records").fetchone()[0] == 3
    far = cli(runner, "review", "add", "cv-screener", "--reviewer", "r", "--outcome", "o", "--next", "9999-12-31",
              "--db", recorded)
    assert "within ten years" in one_error_line(far)


@pytest.mark.parametrize("name, item", [
    ("register-review-9999.jsonl", "record #2 cannot be used: its date 9999-12-31 is so far ahead that the next "
                                   "review cannot be dated"),
    ("register-interval-100000.jsonl", "the tracking plan's review interval (100000 months) is not one a "
                                       "declaration may state (1 to 24)"),
])
def test_a_stored_value_no_reader_can_use_is_reported_for_its_record(runner, tmp_path, backend, name, item):
    db = backend
    assert cli(runner, "register", "import", HOSTILE / name, "--db", db).exit_code == 0
    due = cli(runner, "due", "--db", db, "--date", "2026-11-24")
    assert due.exit_code == 1 and item in due.stdout, due.output
    page = tmp_path / "portfolio.html"
    report = cli(runner, "report", "--html", page, "--db", db, "--date", "2026-11-24")
    assert report.exit_code == 0 and item in html.unescape(page.read_text(encoding="utf-8")), report.output
    for command in (["history", "cv-screener"], ["incident", "list"], ["verify"]):
        assert cli(runner, *command, "--db", db).exit_code == 0, command


# ------------------------------------------------------- 21: read-only registers

def _read_only(folder: Path, command: list[str]) -> subprocess.CompletedProcess:
    """Run aicomply with `folder` read-only: a read-only bind mount as root (root ignores file
    modes), the folder's write bits removed otherwise."""
    env = dict(os.environ, PYTHONPATH=str(Path(sys.modules["compliance"].__file__).resolve().parent.parent))
    aicomply = [sys.executable, "-m", "compliance", *command]
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            return subprocess.run(aicomply, env=env, capture_output=True, text=True, timeout=120)
        finally:
            folder.chmod(0o755)
    script = ('mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" && ! touch "$0/probe" 2>/dev/null '
              '&& exec "$@"')
    return subprocess.run(["unshare", "--mount", "sh", "-c", script, str(folder), *aicomply], env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("command", [["verify"], ["history", "cv-screener"], ["register", "export", "{out}/e.jsonl"],
                                     ["due"], ["incident", "list"], ["diff", "@1", "cv-screener"],
                                     ["report", "--html", "{out}/p.html"]])
def test_reading_commands_work_on_a_read_only_register(runner, recorded, tmp_path, command):
    if os.geteuid() == 0 and shutil.which("unshare") is None:
        pytest.fail("unshare (util-linux) is needed to make a read-only folder as root")
    out = tmp_path / "out"
    out.mkdir()
    folder = recorded.parent
    before = sorted(p.name for p in folder.iterdir())
    assert recorded.name in before
    result = _read_only(folder, [part.format(out=out) for part in command] + ["--db", str(recorded)])
    assert result.returncode in (0, 1) and "error" not in result.stderr, result.stderr
    assert sorted(p.name for p in folder.iterdir()) == before


# ------------------------------------------------------- 23: numbers out of range

def test_a_record_number_too_large_for_the_register_is_one_line(runner, recorded):
    result = cli(runner, "diff", "@99999999999999999999", "@1", "--db", recorded)
    assert "the register has no check record 99999999999999999999" in one_error_line(result)


def test_due_windows_past_year_9999_are_refused_or_end_there(runner, recorded):
    result = cli(runner, "due", "--within", "99999d", "--date", "9999-12-01", "--db", recorded)
    assert "--within takes a number of days from 0 to 3660" in one_error_line(result)
    late = cli(runner, "due", "--within", "3000d", "--stale", "3000d", "--date", "9999-12-01", "--db", recorded)
    assert late.exit_code == 1 and "OVERDUE" in late.stdout, late.output


def test_a_named_pipe_is_never_read_as_an_export_or_a_register(tmp_path):
    """register import of a FIFO, and --db naming one, used to block forever."""
    import subprocess
    import sys

    fifo = tmp_path / "export.jsonl"
    os.mkfifo(fifo)
    for args in (["register", "import", str(fifo), "--db", str(tmp_path / "r.db")], ["verify", "--db", str(fifo)]):
        done = subprocess.run([sys.executable, "-m", "compliance", *args], capture_output=True, text=True, timeout=60,
                              env=dict(os.environ, PYTHONPATH=str(ROOT)))
        assert done.returncode == 2, done.stderr
        assert "named pipe" in done.stderr and len(done.stderr.strip().splitlines()) == 1
