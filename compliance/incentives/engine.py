"""Which measures an applicant may claim, and at most how much: rate x base, capped, exactly.

For every measure and everything it is paid on (each spend item of its kind, each large model,
or the applicant as a whole): eligibility from who may claim, the document's and the measure's
conditions, in three values (a fact the profile leaves unknown makes the answer "needs
information", never "eligible"); the amount in Decimal yuan with each step of the arithmetic;
the document's validity window against the evaluation date. An award the responsible unit sets
on use or assessment, with no formula in the text, is never estimated: it needs information and
shows only its most. Then the documents' own combination rules, in this order:

1. caps per applicant (a year, or the measures' life), per platform or per enterprise served,
   shared by the measures of one pool, less what counted claims have used;
2. support already granted under a program the document excludes (Qianhai: Nanshan, Bao'an,
   Qianhai; municipal: other municipal measures) rules the spend out; under a program the
   applicant must choose against (Longgang: "the more favourable one") it is compared;
3. measures that compete for one spend: within a document, and between documents that exclude
   each other, the texts say only one may be had; between the city and a district they are
   silent. The stacking reading decides: "not-allowed" (the default, which never overstates)
   counts one, "allowed" counts one per group the texts keep apart. The largest is recommended;
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
STACKING = ("not-allowed", "allowed")

ENTITY_TYPES = {
    "enterprise": Text("enterprises", "企业"),
    "university": Text("universities", "高等院校"),
    "research_institute": Text("research institutes", "科研机构"),
    "industry_organisation": Text("industry organisations", "行业组织"),
    "innovation_centre": Text("innovation centres", "创新中心"),
}


def money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


def yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


def who_text(who: list[str] | tuple[str, ...]) -> Text:
    """Who a clause's wording addresses, in words."""
    if set(who) == set(ENTITY_TYPES):
        return Text("any kind of unit", "各类主体")
    names = [ENTITY_TYPES[kind] for kind in who]
    en = [n.en for n in names]
    return Text(", ".join(en[:-1]) + (" or " if len(en) > 1 else "") + en[-1], "、".join(n.zh for n in names))


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
    clause: dict  # the clause as written
    data: dict  # the measure as written
    requires: tuple[tuple[Text, Condition], ...]
    rates: tuple[tuple[Decimal, Condition | None, Text | None], ...]
    ceiling: Condition | None = None

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
    item: str | None  # the spend item or large model, or None for a measure on the applicant
    subject: str  # spend | model | applicant
    year: int  # the year the claim falls in
    status: str  # eligible | needs_information | not_eligible
    amount: Decimal | None = None
    up_to: Decimal | None = None  # an award set on use or assessment: its most, never counted
    arithmetic: list[Text] = field(default_factory=list)
    met: list[Text] = field(default_factory=list)
    unmet: list[Text] = field(default_factory=list)
    missing: list[Text] = field(default_factory=list)
    notes: list[Text] = field(default_factory=list)
    recommended: bool | None = None  # None: nothing competes for its spend
    competing: list[str] = field(default_factory=list)  # measure ids
    groups: dict[str, str | None] = field(default_factory=dict)  # platform, served enterprise

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
    stacking: str
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
    known = total != "unknown"
    return {
        "enterprise": enterprise,
        "$revenue": total,
        "$ai_income": ai,
        # In percent, so thresholds are whole numbers compared exactly with the Decimal share.
        "$ai_share_pct": "unknown" if ai == "unknown" or not known or total == 0 else ai * 100 / total,
        "$revenue_increase": "unknown" if before == "unknown" or not known else max(total - before, ZERO),
        "$qianhai_start_year": "unknown" if since is None else int(since[:4]),
        "$data_transaction_income": income.get("data_transaction_services", "unknown"),
    }


def item_facts(item: dict) -> dict:
    total = item.get("project_total", "unknown")
    return dict(item, amount=money(item["amount"]), project_total=total if total == "unknown" else money(total))


# ----------------------------------------------------------------------------- estimate

