"""The `aicomply` command. Click only: options in, one call into the core, exit code out.

Heavy modules are imported inside the commands that need them, so `aicomply check one.yaml`
starts fast and `aicomply --help` faster.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from compliance import __version__
from compliance.errors import AicomplyError, ExitCode, ToolError
from compliance.report import FORMATS

LANG = click.Choice(["en", "zh"])


def _version_text() -> str:
    from compliance.evaluate.checklists import DEFAULT_PACK, MANIFEST, pack_directory
    from compliance.load import yaml_backend

    pack = "unavailable"
    try:
        import re

        manifest = (pack_directory(DEFAULT_PACK) / MANIFEST).read_text(encoding="utf-8")
        version = re.search(r"^version:\s*(\S+)", manifest, re.MULTILINE)
        pack = f"{DEFAULT_PACK} {version.group(1) if version else '?'}"
    except (OSError, AicomplyError):
        pass
    return f"aicomply {__version__}\nrule pack: {pack}\nYAML backend: {yaml_backend()}"


def _print_version(ctx: click.Context, _param, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(_version_text())
        ctx.exit(0)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the tool version, the rule-pack version and the YAML backend.")
def main() -> None:
    """Check AI products against the Shenzhen SEZ AI Industry Promotion Regulations (2022).

    Grade risk (Art. 66), screen for the Art. 72 prohibited behaviours, and list the
    obligations that follow. Start with `aicomply init`, then `aicomply check`.
    `aicomply incentives PROFILE` estimates the Shenzhen, Qianhai and Longgang AI incentives.
    """


def _fail(message: str, code: ExitCode = ExitCode.TOOL_ERROR) -> None:
    click.echo(f"aicomply: error: {message}", err=True)
    sys.exit(int(code))


def _guarded(action):
    """Runs a command body: our own errors become one line and exit 2; nothing else leaks a traceback."""
    try:
        return action()
    except AicomplyError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("interrupted", ExitCode.TOOL_ERROR)
    except BrokenPipeError:  # the reader went away (| head): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(int(ExitCode.GATE_FAILED))
    except Exception as exc:  # a bug in aicomply, not a user mistake
        if os.environ.get("AICOMPLY_DEBUG"):
            raise
        _fail(f"internal error ({type(exc).__name__}: {exc}); please report it, "
              "and set AICOMPLY_DEBUG=1 to see the traceback")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "formats", multiple=True, type=click.Choice(list(FORMATS)),
              help="Output format; repeat for several (default: text).")
@click.option("--output", "-o", "outputs", multiple=True, type=click.Path(dir_okay=False),
              help="File for the --format in the same position; formats without one go to stdout.")
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
@click.option("--db", type=click.Path(dir_okay=False), help="Register file (default: .aicomply/register.db).")
def check(paths, formats, outputs, lang, fail_on, pack, extra_packs, waivers, no_waivers, today, baseline, exclude,
          jobs, config_file, color, record, db) -> None:
    """Check declarations (files, or folders searched for *.yaml, *.yml, *.json).

    Settings come from the command line, else the nearest aicomply.yaml or [tool.aicomply] in
    pyproject.toml (see `aicomply config`), else defaults.

    Exit codes: 0 nothing at or above --fail-on; 1 the gate failed (findings at or above
    --fail-on, or an invalid declaration); 2 aicomply could not run.
    """

    def action():
        from compliance.pipeline import RunOptions, run
        from compliance.report.output import emit

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
        settings = _settings(given, config_file)
        if not settings["paths"]:
            raise ToolError("no paths to check: name files or folders, or set `paths` in aicomply.yaml")
        targets = _targets(settings["formats"])
        options = RunOptions(
            paths=tuple(settings["paths"]), include=tuple(settings["include"]), exclude=tuple(settings["exclude"]),
            fail_on=settings["fail_on"], pack=settings["pack"], extra_packs=tuple(settings["packs"]),
            waivers=settings["waivers"],
            use_waivers=not no_waivers, today=today.date() if today else None, jobs=settings["jobs"],
            baseline=settings["baseline"],
        )
        if record and settings["baseline"]:
            raise ToolError("--record stores every finding: drop --baseline (or the config's baseline) to record")
        info, results = run(options)
        if sys.stderr.isatty() and info.total >= _PROGRESS_MIN_FILES:
            results = _with_progress(results, info.total)
        use_colour = color if color is not None else sys.stdout.isatty()
        style = click.style if use_colour else _no_style
        if not record:
            tally = emit(info, results, targets, settings["lang"], style=style)
        else:
            tally = _emit_recording(info, results, targets, settings, style)
        return ExitCode.GATE_FAILED if tally.gate_failed else ExitCode.OK

    sys.exit(int(_guarded(action)))


_PROGRESS_MIN_FILES = 200


def _emit_recording(info, results, targets, settings, style):
    from compliance.register.recording import Log, recording
    from compliance.register.store import opened
    from compliance.report.output import emit

    log = Log()
    with opened(settings["register"], create=True) as register:
        tally = emit(info, recording(results, info, register, log), targets, settings["lang"], style=style)
    stored = len(log.stored)
    click.echo(f"recorded {stored} check{'s' * (stored != 1)} in {settings['register']}", err=True)
    if log.skipped:
        click.echo(f"not recorded (no product id to file them under): {', '.join(log.skipped)}", err=True)
    return tally


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


def _settings(given: dict, config_file: str | None):
    from compliance.config import load_settings

    return load_settings(given, config=Path(config_file) if config_file else None)


def _targets(formats: list):
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
@click.option("--force", is_flag=True, help="Replace an existing baseline file.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True))
def baseline_create(paths, output, force, config_file) -> None:
    """Write the fingerprints of every current finding (waived ones excepted) to a baseline file."""

    def action():
        from compliance.baseline import build
        from compliance.files import FileExists, write_atomic
        from compliance.pipeline import RunOptions, run

        settings = _settings({"paths": list(paths)} if paths else {}, config_file)
        if not settings["paths"]:
            raise ToolError("no paths to check: name files or folders, or set `paths` in aicomply.yaml")
        info, results = run(RunOptions(paths=tuple(settings["paths"]), include=tuple(settings["include"]),
                                       exclude=tuple(settings["exclude"]), pack=settings["pack"],
                                       extra_packs=tuple(settings["packs"]), waivers=settings["waivers"],
                                       jobs=settings["jobs"]))
        results = list(results)
        text = build(results, info.tool_version, info.packs)
        try:
            write_atomic(output, text, overwrite=force)
        except FileExists:
            raise ToolError(f"{output} already exists; pass --force to replace it") from None
        count = sum(len(r.findings) for r in results)
        click.echo(f"wrote {output}: {count} finding(s) of {len(results)} file(s)")

    _guarded(action)


@main.command("config")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True),
              help="Config file to use instead of the nearest aicomply.yaml or pyproject.toml.")
def show_config(config_file) -> None:
    """Print the effective settings and where each comes from."""

    def action():
        from compliance.config import describe

        click.echo(describe(_settings({}, config_file)), nl=False)

    _guarded(action)


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


def _no_style(text: str, **_) -> str:
    return text


def _pack_options(function):
    function = click.option("--pack", help="Rule pack: a bundled pack name or a folder.")(function)
    function = click.option("--extra-pack", "extra_packs", multiple=True, type=click.Path(file_okay=False, exists=True),
                            help="An organisation's own rule pack added to the main one; repeatable.")(function)
    return click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True),
                        help="Config file to use instead of the nearest one.")(function)


def _load_rules(pack, extra_packs, config_file):
    from compliance.evaluate.checklists import load_rules

    given = {name: value for name, value in (("pack", pack), ("packs", list(extra_packs))) if value}
    settings = _settings(given, config_file)
    return load_rules(settings["pack"], tuple(settings["packs"]))


@main.command()
@click.option("--lang", type=LANG, default="en", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_pack_options
def rules(lang, fmt, pack, extra_packs, config_file) -> None:
    """List every rule: id, kind, severity, article, title."""

    def action():
        from compliance.report.rules import render_rules

        click.echo(render_rules(_load_rules(pack, extra_packs, config_file), lang, fmt), nl=False)

    _guarded(action)


@main.command()
@click.argument("rule_id")
@click.option("--lang", type=LANG, default="en", show_default=True)
@_pack_options
def explain(rule_id, lang, pack, extra_packs, config_file) -> None:
    """Show one rule: citations, rationale, condition and examples."""

    def action():
        import difflib

        from compliance.report.rules import render_explain

        loaded = _load_rules(pack, extra_packs, config_file)
        rule = loaded.rule(rule_id.upper())
        if rule is None:
            close = difflib.get_close_matches(rule_id.upper(), [r.id for r in loaded.rules], n=1, cutoff=0.5)
            hint = f"; did you mean {close[0]}?" if close else "; `aicomply rules` lists them"
            raise ToolError(f"no rule {rule_id!r} in {loaded.id} {loaded.version}{hint}")
        click.echo(render_explain(rule, loaded, lang), nl=False)

    _guarded(action)


@main.command()
@click.argument("declaration", type=click.Path(dir_okay=False, exists=True))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False), help="Folder to write the documents to.")
@click.option("--lang", type=click.Choice(["en", "zh", "both"]), default="en", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), default="md", show_default=True,
              help="Markdown, or an A4 printable HTML page (print it to PDF from any browser).")
@click.option("--doc", "docs", multiple=True,
              type=click.Choice(["ex_ante_assessment", "risk_warning", "disclosure", "tracking_plan", "ethics_filing",
                                 "algorithm_explanation"]),
              help="Write this document (repeatable); default: the ones the grade and triggers call for.")
@click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]),
              help="Date the documents carry (default: today, which makes the output change daily).")
@click.option("--force", is_flag=True, help="Overwrite documents that exist.")
@click.option("--record", is_flag=True, help="Note each document in the register (history, and `due` when it ages).")
@click.option("--db", type=click.Path(dir_okay=False), help="Register file (default: .aicomply/register.db).")
@_pack_options
def render(declaration, out, lang, fmt, docs, on, force, record, db, pack, extra_packs, config_file) -> None:
    """Write the documents a declaration's grade and triggers call for (Art. 66, 65, 71)."""

    def action():
        from compliance.files import FileExists
        from compliance.render import InvalidDeclaration, RenderRequest
        from compliance.render import render as render_documents

        given = {name: value for name, value in (("pack", pack), ("packs", list(extra_packs)), ("register", db))
                 if value}
        settings = _settings(given, config_file)
        request = RenderRequest(
            declaration=Path(declaration), out=Path(out), langs=("en", "zh") if lang == "both" else (lang,), fmt=fmt,
            docs=tuple(docs), on=on.date() if on else None, force=force, pack=settings["pack"],
            extra_packs=tuple(settings["packs"]),
        )
        try:
            written = render_documents(request)
        except FileExists as exc:
            click.echo(f"aicomply: error: {exc} exists; nothing was written (pass --force to overwrite)", err=True)
            return ExitCode.GATE_FAILED
        except InvalidDeclaration as exc:
            for line in exc.lines:
                click.echo(f"{line}", err=True)
            click.echo("aicomply: error: the declaration is invalid; fix it (see `aicomply check`), nothing was written",
                       err=True)
            return ExitCode.GATE_FAILED
        for item in written:
            click.echo(f"wrote {item.path}")
        if record:
            _record_documents(written, settings["register"])
        if not on:
            click.echo("note: dated today; pass --date YYYY-MM-DD for documents that do not change from day to day",
                       err=True)
        return ExitCode.OK

    sys.exit(int(_guarded(action) or 0))


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
                click.echo(line, err=True)
            click.echo("aicomply: error: the profile is invalid; fix the lines above (schema: "
                       "schemas/profile-v1.schema.json)", err=True)
            return ExitCode.GATE_FAILED
        if output:
            write_atomic(output, report, overwrite=True)
            click.echo(f"wrote {output}")
        else:
            click.echo(report, nl=False)
        return ExitCode.OK

    sys.exit(int(_guarded(action) or 0))


