"""What each kind of register record holds: one pydantic model per body, the source of truth for
schemas/register-*-v1.schema.json (scripts/regen.py), and the check every record passes before
it is imported and when `verify` walks the chain.

A record the readers cannot use must never enter the register: `history`, `due`, `report` and
`recheck` read these fields without guarding each one. The models are strict (no coercion, no
extra fields); a check's result mirrors the JSON report's result (schemas/report-v1.schema.json)
without its gate, which depends on --fail-on.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from compliance.models.types import IsoDate

Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Line = Annotated[int, Field(ge=1)]
FilledIn = Annotated[str, Field(min_length=1)]
PRODUCT = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
AT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")
# Dates a person enters (reviews, incidents) lie between this and tomorrow (time zones).
EARLIEST = date(2000, 1, 1)


class _Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


# ------------------------------------------------------------------ a check's result

class Fact(_Body):
    path: str
    value: Any = Field(description="The value as declared; 'unknown' when not stated.")
    line: Line | None


class Reason(_Body):
    rule_id: str
    level: Literal["high", "medium", "raise"]
    title: str
    message: str
    article: str
    citations: list[str]
    assumed: bool
    facts: list[Fact]


class Waiver(_Body):
    justification: str
    approver: str
    expires: IsoDate
    source: str


class Finding(_Body):
    rule_id: str
    kind: Literal["prohibited", "indicator", "obligation", "declaration", "waiver"]
    severity: Literal["error", "warning", "info"]
    title: str
    message: str
    article: str | None
    citations: list[str]
    remedy: str | None
    line: Line | None
    column: Line | None
    fact: str | None
    assumed: bool
    art72_item: Annotated[int, Field(ge=1, le=7)] | None
    fingerprint: str
    waiver: Waiver | None
    baseline_state: Literal["new", "unchanged"] | None


class Obligation(_Body):
    id: str
    status: Literal["met", "unmet", "not_applicable"]
    mandatory: bool
    title: str
    article: str
    citations: list[str]
    document: str | None
    assumed: bool


class Change(_Body):
    model_config = ConfigDict(populate_by_name=True)
    fact: str
    from_: Any = Field(alias="from")
    to: Any


class Lowering(_Body):
    to: Literal["low", "medium"]
    changes: Annotated[list[Change], Field(min_length=1)]


class RecordedResult(_Body):
    path: str
    kind: Literal["declaration", "waivers"]
    sha256: Sha256 | None
    product_id: str | None
    product_version: str | None
    product_name: str | None
    valid: bool
    risk_level: Literal["high", "medium", "low"] | None
    reasons: list[Reason]
    drivers: list[Fact]
    lowering: Lowering | None
    # Grade drivers no change of the product can move (rule pack 2.0); absent in older records.
    outside_control: list[Fact] = Field(default_factory=list)
    findings: list[Finding]
    obligations: list[Obligation]


class RecordedDeclaration(_Body):
    path: str
    sha256: Sha256
    content: str
    format: Literal["json", "yaml"]


# --------------------------------------------------------------------------- bodies

class CheckBody(_Body):
    """A check: the declaration as it was, the packs and tool that judged it, what they found."""

    source: Literal["check", "recheck"]
    declaration: RecordedDeclaration
    packs: list[Annotated[list[str], Field(min_length=2, max_length=2)]]
    tool: str
    result: RecordedResult


class RepeatBody(_Body):
    """A check that found exactly what an earlier full check of the product found, perhaps from
    another path (a CI runner's checkout): the original's body stands for it, with this path."""

    source: Literal["check", "recheck"]
    same_as: Annotated[int, Field(ge=1, le=2**63 - 1)]
    path: str | None = None


class DocumentBody(_Body):
    document: str
    lang: Literal["en", "zh"] | None
    path: str
    sha256: Sha256
    declaration_sha256: Sha256
    date: IsoDate


class IncidentBody(_Body):
    severity: Literal["low", "medium", "high", "critical"]
    summary: FilledIn
    occurred: IsoDate
    details: str | None
    reported_by: str | None


class ReviewBody(_Body):
    date: IsoDate
    reviewer: FilledIn
    outcome: FilledIn
    next_due: IsoDate | None


MODELS: dict[str, Any] = {"check": Union[CheckBody, RepeatBody], "document": DocumentBody,
                          "incident": IncidentBody, "review": ReviewBody}
SCHEMA_NAMES = {kind: f"register-{kind}-v1.schema.json" for kind in MODELS}
_ADAPTERS = {kind: TypeAdapter(model) for kind, model in MODELS.items()}


def body_problem(kind: str, body: str) -> str | None:
    """Why a record body (canonical JSON) is not one of its kind, or None when it is."""
    adapter = _ADAPTERS.get(kind)
    if adapter is None:
        return f"unknown record kind {kind!r}"
    try:
        adapter.validate_json(body)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"] if not str(part).endswith("Body")) or "body"
        return f"its {kind} body does not match {SCHEMA_NAMES[kind]} ({where}: {first['msg']})"
    return None


def record_problem(product: str, at: str) -> str | None:
    """Why a record's product or time cannot be right, or None."""
    if not PRODUCT.fullmatch(product) or len(product) > 64:
        return f"its product {product!r} is not a product id"
    if not AT.fullmatch(at):
        return f"its time {at!r} is not a UTC time such as 2026-01-31T08:00:00.000000Z"
    try:
        datetime.fromisoformat(at[:-1])
    except ValueError:
        return f"its time {at!r} is not a real date and time"
    return None
