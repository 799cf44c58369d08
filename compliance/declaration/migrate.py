"""Declaration format v1 -> v2: one set of steps, for a check in memory and for `aicomply migrate`.

The steps work on any mapping: plain dicts (a check upgrades a v1 file in memory) and ruamel's
round-trip CommentedMap (`aicomply migrate` rewrites the file keeping comments, key order and
flow style). Renamed keys stay where they were; moved sections keep their comments.

Nothing is lost: every v1 value lands somewhere in v2, and each step records the move so that
findings on a v1 file still point at its own lines. Facts that v2 asks for and v1 could not say
are left unknown (the schema's default), and listed.
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any

from compliance.declaration.facts import V1, V2, is_v1  # noqa: F401  (is_v1 is imported from here by others)
from compliance.declaration.schema import resolve

SCHEMA_URL_V1 = "declaration-v1.schema.json"
SCHEMA_URL_V2 = "declaration-v2.schema.json"

Path_ = tuple


@dataclass
class Upgrade:
    """What upgrading one declaration did."""

    data: Any
    moves: list[tuple[Path_, Path_]] = field(default_factory=list)  # (v1 path, v2 path), most specific first
    notes: list[str] = field(default_factory=list)  # readings the upgrade had to choose, for people
    extra_filings: list[dict] = field(default_factory=list)  # filings v1 kept outside `filings:`

    def v2_path(self, old: Path_) -> Path_:
        """Where a v1 path's value sits after the upgrade."""
        for before, after in self.moves:
            if old[:len(before)] == before:
                return after + tuple(old[len(before):])
        return old


def upgrade(data: MutableMapping) -> Upgrade:
    """Upgrade a valid v1 declaration to v2, in place; returns the record of what moved."""
    result = Upgrade(data)
    data["format"] = V2
    if isinstance(data.get("$schema"), str):
        data["$schema"] = data["$schema"].replace(SCHEMA_URL_V1, SCHEMA_URL_V2)
    for step in (_product, _provider, _scope, _data, _practices, _ethics, _filings, _attestation):
        step(data, result)
    result.moves.sort(key=lambda move: -len(move[0]))
    return result


# ------------------------------------------------------------------------------ the steps

def _product(data, result: Upgrade) -> None:
    _bilingual(data["product"], "name", "name_zh", ("product",), result)


def _provider(data, result: Upgrade) -> None:
    provider = data["provider"]
    _bilingual(provider, "name", "name_zh", ("provider",), result)
    # v1 knew only enterprises: it required a USCC and an enterprise size.
    _insert_first(provider, "kind", "enterprise")


def _scope(data, result: Upgrade) -> None:
    _rename(data["scope"], "users", "reach", ("scope",), result)


def _data(data, result: Upgrade) -> None:
    section = data["data"]
    bases = section.get("lawful_basis")
    if isinstance(bases, list):
        without = "none" in bases
        if without:
            bases.remove("none")
            result.notes.append("data.lawful_basis listed `none`: now data.processing_without_basis: true")
        _insert_after(section, "lawful_basis", "processing_without_basis", without)
    consent = {}
    for old, new in (("sensitive_separate_consent", "separate_for_sensitive"),
                     ("guardian_consent", "guardian_for_under_14")):
        if old in section:
            consent[new] = section[old]
            result.moves.append((("data", old), ("data", "consent", new)))
    anchor = next((key for key in ("sensitive_separate_consent", "guardian_consent") if key in section), None)
    if anchor is not None:
        _replace_keys(section, ("sensitive_separate_consent", "guardian_consent"), "consent", _flow(data, consent))
    if "cross_border_transfer" in section:
        value = section["cross_border_transfer"]
        _replace_keys(section, ("cross_border_transfer",), "cross_border", _flow(data, {"transfer": value}))
        result.moves.append((("data", "cross_border_transfer"), ("data", "cross_border", "transfer")))


