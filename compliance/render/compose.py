"""One document in one language and format: context, template, then Markdown, HTML or Word.

PDF is the HTML page printed by Chromium; printing is done for all pages of a run at once
(compliance.render.pdf), so here a PDF is still its HTML page.
"""

from __future__ import annotations

from dataclasses import dataclass

from compliance.render import context as contexts
from compliance.render import engine, ethics, filings
from compliance.render.catalog import DOCUMENT_BY_ID, INTERNAL, number


@dataclass(frozen=True)
class Composed:
    content: str | bytes
    todo: int  # placeholders still to be completed
    untranslated: int  # declared texts shown in the other language


def compose(document: str, lang: str, fmt: str, data: dict, result, pack, meta: dict) -> Composed:
    spec = DOCUMENT_BY_ID[document]
    meta = dict(meta, doc=document, title=spec.title(lang), audience=spec.audience, signed=spec.signed,
                number=number(spec, meta["product_id"], meta["date"], str(data["product"]["version"])))
    context = contexts.build(data, result, pack, meta, lang)
    if document == "ethics_filing":
        context["ethics"] = ethics.view(data, result, pack, lang)
    if document == "filing_materials":
        context["filing"] = filings.view(data, result, lang)
    markdown = engine.render_markdown(document, lang, context)
    parsed = engine.document_tokens(markdown, lang)
    if fmt == "md":
        content = markdown if spec.audience == INTERNAL else markdown + _provenance_comment(meta)
    elif fmt == "docx":
        from compliance.render import docx

        content = docx.build(parsed, lang, meta)
    else:  # html, and pdf (printed later from the page)
        content = engine.render_html(parsed, lang, spec.title(lang), meta)
    return Composed(content, parsed.todo, parsed.untranslated)


def _provenance_comment(meta: dict) -> str:
    """Public and regulator documents keep provenance out of their text: in Markdown, a comment that
    renderers do not show."""
    return (f"\n<!-- aicomply {meta['tool_version']}; rule packs {meta['packs']}; declaration SHA-256 "
            f"{meta['sha256']}; {meta['date']}; {meta['number']} -->\n")
