"""The readable verdict: per file the grade and why, findings, obligations, then a summary.

Every text that comes from a file (path, product, messages, rule texts, waivers, values) goes
through `shown`, so no control character in it can rewrite what the terminal shows.
"""

from __future__ import annotations

import unicodedata
from typing import Any, Callable

from compliance.escape import shown
from compliance.i18n import word
from compliance.models.result import FactRef, FileResult, Finding, RunInfo, Tally

Style = Callable[..., str]


def _plain(text: str, **_: Any) -> str:
    return text


def pad(text: str, width: int) -> str:
    """Left-justify by display width: a Chinese character takes two columns."""
    shown = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(0, width - shown)


def _colon(lang: str) -> str:
    return "：" if lang == "zh" else ": "


_SEVERITY_COLOUR = {"error": "red", "warning": "yellow", "info": "cyan"}
_LEVEL_COLOUR = {"high": "red", "medium": "yellow", "low": "green"}


class TextReporter:
    """The readable verdict, a block per file and a summary; `style(text, fg=..., bold=...)` adds
    colour (the CLI passes click.style on a terminal)."""

    def __init__(self, info: RunInfo, lang: str = "en", style: Style = _plain) -> None:
        self.info = info
        self.lang = lang
        self.style = style

    def begin(self) -> str:
        return ""

    def result(self, result: FileResult, failed: bool) -> str:
        return _file_block(result, failed, self.info, self.lang, self.style) + "\n\n"

    def end(self, tally: Tally) -> str:
        return _summary(tally, self.info, self.lang, self.style) + "\n"


def _file_block(result: FileResult, failed: bool, info: RunInfo, lang: str, style: Style) -> str:
    lines = [style(shown(result.path), bold=True)]
    if result.product_name is not None:
        lines.append(f"  {shown(result.product_name(lang))} {shown(result.product_version)} ({shown(result.product_id)})")
    if not result.valid or result.kind != "declaration":
        if not result.valid:
            lines.append("  " + style(f"{word('invalid', lang)}{_colon(lang)}{word('invalid_note', lang)}", fg="red", bold=True))
        if not result.findings:
            lines.append(f"  {word('no_findings', lang)}")
        # One line per problem, file:line:column first, as compilers write them (editors jump there).
        for finding in result.findings:
            where = ":".join(shown(part) for part in (result.path, finding.line, finding.column) if part is not None)
            tag = style(word(finding.severity, lang), fg=_SEVERITY_COLOUR[finding.severity])
            lines.append(f"    {where}: {tag} {shown(finding.rule_id)} {shown(finding.message(lang))}")
        return "\n".join(lines)
    level = result.risk_level
    lines.append(f"  {word('risk', lang)}{_colon(lang)}" + style(word(level, lang), fg=_LEVEL_COLOUR[level], bold=True))
    for reason in result.reasons:
        lines.append(f"    {pad(_level_tag(reason.level, lang), 7)} {shown(reason.rule_id)}  {shown(reason.title(lang))}  "
                     f"[{shown(reason.article(lang))}]")
        if reason.assumed:
            unknown = [f.path for f in reason.facts if f.unknown]
            lines.append(f"            {word('assumed', lang)}{_colon(lang)}{shown(', '.join(unknown))}")
    if result.drivers:
        lines.append(f"  {word('drivers', lang)}{_colon(lang)}" + "; ".join(_fact(f, lang) for f in result.drivers))
    if result.lowering is not None:
        changes = "; ".join(f"{shown(c.fact)}: {_value(c.old, lang)} -> {_value(c.new, lang)}" for c in result.lowering.changes)
        lines.append(f"  {word('lowering', lang, to=word(result.lowering.to, lang))}{_colon(lang)}{changes}")
    elif level != "low":
        # An unknown driver is a fact to state, not a change to make: say so rather than "no change".
        unstated = [f for f in result.drivers if f.unknown]
        if unstated:
            lines.append(f"  {word('state_unknown', lang)}{_colon(lang)}{shown(', '.join(f.path for f in unstated))}")
        else:
            lines.append(f"  {word('no_lowering', lang)}")
    if result.outside_control:
        lines.append(f"  {word('outside_control', lang)}{_colon(lang)}" + "; ".join(_fact(f, lang) for f in result.outside_control))
    if result.findings:
        lines.append(f"  {word('findings', lang)}{_colon(lang).rstrip()}")
        lines.extend(_finding_lines(result.findings, lang, style))
    else:
        lines.append(f"  {word('no_findings', lang)}")
    lines.extend(_obligation_lines(result, lang, style))
    verdict = word("gate_failed", lang) if failed else word("gate_passed", lang)
    colour = "red" if failed else "green"
    lines.append(f"  {word('file_gate', lang, fail_on=info.fail_on)}{_colon(lang)}" + style(verdict, fg=colour, bold=True))
    return "\n".join(lines)


