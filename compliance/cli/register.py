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
    return click.option("--db", help="The register: a SQLite file or postgresql://user@host/database (default: "
                                     "$AICOMPLY_DB, else `register` in the config, else .aicomply/register.db).")(function)


def _config_option(function):
    return click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True),
                        help="Config file to use instead of the nearest aicomply.yaml or pyproject.toml.")(function)


def _settings(config_file: str | None, **given):
    from compliance.gate.config import load_settings

    given = {name: value for name, value in given.items() if value}
    return load_settings(given, config=Path(config_file) if config_file else None)


def _register_path(db: str | None, config_file: str | None) -> str:
    return _settings(config_file, register=db)["register"]


def _zone(config_file: str | None):
    from compliance.register.clock import zone

    return zone(_settings(config_file)["timezone"])


def _rules(pack: str | None, extra_packs: tuple, config_file: str | None):
    """The rule packs a command judges by: options, else the config's pack and packs."""
    from compliance.evaluate.checklists import load_rules

    settings = _settings(config_file, pack=pack, packs=list(extra_packs))
    return load_rules(settings["pack"], tuple(settings["packs"]))


def _run(action) -> None:
    run(action)


MAX_DAYS = 3660  # ten years: a window or staleness beyond that is a typo


def _days(text: str, option: str) -> int:
    match = re.fullmatch(r"(\d{1,9})d?", text.strip())
    if match is None or int(match.group(1)) > MAX_DAYS:
        raise ToolError(f"{option} takes a number of days from 0 to {MAX_DAYS} such as 30d, got {text!r}")
    return int(match.group(1))


def _entered_day(value, option: str, config_file: str | None) -> date:
    """A date a person enters for something that happened (default: today where they are): not
    before 2000, not after tomorrow (a day's grace for time zones). Far dates would make every
    later `due` wrong or fail."""
    from datetime import timedelta

    from compliance.register.kinds import EARLIEST

    day = value.date() if value else _today(config_file)
    latest = _today(config_file) + timedelta(days=1)
    if not EARLIEST <= day <= latest:
        raise ToolError(f"{option} {day} is not a date this can have happened on: give one from {EARLIEST} "
                        f"to {latest}")
    return day


def _today(config_file: str | None) -> date:
    """Today in the configured time zone (default Asia/Shanghai), not in UTC."""
    from compliance.register.clock import today

    return today(_zone(config_file))


def _echo(text: str) -> None:
    click.echo(text, nl=False)


# --------------------------------------------------------------------------- verify

@click.command()
@click.option("--head", "anchor", metavar="HASH",
              help="A head hash kept elsewhere (a tag, a ticket): exit 1 unless it is a record of the verified chain.")
