"""Writes the published JSON Schemas from their sources of truth (the pydantic models).

Used by scripts/regen.py and by the drift test; never on the check path.
"""

from __future__ import annotations

import json
from typing import Any


def declaration_schema() -> dict[str, Any]:
    from compliance.models.declaration import SCHEMA_ID, Declaration

    return _with_id(Declaration, SCHEMA_ID)


def declaration_v1_schema() -> dict[str, Any]:
    from compliance.models.declaration_v1 import SCHEMA_ID, Declaration

    return _with_id(Declaration, SCHEMA_ID)


def _with_id(model: Any, schema_id: str) -> dict[str, Any]:
    generated = model.model_json_schema(by_alias=True)
    # $schema and $id first, so editors and people see them at the top of the file.
    head = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": schema_id}
    return head | {key: value for key, value in generated.items() if key not in head}


def _published(model: Any, name: str) -> dict[str, Any]:
    return _with_id(model, f"https://aicomply.dev/schemas/{name}")


def waivers_schema() -> dict[str, Any]:
    from compliance.models.waiver import WaiverFile

    return _published(WaiverFile, "waivers-v1.schema.json")


def ethics_filing_schema() -> dict[str, Any]:
    from compliance.models.filing import EthicsFiling

    return _published(EthicsFiling, "ethics-filing-v1.schema.json")


def profile_schema() -> dict[str, Any]:
    from compliance.incentives.models import Profile

    return _published(Profile, "profile-v2.schema.json")


def profile_v1_schema() -> dict[str, Any]:
    """Profile version 1: still read (and converted), so its schema stays published."""
    from compliance.incentives.models_v1 import Profile

    return _published(Profile, "profile-v1.schema.json")


def incentives_schema() -> dict[str, Any]:
    from compliance.incentives.models import Document

    return _published(Document, "incentives-v2.schema.json")


def register_body_schema(kind: str) -> dict[str, Any]:
    from pydantic import TypeAdapter

    from compliance.register.kinds import MODELS, SCHEMA_NAMES

    name = SCHEMA_NAMES[kind]
    generated = TypeAdapter(MODELS[kind]).json_schema(by_alias=True)
    head = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"https://aicomply.dev/schemas/{name}",
            "title": f"aicomply register: the body of {kind} records"}
    return head | {key: value for key, value in generated.items() if key not in head}


GENERATED = {"declaration-v2.schema.json": declaration_schema, "declaration-v1.schema.json": declaration_v1_schema,
             "waivers-v1.schema.json": waivers_schema, "ethics-filing-v1.schema.json": ethics_filing_schema,
             "profile-v1.schema.json": profile_v1_schema, "profile-v2.schema.json": profile_schema,
             "incentives-v2.schema.json": incentives_schema,
             **{f"register-{kind}-v1.schema.json": (lambda kind=kind: register_body_schema(kind))
                for kind in ("check", "document", "incident", "review")}}


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
