"""Waivers: time-limited, justified and approved exceptions to findings (the waiver file and the
`waivers:` list of a declaration). Source of schemas/waivers-v1.schema.json."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from compliance.models.types import IsoDate, ShortText, Slug


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


RuleId = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$", description="A rule id from `aicomply rules`.")]
# A reason a reviewer can read: four words or more, or ten Chinese characters or more.
Justification = Annotated[
    str,
    Field(min_length=15, max_length=2000, pattern=r"(\S+\s+){3}\S|([㐀-鿿][^㐀-鿿]*){10}",
          description="Why the finding is accepted for now, in a real sentence (four words or ten characters)."),
]


class DeclaredWaiver(_Strict):
    """A waiver inside a declaration; it covers this product only."""

    rule: RuleId
    justification: Justification
    approver: ShortText = Field(description="Who accepted the risk: name and role.")
    expires: IsoDate = Field(description="Last day the waiver holds (YYYY-MM-DD).")


class Waiver(DeclaredWaiver):
    """A waiver in a waiver file (.aicomply-waivers.yaml): names its product."""

    product: Slug


class WaiverFile(_Strict):
    """A waiver file: time-limited, justified and approved exceptions to findings."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, title="aicomply waivers v1")

    schema_uri: str | None = Field(None, alias="$schema", description="Optional, for editors.")
    waivers: list[Waiver]


