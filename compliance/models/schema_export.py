"""Writes the published JSON Schemas from their sources of truth (the pydantic models).

Used by scripts/regen.py and by the drift test; never on the check path.
"""

from __future__ import annotations

import json
from typing import Any


def declaration_schema() -> dict[str, Any]:
    from compliance.models.declaration import SCHEMA_ID, Declaration

    generated = Declaration.model_json_schema(by_alias=True)
    # $schema and $id first, so editors and people see them at the top of the file.
    head = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID}
    return head | {key: value for key, value in generated.items() if key not in head}


def waivers_schema() -> dict[str, Any]:
    from compliance.models.declaration import WaiverFile

    generated = WaiverFile.model_json_schema(by_alias=True)
    head = {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://aicomply.dev/schemas/waivers-v1.schema.json"}
    return head | {key: value for key, value in generated.items() if key not in head}


def ethics_filing_schema() -> dict[str, Any]:
    from compliance.models.filing import EthicsFiling

    generated = EthicsFiling.model_json_schema(by_alias=True)
    head = {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://aicomply.dev/schemas/ethics-filing-v1.schema.json"}
    return head | {key: value for key, value in generated.items() if key not in head}


GENERATED = {"declaration-v1.schema.json": declaration_schema, "waivers-v1.schema.json": waivers_schema,
             "ethics-filing-v1.schema.json": ethics_filing_schema}


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
