"""Reading an enterprise profile: exact, bounded money (issue 9, item 10), facts that must agree,
version 1 still read, and the `aicomply incentives init` scaffold."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from conftest import ROOT
from incentive_helpers import compute, profile

from compliance.cli import main

EXAMPLE = ROOT / "profiles" / "example-profile.yaml"
V1 = ROOT / "tests" / "data" / "incentives" / "profile-v1.yaml"


def invoke(runner, path, *args):
    return runner.invoke(main, ["incentives", str(path), "--date", "2026-11-24", *args])


def example_with(tmp_path, old: str, new: str, name: str = "p.yaml"):
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def assert_refused(result, path, line: int, words: str):
    """Exit 1, one problem line at the file and line, nothing on stdout, no traceback."""
    assert result.exit_code == 1, result.output
    problems = [entry for entry in result.stderr.splitlines() if not entry.startswith("aicomply: error")]
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{path}:{line}:"), problems[0]
    assert words in problems[0]
    assert result.stdout == "" and "Traceback" not in result.output


# ------------------------------------------------------------------ floats, bounds, agreement

@pytest.mark.parametrize("written", ["12345678901234567.0", "30000000.000000001", "1e27", "3.0e7", "30000000.5"])
def test_a_float_amount_is_refused_never_rounded(runner, tmp_path, written):
    path = example_with(tmp_path, "    amount: 30000000\n", f"    amount: {written}\n")
    assert_refused(invoke(runner, path), path, line_of(path, written),
                   "spend[0].amount: a number with a decimal point or an exponent, which would be rounded")


def test_a_float_in_a_json_profile_is_refused_too(runner, tmp_path):
    data = profile(spend=[compute()])
    text = json.dumps(data, indent=2).replace('"amount": 30000000', '"amount": 30000000.000000001')
    path = tmp_path / "p.json"
    path.write_text(text, encoding="utf-8")
    assert_refused(invoke(runner, path), path, line_of(path, "30000000.000000001"), "spend[0].amount")


@pytest.mark.parametrize(("old", "new", "words"), [
    ("  large_models:\n", "  approved_icv_vehicles: 1e23\n  large_models:\n",
     "enterprise.approved_icv_vehicles: a number with a decimal point or an exponent"),
    ("  large_models:\n", "  approved_icv_vehicles: 100001\n  large_models:\n",
     "enterprise.approved_icv_vehicles must be at most 100000"),
    ("    amount: 30000000\n", "    amount: 10000000000000\n", "spend[0].amount must be at most 9999999999999"),
    ("    amount: 30000000\n", "    amount: \"12345678901234567\"\n",
     "spend[0].amount: '12345678901234567' is not an amount of yuan: write digits with at most two decimals, "
     "under 10 trillion"),
    ("    total: 40000000\n", "    total: \"forty million\"\n",
     "enterprise.income.total: 'forty million' is not an amount of yuan (or unknown)"),
    ("      name: Pengcheng Vision 1\n", "      name: Pengcheng Vision 1\n      market_cases: 100001\n",
     "market_cases must be at most 100000"),
])
def test_amounts_and_counts_are_bounded(runner, tmp_path, old, new, words):
    path = example_with(tmp_path, old, new)
    needle = next(line for line in new.splitlines() if line not in old.splitlines()).split(":")[0]
    assert_refused(invoke(runner, path), path, line_of(path, needle), words)


def test_v1_registered_models_count_is_bounded_and_floats_refused(runner, tmp_path):
    """The issue's `registered_models: 1e23` ended in an internal error."""
    text = V1.read_text(encoding="utf-8")
    for written, words in (("1e23", "enterprise.registered_models: a number with a decimal point"),
                           ("1001", "enterprise.registered_models must be at most 1000")):
        path = tmp_path / f"v1-{written}.yaml"
        path.write_text(text.replace("registered_models: 2", f"registered_models: {written}"), encoding="utf-8")
        assert_refused(invoke(runner, path), path, line_of(path, "registered_models"), words)


def test_ai_income_above_total_income_is_refused(runner, tmp_path):
    path = example_with(tmp_path, "    ai: 34000000\n", "    ai: 94000000\n")
    assert_refused(invoke(runner, path), path, line_of(path, "ai: 94000000"),
                   "AI business income 94000000 is more than total income 40000000")
    same = example_with(tmp_path, "    ai: 34000000\n", "    ai: 40000000\n", "same.yaml")
    assert invoke(runner, same).exit_code == 0  # all of it AI income is consistent


def test_a_project_smaller_than_its_own_spend_is_refused(runner, tmp_path):
    path = example_with(tmp_path, "    government_invested: false\n",
                        "    government_invested: false\n    project_total: 1000000\n")
    assert_refused(invoke(runner, path), path, line_of(path, "project_total"),
                   "project_total 1000000 is less than this spend's amount 12000000")


def test_a_refused_profile_writes_no_report(runner, tmp_path):
    path = example_with(tmp_path, "    amount: 30000000\n", "    amount: 1e27\n")
    target = tmp_path / "estimate.txt"
    result = invoke(runner, path, "-o", str(target))
    assert result.exit_code == 1 and not target.exists()


# -------------------------------------------------------------------------- versions

