"""Text (English or Chinese) and JSON for the register commands: verify, history, diff, recheck,
due, incident list. They only read the plain data the other modules produce."""

from __future__ import annotations

import json
from datetime import timezone, tzinfo
from typing import Any

from compliance.escape import shown
from compliance.models.rules import Text
from compliance.register.clock import local_time
from compliance.register.diff import Diff, is_absent
from compliance.register.timeline import Due

_GRADE = {"high": Text("HIGH", "高风险"), "medium": Text("MEDIUM", "中风险"), "low": Text("LOW", "低风险"),
          None: Text("INVALID", "申报无效")}
_CHANGE = {"first": Text("first check", "首次检查"), "repeat": Text("no change", "无变化"), "raised": Text("raised from {old}", "由{old}上调"),
           "lowered": Text("lowered from {old}", "由{old}下调"), "same": Text("", ""),
           "invalid": Text("declaration invalid", "申报无效"), "unchanged": Text("unchanged", "未变"),
           "fixed": Text("valid again", "恢复有效")}
_KIND = {"check": Text("check", "检查"), "document": Text("document", "文件"), "incident": Text("incident", "事件"),
         "review": Text("review", "复核")}
_DUE_KIND = {"review": Text("review", "复核"), "review_interval": Text("review interval", "复核周期"),
             "waiver": Text("waiver", "豁免"), "document": Text("document", "文件"), "check": Text("check", "检查"),
             "record": Text("record", "记录")}
_STATE = {"overdue": Text("OVERDUE", "已逾期"), "upcoming": Text("upcoming", "即将到期")}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n"


def _lines(out: list[str]) -> str:
    """The lines of a text view; what they quote from records is escaped (no control characters)."""
    return "\n".join(shown(line) for line in out) + "\n"


def grade(level: str | None, lang: str) -> str:
    return _GRADE[level](lang)


# ---------------------------------------------------------------------------- verify

def verify_text(verdict, path: str, lang: str) -> str:
    path = shown(path)
    if verdict.ok:
        return (f"{path}: 共 {verdict.count} 条记录，哈希链完整；链首哈希 {verdict.head}\n" if lang == "zh" else
                f"{path}: {_records(verdict.count)}, chain intact; head {verdict.head}\n")
    problem = shown(verdict.problem)
    before = {0: "no record comes before it", 1: "the record before it is intact"}.get(
        verdict.count, f"the {verdict.count:,} records before it are intact")
    return (f"{path}: 第 {verdict.broken_at} 条记录未通过校验：{problem}；此前 {verdict.count} 条完好\n"
            if lang == "zh" else
            f"{path}: record {verdict.broken_at} does not verify: {problem}; {before}\n")


def _records(count: int) -> str:
    return "1 record" if count == 1 else f"{count:,} records"


def anchor_text(anchor: str, seq: int | None, lang: str) -> str:
    if seq is not None:
        return (f"锚定的链首 {anchor} 是第 {seq} 条记录，仍在链中\n" if lang == "zh" else
                f"anchored head {anchor} is record {seq}, still in the chain\n")
    return (f"锚定的链首 {anchor} 不在已校验的链中：链被重建，或该哈希属于另一登记簿\n" if lang == "zh" else
            f"anchored head {anchor} is not in the verified chain: the chain was rebuilt, or the hash is from "
            "another register\n")


# --------------------------------------------------------------------------- history

def history_text(product: str, events: list[dict], lang: str, tz: tzinfo = timezone.utc) -> str:
    """Times where the reader is (tz); the JSON form keeps the records' UTC times."""
    zh = lang == "zh"
    out = [f"{product} 的记录" if zh else f"History of {product}"]
    for event in events:
        out.append(f"  {local_time(event['at'], tz)}  #{event['seq']:<5} {_KIND[event['kind']](lang):<8} "
                   f"{_event_text(event, lang)}")
    return _lines(out)


def _event_text(event: dict, lang: str) -> str:
    zh = lang == "zh"
    kind = event["kind"]
    if kind == "check":
        change = _CHANGE[event["change"]](lang).format(old=grade(event["previous_grade"], lang))
        counts = (f"{event['errors']} 个错误，{event['warnings']} 个警告" if zh else
                  f"{_plural(event['errors'], 'error')}, {_plural(event['warnings'], 'warning')}")
        packs = ", ".join(f"{p} {v}" for p, v in event["packs"])
        via = {"recheck": " (recheck)" if not zh else "（重新评估）"}.get(event["source"], "")
        version = f" v{event['version']}" if event.get("version") else ""
        return (f"{grade(event['grade'], lang)}{f' ({change})' if change and not zh else f'（{change}）' if change else ''}"
                f"  {counts}{version}  {packs}{via}")
    if kind == "document":
        return f"{event['document']} ({event['lang'] or 'json'}) -> {event['path']}"
    if kind == "incident":
        occurred = f"发生于 {event['occurred']}" if zh else f"occurred {event['occurred']}"
        return f"{event['severity'].upper()}: {event['summary']} ({occurred})"
    next_due = event.get("next_due")
    if zh:
        return f"{event['date']} 由 {event['reviewer']} 复核：{event['outcome']}" + (f"；下次 {next_due}" if next_due else "")
    return f"{event['date']} by {event['reviewer']}: {event['outcome']}" + (f"; next due {next_due}" if next_due else "")


