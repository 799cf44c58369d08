"""Templates to documents: Markdown from jinja2, then a token stream that HTML and DOCX share.

The environment is sandboxed (templates cannot reach Python internals) with StrictUndefined (a
misspelt variable is an error, not a blank). Declaration text only ever enters as data: every
value a template prints is escaped for Markdown (and a None is printed as "to be completed",
never as "None"); markdown-it then parses with raw HTML switched off, so nothing a declaration
says can become markup or template code. The HTML page itself is an autoescaped template.

Templates mark layout with three fenced blocks (`::: cover`, `::: signatures`, `::: appendix`);
a table whose header row is empty is a label/value table. After parsing, `document_tokens`
marks what a reader must see: placeholders still to be completed and texts shown in the other
language; both the HTML page and the Word document are made from these tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from markupsafe import Markup

from compliance import resources
from compliance.errors import ToolError
from compliance.escape import markdown_text
from compliance.render.context import TO_BE_COMPLETED, UNTRANSLATED

BLOCKS = ("cover", "signatures", "appendix")  # the fenced blocks templates may use


class RenderError(ToolError):
    """A template could not be rendered (a bug in a template, reported with its file and line)."""


class Trusted(str):
    """Markdown written by a template helper, not by a declaration: printed as is."""


_BLOCK_START = re.compile(r"^(\s*)([-+*=]|\d+[.)])(?=\s|$)")  # a list item or heading underline


def md_escape(value: Any, lang: str) -> str:
    if isinstance(value, Trusted):
        return value
    if value is None:
        return TO_BE_COMPLETED(lang)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (list, tuple)):
        separator = "、" if lang == "zh" else ", "
        return separator.join(md_escape(item, lang) for item in value) if value else TO_BE_COMPLETED(lang)
    # No line breaks: text cannot start a heading or a list.
    text = markdown_text(" ".join(str(value).split()), autolinks=True)
    if text.startswith(":"):  # ":::" at the start of a line would open or close a fenced block
        text = "\\" + text
    # "1. x" and "- x" would start a list: escape the marker's punctuation ("1\\. x", "\\- x").
    return _BLOCK_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], text)


@cache
def _environment(lang: str):
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    environment = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(str(resources.templates_dir())),
        undefined=StrictUndefined,
        autoescape=False,  # Markdown: escaping is md_escape's job
        finalize=lambda value: md_escape(value, lang),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment


@cache
def _page_environment():
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    return ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(str(resources.templates_dir())), undefined=StrictUndefined, autoescape=True,
    )


def render_markdown(document: str, lang: str, context: dict) -> str:
    name = f"{lang}/{document}.md.j2"
    try:
        text = _environment(lang).get_template(name).render(context)
    except Exception as exc:  # jinja2's errors and sandbox refusals alike: the template is at fault
        raise RenderError(f"template {name}: {_describe(exc)}") from None
    return _tidy(text)


def _tidy(text: str) -> str:
    """At most one blank line in a row, one newline at the end: stable bytes, readable source."""
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


def _describe(exc: Exception) -> str:
    line = getattr(exc, "lineno", None)
    return f"line {line}: {exc}" if line else f"{type(exc).__name__}: {exc}"


@cache
def _markdown():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.container import container_plugin

    parser = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    for name in BLOCKS:
        parser.use(container_plugin, name)
    return parser


# ------------------------------------------------------------------------------ the token stream

@dataclass(frozen=True)
class Parsed:
    """A document as tokens, with what a reader still has to do about it."""

    tokens: list
    todo: int  # placeholders still to be completed
    untranslated: int  # declared texts shown in the other language


def document_tokens(markdown: str, lang: str) -> Parsed:
    tokens = _markdown().parse(markdown)
    _label_tables(tokens)
    todo, untranslated = _mark_inline(tokens, lang)
    return Parsed(tokens, todo, untranslated)


# A cell whose text is at most this wide (a CJK character counts 2) never wraps: "产品名称",
# "年龄" and "未发现问题" stay on one line however narrow the other columns make the table.
SHORT_CELL = 16


def display_width(text: str) -> int:
    return sum(2 if ord(char) >= 0x2E80 else 1 for char in text)


def _label_tables(tokens: list) -> None:
    """Tables with an empty header row become label/value tables (no header); short cells keep
    to one line."""
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "table_open":
            end = next(i for i in range(index, len(tokens)) if tokens[i].type == "thead_close")
            header = [t for t in tokens[index:end] if t.type == "inline"]
            if all(not t.content.strip() for t in header):
                token.attrSet("class", "kv")
                del tokens[index + 1:end + 1]
        elif token.type in ("td_open", "th_open"):
            cell = tokens[index + 1]
            if cell.type == "inline" and display_width(_plain(cell)) <= SHORT_CELL:
                token.attrSet("class", "nw")
        index += 1


def _plain(inline) -> str:
    return "".join(child.content for child in inline.children or () if child.type in ("text", "code_inline"))


def _mark_inline(tokens: list, lang: str) -> tuple[int, int]:
    """Wrap each placeholder in <mark class="todo"> and each untranslated-text marker in
    <mark class="untranslated">, counting both."""
    from markdown_it.token import Token

    markers = {TO_BE_COMPLETED(lang): "todo", UNTRANSLATED(lang).strip(): "untranslated"}
    pattern = re.compile("|".join(re.escape(marker) for marker in markers))
    counts = {"todo": 0, "untranslated": 0}
    for block in tokens:
        if block.type != "inline" or not block.children:
            continue
        children = []
        for child in block.children:
            if child.type != "text" or not pattern.search(child.content):
                children.append(child)
                continue
            position = 0
            for match in pattern.finditer(child.content):
                kind = markers[match.group(0)]
                counts[kind] += 1
                if match.start() > position:
                    children.append(Token("text", "", 0, content=child.content[position:match.start()]))
                opening = Token("mark_open", "mark", 1)
                opening.attrSet("class", kind)
                children += [opening, Token("text", "", 0, content=match.group(0)), Token("mark_close", "mark", -1)]
                position = match.end()
            if position < len(child.content):
                children.append(Token("text", "", 0, content=child.content[position:]))
        block.children = children
    return counts["todo"], counts["untranslated"]


# ------------------------------------------------------------------------------------ HTML page

def render_html(parsed: Parsed, lang: str, title: str, meta: dict) -> str:
    """A printable, self-contained A4 page around the document's HTML."""
    parser = _markdown()
    body = Markup(parser.renderer.render(parsed.tokens, parser.options, {}))
    try:
        return _page_environment().get_template("page.html.j2").render(
            lang=lang, title=title, meta=meta, body=body,
        )
    except Exception as exc:
        raise RenderError(f"template page.html.j2: {_describe(exc)}") from None