def test_a_version_1_profile_is_still_read_with_an_info_note(runner):
    result = invoke(runner, V1)
    assert result.exit_code == 0, result.output
    assert (f"info: {V1}: this profile is in format aicomply-profile/v1; it was read as aicomply-profile/v2"
            in result.stderr)
    # v1's `recognised: unknown` and `registered_models: 2` (no dates): the city's 10M training coupon
    # (60% x 30M, capped) and 1.35M corpus coupon (30% x 4.5M) are eligible; the demonstration project
    # (2M) and the two models (500k each, once registered within Longgang's measures) need information.
    assert result.stdout.splitlines()[-1] == ("Summary: eligible 11,350,000.00; including those that need "
                                               "information 14,350,000.00")
    assert "registered_models: 2 became 2 models with unknown registration dates" in result.stdout
    report = json.loads(invoke(runner, V1, "--format", "json").stdout)
    assert report["notes"][0]["en"].startswith("this profile is in format aicomply-profile/v1")


def test_version_1_recognised_true_is_unknown_for_every_authority(runner, tmp_path):
    text = V1.read_text(encoding="utf-8").replace("    recognised: unknown\n", "    recognised: true\n")
    path = tmp_path / "v1.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke(runner, path, "--format", "json")
    assert result.exit_code == 0, result.output
    assert "recognised: true (factory-vision-demo) does not say which authority approved" in result.stderr
    report = json.loads(result.stdout)
    demos = [estimate for document in report["documents"] for clause in document["clauses"]
             for measure in clause["measures"] if measure["measure"] in ("SZ-DEMO", "LG-DEMO", "QH-DEMO")
             for estimate in measure["estimates"]]
    assert [d["status"] for d in demos] == ["needs_information", "needs_information", "not_eligible"]


def test_a_newer_profile_version_is_refused_naming_what_to_change(runner, tmp_path):
    path = example_with(tmp_path, "format: aicomply-profile/v2", "format: aicomply-profile/v3")
    assert_refused(invoke(runner, path), path, line_of(path, "format:"),
                   "format is 'aicomply-profile/v3', which this aicomply does not read; write format: "
                   "aicomply-profile/v2 (or aicomply-profile/v1), or update aicomply")


def test_version_2_fields_in_a_version_1_profile_are_named(runner, tmp_path):
    path = example_with(tmp_path, "format: aicomply-profile/v2", "format: aicomply-profile/v1")
    result = invoke(runner, path)
    assert result.exit_code == 1
    assert re.search(rf"{re.escape(str(path))}:\d+:\d+: unknown field 'enterprise.large_models'", result.stderr)


# ---------------------------------------------------------------------------- scaffold

PLACEHOLDERS = {
    "<Legal name>": "Test AI Co.",
    "<unified-social-credit-code>": "91440300MA5FUTUREJ",
    "<entity type>": "enterprise",
    "<district>": "longgang",
    "<size>": "small",
    "<year>": "2025",
    "<total income>": "10000000",
    "<main business>": "ai_software",
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_init_writes_a_scaffold_that_validates_once_filled(runner, tmp_path, lang):
    path = tmp_path / "profile.yaml"
    result = runner.invoke(main, ["incentives", "init", str(path), "--lang", lang])
    assert result.exit_code == 0 and result.stdout.startswith(f"wrote {path}")
    text = path.read_text(encoding="utf-8")
    values = [line.split(" #")[0] for line in text.splitlines() if not line.lstrip().startswith("#")]
    assert set(re.findall(r"<[^<>]*>", "\n".join(values))) == set(PLACEHOLDERS)
    unfilled = invoke(runner, path)
    assert unfilled.exit_code == 1
    problems = [entry for entry in unfilled.stderr.splitlines() if not entry.startswith("aicomply: error")]
    assert len(problems) == len(PLACEHOLDERS)  # one per placeholder, each with its line
    assert all(re.match(rf"{re.escape(str(path))}:\d+:\d+: ", entry) for entry in problems)
    for placeholder, value in PLACEHOLDERS.items():
        text = text.replace(placeholder, value)
    path.write_text(text, encoding="utf-8")
    filled = invoke(runner, path)
    assert filled.exit_code == 0, filled.output
    assert "Incentive estimate: Test AI Co. (91440300MA5FUTUREJ, an enterprise)" in filled.stdout


def test_init_never_overwrites(runner, tmp_path):
    path = tmp_path / "profile.yaml"
    shutil.copy(EXAMPLE, path)
    before = path.read_bytes()
    result = runner.invoke(main, ["incentives", "init", str(path)])
    assert result.exit_code == 1
    assert "already exists; choose another path or move it away (init never overwrites)" in result.stderr
    assert path.read_bytes() == before


def test_init_defaults_to_profile_yaml_in_the_working_folder(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(main, ["incentives", "init"]).exit_code == 0
    assert (tmp_path / "profile.yaml").read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")


def test_estimate_is_the_default_and_can_be_named(runner):
    default = invoke(runner, EXAMPLE)
    named = runner.invoke(main, ["incentives", "estimate", str(EXAMPLE), "--date", "2026-11-24"])
    assert default.exit_code == named.exit_code == 0 and default.stdout == named.stdout
    options_first = runner.invoke(main, ["incentives", "--date", "2026-11-24", str(EXAMPLE)])
    assert options_first.stdout == default.stdout
    listed = runner.invoke(main, ["incentives", "--help"]).stdout
    assert "estimate" in listed and "init" in listed