def _practices(data, result: Upgrade) -> None:
    practices = data.get("practices")
    if not isinstance(practices, MutableMapping):
        return
    basis = (practices.get("pricing") or {}).get("basis")
    if isinstance(basis, list) and "location" in basis:
        basis[basis.index("location")] = "user_location"
        result.notes.append("practices.pricing.basis `location` read as `user_location` (a trait of the user; "
                            "write route_or_area if prices follow the route or area)")
    opinion = practices.get("public_opinion")
    if isinstance(opinion, MutableMapping) and opinion.get("attributes") is False:
        # v1 asked one question: public-opinion attributes OR mobilisation capability. A "no" answers both.
        opinion["mobilisation"] = False
        opinion["consciousness_guidance"] = False
    biometric = practices.get("biometric_identification")
    if isinstance(biometric, MutableMapping) and biometric.get("remote") is False and "covert" not in biometric:
        # v1 defined `remote: false` as identification with the person's active participation: they know.
        biometric["covert"] = False
        result.notes.append("practices.biometric_identification.covert: false, since v1 `remote: false` means "
                            "identification with the person's active participation")
    generative = practices.get("generative_service")
    if isinstance(generative, MutableMapping) and generative.get("filing_number") is not None:
        number = generative.pop("filing_number")
        result.extra_filings.append({"type": "generative_ai", "status": "done", "number": number})
        result.notes.append("practices.generative_service.filing_number is now a filings entry of type generative_ai")


def _ethics(data, result: Upgrade) -> None:
    safeguards = data.get("safeguards")
    if not isinstance(safeguards, MutableMapping):
        return
    moved = {}
    for old, new in (("ethics_review", "review"), ("ethics_committee", "committee")):
        if old in safeguards:
            moved[new] = safeguards[old]
            result.moves.append((("safeguards", old), ("ethics", new)))
    if not moved:
        return
    comments = [_comment_of(safeguards, old) for old in ("ethics_review", "ethics_committee") if old in safeguards]
    for old in ("ethics_review", "ethics_committee"):
        if old in safeguards:
            del safeguards[old]
    section = _new_map(data, {})
    for (key, value), comment in zip(moved.items(), comments):
        section[key] = value
        _set_comment(section, key, comment)
    _insert_after(data, "safeguards", "ethics", section)


_FILING_STATUS = {"filed": "done", "pending": "pending", "none": "not_done", "unknown": "unknown"}


def _filings(data, result: Upgrade) -> None:
    old = data.get("filings")
    if not isinstance(old, MutableMapping):
        old = {}
    entries = []
    for key, kind in (("algorithm_filing", "algorithm_recommendation"), ("security_assessment", "security_assessment")):
        if key in old:
            item = old[key]
            entry = {"type": kind, "status": _FILING_STATUS[item.get("status", "unknown")]}
            if item.get("number") is not None:
                entry["number"] = item["number"]
            entries.append((key, entry))
    if "pi_impact_assessment" in old:
        item = old["pi_impact_assessment"]
        done = item.get("done", "unknown")
        entry = {"type": "pi_impact_assessment",
                 "status": {True: "done", False: "not_done"}.get(done, "unknown")}
        if item.get("date") is not None:
            entry["date"] = item["date"]
        entries.append(("pi_impact_assessment", entry))
    entries += [("", entry) for entry in result.extra_filings]
    if not entries and "filings" not in data:
        return
    listed = _new_list(data)
    for index, (key, entry) in enumerate(entries):
        listed.append(_flow(data, entry))
        if key:
            result.moves.append((("filings", key), ("filings", index)))
    if "filings" in data:
        _replace_keys(data, ("filings",), "filings", listed)
    else:
        _insert_after(data, "ethics" if "ethics" in data else "safeguards", "filings", listed)


def _attestation(data, result: Upgrade) -> None:
    attestation = data.get("attestation")
    if isinstance(attestation, MutableMapping) and "price_discrimination" in attestation:
        _rename(attestation, "price_discrimination", "consumer_rights", ("attestation",), result)


# ------------------------------------------------------------------ mapping operations
# They keep key order, and on ruamel's CommentedMap the comments that belong to a key.

def _bilingual(mapping, key: str, key_zh: str, at: Path_, result: Upgrade) -> None:
    if key_zh not in mapping:
        return
    text, text_zh = mapping[key], mapping[key_zh]
    _delete(mapping, key_zh)
    mapping[key] = _flow(mapping, {"en": text, "zh": text_zh})
    result.moves.append((at + (key_zh,), at + (key, "zh")))
    result.moves.append((at + (key,), at + (key, "en")))


