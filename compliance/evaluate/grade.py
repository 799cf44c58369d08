"""The risk grade (Art. 66): highest level any grading rule gives, one up for a `raise` rule.

A raise lifts the level the product's scenario, decisions and effects give. A rule marked
`raisable: false` grades only the data the product handles, its publicity or its pricing: its
level is a floor that no raise lifts (scale, or a special group, plus incidental sensitive data
is not high), so the grade is max(floor, min(high, raisable level + raise)).

Besides the grade and its reasons, this answers the officer's two questions: which declared facts
drove the grade, and what is the smallest change the product team could make that would move it
down. Facts that say what the product is, what it is for and whom it reaches (the pack's
identity facts: scenario, audience, reach, a bank's personal data...) are never offered as such a
change: the grade drivers among them are listed apart, as outside the product's control.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from compliance.declaration.facts import MISSING
from compliance.evaluate.conditions import Assignment, F, U, combine, option_key
from compliance.models.result import LEVEL_RANK, Change, FactRef, Lowering, Reason
from compliance.models.rules import LEVELS, Rule

Locate = Callable[[tuple], int | None]  # fact path -> line in the file
Identity = Callable[[str], bool]  # dotted fact path -> outside the product team's control
_MAX_TRIALS = 40  # candidate changes tried before giving up on finding a lowering


@dataclass(frozen=True)
class GradeOutcome:
    level: str
    reasons: tuple[Reason, ...]
    drivers: tuple[FactRef, ...]
    lowering: Lowering | None
    outside_control: tuple[FactRef, ...] = ()  # drivers that say what the product is, not how it is run


@dataclass(frozen=True)
class Levels:
    """How the fired rules combine: the raisable level, the floor, and whether a raise fired."""

    base: int  # highest level of the raisable rules (0 when none)
    floor: int  # highest level of the rules a raise does not lift (0 when none)
    raised: bool

    @property
    def lifted(self) -> int:
        return min(2, self.base + self.raised)

    @property
    def rank(self) -> int:
        return max(self.floor, self.lifted)


def combine_levels(fired: list[Rule]) -> Levels:
    """The grade's parts from the rules that fired (unknown facts count as fired)."""
    base = max((LEVEL_RANK[r.level] for r in fired if r.level != "raise" and r.raisable), default=0)
    floor = max((LEVEL_RANK[r.level] for r in fired if r.level != "raise" and not r.raisable), default=0)
    return Levels(base, floor, any(r.level == "raise" for r in fired))


def grade_level(data: dict, rules: tuple[Rule, ...]) -> int:
    """The grade's rank (0 low, 1 medium, 2 high) for data; unknown facts count as fired."""
    return combine_levels([rule for rule in rules if rule.when.evaluate(data) != F]).rank


def grade(data: dict, rules: tuple[Rule, ...], locate: Locate, identity: Identity = lambda _: False) -> GradeOutcome:
    fired = [(rule, truth) for rule in rules if (truth := rule.when.evaluate(data)) != F]
    levels = combine_levels([rule for rule, _ in fired])
    rank = levels.rank
    reasons = []
    drivers: dict[tuple, FactRef] = {}
    for rule, truth in sorted(fired, key=lambda pair: -_order(pair[0].level)):
        facts = _facts(rule, data, locate)
        reasons.append(Reason(rule.id, rule.level, rule.title, rule.message, rule.article,
                              rule.citations, facts, assumed=truth == U))
        if _holds_up(rule, levels):
            for fact in facts:
                drivers.setdefault(fact.path, fact)
    # A fact left unknown is not outside the team's control: it is yet to be stated.
    outside = tuple(fact for fact in drivers.values() if identity(fact.path) and not fact.unknown)
    return GradeOutcome(LEVELS[rank], tuple(reasons), tuple(drivers.values()),
                        _lowering(data, rules, fired, levels, identity), outside)


def _holds_up(rule: Rule, levels: Levels) -> bool:
    """Whether the rule is among those that give the grade (its facts drove it)."""
    if not rule.raisable:
        return LEVEL_RANK[rule.level] == levels.rank == levels.floor
    if levels.lifted < levels.rank:
        return False  # the floor alone gives the grade
    return rule.level == "raise" or LEVEL_RANK[rule.level] == levels.base


def _order(level: str) -> int:
    return 3 if level == "high" else 2 if level == "raise" else 1


def _facts(rule: Rule, data: dict, locate: Locate) -> tuple[FactRef, ...]:
    _, traced = rule.when.trace(data)
    seen: dict[tuple, FactRef] = {}
    for path, value in traced:
        if path not in seen:
            seen[path] = fact_ref(path, value, locate)
    return tuple(seen.values())


def fact_ref(path: tuple, value: Any, locate: Locate) -> FactRef:
    return FactRef(".".join(path), "unknown" if value is MISSING else value, locate(path))


# ----------------------------------------------------------------------------- lowering

def _lowering(data: dict, rules: tuple[Rule, ...], fired: list, levels: Levels,
              identity: Identity) -> Lowering | None:
    """The smallest set of declared facts the team could change that moves the grade below `rank`.

    Each fired rule that holds the grade up must stop firing. Every rule knows which single
    changes would switch it off (Condition.options); those that touch an identity fact are not
    changes the team can make while remaining the same product, and are dropped. Candidate sets
    combine one remaining change per rule, smallest first, and each is checked by grading the
    changed declaration, since a change can fire another rule.
    """
    rank = levels.rank
    if rank == 0:
        return None
    # Floors at the grade must go in any case.
    floors = [r for r, _ in fired if r.level != "raise" and not r.raisable and LEVEL_RANK[r.level] >= rank]
    families = []
    # Drop the raise and bring the raisable level below the grade...
    families.append(floors + [r for r, _ in fired if r.level == "raise"
                              or (r.raisable and LEVEL_RANK[r.level] >= rank)])
    # ...or keep the raise and bring the raisable level two levels down.
    if levels.raised and rank == 2:
        families.append(floors + [r for r, _ in fired if r.level != "raise" and r.raisable and LEVEL_RANK[r.level] >= 1])
    candidates: dict[tuple, Assignment] = {}
    for family in families:
        choices = [[o for o in rule.when.options(data, F) if not any(identity(".".join(p)) for p in o)]
                   for rule in family]
        for option in combine(choices):
            candidates.setdefault(option_key(option), option)
    # Fewest facts first; among those, prefer changing a value to emptying a list (which reads
    # "outside these scenarios altogether" and is rarely the change a team can make).
    ranked = sorted(candidates.values(), key=lambda o: (len(o), sum(v == [] for v in o.values())))
    for option in ranked[:_MAX_TRIALS]:
        changed = apply_changes(data, option)
        new_rank = grade_level(changed, rules)
        if new_rank < rank:
            changes = tuple(
                Change(".".join(path), _current(data, path), value) for path, value in sorted(option.items())
            )
            return Lowering(LEVELS[new_rank], changes)
    return None


def _current(data: dict, path: tuple) -> Any:
    node: Any = data
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return "unknown"
        node = node[key]
    return node


def apply_changes(data: dict, changes: Assignment) -> dict:
    """A copy of data with the facts at the given paths replaced (shared where untouched)."""
    result = dict(data)
    for path, value in changes.items():
        node = result
        for key in path[:-1]:
            child = node.get(key)
            child = dict(child) if isinstance(child, dict) else {}
            node[key] = child
            node = child
        node[path[-1]] = value
    return result