def estimate(profile: dict, documents: tuple[CompiledDocument, ...], on: date,
             stacking: str = "not-allowed") -> Estimates:
    if stacking not in STACKING:
        raise ValueError(f"stacking is one of {STACKING}")
    facts = facts_of(profile)
    windows = {d.id: validity(date.fromisoformat(d.data["effective"]), d.data["valid_years"], on) for d in documents}
    results: list[Estimate] = []
    for document in documents:
        for measure in document.measures:
            results.extend(_one(measure, facts, subject, profile, windows[document.id], on)
                           for subject in _subjects(measure, profile))
    by_id = {d.id: d for d in documents}
    _combine(results, by_id, profile, stacking)
    _within_spend(results, by_id, profile)
    return Estimates(on, stacking, windows, tuple(results), _totals(results, documents))


def _subjects(measure: CompiledMeasure, profile: dict) -> list[tuple[str, dict | None]]:
    """What one measure is paid on: each spend item of its kind, each large model, or the applicant."""
    base = measure.data.get("base")
    if base == "large_model":
        return [("model", m) for m in profile["enterprise"].get("large_models", ())]
    if base:
        return [("spend", item_facts(i)) for i in profile.get("spend", ()) if i["kind"] == base]
    return [("applicant", None)]


def _one(measure: CompiledMeasure, facts: dict, subject: tuple[str, dict | None], profile: dict, window: Validity,
         on: date) -> Estimate:
    document, spec = measure.document, measure.data
    kind, thing = subject
    item = thing if kind == "spend" else None
    model = thing if kind == "model" else None
    data = dict(facts, item=item or {}, model=model or {})
    result = Estimate(document.id, measure.id, thing["id"] if thing else None, kind, _year(spec, kind, thing, on),
                      "eligible")
    if item is not None:
        result.groups = {"platform": item.get("platform"), "served_enterprise": item.get("served_enterprise")}
    if window.state in ("expired", "not_yet"):
        result.unmet.append(Text(f"The measures apply on the evaluation date ({window.effective} to {window.last_day})",
                                 f"评估日期在措施有效期内（{window.effective} 至 {window.last_day}）"))
    _check_who(result, measure, facts["enterprise"]["entity_type"])
    for text, condition in (*document.eligible, *measure.requires):
        truth = condition.evaluate(data)
        (result.met if truth == T else result.unmet if truth == F else result.missing).append(text)
    if item is not None:
        _check_dates(result, spec, item, window)
        _check_excluded(result, document, item, profile)
    if model is not None:
        _check_registration(result, model, window)
    result.status = "not_eligible" if result.unmet else "needs_information" if result.missing else "eligible"
    _amount(result, measure, data, item)
    return result


def _year(spec: dict, kind: str, thing: dict | None, on: date) -> int:
    """The year a claim falls in: the spend's (the next one, on the previous year's figures), the
    model's registration, or the evaluation year for the applicant as a whole."""
    if kind == "spend":
        return int(thing["date"][:4]) + (1 if spec.get("basis_year") == "previous" else 0)
    if kind == "model" and thing.get("registered_on", "unknown") not in ("unknown", "not_registered"):
        return int(thing["registered_on"][:4])
    return on.year


def _check_who(result: Estimate, measure: CompiledMeasure, entity_type: str) -> None:
    who = measure.data["who"]
    text = who_text(who)
    stated = Text(f"Who may claim: {text.en} (clause {measure.clause['clause']})",
                  f"申报主体：{text.zh}（条款 {measure.clause['clause']}）")
    (result.met if entity_type in who else result.unmet).append(stated)


def _check_dates(result: Estimate, spec: dict, item: dict, window: Validity) -> None:
    if spec.get("basis_year") == "previous":
        year = result.year
        text = Text(f"Paid in {year} on {year - 1}'s figures (the spend of {item['date']}); {year} falls within the "
                    f"measures' validity ({window.effective} to {window.last_day})",
                    f"{year}年按{year - 1}年数据（{item['date']} 的支出）申报；{year}年在措施有效期内"
                    f"（{window.effective} 至 {window.last_day}）")
        inside = date(year, 1, 1) <= window.last_day and date(year, 12, 31) >= window.effective
    else:
        text = Text(f"The spend's date ({item['date']}) falls within the measures' validity "
                    f"({window.effective} to {window.last_day})",
                    f"支出日期（{item['date']}）在措施有效期内（{window.effective} 至 {window.last_day}）")
        inside = window.effective <= date.fromisoformat(item["date"]) <= window.last_day
    (result.met if inside else result.unmet).append(text)


