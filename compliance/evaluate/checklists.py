"""Rule packs from checklists/: read, validated against the checklist schema, compiled.

A pack is a folder with a manifest (pack.yaml) and rule files. Everything a pack says is
checked at load: the files against schemas/checklist-v1.schema.json, every fact and value a
condition names against the declaration schema, every citation against the pack's sources,
rule ids for duplicates. A broken pack is a ChecklistError (exit code 2), never a quiet skip.

Parsing and schema-checking a pack costs more than checking a declaration, so a pack that passed
is remembered in the user's cache (pack_cache.py), keyed by the bytes of its files, of both
schemas and by the tool version: change any of them and the pack is checked again.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from compliance import resources
from compliance.declaration.facts import MISSING, Fact, declaration_catalog
from compliance.declaration.facts import schema_path as facts_schema_path
from compliance.declaration.load import Document, read_document
from compliance.errors import ChecklistError, SourceError
from compliance.evaluate.conditions import ConditionCompiler, ConditionError
from compliance.models.rules import (
    LEVELS,
    Citation,
    Principle,
    RemovedRule,
    Rule,
    RulePack,
    Source,
    Text,
)

CHECKLIST_SCHEMA = "checklist-v1.schema.json"
DEFAULT_PACK = "shenzhen-2022"
MANIFEST = "pack.yaml"

# Facts the evaluator computes; only obligations may read them (grading cannot read its own result).
GRADE_FACT = "$grade"
_DERIVED = {GRADE_FACT: Fact(path=(GRADE_FACT,), kinds=frozenset({"string"}), values=LEVELS, item_values=None, default=MISSING)}


def pack_directory(name_or_path: str | None = None) -> Path:
    """A bundled pack by name, or a folder given by path."""
    if name_or_path is None:
        name_or_path = DEFAULT_PACK
    candidate = Path(name_or_path)
    if candidate.is_dir():
        return candidate
    bundled = resources.checklists_dir() / name_or_path
    if bundled.is_dir():
        return bundled
    raise ChecklistError(f"unknown rule pack {name_or_path!r}: not a bundled pack or a folder")


@cache
def load_rules(main: str | None = None, extras: tuple[str, ...] = ()) -> RulePack:
    """The main pack with an organisation's extra packs added: their rules keep their own ids,
    sources and citations; an id used twice across packs is an error."""
    pack = load_pack(main)
    if not extras:
        return pack
    added = [load_pack(extra) for extra in extras]
    rules = list(pack.rules)
    seen = {rule.id: pack.id for rule in rules}
    seen.update({gone.id: f"{pack.id} (removed in {gone.removed_in})" for gone in pack.removed})
    for extra in added:
        for rule in extra.rules:
            if rule.id in seen:
                raise ChecklistError(f"{rule.origin}: rule id {rule.id} of pack {extra.id} is already used by pack {seen[rule.id]}")
            seen[rule.id] = extra.id
            rules.append(rule)
    components = pack.packs + tuple(p for extra in added for p in extra.packs)
    removed = pack.removed + tuple(r for extra in added for r in extra.removed)
    return replace(pack, rules=tuple(rules), components=components, removed=removed)


@cache
def load_pack(name_or_path: str | None = None) -> RulePack:
    from compliance.evaluate import pack_cache

    directory = pack_directory(name_or_path)
    key = pack_cache.key(directory, (resources.schema_path(CHECKLIST_SCHEMA), facts_schema_path()))
    cached = pack_cache.get(key)
    if cached is not None:
        try:
            return _build(cached)
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # a damaged cache entry: check the pack again
    checked = _check_files(directory)
    pack_cache.put(key, checked)
    return _build(checked)


def _check_files(directory: Path) -> dict:
    """Every file of the pack, parsed and schema-checked: the part worth caching."""
    manifest_doc = _read(directory / MANIFEST)
    manifest = manifest_doc.data
    if manifest.get("checklist") != "aicomply/pack-v1":
        raise ChecklistError(f"{manifest_doc.path}: not a pack manifest (checklist: aicomply/pack-v1)")
    rule_files = []
    for file_name in manifest["files"]:
        document = _read(directory / file_name)
        if document.data.get("checklist") != "aicomply/rules-v1":
            raise ChecklistError(f"{document.path}: not a rule file (checklist: aicomply/rules-v1)")
        origins = [_origin(document, ("rules", index)) for index in range(len(document.data["rules"]))]
        rule_files.append({"data": document.data, "origins": origins})
    baseline = _read_baseline(directory / manifest["baseline"]) if "baseline" in manifest else None
    if manifest.get("declaration_format") == "aicomply/v1":
        _read_as_v2(manifest, rule_files, manifest_doc.path)
    return {"manifest": manifest, "rule_files": rule_files, "baseline": baseline}


def _read_as_v2(manifest: dict, rule_files: list[dict], where: str) -> None:
    """A pack written for declaration format v1: its facts renamed to their v2 paths, in place."""
    from compliance.declaration.migrate import (
        V1PathError,
        translate_condition,
        translate_fragment,
    )

    try:
        manifest["definitions"] = translate_condition(manifest.get("definitions", {}))
        for rule_file in rule_files:
            for rule in rule_file["data"]["rules"]:
                for key in ("when", "applies_when", "met_when"):
                    if key in rule:
                        rule[key] = translate_condition(rule[key])
                examples = rule.get("examples", {})
                for side in ("fail", "pass"):
                    examples[side] = [translate_fragment(item) for item in examples.get(side, [])]
    except V1PathError as exc:
        raise ChecklistError(f"{where}: {exc} (the pack declares declaration_format aicomply/v1)") from None


def _build(checked: dict) -> RulePack:
    """Compile checked pack data into rules; also fails on facts, sources or ids that do not exist."""
    manifest = checked["manifest"]
    sources = {
        key: Source(key, Text.of(value["title"]), Text.of(value["short"]), value.get("in_force"),
                    value.get("checked"), value.get("status", "in_force"), value.get("note"))
        for key, value in manifest["sources"].items()
    }
    principles = tuple(Principle(p["id"], p["level"], Text.of(p["title"]), Text.of(p["text"]))
                       for p in manifest.get("principles", ()))
    removed = tuple(RemovedRule(r["id"], r["removed_in"], Text.of(r["reason"]), tuple(r.get("replaced_by", ())))
                    for r in manifest.get("removed", ()))
    _check_identity_facts(manifest.get("identity_facts", ()))
    compiler = ConditionCompiler(declaration_catalog(), manifest.get("definitions", {}), derived=_DERIVED)
    grading_compiler = ConditionCompiler(declaration_catalog(), manifest.get("definitions", {}))
    rules: list[Rule] = []
    seen: dict[str, str] = {r.id: f"removed in {r.removed_in}" for r in removed}
    for rule_file in checked["rule_files"]:
        family = rule_file["data"]["family"]
        for raw, origin in zip(rule_file["data"]["rules"], rule_file["origins"]):
            if raw["id"] in seen:
                raise ChecklistError(f"{origin}: rule id {raw['id']} is already used at {seen[raw['id']]}")
            seen[raw["id"]] = origin
            chosen = grading_compiler if raw["kind"] == "grade" else compiler
            rule = _rule(raw, family, origin, chosen, sources, manifest["regulation"]["source"])
            if rule.principle is not None and not any(p.id == rule.principle for p in principles):
                raise ChecklistError(f"{origin}: {rule.id} names principle {rule.principle!r}, which pack.yaml does not define")
            rules.append(rule)
    for gone in removed:
        for successor in gone.replaced_by:
            if successor not in {rule.id for rule in rules}:
                raise ChecklistError(f"removed rule {gone.id} is replaced by {successor}, which the pack does not have")
    try:
        definitions = {name: grading_compiler.compile({"ref": name}, f"definitions.{name}")
                       for name in manifest.get("definitions", {})}
    except ConditionError as exc:
        raise ChecklistError(f"rule pack {manifest['id']}: {exc}") from None
    return RulePack(
        id=manifest["id"],
        version=manifest["version"],
        title=Text.of(manifest["title"]),
        effective=manifest["effective"],
        regulation=manifest["regulation"],
        sources=sources,
        rules=tuple(rules),
        baseline=checked["baseline"],
        definitions=definitions,
        principles=principles,
        identity_facts=tuple(manifest.get("identity_facts", ())),
        removed=removed,
    )


def _check_identity_facts(paths) -> None:
    """Every identity fact names a fact or a section the declaration schema has."""
    known = {fact.path for fact in declaration_catalog()}
    for dotted in paths:
        path = tuple(dotted.split("."))
        if not any(candidate[:len(path)] == path for candidate in known):
            raise ChecklistError(f"pack.yaml identity_facts: the declaration schema has no fact or section {dotted!r}")


def _read(path: Path) -> Document:
    """A pack file, parsed and checked against the checklist schema."""
    try:
        document = read_document(path, str(path))
    except SourceError as exc:
        raise ChecklistError(f"rule pack file {exc}") from None
    from compliance.declaration.validate import describe_issue, schema_issues_for

    issues = schema_issues_for(CHECKLIST_SCHEMA, document.data)
    if issues:
        first = issues[0]
        where = document.locate(first.path)
        line = f":{where[0]}" if where else ""
        more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
        raise ChecklistError(f"{path}{line}: {describe_issue(first, 'en')}{more}")
    return document


def _read_baseline(path: Path) -> dict:
    from compliance.declaration.migrate import is_v1, upgrade
    from compliance.declaration.validate import schema_issues

    try:
        document = read_document(path, str(path))
    except SourceError as exc:
        raise ChecklistError(f"pack baseline {exc}") from None
    if schema_issues(document.data):
        raise ChecklistError(f"{path}: the pack's baseline declaration is not a valid declaration")
    return upgrade(document.data).data if is_v1(document.data) else document.data


def _origin(document: Document, path: tuple) -> str:
    where = document.locate(path)
    return f"{document.path}:{where[0]}" if where else document.path


def _rule(raw: dict, family: str, origin: str, compiler: ConditionCompiler,
          sources: dict[str, Source], regulation: str) -> Rule:
    for citation in raw["cites"]:
        if citation["source"] not in sources:
            raise ChecklistError(f"{origin}: {raw['id']} cites unknown source {citation['source']!r}")
    # A citation was checked against its own text if it names one, else against its source's.
    cites = tuple(Citation(**{"checked": sources[c["source"]].checked, **c}) for c in raw["cites"])
    if cites[0].source != regulation or cites[0].see_also or cites[0].article is None:
        raise ChecklistError(f"{origin}: {raw['id']} must cite an article of {regulation} first")
    if raw.get("raisable") is False and raw.get("level") == "raise":
        raise ChecklistError(f"{origin}: {raw['id']} is a raise rule; only a level can be a floor (raisable: false)")

    def condition(key: str):
        if key not in raw:
            return None
        try:
            return compiler.compile(raw[key], f"{raw['id']}.{key}")
        except ConditionError as exc:
            raise ChecklistError(f"{origin}: {exc}") from None

    return Rule(
        id=raw["id"],
        kind=raw["kind"],
        family=family,
        severity=raw["severity"],
        title=Text.of(raw["title"]),
        message=Text.of(raw["message"]),
        rationale=Text.of(raw["rationale"]),
        remedy=Text.of(raw.get("remedy")),
        cites=cites,
        examples=raw["examples"],
        origin=origin,
        level=raw.get("level"),
        art72_item=raw.get("art72_item"),
        mandatory=raw.get("mandatory", False),
        document=raw.get("document"),
        when=condition("when"),
        applies_when=condition("applies_when"),
        met_when=condition("met_when"),
        interests=tuple(raw.get("interests", ())),
        reading=Text.of(raw.get("reading")),
        principle=raw.get("principle"),
        raisable=raw.get("raisable", True),
        article=Text(cites[0].locator("en"), cites[0].locator("zh")),
        citations=tuple(Text(c.render("en", sources), c.render("zh", sources)) for c in cites),
    )


def merge_example(baseline: dict, fragment: dict) -> dict:
    """A rule example over the baseline: mappings merge, null leaves the fact out (unstated),
    anything else replaces."""
    merged: dict[str, Any] = dict(baseline)
    for key, value in fragment.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge_example(merged[key], value)
        else:
            merged[key] = value
    return merged


def facts_read(pack: RulePack) -> dict[str, Text]:
    """Every declaration fact the pack's conditions read (list items' fields without "[]"), with the
    article of the first rule that reads it: what a guided interview needs to ask, and why."""
    read: dict[str, Text] = {}
    for rule in pack.rules:
        for condition in (rule.when, rule.applies_when, rule.met_when):
            for path in _condition_facts(condition):
                read.setdefault(".".join(part for part in path if part != "[]"), rule.article)
    return read


def _condition_facts(condition, seen: set | None = None):
    """The fact paths of a compiled condition, whatever its connectives (walked by their parts)."""
    seen = set() if seen is None else seen
    if condition is None or id(condition) in seen:
        return
    seen.add(id(condition))
    fact = getattr(condition, "fact", None)
    if fact is not None and hasattr(fact, "path"):
        yield fact.path
    for name in ("children", "child", "inner", "body"):
        part = getattr(condition, name, None)
        for item in part if isinstance(part, (list, tuple)) else (part,):
            if item is not None and not isinstance(item, (str, int)):
                yield from _condition_facts(item, seen)
