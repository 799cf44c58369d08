"""A product's history and what falls due: pure functions from records to plain events.

`history` turns a product's records into a timeline (grade changes marked). `due` lists, for
every product, tracking reviews that are overdue or coming up, waivers about to expire,
documents older than the declaration they describe, and checks grown stale.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta, timezone, tzinfo

from compliance.models.result import LEVEL_RANK
from compliance.register.clock import local_date
from compliance.register.records import Record, bodies

DEFAULT_STALE_DAYS = 90
DEFAULT_WITHIN_DAYS = 30


def history(records: list[Record]) -> list[dict]:
    """Events in chain order; checks carry the grade before them and the direction of change."""
    events, grade = [], None
    full = bodies(records)
    for record in records:
        body = full[record.seq]
        event = {"seq": record.seq, "at": record.at, "kind": record.kind}
        if record.kind == "check":
            result = body["result"]
            now = result["risk_level"]
            change = "repeat" if "same_as" in body else _change(grade, now)
            event.update(grade=now, previous_grade=grade, change=change, source=body["source"],
                         version=result["product_version"], sha256=body["declaration"]["sha256"],
                         path=body["declaration"]["path"], packs=body["packs"],
                         errors=_count(result, "error"), warnings=_count(result, "warning"))
            grade = now
        else:
            event.update(body)
        events.append(event)
    return events


def _change(before: str | None, after: str | None) -> str:
    if before is None and after is not None:
        return "first"
    if after is None:
        return "invalid"
    if LEVEL_RANK[after] > LEVEL_RANK[before]:
        return "raised"
    return "lowered" if LEVEL_RANK[after] < LEVEL_RANK[before] else "same"


def _count(result: dict, severity: str) -> int:
    return sum(1 for f in result["findings"] if f["severity"] == severity and f.get("waiver") is None)


# ----------------------------------------------------------------------------------- due

@dataclass(frozen=True)
class Due:
    product: str
    kind: str  # review | review_interval | waiver | document | check | record (a record that cannot be used)
    due: date | None  # None: due now, with no date (a gap rather than a deadline)
    state: str  # overdue | upcoming
    detail: str  # English detail; views translate the kind
    detail_zh: str


class Unusable(Exception):
    """A stored value a reader cannot work with (a date too far out, say): reported for its record."""

    def __init__(self, seq: int, problem: str) -> None:
        super().__init__(problem)
        self.seq, self.problem = seq, problem


def tracked(register) -> dict[str, list[Record]]:
    """Each product's records that `due` and the portfolio read (register.overview), in product
    order: its full checks, its latest check, reviews, documents and incidents."""
    groups: dict[str, list[Record]] = {}
    for record in register.overview():
        groups.setdefault(record.product, []).append(record)
    return dict(sorted(groups.items()))


def due(product: str, records: list[Record], on: date, within: int = DEFAULT_WITHIN_DAYS,
        stale: int = DEFAULT_STALE_DAYS, tz: tzinfo = timezone.utc) -> list[Due]:
    """What falls due for one product by `on` + `within` days (`on` and record dates where the
    reader is, in `tz`). A record whose values cannot be used becomes an overdue item of its own
    (fail closed); the other items still come out."""
    checks = [r for r in records if r.kind == "check"]
    if not checks:
        return []
    latest = checks[-1]
    body = bodies(records)[latest.seq]
    horizon = _plus(on, within)
    items: list[Due] = []
    for section in (lambda: _review(product, records, body, checks[0], on, horizon, tz),
                    lambda: _waivers(product, body, latest.seq, on, horizon),
                    lambda: _documents(product, records, body),
                    lambda: _stale_check(product, latest, on, horizon, stale, tz)):
        try:
            items += section()
        except Unusable as exc:
            items.append(Due(product, "record", None, "overdue",
                             f"record #{exc.seq} cannot be used: {exc.problem}; record a correction",
                             f"第 {exc.seq} 条记录无法使用：{exc.problem}；请补记更正"))
    return sorted(items, key=lambda item: (item.state != "overdue", item.due or date.min, item.kind, item.detail))


def _plus(day: date, days: int) -> date:
    """day + days, or the last representable day (a window reaching past year 9999 has no end)."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max


def _record_date(record: Record, tz: tzinfo) -> date:
    try:
        return local_date(record.at, tz)
    except (ValueError, OverflowError):
        raise Unusable(record.seq, f"its time {record.at!r} is not a date") from None


def _day(text: str, seq: int, what: str) -> date:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        raise Unusable(seq, f"its {what} {text!r} is not a date") from None


def _state(when: date, on: date) -> str:
    return "overdue" if when < on else "upcoming"


