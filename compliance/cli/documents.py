"""`aicomply render`: the documents a declaration's grade and triggers call for."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from compliance.cli.base import guarded, main, pack_options, settings_from
from compliance.errors import ExitCode
from compliance.escape import shown


@main.command()
@click.argument("declaration", type=click.Path(dir_okay=False, exists=True))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False),
              help="Folder to write the documents to (created when missing).")
@click.option("--lang", type=click.Choice(["en", "zh", "both"]), default="en", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["md", "html", "docx", "pdf"]), default="md", show_default=True,
              help="Markdown, an A4 printable HTML page, a Word document, or a PDF (printed with the system's "
                   "Chromium).")
@click.option("--doc", "docs", multiple=True,
              type=click.Choice(["ex_ante_assessment", "risk_warning", "disclosure", "tracking_plan", "ethics_filing",
                                 "algorithm_explanation", "filing_materials"]),
              help="Write this document (repeatable); default: the ones the grade and triggers call for.")
@click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]),
              help="Date the documents carry (default: today, which makes the output change daily).")
@click.option("--force", is_flag=True, help="Overwrite documents that exist.")
@click.option("--strict", is_flag=True, help="Exit 1 when any document still has items to complete (for a CI step "
                                             "that gates publishing).")
@click.option("--record", is_flag=True, help="Note each document in the register (history, and `due` when it ages).")
@click.option("--db", help="The register: a SQLite file or postgresql://user@host/database (default: .aicomply/register.db, AICOMPLY_DB, or `register` in the config).")
@pack_options
def render(declaration, out, lang, fmt, docs, on, force, strict, record, db, pack, extra_packs, config_file) -> None:
    """Write the documents a declaration's grade and triggers call for (Art. 66, 65, 71)."""

    def action():
        from compliance.files import FileExists
        from compliance.render import InvalidDeclaration, RenderRequest
        from compliance.render import render as render_documents

        given = {name: value for name, value in (("pack", pack), ("packs", list(extra_packs)), ("register", db))
                 if value}
        settings = settings_from(given, config_file)
        request = RenderRequest(
            declaration=Path(declaration), out=Path(out), langs=("en", "zh") if lang == "both" else (lang,), fmt=fmt,
            docs=tuple(docs), on=on.date() if on else None, force=force, pack=settings["pack"],
            extra_packs=tuple(settings["packs"]), register=settings["register"], config_file=settings.config_file,
        )
        try:
            written = render_documents(request)
        except FileExists as exc:
            click.echo(f"aicomply: error: {shown(exc.path)} exists; nothing was written (pass --force to overwrite)",
                       err=True)
            return ExitCode.GATE_FAILED
        except InvalidDeclaration as exc:
            for line in exc.lines:
                click.echo(shown(line), err=True)
            click.echo("aicomply: error: the declaration is invalid; fix it (see `aicomply check`), nothing was written",
                       err=True)
            return ExitCode.GATE_FAILED
        for item in written:
            click.echo(f"wrote {shown(item.path)}")
        if record:
            _record_documents(written, settings["register"])
        if not on:
            click.echo("note: dated today; pass --date YYYY-MM-DD for documents that do not change from day to day",
                       err=True)
        _untranslated(written)
        remaining = _items_to_complete(written)
        if strict and remaining:
            click.echo(f"aicomply: error: {remaining} item(s) to complete (--strict); fill them in the declaration",
                       err=True)
            return ExitCode.GATE_FAILED
        return ExitCode.OK

    sys.exit(int(guarded(action) or 0))


def _items_to_complete(written) -> int:
    """One line per document: how many placeholders are still to be completed."""
    for item in written:
        if item.lang is not None:
            click.echo(f"{shown(item.path)}: {item.todo} item{'' if item.todo == 1 else 's'} to complete")
    return sum(item.todo for item in written)


def _untranslated(written) -> None:
    """Declared texts a document's language lacks: shown marked, counted here, named for the officer."""
    marker = {"zh": ("Chinese", "【原文为英文】"), "en": ("English", "[in Chinese only]")}
    for lang in ("zh", "en"):
        fields = next((item.untranslated for item in written if item.lang == lang and item.untranslated), ())
        if fields:
            language, mark = marker[lang]
            click.echo(f"note: {len(fields)} declared text{'' if len(fields) == 1 else 's'} have no {language}; the "
                       f"{language} documents show {'it' if len(fields) == 1 else 'them'} marked {mark}: "
                       f"{', '.join(fields)}", err=True)


def _record_documents(written, register_path: str) -> None:
    from compliance.register.entries import document_body
    from compliance.register.store import opened

    with opened(register_path, create=True) as register:
        for item in written:
            register.append("document", item.product, document_body(item))
    click.echo(f"recorded {len(written)} documents in {register_path}", err=True)
