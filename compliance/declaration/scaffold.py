"""`aicomply init`: a commented declaration to fill in, from templates/init/."""

from __future__ import annotations

import re

from compliance import resources
from compliance.errors import ToolError
from compliance.files import write_atomic

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def scaffold(lang: str = "en", product_id: str | None = None, product_name: str | None = None) -> str:
    """The scaffold text, with the product id and name filled in when given."""
    text = (resources.templates_dir() / "init" / f"declaration.{lang}.yaml").read_text(encoding="utf-8")
    if product_id is not None:
        if not _SLUG.fullmatch(product_id) or not 2 <= len(product_id) <= 64:
            raise ToolError(f"--id {product_id!r} is not a product id: use lower-case letters, digits and single hyphens")
        text = text.replace("id: <product-id>", f"id: {product_id}", 1)
    if product_name is not None:
        if not product_name.strip() or "\n" in product_name:
            raise ToolError("--name must be one line of text")
        text = text.replace("name: <Product name>", f"name: {_yaml_text(product_name)}", 1)
    return text


def _yaml_text(value: str) -> str:
    # Double-quoted YAML is a JSON string, so json.dumps quotes anything safely.
    import json

    return json.dumps(value, ensure_ascii=False)


def write_scaffold(path: str, text: str) -> None:
    write_atomic(path, text, overwrite=False)
