"""An enterprise profile from a file: parsed, checked against its schema (version 2, or version 1
converted by migrate.py), then against itself: no floats, spend ids unique, support pointing at a
spend that exists, AI income not above total income, a project not smaller than its spend.

Every problem is reported with its file and line, in the user's language, and none of it is
guessed around: an estimate from a broken profile would be an estimate of something else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from compliance.declaration.load import Document
from compliance.errors import SourceError
from compliance.incentives.formats import (
    PROFILE_FORMAT,
    PROFILE_FORMAT_V1,
    YUAN_OR_UNKNOWN_PATTERN,
    YUAN_PATTERN,
)
from compliance.models.rules import Text

SCHEMAS = {PROFILE_FORMAT: "profile-v2.schema.json", PROFILE_FORMAT_V1: "profile-v1.schema.json"}
PROFILE_SCHEMA = SCHEMAS[PROFILE_FORMAT]
_MAX_PROBLEMS = 20


@dataclass(frozen=True)
class Problem:
    line: int | None
    column: int | None
    en: str
    zh: str

    def show(self, display: str, lang: str) -> str:
        where = f"{display}:{self.line}:{self.column or 1}" if self.line else display
        return f"{where}: {self.zh if lang == 'zh' else self.en}"


class InvalidProfile(Exception):
    def __init__(self, display: str, problems: list[Problem]) -> None:
        super().__init__(f"{display}: invalid profile")
        self.display = display
        self.problems = problems

    def lines(self, lang: str) -> list[str]:
        return [problem.show(self.display, lang) for problem in self.problems]


@dataclass(frozen=True)
class ReadProfile:
    data: dict  # version 2
    notes: list[Text] = field(default_factory=list)  # what reading an older version assumed


def read_profile(path: Path, display: str) -> ReadProfile:
    """The profile's data as version 2, or InvalidProfile listing every problem."""
    from compliance.declaration.load import read_document

    try:
        document = read_document(path, display)
    except SourceError as exc:
        location = exc.location
        raise InvalidProfile(display, [Problem(location.line, location.column, exc.message, exc.message)]) from None
    problems = _wrong_kind(document) or _floats(document) or _schema_problems(document)
    if problems:
        raise InvalidProfile(display, problems)
    data, notes = document.data, []
    if data["format"] == PROFILE_FORMAT_V1:
        from compliance.incentives.migrate import v1_to_v2

        data, notes = v1_to_v2(data)
    problems = _consistency_problems(document, data)
    if problems:
        raise InvalidProfile(display, problems)
    return ReadProfile(data, notes)


def _wrong_kind(document: Document) -> list[Problem]:
    """Another kind of aicomply file (a declaration, most likely), or a format this version does
    not know: one clear line, not fifty."""
    data = document.data
    stated = data.get("format") if isinstance(data, dict) else None
    if not isinstance(stated, str) or stated in SCHEMAS:
        return []
    if stated.startswith("aicomply-profile/"):
        return [_at(document, ("format",),
                    f"format is {stated!r}, which this aicomply does not read; write format: {PROFILE_FORMAT} (or "
                    f"{PROFILE_FORMAT_V1}), or update aicomply",
                    f"format 为 {stated!r}，当前 aicomply 无法读取；请写 format: {PROFILE_FORMAT}（或 {PROFILE_FORMAT_V1}），"
                    "或升级 aicomply")]
    return [_at(document, ("format",),
                f"format is {stated!r}: this is not an enterprise profile ({PROFILE_FORMAT}); run "
                "`aicomply incentives init` for one to fill in",
                f"format 为 {stated!r}：这不是企业档案（{PROFILE_FORMAT}）；可运行 `aicomply incentives init` 生成模板")]


def _floats(document: Document) -> list[Problem]:
    """A profile has no fractional numbers: money is exact (whole yuan or a decimal string), counts
    are whole. YAML and JSON read 30000000.000000001 as 30000000.0 and 1e27 as a float, and JSON
    Schema takes an integral float for an integer, so floats are refused here, by path."""
    problems = []
    for path, value in _walk(document.data, ()):
        if type(value) is float and len(problems) < _MAX_PROBLEMS:
            problems.append(_at(document, path,
                                f"{_dotted(path)}: a number with a decimal point or an exponent, which would be rounded; "
                                "write yuan as a whole number (30000000) or a decimal string (\"1250.50\"), and counts "
                                "as whole numbers",
                                f"{_dotted(path)}：带小数点或指数的数字会被舍入；金额请写整数（30000000）或十进制字符串"
                                "（\"1250.50\"），数量请写整数"))
    return problems


