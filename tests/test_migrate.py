"""Declaration format v2: v1 still read, `aicomply migrate` rewrites v1 as v2 losing nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from compliance.cli import main
from compliance.declaration.load import read_document
from compliance.declaration.migrate import V1_RENAMED, migrate_text, upgrade
from compliance.declaration.validate import schema_issues
from conftest import EXAMPLES, ROOT

V1_EXAMPLES = sorted((ROOT / "tests" / "data" / "examples-v1").glob("*.yaml"))
V1_FIXTURES = V1_EXAMPLES + sorted((ROOT / "tests" / "data" / "v1-fixtures").glob("*.yaml"))


def test_there_is_a_v1_copy_of_every_example():
    assert [path.name for path in V1_EXAMPLES] == sorted(path.name for path in EXAMPLES.glob("*.yaml"))
    assert all(read_document(path, path.name).data["format"] == "aicomply/v1" for path in V1_EXAMPLES)


def _v2_only_facts() -> set[str]:
    """The v2 facts no v1 declaration can state (neither at their place nor under a v1 name)."""
    from compliance.declaration.facts import DECLARATION_V1_SCHEMA, FactCatalog, declaration_catalog
    from compliance.declaration.migrate import V1PathError, v2_fact
    from compliance.resources import schema_path

    v1 = FactCatalog.from_schema(json.loads(schema_path(DECLARATION_V1_SCHEMA).read_text(encoding="utf-8")))
    known = set()
    for fact in v1:
        try:
            known.add(v2_fact(fact.dotted))
        except V1PathError:
            pass
    return {fact.dotted for fact in declaration_catalog()} - known


V2_ONLY = _v2_only_facts()


def _results(runner, folder: Path) -> dict:
    report = json.loads(runner.invoke(main, ["check", str(folder), "--format", "json"]).stdout)
    return {Path(r["path"]).name: r for r in report["results"]}


def test_v1_copies_check_with_the_grades_of_their_v2_examples_plus_a_v1_notice(runner):
    old, new = _results(runner, V1_EXAMPLES[0].parent), _results(runner, EXAMPLES)
    assert len(old) == len(new) == len(V1_EXAMPLES)
    rank = {"low": 0, "medium": 1, "high": 2}
    for name, result in old.items():
        # Same grade, unless the rules read a fact v1 cannot state (a biometric check being covert,
        # say): in the v1 copy it is unknown, which may raise the grade (fail closed), never lower it,
        # and every reason above the v2 grade is then assumed on exactly such a fact.
        if result["risk_level"] != new[name]["risk_level"]:
            assert rank[result["risk_level"]] > rank[new[name]["risk_level"]], name
            above = [r for r in result["reasons"] if r["level"] == result["risk_level"]]
            assert above and all(r["assumed"] for r in above), name
            for reason in above:
                unknown = [f["path"] for f in reason["facts"] if f["value"] in ("unknown", None)]
                assert unknown and all(path in V2_ONLY for path in unknown), (name, unknown)
        rules = [f["rule_id"] for f in result["findings"]]
        assert rules.count("DECL-V1") == 1 and "DECL-V1" not in [f["rule_id"] for f in new[name]["findings"]], name
        v1_notice = next(f for f in result["findings"] if f["rule_id"] == "DECL-V1")
        assert v1_notice["severity"] == "info" and "aicomply migrate" in v1_notice["message"]
    assert {name: old[name]["risk_level"] for name in old} == {name: new[name]["risk_level"] for name in old}


def test_findings_on_a_v1_file_point_at_its_own_lines(runner):
    v1 = ROOT / "tests" / "data" / "examples-v1" / "ride-hailing-dynamic-pricing.yaml"
    lines = v1.read_text(encoding="utf-8").splitlines()
    report = json.loads(runner.invoke(main, ["check", str(v1), "--format", "json"]).stdout)
    price = next(f for f in report["results"][0]["findings"] if f["rule_id"] == "A72-5-PRICE-BY-USER-TRAITS")
    assert "personalised: true" in lines[price["line"] - 1]
    users = next(f for r in report["results"][0]["reasons"] for f in r["facts"] if f["path"] == "scope.reach")
    assert lines[users["line"] - 1].strip().startswith("users:")  # the v1 name, on the v1 line


def _leaves(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, path + (key,))
    elif isinstance(node, list) and node and all(isinstance(item, dict) for item in node):
        for index, item in enumerate(node):
            yield from _leaves(item, path + (index,))
    else:
        yield path, node


def _at(data, path):
    for key in path:
        data = data[key]
    return data


# Values the upgrade rewrites on purpose, with what they become.
_REWRITTEN = {"filings": {"filed": "done", "none": "not_done", True: "done", False: "not_done"}}


@pytest.mark.parametrize("path", V1_FIXTURES, ids=lambda p: p.name)
def test_migration_never_loses_a_value(path):
    v1 = read_document(path, path.name).data
    result = upgrade(read_document(path, path.name).data)
    v2 = result.data
    assert schema_issues(v2) == []
    for old, value in _leaves(v1):
        if old in (("format",), ("$schema",)):
            continue
        if old[:2] == ("practices", "generative_service") and old[-1] == "filing_number":
            numbers = [entry.get("number") for entry in v2["filings"] if entry["type"] == "generative_ai"]
            assert numbers == [value]
            continue
        if old[:2] == ("data", "lawful_basis"):
            assert [b for b in value if b != "none"] == v2["data"]["lawful_basis"]
            assert v2["data"]["processing_without_basis"] is ("none" in value)
            continue
        new = result.v2_path(old)
        if old[0] == "filings":
            entry = v2["filings"][new[1]]
            key = {"done": "status"}.get(old[-1], old[-1])
            assert entry[key] == _REWRITTEN["filings"].get(value, value), (old, new)
            continue
        moved = _at(v2, new)
        if old[:3] == ("practices", "pricing", "basis"):
            value = ["user_location" if item == "location" else item for item in value]
        assert moved == value, (old, new)


@pytest.mark.parametrize("path", V1_FIXTURES, ids=lambda p: p.name)
def test_migrated_text_keeps_every_comment_and_reads_as_the_upgrade(path):
    text = path.read_text(encoding="utf-8")
    migrated, result = migrate_text(text, "yaml")

    def comments(source: str) -> list[str]:
        return [line.split(" #", 1)[1].strip() if not line.lstrip().startswith("#") else line.strip()
                for line in source.splitlines() if line.lstrip().startswith("#") or " #" in line]

    before, after = comments(text.replace("declaration-v1.schema.json", "declaration-v2.schema.json")), comments(migrated)
    assert len(before) > 0
    for comment in before:
        assert any(comment.lstrip("#").strip() in line for line in after), comment
    reread = read_document_text(migrated)
    assert reread == upgrade(read_document(path, path.name).data).data
    again, second = migrate_text(migrated, "yaml")
    assert second is None and again == migrated  # idempotent: a v2 file is left as it is


def read_document_text(text: str):
    from compliance.declaration.load import parse_document

    return parse_document(text.encode("utf-8"), "migrated.yaml", "yaml").data


def test_migrate_check_then_migrate_in_place_then_nothing_to_do(runner, tmp_path):
    folder = tmp_path / "examples-v1"
    shutil.copytree(V1_EXAMPLES[0].parent, folder)
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    assert len(before) == len(V1_EXAMPLES) == 11
    checked = runner.invoke(main, ["migrate", "--check", str(folder)])
    assert checked.exit_code == 1
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before  # --check writes nothing
    assert checked.stdout.count("would be migrated to aicomply/v2") == len(V1_EXAMPLES)
    assert "unknown until stated: " in checked.stdout and "consumer.*" in checked.stdout
    done = runner.invoke(main, ["migrate", str(folder)])
    assert done.exit_code == 0 and f"migrated {len(V1_EXAMPLES)} of {len(V1_EXAMPLES)} file(s)" in done.stderr
    assert all(read_document(path, path.name).data["format"] == "aicomply/v2" for path in folder.iterdir())
    again = runner.invoke(main, ["migrate", "--check", str(folder)])
    assert again.exit_code == 0 and "would migrate 0 of" in again.stderr


def test_migrate_to_another_folder_leaves_the_originals(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(V1_EXAMPLES[0], tmp_path / "product.yaml")
    original = (tmp_path / "product.yaml").read_bytes()
    result = runner.invoke(main, ["migrate", "product.yaml", "--out", "v2"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "product.yaml").read_bytes() == original
    assert read_document(tmp_path / "v2" / "product.yaml", "x").data["format"] == "aicomply/v2"


def test_an_invalid_v1_file_is_not_migrated(runner, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(V1_EXAMPLES[0].read_text(encoding="utf-8").replace("district:", "distrikt:"), encoding="utf-8")
    original = path.read_bytes()
    result = runner.invoke(main, ["migrate", str(path)])
    assert result.exit_code == 1
    assert "unknown field 'provider.distrikt'" in result.stderr and "not migrated" in result.stderr
    assert path.read_bytes() == original


def test_json_declarations_migrate_too(runner, tmp_path):
    data = read_document(V1_EXAMPLES[0], "x").data
    path = tmp_path / "product.json"
    path.write_text(json.dumps(data, default=str), encoding="utf-8")
    assert runner.invoke(main, ["migrate", str(path)]).exit_code == 0
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == "aicomply/v2"
    assert runner.invoke(main, ["check", str(path)]).exit_code in (0, 1)
    assert "DECL-SCHEMA" not in runner.invoke(main, ["check", str(path)]).stdout


def test_a_v1_rule_pack_reads_renamed_facts_at_their_v2_place():
    from compliance.declaration.migrate import V1PathError, translate_condition, v2_fact

    assert v2_fact("scope.users") == "scope.reach"
    assert translate_condition({"all": [{"fact": "data.cross_border_transfer", "is": True},
                                        {"fact": "data.protected_attributes", "some": {"fact": "use", "is": "x"}}]}) \
        == {"all": [{"fact": "data.cross_border.transfer", "is": True},
                    {"fact": "data.protected_attributes", "some": {"fact": "use", "is": "x"}}]}
    with pytest.raises(V1PathError, match="typed list"):
        v2_fact("filings.algorithm_filing.status")
    assert all(not old.startswith(new + ".") for old, new in V1_RENAMED.items())


# ------------------------------------------------------------------------ who the provider is

def _with_provider(provider: dict) -> dict:
    data = read_document(EXAMPLES / "internal-code-assistant.yaml", "x").data
    data["provider"] = provider
    return data


@pytest.mark.parametrize("provider", [
    {"kind": "foreign_entity", "name": "OpenChat Inc.", "foreign_registration": {"country": "United States"}},
    {"kind": "government_body", "name": {"en": "Shenzhen Municipal Government Services Data Administration",
                                         "zh": "深圳市政务服务数据管理局"}, "uscc": "unknown", "size": "not_applicable"},
    {"kind": "unknown_operator"},
    {"kind": "individual", "name": "Zhang San"},
], ids=["foreign", "government", "unknown operator", "individual"])
def test_providers_without_invented_identifiers_validate(provider):
    assert schema_issues(_with_provider(provider)) == []


@pytest.mark.parametrize("provider, missing", [
    ({"kind": "enterprise", "name": "Acme Co., Ltd."}, "uscc"),
    ({"kind": "foreign_entity", "name": "OpenChat Inc."}, "foreign_registration"),
    ({"kind": "public_institution", "uscc": "unknown"}, "name"),
])
def test_each_kind_of_provider_states_the_identifier_it_has(provider, missing):
    issues = schema_issues(_with_provider(provider))
    assert [(issue.code, issue.path) for issue in issues] == [("required", ("provider", missing))]


def test_free_text_in_both_languages_and_never_empty():
    data = read_document(EXAMPLES / "internal-code-assistant.yaml", "x").data
    data["scenario"]["purpose"] = {"en": "Code completion for staff.", "zh": "为员工补全代码。"}
    data["transparency"]["limitations"] = [{"zh": "仅限内部使用。"}, "Plain English is fine too."]
    assert schema_issues(data) == []
    data["scenario"]["purpose"] = {}
    assert [issue.code for issue in schema_issues(data)] == ["min_properties"]


def test_the_editor_schema_comment_points_at_v2():
    text = V1_EXAMPLES[0].read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/declaration-v1.schema.json")
    migrated, _ = migrate_text(text, "yaml")
    assert migrated.startswith("# yaml-language-server: $schema=../schemas/declaration-v2.schema.json")
