"""`aicomply check`, `baseline create` and `config`: the gate over declarations."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from compliance.cli.base import LANG, guarded, main, no_style, settings_from
from compliance.errors import ExitCode, ToolError
from compliance.escape import shown
from compliance.report import FORMATS


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "formats", multiple=True, type=click.Choice(list(FORMATS)),
              help="Output format; repeat for several (default: text).")
@click.option("--output", "-o", "outputs", multiple=True, type=click.Path(dir_okay=False),
              help="File for the --format in the same position; formats without one go to stdout. A report "
                   "aicomply wrote before is replaced; any other existing file needs --force.")
@click.option("--force", is_flag=True,
              help="Replace existing output files that are not aicomply reports (never an input or the register).")
@click.option("--lang", type=LANG, help="Language of the verdict (default: en).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]),
              help="Lowest severity that fails the gate, exit code 1 (default: error).")
@click.option("--pack", help="Rule pack: a bundled pack name or a folder (default: shenzhen-2022).")
@click.option("--extra-pack", "extra_packs", multiple=True, type=click.Path(file_okay=False, exists=True),
              help="An organisation's own rule pack (a folder) added to the main one; repeatable.")
@click.option("--waivers", type=click.Path(dir_okay=False),
              help="Waiver file (default: .aicomply-waivers.yaml in the current folder, if present).")
@click.option("--no-waivers", is_flag=True, help="Ignore all waivers and show every finding (audits).")
@click.option("--date", "today", type=click.DateTime(["%Y-%m-%d"]),
              help="Judge waiver expiry on this date instead of today (reproducible runs).")
@click.option("--baseline", type=click.Path(dir_okay=False),
              help="Report only findings that are not in this baseline file (see `aicomply baseline create`).")
@click.option("--exclude", multiple=True, help=".gitignore-style pattern of files to skip; repeatable.")
@click.option("--jobs", "-j", type=click.IntRange(0, 256),
              help="Worker processes (default 0: one per core; small runs use one process).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True),
              help="Config file to use instead of the nearest aicomply.yaml or pyproject.toml.")
@click.option("--color/--no-color", default=None, help="Colour the text output (default: when on a terminal).")
@click.option("--record", is_flag=True, help="Store each result in the register (post-facto tracking, Art. 66).")
@click.option("--db", help="The register: a SQLite file or postgresql://user@host/database (default: .aicomply/register.db, AICOMPLY_DB, or `register` in the config).")
def check(paths, formats, outputs, force, lang, fail_on, pack, extra_packs, waivers, no_waivers, today, baseline,
          exclude, jobs, config_file, color, record, db) -> None:
    """Check declarations (files, or folders searched for *.yaml, *.yml, *.json).

    Settings come from the command line, else the nearest aicomply.yaml or [tool.aicomply] in
    pyproject.toml (see `aicomply config`), else defaults.

    Exit codes: 0 nothing at or above --fail-on; 1 the gate failed (findings at or above
    --fail-on, or an invalid declaration); 2 aicomply could not run.
    """

    def action():
        from compliance.files import Protected
        from compliance.pipeline import RunOptions, run
        from compliance.report.output import emit, plan_outputs

        given = {name: value for name, value in (
            ("paths", list(paths)), ("exclude", list(exclude)), ("lang", lang), ("fail_on", fail_on),
            ("pack", pack), ("packs", list(extra_packs)), ("waivers", waivers), ("baseline", baseline),
            ("register", db)) if value}
        if jobs is not None:
            given["jobs"] = jobs
        if formats:
            given["formats"] = [{"format": t.fmt, "output": t.path} if t.path else {"format": t.fmt}
                                for t in _pair_outputs(formats, outputs)]
        elif outputs:
            raise ToolError("--output needs a --format to go with it")
        settings = settings_from(given, config_file)
        if not settings["paths"]:
            raise ToolError("no paths to check: name files or folders, or set `paths` in aicomply.yaml")
        reports = _reports(settings["formats"])
        options = RunOptions(
            paths=tuple(settings["paths"]), include=tuple(settings["include"]), exclude=tuple(settings["exclude"]),
            fail_on=settings["fail_on"], pack=settings["pack"], extra_packs=tuple(settings["packs"]),
            waivers=settings["waivers"],
            use_waivers=not no_waivers, today=today.date() if today else None, jobs=settings["jobs"],
            baseline=settings["baseline"], outputs=_output_paths(reports, settings), config_file=settings.config_file,
        )
        if record and settings["baseline"]:
            raise ToolError("--record stores every finding: drop --baseline (or the config's baseline) to record")
        info, results = run(options)
        if sys.stderr.isatty() and info.total >= _PROGRESS_MIN_FILES:
            results = _with_progress(results, info.total)
        use_colour = color if color is not None else sys.stdout.isatty()
        style = click.style if use_colour else no_style
        planned = plan_outputs(info, reports, force, Protected().add_register(settings["register"]))
        if not record:
            tally = emit(info, results, reports, settings["lang"], targets=planned, style=style)
            failures = 0
        else:
            tally, failures = _emit_recording(info, results, reports, planned, settings, style)
        if failures or tally.internal:  # the reports are written: a file aicomply failed on, or not recorded
            return ExitCode.TOOL_ERROR
        return ExitCode.GATE_FAILED if tally.gate_failed else ExitCode.OK

    sys.exit(int(guarded(action)))


_PROGRESS_MIN_FILES = 200


def _emit_recording(info, results, reports, planned, settings, style):
    from compliance.register.recording import Log, recording
    from compliance.register.store import opened
    from compliance.report.output import emit

    log = Log()
    with opened(settings["register"], create=True) as register:
        tally = emit(info, recording(results, info, register, log), reports, settings["lang"], targets=planned,
                     style=style)
    stored = len(log.stored)
    click.echo(f"recorded {stored} check{'s' * (stored != 1)} in {settings['register']}", err=True)
    if log.skipped:
        click.echo(f"not recorded (no product id to file them under): {shown(', '.join(log.skipped))}", err=True)
    for _, reason in log.failed:
        click.echo(f"aicomply: error: not recorded: {shown(reason)}", err=True)
    return tally, len(log.failed)


def _output_paths(reports, settings) -> tuple[str, ...]:
    """Report files of this run, and those the config names (a run with other --format options
    must not read the config's reports as declarations either)."""
    named = [report.path for report in reports if report.path]
    named += [item["output"] for item in settings.from_file.get("formats", ())
              if isinstance(item, dict) and item.get("output")]
    return tuple(dict.fromkeys(named))


def _with_progress(results, total: int):
    """Pass results through, drawing a progress bar on stderr (a terminal only) at most 10 times a second."""
    import time

    last = 0.0
    done = 0
    for result in results:
        yield result
        done += result.kind == "declaration"
        now = time.monotonic()
        if now - last >= 0.1 or done == total:
            last = now
            filled = done * 30 // max(total, 1)
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} declarations")
            sys.stderr.flush()
    sys.stderr.write("\r" + " " * 60 + "\r")
    sys.stderr.flush()



