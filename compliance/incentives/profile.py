"""An enterprise profile from a file: parsed, checked against schemas/profile-v1.schema.json,
then against itself (spend ids unique, support pointing at a spend that exists).

Every problem is reported with its file and line, in the user's language, and none of it is
guessed around: an estimate from a broken profile would be an estimate of something else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from compliance.declaration.load import Document
from compliance.errors import SourceError

PROFILE_SCHEMA = "profile-v1.schema.json"
FORMAT = "aicomply-profile/v1"
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


def read_profile(path: Path, display: str) -> dict:
    """The profile's data, or InvalidProfile listing every problem."""
    from compliance.declaration.load import read_document

    try:
        document = read_document(path, display)
    except SourceError as exc:
        location = exc.location
        raise InvalidProfile(display, [Problem(location.line, location.column, exc.message, exc.message)]) from None
    problems = _wrong_kind(document) or _schema_problems(document) or _consistency_problems(document)
    if problems:
        raise InvalidProfile(display, problems)
    return document.data


def _wrong_kind(document: Document) -> list[Problem]:
    """Another kind of aicomply file (a declaration, most likely): one clear line, not fifty."""
    data = document.data
    stated = data.get("format") if isinstance(data, dict) else None
    if not isinstance(stated, str) or stated == FORMAT:
        return []
    return [_at(document, ("format",),
                f"format is {stated!r}: this is not an enterprise profile ({FORMAT}); start from "
                "profiles/example-profile.yaml in the aicomply repository",
                f"format 为 {stated!r}：这不是企业档案（{FORMAT}）；可参照 aicomply 仓库中的 profiles/example-profile.yaml")]


def _schema_problems(document: Document) -> list[Problem]:
    from compliance.declaration.validate import describe_issue, schema_issues_for

    problems = []
    for issue in schema_issues_for(PROFILE_SCHEMA, document.data)[:_MAX_PROBLEMS]:
        line, column = document.locate(issue.path) or (None, None)
        problems.append(Problem(line, column, describe_issue(issue, "en"), describe_issue(issue, "zh")))
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))


def _consistency_problems(document: Document) -> list[Problem]:
    data = document.data
    problems = []
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
    for index, support in enumerate(data.get("other_support", ())):
        if support["spend"] not in seen:
            problems.append(_at(document, ("other_support", index, "spend"),
                                f"other_support names spend {support['spend']!r}, which is not in spend:",
                                f"other_support 所指支出 {support['spend']!r} 不在 spend 列表中"))
    return problems


def _at(document: Document, path: tuple, en: str, zh: str) -> Problem:
    line, column = document.locate(path) or (None, None)
    return Problem(line, column, en, zh)
