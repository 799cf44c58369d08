"""`aicomply incentives` output: text for people, JSON for programs, Markdown for finance memos.

All three read the same Estimates and say the same things, document by document and clause by
clause: every clause appears, with its estimates or the reason it is not estimated, who may claim
it, and its programme budget or quota. Amounts are printed from Decimal, never through a float.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from compliance.escape import markdown_text, shown
from compliance.incentives.engine import (
    CompiledDocument,
    Estimate,
    Estimates,
    Total,
    Validity,
    who_text,
    yuan,
)
from compliance.models.rules import Text

FORMATS = ("text", "json", "markdown")
REPORT_FORMAT = "aicomply-incentive-estimate/v2"

STATUS = {
    "eligible": Text("eligible", "符合条件"),
    "needs_information": Text("needs information", "需补充信息"),
    "not_eligible": Text("not eligible", "不符合条件"),
}
_L = {
    "title": Text("Incentive estimate", "奖补测算"),
    "evaluated": Text("evaluated on", "评估日期"),
    "upto": Text("Every amount is the most the text allows, in yuan; the responsible unit decides the grant.",
                 "金额均为政策文本允许的上限（人民币元），实际以主管部门审定为准。"),
    "met": Text("met", "已满足"),
    "unmet": Text("not met", "未满足"),
    "missing": Text("missing", "待补充"),
    "note": Text("note", "说明"),
    "applicant": Text("the applicant", "申报主体"),
    "spend": Text("spend", "支出"),
    "model": Text("model", "模型"),
    "recommended": Text("recommended", "建议申报"),
    "not_counted": Text("not counted", "不计入"),
    "total": Text("Total", "合计"),
    "eligible_total": Text("eligible", "符合条件"),
    "possible_total": Text("including those that need information", "含需补充信息项"),
    "combination": Text("Combination rule", "叠加规则"),
    "budget_rule": Text("Budget", "预算"),
    "reading": Text("Reading", "理解"),
    "clause": Text("clause", "条款"),
    "summary": Text("Summary", "汇总"),
    "measure": Text("Measure", "措施"),
    "status": Text("Status", "结论"),
    "amount": Text("Up to (yuan)", "上限（元）"),
    "subject_budget": Text("subject to the programme's budget or quota", "以项目年度预算或名额为限"),
    "not_estimated": Text("not estimated", "未测算"),
    "who": Text("who may claim", "申报主体"),
    "unofficial": Text("our translation: the source gives no title", "译名：所据文本未载标题，非官方标题"),
    "up_to_only": Text("not estimated (set by the responsible unit)", "未测算（由主管部门确定）"),
    "set_by_unit": Text("Not counted, set by the responsible unit", "不计入，由主管部门确定金额"),
    "max": Text("max", "最高"),
    "item": Text("Spend or model", "支出或模型"),
    "why": Text("why", "原因"),
    "rule": Text("rule", "规则"),
    "programme": Text("no claim", "无申报事项"),
}
_NOTHING = {
    "spend": Text("no {kind} spend in the profile", "档案中没有 {kind} 类支出"),
    "model": Text("no large models in the profile", "档案中没有大模型"),
}
_STACKING = {
    "not-allowed": Text("Combining city and district support for one spend: not allowed (the conservative reading; "
                        "the texts do not say; --stacking allowed counts both)",
                        "市、区对同一支出的支持：按不可叠加测算（审慎理解；文本未明确；--stacking allowed 按可叠加测算）"),
    "allowed": Text("Combining city and district support for one spend: allowed (--stacking allowed; the texts do not "
                    "say, so ask the responsible units)",
                    "市、区对同一支出的支持：按可叠加测算（--stacking allowed；文本未明确，请向主管部门确认）"),
}
_VALIDITY = {
    "valid": Text("valid until {last} ({days} days left)", "有效期至 {last}（剩余 {days} 天）"),
    "expiring": Text("EXPIRING: last valid day {last} ({days} days left)", "即将到期：最后有效日 {last}（剩余 {days} 天）"),
    "expired": Text("EXPIRED: last valid day was {last}", "已失效：最后有效日为 {last}"),
    "not_yet": Text("not yet in force: effective {effective}", "尚未生效：{effective} 起施行"),
}
_ENTITY = {
    "enterprise": Text("an enterprise", "企业"),
    "university": Text("a university", "高等院校"),
    "research_institute": Text("a research institute", "科研机构"),
    "industry_organisation": Text("an industry organisation", "行业组织"),
    "innovation_centre": Text("an innovation centre", "创新中心"),
}


def validity_text(window: Validity, lang: str) -> str:
    return _VALIDITY[window.state](lang).format(last=window.last_day.isoformat(), days=window.days_left,
                                                effective=window.effective.isoformat())


@dataclass(frozen=True)
class Context:
    """What every format reads besides the estimates."""

    documents: tuple[CompiledDocument, ...]
    profile: dict
    notes: tuple[Text, ...] = ()  # what reading an older profile version assumed


def render(result: Estimates, context: Context, fmt: str, lang: str) -> str:
    if fmt == "json":
        return _json(result, context)
    if fmt == "markdown":
        return _markdown(result, context, lang)
    return _text(result, context, lang)


# ------------------------------------------------------------------------------ shared

def _rows(result: Estimates, measure_id: str) -> list[Estimate]:
    return [r for r in result.estimates if r.measure == measure_id]


def _nothing(measure: Any, lang: str) -> str:
    base = measure.data.get("base")
    return _NOTHING["model" if base == "large_model" else "spend"](lang).format(kind=base)


def _who(row: Estimate, lang: str) -> str:
    if row.item is None:
        return _L["applicant"](lang)
    return f"{_L['model' if row.subject == 'model' else 'spend'](lang)} {row.item}"


def _amount(row: Estimate, lang: str) -> str:
    if row.status == "not_eligible":
        return "-"
    if row.amount is None:
        return f"{_L['up_to_only'](lang)}, {_L['max'](lang)} {yuan(row.up_to)}" if row.up_to is not None else "-"
    return yuan(row.amount)


def _flag(row: Estimate, lang: str) -> str:
    if row.recommended is True:
        return f" [{_L['recommended'](lang)}]"
    if row.recommended is False:
        return f" [{_L['not_counted'](lang)}]"
    return ""


def _name(profile: dict, lang: str, markdown: bool = False) -> str:
    """The enterprise's name as the report shows it: escaped (compliance/escape.py), for Markdown too."""
    enterprise = profile["enterprise"]
    name = enterprise.get("name_zh") if lang == "zh" and enterprise.get("name_zh") else enterprise["name"]
    name = markdown_text(name) if markdown else shown(name)
    return f"{name} ({enterprise['uscc']}, {_ENTITY[enterprise['entity_type']](lang)})"