def _reports(formats: list):
    """Config or command-line formats as outputs; at most one may go to stdout."""
    from compliance.report.output import Output

    targets = [Output(item) if isinstance(item, str) else Output(item["format"], item.get("output")) for item in formats]
    if sum(1 for target in targets if target.path is None) > 1:
        raise ToolError("only one format can go to standard output; give an output file for the others")
    return targets


@main.group()
def baseline() -> None:
    """Record today's findings so that later checks report only new ones."""


@baseline.command("create")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--output", "-o", default=".aicomply-baseline.json", show_default=True, type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Replace an existing baseline file (never a file the run reads).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True))
def baseline_create(paths, output, force, config_file) -> None:
    """Write the fingerprints of every current finding (waived ones excepted) to a baseline file."""

    def action():
        from compliance.files import Protected, plan, write_all
        from compliance.gate.baseline import baselinable, build
        from compliance.pipeline import RunOptions, run

        settings = settings_from({"paths": list(paths)} if paths else {}, config_file)
        if not settings["paths"]:
            raise ToolError("no paths to check: name files or folders, or set `paths` in aicomply.yaml")
        info, results = run(RunOptions(paths=tuple(settings["paths"]), include=tuple(settings["include"]),
                                       exclude=tuple(settings["exclude"]), pack=settings["pack"],
                                       extra_packs=tuple(settings["packs"]), waivers=settings["waivers"],
                                       jobs=settings["jobs"], outputs=(output,), config_file=settings.config_file))
        # decided before the check runs: a refusal costs nothing
        target = plan(output, force, info.inputs.merged(Protected().add_register(settings["register"])))
        results = list(results)
        write_all([(target, build(results, info.tool_version, info.packs))])
        count = sum(1 for r in results for f in r.findings if baselinable(f))
        click.echo(f"wrote {output}: {count} finding(s) of {len(results)} file(s)")
        prohibited = sum(1 for r in results for f in r.findings if f.kind == "prohibited")
        if prohibited:
            click.echo(f"not baselined: {prohibited} prohibited-behaviour finding(s) (Art. 72); they are always "
                       "reported and fail the gate until the product or its declaration is corrected", err=True)

    guarded(action)


@main.command("config")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True),
              help="Config file to use instead of the nearest aicomply.yaml or pyproject.toml.")
def show_config(config_file) -> None:
    """Print the effective settings and where each comes from."""

    def action():
        from compliance.gate.config import describe

        text = describe(settings_from({}, config_file))  # values from a config file: shown escaped
        click.echo("\n".join(shown(line) for line in text.split("\n")), nl=False)

    guarded(action)


_SUFFIXES = {"text": (".txt", ".log"), "json": (".json",), "jsonl": (".jsonl", ".ndjson"),
             "sarif": (".sarif",), "junit": (".xml",), "markdown": (".md",)}


def _pair_outputs(formats: tuple[str, ...], outputs: tuple[str, ...]):
    """--output FILE goes with the --format at the same position; the rest go to stdout (one at most)."""
    from compliance.report.output import Output

    if len(outputs) > len(formats):
        raise ToolError("more --output than --format options: each --output names the file of one --format")
    pairs = [Output(fmt, outputs[i] if i < len(outputs) else None) for i, fmt in enumerate(formats)]
    if sum(1 for pair in pairs if pair.path is None) > 1:
        raise ToolError("only one format can go to standard output; give an --output for the others")
    for pair in pairs:
        suffix = Path(pair.path).suffix.lower() if pair.path else ""
        claimed = [fmt for fmt, suffixes in _SUFFIXES.items() if suffix in suffixes]
        if claimed and pair.fmt not in claimed:
            raise ToolError(f"--output {pair.path} pairs with --format {pair.fmt} (outputs pair with formats by "
                            "position); list the formats that have files first")
    return pairs


