"""Which measures an enterprise may claim, and at most how much: rate x base, capped, exactly.

For every measure and every spend item it applies to (or once per enterprise for measures on
the enterprise as a whole): eligibility from the document's and the measure's conditions, in
three values (a fact the profile leaves unknown makes the answer "needs information", never
"eligible"); the amount in Decimal yuan with each step of the arithmetic; the document's
validity window against the evaluation date. Then the documents' own combination rules, in
this order:

1. caps per enterprise (per year or in total) of one measure, across its spend items;
2. support already granted under a program the document excludes (Qianhai: Nanshan, Bao'an,
   Qianhai; municipal: other municipal measures) rules the spend out; under a program the
   applicant must choose against (Longgang: "the more favourable one") it is compared;
3. measures that compete for one spend: all are shown, the largest recommended with the reason,
   only it counted (within a document and between documents that exclude each other the texts
   say so; between city and district they are silent, and one is the reading that never
   overstates);
4. the municipal rule that public support for one spend never exceeds the spend (its audited
   investment);
5. a document's total per entity per year (Qianhai: 30M yuan).

Every figure is the most the text allows ("up to"): the responsible unit decides the grant.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from compliance.evaluate.conditions import Condition, F, T, U
from compliance.models.rules import Text

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
EXPIRY_WARNING_DAYS = 90


def money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


def yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


# ------------------------------------------------------------------------------ validity

@dataclass(frozen=True)
class Validity:
    effective: date
    last_day: date  # the last day the document applies
    state: str  # not_yet | valid | expiring | expired
    days_left: int  # from the evaluation date to the last day (negative once expired)


def validity(effective: date, years: int, on: date) -> Validity:
    """`years` from `effective`: the last valid day is the day before the anniversary."""
    try:
        anniversary = effective.replace(year=effective.year + years)
    except ValueError:  # effective on 29 February: the anniversary is 1 March
        anniversary = date(effective.year + years, 3, 1)
    last = anniversary - timedelta(days=1)
    days_left = (last - on).days
    if on < effective:
        state = "not_yet"
    elif days_left < 0:
        state = "expired"
    elif days_left <= EXPIRY_WARNING_DAYS:
        state = "expiring"
    else:
        state = "valid"
    return Validity(effective, last, state, days_left)


# ------------------------------------------------------------------------ compiled data

@dataclass(frozen=True)
class CompiledMeasure:
    document: Any  # the CompiledDocument it belongs to
    data: dict  # the measure as written
    requires: tuple[tuple[Text, Condition], ...]
    rates: tuple[tuple[Decimal, Condition | None, Text | None], ...]
    caps: tuple[tuple[dict, Condition | None], ...] = ()

    @property
    def id(self) -> str:
        return self.data["id"]


@dataclass(frozen=True)
class CompiledDocument:
    data: dict
    eligible: tuple[tuple[Text, Condition], ...]
    measures: tuple[CompiledMeasure, ...] = ()

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def program(self) -> str:
        return self.data["program"]


# ------------------------------------------------------------------------------- results

@dataclass
class Estimate:
    document: str
    measure: str
    item: str | None  # the spend item, or None for a measure on the enterprise as a whole
    year: int  # the year the claim falls in: the spend's, or the evaluation year
    status: str  # eligible | needs_information | not_eligible
    amount: Decimal | None = None
    arithmetic: list[Text] = field(default_factory=list)
    met: list[Text] = field(default_factory=list)
    unmet: list[Text] = field(default_factory=list)
    missing: list[Text] = field(default_factory=list)
    notes: list[Text] = field(default_factory=list)
    recommended: bool | None = None  # None: nothing competes for its spend
    competing: list[str] = field(default_factory=list)  # measure ids

    @property
    def counted(self) -> bool:
        return self.amount is not None and self.status != "not_eligible" and self.recommended is not False


@dataclass(frozen=True)
class Total:
    document: str
    year: int
    eligible: Decimal  # counted claims that are eligible
    possible: Decimal  # plus those that need information
    arithmetic: tuple[Text, ...]


@dataclass(frozen=True)
class Estimates:
    on: date
    validity: dict[str, Validity]
    estimates: tuple[Estimate, ...]
    totals: tuple[Total, ...]


# ------------------------------------------------------------------------------- facts

def facts_of(profile: dict) -> dict[str, Any]:
    """The profile as conditions read it: money as Decimal, plus the derived facts."""
    enterprise = dict(profile["enterprise"])
    income = {key: (value if value == "unknown" or key == "year" else money(value))
              for key, value in enterprise["income"].items()}
    enterprise["income"] = income
    if enterprise.get("paid_in_capital", "unknown") != "unknown":
        enterprise["paid_in_capital"] = money(enterprise["paid_in_capital"])
    total, ai = income["total"], income.get("ai", "unknown")
    before = income.get("total_year_before", "unknown")
    since = enterprise.get("qianhai_since")
    return {
        "enterprise": enterprise,
        "$revenue": total,
        "$ai_income": ai,
        # In percent, so thresholds are whole numbers compared exactly with the Decimal share.
        "$ai_share_pct": "unknown" if ai == "unknown" or total == 0 else ai * 100 / total,
        "$revenue_increase": "unknown" if before == "unknown" else max(total - before, ZERO),
        "$qianhai_start_year": "unknown" if since is None else int(since[:4]),
    }


def item_facts(item: dict) -> dict:
    total = item.get("project_total", "unknown")
    return dict(item, amount=money(item["amount"]), project_total=total if total == "unknown" else money(total))


# ----------------------------------------------------------------------------- estimate

def estimate(profile: dict, documents: tuple[CompiledDocument, ...], on: date) -> Estimates:
    facts = facts_of(profile)
    windows = {d.id: validity(date.fromisoformat(d.data["effective"]), d.data["valid_years"], on) for d in documents}
    results: list[Estimate] = []
    for document in documents:
        for measure in document.measures:
            base = measure.data.get("base")
            items = [item_facts(i) for i in profile.get("spend", ()) if i["kind"] == base] if base else [None]
            results.extend(_one(measure, facts, item, profile, windows[document.id], on) for item in items)
    by_id = {d.id: d for d in documents}
    _combine(results, by_id, profile)
    _within_spend(results, by_id, profile)
    return Estimates(on, windows, tuple(results), _totals(results, documents))


def _one(measure: CompiledMeasure, facts: dict, item: dict | None, profile: dict, window: Validity,
         on: date) -> Estimate:
    document = measure.document
    data = dict(facts, item=item or {})
    year = int(item["date"][:4]) if item else on.year
    result = Estimate(document.id, measure.id, item["id"] if item else None, year, "eligible")
    if window.state in ("expired", "not_yet"):
        result.unmet.append(Text(f"The measures apply on the evaluation date ({window.effective} to {window.last_day})",
                                 f"评估日期在措施有效期内（{window.effective} 至 {window.last_day}）"))
    for text, condition in (*document.eligible, *measure.requires):
        truth = condition.evaluate(data)
        (result.met if truth == T else result.unmet if truth == F else result.missing).append(text)
    if item is not None:
        _check_dates(result, item, window)
        _check_excluded(result, document, item, profile)
    result.status = "not_eligible" if result.unmet else "needs_information" if result.missing else "eligible"
    _amount(result, measure, data, item)
    return result


def _check_dates(result: Estimate, item: dict, window: Validity) -> None:
    text = Text(f"The spend's date ({item['date']}) falls within the measures' validity "
                f"({window.effective} to {window.last_day})",
                f"支出日期（{item['date']}）在措施有效期内（{window.effective} 至 {window.last_day}）")
    inside = window.effective <= date.fromisoformat(item["date"]) <= window.last_day
    (result.met if inside else result.unmet).append(text)


def _check_excluded(result: Estimate, document: CompiledDocument, item: dict, profile: dict) -> None:
    """Support for this spend already granted under a program the document excludes."""
    excluded = set(document.data.get("exclusive_with", ()))
    others = sorted({s["program"] for s in profile.get("other_support", ()) if s["spend"] == item["id"]} & excluded)
    if others:
        result.unmet.append(Text(f"No similar support for this spend already under: {', '.join(others)} "
                                 f"({document.data['non_cumulation']['en']})",
                                 f"该支出未享受 {'、'.join(others)} 的同类支持（{document.data['non_cumulation']['zh']}）"))


# ------------------------------------------------------------------------------ amounts

def _amount(result: Estimate, measure: CompiledMeasure, data: dict, item: dict | None) -> None:
    spec = measure.data
    if result.status == "not_eligible":
        return
    if not spec.get("rates") and spec.get("unit_amount") is None:
        award = money(spec["award"])
        result.amount = award
        result.arithmetic.append(Text(f"an award decided on assessment: at most {yuan(award)}",
                                      f"经评审确定的奖励：最高 {yuan(award)}"))
        return
    base, base_text = _base(spec, data, item)
    if base is None:
        result.missing.append(base_text)
        result.status = "needs_information"
        return
    if spec.get("unit_amount") is not None:
        unit = money(spec["unit_amount"])
        amount = (base * unit).quantize(CENT, ROUND_HALF_UP)
        result.arithmetic.append(Text(f"{base_text.en} {base:,} x {yuan(unit)} = {yuan(amount)}",
                                      f"{base_text.zh} {base:,} × {yuan(unit)} = {yuan(amount)}"))
    else:
        rate, why = _rate(measure, data, result)
        amount = (base * rate).quantize(CENT, ROUND_HALF_UP)
        result.arithmetic.append(Text(f"{base_text.en} {yuan(base)} x {percent(rate)}{f' ({why.en})' if why else ''}"
                                      f" = {yuan(amount)}",
                                      f"{base_text.zh} {yuan(base)} × {percent(rate)}{f'（{why.zh}）' if why else ''}"
                                      f" = {yuan(amount)}"))
    for cap, unless in measure.caps:
        if cap["per"] != "item" or (unless is not None and unless.evaluate(data) == T):
            continue
        limit = money(cap["amount"])
        if amount > limit:
            amount = limit
            result.arithmetic.append(Text(f"capped at {yuan(limit)} ({cap['text']['en']})",
                                          f"以 {yuan(limit)} 为上限（{cap['text']['zh']}）"))
    result.amount = amount


def _base(spec: dict, data: dict, item: dict | None) -> tuple[Decimal | None, Text]:
    units = spec.get("units")
    if units == "registered_models":
        count = data["enterprise"].get("registered_models", "unknown")
        return (None if count == "unknown" else Decimal(count)), Text("registered large models",
                                                                     "已备案（登记）的大模型数量")
    if units == "area_months":
        text = Text("leased m2 x months", "租赁面积（平方米）× 月数")
        if item.get("area_m2") is None or item.get("months") is None:
            return None, text
        return Decimal(item["area_m2"] * item["months"]), text
    if spec.get("base_derived") == "revenue_increase":
        value = data["$revenue_increase"]
        return (None if value == "unknown" else value), Text("increase in annual revenue", "年度营业收入增量")
    return item["amount"], Text(f"spend {item['id']}", f"支出 {item['id']}")


def _rate(measure: CompiledMeasure, data: dict, result: Estimate) -> tuple[Decimal, Text | None]:
    """The first rate whose condition holds. A higher rate whose condition is unknown is not taken
    (the last rate, the lowest, always applies): the estimate says what would raise it."""
    for rate, condition, text in measure.rates:
        truth = T if condition is None else condition.evaluate(data)
        if truth == T:
            return rate, text
        if truth == U and text is not None:
            result.notes.append(Text(f"{percent(rate)} instead if {text.en}: the profile does not say",
                                     f"如{text.zh}，比例为 {percent(rate)}：档案未说明"))
    raise AssertionError("the loader guarantees an unconditional last rate")


# ----------------------------------------------------------------- combination rules

def _combine(results: list[Estimate], documents: dict[str, CompiledDocument], profile: dict) -> None:
    """Enterprise-level claims first, then spend by spend in profile order: each claim capped by
    what its measure's per-enterprise caps have left, compared with support already granted, the
    competitors settled; only counted claims use up a cap, so a claim that loses on one spend does
    not take the room another spend could use."""
    caps = {m.id: m.data.get("caps", ()) for d in documents.values() for m in d.measures}
    used: dict[tuple, Decimal] = {}
    for item in [None, *(i["id"] for i in profile.get("spend", ()))]:
        claims = [r for r in results if r.item == item and r.amount is not None and r.status != "not_eligible"]
        for claim in claims:
            _enterprise_caps(claim, caps[claim.measure], used)
            if item is not None:
                _choose_against_existing(claim, documents[claim.document], profile)
        if item is not None:
            _compete(item, [c for c in claims if c.recommended is not False], documents)
        for claim in claims:
            if claim.counted:
                for cap in caps[claim.measure]:
                    if cap["per"] != "item":
                        key = _cap_key(claim, cap)
                        used[key] = used.get(key, ZERO) + claim.amount


def _cap_key(claim: Estimate, cap: dict) -> tuple:
    return claim.measure, cap["per"], claim.year if cap["per"] == "enterprise_year" else 0


def _enterprise_caps(claim: Estimate, caps: tuple[dict, ...], used: dict[tuple, Decimal]) -> None:
    """A measure's caps per enterprise (per year, or over the measures' life), less what counted
    claims under it have already used."""
    for cap in caps:
        if cap["per"] == "item":
            continue
        room = max(money(cap["amount"]) - used.get(_cap_key(claim, cap), ZERO), ZERO)
        if claim.amount > room:
            claim.amount = room
            claim.arithmetic.append(Text(f"capped at {yuan(room)} ({cap['text']['en']}"
                                         f"{', less what other spend already uses' if room < money(cap['amount']) else ''})",
                                         f"以 {yuan(room)} 为上限（{cap['text']['zh']}"
                                         f"{'，已扣除其他支出占用的额度' if room < money(cap['amount']) else ''}）"))


def _choose_against_existing(claim: Estimate, document: CompiledDocument, profile: dict) -> None:
    """Longgang's "the more favourable one": support already granted for the spend under a program
    the applicant must choose against is compared with this claim."""
    choose = set(document.data.get("more_favourable_with", ()))
    for support in profile.get("other_support", ()):
        if support["spend"] != claim.item or support["program"] not in choose:
            continue
        theirs = money(support["amount"])
        if claim.amount > theirs:
            claim.notes.append(Text(
                f"More favourable than the {yuan(theirs)} already under {support['program']}: apply for this one "
                "instead, not both",
                f"比已获 {support['program']} 支持 {yuan(theirs)} 更优：可改为申报此项，不得重复享受"))
        else:
            claim.recommended = False
            claim.notes.append(Text(
                f"Not counted: the {yuan(theirs)} already under {support['program']} is at least as favourable, "
                "and only one may be had",
                f"不计入：已获 {support['program']} 支持 {yuan(theirs)} 不低于此项，只能择一"))


def _compete(item: str, group: list[Estimate], documents: dict[str, CompiledDocument]) -> None:
    """All measures claiming one spend compete: each is shown, the largest recommended (an eligible
    claim before one that needs information) and only it counted. Within a document, or between
    documents that exclude each other, the texts say so; between the city and a district they are
    silent, and counting one is the reading that never overstates what the enterprise will get."""
    if len(group) < 2:
        return
    best = max(group, key=lambda r: (r.status == "eligible", r.amount))
    names = ", ".join(r.measure for r in group)
    for claim in group:
        claim.recommended = claim is best
        claim.competing = [other.measure for other in group if other is not claim]
    if _all_excluded(group, documents):
        why = Text("the documents rule out combining them", "相关文件规定不得重复享受")
    else:
        why = Text("the texts do not say city and district support for one spend may be combined, so the estimate "
                   "counts one; ask the responsible units whether both may be had",
                   "相关文件未明确市、区对同一支出的支持可否叠加，估算只计一项；可向主管部门确认能否同时享受")
    best.notes.append(Text(f"Recommended for spend {item}: the largest of {len(group)} measures claiming it "
                           f"({names}); {why.en}",
                           f"建议支出 {item} 申报此项：{len(group)} 项可申报措施（{names}）中金额最高；{why.zh}"))
    for claim in group:
        if claim is not best:
            claim.notes.append(_lost(claim, best, item))


def _lost(claim: Estimate, best: Estimate, item: str) -> Text:
    if best.amount > claim.amount:
        return Text(f"Not counted: competes with {best.measure} for spend {item}, which gives more ({yuan(best.amount)})",
                    f"不计入：与 {best.measure} 就支出 {item} 竞合，后者金额更高（{yuan(best.amount)}）")
    if best.amount == claim.amount:
        return Text(f"Not counted: competes with {best.measure} for spend {item}, which gives the same "
                    f"({yuan(best.amount)}) and is listed first",
                    f"不计入：与 {best.measure} 就支出 {item} 竞合，金额相同（{yuan(best.amount)}），取排列在前者")
    return Text(f"Not counted: competes with {best.measure} for spend {item}, which is eligible as the profile stands",
                f"不计入：与 {best.measure} 就支出 {item} 竞合，按现有档案后者已符合条件")


def _all_excluded(group: list[Estimate], documents: dict[str, CompiledDocument]) -> bool:
    """Whether the documents themselves keep every pair of these claims apart."""
    def rules(document: CompiledDocument) -> set[str]:
        return set(document.data.get("exclusive_with", ())) | set(document.data.get("more_favourable_with", ()))

    def apart(a: Estimate, b: Estimate) -> bool:
        da, db = documents[a.document], documents[b.document]
        return da.id == db.id or db.program in rules(da) or da.program in rules(db)

    return all(apart(a, b) for i, a in enumerate(group) for b in group[i + 1:])


def _within_spend(results: list[Estimate], documents: dict[str, CompiledDocument], profile: dict) -> None:
    """A document's rule that public support for one spend (its claims here, and support already
    granted, from the programs the rule counts) never exceeds the spend: its own claims give up
    the excess."""
    spend = {item["id"]: money(item["amount"]) for item in profile.get("spend", ())}
    for item, amount in spend.items():
        counted = [r for r in results if r.item == item and r.counted]
        granted = [s for s in profile.get("other_support", ()) if s["spend"] == item]
        for result in counted:
            rule = documents[result.document].data.get("within_spend")
            if rule is None or (rule["when_granted_by"] and not {s["program"] for s in granted} & set(rule["when_granted_by"])):
                continue
            total = sum((money(s["amount"]) for s in granted if s["program"] in rule["counts"]), ZERO) + sum(
                (r.amount for r in counted if documents[r.document].program in rule["counts"]), ZERO)
            cut = min(max(total - amount, ZERO), result.amount)
            if cut:
                result.amount -= cut
                result.arithmetic.append(Text(
                    f"less {yuan(cut)}: support for spend {item} would exceed it ({rule['text']['en']})",
                    f"减去 {yuan(cut)}：支出 {item} 获得的支持将超过其投资额（{rule['text']['zh']}）"))


def _totals(results: list[Estimate], documents: tuple[CompiledDocument, ...]) -> tuple[Total, ...]:
    """Per document and year: the counted claims, within the document's total per entity per year."""
    totals = []
    for document in documents:
        years = sorted({r.year for r in results if r.document == document.id and r.counted})
        for year in years:
            counted = [r for r in results if r.document == document.id and r.year == year and r.counted]
            eligible = sum((r.amount for r in counted if r.status == "eligible"), ZERO)
            possible = sum((r.amount for r in counted), ZERO)
            steps = []
            cap = document.data.get("annual_total_cap")
            if cap is not None and possible > money(cap):
                limit = money(cap)
                steps.append(Text(f"{yuan(possible)} capped at {yuan(limit)} per entity per year",
                                  f"{yuan(possible)} 以每个主体每年 {yuan(limit)} 为上限"))
                eligible, possible = min(eligible, limit), limit
            totals.append(Total(document.id, year, eligible, possible, tuple(steps)))
    return tuple(totals)
