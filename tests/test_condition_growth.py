"""Definitions that refer to each other twice per level (issue 9, item 19): evaluated once, bounded.

Before, `check` took over 60 s at depth 40 with such an extra pack and `explain` ran out of memory.
"""

from __future__ import annotations

from compliance.cli import main
from compliance.declaration.facts import declaration_catalog
from compliance.evaluate.conditions import MAX_EXPANDED, F, T, U, ConditionCompiler, ConditionError
from conftest import EXAMPLES, ROOT

PACK = ROOT / "tests" / "hostile" / "pack-exponential"


def doubling(depth: int) -> dict:
    definitions = {"d_0": {"fact": "safeguards.logging", "is": True}}
    for level in range(1, depth + 1):
        definitions[f"d_{level}"] = {"any": [{"ref": f"d_{level - 1}"}, {"ref": f"d_{level - 1}"}]}
    return definitions


def leaf_counter(condition):
    """Count how often the one leaf at the bottom of a doubling chain is evaluated."""
    node = condition.body  # Root -> Named d_depth
    while not hasattr(node, "op"):
        node = node.body if hasattr(node, "name") else node.children[0]
    calls = []
    real = node.evaluate
    node.evaluate = lambda data: calls.append(1) or real(data)
    return calls


def test_a_named_definition_is_evaluated_once_per_evaluation():
    depth = 8  # written out: 2**9 - 1 = 511 conditions, within the bound
    compiler = ConditionCompiler(declaration_catalog(), doubling(depth))
    condition = compiler.compile({"ref": f"d_{depth}"}, "test")
    assert condition.size == 2 ** (depth + 1) - 1 <= MAX_EXPANDED
    calls = leaf_counter(condition)
    assert condition.evaluate({"safeguards": {"logging": False}}) == F
    assert len(calls) == 1  # not 2**8
    assert condition.evaluate({"safeguards": {"logging": True}}) == T  # a new evaluation: not the old answer
    assert condition.evaluate({}) == U
    assert len(calls) == 3
    truth, traced = condition.trace({"safeguards": {"logging": "unknown"}})
    assert truth == U and traced[0] == (("safeguards", "logging"), "unknown")
    assert condition.options({"safeguards": {"logging": False}}, T) == [{("safeguards", "logging"): True}]


def test_a_definition_within_some_is_evaluated_per_item():
    compiler = ConditionCompiler(declaration_catalog(), {
        "gender": {"fact": "data.protected_attributes", "some": {"fact": "attribute", "in": ["gender"]}}})
    condition = compiler.compile({"all": [{"ref": "gender"}, {"ref": "gender"}]}, "test")
    assert condition.evaluate({"data": {"protected_attributes": [{"attribute": "race"}, {"attribute": "gender"}]}}) == T
    assert condition.evaluate({"data": {"protected_attributes": [{"attribute": "race"}]}}) == F


def test_a_condition_too_large_written_out_is_refused_at_compile():
    compiler = ConditionCompiler(declaration_catalog(), doubling(40))
    try:
        compiler.compile({"ref": "d_40"}, "rule.when")
    except ConditionError as exc:
        message = str(exc)
    else:
        raise AssertionError("a condition of 2**41 - 1 conditions was accepted")
    assert message.startswith("definitions.d_9: this condition expands to 1,023 conditions")
    assert "more than the limit of 1,000" in message


def test_check_and_explain_refuse_the_exponential_pack_with_one_line(runner):
    for args in (["check", str(EXAMPLES / "robotaxi-service.yaml")], ["explain", "ACME-LOGGING"], ["rules"]):
        result = runner.invoke(main, args + ["--extra-pack", str(PACK)])
        assert result.exit_code == 2, result.output
        assert "pack-exponential/rules.yaml:5: definitions.d_9: this condition expands to 1,023 conditions" in result.stderr
        assert "internal error" not in result.stderr


def test_the_limit_counts_every_condition_written_out_and_allows_exactly_the_limit():
    """Written out, each leaf, all, any, not and some counts one, and a definition counts as often
    as it is referred to: 999 conditions under one `all` make 1,000, the most allowed."""
    definitions = doubling(8)  # d_n written out: 2**(n + 1) - 1 conditions
    compiler = ConditionCompiler(declaration_catalog(), definitions)
    parts = [{"ref": f"d_{n}"} for n in (8, 7, 6, 5, 4, 2)]  # 511 + 255 + 127 + 63 + 31 + 7 = 994
    parts += [{"not": {"ref": "d_0"}},  # 2
              {"fact": "data.protected_attributes", "some": {"fact": "attribute", "in": ["gender"]}},  # 2
              {"fact": "safeguards.logging", "is": True}]  # 1
    assert compiler.compile({"all": parts}, "test").size == MAX_EXPANDED == 1 + 994 + 2 + 2 + 1
    try:
        compiler.compile({"all": parts + [{"fact": "safeguards.monitoring", "is": True}]}, "rule.when")
    except ConditionError as exc:
        message = str(exc)
    else:
        raise AssertionError("a condition of 1,001 conditions was accepted")
    assert message == ("rule.when: this condition expands to 1,001 conditions when its definitions are written out, "
                       "more than the limit of 1,000; definitions that refer to others several times per level grow "
                       "exponentially: simplify them")
