"""The architecture stays visible: one direction of imports, cli -> core -> I/O."""

from __future__ import annotations

import ast
from pathlib import Path

import compliance

PACKAGE = Path(compliance.__file__).resolve().parent


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def _modules(folder: Path):
    files = sorted(folder.rglob("*.py"))
    assert files, f"no modules under {folder}"
    return files


def test_nothing_outside_the_cli_imports_it():
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in _modules(PACKAGE)
        if "cli" not in path.relative_to(PACKAGE).parts[:1] and path.name != "__main__.py"
        for name in _imports(path)
        if name == "compliance.cli" or name.startswith("compliance.cli.")
    ]
    assert offenders == []


def test_cli_command_modules_do_not_import_each_other():
    commands = {path.stem for path in (PACKAGE / "cli").glob("*.py")} - {"__init__", "base"}
    assert {"check", "rules", "documents", "incentives", "register"} <= commands
    offenders = [
        f"cli/{path.name} imports {name}"
        for path in _modules(PACKAGE / "cli") if path.stem in commands
        for name in _imports(path)
        if name.startswith("compliance.cli.") and name.split(".")[2] in commands
    ]
    assert offenders == []


def test_the_declaration_side_does_not_reach_into_evaluation_or_output():
    later_steps = ("compliance.evaluate", "compliance.report", "compliance.render", "compliance.register",
                   "compliance.pipeline")
    offenders = [
        f"declaration/{path.name} imports {name}"
        for path in _modules(PACKAGE / "declaration")
        for name in _imports(path) if name.startswith(later_steps)
    ]
    assert offenders == []


def test_every_command_is_found_through_the_lazy_group_and_no_other_module_is_imported():
    """base.COMMAND_MODULES names each top-level command's module: importing all of them registers
    exactly those commands, and `aicomply check` imports the check module and no other command's."""
    import subprocess
    import sys

    from compliance.cli.base import COMMAND_MODULES

    probe = ("import sys, click; from compliance.cli import main\n"
             "try:\n    main(['check', '--help'])\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in sys.modules if m.startswith('compliance.cli.')))\n"
             "import importlib\n"
             f"for m in {sorted(set(COMMAND_MODULES.values()))!r}:\n    importlib.import_module('compliance.cli.' + m)\n"
             "print(sorted((n, c.callback.__module__) for n, c in main.commands.items()))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    imported, registered = done.stdout.splitlines()[-2:]
    assert imported == str(["compliance.cli.base", "compliance.cli.check"])
    assert registered == str(sorted((name, f"compliance.cli.{module}") for name, module in COMMAND_MODULES.items()))
