"""Templates to documents: Markdown from jinja2, HTML from that Markdown.

The environment is sandboxed (templates cannot reach Python internals) with StrictUndefined (a
misspelt variable is an error, not a blank). Declaration text only ever enters as data: every
value a template prints is escaped for Markdown (and a None is printed as "to be completed",
never as "None"); markdown-it then renders with raw HTML switched off, so nothing a declaration
says can become markup or template code. The HTML page itself is an autoescaped template.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from markupsafe import Markup

from compliance import resources
from compliance.errors import ToolError
from compliance.escape import markdown_text
from compliance.render.context import TO_BE_COMPLETED


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

    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


def render_html(markdown: str, lang: str, title: str, meta: dict) -> str:
    """A printable, self-contained A4 page around the Markdown's HTML."""
    body = Markup(_markdown().render(markdown))
    try:
        return _page_environment().get_template("page.html.j2").render(
            lang=lang, title=title, meta=meta, body=body,
        )
    except Exception as exc:
        raise RenderError(f"template page.html.j2: {_describe(exc)}") from None
