"""One input, or one worker, never stops a check before its reports are written, and the exit code
still says what went wrong (issue 9 item 17 and the rule under "Done when"): a worker killed as the
OOM killer would is detected and the files it took are named (exit 2, no report: it would be
incomplete); a file that makes aicomply fail is an error of that file; a declaration that cannot
be recorded leaves the other records and the reports in place (exit 2)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import compliance
from compliance.cli import main
from conftest import EXAMPLES

LOW = EXAMPLES / "internal-code-assistant.yaml"
ENV = dict(os.environ, PYTHONPATH=str(Path(compliance.__file__).resolve().parent.parent), AICOMPLY_CACHE_DIR="")


def cli(runner, *args):
    return runner.invoke(main, [str(a) for a in args])


def test_a_killed_worker_is_reported_not_waited_for(tmp_path):
    """A small run forced into two workers; the worker that takes kill-me.yaml kills itself with
    SIGKILL. Before the fix the parent waited forever (the timeout below fails the test)."""
    products = tmp_path / "products"
    products.mkdir()
    for index in range(20):
        shutil.copy(LOW, products / f"{index:02d}.yaml")
    shutil.copy(LOW, products / "kill-me.yaml")
    script = textwrap.dedent("""
        import os, signal, sys
        import compliance.pipeline as pipeline

        pipeline.PARALLEL_MIN_FILES_PER_JOB = 1  # workers even for 21 files
        checked = pipeline._check_chunk

        def dying(chunk):  # forked workers inherit the patch
            if any("kill-me" in str(item) for item in chunk):
                os.kill(os.getpid(), signal.SIGKILL)
            return checked(chunk)

        pipeline._check_chunk = dying
        from compliance.cli import main
        main(sys.argv[1:])
    """)
    process = subprocess.Popen(
        [sys.executable, "-c", script, "check", "products", "--jobs", "2", "--format", "json", "-o", "report.json"],
        cwd=tmp_path, env=ENV, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        _, err = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail("the parent waited forever for a dead worker")
    assert process.returncode == 2, err
    assert "a worker process stopped before finishing" in err
    assert err.count("\n") == 1  # one line
    unchecked = err.rstrip("\n").split("; not checked: ", 1)[1].split(", ")
    assert "products/kill-me.yaml" in unchecked
    assert f"{len(unchecked)} file(s) were not checked" in err
    assert not (tmp_path / "report.json").exists()  # an incomplete report is not written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["products"]  # no temporary file left


def test_a_file_that_breaks_aicomply_is_an_error_of_that_file(runner, tmp_path, monkeypatch):
    import compliance.evaluate as evaluate_module

    products = tmp_path / "products"
    products.mkdir()
    shutil.copy(LOW, products / "fine.yaml")
    shutil.copy(LOW, products / "boom.yaml")
    real_evaluate = evaluate_module.evaluate

    def evaluate(document, pack):
        if document.path.endswith("boom.yaml"):
            raise ValueError("a bug met on this file")
        return real_evaluate(document, pack)

    monkeypatch.setattr(evaluate_module, "evaluate", evaluate)
    report_file = tmp_path / "report.json"
    result = cli(runner, "check", products, "--format", "json", "-o", report_file, "--format", "text")
    # The file fails the gate (it could not be judged) and the run exits 2, after writing every report:
    # CI can tell aicomply's fault from a failed product.
    assert result.exit_code == 2, result.output
    report = json.loads(report_file.read_text(encoding="utf-8"))
    by_path = {Path(item["path"]).name: item for item in report["results"]}
    assert by_path["fine.yaml"]["valid"] is True
    [finding] = by_path["boom.yaml"]["findings"]
    assert finding["rule_id"] == "DECL-INTERNAL" and finding["severity"] == "error"
    assert finding["message"] == ("aicomply could not check this file (internal error: ValueError); the other files "
                                  "were checked. Please report it with this file; AICOMPLY_DEBUG=1 shows the traceback")
    assert report["summary"]["failed"] == 1
    assert "boom.yaml" in result.stdout and "DECL-INTERNAL" in result.stdout  # the text report, on stdout
    zh = cli(runner, "check", products / "boom.yaml", "--lang", "zh")
    assert zh.exit_code == 2 and "aicomply 无法检查该文件（内部错误：ValueError）" in zh.stdout


def test_a_declaration_that_changes_before_it_is_recorded_costs_only_its_record(runner, tmp_path, monkeypatch):
    import compliance.pipeline as pipeline

    products = tmp_path / "products"
    products.mkdir()
    shutil.copy(LOW, products / "a.yaml")
    shutil.copy(EXAMPLES / "credit-scoring-model.yaml", products / "b.yaml")
    checked = pipeline.check_file

    def check_then_edit(path, display, pack, limits=pipeline.DEFAULT_LIMITS):
        result = checked(path, display, pack, limits)
        if str(path).endswith("a.yaml"):  # someone saves the file between the check and the record
            with open(path, "a", encoding="utf-8") as stream:
                stream.write("# edited\n")
        return result

    monkeypatch.setattr(pipeline, "check_file", check_then_edit)
    report_file = tmp_path / "report.json"
    result = cli(runner, "check", products, "--record", "--db", tmp_path / "r.db", "--format", "json",
                 "-o", report_file)
    assert result.exit_code == 2, result.output
    assert "not recorded: " in result.stderr and "a.yaml: changed while it was being checked" in result.stderr
    assert "recorded 1 check in" in result.stderr
    assert [Path(item["path"]).name for item in json.loads(report_file.read_text(encoding="utf-8"))["results"]] == [
        "a.yaml", "b.yaml"]
