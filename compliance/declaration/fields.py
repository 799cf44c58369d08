"""The declaration schema as a tree of fields people fill in: what each asks, in both languages.

One reading of schemas/declaration-v2.schema.json serves the scaffold (`aicomply init`) and the
guided interview (`aicomply interview`), so neither keeps a second list of questions that could
drift from the format. Descriptions are "English\\n\\nChinese" (see compliance/models/declaration.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from compliance.declaration.facts import declaration_schema
from compliance.declaration.schema import resolve

UNKNOWN, NOT_APPLICABLE = "unknown", "not_applicable"


@dataclass
class FieldSpec:
    """One field of the declaration: a section, a list of items, or a value."""

    path: tuple[str, ...]
    kind: str  # "section" | "items" | "enum" | "multi" | "tri" | "tri_na" | "engages" | "integer" | "text" | "date" | "bool"
    description: tuple[str, str] = ("", "")  # (en, zh)
    title: tuple[str, str] = ("", "")  # sections only
    options: tuple = ()  # enum and multi values, without unknown
    accepts_unknown: bool = False
    required: bool = False
    gate: bool = False  # false here makes the rest of the section not apply
    default: Any = None
    example: Any = None
    bilingual: bool = False  # free text that may be {en: ..., zh: ...}
    children: list[FieldSpec] = field(default_factory=list)  # sections, and the fields of each item

    @property
    def name(self) -> str:
        return self.path[-1] if self.path else ""

    @property
    def dotted(self) -> str:
        return ".".join(self.path)

    def describe(self, lang: str) -> str:
        return self.description[1 if lang == "zh" else 0] or self.description[0]


@cache
def declaration_fields() -> FieldSpec:
    """The whole declaration as a FieldSpec tree, in schema order."""
    schema = declaration_schema()
    return _object(schema, schema, (), required=True)


def _split(description: str | None) -> tuple[str, str]:
    if not description:
        return "", ""
    en, _, zh = description.partition("\n\n")
    return en.strip(), zh.strip() or en.strip()


def _branches(root: dict, node: dict) -> list[dict]:
    node = resolve(root, node)
    if "anyOf" in node:
        return [b for branch in node["anyOf"] for b in _branches(root, branch)]
    return [node]


def _is_text(branch: dict) -> bool:
    return branch.get("type") == "string" and "enum" not in branch and "const" not in branch


def _is_bilingual(branch: dict) -> bool:
    return set(branch.get("properties", {})) == {"en", "zh"}


def _object(root: dict, node: dict, path: tuple, required: bool) -> FieldSpec:
    node = resolve(root, node)
    spec = FieldSpec(path, "section", title=(node.get("title", ""), node.get("x-title-zh", node.get("title", ""))),
                     required=required)
    needed = set(node.get("required", ()))
    for name, sub in node.get("properties", {}).items():
        if name == "$schema":
            continue
        spec.children.append(_field(root, sub, path + (name,), name in needed))
    return spec


def _field(root: dict, node: dict, path: tuple, required: bool) -> FieldSpec:
    resolved = resolve(root, node)
    branches = [b for b in _branches(root, node) if b.get("type") != "null"]
    consts = [b["const"] for b in branches if "const" in b]
    shaped = [b for b in branches if "const" not in b]
    description = _split(resolved.get("description") or node.get("description"))
    common = dict(description=description, accepts_unknown=UNKNOWN in consts, required=required,
                  gate=bool(resolved.get("x-gate") or node.get("x-gate")), default=resolved.get("default", node.get("default")),
                  example=(resolved.get("examples") or node.get("examples") or [None])[0])
    shaped = [resolve(root, b) for b in shaped]
    objects = [b for b in shaped if b.get("type") == "object" or "properties" in b]
    if objects and not any(_is_bilingual(b) for b in objects) and not any(_is_text(b) for b in shaped):
        section = _object(root, objects[0], path, required)
        section.description = description
        return section
    arrays = [b for b in shaped if b.get("type") == "array"]
    if arrays:
        items = resolve(root, arrays[0].get("items", {}))
        if "properties" in items and not _is_bilingual(items):
            return FieldSpec(path, "items", children=_object(root, items, path, True).children, **common)
        if "enum" in items:
            return FieldSpec(path, "multi", options=tuple(items["enum"]), **common)
        return FieldSpec(path, "text_list", **common)
    enums = [value for b in shaped for value in b.get("enum", ())]
    if set(enums) >= {True, False}:
        rest = [value for value in enums if value not in (True, False)]
        kind = "engages" if "unsure" in rest else "tri_na" if NOT_APPLICABLE in rest else "tri"
        return FieldSpec(path, kind, accepts_unknown=UNKNOWN in rest or common["accepts_unknown"],
                         **{k: v for k, v in common.items() if k != "accepts_unknown"})
    if enums:
        options = tuple(value for value in enums if value != UNKNOWN)
        return FieldSpec(path, "enum", options=options, **dict(common, accepts_unknown=UNKNOWN in enums or common["accepts_unknown"]))
    if any(_is_bilingual(resolve(root, b)) for b in shaped):
        return FieldSpec(path, "text", bilingual=True, **common)
    types = {b.get("type") for b in shaped}
    if "integer" in types:
        return FieldSpec(path, "integer", **common)
    if "boolean" in types:
        return FieldSpec(path, "bool", **common)
    if any(b.get("format") == "date" for b in shaped):
        return FieldSpec(path, "date", **common)
    return FieldSpec(path, "text", **common)


def walk(spec: FieldSpec):
    """Every field below `spec`, depth first, in schema order (items' fields included)."""
    for child in spec.children:
        yield child
        yield from walk(child)
