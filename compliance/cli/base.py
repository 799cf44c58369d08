"""What every command shares: the `aicomply` group, the error guard, settings and common options.

Heavy modules are imported inside the commands that need them, so `aicomply check one.yaml`
starts fast and `aicomply --help` faster.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from compliance import __version__
from compliance.errors import AicomplyError, ExitCode
from compliance.escape import shown

LANG = click.Choice(["en", "zh"])


def _version_text() -> str:
    from compliance.declaration.load import yaml_backend
    from compliance.evaluate.checklists import DEFAULT_PACK, MANIFEST, pack_directory

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


# Which module defines each command: only the one a run names is imported (they cost start-up
# time); --help and completion import them all. tests/test_layout.py keeps this complete.
COMMAND_MODULES = {
    **dict.fromkeys(("check", "baseline", "config"), "check"),
    **dict.fromkeys(("init", "interview", "migrate"), "declarations"),
    "render": "documents",
    "incentives": "incentives",
    **dict.fromkeys(("rules", "explain"), "rules"),
    **dict.fromkeys(("history", "diff", "recheck", "verify", "due", "incident", "review", "report", "register"),
                    "register"),
}


class _LazyGroup(click.Group):
    """The `aicomply` group: a command's module is imported when the command is looked up."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(cmd_name)
        if module is not None and cmd_name not in self.commands:
            import importlib

            importlib.import_module(f"compliance.cli.{module}")  # its decorators register it on this group
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        for name in COMMAND_MODULES:
            self.get_command(ctx, name)
        return super().list_commands(ctx)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the tool version, the rule-pack version and the YAML backend.")
def main() -> None:
    """Check AI products against the Shenzhen SEZ AI Industry Promotion Regulations (2022).

    Grade risk (Art. 66), screen for the Art. 72 prohibited behaviours, and list the
    obligations that follow. Start with `aicomply init`, then `aicomply check`.
    `aicomply incentives PROFILE` estimates the Shenzhen, Qianhai and Longgang AI incentives.
    """


def _fail(message: str, code: ExitCode = ExitCode.TOOL_ERROR) -> None:
    click.echo(f"aicomply: error: {shown(message)}", err=True)
    sys.exit(int(code))


def guarded(action):
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


def settings_from(given: dict, config_file: str | None):
    from compliance.gate.config import load_settings

    return load_settings(given, config=Path(config_file) if config_file else None)


def no_style(text: str, **_) -> str:
    return text


def pack_options(function):
    function = click.option("--pack", help="Rule pack: a bundled pack name or a folder.")(function)
    function = click.option("--extra-pack", "extra_packs", multiple=True, type=click.Path(file_okay=False, exists=True),
                            help="An organisation's own rule pack added to the main one; repeatable.")(function)
    return click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True),
                        help="Config file to use instead of the nearest one.")(function)


def load_pack_rules(pack, extra_packs, config_file):
    from compliance.evaluate.checklists import load_rules

    given = {name: value for name, value in (("pack", pack), ("packs", list(extra_packs))) if value}
    settings = settings_from(given, config_file)
    return load_rules(settings["pack"], tuple(settings["packs"]))



def run(action) -> None:
    """Run a command body under the guard and exit with its code."""
    sys.exit(int(guarded(action) or 0))
