"""Declarative rule conditions, compiled once into small Python objects. Nothing is eval'ed.

A condition is data from a rule pack:

    {all: [...]}  {any: [...]}  {not: {...}}  {ref: name-of-a-definition}
    {fact: scope.audience, any_of: [public]}      a list fact shares a value with the operand
    {fact: autonomy.level, in: [fully_autonomous]} a fact's value is one of the operand
    {fact: scope.public_decision_making, is: true}
    {fact: scope.users, at_least: 1000000}        also: more_than (strictly), below
    {fact: filings.algorithm_filing.number, present: true}
    {fact: standards.international, empty: false}  a list or text is (not) empty
    {fact: data.protected_attributes, some: {...}}  some list item satisfies a condition on its fields

Facts can be unknown, so conditions answer in three values (Kleene logic): F, U, T. A leaf is U
when its fact is ``unknown`` or stated nowhere; ``present`` alone is never U. The callers decide
what U means, and they all decide the same way: U counts as the unsafe answer (fail closed).

A definition is compiled once and shared by every condition that refers to it, so compiled
conditions form a graph, not a tree. Walking it as a tree costs its *expanded* size, which doubles
per level when definitions refer to each other twice (d_i: any [d_(i-1), d_(i-1)]). So a named
definition is evaluated once per evaluation of the rule (memoised), and a condition whose expanded
size exceeds MAX_EXPANDED (which also bounds `aicomply explain`, which writes it out) is refused
when the pack is loaded.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from itertools import islice, product
from typing import Any, Protocol

from compliance.declaration.facts import ITEM, MISSING, Fact, FactCatalog

F, U, T = 0, 1, 2  # so that all = min, any = max, not = 2 - x
_NUMBERS = (int, float, Decimal)  # Decimal: money and shares computed exactly by the incentive estimator
UNKNOWN = "unknown"
_MAX_OPTIONS = 24
# Conditions once written out (definitions inlined). The bundled pack's largest has 15; an
# explanation this long is already past reading.
MAX_EXPANDED = 1_000

Assignment = dict[tuple[str, ...], Any]  # fact path -> value, a hypothetical change


class ConditionError(ValueError):
    """A condition in a rule pack is malformed; the message says where and why."""


class Condition(Protocol):
    """What every compiled condition offers. `evaluate` is the hot path; the rest explain a result."""

    def evaluate(self, data: dict) -> int: ...

    def trace(self, data: dict) -> tuple[int, list[tuple[tuple[str, ...], Any]]]:
        """The truth value and the facts (path, value) that decided it."""
        ...

    def options(self, data: dict, want: int) -> list[Assignment]:
        """Changes of declared facts that would make this condition `want` (T or F)."""
        ...

    def describe(self, lang: str = "en", indent: str = "") -> list[str]:
        """The condition as indented lines a person can read (aicomply explain)."""
        ...


# ----------------------------------------------------------------------------------- leaves

def _getter(path: tuple[str, ...], default: Any):
    def get(data: Any) -> Any:
        node = data
        for key in path:
            if type(node) is not dict:
                return default
            node = node.get(key, MISSING)
            if node is MISSING:
                return default
        return node

    return get


class Leaf:
    __slots__ = ("evaluate", "fact", "get", "op", "operand", "path")  # evaluate: the method for op
    size = 1

    def __init__(self, fact: Fact, path: tuple[str, ...], op: str, operand: Any) -> None:
        self.fact = fact
        self.path = path  # relative to the item inside a `some`
        self.op = op
        self.operand = operand
        self.get = _getter(path, fact.default)
        self.evaluate = getattr(self, f"_eval_{op}")

    def _eval_is(self, data):
        value = self.get(data)
        if value is MISSING or value is None or value == UNKNOWN:  # None: an optional fact left unstated
            return U
        return T if _same(value, self.operand) else F

    def _eval_in(self, data):
        value = self.get(data)
        if value is MISSING or value is None or value == UNKNOWN:
            return U
        return T if any(_same(value, option) for option in self.operand) else F

    def _eval_any_of(self, data):
        value = self.get(data)
        if type(value) is not list:
            return U  # unknown, or not stated
        return T if any(item in self.operand for item in value) else F

    def _eval_at_least(self, data):
        value = self.get(data)
        if type(value) not in _NUMBERS:
            return U
        return T if value >= self.operand else F

    def _eval_more_than(self, data):
        value = self.get(data)
        if type(value) not in _NUMBERS:
            return U
        return T if value > self.operand else F

    def _eval_below(self, data):
        value = self.get(data)
        if type(value) not in _NUMBERS:
            return U
        return T if value < self.operand else F

    def _eval_empty(self, data):
        value = self.get(data)
        if value is MISSING or value == UNKNOWN or value is None:
            return U
        return T if (len(value) == 0) == self.operand else F

    def _eval_present(self, data):
        value = self.get(data)
        stated = not (value is MISSING or value is None or value == UNKNOWN or value == "")
        return T if stated == self.operand else F

    def trace(self, data):
        return self.evaluate(data), [(self.path, self.get(data))]


    def options(self, data, want):
        return [{self.path: value} for value in self._values_for(data, want)]

    def describe(self, lang="en", indent=""):
        return [indent + _leaf_text(self, lang)]

    def _values_for(self, data: dict, want: int) -> list[Any]:
        """Values of this fact that would make the leaf `want`; empty when none can be named."""
        fact, op, operand = self.fact, self.op, self.operand
        domain = [v for v in (fact.values or ()) if v != UNKNOWN]
        current = self.get(data)
        if op == "is":
            return [operand] if want == T else [v for v in domain if not _same(v, operand)][:3]
        if op == "in":
            if want == T:
                return list(operand[:1])
            return [v for v in domain if not any(_same(v, o) for o in operand)][:3]
        if op == "any_of":
            items = list(fact.item_values or ())
            base = current if type(current) is list else []
            if want == T:
                return [base + [operand[0]]]
            kept = [item for item in base if item not in operand]
            if kept or fact.min_items == 0:
                return [kept]
            # A list that may not be empty: offer another value, and the bare removal ([]), which
            # says "outside these scenarios" when no single replacement keeps the grade down.
            spare = [item for item in items if item not in operand]
            return ([[spare[0]]] if spare else []) + [[]]
        if op == "at_least":
            return [operand] if want == T else ([operand - 1] if operand > 0 else [])
        if op == "more_than":
            return [operand + 1] if want == T else [operand]
        if op == "below":
            return [operand - 1] if want == T and operand > 0 else ([operand] if want == F else [])
        if op == "empty" and want == T:
            return [[]] if "array" in fact.kinds else []
        return []  # present: a missing document cannot be conjured up


_OP_WORDS = {
    "is": ("is", "为"),
    "in": ("is one of", "属于"),
    "any_of": ("includes any of", "包含任一"),
    "at_least": ("is at least", "不少于"),
    "more_than": ("is more than", "多于"),
    "below": ("is below", "少于"),
    "present": ("is stated", "已填写"),
    "empty": ("is empty", "为空"),
}


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return "null" if value is None else str(value)


def _leaf_text(leaf: Leaf, lang: str) -> str:
    en, zh = _OP_WORDS[leaf.op]
    word = zh if lang == "zh" else en
    name = ".".join(leaf.path)
    if leaf.op in ("present", "empty"):
        negation = ("不" if lang == "zh" else "not ") if leaf.operand is False else ""
        if lang == "zh":
            return f"{name} {negation}{word}"
        return f"{name} is {negation}{word[3:]}"
    return f"{name} {word} {_show(leaf.operand)}"


class Some:
    """Some item of a list of mappings satisfies `inner` (whose facts are the item's fields)."""

    __slots__ = ("fact", "get", "inner", "path", "size")

    def __init__(self, fact: Fact, path: tuple[str, ...], inner: Condition) -> None:
        self.fact = fact
        self.path = path
        self.inner = inner
        self.size = 1 + inner.size
        self.get = _getter(path, fact.default)

    def evaluate(self, data):
        value = self.get(data)
        if type(value) is not list:
            return U
        best = F
        for item in value:
            truth = self.inner.evaluate(item)
            if truth == T:
                return T
            best = max(best, truth)
        return best

    def trace(self, data):
        value = self.get(data)
        truth = self.evaluate(data)
        if type(value) is not list:
            return truth, [(self.path, value)]
        chosen = [item for item in value if self.inner.evaluate(item) == truth]
        return truth, [(self.path, chosen or value)]


    def describe(self, lang="en", indent=""):
        head = f"{'.'.join(self.path)} 中有一项满足：" if lang == "zh" else f"some item of {'.'.join(self.path)} has:"
        return [indent + head] + self.inner.describe(lang, indent + "  ")

    def options(self, data, want):
        value = self.get(data)
        if want == F:
            kept = [item for item in value if self.inner.evaluate(item) == F] if type(value) is list else []
            return [{self.path: kept}]
        return []


# ------------------------------------------------------------------------------- connectives

class All:
    __slots__ = ("children", "size")

    def __init__(self, children: list[Condition]) -> None:
        self.children = children
        self.size = 1 + sum(child.size for child in children)

    def evaluate(self, data):
        result = T
        for child in self.children:
            truth = child.evaluate(data)
            if truth == F:
                return F
            if truth < result:
                result = truth
        return result

    def trace(self, data):
        traced = [child.trace(data) for child in self.children]
        truth = min(t for t, _ in traced)
        return truth, [fact for t, facts in traced if truth == T or t == truth for fact in facts]


    def describe(self, lang="en", indent=""):
        lines = [indent + ("同时满足：" if lang == "zh" else "all of:")]
        for child in self.children:
            lines.extend(child.describe(lang, indent + "  "))
        return lines

    def options(self, data, want):
        pending = [child for child in self.children if child.evaluate(data) != want]
        if want == F:  # falsify any one child
            return _smallest(option for child in pending for option in child.options(data, F))
        return combine([child.options(data, T) for child in pending])


class Any_:
    __slots__ = ("children", "size")

    def __init__(self, children: list[Condition]) -> None:
        self.children = children
        self.size = 1 + sum(child.size for child in children)

    def evaluate(self, data):
        result = F
        for child in self.children:
            truth = child.evaluate(data)
            if truth == T:
                return T
            if truth > result:
                result = truth
        return result

    def trace(self, data):
        traced = [child.trace(data) for child in self.children]
        truth = max(t for t, _ in traced)
        return truth, [fact for t, facts in traced if t == truth for fact in facts]


    def describe(self, lang="en", indent=""):
        lines = [indent + ("满足其一：" if lang == "zh" else "any of:")]
        for child in self.children:
            lines.extend(child.describe(lang, indent + "  "))
        return lines

    def options(self, data, want):
        pending = [child for child in self.children if child.evaluate(data) != want]
        if want == F:  # every child that is not false must become false
            return combine([child.options(data, F) for child in pending])
        return _smallest(option for child in pending for option in child.options(data, T))


class Not:
    __slots__ = ("child", "size")

    def __init__(self, child: Condition) -> None:
        self.child = child
        self.size = 1 + child.size

    def evaluate(self, data):
        return 2 - self.child.evaluate(data)

    def trace(self, data):
        truth, facts = self.child.trace(data)
        return 2 - truth, facts


    def options(self, data, want):
        return self.child.options(data, 2 - want)

    def describe(self, lang="en", indent=""):
        return [indent + ("不满足：" if lang == "zh" else "not:")] + self.child.describe(lang, indent + "  ")


# --------------------------------------------------------------------- named definitions

class _Clock:
    """Counts evaluations of whole conditions; a memo is valid only within the one it was made in."""

    __slots__ = ("tick",)

    def __init__(self) -> None:
        self.tick = 0


class Named:
    """A definition (`ref`), shared wherever it is referred to; within one evaluation of a rule it
    is evaluated, traced and asked for options once per data object, then answered from memory."""

    __slots__ = ("body", "clock", "memo", "name", "size")

    def __init__(self, name: str, body: Condition, clock: _Clock) -> None:
        self.name = name
        self.body = body
        self.clock = clock
        self.size = body.size  # written out, a reference is its definition
        self.memo: dict = {}

    def _recall(self, data: Any, key: Any, compute):
        tick = self.clock.tick
        memo = self.memo
        if memo.get("tick") != tick or memo.get("data") is not data:
            memo.clear()  # holding `data` until the next tick keeps its identity from being reused
            memo["tick"], memo["data"] = tick, data
        if key not in memo:
            memo[key] = compute()
        return memo[key]

    def evaluate(self, data):
        return self._recall(data, "evaluate", lambda: self.body.evaluate(data))

    def trace(self, data):
        return self._recall(data, "trace", lambda: self.body.trace(data))

    def options(self, data, want):
        return self._recall(data, ("options", want), lambda: self.body.options(data, want))

    def describe(self, lang="en", indent=""):
        return self.body.describe(lang, indent)


class Root:
    """A whole compiled condition: each call starts a new evaluation, so memos of the last are void."""

    __slots__ = ("body", "clock", "size")

    def __init__(self, body: Condition, clock: _Clock) -> None:
        self.body = body
        self.clock = clock
        self.size = body.size

    def evaluate(self, data):
        self.clock.tick += 1
        return self.body.evaluate(data)

    def trace(self, data):
        self.clock.tick += 1
        return self.body.trace(data)

    def options(self, data, want):
        self.clock.tick += 1
        return self.body.options(data, want)

    def describe(self, lang="en", indent=""):
        return self.body.describe(lang, indent)


def _same(a: Any, b: Any) -> bool:
    # JSON equality: true is not 1.
    return a == b and isinstance(a, bool) == isinstance(b, bool)


def _smallest(options: Iterable[Assignment]) -> list[Assignment]:
    unique: dict[tuple, Assignment] = {}
    for option in options:
        unique.setdefault(option_key(option), option)
    # Fewest changes first; among equals keep generation order, which follows the schema's value
    # order (safest value first), so the suggestion reads "none", not "incidental".
    return sorted(unique.values(), key=len)[:_MAX_OPTIONS]


def combine(groups: list[list[Assignment]]) -> list[Assignment]:
    """One option from each group, merged; combinations that contradict themselves are dropped."""
    if any(not group for group in groups):
        return []
    merged: list[Assignment] = []
    for choice in islice(product(*groups), _MAX_OPTIONS * 40):
        result: Assignment = {}
        for option in choice:
            if any(path in result and not _same(result[path], value) for path, value in option.items()):
                break
            result.update(option)
        else:
            merged.append(result)
    return _smallest(merged)


def option_key(option: Assignment) -> tuple:
    """A hashable, order-free identity of an assignment, for de-duplication."""
    return tuple(sorted((".".join(map(str, path)), repr(value)) for path, value in option.items()))


# ------------------------------------------------------------------------------------ compiler

_LEAF_OPS = ("is", "in", "any_of", "at_least", "more_than", "below", "present", "empty", "some")


class ConditionCompiler:
    """Turns condition data into Condition objects, checking every fact and value it names."""

    def __init__(self, catalog: FactCatalog, definitions: dict[str, Any] | None = None,
                 derived: dict[str, Fact] | None = None) -> None:
        self.catalog = catalog
        self.raw_definitions = definitions or {}
        self.derived = derived or {}
        self._definitions: dict[str, Condition] = {}
        self._compiling: set[str] = set()
        self._clock = _Clock()

    def compile(self, data: Any, where: str, base: tuple[str, ...] = ()) -> Condition:
        """A whole condition (a rule's `when`, say), refused when too large once written out."""
        return Root(self._bounded(self._compile(data, where, base), where), self._clock)

    def _bounded(self, condition: Condition, where: str) -> Condition:
        if condition.size > MAX_EXPANDED:
            raise ConditionError(
                f"{where}: this condition expands to {condition.size:,} conditions when its definitions are written "
                f"out, more than the limit of {MAX_EXPANDED:,}; definitions that refer to others several times "
                "per level grow exponentially: simplify them")
        return condition

    def _compile(self, data: Any, where: str, base: tuple[str, ...] = ()) -> Condition:
        if not isinstance(data, dict) or len(data) == 0:
            raise ConditionError(f"{where}: a condition is a mapping, got {data!r}")
        if "all" in data or "any" in data:
            key = "all" if "all" in data else "any"
            self._only(data, {key}, where)
            items = data[key]
            if not isinstance(items, list) or not items:
                raise ConditionError(f"{where}.{key}: expected a non-empty list of conditions")
            children = [self._compile(item, f"{where}.{key}[{i}]", base) for i, item in enumerate(items)]
            return All(children) if key == "all" else Any_(children)
        if "not" in data:
            self._only(data, {"not"}, where)
            return Not(self._compile(data["not"], f"{where}.not", base))
        if "ref" in data:
            self._only(data, {"ref"}, where)
            if base:  # a definition reads the declaration's facts; an item of `some` has none of them
                raise ConditionError(f"{where}: a definition (ref) cannot be used inside `some`: its facts are the "
                                     "declaration's, not the item's; write the item's conditions out")
            return self._reference(data["ref"], where)
        if "fact" in data:
            return self._leaf(data, where, base)
        raise ConditionError(f"{where}: expected all, any, not, ref or fact, got {sorted(data)}")

    def _only(self, data: dict, keys: set[str], where: str) -> None:
        if set(data) != keys:
            raise ConditionError(f"{where}: {min(keys)} cannot be combined with {sorted(set(data) - keys)}")

    def _reference(self, name: Any, where: str) -> Condition:
        if name not in self.raw_definitions:
            raise ConditionError(f"{where}: unknown definition {name!r}")
        if name in self._compiling:
            raise ConditionError(f"{where}: definition {name!r} refers to itself")
        if name not in self._definitions:
            self._compiling.add(name)
            body = self._compile(self.raw_definitions[name], f"definitions.{name}")
            self._definitions[name] = Named(name, self._bounded(body, f"definitions.{name}"), self._clock)
            self._compiling.discard(name)
        return self._definitions[name]

    def _fact(self, dotted: Any, where: str, base: tuple[str, ...]) -> tuple[Fact, tuple[str, ...]]:
        if not isinstance(dotted, str) or not dotted:
            raise ConditionError(f"{where}: fact must be a dotted path")
        if dotted in self.derived and not base:
            return self.derived[dotted], (dotted,)
        relative = tuple(dotted.split("."))
        fact = self.catalog.get(base + relative)
        if fact is None:
            raise ConditionError(f"{where}: the declaration schema has no fact {'.'.join(base + relative)!r}")
        return fact, relative

    def _leaf(self, data: dict, where: str, base: tuple[str, ...]) -> Condition:
        ops = [key for key in data if key != "fact"]
        if len(ops) != 1 or ops[0] not in _LEAF_OPS:
            raise ConditionError(f"{where}: a fact takes exactly one of {list(_LEAF_OPS)}, got {ops}")
        op, operand = ops[0], data[ops[0]]
        fact, path = self._fact(data["fact"], where, base)
        if op == "some":
            if "array" not in fact.kinds:
                raise ConditionError(f"{where}: 'some' needs a list of mappings, {fact.dotted} is not one")
            inner = self._compile(operand, f"{where}.some", base + path + (ITEM,))
            return Some(fact, path, inner)
        _check_operand(fact, op, operand, where)
        if op in ("in", "any_of"):
            operand = tuple(operand)
        return Leaf(fact, path, op, operand)


def _check_operand(fact: Fact, op: str, operand: Any, where: str) -> None:
    """Refuse values the fact can never take: a typo must not switch a rule off."""
    name = fact.dotted
    if op == "is":
        if fact.values is not None and not any(_same(operand, v) for v in fact.values):
            raise ConditionError(f"{where}: {operand!r} is not a value of {name} (one of {list(fact.values)})")
    elif op == "in":
        if not isinstance(operand, list) or not operand:
            raise ConditionError(f"{where}: 'in' takes a non-empty list")
        if fact.values is not None:
            bad = [v for v in operand if not any(_same(v, allowed) for allowed in fact.values)]
            if bad:
                raise ConditionError(f"{where}: {bad} not values of {name} (one of {list(fact.values)})")
    elif op == "any_of":
        if "array" not in fact.kinds:
            raise ConditionError(f"{where}: 'any_of' needs a list fact, {name} is not one")
        if not isinstance(operand, list) or not operand:
            raise ConditionError(f"{where}: 'any_of' takes a non-empty list")
        if fact.item_values is not None:
            bad = [v for v in operand if v not in fact.item_values]
            if bad:
                raise ConditionError(f"{where}: {bad} not values of {name} (one of {list(fact.item_values)})")
    elif op in ("at_least", "more_than", "below"):
        if not ({"integer", "number"} & fact.kinds) or isinstance(operand, bool) or not isinstance(operand, (int, float)):
            raise ConditionError(f"{where}: '{op}' needs a number and a numeric fact")
    elif op in ("present", "empty"):
        if not isinstance(operand, bool):
            raise ConditionError(f"{where}: '{op}' takes true or false")
        if op == "empty" and not ({"array", "string"} & fact.kinds):
            raise ConditionError(f"{where}: 'empty' needs a list or text fact, {name} is neither")
