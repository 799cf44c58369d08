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


def test_an_optional_fact_left_unstated_is_unknown_not_a_value(compile_):
    # An optional fact (default null) that the declaration leaves out is stated nowhere: U, so a
    # rule resting on it is marked assumed, as for `unknown` (fail closed, and said so).
    unstated = {"practices": {"biometric_identification": {"used": True, "purpose": None}}}
    purpose = {"fact": "practices.biometric_identification.purpose", "in": ["authentication", "payment"]}
    assert compile_(purpose).evaluate(unstated) == U
    assert compile_({"not": purpose}).evaluate(unstated) == U
    assert compile_({"fact": "practices.biometric_identification.purpose", "is": "attendance"}).evaluate(unstated) == U
    stated = {"practices": {"biometric_identification": {"used": True, "purpose": "attendance"}}}
    assert compile_(purpose).evaluate(stated) == F and compile_({"not": purpose}).evaluate(stated) == T


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


# ------------------------------------------------------------------------- every operator, at its edges

USERS = "scope.reach"
PERSONALISED = "practices.pricing.personalised"


def _reach(value):
    return {"scope": {"reach": value}}


@pytest.mark.parametrize("condition, data, expected", [
    ({"fact": USERS, "at_least": 10}, _reach(10), T),
    ({"fact": USERS, "at_least": 10}, _reach(9), F),
    ({"fact": USERS, "more_than": 10}, _reach(11), T),
    ({"fact": USERS, "more_than": 10}, _reach(10), F),  # strictly more
    ({"fact": USERS, "more_than": 10}, _reach("unknown"), U),
    ({"fact": USERS, "more_than": 10}, {}, U),
    ({"fact": USERS, "below": 10}, _reach(9), T),
    ({"fact": USERS, "below": 10}, _reach(10), F),
    ({"fact": USERS, "below": 10}, _reach("unknown"), U),
    ({"fact": "autonomy.level", "in": ["advisory", "human_in_the_loop"]}, {"autonomy": {"level": "human_in_the_loop"}}, T),
    ({"fact": "autonomy.level", "in": ["advisory"]}, {"autonomy": {"level": "fully_autonomous"}}, F),
    ({"fact": "autonomy.level", "in": ["advisory"]}, {"autonomy": {"level": "unknown"}}, U),
    ({"fact": "scope.audience", "any_of": ["public"]}, {"scope": {"audience": ["internal", "public"]}}, T),
    ({"fact": "scope.audience", "any_of": ["public"]}, {"scope": {"audience": ["internal"]}}, F),
    ({"fact": "data.sensitive_categories", "any_of": ["health"]}, {"data": {"sensitive_categories": "unknown"}}, U),
    ({"fact": "standards.international", "empty": True}, {"standards": {"international": []}}, T),
    ({"fact": "standards.international", "empty": True}, {"standards": {"international": ["ISO/IEC 42001"]}}, F),
    ({"fact": "standards.international", "empty": False}, {"standards": {"international": ["ISO/IEC 42001"]}}, T),
    ({"fact": "standards.national_or_local", "empty": True}, {"standards": {"national_or_local": "unknown"}}, U),
    ({"fact": "product.description", "empty": True}, {"product": {"description": None}}, U),
    ({"fact": "product.description", "empty": True}, {"product": {"description": ""}}, T),
    ({"fact": "safeguards.disclosure.url", "present": True}, {"safeguards": {"disclosure": {"url": "https://e.cn/x"}}}, T),
    ({"fact": "safeguards.disclosure.url", "present": True}, {"safeguards": {"disclosure": {"url": ""}}}, F),
    ({"fact": "safeguards.disclosure.url", "present": True}, {"safeguards": {"disclosure": {"url": "unknown"}}}, F),
    ({"fact": "safeguards.disclosure.url", "present": True}, {"safeguards": {"disclosure": {"url": "XXXX"}}}, T),
    ({"fact": "safeguards.disclosure.url", "present": False}, {"safeguards": {"disclosure": {}}}, T),
    ({"fact": PERSONALISED, "is": True}, {"practices": {"pricing": {}}}, U),  # the parent is there, the fact is not
    ({"fact": PERSONALISED, "is": True}, {"practices": {"pricing": {"personalised": 1}}}, F),  # 1 is not true
])
def test_each_operator_at_its_edges(compile_, condition, data, expected):
    assert compile_(condition).evaluate(data) == expected


# ---------------------------------------------------------------------------------------- options

