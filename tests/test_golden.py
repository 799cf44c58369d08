"""Reports of every example, in every format and language, byte for byte as committed in
tests/golden/ (regenerate with `python scripts/regen.py`, then review the diff). Each golden test
generates its own file, in the test, so a test of one file is quick and sees the code as it is when
it runs (mutation testing forks a worker per mutant)."""

from __future__ import annotations

import importlib.util
import os

import pytest

from conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"


def _regen():
    spec = importlib.util.spec_from_file_location("regen", ROOT / "scripts" / "regen.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_MODULE = _regen()
COMMITTED = sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file())


_ONCE: dict[tuple, object] = {}


def _once(key: tuple, make):
    """Made once per process (a forked process, such as a mutation-testing worker, makes it again)."""
    key = (os.getpid(), *key)
    if key not in _ONCE:
        _ONCE[key] = make()
    return _ONCE[key]


def generate(name: str) -> str:
    """One golden file, generated now. A report is rendered in the test itself (only the evaluation
    of its example is shared), so each test runs its own reporter; documents come one language at a
    time."""
    if name.startswith("documents/"):
        product, document, first, second = name.removeprefix("documents/").split(".")
        # <product>.<document>.<lang>.<fmt>, or the ethics material's JSON twin, <product>.<document>.<fmt>.json
        lang, fmt = ("en", first) if second == "json" else (first, second)
        example = ROOT / "examples" / f"{product}.yaml"
        return _once(("documents", product, fmt, lang), lambda: _MODULE.document_outputs(example, fmt, (lang,)))[name]
    example = ROOT / "examples" / f"{name.split('.')[0]}.yaml"
    info, results = _once(("evaluated", example.stem), lambda: _MODULE.evaluated(example))
    return _MODULE.report_output(name, info, results)


def test_golden_set_is_complete():
    outputs = _MODULE.golden_outputs() | _MODULE.golden_documents()
    assert len(COMMITTED) > 300
    assert COMMITTED == sorted(outputs)


@pytest.mark.parametrize("name", COMMITTED)
def test_golden(name):
    assert (GOLDEN / name).read_text(encoding="utf-8") == generate(name), f"{name} changed: run python scripts/regen.py and review"


def test_every_example_has_its_reports_in_every_format_and_language():
    from compliance.report import FORMATS

    examples = sorted(p.stem for p in (ROOT / "examples").glob("*.yaml"))
    assert len(examples) == 11
    reports = [name for name in COMMITTED if not name.startswith("documents/")]
    assert sorted({name.split(".")[0] for name in reports}) == examples
    assert len(reports) == len(examples) * len(FORMATS) * 2


# -------------------------------------------------------------------------- scripts/regen.py

def _git(folder, *args):
    import subprocess

    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e.cn", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@e.cn", "HOME": str(folder), "PATH": "/usr/bin:/bin"})


def test_regen_refuses_uncommitted_code_and_writes_nothing(tmp_path, monkeypatch, capsys):
    (tmp_path / "compliance").mkdir()
    (tmp_path / "compliance" / "grade.py").write_text("LEVEL = 1\n", encoding="utf-8")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "code")
    (tmp_path / "compliance" / "grade.py").write_text("LEVEL = 2\n", encoding="utf-8")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "new.md.j2").write_text("x\n", encoding="utf-8")
    monkeypatch.setattr(_MODULE, "ROOT", tmp_path)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if ".git" not in p.parts)
    assert len(before) == 4
    assert _MODULE.main([]) == 2
    err = capsys.readouterr().err
    assert "uncommitted changes" in err and "(2 paths, first compliance/grade.py)" in err and "--allow-dirty" in err
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if ".git" not in p.parts) == before


def test_regen_outside_git_asks_for_allow_dirty(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(_MODULE, "ROOT", tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))  # no repository above tmp_path either
    assert _MODULE.main([]) == 2
    assert "not a git checkout" in capsys.readouterr().err


def test_regen_summary_names_what_changed():
    root = _MODULE.ROOT
    old = {root / "a": "1\n2\n", root / "b": "x\n", root / "c": "same\n"}
    new = {root / "a": "1\n3\n4\n", root / "c": "same\n", root / "d": "new\n"}
    assert _MODULE.summary(old, new) == [
        "  changed  a (+2 -1)", "  removed  b", "  added    d (1 lines)",
        "1 changed, 1 added, 1 removed, 1 unchanged"]
