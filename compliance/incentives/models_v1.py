"""Enterprise profile version 1 (schemas/profile-v1.schema.json), kept so that profiles written
for it are still read: migrate.py converts them to version 2 and says what it had to assume.

Frozen apart from bounds: money and counts are bounded as in version 2, so that a typo such as
1e27 is refused with its line instead of breaking the arithmetic.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from compliance.incentives.models import (
    Business,
    District,
    Program,
    Yuan,
    YuanOrUnknown,
    _Strict,
)
from compliance.models.types import (
    IsoDate,
    ShortText,
    Slug,
    Text,
    Tri,
    Uscc,
    or_unknown,
    unique_list,
)

SpendKindV1 = Literal["compute_rental", "corpus_purchase", "corpus_release", "model_purchase", "demonstration_project",
                      "rd", "production", "event", "migration", "platform_investment", "office_lease"]


class Income(_Strict):
    year: int = Field(ge=2000, le=2100, description="The year the figures are for (the previous year).")
    total: Yuan = Field(description="Total business income of that year, yuan.")
    ai: YuanOrUnknown = Field("unknown", description="AI business income of that year, yuan.")
    total_year_before: YuanOrUnknown = Field("unknown", description="Total income the year before.")


class Lists(_Strict):
    abnormal_operations: Tri = Field("unknown", description="On the list of enterprises with abnormal operations.")
    dishonest_obligor: Tri = Field("unknown", description="On the list of dishonest persons subject to enforcement.")
    seriously_dishonest: Tri = Field("unknown", description="On the list of seriously dishonest entities.")


class OtherSupport(_Strict):
    program: Program
    spend: Slug = Field(description="The id of the spend item the support is for.")
    amount: Yuan


class SpendItem(_Strict):
    id: Slug
    kind: SpendKindV1
    amount: Yuan = Field(description="Contract amount or cost, yuan.")
    date: IsoDate = Field(description="Contract or payment date (incurred) or planned date.")
    status: Literal["incurred", "planned"] = "incurred"
    description: Text | None = None
    for_large_model: Tri = Field("unknown", description="For large-model research, training or application.")
    unrelated_party: Tri = Field("unknown", description="Bought from an unrelated party.")
    via_trading_platform: Tri = Field("unknown", description="Bought through a data trading platform.")
    registered_model: Tri = Field("unknown", description="Uses a generative AI model registered with the CAC.")
    recognised: Tri = Field("unknown", description=(
        "Recognised as the measure requires: the project, platform, event or provider approved, evaluated, "
        "selected or registered by the responsible unit."))
    government_invested: Tri = Field("unknown", description="A government-invested project.")
    benchmark: Tri = Field("unknown", description="Recognised as a benchmark (leading) application project.")
    in_qianhai: Tri = Field("unknown", description="The project or space is in the Qianhai Cooperation Zone.")
    project_total: YuanOrUnknown = Field(
        "unknown", description="Total investment of the project this spend belongs to, where a measure sets a threshold on it.")
    area_m2: int | None = Field(None, ge=1, le=1_000_000, description="Office lease: area in square metres.")
    months: int | None = Field(None, ge=1, le=12, description="Office lease: months within the year.")


class Enterprise(_Strict):
    name: ShortText
    name_zh: ShortText | None = None
    uscc: Uscc
    entity_type: Literal["enterprise", "university", "research_institute"] = "enterprise"
    district: District
    qianhai_operations: Tri = Field("unknown", description="Has actual operations in the Qianhai Cooperation Zone.")
    qianhai_since: IsoDate | None = Field(None, description="When its operations in Qianhai began.")
    size: Literal["micro", "small", "medium", "large"]
    startup: Tri = Field("unknown", description="A startup (初创企业) as the municipal rules define it.")
    registered_on: IsoDate | None = None
    paid_in_capital: YuanOrUnknown = "unknown"
    income: Income
    main_business: unique_list(Business, min_items=1)
    registered_models: or_unknown(Annotated[int, Field(ge=0, le=1000)]) = Field(
        "unknown", description="Large models on the national generative AI registration list that the enterprise owns.")
    lists: Lists = Field(default_factory=Lists)


class Profile(_Strict):
    """An enterprise and its spending, for `aicomply incentives` (version 1: still read)."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, title="aicomply enterprise profile v1")

    schema_uri: str | None = Field(None, alias="$schema")
    format: Literal["aicomply-profile/v1"]
    enterprise: Enterprise
    spend: list[SpendItem] = Field(default_factory=list, max_length=1000)
    other_support: list[OtherSupport] = Field(default_factory=list, max_length=1000,
                                                description="Support already granted or applied for, per spend item.")
