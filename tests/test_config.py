"""Config files, precedence, `aicomply config`, and folder scans with include and exclude."""

from __future__ import annotations

import json
import shutil

import pytest

from compliance.cli import main
from conftest import EXAMPLES


@pytest.fixture()
def project(tmp_path, monkeypatch):
    """A repository with declarations in products/ and a nested working folder."""
    products = tmp_path / "products"
    products.mkdir()
    for name in ("cv-screener.yaml", "internal-code-assistant.yaml", "ride-hailing-dynamic-pricing.yaml"):
        shutil.copy(EXAMPLES / name, products / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_pyproject_table_is_found_and_paths_are_relative_to_it(project, runner, monkeypatch):
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.aicomply]\npaths = ["products"]\nfail_on = "warning"\nlang = "zh"\n'
        'exclude = ["ride-hailing-*"]\n', encoding="utf-8")
    (project / "sub").mkdir()
    monkeypatch.chdir(project / "sub")
    shown = runner.invoke(main, ["config"]).stdout
    assert "config file: ../pyproject.toml" in shown
    assert 'fail_on  = "warning"    (../pyproject.toml:6)' in shown
    assert 'paths    = ["../products"]    (../pyproject.toml:5)' in shown
    assert 'lang     = "en"' not in shown
    result = runner.invoke(main, ["check", "--format", "json"])
    report = json.loads(result.stdout)
    assert report["fail_on"] == "warning" and report["language"] == "zh"
    assert [r["product_id"] for r in report["results"]] == ["cv-screener", "internal-code-assistant"]
    assert result.exit_code == 1  # cv-screener has warnings, and fail_on is warning


def test_command_line_overrides_config(project, runner):
    (project / "aicomply.yaml").write_text("paths: [products]\nfail_on: warning\n", encoding="utf-8")
    shown = runner.invoke(main, ["config"]).stdout
    assert 'fail_on  = "warning"    (aicomply.yaml:2)' in shown
    result = runner.invoke(main, ["check", "products/internal-code-assistant.yaml", "--fail-on", "error"])
    assert result.exit_code == 0


def test_aicomply_yaml_wins_over_pyproject_in_the_same_folder(project, runner):
    (project / "pyproject.toml").write_text("[tool.aicomply]\nlang = \"zh\"\n", encoding="utf-8")
    (project / "aicomply.yaml").write_text("lang: en\n", encoding="utf-8")
    assert "config file: aicomply.yaml" in runner.invoke(main, ["config"]).stdout


