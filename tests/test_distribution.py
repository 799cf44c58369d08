"""The pre-commit hook and the GitHub Action: well formed, and their commands work as written."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from compliance.declaration.load import read_document
from conftest import EXAMPLES, ROOT, line_of


INSTALLED = shutil.which("aicomply", path=str(Path(sys.executable).parent))
# A source checkout without `pip install .` runs the module from the tree.
ENV = dict(os.environ) if INSTALLED else dict(os.environ, PYTHONPATH=str(ROOT))


def _aicomply() -> list[str]:
    return [INSTALLED] if INSTALLED else [sys.executable, "-m", "compliance"]


def test_pre_commit_hook_definition():
    hooks = read_document(ROOT / ".pre-commit-hooks.yaml", ".pre-commit-hooks.yaml").data
    hook = next(h for h in hooks if h["id"] == "aicomply")
    assert hook["entry"] == "aicomply check" and hook["language"] == "python"
    assert hook["pass_filenames"] is False


def test_pre_commit_entry_checks_the_configured_paths(tmp_path):
    """pre-commit runs the entry from the repository root without file names (pass_filenames: false)."""
    hook = read_document(ROOT / ".pre-commit-hooks.yaml", "h").data[0]
    (tmp_path / "declarations").mkdir()
    shutil.copy(EXAMPLES / "internal-code-assistant.yaml", tmp_path / "declarations")
    (tmp_path / "aicomply.yaml").write_text("paths: [declarations]\n", encoding="utf-8")
    command = _aicomply() + shlex.split(hook["entry"])[1:]
    passed = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, env=ENV)
    assert passed.returncode == 0, passed.stderr
    shutil.copy(EXAMPLES / "ride-hailing-dynamic-pricing.yaml", tmp_path / "declarations")
    failed = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, env=ENV)
    assert failed.returncode == 1 and "A72-5-PRICE-BY-USER-TRAITS" in failed.stdout


def test_action_is_a_composite_that_uploads_sarif_and_writes_the_summary(tmp_path):
    action = read_document(ROOT / "action.yml", "action.yml").data
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    check = next(step for step in steps if step.get("id") == "check")
    assert any(step.get("uses", "").startswith("github/codeql-action/upload-sarif") for step in steps)
    script = check["run"]
    assert "$GITHUB_STEP_SUMMARY" in script and "--format github" in script
    # Run the action's command as GitHub would, inputs filled in.
    summary, sarif, output = tmp_path / "summary", tmp_path / "aicomply.sarif", tmp_path / "github_output"
    command = script.replace("${{ inputs.paths }}", "examples")
    command = command.replace('"${{ inputs.fail-on }}"', "error").replace('"${{ inputs.lang }}"', "en")
    command = command.replace('"${{ inputs.sarif-file }}"', str(sarif)).replace("${{ inputs.args }}", "")
    command = command.replace("aicomply check", " ".join(shlex.quote(part) for part in _aicomply()) + " check")
    env = dict(ENV, GITHUB_STEP_SUMMARY=str(summary), GITHUB_OUTPUT=str(output))
    done = subprocess.run(["bash", "-c", command], env=env, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert output.read_text().strip() == "exit-code=1"
    assert summary.read_text(encoding="utf-8").startswith("## aicomply")
    assert '"version":"2.1.0"' in sarif.read_text(encoding="utf-8")
    line = line_of(EXAMPLES / "ride-hailing-dynamic-pricing.yaml", "personalised: true")
    assert f"::error file=examples/ride-hailing-dynamic-pricing.yaml,line={line}," in done.stdout
