"""How far the rule pack agrees with the case book (tests/casebook/): the figures issue 11 asks for.

    python scripts/casebook.py                      # the bundled pack, every case with a declaration
    python scripts/casebook.py --pack DIR           # another pack folder (say, an older release)
    python scripts/casebook.py --cases             # and one line per case
    python scripts/casebook.py --json               # the figures as JSON

An Art. 72 finding is a finding that names an Art. 72 item at severity error (a prohibited behaviour
or an error-level indicator). "Declared" means not assumed: it holds on the facts as stated, not
only because a fact is unknown. The figures:

- grade agreement: the tool's grade equals the case's grade (exact), or is one a careful reader
  could defend (the grade or one of grade_alternatives);
- Art. 72 item recall: of the items a case engages (art72_items), the share the tool raises (with
  an error assumed or declared), the same without the self-attestation rules (A72-N-ATTESTED raises
  every item a declaration leaves unanswered, so it could make recall look better than the rules
  that read the product's facts), and the share it raises on declared facts alone;
- support: of the Art. 72 errors raised on declared facts, the share naming an item the case
  engages or calls arguable (counted per finding, and per case and item);
- high cases graded low (must be 0);
- for comparison only, grade agreement on declared facts alone: the grade the declared (not
  assumed) reasons give, as if every fact a case leaves unknown were the safe answer. aicomply
  never grades that way (unknown is the risky answer); the figure shows how much of the gap is
  the cases' unknown facts rather than the rules;
- for comparison only, grade agreement under DESIGN's other fail-closed branch ("an error or the
  higher grade"): the declared reasons' grade, at least medium where the grade rests on unknown
  facts, those facts being errors that fail the gate;
- Art. 72 errors on declared facts for the low-risk controls (must be 0).
The cases recorded as deliberate readings (tests/casebook/READINGS.yaml) are counted as they are:
a reading explains a disagreement, it does not remove it from the figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASEBOOK = ROOT / "tests" / "casebook"


@dataclass
class CaseOutcome:
    name: str
    expected: dict
    grade: str | None
    raised: set[int]  # Art. 72 items with an error finding, assumed or not
    specific: set[int]  # the same without the self-attestation rules, which raise every unanswered item
    declared: list[tuple[str, int]]  # (rule id, item) of errors on declared facts
    declared_grade: str | None = None  # the grade of the declared reasons alone (unknown facts read as safe)
    invalid: list[str] = field(default_factory=list)

    @property
    def assumed_grade(self) -> bool:
        """The grade rests on an assumed reason: lower if every fact left unknown were the safe answer."""
        return self.declared_grade != self.grade

    @property
    def error_branch_grade(self) -> str | None:
        """The grade under DESIGN's other fail-closed branch ("an error or the higher grade"): the
        declared reasons' grade, at least medium where the grade rests on unknown facts (which would
        also be an error failing the gate). aicomply takes the higher grade; this is for comparison."""
        if not self.assumed_grade or self.declared_grade is None:
            return self.grade
        return "medium" if self.declared_grade == "low" else self.declared_grade

    @property
    def exact(self) -> bool:
        return self.grade == self.expected["grade"]

    @property
    def defensible(self) -> bool:
        return self.grade in {self.expected["grade"], *self.expected["grade_alternatives"]}

    @property
    def supported_items(self) -> set[int]:
        return set(self.expected["art72_items"]) | set(self.expected["art72_arguable"])

    @property
    def false_alarms(self) -> list[tuple[str, int]]:
        return [(rule, item) for rule, item in self.declared if item not in self.supported_items]

    @property
    def missed(self) -> set[int]:
        return set(self.expected["art72_items"]) - self.raised


def cases(folder: Path = CASEBOOK) -> list[Path]:
    """Case folders that have a declaration, in name order."""
    return sorted(p for p in folder.iterdir() if p.is_dir() and (p / "declaration.yaml").is_file())


def expected_of(case: Path) -> dict:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load((case / "expected.yaml").read_text(encoding="utf-8"))


def judge(case: Path, pack) -> CaseOutcome:
    from compliance.pipeline import check_file

    result = check_file(case / "declaration.yaml", f"{case.name}/declaration.yaml", pack)
    errors = [f for f in result.findings if f.art72_item is not None and f.severity == "error"]
    invalid = [f"{f.rule_id}: {f.message('en')}" for f in result.findings if f.kind == "declaration"
               and f.severity == "error"] if result.risk_level is None else []
    return CaseOutcome(
        name=case.name,
        expected=expected_of(case),
        grade=result.risk_level,
        raised={f.art72_item for f in errors},
        specific={f.art72_item for f in errors if not f.rule_id.endswith("-ATTESTED")},
        declared=[(f.rule_id, f.art72_item) for f in errors if not f.assumed],
        invalid=invalid,
        declared_grade=_declared_grade(result, pack) if result.risk_level is not None else None,
    )


def _declared_grade(result, pack) -> str:
    """The grade if every assumed reason fell away (the facts left unknown read as the safe answer)."""
    from compliance.evaluate.grade import combine_levels
    from compliance.models.rules import LEVELS

    rules = {rule.id: rule for rule in pack.rules}
    return LEVELS[combine_levels([rules[r.rule_id] for r in result.reasons if not r.assumed]).rank]


def figures(outcomes: list[CaseOutcome]) -> dict:
    n = len(outcomes)
    engaged = sum(len(o.expected["art72_items"]) for o in outcomes)
    recalled = sum(len(set(o.expected["art72_items"]) & o.raised) for o in outcomes)
    recalled_specific = sum(len(set(o.expected["art72_items"]) & o.specific) for o in outcomes)
    recalled_declared = sum(len(set(o.expected["art72_items"]) & {i for _, i in o.declared}) for o in outcomes)
    declared = [(o, rule, item) for o in outcomes for rule, item in o.declared]
    supported = sum(item in o.supported_items for o, _, item in declared)
    pairs = {(o.name, item): item in o.supported_items for o, _, item in declared}
    return {
        "cases": n,
        "invalid": sum(o.grade is None for o in outcomes),
        "grade_exact": _share(sum(o.exact for o in outcomes), n),
        "grade_defensible": _share(sum(o.defensible for o in outcomes), n),
        "item_recall": _share(recalled, engaged),
        "item_recall_specific": _share(recalled_specific, engaged),
        "item_recall_declared": _share(recalled_declared, engaged),
        "disagreements_on_assumptions": sorted(o.name for o in outcomes if not o.exact and o.assumed_grade),
        "grade_exact_declared": _share(sum(o.declared_grade == o.expected["grade"] for o in outcomes), n),
        "grade_exact_error_branch": _share(sum(o.error_branch_grade == o.expected["grade"] for o in outcomes), n),
        "high_graded_low_declared": sorted(o.name for o in outcomes
                                           if o.expected["grade"] == "high" and o.declared_grade == "low"),
        "support_per_finding": _share(supported, len(declared)),
        "support_per_item": _share(sum(pairs.values()), len(pairs)),
        "high_graded_low": sorted(o.name for o in outcomes if o.expected["grade"] == "high" and o.grade == "low"),
        "control_errors": sorted(f"{o.name}: {rule}" for o in outcomes if o.expected["low_risk_control"]
                                 for rule, _ in o.declared),
    }


def _share(part: int, whole: int) -> dict:
    return {"count": part, "of": whole, "percent": round(100 * part / whole, 1) if whole else None}


def _pct(share: dict) -> str:
    return f"{share['percent']}% ({share['count']}/{share['of']})" if share["of"] else "n/a"


def report(outcomes: list[CaseOutcome], pack, per_case: bool) -> str:
    f = figures(outcomes)
    lines = [f"Case book: {f['cases']} cases with a declaration; rule pack {pack.id} {pack.version}"]
    if f["invalid"]:
        lines.append(f"  invalid declarations: {f['invalid']}")
    lines += [
        f"  grade agreement, exact:                       {_pct(f['grade_exact'])}",
        f"  grade agreement, within grade_alternatives:   {_pct(f['grade_defensible'])}",
        f"  Art. 72 item recall:                          {_pct(f['item_recall'])}; "
        f"on declared facts alone {_pct(f['item_recall_declared'])}",
        f"  Art. 72 item recall without the self-attestation rules: {_pct(f['item_recall_specific'])}",
        f"  declared-fact Art. 72 errors supported:       {_pct(f['support_per_finding'])} per finding, "
        f"{_pct(f['support_per_item'])} per case and item",
        f"  high cases graded low:                        {len(f['high_graded_low'])} {f['high_graded_low'] or ''}",
        f"  declared-fact Art. 72 errors, low-risk controls: {len(f['control_errors'])} {f['control_errors'] or ''}",
        f"  grade disagreements resting on facts left unknown: {len(f['disagreements_on_assumptions'])}",
        f"  for comparison, grade agreement on declared facts alone (unknown read as safe, which aicomply never "
        f"does): {_pct(f['grade_exact_declared'])}; high cases then graded low: "
        f"{len(f['high_graded_low_declared'])} {f['high_graded_low_declared'] or ''}",
        f"  for comparison, under DESIGN's other fail-closed branch (an unknown grading fact gives at least medium "
        f"and an error, not the higher grade): {_pct(f['grade_exact_error_branch'])}",
    ]
    if per_case:
        lines.append("")
        for o in outcomes:
            mark = "=" if o.exact else "~" if o.defensible else "x"
            mark += "?" if o.assumed_grade else " "
            extra = []
            if o.missed:
                extra.append(f"missed {sorted(o.missed)}")
            if o.false_alarms:
                extra.append("false " + ", ".join(f"{r}({i})" for r, i in o.false_alarms))
            if o.invalid:
                extra.append("INVALID " + "; ".join(o.invalid[:2]))
            lines.append(f"  {mark}{o.name:<58} {str(o.grade):<6} expected {o.expected['grade']:<6}"
                         f" raised {sorted(o.raised)} expected {o.expected['art72_items']}  {'; '.join(extra)}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pack", help="rule pack folder (default: the bundled shenzhen-2022)")
    parser.add_argument("--cases", action="store_true", help="one line per case")
    parser.add_argument("--json", action="store_true", help="the figures as JSON")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from compliance.evaluate.checklists import load_pack

    pack = load_pack(args.pack)
    outcomes = [judge(case, pack) for case in cases()]
    if args.json:
        print(json.dumps({"rule_pack": [pack.id, pack.version], **figures(outcomes)}, indent=2))
    else:
        print(report(outcomes, pack, args.cases), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