def _apply(data, option):
    from compliance.evaluate.grade import apply_changes

    return apply_changes(data, option)


@pytest.mark.parametrize("condition, data, want, expected", [
    # is / in: the value asked for, or up to three other values of the fact, in the schema's order
    ({"fact": "autonomy.significant_effects", "is": True}, {"autonomy": {"significant_effects": False}}, T, [True]),
    ({"fact": "autonomy.significant_effects", "is": True}, {"autonomy": {"significant_effects": True}}, F, [False]),
    ({"fact": "provider.district", "is": "futian"}, {"provider": {"district": "futian"}}, F,
     ["luohu", "yantian", "nanshan"]),
    ({"fact": "provider.district", "in": ["futian", "luohu"]}, {"provider": {"district": "luohu"}}, F,
     ["yantian", "nanshan", "baoan"]),
    ({"fact": "provider.district", "in": ["nanshan", "futian"]}, {"provider": {"district": "baoan"}}, T, ["nanshan"]),
    # any_of: add the first value asked for, or keep only the other items
    ({"fact": "scenario.domains", "any_of": ["credit", "judicial"]}, {"scenario": {"domains": ["insurance"]}}, T,
     [["insurance", "credit"]]),
    ({"fact": "data.sensitive_categories", "any_of": ["health"]}, {"data": {"sensitive_categories": "unknown"}}, T,
     [["health"]]),
    ({"fact": "scenario.domains", "any_of": ["credit"]}, {"scenario": {"domains": ["credit", "insurance"]}}, F,
     [["insurance"]]),
    ({"fact": "data.sensitive_categories", "any_of": ["health"]}, {"data": {"sensitive_categories": ["health"]}}, F,
     [[]]),
    # a list that may not be empty: another value, or out of these scenarios altogether
    ({"fact": "scenario.domains", "any_of": ["public_administration"]},
     {"scenario": {"domains": ["public_administration"]}}, F, [["social_benefits"], []]),
    ({"fact": "scope.audience", "any_of": ["internal", "business", "public", "government"]},
     {"scope": {"audience": ["public"]}}, F, [[]]),  # no other value to offer
    # numbers: the edge on the wanted side
    ({"fact": USERS, "at_least": 1000}, _reach(5000), F, [999]),
    ({"fact": USERS, "at_least": 1}, _reach(5), F, [0]),
    ({"fact": USERS, "at_least": 0}, _reach(5), F, []),
    ({"fact": USERS, "at_least": 1000}, _reach(5), T, [1000]),
    ({"fact": USERS, "more_than": 1000}, _reach(5), T, [1001]),
    ({"fact": USERS, "more_than": 1000}, _reach(5000), F, [1000]),
    ({"fact": USERS, "below": 1000}, _reach(5000), T, [999]),
    ({"fact": USERS, "below": 1}, _reach(5), T, [0]),
    ({"fact": USERS, "below": 0}, _reach(5), T, []),
    ({"fact": USERS, "below": 1000}, _reach(5), F, [1000]),
    # empty: a list can be emptied; text cannot be made up, nor a document conjured
    ({"fact": "standards.international", "empty": True}, {"standards": {"international": ["x"]}}, T, [[]]),
    ({"fact": "standards.international", "empty": True}, {"standards": {"international": []}}, F, []),
    ({"fact": "product.description", "empty": True}, {"product": {"description": "x"}}, T, []),
    ({"fact": "safeguards.disclosure.url", "present": True}, {}, T, []),
])
def test_leaf_options_name_the_values_that_give_the_wanted_answer(compile_, condition, data, want, expected):
    leaf = compile_(condition)
    options = leaf.options(data, want)
    path = tuple(condition["fact"].split("."))
    assert options == [{path: value} for value in expected]
    for option in options:
        if option[path] != []:  # emptying a list that may not be empty is offered as advice only
            assert leaf.evaluate(_apply(data, option)) == want


