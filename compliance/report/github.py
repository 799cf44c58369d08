"""GitHub Actions: workflow-command annotations, and a Markdown table for $GITHUB_STEP_SUMMARY.

GitHub shows only a few annotations per step, so the summary carries every finding.
"""

from __future__ import annotations

from compliance.escape import markdown_text, shown
from compliance.i18n import word
from compliance.models.result import FileResult, Finding, RunInfo, Tally

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    """Escape a workflow command's message (GitHub's rules for the part after ::); the other control
    characters are shown as escapes, since the log viewer obeys terminal escapes."""
    return shown(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _property(text: str) -> str:
    """Escape a workflow command property value (file=, title=)."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter:
    """`::error file=…,line=…,title=…::message` per finding; waived findings are left out."""

    def __init__(self, info: RunInfo, lang: str = "en") -> None:
        self.lang = lang

    def begin(self) -> str:
        return ""

    def result(self, result: FileResult, failed: bool) -> str:
        lines = []
        for finding in result.findings:
            if finding.waiver is not None:
                continue
            props = [f"file={_property(result.path)}"]
            if finding.line is not None:
                props.append(f"line={finding.line}")
                if finding.column is not None:
                    props.append(f"col={finding.column}")
            title = f"{finding.rule_id} {finding.title(self.lang)}"
            props.append(f"title={_property(title)}")
            article = f" [{finding.article(self.lang)}]" if finding.article else ""
            lines.append(f"::{_COMMAND[finding.severity]} {','.join(props)}::{_data(finding.message(self.lang) + article)}\n")
        return "".join(lines)

    def end(self, tally: Tally) -> str:
        return ""


def _cell(text: str) -> str:
    """A table cell of the step summary: literal text, never emphasis, a link, an image or HTML."""
    return markdown_text(text)


class MarkdownReporter:
    """One table, a row per finding (a row per file without findings), then the summary."""

    def __init__(self, info: RunInfo, lang: str = "en") -> None:
        self.info = info
        self.lang = lang

    def begin(self) -> str:
        zh = self.lang == "zh"
        packs = _cell(", ".join(f"{pack_id} {version}" for pack_id, version in self.info.packs))
        heading = f"## aicomply {self.info.tool_version} ({packs})\n\n"
        header = ("| 文件 | 产品 | 风险等级 | 门禁 | 严重程度 | 行 | 规则 | 条款 | 问题 |" if zh else
                  "| File | Product | Risk | Gate | Severity | Line | Rule | Article | Finding |")
        return heading + header + "\n|---|---|---|---|---|---|---|---|---|\n"

    def result(self, result: FileResult, failed: bool) -> str:
        lang = self.lang
        grade = word(result.risk_level, lang) if result.risk_level else (word("invalid", lang) if not result.valid else "")
        gate = word("gate_failed", lang) if failed else word("gate_passed", lang)
        head = [_cell(result.path), _cell(result.product_id or ""), grade, gate]
        if not result.findings:
            return "| " + " | ".join(head + ["", "", "", "", "—"]) + " |\n"
        rows = []
        for index, finding in enumerate(result.findings):
            cells = head if index == 0 else ["", "", "", ""]
            rows.append("| " + " | ".join(cells + _finding_cells(finding, lang)) + " |\n")
        return "".join(rows)

    def end(self, tally: Tally) -> str:
        counts = tally.as_dict()
        summary = word("summary", self.lang, **counts)
        if tally.waived:
            summary += word("waived_count", self.lang, waived=tally.waived)
        result = word("gate_failed", self.lang) if tally.gate_failed else word("gate_passed", self.lang)
        gate = word("gate_summary", self.lang, result=result, failed=counts["failed"], files=counts["files"],
                    fail_on=self.info.fail_on)
        return f"\n{summary}\n\n**{gate}**\n"


def _finding_cells(finding: Finding, lang: str) -> list[str]:
    severity = word("waived_tag", lang) if finding.waiver is not None else word(finding.severity, lang)
    article = finding.article(lang) if finding.article else ""
    return [severity, str(finding.line or ""), f"`{finding.rule_id}`", _cell(article), _cell(finding.message(lang))]
