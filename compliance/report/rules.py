"""`aicomply rules` and `aicomply explain`: the rule pack shown to people (and as JSON)."""

from __future__ import annotations

import json

from compliance.escape import shown
from compliance.models.rules import Rule, RulePack

_KIND = {"grade": ("grade", "分级"), "prohibited": ("prohibited", "禁止行为"),
         "indicator": ("indicator", "风险提示"), "obligation": ("obligation", "义务")}
_SEVERITY = {"error": ("error", "错误"), "warning": ("warning", "警告"), "info": ("info", "提示")}
_LABELS = {
    "pack": ("Rule pack", "规则包"),
    "rules": ("rules", "条规则"),
    "kind": ("Kind", "类型"),
    "severity": ("Severity", "严重程度"),
    "level": ("Gives grade", "对应等级"),
    "mandatory": ("Mandatory", "强制"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "cites": ("Cites", "依据"),
    "rationale": ("Rationale", "理由"),
    "message": ("Finding", "问题描述"),
    "reason": ("Reason given", "分级理由"),
    "high": ("high", "高"),
    "medium": ("medium", "中"),
    "raise": ("one level up", "上调一级"),
    "remedy": ("What to do", "处理建议"),
    "when": ("Fires when", "触发条件"),
    "applies": ("Applies when", "适用条件"),
    "applies_always": ("Applies to every product", "适用于所有产品"),
    "met": ("Met when", "履行条件"),
    "examples": ("Examples (over the pack's baseline declaration)", "示例（在规则包基准申报之上修改）"),
    "fail": ("fires", "触发"),
    "pass": ("does not fire", "不触发"),
    "fail_obligation": ("unmet", "未履行"),
    "pass_obligation": ("met or not applicable", "已履行或不适用"),
    "unknown_note": ("Unknown facts count as the risky answer: fail closed.", "未知事实按不利情形处理，从严"),
    "document": ("Document", "文书"),
}


def _t(table: dict, key: str, lang: str) -> str:
    en, zh = table[key]
    return zh if lang == "zh" else en


def render_rules(pack: RulePack, lang: str = "en", fmt: str = "text") -> str:
    if fmt == "json":
        rows = [
            {"id": r.id, "kind": r.kind, "family": r.family, "severity": r.severity, "level": r.level,
             "mandatory": r.mandatory if r.kind == "obligation" else None,
             "article": r.article(lang), "title": r.title(lang)}
            for r in pack.rules
        ]
        payload = {"rule_pack": {"id": pack.id, "version": pack.version}, "rules": rows}
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    from compliance.report.text import pad

    width = max(len(rule.id) for rule in pack.rules)
    colon = "：" if lang == "zh" else ": "
    lines = [f"{_t(_LABELS, 'pack', lang)}{colon}{pack.id} {pack.version} ({pack.title(lang)}), "
             f"{len(pack.rules)} {_t(_LABELS, 'rules', lang)}", ""]
    for rule in pack.rules:
        kind = _t(_KIND, rule.kind, lang)
        if rule.kind == "grade":
            kind += f":{_t(_LABELS, rule.level, lang)}"
        lines.append(f"{rule.id:<{width}}  {pad(kind, 16)} {pad(_t(_SEVERITY, rule.severity, lang), 8)} "
                     f"{pad(rule.article(lang), 26)} {rule.title(lang)}")
    return _text(lines)


def render_explain(rule: Rule, pack: RulePack, lang: str = "en") -> str:
    colon = "：" if lang == "zh" else ": "

    def label(key: str) -> str:
        return _t(_LABELS, key, lang)

    lines = [f"{rule.id}: {rule.title(lang)}", ""]
    kind = _t(_KIND, rule.kind, lang)
    lines.append(f"{label('kind')}{colon}{kind}    {label('severity')}{colon}{_t(_SEVERITY, rule.severity, lang)}")
    if rule.kind == "grade":
        lines.append(f"{label('level')}{colon}{label(rule.level)}")
    if rule.kind == "obligation":
        lines.append(f"{label('mandatory')}{colon}{label('yes') if rule.mandatory else label('no')}")
        if rule.document:
            lines.append(f"{label('document')}{colon}{rule.document}")
    lines.append(f"{label('cites')}{colon.rstrip()}")
    lines.extend(f"  - {citation(lang)}" for citation in rule.citations)
    lines += ["", f"{label('rationale')}{colon.rstrip()}", f"  {rule.rationale(lang)}", "",
              f"{label('reason' if rule.kind == 'grade' else 'message')}{colon.rstrip()}", f"  {rule.message(lang)}"]
    if rule.remedy is not None:
        lines += ["", f"{label('remedy')}{colon.rstrip()}", f"  {rule.remedy(lang)}"]
    lines.append("")
    if rule.kind == "obligation":
        if rule.applies_when is None:
            lines.append(f"{label('applies_always')}")
        else:
            lines.append(f"{label('applies')}{colon.rstrip()}")
            lines.extend(rule.applies_when.describe(lang, "  "))
        lines.append(f"{label('met')}{colon.rstrip()}")
        lines.extend(rule.met_when.describe(lang, "  "))
    else:
        lines.append(f"{label('when')}{colon.rstrip()}")
        lines.extend(rule.when.describe(lang, "  "))
    note = f"（{label('unknown_note')}）" if lang == "zh" else f"({label('unknown_note')})"
    lines += [f"  {note}", "", f"{label('examples')}{colon.rstrip()}"]
    suffix = "_obligation" if rule.kind == "obligation" else ""
    for outcome in ("fail", "pass"):
        for example in rule.examples[outcome]:
            example_text = json.dumps(example, ensure_ascii=False) if example else "{}"
            lines.append(f"  {label(outcome + suffix)}{colon}{example_text}")
    return _text(lines)


def _text(lines: list[str]) -> str:
    """Rule packs are files too (an organisation's own): what they say is shown escaped."""
    return "\n".join(shown(line) for line in lines) + "\n"