def _check_registration(result: Estimate, model: dict, window: Validity) -> None:
    """A registered-model reward is once per model, for a registration within the measures' validity."""
    registered = model.get("registered_on", "unknown")
    if registered == "unknown":
        result.missing.append(Text("The date the model was put on the national generative AI service registration list",
                                   "模型列入国家生成式人工智能服务备案名单的日期"))
    elif registered == "not_registered":
        result.unmet.append(Text("The model is on the national generative AI service registration list",
                                 "模型已列入国家生成式人工智能服务备案名单"))
    else:
        inside = window.effective <= date.fromisoformat(registered) <= window.last_day
        text = Text(f"The model's registration date ({registered}) falls within the measures' validity "
                    f"({window.effective} to {window.last_day}): a model registered before they took effect does not count",
                    f"模型备案日期（{registered}）在措施有效期内（{window.effective} 至 {window.last_day}）："
                    "措施施行前备案的模型不计")
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
    if spec.get("usage_based"):
        _usage_based(result, spec["usage_based"])
        return
    if spec.get("award") is not None:
        amount = money(spec["award"])
        result.arithmetic.append(Text(f"the amount the text gives: {yuan(amount)}", f"文本规定的金额：{yuan(amount)}"))
    else:
        base, base_text = _base(spec, data, item, result)
        if base is None:
            result.missing.append(base_text)
            result.status = "needs_information"
            return
        amount = _apply_rate(result, measure, data, base, base_text)
    for cap in spec.get("caps", ()):
        limit = money(cap["amount"])
        if cap["per"] == "item" and amount > limit:
            amount = limit
            result.arithmetic.append(Text(f"capped at {yuan(limit)} ({cap['text']['en']})",
                                          f"以 {yuan(limit)} 为上限（{cap['text']['zh']}）"))
    result.amount = amount
    _ceiling(result, measure, data)


def _usage_based(result: Estimate, usage: dict) -> None:
    """Never estimated: the most is shown, the amount left to the responsible unit."""
    result.up_to = money(usage["up_to"])
    result.status = "needs_information"
    result.missing.append(Text(
        f"The amount: set on {usage['basis']['en']}, for which the text gives no formula (up to {yuan(result.up_to)}); "
        "not estimated, not counted",
        f"金额：按{usage['basis']['zh']}确定，文本未给出计算方法（最高 {yuan(result.up_to)}）；不测算、不计入"))


def _apply_rate(result: Estimate, measure: CompiledMeasure, data: dict, base: Decimal, base_text: Text) -> Decimal:
    spec = measure.data
    if spec.get("unit_amount") is not None:
        unit = money(spec["unit_amount"])
        amount = (base * unit).quantize(CENT, ROUND_HALF_UP)
        result.arithmetic.append(Text(f"{base_text.en} {base:,} x {yuan(unit)} = {yuan(amount)}",
                                      f"{base_text.zh} {base:,} × {yuan(unit)} = {yuan(amount)}"))
        return amount
    rate, why = _rate(measure, data, result)
    amount = (base * rate).quantize(CENT, ROUND_HALF_UP)
    result.arithmetic.append(Text(f"{base_text.en} {yuan(base)} x {percent(rate)}{f' ({why.en})' if why else ''}"
                                  f" = {yuan(amount)}",
                                  f"{base_text.zh} {yuan(base)} × {percent(rate)}{f'（{why.zh}）' if why else ''}"
                                  f" = {yuan(amount)}"))
    return amount


_COUNTS = {
    "approved_icv_vehicles": Text("approved operating vehicles", "核准运营车辆数"),
    "evtol_routes_domestic": Text("approved domestic eVTOL routes", "获批国内eVTOL航线数"),
    "evtol_routes_cross_border": Text("approved cross-border eVTOL routes", "获批跨境eVTOL航线数"),
}


