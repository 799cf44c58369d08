"""Mutation testing of aicomply's core, on demand (never in CI): does the suite notice a bug?

    pip install -e '.[test,mutation]'
    python scripts/mutation.py                  # every group below, 2 workers: about 12 minutes
    python scripts/mutation.py grade records    # some groups
    python scripts/mutation.py --known          # the hand-written mutants (see KNOWN), a minute
    python scripts/mutation.py --list           # the groups, their modules and tests

Each group mutates one or two core modules with mutmut 3 and runs only the tests chosen for them
(mutmut runs, per mutant, only those of the chosen tests that reach the mutated function). It works
in a scratch copy of the working tree under .mutation/<group>/ (uncommitted changes included, the
checkout itself untouched), then prints the score per module: killed / (killed + survived), where a
timeout counts as killed and a mutant no chosen test reaches counts as survived. Every survivor is
written with its diff to .mutation/<group>/survivors.txt; each must be killed by a test or explained
in tests/mutation-survivors.md (an equivalent mutant, or a deliberate gap).

mutmut 3 mutates code inside functions only. Module constants (the SARIF level map, the stale-check
and expiry windows), rule packs and templates are covered by the hand-written mutants of KNOWN, run
with --known: each is applied to a scratch copy and must make its tests fail.

mutmut forks each mutant's run from a process that has already run the chosen tests once, so what
that process computed stays: scripts/mutation_plugin.py empties aicomply's caches at the start of
every run (rule packs are compiled again, with the mutant) and counts a mutant that breaks loading
as killed. Values a test module computes when it is imported are not recomputed; tests of the core
compute what they check inside the test.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutation"
DATA = ["checklists", "schemas", "templates", "examples", "profiles", "scripts", "README.md", ".ci"]


@dataclass(frozen=True)
class Group:
    modules: tuple[str, ...]
    tests: tuple[str, ...]
    why: str = ""
    skip_lines: tuple[str, ...] = ()  # regular expressions: lines not mutated (see MESSAGE_LINES)


# Lines that only build the wording of a message (a Text(...) appended, assigned or returned, or a
# string continuing one): the wording is pinned by README and golden tests, not mutated here.
MESSAGE_LINES = (r"^\s*([\w.]+\.append\(|\w+ = |return )?Text\(", r'^\s*f?"([^"\\]|\\.)*"[),\s]*$')


EVALUATION_TESTS = ("tests/test_rule_examples.py", "tests/test_rule_cases.py", "tests/test_examples.py",
                    "tests/test_grade.py", "tests/test_screen.py", "tests/test_obligations.py",
                    "tests/test_art72_pricing.py", "tests/test_conditions.py",
                    "tests/test_properties.py::test_the_lowering_offered_really_lowers",
                    "tests/test_properties.py::test_the_lowering_offered_for_a_drawn_declaration_really_lowers")
# The store's concurrency and crash tests (subprocesses) are left out, and the PostgreSQL runs: records,
# verify and the export are the same pure functions on both backends.
REGISTER_SLOW = ("postgresql", "eight_processes", "sixteen_writers", "killed_mid_write", "transaction_cut",
                 "held_too_long")
GROUPS = {
    "conditions": Group(("compliance/evaluate/conditions.py",),
                        ("tests/test_extra_packs.py", "tests/test_condition_growth.py", *EVALUATION_TESTS,
                         "tests/test_incentives.py"),
                        why="the condition language: three-valued evaluation, compile-time checks, options, explain text"),
    "evaluate": Group(("compliance/evaluate/grade.py", "compliance/evaluate/screen.py",
                       "compliance/evaluate/obligations.py"), EVALUATION_TESTS,
                      why="grading (floors and raises, drivers, the lowering), Art. 72 screening, obligations"),
    "register": Group(("compliance/register/records.py", "compliance/register/kinds.py",
                       "compliance/register/backup.py"),
                      ("tests/test_register.py", "tests/test_register_hardening.py", "tests/test_register_server.py",
                       "tests/test_outputs.py::test_register_export_never_writes_onto_the_register",
                       "-k", " and ".join(f"not {name}" for name in REGISTER_SLOW)),
                      why="records, the chain check and what each record may hold, and the export/import path "
                          "that verifies it (on SQLite)"),
    "gate": Group(("compliance/gate/waivers.py", "compliance/report/sarif.py"),
                  ("tests/test_waivers.py", "tests/test_baseline.py", "tests/test_reporters_ci.py", "tests/test_cli.py",
                   "tests/test_golden.py"),
                  why="waivers, and the SARIF report that carries levels and suppressions to code scanning",
                  skip_lines=MESSAGE_LINES),
    "incentives": Group(("compliance/incentives/engine.py",),
                        ("tests/test_incentives.py", "tests/test_incentive_rules.py", "tests/test_incentive_profiles.py",
                         "tests/test_readme.py::test_incentive_worked_example_is_real"),
                        why="rates, caps, validity windows, who may claim, approvals and combination rules, in exact "
                            "money",
                        skip_lines=MESSAGE_LINES),
}
STATUSES = ("killed", "timeout", "survived", "no tests", "suspicious", "skipped", "caught by type check",
            "segfault", "not checked")


@dataclass
class Tally:
    counts: dict[str, int] = field(default_factory=dict)
    survivors: list[str] = field(default_factory=list)

    @property
    def caught(self) -> int:
        return self.counts.get("killed", 0) + self.counts.get("timeout", 0) + self.counts.get("segfault", 0)

    @property
    def missed(self) -> int:
        return self.counts.get("survived", 0) + self.counts.get("no tests", 0) + self.counts.get("suspicious", 0)

    @property
    def score(self) -> float:
        return 100.0 * self.caught / max(1, self.caught + self.missed)


# ------------------------------------------------------------------------------ scratch copies

def working_tree_files() -> list[str]:
    """Tracked and untracked (not ignored) files of the checkout: what a commit would hold now."""
    done = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    return [line for line in done.stdout.splitlines() if line and (ROOT / line).is_file()]


def scratch_copy(target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    files = working_tree_files()
    if not any(name.startswith("compliance/") for name in files):
        raise SystemExit("mutation: found no compliance/ sources in the working tree")
    for name in files:
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, destination)


def configure(target: Path, group: Group) -> None:
    """Append the group's [tool.mutmut] to the scratch copy's pyproject.toml."""
    def toml_list(items) -> str:
        return "[" + ", ".join(json.dumps(item) for item in items) + "]"

    settings = [
        "[tool.mutmut]",
        'source_paths = ["compliance"]',
        f"only_mutate = {toml_list(group.modules)}",
        f"pytest_add_cli_args_test_selection = {toml_list(group.tests)}",
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-p", "mutation_plugin"]',
        f"also_copy = {toml_list(DATA)}",
        f"do_not_mutate_patterns = {toml_list(group.skip_lines)}",
        "use_git_change_detection = false",
    ]
    with (target / "pyproject.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n\n" + "\n".join(settings) + "\n")


# -------------------------------------------------------------------------------- running

def run_group(name: str, group: Group, jobs: int) -> dict[str, Tally]:
    target = WORK / name
    scratch_copy(target)
    configure(target, group)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(target), str(target / "scripts")]))
    log = target / "mutmut.log"
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", str(jobs)],
                              cwd=target, env=env, stdout=out, stderr=subprocess.STDOUT, check=False)
    if done.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"mutation: mutmut failed for group {name} (exit {done.returncode}); see {log}\n{tail}")
    results = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"], cwd=target, env=env,
                             capture_output=True, text=True, check=True).stdout
    tallies = tally(results, group)
    survivors = [m for t in tallies.values() for m in t.survivors]
    (target / "survivors.txt").write_text(diffs(target, env, survivors), encoding="utf-8")
    print(f"  {name}: {sum(sum(t.counts.values()) for t in tallies.values())} mutants in "
          f"{time.monotonic() - started:.0f} s; survivors with their diffs in {target / 'survivors.txt'}")
    return tallies


_DIFFS = """
import sys
from mutmut.mutation.diff_apply import find_mutant, get_diff_for_mutant
for name in sys.argv[1:]:
    print(f"# {name}")
    print(get_diff_for_mutant(name, path=find_mutant(name).path).rstrip())
    print()