# ------------------------------------------------------------------------------ diff

def diff_text(change: Diff, lang: str) -> str:
    zh = lang == "zh"
    old, new = change.old, change.new
    before, after = old.result["risk_level"], new.result["risk_level"]
    out = [f"{old.label} -> {new.label}"]
    word = _CHANGE[change.grade](lang).format(old=grade(before, lang)) or _CHANGE["unchanged"](lang)
    out.append(f"  {'风险等级' if zh else 'Grade'}: {grade(before, lang)} -> {grade(after, lang)} ({word})")
    if change.rules_changed:
        out.append(f"  {'规则包' if zh else 'Rule packs'}: {_packs(old)} -> {_packs(new)}")
    for label, reasons in (((Text("New reasons", "新增理由")), change.reasons_added),
                           ((Text("Reasons gone", "不再适用的理由")), change.reasons_removed)):
        out += [f"  {label(lang)}: {r['rule_id']} [{r['level']}] {r['title']} ({r['article']})" for r in reasons]
    if change.facts:
        out.append(f"  {'导致变化的申报事实' if zh else 'Declared facts behind it'}:")
        out += [f"    {path}: {_show(a)} -> {_show(b)}" for path, a, b in change.facts]
    if change.other_facts:
        out.append(f"  {'其他变更的申报值' if zh else 'Other declared values changed'}: {change.other_facts}")
    for label, findings in ((Text("Findings added", "新增发现"), change.findings_added),
                            (Text("Findings cleared", "已消除的发现"), change.findings_cleared)):
        out += [f"  {label(lang)}: {f['severity']} {f['rule_id']} {f['title']}"
                f"{' (waived)' if f.get('waiver') and not zh else '（已豁免）' if f.get('waiver') else ''}"
                for f in findings]
    for label, obligations in ((Text("Obligations now due", "新增应履行义务"), change.obligations_due),
                               (Text("Obligations met or no longer due", "已履行或不再适用的义务"), change.obligations_met)):
        out += [f"  {label(lang)}: {o['id']} {o['title']} ({was} -> {o['status']})" for o, was in obligations]
    if not change.changed:
        out.append("  无变化" if zh else "  No change in grade, findings or obligations")
    if change.demands_reassessment:
        out.append("  " + _REVIEW_DUE[review_due(change)][1 if zh else 0])
    return _lines(out)


# Art. 66 para. 2: a high-risk product is assessed before use; a low- or medium-risk one is
# disclosed before use and tracked after. A change that calls for action calls for that grade's.
_REVIEW_DUE = {
    "ex_ante_assessment": ("A new ex-ante assessment is due (Art. 66 para. 2)", "需要重新进行事前评估（第六十六条第二款）"),
    "disclosure_and_tracking": ("The ex-ante disclosure and the tracking plan need review (Art. 66 para. 2)",
                                "需要重新审查事前披露和事后跟踪计划（第六十六条第二款）"),
    "declaration": ("The declaration must be fixed before the product's Art. 66 documents can be reviewed",
                    "须先修正申报文件，方可审查第六十六条所要求的文件"),
}


def review_due(change: Diff) -> str | None:
    """Which Art. 66 document a change calls for, by the grade after it; None when none."""
    if not change.demands_reassessment:
        return None
    level = change.new.result["risk_level"]
    if level is None:
        return "declaration"
    return "ex_ante_assessment" if level == "high" else "disclosure_and_tracking"


def _packs(side) -> str:
    return ", ".join(f"{pack} {version}" for pack, version in side.packs)


def _show(value: Any) -> str:
    if is_absent(value):
        return "(not stated)"
    return json.dumps(value, ensure_ascii=False)