def _base(spec: dict, data: dict, item: dict | None, result: Estimate) -> tuple[Decimal | None, Text]:
    units = spec.get("units")
    if units in _COUNTS:
        count = data["enterprise"].get(units, "unknown")
        return (None if count == "unknown" else Decimal(count)), _COUNTS[units]
    if units == "area_months":
        return _area_months(spec, data, item, result)
    if spec.get("base_derived") == "revenue_increase":
        value = data["$revenue_increase"]
        return (None if value == "unknown" else value), Text("increase in annual revenue", "年度营业收入增量")
    if spec.get("base_derived") == "data_transaction_income":
        value = data["$data_transaction_income"]
        return (None if value == "unknown" else value), Text("data transaction service income", "数据交易服务收入")
    return item["amount"], Text(f"spend {item['id']}", f"支出 {item['id']}")


def _area_months(spec: dict, data: dict, item: dict, result: Estimate) -> tuple[Decimal | None, Text]:
    """m2 x months of a lease; with months_from_start, only the months inside that many
    continuous months from the start of operations count."""
    text = Text("leased m2 x months", "租赁面积（平方米）× 月数")
    months = item["months"]
    limit = spec.get("months_from_start")
    if limit is not None:
        since = data["enterprise"].get("qianhai_since")
        if since is None:
            return None, Text("when operations in Qianhai began (the support runs for "
                              f"{limit} continuous months from then)",
                              f"在前海开展经营的起始日期（补贴自该月起连续{limit}个月）")
        first = _month_index(date.fromisoformat(since))
        leased = range(_month_index(date.fromisoformat(item["date"])), _month_index(date.fromisoformat(item["date"])) + months)
        inside = sum(1 for month in leased if first <= month < first + limit)
        if inside < months:
            result.notes.append(Text(
                f"{months - inside} of the {months} months leased fall outside the {limit} continuous months from "
                f"{_month_name(first)} to {_month_name(first + limit - 1)}: not counted",
                f"所租 {months} 个月中有 {months - inside} 个月不在 {_month_name(first)} 至 "
                f"{_month_name(first + limit - 1)} 的连续 {limit} 个月内：不计"))
        months = inside
    return Decimal(item["area_m2"] * months), text


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month_name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


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


def _ceiling(result: Estimate, measure: CompiledMeasure, data: dict) -> None:
    """A higher limit the text allows without a rate: said, never counted."""
    if measure.ceiling is None:
        return
    spec = measure.data["ceiling"]
    limit = yuan(money(spec["amount"]))
    truth = measure.ceiling.evaluate(data)
    if truth == T:
        result.notes.append(Text(f"As {spec['text']['en']}: only the standard above is counted (the most is {limit})",
                                 f"属{spec['text']['zh']}：只计上述标准（最高 {limit}）"))
    elif truth == U:
        result.notes.append(Text(f"If {spec['text']['en']}: the profile does not say (the most would be {limit}, "
                                 "not counted)",
                                 f"如属{spec['text']['zh']}：档案未说明（最高可达 {limit}，不计入）"))


# ----------------------------------------------------------------- combination rules

def _combine(results: list[Estimate], documents: dict[str, CompiledDocument], profile: dict, stacking: str) -> None:
    """The applicant-level claims first, then spend by spend in profile order, then model by model:
    each claim capped by what its caps have left, compared with support already granted, the
    competitors settled; only counted claims use up a cap, so a claim that loses on one spend does
    not take the room another spend could use."""
    caps = {m.id: m.data.get("caps", ()) for d in documents.values() for m in d.measures}
    used: dict[tuple, Decimal] = {}
    subjects = [("applicant", None), *(("spend", i["id"]) for i in profile.get("spend", ())),
                *(("model", m["id"]) for m in profile["enterprise"].get("large_models", ()))]
    by_subject = _by_subject(results)
    for subject, item in subjects:
        claims = [r for r in by_subject.get((subject, item), ()) if r.status != "not_eligible"]
        for claim in claims:
            if claim.amount is None:
                continue
            _grouped_caps(claim, caps[claim.measure], used)
            if subject == "spend":
                _choose_against_existing(claim, documents[claim.document], profile)
        if subject == "spend":
            _compete(item, [c for c in claims if c.recommended is not False], documents, stacking)
        for claim in claims:
            if claim.counted:
                for cap in caps[claim.measure]:
                    if cap["per"] != "item":
                        key = _cap_key(claim, cap)
                        used[key] = used.get(key, ZERO) + claim.amount


