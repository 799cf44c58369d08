"""Config files that used to crash every command or write reports in the wrong place (issue 9
item 22): a byte that is not UTF-8 in pyproject.toml, `jobs: 2.0`, an output that is a folder,
and outputs relative to the config file as the README says. Each is one line with file and line,
exit 2, nothing written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from compliance.cli import main
from conftest import EXAMPLES

HOSTILE = Path(__file__).resolve().parent / "hostile"


def cli(runner, *args):
    return runner.invoke(main, [str(a) for a in args])


@pytest.fixture()
def project(tmp_path, monkeypatch):
    (tmp_path / "products").mkdir()
    shutil.copy(EXAMPLES / "internal-code-assistant.yaml", tmp_path / "products" / "assistant.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("command", [["check"], ["config"], ["rules"], ["render", "products/assistant.yaml",
                                                                         "--out", "docs"]])
def test_a_latin1_byte_in_pyproject_is_one_line_with_file_line_and_column(project, runner, command):
    shutil.copy(HOSTILE / "pyproject-latin1.toml", project / "pyproject.toml")
    result = cli(runner, *command)
    assert result.exit_code == 2, result.output
    assert result.stderr == ("aicomply: error: pyproject.toml:3:32: config: not UTF-8: byte 0xe9 cannot be decoded; "
                             "TOML files are UTF-8, save the file as UTF-8\n")
    assert not (project / "docs").exists()


@pytest.mark.parametrize("config, line", [("aicomply.yaml", 2), ("pyproject.toml", 3)])
def test_jobs_must_be_a_whole_number(project, runner, config, line):
    if config == "aicomply.yaml":
        shutil.copy(HOSTILE / "jobs-float.aicomply.yaml", project / config)
    else:
        (project / config).write_text('[tool.aicomply]\npaths = ["products"]\njobs = 2.0\n', encoding="utf-8")
    result = cli(runner, "check")
    assert result.exit_code == 2
    assert f"{config}:{line}: config: jobs must be a whole number such as 2, not 2.0" in result.stderr


def test_report_outputs_are_relative_to_the_config_file(project, runner, monkeypatch):
    (project / "aicomply.yaml").write_text(
        "paths: [products]\nformats:\n  - text\n  - {format: json, output: report.json}\n", encoding="utf-8")
    (project / "sub").mkdir()
    monkeypatch.chdir(project / "sub")
    assert '{"format": "json", "output": "../report.json"}' in cli(runner, "config").stdout
    result = cli(runner, "check")
    assert result.exit_code == 0, result.output
    assert json.loads((project / "report.json").read_text(encoding="utf-8"))["gate"] == "passed"
    assert list((project / "sub").iterdir()) == []


def test_an_output_that_is_a_folder_is_refused(project, runner):
    shutil.copy(HOSTILE / "output-folder.aicomply.yaml", project / "aicomply.yaml")
    (project / "reports").mkdir()
    result = cli(runner, "check")
    assert result.exit_code == 2
    assert result.stderr == "aicomply: error: reports: is a folder; name a file\n"
    assert list((project / "reports").iterdir()) == []
