"""`aicomply rules` and `aicomply explain`: what the rule packs say."""

from __future__ import annotations

import click

from compliance.cli.base import LANG, guarded, load_pack_rules, main, pack_options
from compliance.errors import ToolError


@main.command()
@click.option("--lang", type=LANG, default="en", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--unverified", is_flag=True, help="List the citations not verified against an official text instead.")
@pack_options
def rules(lang, fmt, unverified, pack, extra_packs, config_file) -> None:
    """List every rule: id, kind, severity, article, title."""

    def action():
        from compliance.report.rules import render_rules, render_unverified

        loaded = load_pack_rules(pack, extra_packs, config_file)
        shown = render_unverified(loaded, lang, fmt) if unverified else render_rules(loaded, lang, fmt)
        click.echo(shown, nl=False)

    guarded(action)


@main.command()
@click.argument("rule_id", required=False)
@click.option("--lang", type=LANG, default="en", show_default=True)
@pack_options
def explain(rule_id, lang, pack, extra_packs, config_file) -> None:
    """Show one rule: citations, rationale, reading, condition and examples.
    Without a rule id: the grading principles, each with the rules that apply it."""

    def action():
        import difflib

        from compliance.report.rules import (
            render_explain,
            render_principles,
            render_removed,
            render_tool_rule,
        )
        from compliance.tool_rules import TOOL_RULE_BY_ID

        loaded = load_pack_rules(pack, extra_packs, config_file)
        if rule_id is None:
            click.echo(render_principles(loaded, lang), nl=False)
            return
        rule = loaded.rule(rule_id.upper())
        gone = next((r for r in loaded.removed if r.id == rule_id.upper()), None)
        if rule is None and gone is not None:
            click.echo(render_removed(gone, loaded, lang), nl=False)
            return
        if rule is None and rule_id.upper() in TOOL_RULE_BY_ID:
            click.echo(render_tool_rule(TOOL_RULE_BY_ID[rule_id.upper()], lang), nl=False)
            return
        if rule is None:
            known = [r.id for r in loaded.rules] + list(TOOL_RULE_BY_ID)
            close = difflib.get_close_matches(rule_id.upper(), known, n=1, cutoff=0.5)
            hint = f"; did you mean {close[0]}?" if close else "; `aicomply rules` lists them"
            raise ToolError(f"no rule {rule_id!r} in {loaded.id} {loaded.version}{hint}")
        click.echo(render_explain(rule, loaded, lang), nl=False)

    guarded(action)