def _rename(mapping, old: str, new: str, at: Path_, result: Upgrade) -> None:
    if old not in mapping:
        return
    _replace_keys(mapping, (old,), new, mapping[old])
    result.moves.append((at + (old,), at + (new,)))


def _replace_keys(mapping, olds: tuple, new: str, value: Any) -> None:
    """Put `new: value` where the first of `olds` stood, dropping them all, keeping its comment."""
    keys = list(mapping.keys())
    present = [old for old in olds if old in mapping]
    position = min(keys.index(old) for old in present)
    comments = [_comment_of(mapping, old) for old in present]
    for old in present:
        _delete(mapping, old)
    _insert_at(mapping, position, new, value)
    _merge_comments(mapping, new, [comment for comment in comments if comment is not None])


def _insert_first(mapping, key: str, value: Any) -> None:
    if key not in mapping:
        _insert_at(mapping, 0, key, value)


def _insert_after(mapping, after: str, key: str, value: Any) -> None:
    if key in mapping:
        return
    keys = list(mapping.keys())
    _insert_at(mapping, keys.index(after) + 1 if after in keys else len(keys), key, value)


def _insert_at(mapping, position: int, key: str, value: Any) -> None:
    if hasattr(mapping, "insert"):  # ruamel CommentedMap
        mapping.insert(position, key, value)
        return
    items = list(mapping.items())
    items.insert(position, (key, value))
    mapping.clear()
    mapping.update(items)


def _delete(mapping, key: str) -> None:
    del mapping[key]
    comments = getattr(mapping, "ca", None)
    if comments is not None:
        comments.items.pop(key, None)


def _comment_of(mapping, key: str) -> Any:
    comments = getattr(mapping, "ca", None)
    return comments.items.get(key) if comments is not None else None


def _set_comment(mapping, key: str, comment: Any) -> None:
    if comment is not None and hasattr(mapping, "ca"):
        mapping.ca.items[key] = comment


def _merge_comments(mapping, key: str, comments: list) -> None:
    """Keys merged into one keep every end-of-line comment they had, joined on the new key."""
    if len(comments) <= 1:
        _set_comment(mapping, key, comments[0] if comments else None)
        return
    texts = [token.value.strip().lstrip("#").strip() for comment in comments
             for token in comment if token is not None and hasattr(token, "value") and token.value.strip()]
    mapping.yaml_add_eol_comment("# " + "; ".join(texts), key)


def _round_trip(node) -> bool:
    return hasattr(node, "ca")


def _flow(like, values: dict) -> Any:
    """A small mapping, written inline ({a: 1, b: 2}) in a round-trip file."""
    if not _round_trip(like):
        return dict(values)
    from ruamel.yaml.comments import CommentedMap

    mapping = CommentedMap(values)
    mapping.fa.set_flow_style()
    return mapping


def _new_map(like, values: dict) -> Any:
    if not _round_trip(like):
        return dict(values)
    from ruamel.yaml.comments import CommentedMap

    return CommentedMap(values)


def _new_list(like) -> Any:
    if not _round_trip(like):
        return []
    from ruamel.yaml.comments import CommentedSeq

    return CommentedSeq()


# ------------------------------------------------------------------ a v1 file, checked as v2

def upgraded_document(document):
    """A valid v1 Document as v2: the data upgraded, each position moved with its value, so a
    finding on a v1 file still names the file's own line. Returns (document, upgrade)."""
    import copy

    from compliance.declaration.load import Document

    result = upgrade(copy.deepcopy(document.data))
    positions = {result.v2_path(path): where for path, where in document.positions.items()}
    return Document(document.path, result.data, positions, document.sha256), result


# ------------------------------------------------------------------ a file, rewritten as v2