@click.option("--lang", type=LANG, default="en", show_default=True)
@_db_option
@_config_option
def verify(anchor, lang, db, config_file) -> None:
    """Check the register's hash chain and every record's content; name the first record that
    does not verify (exit 1)."""

    def action():
        from compliance.register.records import anchored
        from compliance.register.records import verify as verify_chain
        from compliance.register.store import opened
        from compliance.register.views import anchor_text, verify_text

        if anchor is not None and not re.fullmatch(r"[0-9a-f]{64}", anchor):
            raise ToolError(f"--head takes a record hash (64 hexadecimal digits) as `aicomply verify` prints it, "
                            f"got {anchor!r}")
        with opened(_register_path(db, config_file), readonly=True) as register:
            found: list[int] = []
            verdict = verify_chain(anchored(register.records(), anchor, found))
            location = register.location
        text = verify_text(verdict, location, lang)
        if anchor is not None:
            text += anchor_text(anchor, found[0] if found and found[0] <= verdict.count else None, lang)
        _echo(text)
        return ExitCode.OK if verdict.ok and (anchor is None or (found and found[0] <= verdict.count)) \
            else ExitCode.GATE_FAILED

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

        with opened(_register_path(db, config_file), readonly=True) as register:
            records = list(register.records(product))
            known = register.products()
        if not records:
            hint = f"; recorded products: {', '.join(known)}" if known else ""
            raise ToolError(f"no records of product {product!r} in the register{hint}")
        events = timeline(records)
        _echo(dumps({"product": product, "events": events}) if fmt == "json" else
              history_text(product, events, lang, _zone(config_file)))
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
    the Art. 66 documents are due again (a new ex-ante assessment for a high-risk product, the
    disclosure and tracking plan for a low- or medium-risk one).
    """

    def action():
        from compliance.register.clock import local_date
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
            with opened(_register_path(db, config_file), readonly=True) as register:
                for ref in refs:
                    record = find_check(register, ref)
                    day = local_date(record.at, _zone(config_file))
                    sides[ref] = side_from_record(register.body(record), f"{ref} (#{record.seq}, {day})")
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
    needs its Art. 66 documents again (a new ex-ante assessment if high risk, a review of the
    disclosure and tracking plan otherwise).
    """

    def action():
        from compliance.register.recheck import recheck as run_recheck
        from compliance.register.store import opened
        from compliance.register.views import dumps, recheck_json, recheck_text

        rules = _rules(pack, extra_packs, config_file)
        with opened(_register_path(db, config_file), readonly=not record) as register:
            items = list(run_recheck(register, rules, on.date() if on else _today(config_file), record))
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

        body = incident_body(severity, _text(summary, "--summary"), _entered_day(occurred, "--date", config_file).isoformat(),
                             details, reporter)
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

        with opened(_register_path(db, config_file), readonly=True) as register:
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
        from datetime import timedelta

        from compliance.register.entries import review_body
        from compliance.register.store import opened

        day = _entered_day(reviewed, "--date", config_file)
        if next_due and not day < next_due.date() <= day + timedelta(days=3653):
            raise ToolError(f"--next ({next_due.date()}) must come after the review date ({day}) and within ten "
                            "years of it")
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
              help="Judge on this date (default: today in the configured time zone, Asia/Shanghai unless set).")
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
        from compliance.register.timeline import tracked
        from compliance.register.views import due_json, due_text, dumps

        days, stale_days = _days(within, "--within"), _days(stale, "--stale")
        day, tz = on.date() if on else _today(config_file), _zone(config_file)
        with opened(_register_path(db, config_file), readonly=True) as register:
            items = [item for product, records in tracked(register).items()
                     for item in due_items(product, records, day, days, stale_days, tz)]
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

        day = on.date() if on else _today(config_file)
        path = _register_path(db, config_file)
        target = plan(html, force, Protected().add_register(path))  # before any work: a refusal costs nothing
        with opened(path, readonly=True) as register:
            rows = portfolio(register, day, _zone(config_file))
        write_all([(target, page(rows, day))])
        click.echo(f"wrote {html} ({len(rows)} products)")
        return ExitCode.OK

    _run(action)


# ------------------------------------------------------------------- export, import

@click.group()
def register() -> None:
    """Back up or move the register: export to JSON lines, import (idempotent, verified), copy
    between SQLite and PostgreSQL, create a PostgreSQL register's tables."""


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

        with opened(_register_path(db, config_file), readonly=True) as store:
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


@register.command("copy")
@click.option("--from", "source", required=True, help="The register to copy: sqlite:PATH, a path, or postgresql://...")
@click.option("--to", "target", required=True, help="Where to copy it (a SQLite file is created if needed).")
def register_copy(source, target) -> None:
    """Copy every record of one register into another: the source is verified first, the records
    are written in one transaction, the target is verified after. Copying again adds nothing."""

    def action():
        from compliance.register.copy import copy

        done = copy(source, target)
        click.echo(f"copied {done.added} records to {done.target} ({done.present} already present); head {done.head}")
        return ExitCode.OK

    _run(action)


@register.command("init-db")
@click.option("--print-sql", is_flag=True,
              help="Print the SQL (tables, triggers, and a role that may only SELECT and INSERT) for a DBA, "
                   "and change nothing.")
@_db_option
@_config_option
def register_init_db(print_sql, db, config_file) -> None:
    """Create (or upgrade) the register's tables in a PostgreSQL database; a SQLite register is
    created as a file. Run it once as the tables' owner; CI runners then record with the role."""

    def action():
        from compliance.register.store import is_server, opened

        target = _register_path(db, config_file)
        if print_sql:
            from urllib.parse import urlsplit

            from compliance.register.postgresql import init_sql

            name = urlsplit(target).path.strip("/") if is_server(target) else ""
            _echo(init_sql(name if re.fullmatch(r"[a-z_][a-z0-9_]*", name) else "aicomply"))
            return ExitCode.OK
        if is_server(target):
            from compliance.register.postgresql import display, init_db

            before, after = init_db(target)
            click.echo(f"{display(target)}: register tables at schema {after}" +
                       (f" (upgraded from {before})" if before and before != after else
                        " (already there)" if before == after else " (created)"))
        else:
            with opened(target, create=True) as store:
                click.echo(f"{store.location}: register ready ({store.count()} records)")
        return ExitCode.OK

    _run(action)


for _command in (verify, history, diff, recheck, incident, review, due, report, register):
    main.add_command(_command)
