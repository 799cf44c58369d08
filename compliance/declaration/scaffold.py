"""`aicomply init`: a commented declaration to fill in, written from the declaration schema.

Every section and field of format v2 appears with its description in the chosen language and
its allowed values. Facts that may be unknown start as `unknown` (graded as the risky answer
until stated); what must be written starts as a placeholder `<e.g. ...>` holding the schema's
own example, which validation refuses until it is replaced. Optional text is commented out.
"""

from __future__ import annotations

import json
import re
from typing import Any

from compliance.declaration.fields import FieldSpec, declaration_fields
from compliance.errors import ToolError
from compliance.files import write_atomic

_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_WIDTH = 100

_HEADER = {
    "en": [
        "# yaml-language-server: $schema=https://aicomply.dev/schemas/declaration-v2.schema.json",
        "# aicomply declaration (format v2): describe one AI product, then run `aicomply check <this file>`.",
        "#",
        "# Replace every <e.g. ...> placeholder. Where you do not know a fact, leave or write `unknown`:",
        "# aicomply then grades as if the answer were the risky one (fail closed) and names the fact to state.",
        "# Free text may be a string or {en: ..., zh: ...}. `aicomply interview` asks the same questions one",
        "# at a time; `aicomply explain RULE-ID` shows why a rule fired. Art. 66: risk grading; Art. 72: the",
        "# prohibited behaviours of the Shenzhen AI Regulations (2022).",
    ],
    "zh": [
        "# yaml-language-server: $schema=https://aicomply.dev/schemas/declaration-v2.schema.json",
        "# aicomply 申报文件（v2 格式）：描述一个人工智能产品，然后运行 `aicomply check <本文件>`。",
        "#",
        "# 请替换所有 <e.g. ...> 占位符。不清楚的事实请保留或填写 unknown：aicomply 将按风险较高的情形评定（从严），",
        "# 并指出需要补充的事实。文字可填字符串或 {en: ..., zh: ...}。`aicomply interview` 逐项提问同样的问题；",
        "# `aicomply explain 规则编号` 说明规则为何触发。第六十六条：风险分级；第七十二条：《深圳经济特区人工智能产业",
        "# 促进条例》所列禁止行为。",
    ],
}


def scaffold(lang: str = "en", product_id: str | None = None, product_name: str | None = None) -> str:
    """The scaffold text, with the product id and name filled in when given."""
    if product_id is not None and (not _SLUG.fullmatch(product_id) or not 2 <= len(product_id) <= 64):
        raise ToolError(f"--id {product_id!r} is not a product id: use lower-case letters, digits and single hyphens")
    if product_name is not None and (not product_name.strip() or "\n" in product_name):
        raise ToolError("--name must be one line of text")
    given = {("product", "id"): product_id, ("product", "name"): product_name}
    return _document(lang, _HEADER[lang], {k: v for k, v in given.items() if v is not None}, answered=False)


def declaration_text(data: dict, lang: str, header: list[str]) -> str:
    """A commented declaration holding `data` (what an interview gathered): every field of the
    format with its description, the answers as values; what was not answered is left out,
    commented, so the text validates as it is."""
    return _document(lang, header, dict(_flatten(data)), answered=True)


def _document(lang: str, header: list[str], given: dict, answered: bool) -> str:
    lines = list(header)
    for spec in declaration_fields().children:
        lines.extend(_lines(spec, lang, 0, given, answered))
    return "\n".join(lines) + "\n"


def _flatten(data: dict, path: tuple = ()):
    """(path, value) of every answered leaf; lists are leaves (written inline)."""
    for key, value in data.items():
        if isinstance(value, dict) and value and not set(value) <= {"en", "zh"}:
            yield from _flatten(value, path + (key,))
        else:
            yield path + (key,), value


def write_scaffold(path: str, text: str, force: bool = False) -> None:
    write_atomic(path, text, overwrite=force)


def _section(spec: FieldSpec, lang: str, depth: int, given: dict, answered: bool) -> list[str]:
    indent = "  " * depth
    head = [""] if depth == 0 else []
    title = spec.title[1 if lang == "zh" else 0] if depth == 0 else ""
    about = spec.describe(lang)
    same = about.rstrip("。.").strip() == title.strip()
    head += _comment(indent, " — ".join(part for part in (title, "" if same else about) if part))
    body = [line for child in spec.children for line in _lines(child, lang, depth + 1, given, answered)]
    if all(line.lstrip().startswith("#") for line in body):  # nothing to fill in yet: all optional
        return head + [f"{indent}# {spec.name}:"] + body
    return head + [f"{indent}{spec.name}:"] + body


