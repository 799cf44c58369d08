"""The rule-pack cache saves time and never changes a result (issue 9, item 9)."""

from __future__ import annotations

import json
import stat

import pytest

from compliance.cli import main
from conftest import EXAMPLES

RIDE = str(EXAMPLES / "ride-hailing-dynamic-pricing.yaml")


@pytest.fixture()
def own_cache(tmp_path, monkeypatch):
    from compliance.evaluate import checklists

    folder = tmp_path / "cache"
    monkeypatch.setenv("AICOMPLY_CACHE_DIR", str(folder))
    checklists.load_pack.cache_clear()
    checklists.load_rules.cache_clear()
    yield folder
    checklists.load_pack.cache_clear()
    checklists.load_rules.cache_clear()


def _fresh_run(runner, *args):
    from compliance.evaluate import checklists

    checklists.load_pack.cache_clear()  # as a new process would
    checklists.load_rules.cache_clear()
    return runner.invoke(main, list(args))


def _without_art72_5(entry) -> str:
    """The cache entry with every Art. 72(5) rule deleted, as an attacker would edit it."""
    seal, _, body = entry.read_text(encoding="utf-8").partition("\n")
    checked = json.loads(body)
    for rule_file in checked["rule_files"]:
        kept = [(rule, origin) for rule, origin in zip(rule_file["data"]["rules"], rule_file["origins"])
                if rule.get("art72_item") != 5]
        rule_file["data"]["rules"] = [rule for rule, _ in kept]
        rule_file["origins"] = [origin for _, origin in kept]
    return seal, json.dumps(checked, ensure_ascii=False)


def test_an_edited_cache_is_checked_again_never_trusted(runner, own_cache, monkeypatch):
    first = _fresh_run(runner, "check", RIDE, "--format", "json")
    assert first.exit_code == 1
    assert "A72-5-PRICE-BY-USER-TRAITS" in first.stdout
    entries = list((own_cache / "packs").glob("*.json"))
    assert len(entries) == 1
    seal, edited = _without_art72_5(entries[0])
    assert "A72-5-PRICE-BY-USER-TRAITS" not in edited
    for forged in (seal + "\n" + edited,  # the old seal over new content
                   edited):  # no seal at all (the format before seals)
        entries[0].write_text(forged, encoding="utf-8")
        result = _fresh_run(runner, "check", RIDE, "--format", "json")
        assert result.exit_code == 1, result.output
        assert "A72-5-PRICE-BY-USER-TRAITS" in result.stdout
        assert "A72-5-PRICE-BY-USER-TRAITS" in entries[0].read_text(encoding="utf-8")  # rewritten from the pack


def test_a_sealed_cache_is_used_and_its_secret_is_private(runner, own_cache, monkeypatch):
    from compliance.evaluate import checklists

    assert _fresh_run(runner, "check", RIDE).exit_code == 1
    secret = own_cache / "key"
    assert len(secret.read_bytes()) == 32
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    calls = []
    real = checklists._check_files
    monkeypatch.setattr(checklists, "_check_files", lambda directory: calls.append(directory) or real(directory))
    assert _fresh_run(runner, "check", RIDE).exit_code == 1
    assert calls == []  # served from the cache
    secret.write_bytes(b"\0" * 32)  # another secret: every entry fails its seal
    assert _fresh_run(runner, "check", RIDE).exit_code == 1
    assert len(calls) == 1