def test_config_formats_write_their_files(project, runner):
    (project / "aicomply.yaml").write_text(
        "paths: [products]\nformats:\n  - text\n  - {format: sarif, output: out/r.sarif}\n", encoding="utf-8")
    (project / "out").mkdir()
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 1 and "Gate: FAILED" in result.stdout
    assert json.loads((project / "out" / "r.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"


@pytest.mark.parametrize(
    "file_name, text, message",
    [
        ("aicomply.yaml", "fail_on: sometimes\n", "aicomply.yaml:1: config: fail_on: 'sometimes' is not allowed"),
        ("aicomply.yaml", "paths: [x]\njobz: 2\n", "aicomply.yaml:2: config: unknown field 'jobz'; did you mean 'jobs'?"),
        ("aicomply.yaml", "- a\n", "aicomply.yaml:1: config must be a mapping"),
        ("aicomply.yaml", "a: [\n", "config aicomply.yaml:2:1: YAML syntax error"),
        ("pyproject.toml", "[tool.aicomply]\npaths = [\"x\"]\njobs = -1\n", "pyproject.toml:3: config: jobs must be at least 0"),
        ("pyproject.toml", "[tool.aicomply]\npaths = [\n", "pyproject.toml:3: invalid TOML"),
    ],
)
def test_bad_config_exits_2_with_file_and_line(project, runner, file_name, text, message):
    (project / file_name).write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["check", "products"])
    assert result.exit_code == 2
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_no_paths_anywhere_is_a_usage_error(project, runner):
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 2 and "no paths to check" in result.stderr


def test_folder_scan_skips_hidden_config_and_ignored_files(project, runner):
    products = project / "products"
    (products / ".hidden").mkdir()
    shutil.copy(EXAMPLES / "cv-screener.yaml", products / ".hidden" / "x.yaml")
    (products / "drafts").mkdir()
    shutil.copy(EXAMPLES / "robotaxi-service.yaml", products / "drafts" / "robotaxi.yaml")
    shutil.copy(EXAMPLES / "robotaxi-service.yaml", products / "drafts" / "keep.yaml")
    (products / "aicomply.yaml").write_text("lang: en\n", encoding="utf-8")
    (products / "notes.txt").write_text("not a declaration", encoding="utf-8")
    (products / ".aicomplyignore").write_text("# drafts are not ready\ndrafts/\n", encoding="utf-8")
    paths = [r["path"] for r in json.loads(runner.invoke(main, ["check", "products", "--format", "json"]).stdout)["results"]]
    assert paths == ["products/cv-screener.yaml", "products/internal-code-assistant.yaml",
                     "products/ride-hailing-dynamic-pricing.yaml"]
    (products / ".aicomplyignore").write_text("drafts/*\n!drafts/keep.yaml\n", encoding="utf-8")
    paths = [r["path"] for r in json.loads(runner.invoke(main, ["check", "products", "--format", "json"]).stdout)["results"]]
    assert "products/drafts/keep.yaml" in paths and "products/drafts/robotaxi.yaml" not in paths
    explicit = runner.invoke(main, ["check", "products/drafts/robotaxi.yaml", "--format", "json"])
    assert json.loads(explicit.stdout)["results"][0]["product_id"] == "robotaxi-service"  # named files always count


@pytest.mark.parametrize(
    "pattern, path, folder, expected",
    [
        ("*.json", "a/b/c.json", False, True),
        ("/top.yaml", "top.yaml", False, True),
        ("/top.yaml", "sub/top.yaml", False, False),
        ("build/", "build", True, True),
        ("build/", "build", False, False),
        ("docs/**/draft-*.yaml", "docs/x/y/draft-1.yaml", False, True),
        ("**/fixtures", "a/b/fixtures", True, True),
    ],
)
def test_ignore_patterns(pattern, path, folder, expected):
    from compliance.gate.ignore import compile_patterns, ignored

    assert ignored(path, folder, compile_patterns([pattern])) is expected


def test_parallel_results_are_identical_to_a_single_process(monkeypatch, tmp_path):
    """Workers return compact results that the parent rebuilds: nothing may be lost on the way."""
    import compliance.pipeline as pipeline
    from compliance.report import render

    examples = sorted(EXAMPLES.glob("*.yaml"))
    assert len(examples) == 11
    for index, example in enumerate(examples * 3):
        shutil.copy(example, tmp_path / f"{index:02d}-{example.name}")
    (tmp_path / "99-broken.yaml").write_text("format: aicomply/v1\nnope: 1\n", encoding="utf-8")
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_FILES_PER_JOB", 1)
    single_info, single = pipeline.run(pipeline.RunOptions(paths=(str(tmp_path),), jobs=1))
    multi_info, multi = pipeline.run(pipeline.RunOptions(paths=(str(tmp_path),), jobs=2))
    single, multi = list(single), list(multi)
    assert len(multi) == 34 and multi == single
    assert render("sarif", multi_info, multi) == render("sarif", single_info, single)


def test_jobs_from_the_command_line_and_config(project, runner):
    (project / "aicomply.yaml").write_text("paths: [products]\njobs: 2\n", encoding="utf-8")
    assert "jobs     = 2    (aicomply.yaml:2)" in runner.invoke(main, ["config"]).stdout
    result = runner.invoke(main, ["check", "--jobs", "1", "--format", "json"])
    assert len(json.loads(result.stdout)["results"]) == 3


def test_progress_bar_counts_declarations_on_stderr(capsys):
    from compliance.cli.check import _with_progress
    from compliance.models.result import FileResult

    results = [FileResult("a.yaml", None), FileResult("b.yaml", None), FileResult("w.yaml", None, kind="waivers")]
    assert list(_with_progress(iter(results), 2)) == results
    drawn = capsys.readouterr().err
    assert "[" + "#" * 30 + "] 2/2 declarations" in drawn
    assert drawn.endswith("\r")  # the bar is wiped before the report's last lines