def test_connective_options_combine_their_children(compile_):
    effects = {"fact": "autonomy.significant_effects", "is": True}
    health = {"fact": "autonomy.affects_health", "is": True}
    both_true = {"autonomy": {"significant_effects": True, "affects_health": True}}
    both_false = {"autonomy": {"significant_effects": False, "affects_health": False}}
    one_of = compile_({"any": [effects, health]})
    every = compile_({"all": [effects, health]})
    se, ah = ("autonomy", "significant_effects"), ("autonomy", "affects_health")
    assert one_of.options(both_true, F) == [{se: False, ah: False}]  # each true child must go
    assert one_of.options(both_false, T) == [{se: True}, {ah: True}]  # any one suffices
    assert every.options(both_true, F) == [{se: False}, {ah: False}]  # any one suffices
    assert every.options(both_false, T) == [{se: True, ah: True}]  # each false child must come
    negated = compile_({"not": effects})
    assert negated.options(both_false, F) == [{se: True}] and negated.options(both_true, T) == [{se: False}]
    mixed = {"autonomy": {"significant_effects": True, "affects_health": False}}
    assert every.options(mixed, T) == [{ah: True}]  # a child already true needs nothing
    for condition, data, want in ((one_of, both_true, F), (one_of, both_false, T), (every, both_true, F),
                                  (every, both_false, T), (negated, both_false, F), (negated, both_true, T)):
        assert all(condition.evaluate(_apply(data, option)) == want for option in condition.options(data, want))


def test_options_are_read_from_the_declaration_at_every_level(compile_):
    """Inside all, any and not, each leaf offers values from the declaration as it stands (a list
    keeps its other items) and for the answer its connective needs (`below` has an answer for each)."""
    domains, users = ("scenario", "domains"), ("scope", "reach")
    credit = {"fact": "scenario.domains", "any_of": ["credit"]}
    few = {"fact": USERS, "below": 10}
    data = {"scenario": {"domains": ["insurance", "credit"]}, "scope": {"reach": 5}}
    assert compile_({"any": [credit, few]}).options(data, F) == [{domains: ["insurance"], users: 10}]
    assert compile_({"all": [credit, few]}).options(data, F) == [{domains: ["insurance"]}, {users: 10}]
    assert compile_({"not": few}).options(data, T) == [{users: 10}]
    assert compile_({"not": credit}).options(data, T) == [{domains: ["insurance"]}]
    insurance = {"scenario": {"domains": ["insurance"]}, "scope": {"reach": 50}}
    assert compile_({"all": [credit, few]}).options(insurance, T) == [{domains: ["insurance", "credit"], users: 9}]
    assert compile_({"any": [credit, few]}).options(insurance, T) == [{domains: ["insurance", "credit"]}, {users: 9}]
    assert compile_({"not": credit}).options(insurance, F) == [{domains: ["insurance", "credit"]}]


def test_options_keep_every_distinct_value():
    """Three other districts are three options, not one (options are told apart by value too)."""
    from compliance.declaration.facts import declaration_catalog

    condition = ConditionCompiler(declaration_catalog()).compile(
        {"all": [{"fact": "provider.district", "is": "futian"}, {"fact": "autonomy.level", "is": "advisory"}]}, "t")
    data = {"provider": {"district": "futian"}, "autonomy": {"level": "advisory"}}
    districts = [o for o in condition.options(data, F) if ("provider", "district") in o]
    assert [o[("provider", "district")] for o in districts] == ["luohu", "yantian", "nanshan"]


def test_combined_options_that_contradict_themselves_are_dropped(compile_):
    """Wanting both `is true` and `is false` of one fact has no option."""
    condition = compile_({"all": [{"fact": "autonomy.significant_effects", "is": True},
                                  {"not": {"fact": "autonomy.significant_effects", "is": True}}]})
    assert condition.options({"autonomy": {"significant_effects": "unknown"}}, T) == []


SOME_GENDER = {"fact": "data.protected_attributes", "some": {
    "all": [{"fact": "attribute", "in": ["gender"]}, {"fact": "use", "is": "decision_factor"}]}}
GENDER = {"attribute": "gender", "use": "decision_factor", "purpose": "x"}
AGE = {"attribute": "age", "use": "fairness_testing", "purpose": "y"}


def test_some_traces_the_items_that_decide_and_offers_to_drop_them(compile_):
    condition = compile_(SOME_GENDER)
    data = {"data": {"protected_attributes": [AGE, GENDER]}}
    path = ("data", "protected_attributes")
    assert condition.trace(data) == (T, [(path, [GENDER])])  # the item that makes it true
    assert condition.trace({"data": {"protected_attributes": [AGE]}}) == (F, [(path, [AGE])])
    assert condition.trace({"data": {"protected_attributes": "unknown"}}) == (U, [(path, "unknown")])
    assert condition.options(data, F) == [{path: [AGE]}]  # keep the items that do not match
    assert condition.options({"data": {"protected_attributes": "unknown"}}, F) == [{path: []}]
    assert condition.options(data, T) == []


