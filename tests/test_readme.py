"""The README stays true: its commands, its sample output and its grading table."""

from __future__ import annotations

import re

from compliance.evaluate.checklists import load_pack
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_first_lines_give_the_two_commands_ci_runs():
    head = README.split("## ")[0]
    assert "pip install . && .venv/bin/aicomply check examples/" in head
    test_command = "python3 -m venv .venv && .venv/bin/pip install '.[test]' && .venv/bin/pytest"
    assert test_command in head
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_grading_table_lists_every_grading_rule_with_its_level():
    pack = load_pack()
    for rule in pack.of_kind("grade"):
        assert re.search(rf"\| {rule.level} \| {rule.id} \|", README), rule.id
    # and nothing else: a removed rule leaves the table (its id stays in the pack's removed list)
    listed = re.findall(r"^\|[^|]+\| (?:high|medium|raise) \| (GRADE-[A-Z0-9-]+) \|", README, re.MULTILINE)
    assert sorted(listed) == sorted(rule.id for rule in pack.of_kind("grade"))
    for rule in pack.of_kind("grade"):  # a floor says so in the table
        row = next(line for line in README.splitlines() if f"| {rule.id} |" in line)
        assert ("(floor)" in row) == (not rule.raisable), rule.id


def test_sample_output_is_real(runner, in_repo):
    from compliance.cli import main

    sample = README.split("Real output of `aicomply check examples/ride-hailing-dynamic-pricing.yaml`:")[1]
    sample = sample.split("```text\n")[1].split("```")[0]
    actual = runner.invoke(main, ["check", "examples/ride-hailing-dynamic-pricing.yaml"]).stdout.splitlines()
    for line in sample.splitlines():
        if line.strip() != "...":
            assert line in actual, line


def test_incentive_worked_example_is_real(runner):
    from compliance.cli import main

    marker = "Real output of `aicomply incentives profiles/example-profile.yaml --date 2026-11-24`:"
    sample = README.split(marker)[1].split("```text\n")[1].split("```")[0]
    actual = runner.invoke(main, ["incentives", str(ROOT / "profiles" / "example-profile.yaml"),
                                  "--date", "2026-11-24"]).stdout.splitlines()
    for line in sample.splitlines():
        if line.strip() != "...":
            assert line in actual, line


def test_register_role_sql_is_what_init_db_prints(runner):
    from compliance.cli import main

    shown = README.split("The role may only read and add records:")[1].split("```sql\n")[1].split("```")[0]
    printed = runner.invoke(main, ["register", "init-db", "--print-sql", "--db",
                                   "postgresql://owner@host/compliance"]).stdout
    assert shown.count("\n") == 5 and shown in printed
