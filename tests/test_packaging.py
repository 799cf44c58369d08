"""The installed package finds its data through compliance.resources, and ships all of it."""

from __future__ import annotations

import os
from pathlib import Path

import compliance
from compliance import resources
from conftest import ROOT


def test_data_folders_resolve_and_hold_the_files():
    assert (resources.schema_path("declaration-v2.schema.json")).is_file()
    assert (resources.schema_path("declaration-v1.schema.json")).is_file()
    assert (resources.schema_path("checklist-v1.schema.json")).is_file()
    assert (resources.schema_path("report-v1.schema.json")).is_file()
    assert (resources.checklists_dir() / "shenzhen-2022" / "pack.yaml").is_file()
    assert (resources.templates_dir() / "en" / "disclosure.md.j2").is_file()


def test_installed_copy_carries_identical_data():
    """In CI the package under test is the installed wheel (AICOMPLY_EXPECT_INSTALLED=1); its
    bundled data must be byte-identical to the repository's."""
    package_dir = Path(compliance.__file__).resolve().parent
    installed = package_dir / "_data"
    if os.environ.get("AICOMPLY_EXPECT_INSTALLED") == "1":
        assert package_dir != ROOT / "compliance", f"tests imported the source tree, not the wheel: {package_dir}"
        assert installed.is_dir(), "the wheel lacks compliance/_data"
    if not installed.is_dir():
        assert resources.data_dir("schemas") == ROOT / "schemas"  # a source checkout
        return
    for name in ("schemas", "checklists", "templates"):
        source_files = sorted(p.relative_to(ROOT / name) for p in (ROOT / name).rglob("*") if p.is_file())
        shipped = sorted(p.relative_to(installed / name) for p in (installed / name).rglob("*") if p.is_file())
        assert source_files, name
        assert shipped == source_files, name
        for relative in source_files:
            assert (installed / name / relative).read_bytes() == (ROOT / name / relative).read_bytes()


def test_console_script_runs(in_repo):
    """The `aicomply` command installed next to this Python works (CI: the wheel's entry point)."""
    import shutil
    import subprocess
    import sys

    command = shutil.which("aicomply", path=str(Path(sys.executable).parent))
    if command is None:
        assert os.environ.get("AICOMPLY_EXPECT_INSTALLED") != "1", "aicomply is not installed next to python"
        command_line = [sys.executable, "-m", "compliance"]
    else:
        command_line = [command]
    done = subprocess.run(command_line + ["check", "examples/internal-code-assistant.yaml"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Risk: LOW" in done.stdout
    done = subprocess.run(command_line + ["check", "examples/"], capture_output=True, text=True)
    assert done.returncode == 1 and "Gate: FAILED (3 of 11 file(s) fail at error or above)" in done.stdout
