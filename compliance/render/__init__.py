"""`aicomply render`: the documents a declaration's grade and triggers call for.

For each document and language: Markdown, an A4 printable HTML page, a Word document or a PDF
(the HTML page printed by the system's Chromium), named from the product id slug only; the ethics
review material also gets its JSON twin, named for the format it goes with, so runs of different
formats into one folder never collide. Internal documents state the declaration's SHA-256, the
rule packs, the aicomply version and the date in an appendix; public ones carry them as metadata.
Render writes all its files or none: every document is composed (and printed), and every target
checked (compliance.files: a dangling symlink counts as existing; never the declaration or the
register) before the first is written; the output folder is created when missing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from compliance import __version__
from compliance.errors import SourceError, ToolError
from compliance.files import Protected, make_folder, plan_all, printable, write_all
from compliance.render.catalog import DOCUMENT_BY_ID, DOCUMENTS, due

FORMATS = ("md", "html", "docx", "pdf")


@dataclass(frozen=True)
class RenderRequest:
    declaration: Path
    out: Path
    langs: tuple[str, ...] = ("en",)
    fmt: str = "md"
    docs: tuple[str, ...] = ()  # empty: what the grade and triggers call for
    on: date | None = None  # the document date; None: today (and the document says so)
    force: bool = False
    pack: str | None = None
    extra_packs: tuple[str, ...] = ()
    register: str | None = None  # the register in use: never written over
    config_file: str | None = None  # the config in use: never written over


@dataclass(frozen=True)
class Rendered:
    path: str
    document: str
    lang: str | None
    product: str = ""
    sha256: str = ""  # of the file written
    declaration_sha256: str = ""  # of the declaration it describes
    date: str = ""  # the date the document carries
    todo: int = 0  # placeholders still to be completed
    untranslated: tuple[str, ...] = ()  # declared texts the document's language lacks (field paths)


class InvalidDeclaration(ToolError):
    """The declaration has problems: they are listed one per line."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def render(request: RenderRequest) -> list[Rendered]:
    from compliance.declaration.load import parse_document, read_bytes
    from compliance.declaration.migrate import is_v1, upgraded_document
    from compliance.evaluate.checklists import load_rules
    from compliance.pipeline import check_bytes
    from compliance.render.context import untranslated

    display = request.declaration.as_posix()
    try:
        raw = read_bytes(request.declaration, display)
    except SourceError as exc:
        raise InvalidDeclaration([f"{exc}"]) from None
    pack = load_rules(request.pack, request.extra_packs)
    kind = "json" if request.declaration.suffix.lower() == ".json" else "yaml"
    result = check_bytes(raw, display, kind, pack)
    if not result.valid:
        raise InvalidDeclaration([f"{display}:{f.line or 1}:{f.column or 1}: {f.message.en}" for f in result.findings])
    document = parse_document(raw, display, kind)
    data = upgraded_document(document)[0].data if is_v1(document.data) else document.data
    documents = list(request.docs) or due(result)
    unknown = [name for name in documents if name not in DOCUMENT_BY_ID]
    if unknown:
        raise ToolError(f"unknown document {unknown[0]!r}; choose from {', '.join(spec.id for spec in DOCUMENTS)}")
    if not documents:
        raise ToolError(f"{display}: no document is due for this product; name one with --doc")
    on = request.on or date.today()
    meta = {"tool_version": __version__, "packs": ", ".join(f"{i} {v}" for i, v in pack.packs), "sha256": result.sha256,
            "date": on.isoformat(), "date_source": "given" if request.on else "today", "product_id": result.product_id,
            "declaration": display}
    outputs = _names(request, result.product_id, documents)
    composed = _compose(outputs, data, result, pack, meta, request)
    if not request.out.is_dir():
        make_folder(request.out)
    protected = Protected().add(request.declaration, "the declaration rendered").add(
        request.config_file, "the config file in use").add_register(request.register)
    # The ethics JSON twin is the same in every language: a second language rendered into the same
    # folder finds it already there, byte for byte, and leaves it be (nothing to overwrite).
    kept = [index for index, ((path, _, lang), item) in enumerate(zip(outputs, composed))
            if not (lang is None and _already(path, item.content))]
    targets = plan_all([outputs[index][0] for index in kept], request.force, protected)
    write_all([(target, composed[index].content) for target, index in zip(targets, kept)])
    missing = {lang: tuple(untranslated(data, lang)) for lang in request.langs}
    return [Rendered(printable(path), document, lang, result.product_id, _digest(item.content), result.sha256,
                     meta["date"], item.todo, missing[lang] if lang and item.untranslated else ())
            for (path, document, lang), item in zip(outputs, composed)]


def _names(request: RenderRequest, product_id: str, documents: list[str]) -> list[tuple[Path, str, str | None]]:
    names = []
    for document in documents:
        for lang in request.langs:
            names.append((request.out / f"{product_id}.{document}.{lang}.{request.fmt}", document, lang))
        if document == "ethics_filing":
            names.append((request.out / f"{product_id}.ethics_filing.{request.fmt}.json", document, None))
    return names


def _compose(outputs, data, result, pack, meta, request) -> list:
    from compliance.render.compose import Composed, compose

    composed = []
    for _, document, lang in outputs:
        if lang is None:
            composed.append(Composed(_ethics_json(data, result, pack, meta), 0, 0))
        else:
            composed.append(compose(document, lang, request.fmt, data, result, pack, meta))
    return _printed(outputs, composed, meta["date"]) if request.fmt == "pdf" else composed


def _already(path: Path, content: str | bytes) -> bool:
    """A regular file at path holds exactly these bytes."""
    wanted = content.encode("utf-8") if isinstance(content, str) else content
    try:
        return path.is_file() and not path.is_symlink() and path.stat().st_size == len(wanted) \
            and path.read_bytes() == wanted
    except OSError:
        return False


def _digest(content: str | bytes) -> str:
    return hashlib.sha256(content.encode("utf-8") if isinstance(content, str) else content).hexdigest()


def _printed(outputs, composed, on: str) -> list:
    """The HTML pages of a PDF run printed in one browser session; the JSON twin stays as it is."""
    from dataclasses import replace

    from compliance.render.pdf import print_pages

    pages = [index for index, (_, _, lang) in enumerate(outputs) if lang is not None]
    pdfs = print_pages([composed[index].content for index in pages], on)
    printed = list(composed)
    for index, pdf in zip(pages, pdfs):
        printed[index] = replace(composed[index], content=pdf)
    return printed


def _ethics_json(data, result, pack, meta) -> str:
    from compliance.declaration.validate import describe_issue, schema_issues_for
    from compliance.render.ethics import twin

    filing = twin(data, result, pack, meta)
    issues = schema_issues_for("ethics-filing-v1.schema.json", filing)
    if issues:  # a bug in twin(), not in the declaration
        raise ToolError(f"ethics filing does not match its schema: {describe_issue(issues[0], 'en')}")
    return json.dumps(filing, ensure_ascii=False, indent=2) + "\n"
