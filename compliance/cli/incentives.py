"""`aicomply incentives`: the incentive estimator."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from compliance.cli.base import LANG, guarded, main
from compliance.errors import ExitCode
from compliance.escape import shown


@main.command()
@click.argument("profile", type=click.Path(dir_okay=False, exists=True))
@click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]),
              help="Evaluation date for the validity windows (default: today).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("--lang", type=LANG, default="en", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report to this file instead of stdout.")
def incentives(profile, on, fmt, lang, output) -> None:
    """Estimate the Shenzhen municipal, Qianhai and Longgang AI incentives an enterprise PROFILE may claim.

    Per measure: eligible, not eligible or needs information; the amount (rate x base, capped,
    with the arithmetic); the conditions met and missing; the clause; the validity window.
    Exit 0 with an estimate, 1 for an invalid profile, 2 if the tool cannot run.
    """

    def action():
        from datetime import date

        from compliance.files import write_atomic
        from compliance.incentives import estimate_file
        from compliance.incentives.profile import InvalidProfile

        try:
            report = estimate_file(Path(profile), profile, on.date() if on else date.today(), fmt, lang)
        except InvalidProfile as exc:
            for line in exc.lines(lang):
                click.echo(shown(line), err=True)
            click.echo("aicomply: error: the profile is invalid; fix the lines above (schema: "
                       "schemas/profile-v1.schema.json)", err=True)
            return ExitCode.GATE_FAILED
        if output:
            write_atomic(output, report, overwrite=True)
            click.echo(f"wrote {output}")
        else:
            click.echo(report, nl=False)
        return ExitCode.OK

    sys.exit(int(guarded(action) or 0))

