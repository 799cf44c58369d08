"""`aicomply report --html FILE`: every product in the register on one self-contained page.

The rows are plain data (portfolio), the page a jinja2 template (templates/portfolio.html.j2)
rendered with autoescaping; its small script only sorts, filters, opens a product's details and
switches language, so the page reads without it. Nothing is loaded from the network. The table
is also offered as CSV for spreadsheet users (UTF-8 with a byte-order mark, which Excel needs to
read Chinese), embedded in the page as a data: link.
"""

from __future__ import annotations

from datetime import date, timezone, tzinfo

from compliance import __version__
from compliance.escape import shown
from compliance.register.clock import local_date
from compliance.register.records import bodies
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
            **_details(records, body),
        })
    return rows


def _details(records: list, body: dict) -> dict:
    """What a product opens to: its name in both languages, its open findings, its unmet
    obligations and its incidents (recorded in the register, and declared in the declaration)."""
    from compliance.declaration.load import parse_document
    from compliance.declaration.migrate import is_v1, upgraded_document
    from compliance.errors import AicomplyError
    from compliance.models.rules import Text

    rules = _rules()
    result, source = body["result"], body["declaration"]
    try:
        document = parse_document(source["content"].encode("utf-8"), source["path"], source["format"])
        data = upgraded_document(document)[0].data if is_v1(document.data) else document.data
    except (AicomplyError, KeyError, ValueError):
        data = {}
    name = Text.declared((data.get("product") or {}).get("name")) or Text.declared(result["product_name"] or "")

    def title(rule_id: str, english: str) -> dict:
        known = rules.get(rule_id)
        return {"en": known.title.en if known else english, "zh": known.title.zh if known else english}

    def article(rule_id: str, english: str | None) -> dict:
        known = rules.get(rule_id)
        return {"en": known.article.en, "zh": known.article.zh} if known else {"en": english, "zh": english}

    declared = [{"occurred": str(item.get("date")), "severity": item.get("severity"),
                 "summary": Text.declared(item.get("summary")), "source": "declaration"}
                for item in data.get("incidents") or () if isinstance(item, dict)]
    recorded = [{"occurred": r.data().get("occurred"), "severity": r.data().get("severity"),
                 "summary": Text.declared(r.data().get("summary")), "source": "register"}
                for r in records if r.kind == "incident"]
    return {
        "name_en": name.en, "name_zh": name.zh,
        "findings": [dict(title(f["rule_id"], f["title"]), rule_id=f["rule_id"], severity=f["severity"],
                          article=article(f["rule_id"], f.get("article")))
                     for f in result["findings"] if f["severity"] in ("error", "warning") and f.get("waiver") is None],
        "unmet_obligations": [dict(title(o["id"], o["title"]), id=o["id"])
                              for o in result["obligations"] if o["status"] == "unmet"],
        "incident_list": [{**item, "summary": {"en": item["summary"].en, "zh": item["summary"].zh}
                           if item["summary"] else {"en": "", "zh": ""}}
                          for item in sorted(declared + recorded, key=lambda item: str(item["occurred"]))],
    }


def _rules() -> dict:
    """The rules in force by id, for their titles and articles in both languages (a stored result
    keeps English only)."""
    from compliance.evaluate.checklists import load_rules

    try:
        return {rule.id: rule for rule in load_rules().rules}
    except Exception:  # the page still reads with the stored English titles
        return {}


CSV_COLUMNS = (("product", "Product id"), ("name_en", "Name"), ("name_zh", "Name (Chinese)"), ("version", "Version"),
               ("grade", "Grade"), ("errors", "Errors"), ("warnings", "Warnings"), ("met", "Obligations met"),
               ("unmet", "Obligations unmet"), ("due_count", "Due items"), ("overdue_count", "Overdue items"),
               ("incidents", "Incidents"), ("last_check", "Last check"))


def csv_text(rows: list[dict]) -> str:
    """The table as CSV: one line per product, the columns of the page."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([heading for _, heading in CSV_COLUMNS])
    for row in rows:
        values = dict(row, due_count=len(row["due"]),
                      overdue_count=sum(1 for item in row["due"] if item["state"] == "overdue"))
        writer.writerow([_cell(values[key]) for key, _ in CSV_COLUMNS])
    return "\ufeff" + out.getvalue()


def _cell(value) -> str:
    """A cell as text; one that a spreadsheet would read as a formula is quoted with an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _count(result: dict, severity: str) -> int:
    return sum(1 for f in result["findings"] if f["severity"] == severity and f.get("waiver") is None)


def _visible(value):
    """Every printed value: declaration and register text shows its control and bidi characters as
    escapes (a product name must not reorder the page around it); autoescaping then makes it HTML.
    Only plain strings: markup the template builds itself is left as it is."""
    return shown(value) if type(value) is str else value


def page(rows: list[dict], on: date) -> str:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    from compliance import resources

    environment = Environment(loader=FileSystemLoader(resources.templates_dir()), autoescape=select_autoescape(["j2"]),
                              undefined=StrictUndefined, keep_trailing_newline=True, finalize=_visible)
    from urllib.parse import quote

    overdue = sum(1 for row in rows for item in row["due"] if item["state"] == "overdue")
    csv_link = "data:text/csv;charset=utf-8," + quote(csv_text(rows), safe="")
    return environment.get_template(TEMPLATE).render(rows=rows, on=on.isoformat(), version=__version__,
                                                     overdue=overdue, csv_link=csv_link)
