"""Interface words in English and Chinese. Rule texts carry their own translations."""

from __future__ import annotations

LANGUAGES = ("en", "zh")

_WORDS: dict[str, tuple[str, str]] = {
    "high": ("HIGH", "高"),
    "medium": ("MEDIUM", "中"),
    "low": ("LOW", "低"),
    "raise": ("raise", "上调"),
    "risk": ("Risk", "风险等级"),
    "invalid": ("INVALID", "无效"),
    "invalid_note": ("the declaration cannot be graded until these are fixed", "修正以下问题后方可评定等级"),
    "why": ("Why", "依据"),
    "assumed": ("assumed: a fact it needs is unknown", "推定：所需事实为 unknown"),
    "drivers": ("Facts that drove the grade", "决定等级的事实"),
    "lowering": ("Would lower to {to}", "可降为{to}"),
    "no_lowering": ("No change the product team can make lowers the grade", "产品团队可作的调整均不能降低等级"),
    "state_unknown": ("The grade takes the risky answer for facts left unknown; stating them may lower it",
                      "等级对未申报（unknown）的事实按不利情形推定；如实申报后等级可能降低"),
    "outside_control": ("Outside the product's control", "产品自身无法改变的因素"),
    "findings": ("Findings", "问题"),
    "no_findings": ("Findings: none", "问题：无"),
    "obligations": ("Obligations", "义务"),
    "met": ("met", "已履行"),
    "unmet": ("unmet", "未履行"),
    "not_applicable": ("not applicable", "不适用"),
    "error": ("error", "错误"),
    "warning": ("warning", "警告"),
    "info": ("info", "提示"),
    "line": ("line", "行"),
    "fix": ("fix", "处理"),
    "gate_passed": ("passed", "通过"),
    "gate_failed": ("FAILED", "未通过"),
    "file_gate": ("Gate (fail on {fail_on})", "门禁（{fail_on} 及以上即失败）"),
    "summary": (
        "{files} file(s): {high} high, {medium} medium, {low} low, {invalid} invalid; "
        "{error} error(s), {warning} warning(s), {info} info",
        "共 {files} 个文件：高风险 {high}，中风险 {medium}，低风险 {low}，无效 {invalid}；"
        "错误 {error}，警告 {warning}，提示 {info}",
    ),
    "gate_summary": ("Gate: {result} ({failed} of {files} file(s) fail at {fail_on} or above)",
                     "门禁：{result}（{failed}/{files} 个文件存在 {fail_on} 及以上问题）"),
    "unknown_value": ("unknown", "未知"),
    "waived": ("waived by {approver} until {expires}", "已豁免（{approver}批准，有效期至 {expires}）"),
    "waived_tag": ("waived", "已豁免"),
    "waived_count": ("; {waived} waived", "；已豁免 {waived}"),
}


def word(key: str, lang: str, **values: object) -> str:
    en, zh = _WORDS[key]
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text