def _title(document: CompiledDocument, lang: str) -> str:
    title = Text.of(document.data["title"])(lang)
    return title if document.data.get("title_official", True) else f"{title} ({_L['unofficial'](lang)})"


def _grand(result: Estimates) -> tuple[Decimal, Decimal]:
    return (sum((t.eligible for t in result.totals), Decimal("0.00")),
            sum((t.possible for t in result.totals), Decimal("0.00")))


def _total_line(total: Total, lang: str) -> str:
    line = (f"{_L['total'](lang)} {total.year}: {_L['eligible_total'](lang)} {yuan(total.eligible)}; "
            f"{_L['possible_total'](lang)} {yuan(total.possible)}")
    return line + "".join(f" ({step(lang)})" for step in total.arithmetic)


def _clause_head(clause: dict, lang: str) -> str:
    head = f"{clause['clause']} {Text.of(clause['title'])(lang)}"
    if clause.get("budget"):
        head += f"; {_L['subject_budget'](lang)}: {Text.of(clause['budget'])(lang)}"
    return head


def _part(part: dict, entity_type: str, lang: str) -> str:
    """A part of a clause not estimated: who may claim (and whether this applicant is one), the
    amounts the text gives, and why it is not estimated; or a rule, or the authority's own programme."""
    kind = part.get("kind", "support")
    title, reason = Text.of(part["title"])(lang), Text.of(part["reason"])(lang)
    if kind != "support":
        return f"{_L[kind](lang)}: {title} ({reason})"
    mine = entity_type in part["who"]
    you = _ENTITY[entity_type](lang)
    answer = (f"{you}：{'是' if mine else '否'}") if lang == "zh" else (f"{you}: yes" if mine else f"not {you}")
    pieces = [f"{_L['not_estimated'](lang)}: {title}", f"{_L['who'](lang)}: {who_text(part['who'])(lang)} ({answer})",
              Text.of(part["amounts"])(lang), f"{_L['why'](lang)}: {reason}"]
    return "; ".join(pieces)


def _row_lines(row: Estimate, lang: str) -> list[str]:
    lines = [step(lang) for step in row.arithmetic] if row.status != "not_eligible" else []
    keys = ("unmet",) if row.status == "not_eligible" else ("unmet", "missing", "met")
    for key in keys:
        lines += [f"{_L[key](lang)}: {text(lang)}" for text in getattr(row, key)]
    lines += [f"{_L['note'](lang)}: {text(lang)}" for text in row.notes] if row.status != "not_eligible" else []
    return lines


