"""`aicomply rules` and `aicomply explain`: the rule pack shown to people (and as JSON): the rules,
one rule with its citations and what each was checked against, the grading principles, and the
citations not yet verified against a text."""

from __future__ import annotations

import json

from compliance.escape import shown
from compliance.models.rules import Citation, RemovedRule, Rule, RulePack

_KIND = {"grade": ("grade", "分级"), "prohibited": ("prohibited", "禁止行为"),
         "indicator": ("indicator", "风险提示"), "obligation": ("obligation", "义务")}
_SEVERITY = {"error": ("error", "错误"), "warning": ("warning", "警告"), "info": ("info", "提示")}
_LABELS = {
    "pack": ("Rule pack", "规则包"),
    "rules": ("rules", "条规则"),
    "kind": ("Kind", "类型"),
    "severity": ("Severity", "严重程度"),
    "level": ("Gives grade", "对应等级"),
    "floor": ("Raised by scale or a special group: no (a floor: the level rests on the data handled, publicity or pricing)",
              "是否因规模或特殊群体上调：否（下限：该等级仅基于所处理数据、公开传播属性或定价）"),
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
    "reading": ("A reading, not the words of an article", "属于解读，并非条文原文"),
    "principle": ("Grading principle", "分级原则"),
    "checked": ("checked against", "核对文本"),
    "unchecked": ("not verified against an official text", "未经官方文本核对"),
    "principles": ("Grading principles of {pack} {version}", "{pack} {version} 的分级原则"),
    "principles_tail": ("`aicomply explain RULE-ID` shows one rule; `aicomply rules` lists them all.",
                        "`aicomply explain 规则编号` 显示单条规则；`aicomply rules` 列出全部规则。"),
    "applied_by": ("Applied by", "适用规则"),
    "removed": ("Removed in {version}", "已于 {version} 版移除"),
    "replaced_by": ("Replaced by", "由以下规则取代"),
    "tool_rule": ("aicomply's own check (of the declaration or of waivers), not a rule of a pack",
                  "aicomply 自身的检查（针对申报文件或豁免），不属于规则包"),
    "unverified": ("Citations not verified against an official text in {pack} {version}: {count}",
                   "{pack} {version} 中未经官方文本核对的引用：{count} 处"),
    "unverified_none": ("Every citation of {pack} {version} was checked against a text.",
                        "{pack} {version} 的全部引用均已核对文本。"),
}


def _t(table: dict, key: str, lang: str) -> str:
    en, zh = table[key]
    return zh if lang == "zh" else en