def _by_subject(results: list[Estimate]) -> dict[tuple[str, str | None], list[Estimate]]:
    """Claims by what they are paid on, in their order (one pass, so large profiles stay linear)."""
    grouped: dict[tuple[str, str | None], list[Estimate]] = {}
    for result in results:
        grouped.setdefault((result.subject, result.item), []).append(result)
    return grouped


def _cap_key(claim: Estimate, cap: dict) -> tuple:
    per = cap["per"]
    group = None
    if per.startswith("platform"):
        group = claim.groups.get("platform")
    elif per.startswith("served_enterprise"):
        group = claim.groups.get("served_enterprise")
    return claim.document, cap.get("pool") or claim.measure, per, group, claim.year if per.endswith("_year") else 0


_UNNAMED = {
    "platform": Text("The spend names no platform: spend items without one share one cap",
                     "该支出未写明平台：未写明平台的支出共用一个上限"),
    "served_enterprise": Text("The spend names no enterprise served: spend items without one share one cap",
                              "该支出未写明受服务企业：未写明的支出共用一个上限"),
}


def _grouped_caps(claim: Estimate, caps: tuple[dict, ...], used: dict[tuple, Decimal]) -> None:
    """Caps per applicant (a year, or the measures' life), per platform or per enterprise served,
    less what counted claims under them have already used."""
    for cap in caps:
        if cap["per"] == "item":
            continue
        for group, note in _UNNAMED.items():
            if cap["per"].startswith(group) and claim.groups.get(group) is None and note not in claim.notes:
                claim.notes.append(note)
        room = max(money(cap["amount"]) - used.get(_cap_key(claim, cap), ZERO), ZERO)
        if claim.amount > room:
            claim.amount = room
            less = room < money(cap["amount"])
            claim.arithmetic.append(Text(f"capped at {yuan(room)} ({cap['text']['en']}"
                                         f"{', less what other claims already use' if less else ''})",
                                         f"以 {yuan(room)} 为上限（{cap['text']['zh']}"
                                         f"{'，已扣除其他申报占用的额度' if less else ''}）"))


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


def _compete(item: str, claims: list[Estimate], documents: dict[str, CompiledDocument], stacking: str) -> None:
    """Claims on one spend that may not be combined compete: each is shown, the largest recommended
    (an eligible claim before one that needs information) and only it counted."""
    for group in _competing_groups(claims, documents, stacking):
        if len(group) < 2:
            continue
        for claim in group:
            claim.competing = [other.measure for other in group if other is not claim]
        priced = [c for c in group if c.amount is not None]
        if not priced:
            continue
        best = max(priced, key=lambda r: (r.status == "eligible", r.amount))
        for claim in group:
            claim.recommended = claim is best
        names = ", ".join(r.measure for r in group)
        why = _why_one(group, documents)
        best.notes.append(Text(f"Recommended for spend {item}: the largest of {len(group)} measures claiming it "
                               f"({names}); {why.en}",
                               f"建议支出 {item} 申报此项：{len(group)} 项可申报措施（{names}）中金额最高；{why.zh}"))
        for claim in group:
            if claim is not best:
                claim.notes.append(_lost(claim, best, item))
    if stacking == "allowed":
        _note_stacked(item, claims, documents)


def _competing_groups(claims: list[Estimate], documents: dict[str, CompiledDocument],
                      stacking: str) -> list[list[Estimate]]:
    """With stacking not allowed, every claim on the spend competes. Allowed: only claims the texts
    keep apart, and any claim linked to them through such a pair (never more than the texts allow)."""
    groups: list[list[Estimate]] = []
    for claim in claims:
        joined = [g for g in groups if stacking == "not-allowed" or any(_apart(claim, o, documents) for o in g)]
        merged = [claim] + [other for g in joined for other in g]
        groups = [g for g in groups if g not in joined] + [sorted(merged, key=claims.index)]
    return sorted(groups, key=lambda g: claims.index(g[0]))


