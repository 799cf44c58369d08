"""`aicomply incentives`: the incentive estimator, and `incentives init` for a profile scaffold."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from compliance.cli.base import LANG, guarded, main
from compliance.errors import ExitCode
from compliance.escape import shown


class _EstimateByDefault(click.Group):
    """`aicomply incentives PROFILE ...` estimates; `aicomply incentives init ...` writes a scaffold.
    Anything that is not a subcommand's name goes to `estimate` (a profile named init: ./init)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["estimate", *args]
        return super().parse_args(ctx, args)


@main.group(cls=_EstimateByDefault)
def incentives() -> None:
    """Estimate the Shenzhen municipal, Qianhai and Longgang AI incentives a PROFILE may claim.

    `aicomply incentives PROFILE` estimates (the same as `aicomply incentives estimate PROFILE`);
    `aicomply incentives init` writes a profile to fill in.
    """


@incentives.command()
@click.argument("profile", type=click.Path(dir_okay=False, exists=True))
@click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]),
              help="Evaluation date for the validity windows (default: today).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("--lang", type=LANG, default="en", show_default=True)
@click.option("--stacking", type=click.Choice(["not-allowed", "allowed"]), default="not-allowed", show_default=True,
              help="Whether city and district support for one spend may be combined: the texts do not say; "
                   "not-allowed counts one (the conservative reading).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report to this file instead of stdout.")
@click.option("--force", is_flag=True, help="Replace an existing output file (never the profile).")
def estimate(profile, on, fmt, lang, stacking, output, force) -> None:
    """Estimate what the applicant in PROFILE may claim.

    Per clause of every document: each measure's answer (eligible, not eligible or needs
    information), the amount (rate x base, capped, with the arithmetic), the conditions met and
    missing, who may claim, and the validity window; the clauses not estimated, with why.
    Exit 0 with an estimate, 1 for an invalid profile, 2 if the tool cannot run.
    """

    def action():
        from datetime import date

        from compliance.files import Protected, plan, write_all
        from compliance.incentives import estimate_file
        from compliance.incentives.profile import InvalidProfile

        # decided before the estimate: a refusal costs nothing
        target = plan(output, force, Protected().add(profile, "the profile read")) if output else None
        try:
            report = estimate_file(Path(profile), profile, on.date() if on else date.today(), fmt, lang, stacking)
        except InvalidProfile as exc:
            for line in exc.lines(lang):
                click.echo(shown(line), err=True)
            click.echo("aicomply: error: the profile is invalid; fix the lines above (schema: "
                       "schemas/profile-v2.schema.json)", err=True)
            return ExitCode.GATE_FAILED
        for note in report.notes:
            click.echo(f"info: {profile}: {note}", err=True)
        if target is not None:
            write_all([(target, report.text)])
            click.echo(f"wrote {output}")
        else:
            click.echo(report.text, nl=False)
        return ExitCode.OK

    sys.exit(int(guarded(action) or 0))


@incentives.command()
@click.argument("path", default="profile.yaml", type=click.Path(dir_okay=False))
@click.option("--lang", type=LANG, default="en", show_default=True, help="Language of the comments.")
def init(path, lang) -> None:
    """Write a commented enterprise profile scaffold to PATH (never overwrites)."""

    def action():
        from compliance.files import FileExists
        from compliance.incentives.scaffold import scaffold, write_scaffold

        try:
            write_scaffold(path, scaffold(lang))
        except FileExists:
            click.echo(f"aicomply: error: {path} already exists; choose another path or move it away "
                       "(init never overwrites)", err=True)
            return ExitCode.GATE_FAILED
        click.echo(f"wrote {path}: fill in the <...> placeholders, then run `aicomply incentives {path}`")
        return ExitCode.OK

    sys.exit(int(guarded(action) or 0))
