"""`aicomply init` and `aicomply migrate`: writing declarations."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from compliance.cli.base import LANG, guarded, main
from compliance.errors import ExitCode


@main.command()
@click.argument("path", default="declaration.yaml", type=click.Path(dir_okay=False))
@click.option("--lang", type=LANG, default="en", show_default=True, help="Language of the comments.")
@click.option("--id", "product_id", help="Product id to fill in (a slug such as my-product).")
@click.option("--name", "product_name", help="Product name to fill in.")
def init(path, lang, product_id, product_name) -> None:
    """Write a commented declaration scaffold to PATH (never overwrites)."""

    def action():
        from compliance.declaration.scaffold import scaffold, write_scaffold
        from compliance.files import FileExists

        text = scaffold(lang, product_id, product_name)
        try:
            write_scaffold(path, text)
        except FileExists:
            click.echo(f"aicomply: error: {path} already exists; choose another path or move it away "
                       "(init never overwrites)", err=True)
            return ExitCode.GATE_FAILED
        click.echo(f"wrote {path}: fill in the <...> placeholders, then run `aicomply check {path}`")
        return ExitCode.OK

    sys.exit(int(guarded(action) or 0))



@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--out", "out", type=click.Path(file_okay=False),
              help="Write the v2 files under this folder (same relative paths) instead of in place.")
@click.option("--check", "dry_run", is_flag=True,
              help="Only list what would change; exit 1 when a file would change (for CI). Writes nothing.")
def migrate(paths, out, dry_run) -> None:
    """Rewrite v1 declarations as format v2, keeping comments, key order and formatting.

    Files already in v2 are left alone, so running it twice changes nothing. For each file it
    lists the facts v2 asks for that v1 could not state: they count as unknown until stated.
    Exit 0 when done (or nothing to do), 1 when --check finds files to migrate or a file is
    invalid, 2 if aicomply cannot run.
    """

    def action():
        from compliance.declaration.migrate import migrate_file
        from compliance.files import write_atomic
        from compliance.pipeline import discover

        outcomes = [migrate_file(path, display) for path, display in discover(tuple(paths))]
        failed = False
        for outcome in outcomes:
            failed |= _report_migration(outcome, dry_run)
            if outcome.state == "migrated" and not dry_run:
                target = Path(out) / outcome.display if out else Path(outcome.display)
                if out:
                    target.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(target, outcome.text, overwrite=True)
        changed = sum(outcome.state == "migrated" for outcome in outcomes)
        verb = "would migrate" if dry_run else "migrated"
        click.echo(f"{verb} {changed} of {len(outcomes)} file(s)", err=True)
        if failed or (dry_run and changed):
            return ExitCode.GATE_FAILED
        return ExitCode.OK

    sys.exit(int(guarded(action) or 0))


def _report_migration(outcome, dry_run: bool) -> bool:
    """Print one file's outcome; True when it is a failure for the exit code."""
    if outcome.state == "invalid":
        for problem in outcome.problems:
            click.echo(problem, err=True)
        click.echo(f"{outcome.display}: not migrated: fix the problems above first (`aicomply check`)", err=True)
        return True
    if outcome.state != "migrated":
        return False
    click.echo(f"{outcome.display}: {'would be migrated' if dry_run else 'migrated'} to aicomply/v2")
    for note in outcome.notes:
        click.echo(f"  note: {note}")
    if outcome.unknowns:
        click.echo(f"  unknown until stated: {', '.join(outcome.unknowns)}")
    return False