def migrate_text(text: str, kind: str) -> tuple[str, Upgrade | None]:
    """The text of a v1 declaration rewritten as v2, and what moved; (text, None) when it is not v1.

    YAML keeps its comments, key order and flow style (ruamel.yaml round trip); JSON keeps key
    order and is written with two-space indents."""
    if kind == "json":
        import json

        data = json.loads(text)
        if not is_v1(data):
            return text, None
        result = upgrade(data)
        return json.dumps(result.data, ensure_ascii=False, indent=2) + "\n", result
    from io import StringIO

    yaml = _round_trip_yaml()
    data = yaml.load(text)
    if not is_v1(data):
        return text, None
    result = upgrade(data)
    out = StringIO()
    yaml.dump(result.data, out)
    # Editors find the schema through this comment (VS Code's YAML extension): point it at v2 too.
    text = re.sub(r"^(# yaml-language-server: \$schema=\S*)declaration-v1\.schema\.json", r"\1declaration-v2.schema.json",
                  out.getvalue(), flags=re.MULTILINE)
    return text, result


def _round_trip_yaml():
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


# ------------------------------------------------------------- rule packs written for v1 facts

# v1 fact paths that v2 keeps under another name; a v1 rule pack's conditions are read through it.
V1_RENAMED = {
    "scope.users": "scope.reach",
    "data.cross_border_transfer": "data.cross_border.transfer",
    "data.sensitive_separate_consent": "data.consent.separate_for_sensitive",
    "data.guardian_consent": "data.consent.guardian_for_under_14",
    "safeguards.ethics_review": "ethics.review",
    "safeguards.ethics_committee": "ethics.committee",
    "attestation.price_discrimination": "attestation.consumer_rights",
}
# v1 facts whose shape changed: a condition on them has to be rewritten by hand.
V1_RESHAPED = {
    "filings": "filings are a typed list in v2: use {fact: filings, some: {all: [{fact: type, is: ...}, "
               "{fact: status, is: done}]}}",
    "practices.generative_service.filing_number": "a generative AI filing is a filings entry of type generative_ai",
    "product.name_zh": "product.name takes {en: ..., zh: ...}",
    "provider.name_zh": "provider.name takes {en: ..., zh: ...}",
}


class V1PathError(ValueError):
    """A v1 rule pack names a fact whose shape changed in v2."""


def v2_fact(dotted: str) -> str:
    """The v2 name of a v1 fact path (unchanged when it did not move)."""
    for old, reason in V1_RESHAPED.items():
        if dotted == old or dotted.startswith(old + "."):
            raise V1PathError(f"fact {dotted!r} of declaration format v1 has no v2 equivalent: {reason}")
    for old, new in V1_RENAMED.items():
        if dotted == old or dotted.startswith(old + "."):
            return new + dotted[len(old):]
    return dotted


def translate_condition(condition: Any, nested: bool = False) -> Any:
    """A v1 pack's condition with its fact paths renamed for v2 (paths inside `some` are relative)."""
    if isinstance(condition, list):
        return [translate_condition(item, nested) for item in condition]
    if not isinstance(condition, dict):
        return condition
    translated = {}
    for key, value in condition.items():
        if key == "fact" and isinstance(value, str) and not nested:
            translated[key] = v2_fact(value)
        elif key == "some":
            translated[key] = translate_condition(value, nested=True)
        else:
            translated[key] = translate_condition(value, nested)
    return translated


def translate_fragment(fragment: Any) -> Any:
    """A v1 rule example (a partial declaration) with renamed facts moved to their v2 place."""
    if not isinstance(fragment, dict):
        return fragment
    import copy

    data = copy.deepcopy(fragment)
    for old, new in V1_RENAMED.items():
        value = _pop_path(data, old.split("."))
        if value is not _ABSENT:
            _put_path(data, new.split("."), value)
    return data


_ABSENT = object()


def _pop_path(data: dict, keys: list[str]) -> Any:
    node = data
    for key in keys[:-1]:
        node = node.get(key) if isinstance(node, dict) else None
        if not isinstance(node, dict):
            return _ABSENT
    return node.pop(keys[-1], _ABSENT) if isinstance(node, dict) else _ABSENT


def _put_path(data: dict, keys: list[str], value: Any) -> None:
    node = data
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = value


# ------------------------------------------------------------------ what v2 asks and v1 never said