"""


def diffs(target: Path, env: dict, mutants: list[str]) -> str:
    """The diff of each mutant, in one process (`mutmut show` takes a second per mutant)."""
    if not mutants:
        return ""
    done = subprocess.run([sys.executable, "-c", _DIFFS, *mutants], cwd=target, env=env, capture_output=True,
                          text=True, check=False)
    if done.returncode == 0:
        return done.stdout
    return "".join(subprocess.run([sys.executable, "-m", "mutmut", "show", m], cwd=target, env=env, capture_output=True,
                                  text=True, check=False).stdout + "\n" for m in mutants)


def tally(results: str, group: Group) -> dict[str, Tally]:
    """Per module of the group, the count of each status and the surviving mutants."""
    modules = {module: module.removesuffix(".py").replace("/", ".") + "." for module in group.modules}
    tallies = {module: Tally() for module in group.modules}
    for line in results.splitlines():
        found = re.match(r"\s*(\S+): (.+)$", line)
        if not found:
            continue
        mutant, status = found.groups()
        module = next((m for m, prefix in modules.items() if mutant.startswith(prefix)), None)
        if module is None or status not in STATUSES:
            continue
        tallies[module].counts[status] = tallies[module].counts.get(status, 0) + 1
        if status in ("survived", "no tests", "suspicious"):
            tallies[module].survivors.append(mutant)
    return tallies


def report(all_tallies: dict[str, dict[str, Tally]]) -> list[str]:
    lines = [f"{'module':46} {'mutants':>7} {'killed':>7} {'timeout':>7} {'survived':>8} {'no tests':>8} {'score':>6}"]
    for tallies in all_tallies.values():
        for module, t in tallies.items():
            total = sum(t.counts.values())
            lines.append(f"{module:46} {total:7} {t.counts.get('killed', 0):7} {t.counts.get('timeout', 0):7} "
                         f"{t.counts.get('survived', 0) + t.counts.get('suspicious', 0):8} "
                         f"{t.counts.get('no tests', 0):8} {t.score:5.1f}%")
    return lines


# ---------------------------------------------------------------------------- known mutants

@dataclass(frozen=True)
class Known:
    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]
    regenerate: bool = False  # regenerate the goldens from the mutant first, as regen.py would


KNOWN = (
    # The five of issue 15 that the suite did not catch, or caught only by the README or explain text.
    Known("record hash leaves out the link (prev)", "compliance/register/records.py",
          "record.product, record.prev, record.body", "record.product, record.body", ("tests/test_register.py",)),
    Known("unknown evidence meets an obligation", "compliance/evaluate/obligations.py",
          "if met == T:", "if met != F:", ("tests/test_obligations.py",)),
    Known("stale-check default 60 days, not 90", "compliance/register/timeline.py",
          "DEFAULT_STALE_DAYS = 90", "DEFAULT_STALE_DAYS = 60", ("tests/test_register.py",)),
    Known("a grading rule's level changed where no example uses it", "checklists/shenzhen-2022/grading.yaml",
          "  - id: GRADE-REMOTE-BIOMETRIC-PUBLIC\n    kind: grade\n    level: high",
          "  - id: GRADE-REMOTE-BIOMETRIC-PUBLIC\n    kind: grade\n    level: medium", ("tests/test_rule_examples.py",)),
    Known("device dropped from the Art. 72(5) pricing traits", "checklists/shenzhen-2022/screening.yaml",
          "any_of: [habits, preferences, device, purchase_history, user_location]",
          "any_of: [habits, preferences, purchase_history, user_location]", ("tests/test_art72_pricing.py",)),
    # Caught only by golden files, which regen.py rewrites from the code under test.
    Known("the ex-ante assessment lists only the first grading reason", "templates/en/ex_ante_assessment.md.j2",
          "{% for reason in grade.reasons %}", "{% for reason in grade.reasons[:1] %}",
          ("tests/test_golden.py", "tests/test_golden_content.py"), regenerate=True),
    # Module constants, which mutmut 3 does not mutate.
    Known("SARIF: info findings shown as warnings", "compliance/report/sarif.py",
          '"info": "note"', '"info": "warning"', ("tests/test_reporters_ci.py",)),
    Known("SARIF: warnings shown as notes", "compliance/report/sarif.py",
          '"warning": "warning"', '"warning": "note"', ("tests/test_reporters_ci.py",)),
    Known("SARIF: errors shown as warnings", "compliance/report/sarif.py",
          'LEVEL = {"error": "error"', 'LEVEL = {"error": "warning"', ("tests/test_reporters_ci.py",)),
    Known("waivers warn 31 days before expiry, not 30", "compliance/gate/waivers.py",
          "EXPIRY_WARNING_DAYS = 30", "EXPIRY_WARNING_DAYS = 31", ("tests/test_waivers.py",)),
    Known("incentive documents expire-soon window 91 days, not 90", "compliance/incentives/engine.py",
          "EXPIRY_WARNING_DAYS = 90", "EXPIRY_WARNING_DAYS = 91", ("tests/test_incentives.py",)),
    Known("the due window default 31 days, not 30", "compliance/register/timeline.py",
          "DEFAULT_WITHIN_DAYS = 30", "DEFAULT_WITHIN_DAYS = 31", ("tests/test_register.py",)),
    Known("the chain starts from another genesis", "compliance/register/records.py",
          'GENESIS = "0" * 64', 'GENESIS = "1" * 64', ("tests/test_register.py",)),
    Known("a record of an unknown kind is read as a check", "compliance/register/kinds.py",
          "adapter = _ADAPTERS.get(kind)", 'adapter = _ADAPTERS.get(kind, _ADAPTERS["check"])',
          ("tests/test_register.py",)),
)


def run_known(jobs: int) -> bool:
    target = WORK / "known"
    scratch_copy(target)
    pristine = {k.path: (target / k.path).read_text(encoding="utf-8") for k in KNOWN}
    goldens = target / "tests" / "golden"
    env = dict(os.environ, PYTHONPATH=str(target), AICOMPLY_CACHE_DIR="")
    survived = []
    for known in KNOWN:
        source = pristine[known.path]
        if source.count(known.old) != 1:
            raise SystemExit(f"mutation: known mutant {known.name!r}: {known.old!r} is not once in {known.path}; "
                             "update KNOWN to the code")
        (target / known.path).write_text(source.replace(known.old, known.new), encoding="utf-8")
        saved = goldens.with_name("golden.saved")
        try:
            if known.regenerate:
                shutil.copytree(goldens, saved)
                subprocess.run([sys.executable, "scripts/regen.py", "--allow-dirty"], cwd=target, env=env,
                               capture_output=True, check=True)
            done = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *known.tests],
                                  cwd=target, env=env, capture_output=True, text=True, check=False)
        finally:
            (target / known.path).write_text(source, encoding="utf-8")
            if saved.exists():
                shutil.rmtree(goldens)
                saved.rename(goldens)
        killed = done.returncode == 1
        if done.returncode not in (0, 1):
            raise SystemExit(f"mutation: tests could not run for {known.name!r}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
        failing = [line.split(" ", 1)[1].split(" - ")[0] for line in done.stdout.splitlines() if line.startswith("FAILED ")]
        print(f"  {'killed  ' if killed else 'SURVIVED'} {known.name}" + (f"  <- {failing[0]}" if failing else ""))
        if not killed:
            survived.append(known.name)
    print(f"known mutants: {len(KNOWN) - len(survived)} of {len(KNOWN)} killed")
    return not survived


# ------------------------------------------------------------------------------------ main

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("groups", nargs="*", metavar="GROUP", help=f"groups to run (default: all): {', '.join(GROUPS)}")
    parser.add_argument("--jobs", type=int, default=2, help="mutants run at once (default 2)")
    parser.add_argument("--known", action="store_true", help="run the hand-written mutants instead")
    parser.add_argument("--list", action="store_true", help="list the groups and exit")
    args = parser.parse_args(argv)
    if args.list:
        for name, group in GROUPS.items():
            print(f"{name}: {', '.join(group.modules)}" + (f" ({group.why})" if group.why else "")
                  + f"\n    tests: {' '.join(group.tests)}")
        return 0
    try:
        import mutmut  # noqa: F401
    except ImportError:
        print("mutation: mutmut is not installed; pip install -e '.[test,mutation]'", file=sys.stderr)
        return 2
    if args.known:
        return 0 if run_known(args.jobs) else 1
    unknown = [name for name in args.groups if name not in GROUPS]
    if unknown:
        print(f"mutation: no group {', '.join(unknown)}; groups are {', '.join(GROUPS)}", file=sys.stderr)
        return 2
    started = time.monotonic()
    all_tallies = {}
    for name in args.groups or list(GROUPS):
        all_tallies[name] = run_group(name, GROUPS[name], args.jobs)
    lines = report(all_tallies)
    print("\n".join(lines))
    print(f"total time {time.monotonic() - started:.0f} s with {args.jobs} workers")
    # Groups run now replace their modules' entries; the other groups' entries from earlier runs stay.
    summary_file = WORK / "summary.json"
    summary = json.loads(summary_file.read_text(encoding="utf-8")) if summary_file.exists() else {}
    summary.update({module: {"counts": t.counts, "score": round(t.score, 1), "survivors": t.survivors}
                    for tallies in all_tallies.values() for module, t in tallies.items()})
    summary_file.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
