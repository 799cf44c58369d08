"""Rule behaviour as data: tests/rule_cases/*.yaml, each a patch over the pack baseline and the
expected grade, reasons, findings, obligations and lowering."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance.evaluate.checklists import load_pack, merge_example
from compliance.declaration.load import read_document
from conftest import evaluate_data

CASES = [
    (path.stem, case)
    for path in sorted((Path(__file__).parent / "rule_cases").glob("*.yaml"))
    for case in read_document(path, path.name).data
]


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[f"{f}: {c['name']}" for f, c in CASES])
def test_rule_case(case):
    pack = load_pack()
    data = merge_example(pack.baseline, case["patch"])
    for dotted in case.get("remove", []):
        *parents, last = dotted.split(".")
        node = data
        for key in parents:
            node[key] = dict(node[key])  # copy before deleting: the baseline is shared
            node = node[key]
        del node[last]
    result = evaluate_data(data, pack)
    expect = case["expect"]
    reasons = {r.rule_id for r in result.reasons}
    assumed = {r.rule_id for r in result.reasons if r.assumed}
    findings = {f.rule_id for f in result.findings}
    if "grade" in expect:
        assert result.risk_level == expect["grade"]
    assert set(expect.get("reasons_include", [])) <= reasons
    assert not set(expect.get("reasons_exclude", [])) & reasons
    assert set(expect.get("assumed_include", [])) <= assumed
    assert set(expect.get("findings_include", [])) <= findings, findings
    assert not set(expect.get("findings_exclude", [])) & findings, findings
    assert set(expect.get("assumed_findings_include", [])) <= {f.rule_id for f in result.findings if f.assumed}
    statuses = {s.id: s.status for s in result.obligations}
    for obligation, status in expect.get("obligations", {}).items():
        assert statuses[obligation] == status, obligation
    if "lowering" in expect:
        if expect["lowering"] is None:  # nothing the team can change lowers the grade
            assert result.lowering is None, result.lowering
        else:
            assert result.lowering.to == expect["lowering"]["to"]
            assert [c.fact for c in result.lowering.changes] == expect["lowering"]["facts"]
    if "outside_control" in expect:
        assert [f.path for f in result.outside_control] == expect["outside_control"]
