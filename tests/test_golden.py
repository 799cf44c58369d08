"""Reports of every example, in every format and language, byte for byte as committed in
tests/golden/ (regenerate with `python scripts/regen.py`, then review the diff)."""

from __future__ import annotations

import importlib.util

import pytest

from conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"


def _regen():
    spec = importlib.util.spec_from_file_location("regen", ROOT / "scripts" / "regen.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_MODULE = _regen()
OUTPUTS = _MODULE.golden_outputs() | _MODULE.golden_documents()


def test_golden_set_is_complete():
    committed = [p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()]
    assert sorted(committed) == sorted(OUTPUTS)


@pytest.mark.parametrize("name", sorted(OUTPUTS))
def test_golden(name):
    assert (GOLDEN / name).read_text(encoding="utf-8") == OUTPUTS[name], f"{name} changed: run python scripts/regen.py and review"