def test_trace_names_the_facts_that_decided(compile_):
    effects = {"fact": "autonomy.significant_effects", "is": True}
    health = {"fact": "autonomy.affects_health", "is": True}
    condition = compile_({"all": [{"not": effects}, health]})
    data = {"autonomy": {"significant_effects": True, "affects_health": "unknown"}}
    assert condition.evaluate(data) == F
    assert condition.trace(data) == (F, [(("autonomy", "significant_effects"), True)])  # not the unknown one
    assert compile_({"not": effects}).trace(data) == (F, [(("autonomy", "significant_effects"), True)])
    assert compile_({"any": [effects, health]}).trace(data) == (T, [(("autonomy", "significant_effects"), True)])


# --------------------------------------------------------------------------------------- explain

def test_describe_reads_every_construct_in_both_languages():
    from compliance.declaration.facts import declaration_catalog

    condition = ConditionCompiler(declaration_catalog()).compile({"any": [
        {"all": [{"fact": "practices.pricing.personalised", "is": True},
                 {"fact": "safeguards.disclosure.url", "present": False}]},
        {"not": {"fact": "standards.international", "empty": True}},
        {"fact": "standards.national_or_local", "empty": False},
        {"fact": "safeguards.disclosure.url", "present": True},
        {"fact": "scope.reach", "more_than": 10},
        {"fact": "autonomy.level", "in": ["advisory", "human_in_the_loop"]},
        {"fact": "data.sensitive_categories", "any_of": ["health"]},
        {"fact": "scope.public_decision_making", "is": False},
        {"fact": "product.description", "is": None},
        SOME_GENDER,
    ]}, "t")
    assert condition.describe() == [
        "any of:",
        "  all of:",
        "    practices.pricing.personalised is true",
        "    safeguards.disclosure.url is not stated",
        "  not:",
        "    standards.international is empty",
        "  standards.national_or_local is not empty",
        "  safeguards.disclosure.url is stated",
        "  scope.reach is more than 10",
        "  autonomy.level is one of [advisory, human_in_the_loop]",
        "  data.sensitive_categories includes any of [health]",
        "  scope.public_decision_making is false",
        "  product.description is null",
        "  some item of data.protected_attributes has:",
        "    all of:",
        "      attribute is one of [gender]",
        "      use is decision_factor",
    ]
    assert condition.describe("zh", "> ") == [
        "> 满足其一：",
        ">   同时满足：",
        ">     practices.pricing.personalised 为 true",
        ">     safeguards.disclosure.url 不已填写",
        ">   不满足：",
        ">     standards.international 为空",
        ">   standards.national_or_local 不为空",
        ">   safeguards.disclosure.url 已填写",
        ">   scope.reach 多于 10",
        ">   autonomy.level 属于 [advisory, human_in_the_loop]",
        ">   data.sensitive_categories 包含任一 [health]",
        ">   scope.public_decision_making 为 false",
        ">   product.description 为 null",
        ">   data.protected_attributes 中有一项满足：",
        ">     同时满足：",
        ">       attribute 属于 [gender]",
        ">       use 为 decision_factor",
    ]


def test_describe_without_arguments_is_english_and_unindented(compile_):
    for condition, first in (({"fact": USERS, "at_least": 10}, "scope.reach is at least 10"),
                             ({"not": {"fact": USERS, "at_least": 10}}, "not:"),
                             ({"all": [{"fact": USERS, "at_least": 10}]}, "all of:"),
                             ({"any": [{"fact": USERS, "at_least": 10}]}, "any of:"),
                             (SOME_GENDER, "some item of data.protected_attributes has:")):
        assert compile_(condition).describe()[0] == first


# ------------------------------------------------------------------------------ refused at compile