def _set_by_unit(result: Estimates) -> list[Estimate]:
    return [r for r in result.estimates if r.up_to is not None and r.status != "not_eligible"]


def _header(result: Estimates, context: Context, lang: str) -> list[str]:
    return [_STACKING[result.stacking](lang), *(f"{_L['note'](lang)}: {note(lang)}" for note in context.notes)]


def _document_head(result: Estimates, document: CompiledDocument, lang: str) -> list[str]:
    data = document.data
    window = result.validity[document.id]
    lines = [f"{data['effective']} .. {window.last_day.isoformat()}: {validity_text(window, lang)}",
             f"{_L['combination'](lang)}: {Text.of(data['non_cumulation'])(lang)}"]
    if data.get("budget_rule"):
        lines.append(f"{_L['budget_rule'](lang)}: {Text.of(data['budget_rule'])(lang)}")
    lines += [f"{_L['reading'](lang)}: {Text.of(reading)(lang)}" for reading in data["readings"]]
    return lines


# -------------------------------------------------------------------------------- text

def _text(result: Estimates, context: Context, lang: str) -> str:
    entity_type = context.profile["enterprise"]["entity_type"]
    out = [f"{_L['title'](lang)}: {_name(context.profile, lang)}, {_L['evaluated'](lang)} {result.on.isoformat()}",
           _L["upto"](lang), *_header(result, context, lang), ""]
    for document in context.documents:
        out.append(f"{_title(document, lang)} [{document.id}]")
        out += [f"  {line}" for line in _document_head(result, document, lang)]
        for clause in document.data["clauses"]:
            out.append(f"  {_clause_head(clause, lang)}")
            for spec in clause.get("measures", ()):
                measure = next(m for m in document.measures if m.id == spec["id"])
                rows = _rows(result, measure.id)
                if not rows:
                    out.append(f"    {measure.id} {Text.of(spec['title'])(lang)}: {_nothing(measure, lang)}")
                for row in rows:
                    out.append(f"    {row.measure} {Text.of(spec['title'])(lang)} ({_L['clause'](lang)} "
                               f"{clause['clause']}), {_who(row, lang)}: {STATUS[row.status](lang)}, "
                               f"{_amount(row, lang)}{_flag(row, lang)}")
                    out += [f"        {line}" for line in _row_lines(row, lang)]
            out += [f"    {_part(part, entity_type, lang)}"
                    for part in clause.get("not_estimated", ())]
        out += [f"  {_total_line(total, lang)}" for total in result.totals if total.document == document.id]
        out.append("")
    eligible, possible = _grand(result)
    out.append(f"{_L['summary'](lang)}: {_L['eligible_total'](lang)} {yuan(eligible)}; "
               f"{_L['possible_total'](lang)} {yuan(possible)}")
    for row in _set_by_unit(result):
        out.append(f"{_L['set_by_unit'](lang)}: {row.measure}, {_who(row, lang)} ({_L['max'](lang)} {yuan(row.up_to)})")
    return _lines(out)


def _lines(out: list[str]) -> str:
    """The report's lines; what they quote from the profile is shown escaped (no control characters)."""
    return "\n".join(shown(line) for line in "\n".join(out).split("\n")) + "\n"


# -------------------------------------------------------------------------------- json

def _json(result: Estimates, context: Context) -> str:
    eligible, possible = _grand(result)
    enterprise = context.profile["enterprise"]
    body = {
        "format": REPORT_FORMAT,
        "evaluated_on": result.on.isoformat(),
        "stacking": result.stacking,
        "notes": [_bi(note) for note in context.notes],
        "enterprise": {"name": enterprise["name"], "uscc": enterprise["uscc"], "entity_type": enterprise["entity_type"]},
        "documents": [_json_document(result, document, enterprise["entity_type"]) for document in context.documents],
        "total": {"eligible": str(eligible), "possible": str(possible)},
        "set_by_unit": [{"document": r.document, "measure": r.measure, "subject": r.subject, "item": r.item,
                         "up_to": str(r.up_to)} for r in _set_by_unit(result)],
    }
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def _json_document(result: Estimates, document: CompiledDocument, entity_type: str) -> dict:
    window = result.validity[document.id]
    data = document.data
    return {
        "id": document.id,
        "program": document.program,
        "title": data["title"],
        "title_official": data.get("title_official", True),
        "validity": {"effective": window.effective.isoformat(), "last_day": window.last_day.isoformat(),
                     "state": window.state, "days_left": window.days_left},
        "non_cumulation": data["non_cumulation"],
        "budget_rule": data.get("budget_rule"),
        "readings": data["readings"],
        "clauses": [_json_clause(result, document, clause, entity_type) for clause in data["clauses"]],
        "totals": [{"year": t.year, "eligible": str(t.eligible), "possible": str(t.possible),
                    "arithmetic": [_bi(s) for s in t.arithmetic]}
                   for t in result.totals if t.document == document.id],
    }


