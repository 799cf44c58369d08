"""The post-facto tracking commands (Art. 66): verify, history, diff, recheck, incident, review,
due, report, register export/import. Click only: options in, one call into compliance.register,
exit code out. Heavy modules are imported inside the commands."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import click

from compliance.cli.base import main, run
from compliance.errors import ExitCode, ToolError

LANG = click.Choice(["en", "zh"])
FORMAT = click.Choice(["text", "json"])


def _db_option(function):
    return click.option("--db", type=click.Path(dir_okay=False),
                        help="Register file (default: .aicomply/register.db, or `register` in the config).")(function)


def _config_option(function):
    return click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True),
                        help="Config file to use instead of the nearest aicomply.yaml or pyproject.toml.")(function)


def _settings(config_file: str | None, **given):
    from compliance.gate.config import load_settings

    given = {name: value for name, value in given.items() if value}
    return load_settings(given, config=Path(config_file) if config_file else None)


def _register_path(db: str | None, config_file: str | None) -> str:
    return _settings(config_file, register=db)["register"]


def _rules(pack: str | None, extra_packs: tuple, config_file: str | None):
    """The rule packs a command judges by: options, else the config's pack and packs."""
    from compliance.evaluate.checklists import load_rules

    settings = _settings(config_file, pack=pack, packs=list(extra_packs))
    return load_rules(settings["pack"], tuple(settings["packs"]))


def _run(action) -> None:
    run(action)


def _days(text: str, option: str) -> int:
    match = re.fullmatch(r"(\d{1,5})d?", text.strip())
    if match is None:
        raise ToolError(f"{option} takes a number of days such as 30d, got {text!r}")
    return int(match.group(1))


def _utc_today() -> date:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).date()


def _echo(text: str) -> None:
    click.echo(text, nl=False)


# --------------------------------------------------------------------------- verify

@click.command()
@click.option("--lang", type=LANG, default="en", show_default=True)
@_db_option
@_config_option
def verify(lang, db, config_file) -> None:
    """Check the register's hash chain; name the first record that does not verify (exit 1)."""

    def action():
        from compliance.register.records import verify as verify_chain
        from compliance.register.store import opened
        from compliance.register.views import verify_text

        path = _register_path(db, config_file)
        with opened(path) as register:
            verdict = verify_chain(register.records())
        _echo(verify_text(verdict, path, lang))
        return ExitCode.OK if verdict.ok else ExitCode.GATE_FAILED

    _run(action)


# -------------------------------------------------------------------------- history

@click.command()
@click.argument("product")
@click.option("--format", "fmt", type=FORMAT, default="text", show_default=True)
@click.option("--lang", type=LANG, default="en", show_default=True)
@_db_option
@_config_option
def history(product, fmt, lang, db, config_file) -> None:
    """The timeline of PRODUCT: checks and grade changes, documents, incidents, reviews."""

    def action():
        from compliance.register.store import opened
        from compliance.register.timeline import history as timeline
        from compliance.register.views import dumps, history_text

        with opened(_register_path(db, config_file)) as register:
            records = list(register.records(product))
            known = register.products()
        if not records:
            hint = f"; recorded products: {', '.join(known)}" if known else ""
            raise ToolError(f"no records of product {product!r} in the register{hint}")
        events = timeline(records)
        _echo(dumps({"product": product, "events": events}) if fmt == "json" else history_text(product, events, lang))
        return ExitCode.OK

    _run(action)


# ----------------------------------------------------------------------------- diff

@click.command()
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=FORMAT, default="text", show_default=True)
@click.option("--lang", type=LANG, default="en", show_default=True)
@click.option("--pack", help="Rule pack for declaration files (default: shenzhen-2022).")
@click.option("--extra-pack", "extra_packs", multiple=True, type=click.Path(file_okay=False, exists=True))
@_db_option
@_config_option
def diff(old, new, fmt, lang, pack, extra_packs, db, config_file) -> None:
    """Compare two assessments: declaration files, or recorded checks (@SEQ, PRODUCT, PRODUCT~N).

    Exit 1 when the grade rises, the declaration becomes invalid or a new unwaived error appears:
    a new ex-ante assessment is due.
    """

    def action():
        from compliance.register.diff import diff as compare
        from compliance.register.sides import (
            find_check,
            is_record_ref,
            side_from_file,
            side_from_record,
        )
        from compliance.register.store import opened
        from compliance.register.views import diff_json, diff_text, dumps

        sides = {}
        refs = [ref for ref in (old, new) if is_record_ref(ref)]
        if refs:
            with opened(_register_path(db, config_file)) as register:
                for ref in refs:
                    record = find_check(register, ref)
                    sides[ref] = side_from_record(register.body(record), f"{ref} (#{record.seq}, {record.at[:10]})")
        files = [ref for ref in (old, new) if ref not in sides]
        if files:
            rules = _rules(pack, extra_packs, config_file)
            for ref in files:
                if not Path(ref).is_file():
                    raise ToolError(f"{ref}: no such file, and not a recorded check (@SEQ, PRODUCT or PRODUCT~N)")
                sides[ref] = side_from_file(Path(ref), rules)
        change = compare(sides[old], sides[new])
        _echo(dumps(diff_json(change)) if fmt == "json" else diff_text(change, lang))
        return ExitCode.GATE_FAILED if change.demands_reassessment else ExitCode.OK

    _run(action)


