"""Hostile declarations (tests/hostile/): each is a finding for its own file, the run goes on and
every report is written (issue 9, item 15)."""

from __future__ import annotations

import json
import shutil

import pytest

from compliance.cli import main
from conftest import EXAMPLES, ROOT

HOSTILE = ROOT / "tests" / "hostile"

# file: text the DECL-LOAD message must contain, line it must point at
LOAD_FAILURES = {
    "int-4301-digits.yaml": ("is out of range", 28),
    "hex-5000-digits.yaml": ("is out of range", 28),
    "key-backslash-escape.json": ("Invalid \\escape", 4),
    "key-raw-tab.json": ("Invalid control character", 4),
    "key-short-unicode-escape.json": ("Invalid \\uXXXX escape", 4),
    "key-lone-surrogate.json": ("lone surrogate", 4),
    "name-lone-surrogate.json": ("lone surrogate", 5),
}


@pytest.fixture()
def hostile_folder(tmp_path):
    folder = tmp_path / "products"
    folder.mkdir()
    for name in LOAD_FAILURES:
        shutil.copy(HOSTILE / name, folder / name)
    shutil.copy(EXAMPLES / "internal-code-assistant.yaml", folder / "good.yaml")
    return folder


def test_each_hostile_file_is_a_finding_and_the_reports_are_written(hostile_folder, tmp_path, runner):
    reports = {fmt: tmp_path / f"report.{suffix}" for fmt, suffix in
               (("json", "json"), ("sarif", "sarif"), ("junit", "xml"), ("markdown", "md"))}
    args = ["check", str(hostile_folder)]
    for fmt, path in reports.items():
        args += ["--format", fmt, "-o", str(path)]
    args += ["--format", "text"]  # to stdout
    result = runner.invoke(main, args)
    assert result.exit_code == 1, result.output
    assert result.stderr == ""
    assert all(path.is_file() for path in reports.values())
    report = json.loads(reports["json"].read_text(encoding="utf-8"))
    by_name = {entry["path"].rsplit("/", 1)[-1]: entry for entry in report["results"]}
    assert len(by_name) == len(LOAD_FAILURES) + 1
    assert by_name["good.yaml"]["risk_level"] == "low"
    for name, (text, line) in LOAD_FAILURES.items():
        findings = by_name[name]["findings"]
        assert [f["rule_id"] for f in findings] == ["DECL-LOAD"], name
        assert text in findings[0]["message"], (name, findings[0]["message"])
        assert findings[0]["line"] == line, (name, findings[0])
    assert report["summary"]["invalid"] == len(LOAD_FAILURES)


@pytest.mark.parametrize("name", sorted(LOAD_FAILURES))
def test_render_refuses_a_hostile_file_with_one_line(name, tmp_path, runner):
    out = tmp_path / "docs"
    out.mkdir()
    result = runner.invoke(main, ["render", str(HOSTILE / name), "--out", str(out), "--date", "2026-11-24"])
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.stderr and "Traceback" not in result.output
    assert LOAD_FAILURES[name][0] in result.stderr
    assert list(out.iterdir()) == []


def test_an_internal_error_on_one_file_is_a_finding_and_the_run_goes_on(tmp_path, runner, monkeypatch):
    """A bug met on one file fails that file (fail closed); the others are checked and reported."""
    import compliance.evaluate as evaluate_module

    real = evaluate_module.evaluate

    def broken_on_robotaxi(document, pack):
        if "robotaxi" in document.path:
            raise RuntimeError("simulated bug")
        return real(document, pack)

    monkeypatch.setattr(evaluate_module, "evaluate", broken_on_robotaxi)
    folder = tmp_path / "products"
    folder.mkdir()
    for name in ("robotaxi-service.yaml", "internal-code-assistant.yaml"):
        shutil.copy(EXAMPLES / name, folder / name)
    out = tmp_path / "report.json"
    result = runner.invoke(main, ["check", str(folder), "--format", "json", "-o", str(out), "--jobs", "1"])
    assert result.exit_code == 2, result.output  # aicomply's own fault: exit 2, after the report is written
    report = json.loads(out.read_text(encoding="utf-8"))
    levels = {entry["path"].rsplit("/", 1)[-1]: entry["risk_level"] for entry in report["results"]}
    assert levels == {"internal-code-assistant.yaml": "low", "robotaxi-service.yaml": None}
    broken = next(e for e in report["results"] if e["path"].endswith("robotaxi-service.yaml"))
    assert broken["findings"][0]["rule_id"] == "DECL-INTERNAL"
    assert "internal error: RuntimeError" in broken["findings"][0]["message"]