def _commented_out(line: str) -> str:
    stripped = line.lstrip()
    if not stripped or stripped.startswith("#"):
        return line
    return line[:len(line) - len(stripped)] + "# " + stripped


def _lines(spec: FieldSpec, lang: str, depth: int, given: dict, answered: bool) -> list[str]:
    indent = "  " * depth
    if spec.kind == "section":
        inside = any(path[:len(spec.path)] == spec.path for path in given)
        if spec.path in _COMMENTED_OUT and not inside:
            return [_commented_out(line) for line in _section(spec, lang, depth, given, answered)]
        return _section(spec, lang, depth, given, answered)
    if spec.name == "format":
        return [f"{indent}format: aicomply/v2"]
    comment = _comment(indent, _about(spec, lang))
    if spec.path in given:
        return comment + [f"{indent}{spec.name}: {yaml_value(given[spec.path])}"]
    value = _placeholder(spec) if spec.path in _SHOWN else _value(spec)
    if value is None or answered:  # not stated (yet): shown as a comment, the format's default applies
        return comment + [f"{indent}# {spec.name}: {_placeholder(spec)}"]
    return comment + [f"{indent}{spec.name}: {value}"]


_CODE = re.compile(r"[a-z][a-z0-9_]*|[A-Z]{1,3}|[0-9]{4}-[0-9]{2}-[0-9]{2}|[a-z0-9]+(-[a-z0-9]+)+")
_YAML_WORDS = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "unknown_"}


def yaml_value(value: Any) -> str:
    """A value as inline YAML: codes and dates plain, other text quoted (JSON strings are YAML)."""
    if value is True or value is False:
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        plain = _CODE.fullmatch(value) and value.lower() not in _YAML_WORDS
        return value if plain else json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(yaml_value(item) for item in value) + "]"
    return "{" + ", ".join(f"{key}: {yaml_value(item)}" for key, item in value.items()) + "}"


# The schema asks for these only for some kinds of provider; the scaffold shows the common case
# (an enterprise in China) and keeps the foreign provider's block, commented out, for those who need it.
_SHOWN = {("provider", "name"), ("provider", "uscc"), ("attestation", "attested_by"), ("attestation", "date")}
_COMMENTED_OUT = {("provider", "foreign_registration")}


def _about(spec: FieldSpec, lang: str) -> str:
    text = spec.describe(lang)
    if spec.kind in ("enum", "multi"):
        choices = " | ".join(str(option) for option in spec.options)
        text += (f" 可选：{choices}" if lang == "zh" else f" One of: {choices}") if spec.kind == "enum" else \
            (f" 列出：{choices}" if lang == "zh" else f" List of: {choices}")
    return text


def _comment(indent: str, text: str) -> list[str]:
    """Comment lines of at most _WIDTH columns; Chinese wraps between characters (two columns each)."""
    if not text:
        return []
    lines, line, width = [], "", len(indent) + 2
    for token in _TOKENS.findall(" ".join(text.split())):
        size = sum(2 if _WIDE.match(char) else 1 for char in token)
        if line and width + size > _WIDTH and not token.isspace() and token not in _NO_LINE_START:
            lines.append(line.rstrip())
            line, width = "", len(indent) + 2
        if token.isspace() and not line:
            continue
        line += token
        width += size
    lines.append(line.rstrip())
    return [f"{indent}# {part}" for part in lines]


_NO_LINE_START = set("，。；：、）」』？！")  # Chinese punctuation never starts a line
_WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
_TOKENS = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+|\s+")


def _value(spec: FieldSpec) -> str | None:
    """What a fresh scaffold says for a field, or None to show it commented out."""
    if spec.kind == "items":
        return "unknown" if spec.accepts_unknown and spec.required else "[]"
    if spec.kind in ("multi", "text_list") and spec.default is None and not spec.accepts_unknown:
        return "[]" if not spec.required else f"[{_placeholder(spec, item=True)}]"
    if spec.accepts_unknown and (spec.required or spec.default == "unknown"):
        return "unknown"
    if spec.required:
        return _placeholder(spec)
    if spec.default is not None and not isinstance(spec.default, (dict, list)):
        return json.dumps(spec.default)
    if spec.kind in ("multi", "text_list"):
        return "[]"
    return None


def _placeholder(spec: FieldSpec, item: bool = False) -> str:
    example: Any = spec.example
    if item and isinstance(example, list) and example:
        example = example[0]
    if isinstance(example, dict):
        example = example.get("en") or next(iter(example.values()))
    if isinstance(example, bool):
        example = json.dumps(example)
    if example is None or isinstance(example, list):
        example = spec.options[0] if spec.options else "..."
    return f"<e.g. {example}>"