# -------------------------------------------------------------------------- recheck

@click.command()
@click.option("--record", is_flag=True, help="Store the new result of every product that changed.")
@click.option("--format", "fmt", type=FORMAT, default="text", show_default=True)
@click.option("--lang", type=LANG, default="en", show_default=True)
@click.option("--pack", help="Rule pack (default: shenzhen-2022).")
@click.option("--extra-pack", "extra_packs", multiple=True, type=click.Path(file_okay=False, exists=True))
@click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]), help="Judge declared waivers on this date.")
@_db_option
@_config_option
def recheck(record, fmt, lang, pack, extra_packs, on, db, config_file) -> None:
    """Judge every product's latest recorded declaration by the rule packs in force now.

    Lists the products whose grade, findings or obligations changed; exit 1 when one of them
    needs a new ex-ante assessment.
    """

    def action():
        from compliance.register.recheck import recheck as run_recheck
        from compliance.register.store import opened
        from compliance.register.views import dumps, recheck_json, recheck_text

        rules = _rules(pack, extra_packs, config_file)
        with opened(_register_path(db, config_file)) as register:
            items = list(run_recheck(register, rules, on.date() if on else date.today(), record))
        _echo(dumps(recheck_json(items)) if fmt == "json" else recheck_text(items, lang))
        return ExitCode.GATE_FAILED if any(i.diff.demands_reassessment for i in items) else ExitCode.OK

    _run(action)


# ------------------------------------------------------------------ incidents, reviews

def _require_product(register, product: str) -> None:
    if register.latest(product, "check") is None:
        known = register.products()
        hint = f"; recorded products: {', '.join(known)}" if known else ""
        raise ToolError(f"no recorded check of product {product!r}: record one first "
                        f"(`aicomply check --record`){hint}")


def _text(value: str, option: str) -> str:
    if not value.strip():
        raise ToolError(f"{option} cannot be empty")
    return value.strip()


@click.group()
def incident() -> None:
    """Record and list incidents of a product (post-facto tracking)."""


@incident.command("add")
@click.argument("product")
@click.option("--severity", required=True, type=click.Choice(["low", "medium", "high", "critical"]))
@click.option("--summary", required=True, help="One line: what happened.")
@click.option("--date", "occurred", type=click.DateTime(["%Y-%m-%d"]), help="When it happened (default: today).")
@click.option("--details", help="More about it: impact, users affected, actions taken.")
@click.option("--reporter", help="Who reports it.")
@_db_option
@_config_option
def incident_add(product, severity, summary, occurred, details, reporter, db, config_file) -> None:
    """Record an incident of PRODUCT."""

    def action():
        from compliance.register.entries import incident_body
        from compliance.register.store import opened

        body = incident_body(severity, _text(summary, "--summary"), (occurred.date() if occurred else date.today())
                             .isoformat(), details, reporter)
        with opened(_register_path(db, config_file)) as register:
            _require_product(register, product)
            record = register.append("incident", product, body)
        click.echo(f"recorded incident #{record.seq} of {product}")
        return ExitCode.OK

    _run(action)


@incident.command("list")
@click.argument("product", required=False)
@click.option("--format", "fmt", type=FORMAT, default="text", show_default=True)
@click.option("--lang", type=LANG, default="en", show_default=True)
@_db_option
@_config_option
def incident_list(product, fmt, lang, db, config_file) -> None:
    """Incidents of PRODUCT, or of every product, in the order they were recorded."""

    def action():
        from compliance.register.store import opened
        from compliance.register.views import dumps, incidents_json, incidents_text

        with opened(_register_path(db, config_file)) as register:
            records = list(register.records(product, "incident"))
        _echo(dumps(incidents_json(records)) if fmt == "json" else incidents_text(records, lang))
        return ExitCode.OK

    _run(action)


@click.group()
def review() -> None:
    """Record tracking-plan reviews of a product (post-facto tracking)."""


@review.command("add")
@click.argument("product")
@click.option("--reviewer", required=True, help="Who reviewed.")
@click.option("--outcome", required=True, help="What the review found and decided.")
@click.option("--date", "reviewed", type=click.DateTime(["%Y-%m-%d"]), help="When (default: today).")
@click.option("--next", "next_due", type=click.DateTime(["%Y-%m-%d"]),
              help="When the next review is due (default: by the declared review interval).")
