"""Rules and rule packs as loaded from checklists/ (frozen value types, no behaviour but display).

The checklist JSON Schema (schemas/checklist-v1.schema.json) is the contract for the files;
these types are what the evaluator reads after the files passed it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from compliance.evaluate.conditions import Condition

LEVELS = ("low", "medium", "high")
SEVERITIES = ("info", "warning", "error")
KINDS = ("grade", "prohibited", "indicator", "obligation")


@dataclass(frozen=True, slots=True)
class Text:
    """The same text in English and Chinese."""

    en: str
    zh: str

    def __call__(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    @classmethod
    def of(cls, data: dict | None) -> Text | None:
        return None if data is None else cls(data["en"], data["zh"])

    @classmethod
    def declared(cls, value: str | dict | None) -> Text | None:
        """A declaration's free text (a string, or {en, zh} with one or both): each language falls
        back to the other, so a Chinese report never prints nothing."""
        if value is None:
            return None
        if isinstance(value, str):
            return cls(value, value)
        en, zh = value.get("en"), value.get("zh")
        return cls(en or zh or "", zh or en or "")


@dataclass(frozen=True, slots=True)
class Source:
    """A law or standard rules cite, keyed by a short id (SZ-AI, PIPL, ...)."""

    key: str
    title: Text
    short: Text
    in_force: str | None = None
    checked: str | None = None  # the text its citations were checked against, unless they say otherwise
    status: str = "in_force"  # in_force | comparison | standard | reported (in force by secondary sources only)
    note: str | None = None


_ZH_DIGITS = "零一二三四五六七八九"


def zh_number(n: int) -> str:
    """1..9999 in Chinese numerals as written in article numbers: 十二, 七十二, 一百零五, 一百一十, 一千零一十九."""
    if n < 10:
        return _ZH_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _ZH_DIGITS[tens]) + "十" + (_ZH_DIGITS[ones] if ones else "")
    if n >= 1000:  # the Civil Code's articles: 一千零一十九, 一千二百六十
        thousands, rest = divmod(n, 1000)
        head = _ZH_DIGITS[thousands] + "千"
        if rest == 0:
            return head
        if rest < 100:
            return head + "零" + ("一" if 10 <= rest < 20 else "") + zh_number(rest)
        return head + zh_number(rest)
    hundreds, rest = divmod(n, 100)
    if rest == 0:
        tail = ""
    elif rest < 10:
        tail = "零" + _ZH_DIGITS[rest]
    else:
        tail = ("一" if rest < 20 else "") + zh_number(rest)  # 一百一十, not 一百十
    return _ZH_DIGITS[hundreds] + "百" + tail


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a rule comes from: a source and, within it, article, paragraph, item or annex item."""

    source: str
    article: int | None = None
    paragraph: int | None = None
    item: int | None = None
    annex_item: int | None = None
    see_also: bool = False  # supporting, or seen only in secondary sources (LEGAL.md "verify")
    checked: str | None = None  # laws/FILE.md, owner/repo@commit:path or an official URL; None: not verified

    @property
    def verified(self) -> bool:
        return self.checked is not None

    def locator(self, lang: str) -> str:
        """The part after the law's name: 'Art. 72(5)', 'Art. 66 para. 2' / 第七十二条第二款第（五）项."""
        if lang == "zh":
            text = f"第{zh_number(self.article)}条" if self.article else ""
            if self.paragraph:
                text += f"第{zh_number(self.paragraph)}款"
            if self.item:
                text += f"第（{zh_number(self.item)}）项"
            if self.annex_item:
                text += f"附件清单第{self.annex_item}项"
            return text
        parts = []
        if self.article:
            text = f"Art. {self.article}"
            if self.item:
                text += f"({self.item})"
            elif self.paragraph:
                text += f" para. {self.paragraph}"
            parts.append(text)
        if self.annex_item:
            parts.append(f"annex item {self.annex_item}")
        return ", ".join(parts)

    def render(self, lang: str, sources: dict[str, Source]) -> str:
        source = sources[self.source]
        if lang == "zh":
            name = source.short.zh
            text = f"{name}{self.locator('zh')}"
            return f"另见{text}" if self.see_also else text
        text = f"{source.short.en} {self.locator('en')}".strip()
        return f"see also {text}" if self.see_also else text


@dataclass(frozen=True, slots=True)
class Principle:
    """A grading principle of the pack, written down before the rules that apply it."""

    id: str
    level: str  # high | medium | raise | none (a limit on the others)
    title: Text
    text: Text


@dataclass(frozen=True, slots=True)
class RemovedRule:
    """A rule taken out of the pack; its id is never used again."""

    id: str
    removed_in: str
    reason: Text
    replaced_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str  # grade | prohibited | indicator | obligation
    family: str  # grading | screening | obligations (the file it came from)
    severity: str
    title: Text
    message: Text
    rationale: Text
    cites: tuple[Citation, ...]
    examples: dict[str, list[dict]]
    origin: str  # file:line, for messages about the rule itself
    remedy: Text | None = None
    level: str | None = None  # grade rules: high, medium or raise
    art72_item: int | None = None
    mandatory: bool = False
    document: str | None = None
    when: Condition | None = None
    applies_when: Condition | None = None
    met_when: Condition | None = None
    interests: tuple[str, ...] = ()  # Art. 72 para. 1 interests the risk touches (for the ex-ante assessment)
    reading: Text | None = None  # what the rule reads into the law beyond its words, and why
    principle: str | None = None  # grade rules: the pack principle they apply
    raisable: bool = True  # grade rules: False for a floor a raise does not lift (data handled, publicity, pricing)
    article: Text = Text("", "")  # the Shenzhen article served (first citation), rendered once
    citations: tuple[Text, ...] = ()  # every citation with its source, rendered once


@dataclass(frozen=True)
class RulePack:
    id: str
    version: str
    title: Text
    effective: str
    regulation: dict[str, Any]
    sources: dict[str, Source]
    rules: tuple[Rule, ...]
    baseline: dict | None = field(default=None, repr=False)  # the declaration examples build on
    components: tuple[tuple[str, str], ...] = ()  # (id, version) of every pack combined into this one
    definitions: dict = field(default_factory=dict, repr=False)  # the manifest's named conditions, compiled
    principles: tuple[Principle, ...] = ()
    identity_facts: tuple[str, ...] = ()  # dotted paths (or sections) that say what the product is
    removed: tuple[RemovedRule, ...] = ()

    def principle(self, principle_id: str) -> Principle | None:
        return next((p for p in self.principles if p.id == principle_id), None)

    def is_identity(self, dotted: str) -> bool:
        """A fact outside the product team's control: what the product is, for whom, where."""
        return any(dotted == f or dotted.startswith(f + ".") for f in self.identity_facts)

    def unverified(self) -> list[tuple[Rule, Citation]]:
        """Every citation not checked against a text, with its rule, in pack order."""
        return [(rule, c) for rule in self.rules for c in rule.cites if not c.verified]

    @property
    def packs(self) -> tuple[tuple[str, str], ...]:
        return self.components or ((self.id, self.version),)

    def rule(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)

    def of_kind(self, *kinds: str) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if rule.kind in kinds)

