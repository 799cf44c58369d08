"""`aicomply incentives` output: text for people, JSON for programs, Markdown for finance memos.

All three read the same Estimates and say the same things; amounts are printed from Decimal,
never through a float.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from compliance.escape import markdown_text, shown
from compliance.incentives.engine import (
    CompiledDocument,
    Estimate,
    Estimates,
    Total,
    Validity,
    yuan,
)
from compliance.models.rules import Text

FORMATS = ("text", "json", "markdown")
REPORT_FORMAT = "aicomply-incentive-estimate/v1"

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
    "enterprise": Text("enterprise as a whole", "企业整体"),
    "spend": Text("spend", "支出"),
    "recommended": Text("recommended", "建议申报"),
    "not_counted": Text("not counted", "不计入"),
    "total": Text("Total", "合计"),
    "eligible_total": Text("eligible", "符合条件"),
    "possible_total": Text("including those that need information", "含需补充信息项"),
    "no_spend": Text("No spend in the profile that these measures apply to", "档案中没有适用以下措施的支出"),
    "not_estimated": Text("Not estimated", "未测算"),
    "rule": Text("Combination rule", "叠加规则"),
    "clause": Text("clause", "条款"),
    "summary": Text("Summary", "汇总"),
    "measure": Text("Measure", "措施"),
    "status": Text("Status", "结论"),
    "amount": Text("Up to (yuan)", "上限（元）"),
}
_VALIDITY = {
    "valid": Text("valid until {last} ({days} days left)", "有效期至 {last}（剩余 {days} 天）"),
    "expiring": Text("EXPIRING: last valid day {last} ({days} days left)", "即将到期：最后有效日 {last}（剩余 {days} 天）"),
    "expired": Text("EXPIRED: last valid day was {last}", "已失效：最后有效日为 {last}"),
    "not_yet": Text("not yet in force: effective {effective}", "尚未生效：{effective} 起施行"),
}


def validity_text(window: Validity, lang: str) -> str:
    return _VALIDITY[window.state](lang).format(last=window.last_day.isoformat(), days=window.days_left,
                                                effective=window.effective.isoformat())


def render(result: Estimates, documents: tuple[CompiledDocument, ...], profile: dict, fmt: str, lang: str) -> str:
    if fmt == "json":
        return _json(result, documents, profile)
    if fmt == "markdown":
        return _markdown(result, documents, profile, lang)
    return _text(result, documents, profile, lang)


# ------------------------------------------------------------------------------ shared

def _rows(result: Estimates, document: CompiledDocument) -> list[Estimate]:
    return [r for r in result.estimates if r.document == document.id]


def _unused(result: Estimates, document: CompiledDocument) -> list[Any]:
    claimed = {r.measure for r in _rows(result, document)}
    return [m for m in document.measures if m.id not in claimed]


def _who(row: Estimate, lang: str) -> str:
    return f"{_L['spend'](lang)} {row.item}" if row.item else _L["enterprise"](lang)


def _amount(row: Estimate) -> str:
    return "-" if row.amount is None or row.status == "not_eligible" else yuan(row.amount)


def _flag(row: Estimate, lang: str) -> str:
    if row.recommended is True:
        return f" [{_L['recommended'](lang)}]"
    if row.recommended is False:
        return f" [{_L['not_counted'](lang)}]"
    return ""


def _name(profile: dict, lang: str) -> str:
    enterprise = profile["enterprise"]
    name = enterprise.get("name_zh") if lang == "zh" and enterprise.get("name_zh") else enterprise["name"]
    return f"{name} ({enterprise['uscc']})"


def _grand(result: Estimates) -> tuple[Decimal, Decimal]:
    return (sum((t.eligible for t in result.totals), Decimal("0.00")),
            sum((t.possible for t in result.totals), Decimal("0.00")))


def _total_line(total: Total, lang: str) -> str:
    line = (f"{_L['total'](lang)} {total.year}: {_L['eligible_total'](lang)} {yuan(total.eligible)}; "
            f"{_L['possible_total'](lang)} {yuan(total.possible)}")
    return line + "".join(f" ({step(lang)})" for step in total.arithmetic)


# -------------------------------------------------------------------------------- text

def _text(result: Estimates, documents, profile: dict, lang: str) -> str:
    out = [f"{_L['title'](lang)}: {_name(profile, lang)}, {_L['evaluated'](lang)} {result.on.isoformat()}",
           _L["upto"](lang), ""]
    for document in documents:
        data = document.data
        window = result.validity[document.id]
        out.append(f"{Text.of(data['title'])(lang)} [{document.id}]")
        out.append(f"  {data['effective']} .. {window.last_day.isoformat()}: {validity_text(window, lang)}")
        out.append(f"  {_L['rule'](lang)}: {Text.of(data['non_cumulation'])(lang)}")
        for row in _rows(result, document):
            measure = next(m for m in document.measures if m.id == row.measure)
            out.append(f"  {row.measure} {Text.of(measure.data['title'])(lang)} ({_L['clause'](lang)} "
                       f"{measure.data['clause']}), {_who(row, lang)}: {STATUS[row.status](lang)}, "
                       f"{_amount(row)}{_flag(row, lang)}")
            if row.status != "not_eligible":
                out.extend(f"      {step(lang)}" for step in row.arithmetic)
            for key in ("unmet", "missing", "met"):
                out.extend(f"      {_L[key](lang)}: {text(lang)}" for text in getattr(row, key))
            out.extend(f"      {_L['note'](lang)}: {text(lang)}" for text in row.notes)
        unused = _unused(result, document)
        if unused:
            out.append(f"  {_L['no_spend'](lang)}: " + ", ".join(f"{m.id} ({m.data.get('base') or '-'})" for m in unused))
        out.extend(f"  {_total_line(total, lang)}" for total in result.totals if total.document == document.id)
        skipped = data.get("not_estimated", ())
        if skipped:
            out.append(f"  {_L['not_estimated'](lang)}: " + "; ".join(
                f"{s['clause']} {Text.of(s['title'])(lang)} ({Text.of(s['reason'])(lang)})" for s in skipped))
        out.append("")
    eligible, possible = _grand(result)
    out.append(f"{_L['summary'](lang)}: {_L['eligible_total'](lang)} {yuan(eligible)}; "
               f"{_L['possible_total'](lang)} {yuan(possible)}")
    return "\n".join(shown(line) for line in out) + "\n"  # profile text escaped: no control characters


# -------------------------------------------------------------------------------- json

def _json(result: Estimates, documents, profile: dict) -> str:
    eligible, possible = _grand(result)
    body = {
        "format": REPORT_FORMAT,
        "evaluated_on": result.on.isoformat(),
        "enterprise": {"name": profile["enterprise"]["name"], "uscc": profile["enterprise"]["uscc"]},
        "documents": [_json_document(result, document) for document in documents],
        "total": {"eligible": str(eligible), "possible": str(possible)},
    }
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def _json_document(result: Estimates, document: CompiledDocument) -> dict:
    window = result.validity[document.id]
    return {
        "id": document.id,
        "program": document.program,
        "title": document.data["title"],
        "validity": {"effective": window.effective.isoformat(), "last_day": window.last_day.isoformat(),
                     "state": window.state, "days_left": window.days_left},
        "estimates": [_json_row(row, document) for row in _rows(result, document)],
        "no_matching_spend": [m.id for m in _unused(result, document)],
        "totals": [{"year": t.year, "eligible": str(t.eligible), "possible": str(t.possible),
                    "arithmetic": [_bi(s) for s in t.arithmetic]}
                   for t in result.totals if t.document == document.id],
        "not_estimated": list(document.data.get("not_estimated", ())),
    }


def _json_row(row: Estimate, document: CompiledDocument) -> dict:
    measure = next(m for m in document.measures if m.id == row.measure).data
    return {
        "measure": row.measure,
        "clause": measure["clause"],
        "title": measure["title"],
        "spend": row.item,
        "year": row.year,
        "frequency": measure["frequency"],
        "status": row.status,
        "amount": None if row.amount is None or row.status == "not_eligible" else str(row.amount),
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


def _markdown(result: Estimates, documents, profile: dict, lang: str) -> str:
    out = [f"# {_L['title'](lang)}: {_cell(_name(profile, lang))}", "",
           f"{_L['evaluated'](lang)} {result.on.isoformat()}. {_L['upto'](lang)}", ""]
    for document in documents:
        data = document.data
        window = result.validity[document.id]
        out += [f"## {_cell(Text.of(data['title'])(lang))}", "",
                (f"- `{document.id}`, {data['effective']} .. {window.last_day.isoformat()}: "
                f"**{validity_text(window, lang)}**"),
                f"- {_L['rule'](lang)}: {_cell(Text.of(data['non_cumulation'])(lang))}", ""]
        rows = _rows(result, document)
        if rows:
            out += [(f"| {_L['measure'](lang)} | {_L['clause'](lang)} | {_L['spend'](lang)} | {_L['status'](lang)} "
                    f"| {_L['amount'](lang)} |"), "|---|---|---|---|---:|"]
            for row in rows:
                measure = next(m for m in document.measures if m.id == row.measure).data
                out.append(f"| {row.measure} {_cell(Text.of(measure['title'])(lang))} | {measure['clause']} "
                           f"| {_cell(row.item or '-')} | {STATUS[row.status](lang)}{_flag(row, lang)} | {_amount(row)} |")
            out.append("")
            for row in rows:
                out.append(f"**{row.measure}**, {_who(row, lang)}:")
                lines = [step(lang) for step in row.arithmetic] if row.status != "not_eligible" else []
                for key in ("unmet", "missing", "met"):
                    lines += [f"{_L[key](lang)}: {text(lang)}" for text in getattr(row, key)]
                lines += [f"{_L['note'](lang)}: {text(lang)}" for text in row.notes]
                out += [f"- {_cell(line)}" for line in lines] + [""]
        unused = _unused(result, document)
        if unused:
            out += [f"{_L['no_spend'](lang)}: " + ", ".join(f"{m.id}" for m in unused), ""]
        out += [f"- {_total_line(total, lang)}" for total in result.totals if total.document == document.id]
        skipped = data.get("not_estimated", ())
        if skipped:
            out += ["", f"{_L['not_estimated'](lang)}:", ""]
            out += [f"- {s['clause']} {_cell(Text.of(s['title'])(lang))}: {_cell(Text.of(s['reason'])(lang))}"
                    for s in skipped]
        out.append("")
    eligible, possible = _grand(result)
    out.append(f"**{_L['summary'](lang)}**: {_L['eligible_total'](lang)} {yuan(eligible)}; "
               f"{_L['possible_total'](lang)} {yuan(possible)}")
    return "\n".join(shown(line) for line in out) + "\n"  # profile text escaped: no control characters
