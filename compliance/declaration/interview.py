"""The guided interview (`aicomply interview`): the questions the rule packs need, one at a time.

The questions are not a list kept here: they are the declaration schema's fields (their
descriptions in English and Chinese, their allowed values) filtered to the facts the loaded rule
packs read, plus what the format requires. A section whose gate is answered "no" (no deep
synthesis, no personal information) is skipped. "Don't know" is accepted wherever the format
allows `unknown`, and counts as the risky answer like everywhere else.

This module knows nothing of rules or grades: the caller passes the facts to ask about, the
article each serves, and a function that grades a partial declaration (the provisional grade).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from compliance.declaration.fields import FieldSpec, declaration_fields

UNKNOWN, NOT_APPLICABLE = "unknown", "not_applicable"
_YES = {"y", "yes", "true", "是", "是的", "对", "有"}
_NO = {"n", "no", "false", "否", "不", "不是", "没有", "无"}
_DONT_KNOW = {"?", "？", "unknown", "dont know", "don't know", "do not know", "不知道", "不清楚", "未知"}
_NOT_APPLICABLE = {"na", "n/a", "not applicable", "not_applicable", "不适用"}
_UNSURE = {"unsure", "不确定"}
_NONE = {"none", "-", "[]", "无", "没有"}

# Provider fields that apply to some kinds of provider only (the schema says which are required).
_CHINA_ORGANISATIONS = {"enterprise", "government_body", "public_institution", "social_organisation"}
_NOT_ASKED = {"format", "waivers", "transparency", "attestation.date"}
# Who the provider is and who answers for the product: asked whatever the rules read.
# Required by the schema only for some kinds of provider (its if/then rules): asked as required when they apply.
REQUIRED_WHEN_ASKED = {"provider.name", "provider.uscc", "provider.foreign_registration.country"}
ALWAYS_ASKED = {"provider.name", "provider.uscc", "provider.foreign_registration.country", "provider.district",
                "provider.size", "provider.contact.name", "provider.contact.email", "attestation.attested_by"}

WORDS = {
    "en": {"yes_no": "yes / no", "unknown": "? = don't know", "na": "n/a = not applicable",
           "unsure": "unsure", "number": "a whole number", "skip": "Enter to skip", "list": "numbers or names, "
           "separated by commas; none for none", "text": "text", "date": "YYYY-MM-DD", "again": "Please answer: {hint}", "default": "Enter = {value}",
           "texts": "items separated by ;, none for none",
           "provisional": "Provisional grade: {grade}", "because": "because", "assumed": "assumed while facts are unknown",
           "add": "Add one?", "another": "Add another?", "article": "serves {article}", "served": "  ({article})",
           "reasons": " — {because}: {reasons}", "join": "; ",
           "section": "== {title} =="},
    "zh": {"yes_no": "是 / 否", "unknown": "? = 不知道", "na": "n/a = 不适用", "unsure": "不确定",
           "number": "整数", "skip": "回车跳过", "list": "序号或名称，用逗号分隔；没有填 无", "text": "文字",
           "date": "YYYY-MM-DD", "again": "请按要求回答：{hint}", "default": "回车 = {value}",
           "texts": "多项用 ; 分隔；没有填 无", "provisional": "当前暂定等级：{grade}",
           "because": "依据", "assumed": "部分事实不清楚，按从严推定", "add": "是否添加一项？",
           "another": "是否再添加一项？", "article": "对应{article}", "served": "（{article}）",
           "reasons": "——{because}：{reasons}", "join": "；", "section": "== {title} =="},
}


class AnswerError(ValueError):
    """An answer (typed or from an answers file) that the question does not accept."""


@dataclass
class Console:
    """Where questions go and answers come from; a pseudo-terminal, or nothing when replaying."""

    ask: Callable[[str], str]
    say: Callable[[str], None]


@dataclass
class Interview:
    lang: str
    asked: set[str]  # dotted fact paths the rule packs read (list items' fields without "[]")
    articles: dict[str, tuple[str, str]] = field(default_factory=dict)  # fact -> (en, zh) article it serves
    grader: Callable[[dict], tuple[str, list[str], bool]] | None = None  # data -> (grade, reasons, assumed)
    answers: dict[str, Any] | None = None  # replayed answers: dotted path -> value; None: ask
    console: Console | None = None
    today: date = field(default_factory=date.today)

    def run(self) -> dict:
        """Ask, section by section; returns the declaration data."""
        data: dict = {"format": "aicomply/v2"}
        for top in declaration_fields().children:
            if top.kind not in ("section", "items") or top.dotted in _NOT_ASKED or not self._wanted(top):
                continue
            title = top.title[1 if self.lang == "zh" else 0] or top.name
            self._say(WORDS[self.lang]["section"].format(title=title))
            if top.kind == "items":
                data[top.name] = self._items(top)
            else:
                self._section(top, data)
            self._provisional(data)
        attestation = data.get("attestation")
        if attestation and any(key != "attested_by" for key in attestation):
            attestation["date"] = self.today.isoformat()
        return data

    # ------------------------------------------------------------------ what is asked

    def _wanted(self, spec: FieldSpec) -> bool:
        """A field is asked when the format requires it or a rule reads it (or something below it)."""
        if spec.dotted in _NOT_ASKED:
            return False
        if spec.required and spec.kind != "section":
            return True
        dotted = spec.dotted
        asked = self.asked | ALWAYS_ASKED
        return any(fact == dotted or fact.startswith(dotted + ".") for fact in asked) or \
            (spec.kind == "section" and spec.required)

    def _applies(self, spec: FieldSpec, data: dict) -> bool:
        provider = data.get("provider", {})
        kind = provider.get("kind")
        if spec.path == ("provider", "name"):
            return kind != "unknown_operator"
        if spec.path in (("provider", "uscc"), ("provider", "district")):
            return kind in _CHINA_ORGANISATIONS
        if spec.path == ("provider", "size"):
            return kind == "enterprise"
        if spec.path == ("provider", "foreign_registration"):
            return kind == "foreign_entity"
        if spec.path == ("scenario", "other_description"):
            return "other" in data.get("scenario", {}).get("domains", ())
        return True

    def _section(self, section: FieldSpec, data: dict) -> None:
        node = _node(data, section.path)
        for spec in section.children:
            if not self._applies(spec, data) or not (self._wanted(spec) or spec.gate and self._wanted(section)):
                self._implied(spec, data)
                continue
            if spec.kind == "section":
                if self.answers is not None and not spec.required and not any(
                        key == spec.dotted or key.startswith(spec.dotted + ".") for key in self.answers):
                    continue  # replaying: an optional section nobody answered stays out
                self._section(spec, data)
                if not _node(data, spec.path):
                    _drop(data, spec.path)
                continue
            value = self._items(spec) if spec.kind == "items" else self._value(spec)
            if value is not _SKIPPED:
                node[spec.name] = value
            if spec.gate and value is False:
                return  # "no": the rest of this section does not apply
        if not node and section.path:
            _drop(data, section.path)

    def _implied(self, spec: FieldSpec, data: dict) -> None:
        """What the format needs but nobody should be asked: a non-enterprise has no size."""
        if spec.path == ("provider", "size") and data.get("provider", {}).get("kind") not in (None, "enterprise"):
            data["provider"]["size"] = NOT_APPLICABLE

    # --------------------------------------------------------------------- one question

    def _value(self, spec: FieldSpec) -> Any:
        if spec.dotted in REQUIRED_WHEN_ASKED:
            spec = replace(spec, required=True)
        if self.answers is not None:
            return self._replayed(spec)
        prompt = self._prompt(spec)
        while True:
            try:
                return parse(spec, self.console.ask(prompt), self.lang)
            except AnswerError as exc:
                self._say(WORDS[self.lang]["again"].format(hint=exc))

    def _replayed(self, spec: FieldSpec) -> Any:
        if spec.dotted not in self.answers:
            if spec.required and not spec.accepts_unknown:
                raise AnswerError(f"the answers file has no answer for {spec.dotted}, which the declaration needs")
            return UNKNOWN if spec.accepts_unknown else _SKIPPED
        given = self.answers[spec.dotted]
        try:
            if _typed(spec, given):
                return given
            if isinstance(given, (dict, list)):  # a value of the wrong shape, not an answer to read
                raise AnswerError(hint(spec, self.lang))
            return parse(spec, str(given), self.lang)
        except AnswerError as exc:
            raise AnswerError(f"{spec.dotted}: expected {exc}, got {given!r}") from None

    def _items(self, spec: FieldSpec) -> Any:
        if self.answers is not None:
            given = self.answers.get(spec.dotted, UNKNOWN if spec.accepts_unknown else [])
            said = _normal(given) if isinstance(given, str) else None
            if said is not None and (said in _NO or said in _NONE):
                return []
            if said is not None and spec.accepts_unknown and said in _DONT_KNOW:
                return UNKNOWN
            if not isinstance(given, list) and given != UNKNOWN:
                raise AnswerError(f"{spec.dotted}: expected a list of entries, no, or ? , got {given!r}")
            return given
        words = WORDS[self.lang]
        self._say(self._describe(spec))
        items: list = []
        question = words["add"].format(yes_no=words["yes_no"])
        while True:
            unknown_allowed = spec.accepts_unknown and not items
            options = f"{words['yes_no']}; {words['unknown']}" if unknown_allowed else words["yes_no"]
            answer = self._yes_no(f"{question}\n{spec.dotted} [{options}]> ", unknown_allowed)
            if answer == UNKNOWN:
                return UNKNOWN
            if not answer:
                return items
            item: dict = {}
            for child in spec.children:
                if child.required or self._wanted(child):
                    value = self._value(child)
                    if value is not _SKIPPED:
                        item[child.name] = value
            items.append(item)
            question = words["another"].format(yes_no=words["yes_no"])

    def _yes_no(self, prompt: str, unknown_allowed: bool) -> Any:
        while True:
            answer = _normal(self.console.ask(prompt))
            if answer in _NOT_APPLICABLE:
                answer = "no"
            if answer in _YES:
                return True
            if answer in _NO or answer == "":
                return False
            if unknown_allowed and answer in _DONT_KNOW:
                return UNKNOWN
            self._say(WORDS[self.lang]["again"].format(hint=WORDS[self.lang]["yes_no"]))

    def _prompt(self, spec: FieldSpec) -> str:
        lines = [self._describe(spec)]
        if spec.kind in ("enum", "multi"):
            lines.append("  " + "  ".join(f"{i}) {option}" for i, option in enumerate(spec.options, 1)))
        lines.append(f"{spec.dotted} [{hint(spec, self.lang)}]> ")
        return "\n".join(lines)

    def _describe(self, spec: FieldSpec) -> str:
        article = self.articles.get(spec.dotted)
        words = WORDS[self.lang]
        served = words["served"].format(article=words["article"].format(article=article[1 if self.lang == "zh" else 0])) \
            if article else ""
        return f"{spec.describe(self.lang)}{served}"

    def _provisional(self, data: dict) -> None:
        if self.grader is None:
            return
        grade, reasons, assumed = self.grader(data)
        words = WORDS[self.lang]
        line = words["provisional"].format(grade=grade)
        if reasons:
            line += words["reasons"].format(because=words["because"], reasons=words["join"].join(reasons[:4]))
        if assumed:
            line += words["served"].format(article=words["assumed"])
        self._say(line)

    def _say(self, text: str) -> None:
        if self.console is not None:
            self.console.say(text)


_SKIPPED = object()


def hint(spec: FieldSpec, lang: str) -> str:
    """What an answer to this question looks like."""
    words = WORDS[lang]
    parts = {"tri": [words["yes_no"]], "tri_na": [words["yes_no"], words["na"]], "bool": [words["yes_no"]],
             "engages": [words["yes_no"], words["unsure"]], "integer": [words["number"]], "multi": [words["list"]],
             "enum": ["1-" + str(len(spec.options))], "date": [words["date"]],
             "text_list": [words["texts"]]}.get(spec.kind, [words["text"]])
    if spec.accepts_unknown and spec.kind != "engages":
        parts.append(words["unknown"])
    if _has_default(spec):
        parts.append(words["default"].format(value=spec.default))
    elif not spec.required:
        parts.append(words["skip"])
    return "; ".join(parts)


def _has_default(spec: FieldSpec) -> bool:
    return not spec.required and spec.default is not None and spec.default != UNKNOWN and not isinstance(
        spec.default, (list, dict))


def _normal(answer: str) -> str:
    return " ".join(answer.strip().lower().replace("’", "'").split())


def parse(spec: FieldSpec, answer: str, lang: str) -> Any:
    """An answer as typed, turned into the value the format takes (AnswerError when it cannot be)."""
    said = _normal(answer)
    if spec.accepts_unknown and said in _DONT_KNOW:
        return UNKNOWN
    if not said and _has_default(spec):
        return spec.default
    if not said and not spec.required:
        return _SKIPPED  # left out: the format's default (unknown, or nothing) applies
    kind = spec.kind
    if kind in ("tri", "tri_na", "bool", "engages"):
        if said in _YES:
            return True
        if said in _NO:
            return False
        if kind == "tri_na" and said in _NOT_APPLICABLE:
            return NOT_APPLICABLE
        if kind == "engages" and said in _UNSURE:
            return "unsure"
    elif kind == "enum":
        chosen = _choice(spec, said)
        if chosen is not None:
            return chosen
    elif kind == "multi":
        if said in _NONE and not spec.required:
            return []
        picked = [_choice(spec, part) for part in re.split(r"[,，、\s]+", said) if part]
        if picked and None not in picked:
            return list(dict.fromkeys(picked))
    elif kind == "integer":
        digits = said.replace(",", "").replace("_", "").replace("，", "")
        if digits.isdigit() and len(digits) <= 11:
            return int(digits)
    elif kind == "text_list":
        if said in _NONE:
            return []
        items = [" ".join(part.split()) for part in re.split(r"[;；]", answer) if part.strip()]
        if items:
            return items
    elif kind == "date":
        try:
            return date.fromisoformat(said).isoformat()
        except ValueError:
            pass
    else:  # text
        text = " ".join(answer.split())
        if text and not (text.startswith("<") and text.endswith(">")):
            return {lang: text} if spec.bilingual else text
    raise AnswerError(hint(spec, lang))


def _choice(spec: FieldSpec, said: str) -> Any:
    if said.isdigit() and 1 <= int(said) <= len(spec.options):
        return spec.options[int(said) - 1]
    for option in spec.options:
        if said == str(option).lower():
            return option
    return None


def _typed(spec: FieldSpec, value: Any) -> bool:
    """An answers file may give the value itself (true, 1200, [a, b]) instead of typed text."""
    if value is True or value is False:
        return spec.kind in ("tri", "tri_na", "bool", "engages")
    if isinstance(value, list):
        return spec.kind == "multi" and all(item in spec.options for item in value)
    if isinstance(value, int):
        return spec.kind == "integer" and value >= 0
    if isinstance(value, dict):
        return spec.bilingual and set(value) <= {"en", "zh"} and bool(value)
    return False


def _node(data: dict, path: tuple) -> dict:
    for key in path:
        data = data.setdefault(key, {})
    return data


def _drop(data: dict, path: tuple) -> None:
    parent = data
    for key in path[:-1]:
        parent = parent.get(key, {})
    parent.pop(path[-1], None)
