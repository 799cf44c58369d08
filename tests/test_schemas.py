"""The published schemas: valid JSON Schema, and in step with their sources of truth."""

from __future__ import annotations

import json

import jsonschema
import pytest

from conftest import EXAMPLES, ROOT

SCHEMAS = sorted((ROOT / "schemas").glob("*.schema.json"))


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_every_schema_passes_the_2020_12_metaschema(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"].endswith(path.name)


@pytest.mark.parametrize("name", ["declaration-v2.schema.json", "declaration-v1.schema.json", "waivers-v1.schema.json",
                                  "ethics-filing-v1.schema.json", "profile-v1.schema.json", "profile-v2.schema.json",
                                  "incentives-v2.schema.json",
                                  *(f"register-{kind}-v1.schema.json" for kind in ("check", "document", "incident", "review"))])
def test_generated_schemas_are_what_the_pydantic_models_generate(name):
    """One source of truth: regenerate with scripts/regen.py after changing a model."""
    from compliance.models.schema_export import GENERATED, dumps

    committed = (ROOT / "schemas" / name).read_text(encoding="utf-8")
    assert committed == dumps(GENERATED[name]()), "schema drifted from the model: run python scripts/regen.py"


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_declaration_schema_id_is_stable(version):
    schema = json.loads((ROOT / "schemas" / f"declaration-{version}.schema.json").read_text(encoding="utf-8"))
    assert schema["$id"] == f"https://aicomply.dev/schemas/declaration-{version}.schema.json"
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False


def test_examples_are_valid_for_jsonschema_and_pydantic():
    from compliance.declaration.load import read_document
    from compliance.models.declaration import Declaration

    schema = json.loads((ROOT / "schemas" / "declaration-v2.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    examples = sorted(EXAMPLES.glob("*.yaml"))
    assert len(examples) == 11
    for path in examples:
        data = read_document(path, path.name).data
        assert list(validator.iter_errors(data)) == [], path.name
        assert Declaration.model_validate(data).product.id == path.stem