def _record_documents(written, register_path: str) -> None:
    from compliance.register.entries import document_body
    from compliance.register.store import opened

    with opened(register_path, create=True) as register:
        for item in written:
            register.append("document", item.product, document_body(item))
    click.echo(f"recorded {len(written)} documents in {register_path}", err=True)


@main.command()
@click.argument("path", default="declaration.yaml", type=click.Path(dir_okay=False))
@click.option("--lang", type=LANG, default="en", show_default=True, help="Language of the comments.")
@click.option("--id", "product_id", help="Product id to fill in (a slug such as my-product).")
@click.option("--name", "product_name", help="Product name to fill in.")
def init(path, lang, product_id, product_name) -> None:
    """Write a commented declaration scaffold to PATH (never overwrites)."""

    def action():
        from compliance.files import FileExists
        from compliance.scaffold import scaffold, write_scaffold

        text = scaffold(lang, product_id, product_name)
        try:
            write_scaffold(path, text)
        except FileExists:
            click.echo(f"aicomply: error: {path} already exists; choose another path or move it away "
                       "(init never overwrites)", err=True)
            return ExitCode.GATE_FAILED
        click.echo(f"wrote {path}: fill in the <...> placeholders, then run `aicomply check {path}`")
        return ExitCode.OK

    sys.exit(int(_guarded(action) or 0))


def _add_tracking_commands() -> None:
    from compliance.cli_register import add_commands

    add_commands(main)


_add_tracking_commands()


if __name__ == "__main__":  # pragma: no cover
    main()
