"""tests/mutation-survivors.md stays a list one can act on: every core module that
scripts/mutation.py mutates has its score and its section, and every survivor's reason is one the
list explains."""

from __future__ import annotations

import importlib.util
import re
import sys

from conftest import ROOT

LIST = (ROOT / "tests" / "mutation-survivors.md").read_text(encoding="utf-8")


def _groups():
    spec = importlib.util.spec_from_file_location("mutation_script", ROOT / "scripts" / "mutation.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module.GROUPS


def test_every_mutated_module_has_a_score_and_a_section():
    modules = [module for group in _groups().values() for module in group.modules]
    assert len(modules) == 10
    scores = dict(re.findall(r"^\| `([^`]+\.py)` \| \d+ \| \d+ \| \d+ \| \d+ \| ([\d.]+)% \|$", LIST, re.M))
    assert sorted(scores) == sorted(modules)
    sections = re.findall(r"^## `([^`]+\.py)`$", LIST, re.M)
    assert sorted(sections) == sorted(modules)


def test_every_survivor_gives_a_reason_the_list_explains():
    explained = set(re.findall(r"^- \*\*([A-Z0-9-]+)\*\*: ", LIST, re.M))
    reasons = re.findall(r"^\| `x[^`]*__mutmut_\d+` \| .* \| ([A-Z0-9-]+) \|$", LIST, re.M)
    rows = re.findall(r"^\| `x[^`]*__mutmut_\d+` \|", LIST, re.M)
    assert len(reasons) == len(rows) > 100
    assert set(reasons) <= explained
    assert explained <= set(reasons)  # no explanation left over from survivors since killed
