"""Which files a check reads, and that none is passed over in silence (issue 9 items 7, 15, 16, 25):
upper-case suffixes, symlinked folders and loops, unreadable folders, self-symlinks, file names
that are not UTF-8, named pipes, and the run's own reports. A path that cannot be checked is a
DECL-LOAD error of that path; the rest of the run completes and its report is written.

Runs that could hang on the code before the fix (a FIFO read) run in a subprocess with a timeout."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import compliance
from compliance.cli import main
from conftest import EXAMPLES

LOW = EXAMPLES / "internal-code-assistant.yaml"
RIDE = EXAMPLES / "ride-hailing-dynamic-pricing.yaml"  # fails the gate: Art. 72(5)
HOSTILE = Path(__file__).resolve().parent / "hostile"
ENV = dict(os.environ, PYTHONPATH=str(Path(compliance.__file__).resolve().parent.parent), AICOMPLY_CACHE_DIR="")


def cli(runner, *args):
    return runner.invoke(main, [str(a) for a in args])


def _report(runner, *args) -> tuple[int, dict]:
    result = cli(runner, "check", *args, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def _paths(report: dict) -> list[str]:
    return [item["path"] for item in report["results"]]


def _load_errors(report: dict) -> dict[str, str]:
    return {item["path"]: finding["message"] for item in report["results"] for finding in item["findings"]
            if finding["rule_id"] == "DECL-LOAD"}


@pytest.fixture()
def tree(tmp_path, monkeypatch):
    """products/ with one passing declaration, the working folder at tmp_path."""
    products = tmp_path / "products"
    products.mkdir()
    shutil.copy(LOW, products / "assistant.yaml")
    monkeypatch.chdir(tmp_path)
    return products


def _isolated(args: list[str], cwd, timeout: float = 60, **options) -> subprocess.CompletedProcess:
    """aicomply in its own process group, killed whole if it hangs (the test then fails)."""
    process = subprocess.Popen([sys.executable, "-m", "compliance", *args], cwd=cwd, env=ENV, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, **options)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"aicomply {' '.join(args)} hung for {timeout} s")
    return subprocess.CompletedProcess(args, process.returncode, out, err)


# ------------------------------------------------------------------------- item 7: no silent skip

def test_suffixes_match_whatever_their_case(runner, tree):
    shutil.copy(HOSTILE / "Ride.YAML", tree / "Ride.YAML")
    shutil.copy(LOW, tree / "other.Json")  # JSON suffix, YAML text: read as JSON, so a load error, not a skip
    code, report = _report(runner, "products")
    assert _paths(report) == ["products/Ride.YAML", "products/assistant.yaml", "products/other.Json"]
    assert code == 1


def test_a_symlinked_folder_is_followed(runner, tree, tmp_path):
    elsewhere = tmp_path / "shared"
    elsewhere.mkdir()
    shutil.copy(RIDE, elsewhere / "ride.yaml")
    (tree / "linked").symlink_to(elsewhere, target_is_directory=True)
    code, report = _report(runner, "products")
    assert _paths(report) == ["products/assistant.yaml", "shared/ride.yaml"]  # named where it really is
    assert code == 1


def test_a_symlink_loop_is_searched_once(runner, tree):
    (tree / "sub").mkdir()
    shutil.copy(RIDE, tree / "sub" / "ride.yaml")
    (tree / "sub" / "back").symlink_to(tree, target_is_directory=True)  # products/sub/back -> products
    (tree / "again").symlink_to(tree / "sub", target_is_directory=True)  # a second way into sub
    code, report = _report(runner, "products")
    assert _paths(report) == ["products/assistant.yaml", "products/sub/ride.yaml"]
    assert code == 1


def test_an_unreadable_folder_is_a_finding_simulated(runner, tree, monkeypatch):
    """The listing of one folder fails as it would for a folder we may not enter (root may enter
    any folder, so the OSError is raised where the walk lists it)."""
    locked = tree / "locked"
    locked.mkdir()
    shutil.copy(RIDE, locked / "ride.yaml")
    real_scandir = os.scandir

    def scandir(path="."):
        if os.path.realpath(path) == str(locked.resolve()):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, report = _report(runner, "products")
    assert code == 1
    assert _load_errors(report) == {"products/locked": "cannot read the folder (Permission denied); the files in it "
                                                       "were not checked"}
    assert _paths(report) == ["products/assistant.yaml", "products/locked"]


def _as_nobody(work) -> str:
    """work() run in a forked child that has given up root (the interpreter is already loaded, so
    nothing under root's home is needed); returns what it returned, or its error."""
    import pwd
    import traceback

    nobody = pwd.getpwnam("nobody")
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        status = 0
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            text = work()
        except BaseException:  # noqa: BLE001 - reported to the parent
            text, status = "child failed:\n" + traceback.format_exc(), 1
        with os.fdopen(write_end, "w") as stream:
            stream.write(text)
        os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end) as stream:
        text = stream.read()
    os.waitpid(child, 0)
    return text


