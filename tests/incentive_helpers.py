"""Shared by the incentive tests: a valid base profile, spend makers, and readers of a result."""

from __future__ import annotations

import copy
from datetime import date

from conftest import ROOT

from compliance.declaration.validate import schema_issues_for
from compliance.incentives.documents import load_documents
from compliance.incentives.engine import estimate

ON = date(2026, 11, 24)
EXAMPLE = str(ROOT / "profiles" / "example-profile.yaml")

BASE = {
    "format": "aicomply-profile/v2",
    "enterprise": {
        "name": "Test AI Co.",
        "uscc": "91440300MA5FUTUREJ",
        "entity_type": "enterprise",
        "district": "futian",
        "size": "small",
        "startup": False,
        "income": {"year": 2025, "total": 10000000, "ai": 8000000},
        "main_business": ["ai_software"],
        "lists": {"abnormal_operations": False, "dishonest_obligor": False, "seriously_dishonest": False},
    },
    "spend": [],
}


def profile(enterprise: dict | None = None, spend: list | None = None, other_support: list | None = None) -> dict:
    data = copy.deepcopy(BASE)
    data["enterprise"].update(enterprise or {})
    data["spend"] = spend or []
    if other_support:
        data["other_support"] = other_support
    problems = schema_issues_for("profile-v2.schema.json", data)
    assert not problems, problems  # every test profile is one a user could write
    return data


def compute(amount=30000000, on="2026-03-01", item_id="gpu", **facts) -> dict:
    return {"id": item_id, "kind": "compute_rental", "amount": amount, "date": on, "for_large_model": True, **facts}


def run(data: dict, on: date = ON, stacking: str = "not-allowed"):
    return estimate(data, load_documents(), on, stacking)


def row(result, measure: str, item: str | None = None):
    rows = [r for r in result.estimates if r.measure == measure and r.item == item]
    assert len(rows) == 1, f"{measure}/{item}: {len(rows)} rows"
    return rows[0]


def texts(items) -> str:
    return " | ".join(t.en for t in items)