@pytest.mark.parametrize("data, message", [
    ({"fact": "autonomy.level", "in": []}, "test: 'in' takes a non-empty list"),
    ({"fact": "autonomy.level", "in": "advisory"}, "test: 'in' takes a non-empty list"),
    ({"fact": "autonomy.level", "in": ["advisory", "robot"]},
     "test: ['robot'] not values of autonomy.level (one of ['advisory', 'human_in_the_loop', 'human_on_the_loop', "
     "'fully_autonomous', 'unknown'])"),
    ({"fact": "scope.audience", "any_of": []}, "test: 'any_of' takes a non-empty list"),
    ({"fact": "scope.audience", "any_of": "public"}, "test: 'any_of' takes a non-empty list"),
    ({"fact": "scope.reach", "more_than": True}, "test: 'more_than' needs a number and a numeric fact"),
    ({"fact": "scope.reach", "below": "10"}, "test: 'below' needs a number and a numeric fact"),
    ({"fact": "scope.audience", "below": 3}, "test: 'below' needs a number and a numeric fact"),
    ({"fact": "safeguards.disclosure.url", "present": "yes"}, "test: 'present' takes true or false"),
    ({"fact": "standards.international", "empty": 1}, "test: 'empty' takes true or false"),
    ({"fact": "standards.pilot_requested", "empty": True},
     "test: 'empty' needs a list or text fact, standards.pilot_requested is neither"),
    ({"all": [{"fact": "scope.reach", "at_least": 1}], "any": [{"fact": "scope.reach", "at_least": 1}]},
     "test: all cannot be combined with ['any']"),
    ({"not": {"fact": "scope.reach", "at_least": 1}, "ref": "public"}, "test: not cannot be combined with ['ref']"),
    ({"fact": 3, "is": True}, "test: fact must be a dotted path"),
    ({"fact": "scope.reach", "some": {"fact": "x", "is": True}}, "test: 'some' needs a list of mappings, scope.reach is not one"),
    ({"fact": "data.protected_attributes", "some": {"fact": "colour", "is": "red"}},
     "test.some: the declaration schema has no fact 'data.protected_attributes.[].colour'"),
    ([], "test: a condition is a mapping, got []"),
    ({}, "test: a condition is a mapping, got {}"),
    ({"ref": "public", "fact": "scope.reach"}, "test: ref cannot be combined with ['fact']"),
    ({"all": [{"fact": USERS, "at_least": 1}, {"fact": "nope", "is": 1}]},
     "test.all[1]: the declaration schema has no fact 'nope'"),
])
def test_malformed_conditions_are_refused_with_where_and_why(compile_, data, message):
    with pytest.raises(ConditionError) as caught:
        compile_(data)
    assert str(caught.value) == message


def test_inside_some_every_connective_reads_the_item(compile_):
    """`not`, `all` and `any` inside `some` name the item's fields, not the declaration's."""
    condition = compile_({"fact": "data.protected_attributes", "some": {"all": [
        {"not": {"fact": "use", "is": "fairness_testing"}}, {"any": [{"fact": "attribute", "in": ["gender"]}]}]}})
    assert condition.evaluate({"data": {"protected_attributes": [GENDER]}}) == T
    assert condition.evaluate({"data": {"protected_attributes": [dict(GENDER, use="fairness_testing")]}}) == F


def test_a_definition_that_refers_to_itself_is_refused():
    from compliance.declaration.facts import declaration_catalog

    compiler = ConditionCompiler(declaration_catalog(), {"loop": {"not": {"ref": "loop"}}})
    with pytest.raises(ConditionError) as caught:
        compiler.compile({"ref": "loop"}, "rule")
    assert str(caught.value) == "definitions.loop.not: definition 'loop' refers to itself"


def test_a_definition_is_compiled_once_and_shared():
    from compliance.declaration.facts import declaration_catalog

    compiler = ConditionCompiler(declaration_catalog(), {"public": {"fact": "scope.audience", "any_of": ["public"]}})
    first, second = compiler.compile({"ref": "public"}, "a"), compiler.compile({"ref": "public"}, "b")
    assert first.body is second.body and first.evaluate({"scope": {"audience": ["public"]}}) == T


# ------------------------------------------------------------------- unstated facts, definitions

def test_a_fact_not_stated_is_traced_with_its_default():
    """A fact missing from its section reads as its schema default ("unknown" here), not as None;
    a list of mappings missing altogether is not stated (fact_ref shows it as unknown)."""
    from compliance.declaration.facts import MISSING
    from compliance.evaluate.grade import fact_ref

    compiler = ConditionCompiler(declaration_catalog())
    personalised = compiler.compile({"fact": "practices.pricing.personalised", "is": True}, "test")
    assert personalised.trace({"practices": {"pricing": {}}}) == (U, [(("practices", "pricing", "personalised"),
                                                                         "unknown")])
    some = compiler.compile(SOME_GENDER, "test")
    truth, [(path, value)] = some.trace({"data": {}})
    assert (truth, path, value) == (U, ("data", "protected_attributes"), MISSING)
    assert fact_ref(path, value, lambda _: None).value == "unknown"
    assert some.options({"data": {}}, F) == [{path: []}]  # nothing stated, nothing to keep