def test_an_unreadable_folder_is_a_finding_for_real(runner, monkeypatch):
    """chmod 000 stops only a user who is not root: as root, the check runs in a child process that
    has dropped to `nobody`."""
    base = Path(tempfile.mkdtemp(prefix="aicomply-unreadable-"))
    try:
        base.chmod(0o755)
        shutil.copy(LOW, base / "assistant.yaml")
        (base / "assistant.yaml").chmod(0o644)
        monkeypatch.chdir(base)
        assert cli(runner, "check", ".").exit_code == 0  # warm up: modules and rules loaded while still root
        locked = base / "locked"
        locked.mkdir()
        shutil.copy(RIDE, locked / "ride.yaml")
        locked.chmod(0o000)

        def work() -> str:
            try:
                os.listdir(locked)
                denied = False
            except PermissionError:
                denied = True
            result = cli(runner, "check", ".", "--format", "json")
            return json.dumps({"denied": denied, "code": result.exit_code, "stdout": result.stdout,
                               "stderr": result.stderr})

        if os.geteuid() == 0:
            output = _as_nobody(work)
            assert not output.startswith("child failed"), output
        else:
            output = work()
        result = json.loads(output)
        assert result["denied"], "the folder must really be unreadable to this process"
        assert result["code"] == 1, result["stderr"]
        assert _load_errors(json.loads(result["stdout"])) == {
            "locked": "cannot read the folder (Permission denied); the files in it were not checked"}
    finally:
        (base / "locked").chmod(0o755)
        shutil.rmtree(base)


# ------------------------------------------------------------ item 15: one bad path, one finding

def test_a_self_symlink_is_a_finding_and_the_run_completes(runner, tree, tmp_path):
    (tree / "loop.yaml").symlink_to("loop.yaml")
    report_file = tmp_path / "report.json"
    result = cli(runner, "check", "products", "--format", "json", "-o", report_file)
    assert result.exit_code == 1, result.output
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert _paths(report) == ["products/assistant.yaml", "products/loop.yaml"]
    assert _load_errors(report) == {"products/loop.yaml": "cannot read the file (Too many levels of symbolic links)"}
    named = cli(runner, "check", "products/loop.yaml")
    assert named.exit_code == 1 and "products/loop.yaml: error DECL-LOAD" in named.stdout


def test_a_file_name_that_is_not_utf8_is_a_finding_and_reports_are_written(runner, tree, tmp_path):
    shutil.copy(RIDE, os.fsencode(tree) + b"/caf\xe9.yaml")
    report_file = tmp_path / "report.json"
    result = cli(runner, "check", "products", "--format", "json", "-o", report_file, "--format", "text",
                 "--record", "--db", tmp_path / "r.db")
    assert result.exit_code == 1, result.output
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert _load_errors(report) == {"products/caf\\xe9.yaml": "the file name is not UTF-8 (shown with \\x escapes); "
                                                              "rename it so that reports can name it"}
    assert "recorded 1 check in" in result.stderr  # the declaration that could be named


# -------------------------------------------------------------- item 16: pipes are never read