def _review(product: str, records: list[Record], body: dict, first: Record, on: date, horizon: date,
            tz: tzinfo) -> list[Due]:
    reviews = [r for r in records if r.kind == "review"]
    last = reviews[-1].data() if reviews else None
    # The declared interval is read (the declaration parsed) only when no review set the next date.
    months, stated = (None, None) if last and last.get("next_due") else _review_interval(body)
    if last and last.get("next_due"):
        next_due = _day(last["next_due"], reviews[-1].seq, "next review date")
    elif months is None:
        if stated is None:
            return [Due(product, "review_interval", None, "overdue",
                        "the tracking plan states no review interval (safeguards.tracking_plan.review_interval_months)",
                        "跟踪方案未申报复核周期（safeguards.tracking_plan.review_interval_months）")]
        return [Due(product, "review_interval", None, "overdue",
                    f"the tracking plan's review interval ({stated!r} months) is not one a declaration may state "
                    f"(1 to {MAX_INTERVAL_MONTHS}); review now and correct the declaration",
                    f"跟踪方案的复核周期（{stated!r} 个月）不是申报可用的值（1 至 {MAX_INTERVAL_MONTHS}）；"
                    "请立即复核并更正申报")]
    else:
        seq, since = (reviews[-1].seq, _day(last["date"], reviews[-1].seq, "review date")) if last else \
            (first.seq, _record_date(first, tz))
        try:
            next_due = add_months(since, months)
        except (ValueError, OverflowError):
            raise Unusable(seq, f"its date {since} is so far ahead that the next review cannot be dated") from None
    if next_due > horizon:
        return []
    started = None if last else _record_date(first, tz)
    done = f"last review {last['date']}" if last else f"no review since the first check on {started}"
    done_zh = f"上次复核 {last['date']}" if last else f"自 {started} 首次检查以来未复核"
    return [Due(product, "review", next_due, _state(next_due, on), f"tracking review due {next_due} ({done})",
                f"跟踪复核应于 {next_due} 完成（{done_zh}）")]


MAX_INTERVAL_MONTHS = 24  # the declaration schema's bound (safeguards.tracking_plan.review_interval_months)


def _review_interval(body: dict) -> tuple[int | None, object]:
    """(the review interval in months, or None when it cannot be used; the value as stated).
    A recorded invalid declaration may state any value: only the schema's range is taken."""
    from compliance.register.sides import declaration_data

    data = declaration_data(body)
    try:
        months = data["safeguards"]["tracking_plan"]["review_interval_months"]
    except (KeyError, TypeError):
        return None, None
    usable = isinstance(months, int) and not isinstance(months, bool) and 1 <= months <= MAX_INTERVAL_MONTHS
    return (months if usable else None), months


def _waivers(product: str, body: dict, seq: int, on: date, horizon: date) -> list[Due]:
    seen, items = set(), []
    for finding in body["result"]["findings"]:
        waiver = finding.get("waiver")
        if not waiver or (finding["rule_id"], waiver["expires"]) in seen:
            continue
        seen.add((finding["rule_id"], waiver["expires"]))
        expires = _day(waiver["expires"], seq, "waiver end date")
        if expires <= horizon:
            items.append(Due(product, "waiver", expires, _state(expires, on),
                             f"waiver of {finding['rule_id']} ends {expires} (approved by {waiver['approver']})",
                             f"{finding['rule_id']} 的豁免于 {expires} 到期（批准人：{waiver['approver']}）"))
    return items


def _documents(product: str, records: list[Record], body: dict) -> list[Due]:
    """The latest rendering of each document and language, when it describes an older declaration."""
    current = body["declaration"]["sha256"]
    latest: dict[tuple, dict] = {}
    for record in records:
        if record.kind == "document":
            document = record.data()
            latest[(document["document"], document["lang"])] = document
    return [Due(product, "document", None, "overdue",
                f"{doc['path']} ({doc['document']}, {doc['lang'] or 'json'}) describes an older declaration; "
                "render it again",
                f"{doc['path']}（{doc['document']}，{doc['lang'] or 'json'}）对应的是旧版申报；请重新生成")
            for (_, _), doc in sorted(latest.items(), key=lambda item: (item[0][0], item[0][1] or ""))
            if doc["declaration_sha256"] != current]


def _stale_check(product: str, latest: Record, on: date, horizon: date, stale: int, tz: tzinfo) -> list[Due]:
    checked = _record_date(latest, tz)
    stale_on = _plus(checked, stale)
    if stale_on > horizon:
        return []
    return [Due(product, "check", stale_on, _state(stale_on, on),
                f"last check {checked}; check again by {stale_on} (every {stale} days)",
                f"上次检查 {checked}；请于 {stale_on} 前再次检查（每 {stale} 天）")]


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
