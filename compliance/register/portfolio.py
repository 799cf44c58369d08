"""`aicomply report --html FILE`: every product in the register on one self-contained page.

The rows are plain data (portfolio), the page a jinja2 template (templates/portfolio.html.j2)
rendered with autoescaping; its small script only sorts, filters and switches language, so the
page reads without it. Nothing is loaded from the network.
"""

from __future__ import annotations

from datetime import date, timezone, tzinfo

from compliance import __version__
from compliance.register.records import bodies
from compliance.register.clock import local_date
from compliance.register.timeline import due, history, tracked

TEMPLATE = "portfolio.html.j2"


def portfolio(register, on: date, tz: tzinfo = timezone.utc) -> list[dict]:
    """One row per product with a recorded check, in product order. Reads each product's full
    checks, latest check, reviews, documents and incidents, never the repeats between them."""
    rows = []
    for product, records in tracked(register).items():
        checks = [r for r in records if r.kind == "check"]
        if not checks:
            continue
        latest = checks[-1]
        body = bodies(records)[latest.seq]
        result = body["result"]
        statuses = [o["status"] for o in result["obligations"]]
        rows.append({
            "product": product,
            "name": result["product_name"] or product,
            "version": result["product_version"],
            "grade": result["risk_level"] or "invalid",
            "errors": _count(result, "error"),
            "warnings": _count(result, "warning"),
            "met": statuses.count("met"),
            "unmet": statuses.count("unmet"),
            "due": [{"kind": i.kind, "due": i.due.isoformat() if i.due else None, "state": i.state,
                     "en": i.detail, "zh": i.detail_zh} for i in due(product, records, on, tz=tz)],
            "history": [{"at": local_date(e["at"], tz).isoformat(), "grade": e["grade"] or "invalid", "seq": e["seq"]}
                        for e in history(checks) if e["change"] != "repeat"],
            "incidents": sum(1 for r in records if r.kind == "incident"),
            "last_check": local_date(latest.at, tz).isoformat(),
        })
    return rows


def _count(result: dict, severity: str) -> int:
    return sum(1 for f in result["findings"] if f["severity"] == severity and f.get("waiver") is None)


def page(rows: list[dict], on: date) -> str:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    from compliance import resources

    environment = Environment(loader=FileSystemLoader(resources.templates_dir()), autoescape=select_autoescape(["j2"]),
                              undefined=StrictUndefined, keep_trailing_newline=True)
    overdue = sum(1 for row in rows for item in row["due"] if item["state"] == "overdue")
    return environment.get_template(TEMPLATE).render(rows=rows, on=on.isoformat(), version=__version__,
                                                     overdue=overdue)