def new_unknown_facts(data: dict) -> list[str]:
    """The v2 facts a migrated declaration leaves unknown that v1 could not state, in schema order.

    A section whose gate (`used`, `provided`, `done`, ...) is false is skipped; a section wholly
    unstated is named once (`consumer.*`)."""
    import json

    from compliance.declaration.facts import DECLARATION_V1_SCHEMA, declaration_schema
    from compliance.resources import schema_path

    v1_schema = json.loads(schema_path(DECLARATION_V1_SCHEMA).read_text(encoding="utf-8"))
    known = set()
    for path in _leaf_paths(v1_schema, v1_schema, ()):
        try:
            known.add(v2_fact(".".join(path)))
        except V1PathError:
            pass
    found: list[str] = []
    _walk_unknowns(declaration_schema(), declaration_schema(), data, (), known, found)
    return found


def _object_branch(root: dict, node: Any) -> dict | None:
    """The object schema among a node's branches; free text ({en, zh}) counts as a leaf."""
    node = resolve(root, node)
    if isinstance(node, dict) and "properties" in node:
        return None if set(node["properties"]) == {"en", "zh"} else node
    for branch in node.get("anyOf", ()) if isinstance(node, dict) else ():
        found = _object_branch(root, branch)
        if found is not None:
            return found
    return None


def _leaf_paths(root: dict, node: Any, path: tuple):
    branch = _object_branch(root, node)
    if branch is None:
        yield path
        return
    for name, sub in branch["properties"].items():
        yield from _leaf_paths(root, sub, path + (name,))


def _walk_unknowns(root: dict, node: Any, data: Any, path: tuple, known: set, found: list) -> None:
    branch = _object_branch(root, node)
    dotted = ".".join(path)
    if dotted in _NOT_ASKED:
        return
    if branch is None:
        if dotted not in known and _default_unstated(root, node) and (data is _ABSENT or data == "unknown"):
            found.append(dotted)
        return
    properties = branch["properties"]
    gate = next((name for name, sub in properties.items()
                 if isinstance(resolve(root, sub), dict) and resolve(root, sub).get("x-gate")), None)
    present = data if isinstance(data, dict) else {}
    if gate is not None and present.get(gate) is False:
        return
    if path and not present and not any(dotted == k or k.startswith(dotted + ".") for k in known):
        found.append(f"{dotted}.*")
        return
    for name, sub in properties.items():
        _walk_unknowns(root, sub, present.get(name, _ABSENT), path + (name,), known, found)


def _default_unstated(root: dict, node: Any) -> bool:
    """Left out, the fact is unknown or empty text (lists default to [], a statement in itself)."""
    node = resolve(root, node)
    return isinstance(node, dict) and "default" in node and node["default"] in ("unknown", None)


# v2 fields a migrated v1 declaration is not asked for: v1 providers are enterprises registered in China.
_NOT_ASKED = {"provider.foreign_registration", "$schema"}


# ---------------------------------------------------------------------- one file, as a value

@dataclass(frozen=True)
class FileMigration:
    """What `aicomply migrate` found for one file; the CLI decides what to print and write."""

    display: str
    state: str  # "migrated" | "current" (already v2) | "invalid" (fix it first) | "not_declaration"
    text: str | None = None  # the v2 text, when migrated
    unknowns: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()


def migrate_file(path, display: str) -> FileMigration:
    """Read one file and work out its v2 text; never writes, never raises for bad input."""
    from compliance.declaration.load import parse_document, read_bytes
    from compliance.declaration.validate import validate_declaration
    from compliance.errors import SourceError

    kind = "json" if str(path).lower().endswith(".json") else "yaml"
    try:
        raw = read_bytes(path, display)
        document = parse_document(raw, display, kind)
    except SourceError as exc:
        return FileMigration(display, "invalid", problems=(str(exc),))
    if not isinstance(document.data, dict) or document.data.get("format") not in (V1, V2):
        return FileMigration(display, "not_declaration")
    if document.data.get("format") == V2:
        return FileMigration(display, "current")
    problems = validate_declaration(document)
    if problems:
        return FileMigration(display, "invalid", problems=tuple(
            f"{display}:{p.line or 1}:{p.column or 1}: {p.message.en}" for p in problems))
    text, result = migrate_text(raw.decode("utf-8"), kind)
    return FileMigration(display, "migrated", text, tuple(new_unknown_facts(result.data)), tuple(result.notes))