def _finding_lines(findings: tuple[Finding, ...], lang: str, style: Style) -> list[str]:
    lines = []
    for finding in findings:
        where = _where(finding, lang)
        if finding.waiver is not None:
            tag = style(pad(word("waived_tag", lang), 7), fg="blue")
        else:
            tag = style(pad(word(finding.severity, lang), 7), fg=_SEVERITY_COLOUR[finding.severity])
        title = "" if finding.kind == "declaration" else f"  {shown(finding.title(lang))}"
        article = f"  [{shown(finding.article(lang))}]" if finding.article else ""
        lines.append(f"    {tag} {pad(where, 9)} {shown(finding.rule_id)}{title}{article}")
        lines.append(f"            {shown(finding.message(lang))}")
        if finding.assumed:
            unknown = [f.path for f in finding.facts if f.unknown]
            lines.append(f"            {word('assumed', lang)}{_colon(lang)}{shown(', '.join(unknown) or finding.fact)}")
        if finding.waiver is not None:
            waiver = finding.waiver
            lines.append(f"            {word('waived', lang, approver=shown(waiver.approver), expires=shown(waiver.expires))}"
                         f"{_colon(lang)}{shown(waiver.justification)}")
        elif finding.remedy is not None:
            lines.append(f"            {word('fix', lang)}{_colon(lang)}{shown(finding.remedy(lang))}")
    return lines


def _obligation_lines(result: FileResult, lang: str, style: Style) -> list[str]:
    counts = {status: 0 for status in ("met", "unmet", "not_applicable")}
    for status in result.obligations:
        counts[status.status] += 1
    summary = ("，" if lang == "zh" else ", ").join(f"{counts[s]} {word(s, lang)}" for s in counts)
    lines = [f"  {word('obligations', lang)} ({summary}){_colon(lang).rstrip()}"]
    for status in result.obligations:
        if status.status == "not_applicable":
            continue
        colour = "green" if status.status == "met" else "red" if status.mandatory else "yellow"
        tag = style(pad(word(status.status, lang), 7), fg=colour)
        lines.append(f"    {tag} {shown(status.id)}  {shown(status.title(lang))}  [{shown(status.article(lang))}]")
    return lines


def _summary(tally: Tally, info: RunInfo, lang: str, style: Style) -> str:
    counts = tally.as_dict()
    result = word("gate_failed", lang) if tally.gate_failed else word("gate_passed", lang)
    gate = word("gate_summary", lang, result=result, failed=counts["failed"], files=counts["files"], fail_on=info.fail_on)
    colour = "red" if tally.gate_failed else "green"
    summary = word("summary", lang, **counts)
    if tally.waived:
        summary += word("waived_count", lang, waived=tally.waived)
    return summary + "\n" + style(gate, fg=colour, bold=True)


def _where(finding: Finding, lang: str) -> str:
    if finding.line is None:
        return ""
    column = f":{finding.column}" if finding.column else ""
    return f"{word('line', lang)} {finding.line}{column}"


def _level_tag(level: str, lang: str) -> str:
    return word(level, lang).lower() if lang == "en" else word(level, lang)


def _fact(fact: FactRef, lang: str) -> str:
    where = f" ({word('line', lang)} {fact.line})" if fact.line else ""
    return f"{shown(fact.path)} = {_value(fact.value, lang)}{where}"


def _value(value: Any, lang: str) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if value == "unknown":
        return word("unknown_value", lang) if lang == "zh" else "unknown"
    if isinstance(value, list):
        return "[" + ", ".join(_value(item, lang) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{shown(k)}: {_value(v, lang)}" for k, v in value.items() if k != "purpose") + "}"
    return shown(value)