def diff_json(change: Diff) -> dict:
    return {
        "old": {"label": change.old.label, "risk_level": change.old.result["risk_level"],
                "packs": [list(p) for p in change.old.packs]},
        "new": {"label": change.new.label, "risk_level": change.new.result["risk_level"],
                "packs": [list(p) for p in change.new.packs]},
        "grade": change.grade,
        "reasons_added": [r["rule_id"] for r in change.reasons_added],
        "reasons_removed": [r["rule_id"] for r in change.reasons_removed],
        "facts": [{"path": p, "old": None if is_absent(a) else a, "new": None if is_absent(b) else b,
                   "stated": [not is_absent(a), not is_absent(b)]} for p, a, b in change.facts],
        "other_facts_changed": change.other_facts,
        "findings_added": [{"rule_id": f["rule_id"], "severity": f["severity"], "fact": f.get("fact"),
                            "waived": f.get("waiver") is not None} for f in change.findings_added],
        "findings_cleared": [{"rule_id": f["rule_id"], "severity": f["severity"], "fact": f.get("fact")}
                             for f in change.findings_cleared],
        "obligations_due": [{"id": o["id"], "from": was, "to": o["status"]} for o, was in change.obligations_due],
        "obligations_met": [{"id": o["id"], "from": was, "to": o["status"]} for o, was in change.obligations_met],
        "changed": change.changed,
        "reassessment_due": change.demands_reassessment,
        "review_due": review_due(change),
    }


# --------------------------------------------------------------------------- recheck

def recheck_text(items: list, lang: str) -> str:
    zh = lang == "zh"
    changed = [item for item in items if item.diff.changed]
    head = (f"按现行规则重新评估 {len(items)} 个产品：{len(changed)} 个有变化" if zh else
            f"Re-evaluated {len(items)} products against the rules in force: {len(changed)} changed")
    out = [head]
    for item in changed:
        stored = f" (recorded as #{item.recorded})" if item.recorded and not zh else (
            f"（已记录为 #{item.recorded}）" if item.recorded else "")
        out += ["", f"{item.product} (#{item.seq}){stored}"]
        out += ["  " + line for line in diff_text(item.diff, lang).split("\n")[1:-1]]
        for rule in item.removed:  # why a reason or finding went: the rule pack removed its rule
            replaced = "、".join(rule.replaced_by) if zh else ", ".join(rule.replaced_by)
            out.append(f"    {rule.id} 已于 {rule.removed_in} 版移除" + (f"，由 {replaced} 取代" if replaced else "") +
                       f"：{rule.reason(lang)}" if zh else
                       f"    {rule.id} removed in {rule.removed_in}" + (f", replaced by {replaced}" if replaced else "") +
                       f": {rule.reason(lang)}")
    return _lines(out)


def recheck_json(items: list) -> dict:
    return {"products": len(items),
            "changed": [dict(diff_json(i.diff), product=i.product, seq=i.seq, recorded=i.recorded,
                             removed_rules=[{"id": r.id, "removed_in": r.removed_in, "replaced_by": list(r.replaced_by),
                                             "reason": {"en": r.reason.en, "zh": r.reason.zh}} for r in i.removed])
                        for i in items if i.diff.changed]}


# ------------------------------------------------------------------------------- due

def due_text(items: list[Due], on, within: int, lang: str) -> str:
    zh = lang == "zh"
    if not items:
        return (f"截至 {on}（含未来 {within} 天）无到期事项\n" if zh else
                f"Nothing due by {on} or in the {within} days after\n")
    out = [f"到期事项：{on}（含未来 {within} 天）" if zh else f"Due as of {on} (and the {within} days after)"]
    for item in items:
        when = item.due.isoformat() if item.due else ("现在" if zh else "now")
        out.append(f"  {_STATE[item.state](lang):<9} {when:<10}  {item.product}  {_DUE_KIND[item.kind](lang)}: "
                   f"{item.detail_zh if zh else item.detail}")
    return _lines(out)


def due_json(items: list[Due], on, within: int) -> dict:
    return {"date": on.isoformat(), "within_days": within,
            "items": [{"product": i.product, "kind": i.kind, "due": i.due.isoformat() if i.due else None,
                       "state": i.state, "detail": {"en": i.detail, "zh": i.detail_zh}} for i in items]}


# --------------------------------------------------------------------------- incidents

def incidents_text(records: list, lang: str) -> str:
    zh = lang == "zh"
    if not records:
        return "无事件记录\n" if zh else "No incidents recorded\n"
    out = []
    for record in records:
        body = record.data()
        out.append(f"#{record.seq:<5} {body['occurred']}  {record.product}  {body['severity'].upper():<8} {body['summary']}")
        if body.get("details"):
            out.append(f"       {body['details']}")
    return _lines(out)


def incidents_json(records: list) -> list[dict]:
    return [dict(record.data(), seq=record.seq, product=record.product, recorded_at=record.at) for record in records]