def test_any_of_options_leave_a_child_that_is_already_false_alone(compile_):
    effects = {"fact": "autonomy.significant_effects", "is": True}
    health = {"fact": "autonomy.affects_health", "is": True}
    mixed = {"autonomy": {"significant_effects": True, "affects_health": False}}
    assert compile_({"any": [effects, health]}).options(mixed, F) == [{("autonomy", "significant_effects"): False}]


def test_a_shared_definition_is_answered_afresh_on_every_evaluation():
    """A definition's memo lasts one evaluation: the same declaration object, changed in place,
    is read again by each of evaluate, trace and options."""
    compiler = ConditionCompiler(declaration_catalog(), {"public": {"fact": "scope.audience", "any_of": ["public"]}})
    condition = compiler.compile({"all": [{"ref": "public"}, {"ref": "public"}]}, "test")
    audience = ("scope", "audience")
    data = {"scope": {"audience": ["public"]}}
    assert condition.evaluate(data) == T
    data["scope"]["audience"] = ["internal"]
    assert condition.evaluate(data) == F
    assert condition.trace(data) == (F, [(audience, ["internal"]), (audience, ["internal"])])
    data["scope"]["audience"] = ["internal", "public"]
    assert condition.trace(data) == (T, [(audience, ["internal", "public"]), (audience, ["internal", "public"])])
    assert condition.options(data, F) == [{audience: ["internal"]}]
    data["scope"]["audience"] = ["business", "public"]
    assert condition.options(data, F) == [{audience: ["business"]}]


def test_a_definition_is_described_in_the_language_and_at_the_depth_it_is_used():
    compiler = ConditionCompiler(declaration_catalog(), {"public": {"fact": "scope.audience", "any_of": ["public"]}})
    condition = compiler.compile({"all": [{"ref": "public"}]}, "test")
    assert condition.describe("zh") == ["同时满足：", "  scope.audience 包含任一 [public]"]
    assert condition.describe("en", "> ") == ["> all of:", ">   scope.audience includes any of [public]"]


class _Counted:
    """A definition's body that counts how often it is really computed."""

    def __init__(self, body):
        self.body, self.size, self.calls = body, body.size, []

    def evaluate(self, data):
        self.calls.append("evaluate")
        return self.body.evaluate(data)

    def trace(self, data):
        self.calls.append("trace")
        return self.body.trace(data)

    def options(self, data, want):
        self.calls.append("options")
        return self.body.options(data, want)


def test_a_definition_referred_to_twice_is_computed_once_per_evaluation():
    """Hardening item 19: a definition is answered from memory within one evaluation (that is what
    keeps definitions that refer to others several times per level from growing exponentially),
    and computed again by the next one."""
    compiler = ConditionCompiler(declaration_catalog(), {"public": {"fact": "scope.audience", "any_of": ["public"]}})
    condition = compiler.compile({"all": [{"ref": "public"}, {"ref": "public"}]}, "test")
    first, second = condition.body.children
    assert first is second  # one Named object, shared
    counted = _Counted(first.body)
    first.body = counted
    data = {"scope": {"audience": ["public"]}}
    assert condition.evaluate(data) == T
    assert counted.calls == ["evaluate"]
    assert condition.trace(data)[0] == T
    assert counted.calls == ["evaluate", "trace"]
    assert condition.options(data, F) == [{("scope", "audience"): ["internal"]}, {("scope", "audience"): []}]
    # options asks each child's truth first: once, then the options once, for both references
    assert counted.calls == ["evaluate", "trace", "evaluate", "options"]
    assert condition.evaluate(dict(data)) == T  # another evaluation, another data object: computed again
    assert counted.calls == ["evaluate", "trace", "evaluate", "options", "evaluate"]


def test_a_definition_cannot_be_used_inside_some():
    """Inside `some`, facts are the item's fields; a definition names the declaration's facts, which
    an item does not have, so it would read them all as not stated: refused when the pack loads."""
    compiler = ConditionCompiler(declaration_catalog(), {"public": {"fact": "scope.audience", "any_of": ["public"]}})
    with pytest.raises(ConditionError) as refused:
        compiler.compile({"fact": "data.protected_attributes", "some": {"ref": "public"}}, "rule.when")
    assert str(refused.value) == ("rule.when.some: a definition (ref) cannot be used inside `some`: its facts are the "
                                  "declaration's, not the item's; write the item's conditions out")