def _rules(document: CompiledDocument) -> set[str]:
    return set(document.data.get("exclusive_with", ())) | set(document.data.get("more_favourable_with", ()))


def _apart(a: Estimate, b: Estimate, documents: dict[str, CompiledDocument]) -> bool:
    """Whether the documents themselves keep these two claims apart."""
    da, db = documents[a.document], documents[b.document]
    return da.id == db.id or db.program in _rules(da) or da.program in _rules(db)


def _why_one(group: list[Estimate], documents: dict[str, CompiledDocument]) -> Text:
    if all(_apart(a, b, documents) for i, a in enumerate(group) for b in group[i + 1:]):
        return Text("the documents rule out combining them", "相关文件规定不得重复享受")
    return Text("the texts do not say city and district support for one spend may be combined, so the estimate "
                "counts one (stacking not allowed; --stacking allowed counts both)",
                "相关文件未明确市、区对同一支出的支持可否叠加，估算只计一项（不叠加；--stacking allowed 两项均计）")


def _lost(claim: Estimate, best: Estimate, item: str) -> Text:
    if claim.amount is None:
        return Text(f"Not counted: competes with {best.measure} for spend {item}; its amount is set by the responsible "
                    f"unit (up to {yuan(claim.up_to)}): apply for it instead if it would give more than "
                    f"{yuan(best.amount)}",
                    f"不计入：与 {best.measure} 就支出 {item} 竞合；其金额由主管部门确定（最高 {yuan(claim.up_to)}）："
                    f"如高于 {yuan(best.amount)}，可改为申报此项")
    if best.status == "eligible" and claim.status != "eligible":
        return Text(f"Not counted: competes with {best.measure} for spend {item}, which is eligible as the profile "
                    f"stands ({yuan(best.amount)})",
                    f"不计入：与 {best.measure} 就支出 {item} 竞合，按现有档案后者已符合条件（{yuan(best.amount)}）")
    if best.amount > claim.amount:
        return Text(f"Not counted: competes with {best.measure} for spend {item}, which gives more ({yuan(best.amount)})",
                    f"不计入：与 {best.measure} 就支出 {item} 竞合，后者金额更高（{yuan(best.amount)}）")
    return Text(f"Not counted: competes with {best.measure} for spend {item}, which gives the same "
                f"({yuan(best.amount)}) and is listed first",
                f"不计入：与 {best.measure} 就支出 {item} 竞合，金额相同（{yuan(best.amount)}），取排列在前者")


def _note_stacked(item: str, claims: list[Estimate], documents: dict[str, CompiledDocument]) -> None:
    counted = [c for c in claims if c.counted]
    for claim in counted:
        others = [o.measure for o in counted if o is not claim and not _apart(claim, o, documents)]
        if others:
            claim.notes.append(Text(
                f"Counted together with {', '.join(others)} for spend {item}: stacking allowed (the texts do not say "
                "whether city and district support for one spend may be combined; ask the responsible units)",
                f"与 {'、'.join(others)} 就支出 {item} 一并计入：按可叠加理解（文本未明确市、区支持可否叠加，请向主管部门确认）"))


def _within_spend(results: list[Estimate], documents: dict[str, CompiledDocument], profile: dict) -> None:
    """A document's rule that public support for one spend (its claims here, and support already
    granted, from the programs the rule counts) never exceeds the spend: its own claims give up
    the excess."""
    spend = {item["id"]: money(item["amount"]) for item in profile.get("spend", ())}
    by_subject = _by_subject(results)
    support: dict[str, list[dict]] = {}
    for granted in profile.get("other_support", ()):
        support.setdefault(granted["spend"], []).append(granted)
    for item, amount in spend.items():
        counted = [r for r in by_subject.get(("spend", item), ()) if r.counted]
        granted = support.get(item, [])
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