def _json_clause(result: Estimates, document: CompiledDocument, clause: dict, entity_type: str) -> dict:
    measures = []
    for spec in clause.get("measures", ()):
        measures.append({"measure": spec["id"], "title": spec["title"], "who": spec["who"],
                         "may_claim": entity_type in spec["who"], "frequency": spec["frequency"],
                         "estimates": [_json_row(row) for row in _rows(result, spec["id"])]})
    parts = [dict(part, kind=part.get("kind", "support"),
                  may_claim=(entity_type in part["who"]) if part.get("who") else None)
             for part in clause.get("not_estimated", ())]
    return {"clause": clause["clause"], "title": clause["title"], "budget": clause.get("budget"),
            "measures": measures, "not_estimated": parts}


def _json_row(row: Estimate) -> dict:
    return {
        "subject": row.subject,
        "item": row.item,
        "year": row.year,
        "status": row.status,
        "amount": None if row.amount is None or row.status == "not_eligible" else str(row.amount),
        "up_to": None if row.up_to is None else str(row.up_to),
        "recommended": row.recommended,
        "competing": row.competing,
        "arithmetic": [_bi(t) for t in row.arithmetic],
        "met": [_bi(t) for t in row.met],
        "unmet": [_bi(t) for t in row.unmet],
        "missing": [_bi(t) for t in row.missing],
        "notes": [_bi(t) for t in row.notes],
    }


def _bi(text: Text) -> dict:
    return {"en": text.en, "zh": text.zh}


# ---------------------------------------------------------------------------- markdown

def _cell(text: str) -> str:
    return markdown_text(text)


def _markdown(result: Estimates, context: Context, lang: str) -> str:
    entity_type = context.profile["enterprise"]["entity_type"]
    out = [f"# {_L['title'](lang)}: {_name(context.profile, lang, markdown=True)}", "",
           f"{_L['evaluated'](lang)} {result.on.isoformat()}. {_L['upto'](lang)}", ""]
    out += [f"- {_cell(line)}" for line in _header(result, context, lang)] + [""]
    for document in context.documents:
        out += [f"## {_cell(_title(document, lang))}", "", f"`{document.id}`", ""]
        out += [f"- {_cell(line)}" for line in _document_head(result, document, lang)] + [""]
        for clause in document.data["clauses"]:
            out += [f"### {_cell(_clause_head(clause, lang))}", ""]
            rows = [r for spec in clause.get("measures", ()) for r in _rows(result, spec["id"])]
            if rows:
                out += [(f"| {_L['measure'](lang)} | {_L['item'](lang)} | {_L['status'](lang)} "
                         f"| {_L['amount'](lang)} |"), "|---|---|---|---:|"]
                for row in rows:
                    spec = next(s for s in clause["measures"] if s["id"] == row.measure)
                    out.append(f"| {row.measure} {_cell(Text.of(spec['title'])(lang))} | {_cell(row.item or '-')} "
                               f"| {STATUS[row.status](lang)}{_flag(row, lang)} | {_cell(_amount(row, lang))} |")
                out.append("")
                for row in rows:
                    out.append(f"**{row.measure}**, {_cell(_who(row, lang))}:")
                    out += [f"- {_cell(line)}" for line in _row_lines(row, lang)] + [""]
            for spec in clause.get("measures", ()):
                if not _rows(result, spec["id"]):
                    measure = next(m for m in document.measures if m.id == spec["id"])
                    out += [f"- {spec['id']} {_cell(Text.of(spec['title'])(lang))}: {_nothing(measure, lang)}"]
            out += [f"- {_cell(_part(part, entity_type, lang))}"
                    for part in clause.get("not_estimated", ())]
            out.append("")
        out += [f"- {_total_line(total, lang)}" for total in result.totals if total.document == document.id]
        out.append("")
    eligible, possible = _grand(result)
    out.append(f"**{_L['summary'](lang)}**: {_L['eligible_total'](lang)} {yuan(eligible)}; "
               f"{_L['possible_total'](lang)} {yuan(possible)}")
    out += [f"\n{_L['set_by_unit'](lang)}: {row.measure}, {_cell(_who(row, lang))} ({_L['max'](lang)} {yuan(row.up_to)})"
            for row in _set_by_unit(result)]
    return _lines(out)
