"""`aicomply init`, `aicomply interview` and `aicomply migrate`: writing declarations."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from compliance.cli.base import LANG, guarded, main
from compliance.errors import ExitCode, ToolError


@main.command()
@click.argument("path", default="declaration.yaml", type=click.Path(dir_okay=False))
@click.option("--lang", type=LANG, default="en", show_default=True, help="Language of the comments.")
@click.option("--id", "product_id", help="Product id to fill in (a slug such as my-product).")
@click.option("--name", "product_name", help="Product name to fill in.")
@click.option("--interactive", is_flag=True, help="Ask the questions one at a time instead (same as `aicomply interview`).")
@click.option("--force", is_flag=True, help="Replace an existing file with the scaffold.")
@click.pass_context
def init(ctx, path, lang, product_id, product_name, interactive, force) -> None:
    """Write a commented declaration scaffold to PATH (an existing file only with --force).

    Every section of format v2 with its description in the chosen language (--lang en or zh).
    """
    if interactive:
        ctx.invoke(interview, path=path, lang=lang)
        return

    def action():
        from compliance.declaration.scaffold import scaffold, write_scaffold
        from compliance.files import FileExists

        text = scaffold(lang, product_id, product_name)
        try:
            write_scaffold(path, text, force)
        except FileExists:
            click.echo(f"aicomply: error: {path} already exists; choose another path, move it away or pass --force "
                       "to replace it", err=True)
            return ExitCode.GATE_FAILED
        click.echo(f"wrote {path}: fill in the <...> placeholders, then run `aicomply check {path}`")
        return ExitCode.OK

    sys.exit(int(guarded(action) or 0))


@main.command()
@click.argument("path", default="declaration.yaml", type=click.Path(dir_okay=False))
@click.option("--lang", type=LANG, default="en", show_default=True, help="Language of the questions and comments.")
@click.option("--answers", "answers_file", type=click.Path(dir_okay=False, exists=True),
              help="Replay answers from a YAML or JSON file (dotted field -> answer) instead of asking.")
@click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]), help="Date the declaration is written on (default: today).")
@click.option("--pack", help="Rule pack whose questions to ask (default: shenzhen-2022).")
@click.option("--extra-pack", "extra_packs", multiple=True, type=click.Path(file_okay=False, exists=True))
def interview(path, lang, answers_file, on, pack=None, extra_packs=()) -> None:
    """Ask, one at a time, the questions the rule packs need; write a commented v2 declaration.

    Each question says what it means and the article it serves; "?" answers "don't know"
    (recorded as unknown, graded as the risky answer). Sections that do not apply are skipped.
    The provisional grade is shown after each section. Never overwrites PATH.
    """

    def action():
        from datetime import date

        from compliance.declaration.interview import AnswerError, Console
        from compliance.declaration.validate import describe_issue, schema_issues
        from compliance.evaluate.checklists import load_rules
        from compliance.files import FileExists, write_atomic

        if Path(path).exists() or Path(path).is_symlink():
            raise ToolError(f"{path} already exists; choose another path or move it away (interview never overwrites)")
        rules = load_rules(pack, tuple(extra_packs))
        answers = _read_answers(answers_file) if answers_file else None
        console = None if answers is not None else Console(ask=_ask, say=click.echo)
        try:
            text, data = _interview(rules, lang, console, answers, on.date() if on else date.today())
        except AnswerError as exc:
            raise ToolError(f"{answers_file}: {exc}") from None
        problems = schema_issues(data)
        if problems:  # a gap between the questions and the format: never write an invalid file
            raise ToolError(f"the answers do not make a valid declaration: {describe_issue(problems[0], 'en')}")
        try:
            write_atomic(path, text, overwrite=False)
        except FileExists:
            raise ToolError(f"{path} already exists; nothing was written") from None
        click.echo(_NEXT[lang].format(path=path))
        return ExitCode.OK

    sys.exit(int(guarded(action) or 0))


_NEXT = {
    "en": "wrote {path}\nNext: run `aicomply check {path}` for the grade and findings; state the facts you answered "
          "\"don't know\" as you learn them; fill `transparency:` for the documents, then `aicomply render {path} "
          "--out docs/`.",
    "zh": "已写入 {path}\n下一步：运行 `aicomply check {path}` 查看等级和问题；了解后补充回答“不知道”的事实；填写 "
          "transparency 部分后运行 `aicomply render {path} --out docs/` 生成文件。",
}


def _ask(prompt: str) -> str:
    *above, last = prompt.split("\n")
    for line in above:
        click.echo(line)
    try:
        return input(last)
    except EOFError:
        raise ToolError("the interview ended before every question was answered; nothing was written") from None


def _interview(rules, lang, console, answers, today):
    from compliance.guided import interview as run

    return run(rules, lang, console, answers, today)


def _read_answers(path: str) -> dict:
    from compliance.declaration.load import read_document
    from compliance.errors import SourceError

    try:
        data = read_document(Path(path), path).data
    except SourceError as exc:
        raise ToolError(f"answers {exc}") from None
    if not isinstance(data, dict) or not all(isinstance(key, str) for key in data):
        raise ToolError(f"{path}: answers are a mapping of dotted field names to answers, such as product.id: my-bot")
    return data


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--out", "out", type=click.Path(file_okay=False),
              help="Write the v2 files under this folder (same relative paths) instead of in place.")
@click.option("--check", "dry_run", is_flag=True,
              help="Only list what would change; exit 1 when a file would change (for CI). Writes nothing.")
@click.option("--force", is_flag=True, help="With --out: replace files that exist there (never a file migrated).")
def migrate(paths, out, dry_run, force) -> None:
    """Rewrite v1 declarations as format v2, keeping comments, key order and formatting.

    Files already in v2 are left alone, so running it twice changes nothing. For each file it
    lists the facts v2 asks for that v1 could not state: they count as unknown until stated.
    Exit 0 when done (or nothing to do), 1 when --check finds files to migrate or a file is
    invalid, 2 if aicomply cannot run.
    """

    def action():
        from compliance.declaration.migrate import FileMigration, migrate_file
        from compliance.files import Protected, make_folder, plan, write_all
        from compliance.gate.discovery import discover

        found = discover(tuple(paths))
        outcomes = [migrate_file(item.path, item.display) if item.problem is None else
                    FileMigration(item.display, "invalid", problems=(f"{item.display}: {item.problem}",))
                    for item in found]
        failed = False
        for outcome in outcomes:
            failed |= _report_migration(outcome, dry_run)
        writes = [outcome for outcome in outcomes if outcome.state == "migrated" and not dry_run]
        if out:  # beside the originals, never onto one of them; an existing file only with --force
            inputs = Protected().add_known(((item.path, item.identity) for item in found), "a file being migrated")
            for outcome in writes:
                make_folder((Path(out) / outcome.display.lstrip("/")).parent)
            planned = [plan(Path(out) / outcome.display.lstrip("/"), force, inputs) for outcome in writes]
        else:  # in place: rewriting the file is what was asked
            planned = [plan(outcome.display, overwrite=True) for outcome in writes]
        write_all([(target, outcome.text) for target, outcome in zip(planned, writes)])
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
