"""`aicomply render`: the documents a declaration's grade and triggers call for.

For each document and language: Markdown (or an A4 printable HTML page) named from the product
id slug only; the ethics filing also gets its JSON twin, named for the format it goes with, so an
HTML and a Markdown run into one folder never collide. Every document states the declaration's
SHA-256, the rule packs, the aicomply version and its date. Render writes all its files or none:
every document is rendered, and every target checked (compliance.files: a dangling symlink counts
as existing; never the declaration or the register) before the first is written; the output
folder is created when missing.
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

FORMATS = ("md", "html")


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
    texts = _texts(outputs, data, result, pack, meta, request)
    if not request.out.is_dir():
        make_folder(request.out)
    protected = Protected().add(request.declaration, "the declaration rendered").add(
        request.config_file, "the config file in use").add_register(request.register)
    targets = plan_all([path for path, _, _ in outputs], request.force, protected)
    write_all(list(zip(targets, texts)))
    return [Rendered(printable(path), document, lang, result.product_id, hashlib.sha256(text.encode("utf-8")).hexdigest(),
                     result.sha256, meta["date"]) for (path, document, lang), text in zip(outputs, texts)]


def _names(request: RenderRequest, product_id: str, documents: list[str]) -> list[tuple[Path, str, str | None]]:
    names = []
    for document in documents:
        for lang in request.langs:
            names.append((request.out / f"{product_id}.{document}.{lang}.{request.fmt}", document, lang))
        if document == "ethics_filing":
            names.append((request.out / f"{product_id}.ethics_filing.{request.fmt}.json", document, None))
    return names


def _texts(outputs, data, result, pack, meta, request) -> list[str]:
    from compliance.render import context as contexts
    from compliance.render import engine, ethics

    texts = []
    for _, document, lang in outputs:
        spec = DOCUMENT_BY_ID[document]
        if lang is None:
            text = _ethics_json(data, result, pack, meta)
        else:
            context = contexts.build(data, result, pack, dict(meta, doc=document, title=spec.title(lang)), lang)
            if document == "ethics_filing":
                context["principles"] = [
                    {"title": p["title"](lang), "status": p["status"], "evidence": [e(lang) for e in p["evidence"]],
                     "gaps": [g(lang) for g in p["gaps"]]} for p in ethics.principles(data, result)]
                items = ethics.rereview_items(data, pack)
                context["rereview"] = [{"item": i["item"], "title": i["title"](lang), "applies": i["applies"]} for i in items]
                context["triggers"] = [t(lang) for t in ethics.triggers(data, result, items)]
            text = engine.render_markdown(document, lang, context)
            if request.fmt == "html":
                text = engine.render_html(text, lang, spec.title(lang), context["meta"])
        texts.append(text)
    return texts


def _ethics_json(data, result, pack, meta) -> str:
    from compliance.declaration.validate import describe_issue, schema_issues_for
    from compliance.render.ethics import twin

    filing = twin(data, result, pack, meta)
    issues = schema_issues_for("ethics-filing-v1.schema.json", filing)
    if issues:  # a bug in twin(), not in the declaration
        raise ToolError(f"ethics filing does not match its schema: {describe_issue(issues[0], 'en')}")
    return json.dumps(filing, ensure_ascii=False, indent=2) + "\n"
