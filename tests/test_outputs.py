"""Every command that writes a file, against the same rules (issue 9 items 1, 5, 6, 22, 24, 25;
issue 12 item 7): never onto an input or the register, never over a file without --force (check
replaces its own earlier reports), new files follow the umask, existing files keep their mode,
symlinks and pipes are written through. Special files are made here; no test writes to a device."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import threading
from pathlib import Path

import pytest

from compliance.cli import main
from compliance.report import FORMATS
from conftest import EXAMPLES, ROOT

LOW = EXAMPLES / "internal-code-assistant.yaml"
PROFILE = ROOT / "profiles" / "example-profile.yaml"
_SUFFIX = {"text": "txt", "json": "json", "jsonl": "jsonl", "sarif": "sarif", "junit": "xml", "github": "annotations",
           "markdown": "md"}


def cli(runner, *args):
    return runner.invoke(main, [str(a) for a in args])


@pytest.fixture(autouse=True)
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture()
def declaration(tmp_path) -> Path:
    path = tmp_path / "p.yaml"
    shutil.copy(LOW, path)
    return path


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture()
def register(runner, tmp_path, declaration) -> Path:
    db = tmp_path / "reg" / "register.db"
    assert cli(runner, "check", declaration, "--record", "--db", db).exit_code == 0
    return db


def _register_intact(db: Path) -> None:
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM records").fetchone()[0] >= 1


# ------------------------------------------------------------------------------------ check

def test_check_never_writes_onto_its_input(runner, declaration):
    before = declaration.read_bytes()
    for extra in ((), ("--force",)):
        result = cli(runner, "check", declaration, "--format", "markdown", "-o", declaration, *extra)
        assert result.exit_code == 2, result.output
        assert "is a declaration this run checks; aicomply never writes over it" in result.stderr
        assert declaration.read_bytes() == before


def test_check_never_writes_onto_an_input_by_another_name(runner, tmp_path, declaration):
    before = declaration.read_bytes()
    os.link(declaration, tmp_path / "hard.json")
    (tmp_path / "soft.json").symlink_to(declaration)
    for alias in ("hard.json", "soft.json"):
        result = cli(runner, "check", declaration, "--format", "json", "-o", tmp_path / alias, "--force")
        assert result.exit_code == 2 and "is a declaration this run checks" in result.stderr, result.output
    assert declaration.read_bytes() == before and (tmp_path / "soft.json").is_symlink()


def test_check_never_writes_onto_a_declaration_found_in_a_folder(runner, tmp_path, declaration):
    before = declaration.read_bytes()
    result = cli(runner, "check", tmp_path, "--format", "json", "-o", declaration, "--force")
    assert result.exit_code == 2 and "is a declaration this run checks" in result.stderr
    assert declaration.read_bytes() == before


def test_check_never_writes_onto_the_register(runner, declaration, register):
    before = register.read_bytes()
    for extra in (("--record",), ()):
        result = cli(runner, "check", declaration, "--db", register, "--format", "json", "-o", register, "--force",
                     *extra)
        assert result.exit_code == 2 and "is the register in use" in result.stderr, result.output
    assert register.read_bytes() == before
    _register_intact(register)


def test_a_refused_output_costs_nothing_not_even_a_new_register(runner, tmp_path, declaration):
    db = tmp_path / "new" / "register.db"
    result = cli(runner, "check", declaration, "--record", "--db", db, "--format", "json", "-o", declaration)
    assert result.exit_code == 2 and "is a declaration this run checks" in result.stderr
    assert not db.parent.exists()


def test_check_replaces_its_own_report_but_nothing_else_without_force(runner, tmp_path, declaration):
    target = tmp_path / "report.json"
    assert cli(runner, "check", declaration, "--format", "json", "-o", target).exit_code == 0
    target.chmod(0o640)
    again = cli(runner, "check", declaration, "--format", "json", "-o", target)
    assert again.exit_code == 0, again.output  # CI rewrites its report every run
    assert json.loads(target.read_text(encoding="utf-8"))["gate"] == "passed" and _mode(target) == 0o640
    other = tmp_path / "notes.json"
    other.write_text('{"mine": true}\n', encoding="utf-8")
    refused = cli(runner, "check", declaration, "--format", "json", "-o", other)
    assert refused.exit_code == 2
    assert f"{other}: exists and is not a report aicomply wrote; pass --force" in refused.stderr
    assert other.read_text(encoding="utf-8") == '{"mine": true}\n'
    assert cli(runner, "check", declaration, "--format", "json", "-o", other, "--force").exit_code == 0
    assert json.loads(other.read_text(encoding="utf-8"))["gate"] == "passed"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_recognises_its_own_report(runner, tmp_path, fmt, lang):
    target = tmp_path / f"report.{_SUFFIX[fmt]}"
    for ride in (False, True):  # a passing run, then one with findings (github writes nothing for the first)
        source = EXAMPLES / ("ride-hailing-dynamic-pricing.yaml" if ride else "internal-code-assistant.yaml")
        result = cli(runner, "check", source, "--format", fmt, "-o", target, "--lang", lang)
        assert result.exit_code == int(ride), result.output
    from compliance.report.output import written_by_aicomply

    assert target.stat().st_size > 0 and written_by_aicomply(str(target))


def test_check_reports_follow_the_umask_and_keep_a_mode(runner, tmp_path, declaration):
    target = tmp_path / "r.sarif"
    assert cli(runner, "check", declaration, "--format", "sarif", "-o", target).exit_code == 0
    assert _mode(target) == 0o644
    target.chmod(0o664)
    assert cli(runner, "check", declaration, "--format", "sarif", "-o", target).exit_code == 0
    assert _mode(target) == 0o664
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.yaml", "r.sarif"]


def test_check_writes_through_a_symlink_to_a_report(runner, tmp_path, declaration):
    real = tmp_path / "reports" / "r.json"
    real.parent.mkdir()
    assert cli(runner, "check", declaration, "--format", "json", "-o", real).exit_code == 0
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    assert cli(runner, "check", declaration, "--format", "json", "-o", link).exit_code == 0
    assert link.is_symlink() and json.loads(real.read_text(encoding="utf-8"))["gate"] == "passed"


def test_check_writes_through_a_fifo_and_keeps_it(runner, tmp_path, declaration):
    fifo = tmp_path / "report.pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = cli(runner, "check", declaration, "--format", "json", "-o", fifo)
    reader.join(20)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # not replaced by a regular file
    assert json.loads(received[0])["gate"] == "passed"


def test_check_writes_to_the_descriptor_a_symlink_names(runner, tmp_path, declaration):
    """As `-o /dev/stdout` does: the link to /proc/self/fd/N stays, the pipe behind it gets the report."""
    read_end, write_end = os.pipe()
    try:
        link = tmp_path / "out.json"
        link.symlink_to(f"/proc/self/fd/{write_end}")
        result = cli(runner, "check", declaration, "--format", "json", "-o", link)
        assert result.exit_code == 0, result.output
        os.close(write_end)
        write_end = None
        with os.fdopen(read_end, "rb") as stream:
            read_end = None
            assert json.loads(stream.read())["gate"] == "passed"
        assert link.is_symlink()
    finally:
        for end in (read_end, write_end):
            if end is not None:
                os.close(end)


def test_two_formats_into_one_file_are_refused(runner, tmp_path, declaration):
    target = tmp_path / "both.out"
    result = cli(runner, "check", declaration, "--format", "json", "-o", target, "--format", "sarif", "-o", target)
    assert result.exit_code == 2 and "named twice" in result.stderr
    assert not target.exists()


# --------------------------------------------------------------------------- baseline create

def test_baseline_create_never_writes_onto_a_declaration(runner, tmp_path, declaration):
    before = declaration.read_bytes()
    result = cli(runner, "baseline", "create", tmp_path, "-o", declaration, "--force")
    assert result.exit_code == 2 and "is a declaration this run checks" in result.stderr
    assert declaration.read_bytes() == before


def test_baseline_create_follows_the_umask(runner, tmp_path, declaration):
    target = tmp_path / "base.json"
    assert cli(runner, "baseline", "create", declaration, "-o", target).exit_code == 0
    assert _mode(target) == 0o644
    assert cli(runner, "baseline", "create", declaration, "-o", target).exit_code == 2  # needs --force
    target.chmod(0o600)
    assert cli(runner, "baseline", "create", declaration, "-o", target, "--force").exit_code == 0
    assert _mode(target) == 0o600


# ------------------------------------------------------------------------------------ render

def test_render_creates_its_folder_with_umask_modes(runner, tmp_path):
    out = tmp_path / "docs" / "2026"
    result = cli(runner, "render", LOW, "--out", out, "--date", "2026-11-24")
    assert result.exit_code == 0, result.output
    written = sorted(out.iterdir())
    assert [p.name for p in written] == ["internal-code-assistant.disclosure.en.md",
                                         "internal-code-assistant.tracking_plan.en.md"]
    assert [_mode(p) for p in written] == [0o644, 0o644] and _mode(out) == 0o755


def test_render_html_then_markdown_into_one_folder(runner, tmp_path):
    cv = EXAMPLES / "cv-screener.yaml"
    assert cli(runner, "render", cv, "--out", tmp_path, "--date", "2026-11-24", "--format", "html").exit_code == 0
    second = cli(runner, "render", cv, "--out", tmp_path, "--date", "2026-11-24", "--format", "md")
    assert second.exit_code == 0, second.output
    names = {p.name for p in tmp_path.iterdir()}
    assert {"cv-screener.ethics_filing.html.json", "cv-screener.ethics_filing.md.json",
            "cv-screener.ethics_filing.en.html", "cv-screener.ethics_filing.en.md"} <= names
    assert len(names) == 10  # four documents and a twin, per format


def test_render_refuses_a_dangling_symlink_before_writing_anything(runner, tmp_path):
    link = tmp_path / "internal-code-assistant.tracking_plan.en.md"  # the second document
    link.symlink_to(tmp_path / "gone.md")
    result = cli(runner, "render", LOW, "--out", tmp_path, "--date", "2026-11-24")
    assert result.exit_code == 1
    assert f"{link} exists; nothing was written" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == [link.name]  # the disclosure was not written either
    forced = cli(runner, "render", LOW, "--out", tmp_path, "--date", "2026-11-24", "--force")
    assert forced.exit_code == 2 and "which does not exist" in forced.stderr
    assert [p.name for p in tmp_path.iterdir()] == [link.name] and not (tmp_path / "gone.md").exists()


def test_render_never_writes_onto_its_declaration(runner, tmp_path):
    declaration = tmp_path / "internal-code-assistant.disclosure.en.md"  # YAML, named like its own document
    shutil.copy(LOW, declaration)
    before = declaration.read_bytes()
    result = cli(runner, "render", declaration, "--out", tmp_path, "--date", "2026-11-24", "--force")
    assert result.exit_code == 2 and "is the declaration rendered" in result.stderr
    assert declaration.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [declaration.name]


# -------------------------------------------------------------------------------------- init

def test_init_replaces_only_with_force_and_keeps_the_mode(runner, tmp_path):
    target = tmp_path / "declaration.yaml"
    target.write_text("mine\n", encoding="utf-8")
    target.chmod(0o640)
    assert cli(runner, "init", target).exit_code == 1
    assert target.read_text(encoding="utf-8") == "mine\n"
    assert cli(runner, "init", target, "--force").exit_code == 0
    assert "format: aicomply/v2" in target.read_text(encoding="utf-8") and _mode(target) == 0o640
    fresh = tmp_path / "fresh.yaml"
    assert cli(runner, "init", fresh).exit_code == 0 and _mode(fresh) == 0o644


# -------------------------------------------------------------------------------- incentives

def test_incentives_never_writes_onto_its_profile(runner, tmp_path):
    profile = tmp_path / "prof.yaml"
    shutil.copy(PROFILE, profile)
    before = profile.read_bytes()
    for extra in ((), ("--force",)):
        result = cli(runner, "incentives", profile, "-o", profile, *extra)
        assert result.exit_code == 2 and "is the profile read; aicomply never writes over it" in result.stderr
    assert profile.read_bytes() == before


def test_incentives_output_needs_force_to_replace(runner, tmp_path):
    target = tmp_path / "estimate.md"
    target.write_text("last year's memo", encoding="utf-8")
    target.chmod(0o640)
    result = cli(runner, "incentives", PROFILE, "--date", "2026-11-24", "-o", target)
    assert result.exit_code == 2 and "already exists; pass --force" in result.stderr
    assert target.read_text(encoding="utf-8") == "last year's memo"
    forced = cli(runner, "incentives", PROFILE, "--date", "2026-11-24", "-o", target, "--force")
    assert forced.exit_code == 0 and "Summary" in target.read_text(encoding="utf-8") and _mode(target) == 0o640


# ------------------------------------------------------------------- report --html, export

def test_report_html_never_writes_onto_the_register(runner, register):
    before = register.read_bytes()
    for extra in ((), ("--force",)):
        result = cli(runner, "report", "--html", register, "--db", register, *extra)
        assert result.exit_code == 2 and "is the register in use" in result.stderr, result.output
    assert register.read_bytes() == before
    _register_intact(register)


def test_report_html_needs_force_to_replace(runner, tmp_path, register):
    page = tmp_path / "portfolio.html"
    page.write_text("<p>signed-off copy</p>", encoding="utf-8")
    assert cli(runner, "report", "--html", page, "--db", register).exit_code == 2
    assert page.read_text(encoding="utf-8") == "<p>signed-off copy</p>"
    assert cli(runner, "report", "--html", page, "--db", register, "--force").exit_code == 0
    assert "<html" in page.read_text(encoding="utf-8")
    fresh = tmp_path / "fresh.html"
    assert cli(runner, "report", "--html", fresh, "--db", register).exit_code == 0 and _mode(fresh) == 0o644


def test_register_export_never_writes_onto_the_register(runner, tmp_path, register):
    before = register.read_bytes()
    result = cli(runner, "register", "export", register, "--force", "--db", register)
    assert result.exit_code == 2 and "is the register in use" in result.stderr
    assert register.read_bytes() == before
    _register_intact(register)
    export = tmp_path / "backup.jsonl"
    assert cli(runner, "register", "export", export, "--db", register).exit_code == 0 and _mode(export) == 0o644


def test_render_records_documents_in_a_folder_whose_name_is_not_utf8(runner, tmp_path):
    out = os.fsdecode(os.fsencode(tmp_path) + b"/d\xff")
    result = cli(runner, "render", LOW, "--out", out, "--date", "2026-11-24", "--record", "--db", tmp_path / "r.db")
    assert result.exit_code == 0, result.output
    assert "d\\xff/internal-code-assistant.disclosure.en.md" in result.stdout
    assert "recorded 2 documents" in result.stderr
    assert len(os.listdir(out)) == 2


# ----------------------------------------------------------------------------------- migrate

V1 = sorted((ROOT / "tests" / "data" / "examples-v1").glob("*.yaml"))[0]


def test_migrate_in_place_keeps_the_mode_and_the_symlink(runner, tmp_path):
    real = tmp_path / "product.yaml"
    shutil.copy(V1, real)
    real.chmod(0o640)
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    assert cli(runner, "migrate", link).exit_code == 0
    assert "format: aicomply/v2" in real.read_text(encoding="utf-8") and _mode(real) == 0o640
    assert link.is_symlink()


def test_migrate_out_needs_force_over_a_file_and_never_writes_onto_an_input(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(V1, tmp_path / "product.yaml")
    (tmp_path / "v2").mkdir()
    (tmp_path / "v2" / "product.yaml").write_text("kept\n", encoding="utf-8")
    refused = cli(runner, "migrate", "product.yaml", "--out", "v2")
    assert refused.exit_code == 2 and "already exists; pass --force" in refused.stderr
    assert (tmp_path / "v2" / "product.yaml").read_text(encoding="utf-8") == "kept\n"
    assert cli(runner, "migrate", "product.yaml", "--out", "v2", "--force").exit_code == 0
    assert "aicomply/v2" in (tmp_path / "v2" / "product.yaml").read_text(encoding="utf-8")
    original = (tmp_path / "product.yaml").read_bytes()
    onto_itself = cli(runner, "migrate", "product.yaml", "--out", ".", "--force")
    assert onto_itself.exit_code == 2 and "is a file being migrated" in onto_itself.stderr
    assert (tmp_path / "product.yaml").read_bytes() == original