@_db_option
@_config_option
def review_add(product, reviewer, outcome, reviewed, next_due, db, config_file) -> None:
    """Record a tracking-plan review of PRODUCT."""

    def action():
        from compliance.register.entries import review_body
        from compliance.register.store import opened

        day = reviewed.date() if reviewed else date.today()
        if next_due and next_due.date() <= day:
            raise ToolError(f"--next ({next_due.date()}) must come after the review date ({day})")
        body = review_body(day.isoformat(), _text(reviewer, "--reviewer"), _text(outcome, "--outcome"),
                           next_due.date().isoformat() if next_due else None)
        with opened(_register_path(db, config_file)) as register:
            _require_product(register, product)
            record = register.append("review", product, body)
        click.echo(f"recorded review #{record.seq} of {product}")
        return ExitCode.OK

    _run(action)


# ------------------------------------------------------------------------------ due

@click.command()
@click.option("--within", default="30d", show_default=True, help="Also list what falls due in this many days.")
@click.option("--stale", default="90d", show_default=True, help="A product's last check is stale after this long.")
@click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]),
              help="Judge on this date (default: today in UTC, the register's clock).")
@click.option("--format", "fmt", type=FORMAT, default="text", show_default=True)
@click.option("--lang", type=LANG, default="en", show_default=True)
@_db_option
@_config_option
def due(within, stale, on, fmt, lang, db, config_file) -> None:
    """Overdue and upcoming tracking reviews, expiring waivers, documents older than their
    declaration, stale checks. Exit 1 when anything is overdue."""

    def action():
        from compliance.register.store import opened
        from compliance.register.timeline import due as due_items
        from compliance.register.views import due_json, due_text, dumps

        days, stale_days = _days(within, "--within"), _days(stale, "--stale")
        day = on.date() if on else _utc_today()
        with opened(_register_path(db, config_file)) as register:
            items = [item for product in register.products()
                     for item in due_items(product, list(register.records(product)), day, days, stale_days)]
        _echo(dumps(due_json(items, day, days)) if fmt == "json" else due_text(items, day, days, lang))
        return ExitCode.GATE_FAILED if any(item.state == "overdue" for item in items) else ExitCode.OK

    _run(action)


# --------------------------------------------------------------------------- report

@click.command()
@click.option("--html", "html", required=True, type=click.Path(dir_okay=False),
              help="Write the portfolio page to this file.")
@click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]), help="Judge due items on this date (default: today).")
@click.option("--force", is_flag=True, help="Replace an existing file (never the register).")
@_db_option
@_config_option
def report(html, on, force, db, config_file) -> None:
    """One self-contained HTML page of every product in the register: grade, findings, obligations,
    due items, grade history; sortable, filterable, English and Chinese."""

    def action():
        from compliance.files import Protected, plan, write_all
        from compliance.register.portfolio import page, portfolio
        from compliance.register.store import opened

        day = on.date() if on else _utc_today()
        path = _register_path(db, config_file)
        target = plan(html, force, Protected().add_register(path))  # before any work: a refusal costs nothing
        with opened(path) as register:
            rows = portfolio(register, day)
        write_all([(target, page(rows, day))])
        click.echo(f"wrote {html} ({len(rows)} products)")
        return ExitCode.OK

    _run(action)


# ------------------------------------------------------------------- export, import

@click.group()
def register() -> None:
    """Back up or move the register: export to JSON lines, import (idempotent, verified)."""


@register.command("export")
@click.argument("target", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Replace an existing file.")
@_db_option
@_config_option
def register_export(target, force, db, config_file) -> None:
    """Write every record to TARGET (JSON lines), after verifying the chain."""

    def action():
        from compliance.files import FileExists
        from compliance.register.backup import export
        from compliance.register.store import opened

        with opened(_register_path(db, config_file)) as store:
            try:
                count, head = export(store, target, force)
            except FileExists:
                raise ToolError(f"{target} exists; pass --force to replace it") from None
        click.echo(f"exported {count} records to {target}; head {head}")
        return ExitCode.OK

    _run(action)


@register.command("import")
@click.argument("source", type=click.Path(dir_okay=False, exists=True))
@_db_option
@_config_option
def register_import(source, db, config_file) -> None:
    """Add the records of an export to the register (created if needed). Records already present
    must match; nothing is written unless the whole export verifies."""

    def action():
        from compliance.register.backup import read_export
        from compliance.register.store import opened

        records = read_export(Path(source), source)
        with opened(_register_path(db, config_file), create=True) as store:
            added, present = store.extend(records)
        click.echo(f"imported {added} records ({present} already present)")
        return ExitCode.OK

    _run(action)


for _command in (verify, history, diff, recheck, incident, review, due, report, register):
    main.add_command(_command)