def render_rules(pack: RulePack, lang: str = "en", fmt: str = "text") -> str:
    if fmt == "json":
        rows = [
            {"id": r.id, "kind": r.kind, "family": r.family, "severity": r.severity, "level": r.level,
             "mandatory": r.mandatory if r.kind == "obligation" else None,
             "article": r.article(lang), "title": r.title(lang), "principle": r.principle,
             "reading": r.reading(lang) if r.reading else None,
             "raisable": r.raisable if r.kind == "grade" and r.level != "raise" else None}
            for r in pack.rules
        ]
        removed = [{"id": r.id, "removed_in": r.removed_in, "replaced_by": list(r.replaced_by), "reason": r.reason(lang)}
                   for r in pack.removed]
        payload = {"rule_pack": {"id": pack.id, "version": pack.version}, "rules": rows, "removed": removed}
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
        if not rule.raisable:
            lines.append(label("floor"))
    if rule.kind == "obligation":
        lines.append(f"{label('mandatory')}{colon}{label('yes') if rule.mandatory else label('no')}")
        if rule.document:
            lines.append(f"{label('document')}{colon}{rule.document}")
    if rule.principle is not None:
        principle = pack.principle(rule.principle)
        lines.append(f"{label('principle')}{colon}{principle.title(lang) if principle else rule.principle}")
    lines.append(f"{label('cites')}{colon.rstrip()}")
    lines.extend(f"  - {shown(lang)} ({_checked(cite, lang)})" for shown, cite in zip(rule.citations, rule.cites))
    lines += ["", f"{label('rationale')}{colon.rstrip()}", f"  {rule.rationale(lang)}"]
    if rule.reading is not None:
        lines += ["", f"{label('reading')}{colon.rstrip()}", f"  {rule.reading(lang)}"]
    lines += ["",
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


def _checked(cite: Citation, lang: str) -> str:
    if cite.checked is None:
        return _t(_LABELS, "unchecked", lang)
    return f"{_t(_LABELS, 'checked', lang)} {cite.checked}"


def render_removed(gone: RemovedRule, pack: RulePack, lang: str = "en") -> str:
    colon = "：" if lang == "zh" else ": "
    lines = [f"{gone.id}: {_t(_LABELS, 'removed', lang).format(version=gone.removed_in)} ({pack.id})", "",
             f"  {gone.reason(lang)}"]
    if gone.replaced_by:
        lines += ["", f"{_t(_LABELS, 'replaced_by', lang)}{colon}{', '.join(gone.replaced_by)}"]
    return _text(lines)


def render_tool_rule(rule, lang: str = "en") -> str:
    """One of aicomply's own rules (DECL-*, WAIVER-*): what it checks and what to do."""
    colon = "：" if lang == "zh" else ": "

    def label(key: str) -> str:
        return _t(_LABELS, key, lang)

    lines = [f"{rule.id}: {rule.title(lang)}", "", label("tool_rule"),
             f"{label('severity')}{colon}{_t(_SEVERITY, rule.severity, lang)}",
             "", f"{label('rationale')}{colon.rstrip()}", f"  {rule.rationale(lang)}",
             "", f"{label('remedy')}{colon.rstrip()}", f"  {rule.remedy(lang)}"]
    return _text(lines)


def render_principles(pack: RulePack, lang: str = "en") -> str:
    """The grading principles, each with the grading rules that apply it."""
    colon = "：" if lang == "zh" else ": "
    lines = [_t(_LABELS, "principles", lang).format(pack=pack.id, version=pack.version), ""]
    grading = pack.of_kind("grade")
    for number, principle in enumerate(pack.principles, 1):
        level = f" [{_t(_LABELS, principle.level, lang)}]" if principle.level in ("high", "medium", "raise") else ""
        lines.append(f"{number}. {principle.title(lang)}{level}")
        lines.append(f"   {principle.text(lang)}")
        applied = [rule.id for rule in grading if rule.principle == principle.id]
        if applied:
            lines.append(f"   {_t(_LABELS, 'applied_by', lang)}{colon}{', '.join(applied)}")
        lines.append("")
    lines.append(_t(_LABELS, "principles_tail", lang))
    return _text(lines)


def render_unverified(pack: RulePack, lang: str = "en", fmt: str = "text") -> str:
    """Every citation not checked against a text, by rule, and why (the source's note)."""
    rows = pack.unverified()
    if fmt == "json":
        payload = {"rule_pack": {"id": pack.id, "version": pack.version},
                   "unverified": [{"rule": rule.id, "source": cite.source, "citation": cite.render(lang, pack.sources),
                                   "status": pack.sources[cite.source].status,
                                   "note": pack.sources[cite.source].note} for rule, cite in rows]}
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    if not rows:
        return _t(_LABELS, "unverified_none", lang).format(pack=pack.id, version=pack.version) + "\n"
    lines = [_t(_LABELS, "unverified", lang).format(pack=pack.id, version=pack.version, count=len(rows)), ""]
    width = max(len(rule.id) for rule, _ in rows)
    for rule, cite in rows:
        lines.append(f"{rule.id:<{width}}  {cite.render(lang, pack.sources)}")
    notes = {cite.source: pack.sources[cite.source] for _, cite in rows}
    lines.append("")
    for key, source in notes.items():
        lines.append(f"{key}: {source.title(lang)} ({source.status}){'; ' + source.note if source.note else ''}")
    return _text(lines)
