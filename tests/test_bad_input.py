"""Bad input: one clear line with file, line and what is wrong; exit 1; no traceback; the other
files of the run still reported."""

from __future__ import annotations

import re

import pytest

from compliance.cli import main
from conftest import EXAMPLES

GOOD = (EXAMPLES / "internal-code-assistant.yaml").read_text(encoding="utf-8")


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the n-th occurrence of `needle`: where the message must point, found in the
    input, not in the output."""
    position = -1
    for _ in range(occurrence):
        position = text.index(needle, position + 1)
    return text.count("\n", 0, position) + 1


DUPLICATE = GOOD.replace("scenario:\n", "scenario:\n  purpose: first\n", 1)

BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{n}: &{n} [" + ",".join([f"*{p}"] * 9) + "]" for p, n in zip("abcdefgh", "bcdefghi")]
) + "\n"

CASES = {
    # name: (file name, content, expected line, text the message must contain)
    "empty file": ("empty.yaml", b"", 1, "file is empty"),
    "only comments": ("comments.yaml", b"# nothing here\n", 1, "no YAML document"),
    "binary file": ("binary.yaml", b"format: aicomply/v1\n\x00\x01\x02", 2, "binary file"),
    "not utf-8": ("latin1.yaml", "format: aicomply/v1\nproduct: {name: Caf\u00e9}\n".encode("latin-1"), 2, "not UTF-8"),
    "top-level list": ("list.yaml", b"- format: aicomply/v1\n- product: {}\n", 1, "a declaration is a mapping"),
    "10 MB file": ("big.yaml", b"# " + b"x" * (10 * 1024 * 1024) + b"\n", 1, "larger than the 1024 KiB limit"),
    "10,000-deep flow nesting": ("deep.yaml", b"a: " + b"[" * 10_000 + b"]" * 10_000 + b"\n", 1, "nesting deeper than 64"),
    "10,000-deep block nesting": ("deep-block.yaml", b"".join(b"  " * i + b"k:\n" for i in range(300)) + b"- " * 10_000 + b"x\n", 65, "nesting deeper than 64"),
    "10,000-deep JSON": ("deep.json", b"{\"a\": " + b"[" * 10_000 + b"]" * 10_000 + b"}", 1, "nesting deeper than 64"),
    "billion laughs": ("laughs.yaml", BILLION_LAUGHS.encode(), 1, "more than 100000 values"),  # the whole document, at its start
    "duplicate key": ("dup.yaml", DUPLICATE.encode(), line_of(DUPLICATE, "  purpose:", 2), "duplicate key 'purpose'"),
    "duplicate JSON key": ("dup.json", b'{"format": "aicomply/v1",\n "format": "aicomply/v1"}', 2, "duplicate key 'format' at line 2 (first at line 1)"),
    "misspelt field": ("typo.yaml", GOOD.replace("scenario:", "scenaro:", 1).encode(), line_of(GOOD, "scenario:"), "unknown field 'scenaro'; did you mean 'scenario'?"),
    "wrong enum value": ("enum.yaml", GOOD.replace("district: nanshan", "district: shekou", 1).encode(), line_of(GOOD, "district: nanshan"), "provider.district: 'shekou' is not allowed"),
    "wrong type": ("type.yaml", GOOD.replace("reach: 850", "reach: many", 1).encode(), line_of(GOOD, "reach: 850"), "scope.reach: expected a whole number or unknown, got 'many'"),
    "two documents": ("two.yaml", GOOD.encode() + b"---\n" + GOOD.encode(), GOOD.count("\n") + 1, "more than one YAML document"),
    "python tag": ("tag.yaml", b"format: !!python/object/apply:os.system [echo]\n", 1, "not allowed"),
    "merge key": ("merge.yaml", b"base: &b {x: 1}\nproduct:\n  <<: *b\n", 3, "merge keys (<<) are not supported"),
    "tab indentation": ("tab.yaml", b"format: aicomply/v1\nproduct:\n\tid: x\n", 3, "tabs cannot indent YAML"),
    "bad JSON": ("bad.json", b'{"format": "aicomply/v1",}', 1, "JSON syntax error"),
    "wrong check digit": ("uscc.yaml", GOOD.replace("91440300MA5JJC1711", "91440300MA5JJC1712", 1).encode(), line_of(GOOD, "91440300MA5JJC1711"), "check digit of unified social credit code"),
    "impossible date": ("date.yaml", GOOD.replace("date: 2026-05-07", "date: 2026-02-30", 1).encode(), line_of(GOOD, "date: 2026-05-07"), "is not a real date"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_one_clear_line(name, tmp_path, runner):
    file_name, content, line, expected = CASES[name]
    path = tmp_path / file_name
    path.write_bytes(content)
    result = runner.invoke(main, ["check", str(path)])
    assert result.exit_code == 1, result.output
    assert result.stderr == ""
    assert "Traceback" not in result.stdout
    problem_lines = [text for text in result.stdout.splitlines() if expected in text]
    assert problem_lines, result.stdout
    first = problem_lines[0].strip()
    located = re.match(rf"{re.escape(str(path))}:(\d+)(:\d+)?: error DECL-(LOAD|SCHEMA) ", first)
    assert located, first
    assert int(located.group(1)) == line, first


def test_duplicate_key_names_both_lines(tmp_path, runner):
    path = tmp_path / "dup.yaml"
    path.write_text("format: aicomply/v1\nproduct: {}\nformat: aicomply/v1\n", encoding="utf-8")
    result = runner.invoke(main, ["check", str(path)])
    assert f"{path}:3:1: error DECL-LOAD duplicate key 'format' at line 3 (first at line 1)" in result.stdout


def test_one_bad_file_does_not_hide_the_others(tmp_path, runner):
    (tmp_path / "a-broken.yaml").write_bytes(b"\x00")
    (tmp_path / "b-good.yaml").write_text(GOOD, encoding="utf-8")
    result = runner.invoke(main, ["check", str(tmp_path), "--format", "json"])
    import json

    report = json.loads(result.stdout)
    assert result.exit_code == 1
    assert [r["risk_level"] for r in report["results"]] == [None, "low"]
    assert report["results"][0]["findings"][0]["rule_id"] == "DECL-LOAD"


def test_all_schema_problems_of_a_file_at_once(tmp_path, runner):
    text = GOOD.replace("district: nanshan", "district: shekou").replace("reach: 850", "reach: many").replace("scenario:", "scenaro:")
    path = tmp_path / "many.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["check", str(path), "--format", "json"])
    import json

    messages = [f["message"] for f in json.loads(result.stdout)["results"][0]["findings"]]
    assert len(messages) == 4, messages  # three changes; the misspelt key also leaves scenario missing
    assert any("missing required field 'scenario'" in m for m in messages)


def test_bad_input_messages_in_chinese(tmp_path, runner):
    path = tmp_path / "typo.yaml"
    path.write_text(GOOD.replace("scenario:", "scenaro:", 1), encoding="utf-8")
    result = runner.invoke(main, ["check", str(path), "--lang", "zh"])
    assert "未知字段“scenaro”；是否应为“scenario”？" in result.stdout
    assert "无效" in result.stdout


def test_nan_in_json_is_located(tmp_path, runner):
    path = tmp_path / "nan.json"
    path.write_text('{"format": "aicomply/v1",\n "scope": {"users": NaN}}', encoding="utf-8")
    result = runner.invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    assert f"{path}:2:21: error DECL-LOAD JSON error: NaN is not valid JSON; write a number or null" in result.stdout


def test_a_damaged_pack_cache_is_checked_again(tmp_path, monkeypatch, runner):
    monkeypatch.setenv("AICOMPLY_CACHE_DIR", str(tmp_path))
    from compliance.evaluate import checklists

    checklists.load_pack.cache_clear()
    try:
        checklists.load_pack()
        entries = list((tmp_path / "packs").glob("*.json"))
        assert len(entries) == 1
        entries[0].write_text('{"manifest": {}}', encoding="utf-8")
        checklists.load_pack.cache_clear()
        assert len(checklists.load_pack().rules) > 80
        assert '"rule_files"' in entries[0].read_text(encoding="utf-8")  # rewritten after the re-check
    finally:
        checklists.load_pack.cache_clear()
