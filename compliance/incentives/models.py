"""The incentive estimator's two inputs, as pydantic models (sources of their published schemas):

- an enterprise profile (schemas/profile-v1.schema.json): who the enterprise is and what it spends;
- an incentive document (schemas/incentives-v1.schema.json): the measures of one policy text,
  as data under checklists/incentives/.

Money is written as a whole number or a decimal string ("30000000", "1250.50"), never a float.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from compliance.models.types import (
    IsoDate,
    Money,
    MoneyOrUnknown,
    ShortText,
    Slug,
    Text,
    Tri,
    Uscc,
    or_unknown,
    unique_list,
)

Rate = Annotated[str, Field(pattern=r"^0(\.\d{1,4})?$|^1(\.0{1,4})?$", description="A fraction such as \"0.5\".")]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


# ----------------------------------------------------------------------------- the profile

SpendKind = Literal[
    "compute_rental",  # computing power rented or purchased
    "corpus_purchase",  # corpora bought from others
    "corpus_release",  # cost of producing corpora released on public platforms
    "model_purchase",  # purchase of (registered) large models or model services
    "demonstration_project",  # investment in an AI application or demonstration project
    "rd",  # research and development spending
    "production",  # production cost of a launched product
    "event",  # cost of an industry event
    "migration",  # migrating and adapting models to domestic AI stacks
    "platform_investment",  # investment in a public technology service platform or compute centre
    "office_lease",  # office space leased (with area and months)
]
District = Literal["futian", "luohu", "yantian", "nanshan", "baoan", "longgang", "longhua", "pingshan", "guangming",
                   "dapeng", "shenshan", "outside_shenzhen"]
Program = Literal["municipal", "longgang", "qianhai", "nanshan", "baoan", "other_district", "provincial", "national"]
Business = Literal["ai_software", "ai_services", "ai_products", "other"]


class Income(_Strict):
    year: int = Field(ge=2000, le=2100, description="The year the figures are for (the previous year).")
    total: Money = Field(description="Total business income of that year, yuan.")
    ai: MoneyOrUnknown = Field("unknown", description="AI business income of that year, yuan.")
    total_year_before: MoneyOrUnknown = Field("unknown", description="Total income the year before.")


class Lists(_Strict):
    """Shenzhen's lists that bar an applicant (Qianhai measures, supplementary provisions)."""

    abnormal_operations: Tri = Field("unknown", description="On the list of enterprises with abnormal operations.")
    dishonest_obligor: Tri = Field("unknown", description="On the list of dishonest persons subject to enforcement.")
    seriously_dishonest: Tri = Field("unknown", description="On the list of seriously dishonest entities.")


class OtherSupport(_Strict):
    program: Program
    spend: Slug = Field(description="The id of the spend item the support is for.")
    amount: Money


class SpendItem(_Strict):
    id: Slug
    kind: SpendKind
    amount: Money = Field(description="Contract amount or cost, yuan.")
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
    project_total: MoneyOrUnknown = Field(
        "unknown", description="Total investment of the project this spend belongs to, where a measure sets a threshold on it.")
    area_m2: int | None = Field(None, ge=1, description="Office lease: area in square metres.")
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
    paid_in_capital: MoneyOrUnknown = "unknown"
    income: Income
    main_business: unique_list(Business, min_items=1)
    registered_models: or_unknown(Annotated[int, Field(ge=0)]) = Field(
        "unknown", description="Large models on the national generative AI registration list that the enterprise owns.")
    lists: Lists = Field(default_factory=Lists)


class Profile(_Strict):
    """An enterprise and its spending, for `aicomply incentives`."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, title="aicomply enterprise profile v1")

    schema_uri: str | None = Field(None, alias="$schema")
    format: Literal["aicomply-profile/v1"]
    enterprise: Enterprise
    spend: list[SpendItem] = Field(default_factory=list)
    other_support: list[OtherSupport] = Field(default_factory=list,
                                              description="Support already granted or applied for, per spend item.")


# ----------------------------------------------------------------------- incentive documents

class Bilingual(_Strict):
    en: Text
    zh: Text


class Requirement(_Strict):
    text: Bilingual
    when: dict = Field(description="A condition over `enterprise.*` and `item.*` facts (see compliance/evaluate/conditions.py).")


class RateRule(_Strict):
    rate: Rate
    when: dict | None = Field(None, description=(
        "The first rate whose condition holds applies; the last rate has no condition and must be the lowest, "
        "so a fact left unknown never raises the estimate."))
    text: Bilingual | None = None


class Cap(_Strict):
    amount: Money
    per: Literal["item", "enterprise_year", "enterprise_total"]
    text: Bilingual
    unless: dict | None = Field(None, description="A condition that lifts this cap when it holds (never when unknown).")


class Measure(_Strict):
    id: Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")]
    clause: ShortText = Field(description="Where in the document, e.g. \"(2)\".")
    title: Bilingual
    summary: Bilingual
    base: SpendKind | None = Field(None, description="The spend the rate applies to; None for enterprise-level measures.")
    base_derived: Literal["revenue_increase"] | None = Field(
        None, description="An enterprise-level base computed from the profile's income figures.")
    units: Literal["registered_models", "area_months"] | None = Field(
        None, description="Count what unit_amount is paid per: registered large models, or m2 x months of a lease.")
    unit_amount: Money | None = Field(None, description="Yuan per unit (per m2 per month for office leases).")
    rates: list[RateRule] = Field(default_factory=list)
    award: Money | None = Field(None, description="For awards decided on assessment: the most it can be.")
    frequency: Literal["annual", "one_off"]
    requires: list[Requirement] = Field(default_factory=list)
    caps: list[Cap] = Field(default_factory=list)


class WithinSpend(_Strict):
    """Total public support for one spend never exceeds the spend (its audited investment)."""

    text: Bilingual
    when_granted_by: list[Program] = Field(
        default_factory=list, description="The rule applies once the spend has support from one of these (empty: always).")
    counts: list[Program] = Field(min_length=1, description="Whose support counts towards the total.")


class NotEstimated(_Strict):
    clause: ShortText
    title: Bilingual
    reason: Bilingual


class Document(_Strict):
    """One policy document's measures (checklists/incentives/*.yaml)."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, title="aicomply incentive document v1")

    schema_uri: str | None = Field(None, alias="$schema")
    format: Literal["aicomply-incentives/v1"]
    id: Slug
    program: Program
    title: Bilingual
    issuer: Bilingual
    source: ShortText = Field(description="The text this data is read from.")
    effective: IsoDate
    valid_years: int = Field(ge=1, le=10)
    definitions: dict[str, dict] = Field(default_factory=dict,
                                          description="Named conditions measures refer to with {ref: name}.")
    eligible: list[Requirement] = Field(default_factory=list, description="Conditions every measure of the document shares.")
    non_cumulation: Bilingual = Field(description="The document's own rule on combining support.")
    exclusive_with: list[Program] = Field(default_factory=list,
                                          description="Programs whose support for the same spend rules this one out.")
    more_favourable_with: list[Program] = Field(
        default_factory=list, description="Programs whose support for the same spend the applicant must choose between.")
    within_spend: WithinSpend | None = None
    annual_total_cap: Money | None = Field(None, description="Most one entity can receive under the document in a year.")
    measures: list[Measure] = Field(min_length=1)
    not_estimated: list[NotEstimated] = Field(
        default_factory=list, description="The document's other clauses, and why the estimator leaves them out.")