def test_a_fifo_in_a_folder_named_or_as_baseline_never_blocks(tmp_path):
    products = tmp_path / "products"
    products.mkdir()
    shutil.copy(LOW, products / "assistant.yaml")
    os.mkfifo(products / "pipe.yaml")
    os.mkfifo(tmp_path / "baseline.json")
    folder = _isolated(["check", "products", "--format", "json"], tmp_path)
    assert folder.returncode == 1, folder.stderr
    assert _load_errors(json.loads(folder.stdout)) == {
        "products/pipe.yaml": "is a named pipe, not a regular file; only regular files are read"}
    named = _isolated(["check", "products/pipe.yaml"], tmp_path)
    assert named.returncode == 1 and "is a named pipe" in named.stdout
    baseline = _isolated(["check", "products/assistant.yaml", "--baseline", "baseline.json"], tmp_path)
    assert baseline.returncode == 2 and "baseline.json: not a readable baseline file (is a named pipe" in baseline.stderr


@pytest.mark.parametrize("args, code, message", [
    (["check", "products/assistant.yaml", "--waivers", "pipe.yaml"], 2, "waiver file pipe.yaml: is a named pipe"),
    (["check", "products/assistant.yaml", "--config", "pipe.yaml"], 2, "config pipe.yaml: is a named pipe"),
    (["render", "pipe.yaml", "--out", "docs"], 1, "pipe.yaml: is a named pipe"),
    (["incentives", "pipe.yaml"], 1, "pipe.yaml: is a named pipe"),
])
def test_a_fifo_named_to_any_command_never_blocks(tmp_path, args, code, message):
    (tmp_path / "products").mkdir()
    shutil.copy(LOW, tmp_path / "products" / "assistant.yaml")
    os.mkfifo(tmp_path / "pipe.yaml")
    result = _isolated(args, tmp_path)
    assert result.returncode == code, result.stdout + result.stderr
    assert message in result.stdout + result.stderr
    assert not (tmp_path / "docs").exists()


# ----------------------------------------------------------- item 25: the run's own reports

def test_a_report_in_the_checked_folder_is_not_read_back(runner, tree, monkeypatch):
    monkeypatch.chdir(tree)
    first = cli(runner, "check", ".", "--format", "json", "-o", "report.json")
    written = (tree / "report.json").read_bytes()
    second = cli(runner, "check", ".", "--format", "json", "-o", "report.json")
    assert (first.exit_code, second.exit_code) == (0, 0), second.output
    assert (tree / "report.json").read_bytes() == written
    assert [item["path"] for item in json.loads(written)["results"]] == ["assistant.yaml"]


def test_outputs_named_by_the_config_are_not_read_when_other_formats_are_asked(runner, tree, tmp_path):
    (tmp_path / "aicomply.yaml").write_text("paths: [products]\nformats:\n  - {format: json, output: products/r.json}\n",
                                            encoding="utf-8")
    assert cli(runner, "check").exit_code == 0
    code, report = _report(runner)  # --format json to stdout overrides the config's formats
    assert code == 0 and _paths(report) == ["products/assistant.yaml"]


def test_waiver_and_baseline_files_among_declarations_are_not_declarations(runner, tree):
    assert cli(runner, "baseline", "create", "products", "-o", "products/baseline.json").exit_code == 0
    (tree / "waivers.yaml").write_text("waivers: []\n", encoding="utf-8")
    code, report = _report(runner, "products", "--baseline", "products/baseline.json", "--waivers",
                           "products/waivers.yaml")
    declarations = [item["path"] for item in report["results"] if item["kind"] == "declaration"]
    assert code == 0 and declarations == ["products/assistant.yaml"]


def test_a_file_that_is_not_a_report_at_an_output_path_stays_a_declaration(runner, tree):
    """A declaration named as the output is not skipped (and so not overwritten)."""
    before = (tree / "assistant.yaml").read_bytes()
    result = cli(runner, "check", "products", "--format", "json", "-o", "products/assistant.yaml", "--force")
    assert result.exit_code == 2 and "is a declaration this run checks" in result.stderr
    assert (tree / "assistant.yaml").read_bytes() == before
