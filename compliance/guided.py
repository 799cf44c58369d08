"""The guided interview, wired: the rule packs say what to ask and grade the answers as they come.

compliance.declaration.interview asks; this module gives it the facts the loaded packs read, the
article each serves and a provisional grade, then writes the declaration's text. It never prints:
the console it is handed does.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from compliance.declaration.interview import Console, Interview
from compliance.declaration.scaffold import declaration_text
from compliance.models.rules import RulePack

HEADER = {
    "en": ["# yaml-language-server: $schema=https://aicomply.dev/schemas/declaration-v2.schema.json",
           "# Written by `aicomply interview` on {day}. Facts answered \"don't know\" are `unknown`: they count",
           "# as the risky answer until stated. Fields left out are commented; fill them in as you learn them."],
    "zh": ["# yaml-language-server: $schema=https://aicomply.dev/schemas/declaration-v2.schema.json",
           "# 由 `aicomply interview` 于 {day} 生成。回答“不知道”的事实记为 unknown，在补充之前按风险较高的情形处理。",
           "# 未回答的字段以注释形式保留，了解后请补充。"],
}


def interview(pack: RulePack, lang: str, console: Console | None, answers: dict[str, Any] | None,
              today: date) -> tuple[str, dict]:
    """Run the interview; returns the declaration's text and its data."""
    from compliance.evaluate.checklists import facts_read

    read = facts_read(pack)
    session = Interview(
        lang=lang, asked={fact for fact in read if not fact.startswith("$")},
        articles={fact: (article.en, article.zh) for fact, article in read.items()},
        grader=lambda data: provisional_grade(data, pack, lang), answers=answers, console=console, today=today)
    data = session.run()
    header = [line.format(day=today.isoformat()) for line in HEADER[lang]]
    return declaration_text(data, lang, header), data


def provisional_grade(data: dict, pack: RulePack, lang: str) -> tuple[str, list[str], bool]:
    """The grade the answers so far give (unanswered facts count as the risky answer)."""
    from compliance.evaluate.grade import grade
    from compliance.i18n import word

    outcome = grade(data, pack.of_kind("grade"), lambda path: None)
    reasons = [reason.title(lang) for reason in outcome.reasons]
    return word(outcome.level, lang), reasons, any(reason.assumed for reason in outcome.reasons)
