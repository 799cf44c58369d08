"""The condition language: three-valued logic, fact and value checks at compile time, options."""

from __future__ import annotations

import pytest

from compliance.evaluate.conditions import F, T, U, ConditionCompiler, ConditionError
from compliance.declaration.facts import declaration_catalog


@pytest.fixture(scope="module")
def compile_():
    compiler = ConditionCompiler(declaration_catalog(), {"public": {"fact": "scope.audience", "any_of": ["public"]}})
    return lambda data: compiler.compile(data, "test")


def facts(**sections):
    return sections


@pytest.mark.parametrize("value, expected", [(True, T), (False, F), ("unknown", U)])
def test_is_on_a_tri_state_fact(compile_, value, expected):
    condition = compile_({"fact": "autonomy.significant_effects", "is": True})
    assert condition.evaluate(facts(autonomy={"significant_effects": value})) == expected


def test_a_fact_not_stated_takes_the_schema_default_unknown(compile_):
    condition = compile_({"fact": "practices.pricing.personalised", "is": True})
    assert condition.evaluate({}) == U  # no practices at all: unknown, not false
    assert condition.evaluate({"practices": {"pricing": {"personalised": False}}}) == F


def test_a_fact_with_a_safe_schema_default_is_not_unknown(compile_):
    condition = compile_({"fact": "standards.pilot_requested", "is": True})
    assert condition.evaluate({}) == F  # the schema's default is false


@pytest.mark.parametrize(
    "a, b, all_, any_",
    [(T, T, T, T), (T, U, U, T), (T, F, F, T), (U, U, U, U), (U, F, F, U), (F, F, F, F)],
)
def test_kleene_connectives(compile_, a, b, all_, any_):
    names = {T: True, F: False, U: "unknown"}
    data = {"autonomy": {"significant_effects": names[a], "affects_health": names[b]}}
    left = {"fact": "autonomy.significant_effects", "is": True}
    right = {"fact": "autonomy.affects_health", "is": True}
    assert compile_({"all": [left, right]}).evaluate(data) == all_
    assert compile_({"any": [left, right]}).evaluate(data) == any_
    assert compile_({"not": left}).evaluate(data) == 2 - a


def test_lists_numbers_presence_and_definitions(compile_):
    data = {"scope": {"audience": ["public"], "reach": 5}, "provider": {"uscc": None}}
    assert compile_({"ref": "public"}).evaluate(data) == T
    assert compile_({"fact": "scope.reach", "at_least": 5}).evaluate(data) == T
    assert compile_({"fact": "scope.reach", "below": 5}).evaluate(data) == F
    assert compile_({"fact": "scope.reach", "at_least": 5}).evaluate({"scope": {"reach": "unknown"}}) == U
    assert compile_({"fact": "provider.uscc", "present": True}).evaluate(data) == F
    assert compile_({"fact": "provider.uscc", "present": False}).evaluate({}) == T  # never U


def test_some_item_of_a_list(compile_):
    condition = compile_({"fact": "data.protected_attributes", "some": {
        "all": [{"fact": "attribute", "in": ["gender"]}, {"fact": "use", "is": "decision_factor"}]}})
    item = {"attribute": "gender", "use": "decision_factor", "purpose": "x"}
    assert condition.evaluate({"data": {"protected_attributes": [item]}}) == T
    assert condition.evaluate({"data": {"protected_attributes": [dict(item, use="fairness_testing")]}}) == F
    assert condition.evaluate({"data": {"protected_attributes": []}}) == F
    assert condition.evaluate({"data": {"protected_attributes": "unknown"}}) == U


@pytest.mark.parametrize(
    "data, message",
    [
        ({"fact": "scope.audiense", "any_of": ["public"]}, "no fact 'scope.audiense'"),
        ({"fact": "scope.audience", "any_of": ["pubic"]}, "['pubic'] not values of scope.audience"),
        ({"fact": "autonomy.level", "is": "autonomous"}, "'autonomous' is not a value of autonomy.level"),
        ({"fact": "autonomy.level", "in": ["advisory"], "is": "advisory"}, "exactly one"),
        ({"fact": "scope.reach", "any_of": [1]}, "needs a list fact"),
        ({"fact": "scope.audience", "at_least": 3}, "needs a number"),
        ({"ref": "nowhere"}, "unknown definition"),
        ({"all": []}, "non-empty list"),
        ({"every": []}, "expected all, any, not, ref or fact"),
        ({"fact": "$grade", "is": "high"}, "no fact '$grade'"),
    ],
)
def test_a_rule_naming_what_the_schema_does_not_know_is_refused(compile_, data, message):
    with pytest.raises(ConditionError, match=message.replace("[", r"\[").replace("]", r"\]").replace("$", r"\$")):
        compile_(data)


def test_options_name_the_changes_that_switch_a_condition_off(compile_):
    condition = compile_({"all": [
        {"fact": "scenario.domains", "any_of": ["credit"]},
        {"fact": "autonomy.significant_effects", "is": True},
    ]})
    data = {"scenario": {"domains": ["credit", "insurance"]}, "autonomy": {"significant_effects": True}}
    options = condition.options(data, F)
    assert {("scenario", "domains"): ["insurance"]} in options
    assert {("autonomy", "significant_effects"): False} in options
    for option in options:
        from compliance.evaluate.grade import apply_changes

        assert condition.evaluate(apply_changes(data, option)) == F


def test_describe_reads_as_a_sentence(compile_):
    condition = compile_({"all": [{"fact": "scope.audience", "any_of": ["public"]}, {"not": {"fact": "scope.reach", "below": 10}}]})
    assert condition.describe("en") == ["all of:", "  scope.audience includes any of [public]", "  not:", "    scope.reach is below 10"]
    assert condition.describe("zh")[0] == "同时满足："


@pytest.mark.parametrize("number, text", [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (66, "六十六"),
                                          (72, "七十二"), (100, "一百"), (105, "一百零五"), (110, "一百一十"), (123, "一百二十三"),
                                          (1000, "一千"), (1019, "一千零一十九"), (1023, "一千零二十三"), (1260, "一千二百六十")])
def test_article_numbers_in_chinese(number, text):
    from compliance.models.rules import zh_number

    assert zh_number(number) == text