def _walk(node: Any, path: tuple) -> Any:
    if type(node) is dict:
        for key, value in node.items():
            yield from _walk(value, (*path, key))
    elif type(node) is list:
        for index, value in enumerate(node):
            yield from _walk(value, (*path, index))
    else:
        yield path, node


def _dotted(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else str(part)
    return out or "the top level"


def _schema_problems(document: Document) -> list[Problem]:
    from compliance.declaration.validate import describe_issue, schema_issues_for

    schema = SCHEMAS.get(document.data.get("format") if isinstance(document.data, dict) else None, PROFILE_SCHEMA)
    problems = []
    for issue in schema_issues_for(schema, document.data)[:_MAX_PROBLEMS]:
        line, column = document.locate(issue.path) or (None, None)
        if issue.code == "pattern" and issue.params["pattern"] in (YUAN_PATTERN, YUAN_OR_UNKNOWN_PATTERN):
            where, value = _dotted(issue.path), issue.params["value"]
            unknown = (" (or unknown)", "（或 unknown）") if issue.params["pattern"] == YUAN_OR_UNKNOWN_PATTERN else ("", "")
            problems.append(Problem(line, column,
                                    f"{where}: {value!r} is not an amount of yuan{unknown[0]}: write digits with at "
                                    "most two decimals, under 10 trillion (at most 13 digits before the point)",
                                    f"{where}：{value!r} 不是有效的人民币金额{unknown[1]}：请写数字，最多两位小数，"
                                    "且小于10万亿元（整数部分最多13位）"))
        else:
            problems.append(Problem(line, column, describe_issue(issue, "en"), describe_issue(issue, "zh")))
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))


def _consistency_problems(document: Document, data: dict) -> list[Problem]:
    """What the schema cannot see: facts that contradict each other. Paths are those of the file
    as written (a version 1 profile keeps its spend and support lists in place)."""
    problems = _income_problems(document, data["enterprise"])
    seen: set[str] = set()
    for index, item in enumerate(data.get("spend", ())):
        if item["id"] in seen:
            problems.append(_at(document, ("spend", index, "id"),
                                f"spend id {item['id']!r} is used twice; give each spend item its own id",
                                f"支出编号 {item['id']!r} 重复；每项支出须有唯一编号"))
        seen.add(item["id"])
        if item["kind"] == "office_lease" and (item.get("area_m2") is None or item.get("months") is None):
            problems.append(_at(document, ("spend", index),
                                "an office_lease spend needs area_m2 and months (the rent subsidy is paid per m2 "
                                "per month)",
                                "office_lease 类支出须填写 area_m2 和 months（租金补贴按每平方米每月计算）"))
        total = item.get("project_total", "unknown")
        if total != "unknown" and Decimal(str(total)) < Decimal(str(item["amount"])):
            problems.append(_at(document, ("spend", index, "project_total"),
                                f"project_total {total} is less than this spend's amount {item['amount']}: the project "
                                "includes the spend; correct one of them",
                                f"project_total {total} 小于本项支出金额 {item['amount']}：项目总投资应包含该支出；请更正"))
    models = [m["id"] for m in data["enterprise"].get("large_models", ())]
    for index, name in enumerate(models):
        if name in models[:index]:
            problems.append(_at(document, ("enterprise", "large_models", index, "id"),
                                f"large model id {name!r} is used twice; give each model its own id",
                                f"大模型编号 {name!r} 重复；每个模型须有唯一编号"))
    for index, support in enumerate(data.get("other_support", ())):
        if support["spend"] not in seen:
            problems.append(_at(document, ("other_support", index, "spend"),
                                f"other_support names spend {support['spend']!r}, which is not in spend:",
                                f"other_support 所指支出 {support['spend']!r} 不在 spend 列表中"))
    return problems


def _income_problems(document: Document, enterprise: dict) -> list[Problem]:
    income = enterprise["income"]
    total, ai = income["total"], income.get("ai", "unknown")
    if "unknown" in (total, ai) or Decimal(str(ai)) <= Decimal(str(total)):
        return []
    return [_at(document, ("enterprise", "income", "ai"),
                f"AI business income {ai} is more than total income {total}: AI income is part of the total; "
                "correct one of them",
                f"人工智能业务收入 {ai} 大于总收入 {total}：人工智能收入属于总收入的一部分；请更正")]


def _at(document: Document, path: tuple, en: str, zh: str) -> Problem:
    line, column = document.locate(path) or (None, None)
    return Problem(line, column, en, zh)
