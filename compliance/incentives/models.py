"""The incentive estimator's two inputs, as pydantic models (sources of their published schemas):

- an enterprise profile (schemas/profile-v2.schema.json): who the applicant is and what it
  spends; version 1 (models_v1.py) is still read and converted (migrate.py);
- an incentive document (schemas/incentives-v2.schema.json): every clause of one policy text,
  as data under checklists/incentives/.

Money is written as a whole number or a decimal string ("30000000", "1250.50"), never a float,
and is bounded (under 10 trillion yuan) so that every sum is exact in Decimal.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from compliance.incentives.formats import (
    MAX_YUAN,
    YUAN_OR_UNKNOWN_PATTERN,
    YUAN_PATTERN,
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

# ------------------------------------------------------------------------------ money

_YUAN = re.compile(YUAN_PATTERN, re.ASCII)  # applied in full, as the schema's ECMA-262 pattern reads
_YUAN_HELP = "a whole number or a decimal string such as \"1250.50\", at most 9,999,999,999,999"


def _yuan(value: Any) -> Any:
    if (type(value) is int and 0 <= value <= MAX_YUAN) or (type(value) is str and _YUAN.fullmatch(value)):
        return value
    raise PydanticCustomError("money", f"expected yuan as {_YUAN_HELP}")


_YUAN_SCHEMA = [{"type": "integer", "minimum": 0, "maximum": MAX_YUAN},
                {"type": "string", "pattern": _YUAN.pattern}]

# Yuan, exact and bounded. Floats are refused (also integral ones such as 1e27, which JSON Schema
# alone would take for integers: profile.py refuses every float before the schema check).
Yuan = Annotated[Any, PlainValidator(_yuan), WithJsonSchema({"anyOf": _YUAN_SCHEMA, "description": f"Yuan: {_YUAN_HELP}."})]


def _yuan_or_unknown(value: Any) -> Any:
    return value if value == "unknown" else _yuan(value)


YuanOrUnknown = Annotated[Any, PlainValidator(_yuan_or_unknown), WithJsonSchema(
    {"anyOf": [_YUAN_SCHEMA[0], {"type": "string", "pattern": YUAN_OR_UNKNOWN_PATTERN}],
     "description": f"Yuan: {_YUAN_HELP}; or unknown."})]

Rate = Annotated[str, Field(pattern=r"^0(\.\d{1,4})?$|^1(\.0{1,4})?$", description="A fraction such as \"0.5\".")]
Count = Annotated[int, Field(ge=0, le=100_000)]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


# ----------------------------------------------------------------------------- the profile

EntityType = Literal["enterprise", "university", "research_institute", "industry_organisation", "innovation_centre"]
Authority = Literal["city", "longgang", "qianhai"]
SpendKind = Literal[
    "compute_rental",  # computing power rented or purchased
    "corpus_purchase",  # corpora bought from others
    "corpus_release",  # cost of producing corpora released on public platforms
    "model_purchase",  # purchase of large models or large-model services
    "demonstration_project",  # investment in an AI application or demonstration project
    "rd",  # research and development spending
    "production",  # production cost of a launched product
    "event",  # cost of an industry event
    "migration",  # migrating and adapting models to domestic AI stacks
    "platform_investment",  # investment in a platform, computing centre or innovation centre
    "platform_operation",  # a year's operating costs of an existing platform
    "office_lease",  # office space leased (with area and months)
]
District = Literal["futian", "luohu", "yantian", "nanshan", "baoan", "longgang", "longhua", "pingshan", "guangming",
                   "dapeng", "shenshan", "outside_shenzhen"]
Program = Literal["municipal", "longgang", "qianhai", "nanshan", "baoan", "other_district", "provincial", "national"]
Business = Literal["ai_software", "ai_services", "ai_products", "other"]
QianhaiArea = Literal["qianwan", "guiwan", "mawan", "baozhong", "dachan_bay", "elsewhere", "unknown"]


class Income(_Strict):
    year: int = Field(ge=2000, le=2100, description="The year the figures are for (the previous year).")
    total: YuanOrUnknown = Field(description="Total business (operating) income of that year, yuan.")
    ai: YuanOrUnknown = Field("unknown", description="AI business income of that year, yuan; not more than total.")
    total_year_before: YuanOrUnknown = Field("unknown", description="Total income the year before.")
    data_transaction_services: YuanOrUnknown = Field(
        "unknown", description="Data transaction service income of that year (a data brokerage enterprise), yuan.")


class Lists(_Strict):
    """Shenzhen's lists that bar an applicant (Qianhai measures, supplementary provisions)."""

    abnormal_operations: Tri = Field("unknown", description="On the list of enterprises with abnormal operations.")
    dishonest_obligor: Tri = Field("unknown", description="On the list of dishonest persons subject to enforcement.")
    seriously_dishonest: Tri = Field("unknown", description="On the list of seriously dishonest entities.")


class LargeModel(_Strict):
    """A large model the applicant owns."""

    id: Slug
    name: ShortText | None = None
    registered_on: IsoDate | Literal["unknown", "not_registered"] = Field(
        "unknown", description="The date it was put on the national generative AI service registration list.")
    industry_model: Tri = Field("unknown", description="An AI industry large model, for an industry's applications.")
    self_developed: Tri = Field("unknown", description="Developed independently by the applicant.")
    publicly_released: Tri = Field("unknown", description="Publicly released.")
    market_cases: or_unknown(Count) = Field("unknown", description="Market application cases of the model.")


class OtherSupport(_Strict):
    program: Program
    spend: Slug = Field(description="The id of the spend item the support is for.")
    amount: Yuan


class Approvals(_Strict):
    """Approval of one spend by each authority: recognised, selected, evaluated, agreed in advance
    or registered, as that authority's measure requires. Each is a separate act."""

    city: Tri = Field("unknown", description="By the Shenzhen municipal unit responsible for the measure.")
    longgang: Tri = Field("unknown", description="By the Longgang District unit responsible for the measure.")
    qianhai: Tri = Field("unknown", description="By the Qianhai Authority.")


class SpendItem(_Strict):
    id: Slug
    kind: SpendKind
    amount: Yuan = Field(description="Contract amount or cost, yuan.")
    date: IsoDate = Field(description="Contract or payment date (incurred) or planned date; for a lease, its first month.")
    status: Literal["incurred", "planned"] = "incurred"
    description: Text | None = None
    approvals: Approvals = Field(default_factory=Approvals)
    for_large_model: Tri = Field("unknown", description="For large-model research, training or application.")
    unrelated_party: Tri = Field("unknown", description="Bought from an unrelated party.")
    via_trading_platform: Tri = Field("unknown", description="Bought through a data trading platform.")
    registered_model: Tri = Field("unknown", description="Uses a generative AI model registered with the CAC.")
    third_party_tested: Tri = Field("unknown", description="Uses a large model tested by a third party.")
    government_invested: Tri = Field("unknown", description="A government-invested project.")
    benchmark: Tri = Field("unknown", description="Recognised as a benchmark (leading) application project.")
    in_qianhai: Tri = Field("unknown", description="The project, platform, event or space is in the Qianhai Cooperation Zone.")
    qianhai_area: QianhaiArea = Field("unknown", description="Office lease: the area of the Qianhai AI aggregation zone.")
    platform: Slug | None = Field(None, description="The platform or centre the spend is for (caps are per platform).")
    platform_kind: Literal["compute_centre", "public_service", "innovation_centre", "unknown"] = Field(
        "unknown", description="What the platform is: an intelligent computing centre or compute scheduling platform, "
        "a public technology service platform, or an AI innovation centre.")
    served_enterprise: ShortText | None = Field(None, description="Migration services: the enterprise served.")
    embodied_robot: Tri = Field("unknown", description="For an embodied robot product.")
    traditional_industry: Tri = Field("unknown", description=(
        "For an AI-enabled product of consumer electronics or a traditional industry (glasses, jewellery, watches, "
        "clothing, furniture, toys and the like)."))
    product_stage: Literal["trial", "launched", "unknown"] = Field(
        "unknown", description="The product: first trialled but not yet final, or launched.")
    project_total: YuanOrUnknown = Field(
        "unknown", description="Total investment of the project this spend belongs to, where a measure sets a threshold on it.")
    area_m2: int | None = Field(None, ge=1, le=1_000_000, description="Office lease: area in square metres.")
    months: int | None = Field(None, ge=1, le=12, description="Office lease: months leased from its date.")


class Enterprise(_Strict):
    name: ShortText
    name_zh: ShortText | None = None
    uscc: Uscc
    entity_type: EntityType = Field(description="Which kind of unit applies; each measure says which kinds may claim.")
    district: District
    qianhai_operations: Tri = Field("unknown", description="Has actual operations in the Qianhai Cooperation Zone.")
    qianhai_since: IsoDate | None = Field(None, description="When its operations in Qianhai began.")
    size: Literal["micro", "small", "medium", "large", "unknown"]
    startup: Tri = Field("unknown", description="A startup (初创企业) as the municipal rules define it.")
    registered_on: IsoDate | None = None
    paid_in_capital: YuanOrUnknown = "unknown"
    income: Income
    main_business: unique_list(Business, min_items=1)
    data_broker: Tri = Field("unknown", description="A data brokerage enterprise (数据商).")
    global500_or_national_carrier: Tri = Field("unknown", description=(
        "Led by a Fortune Global 500 company or its first-level subsidiary, or a national-level innovation carrier."))
    national_organisation: Tri = Field("unknown", description="A national-level AI industry organisation.")
    large_models: list[LargeModel] = Field([], max_length=1000, description="Large models the applicant owns.")
    approved_icv_vehicles: or_unknown(Count) = Field(
        "unknown", description="Intelligent connected vehicles approved for commercial operation in Qianhai.")
    evtol_routes_domestic: or_unknown(Count) = Field(
        "unknown", description="Approved commercial eVTOL routes, domestic, with a take-off or landing point in Qianhai.")
    evtol_routes_cross_border: or_unknown(Count) = Field(
        "unknown", description="Approved commercial eVTOL routes, cross-border, with a take-off or landing point in Qianhai.")
    lists: Lists = Field(default_factory=Lists)


class Profile(_Strict):
    """An applicant and its spending, for `aicomply incentives`."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, title="aicomply enterprise profile v2")

    schema_uri: str | None = Field(None, alias="$schema")
    format: Literal["aicomply-profile/v2"]
    enterprise: Enterprise
    spend: list[SpendItem] = Field(default_factory=list, max_length=1000)
    other_support: list[OtherSupport] = Field(default_factory=list, max_length=1000,
                                              description="Support already granted or applied for, per spend item.")


# ----------------------------------------------------------------------- incentive documents

class Bilingual(_Strict):
    en: Text
    zh: Text


class Requirement(_Strict):
    text: Bilingual
    when: dict = Field(description="A condition over `enterprise.*`, `item.*` and `model.*` facts "
                                   "(see compliance/evaluate/conditions.py).")


class RateRule(_Strict):
    rate: Rate
    when: dict | None = Field(None, description=(
        "The first rate whose condition holds applies; the last rate has no condition and must be the lowest, "
        "so a fact left unknown never raises the estimate."))
    text: Bilingual | None = None


class Cap(_Strict):
    amount: Yuan
    per: Literal["item", "enterprise_year", "enterprise_total", "platform_year", "platform_total",
                 "served_enterprise_year", "served_enterprise_total"]
    pool: Slug | None = Field(None, description="Caps of one document with the same pool share one limit.")
    text: Bilingual


class UsageBased(_Strict):
    """An award the responsible unit sets on use, sales or assessment, with no formula in the text:
    never estimated, only listed with its most."""

    up_to: Yuan
    basis: Bilingual


class Ceiling(_Strict):
    """A higher limit the text allows on a condition without saying how much more: shown, never counted."""

    amount: Yuan
    when: dict
    text: Bilingual


class Measure(_Strict):
    id: Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")]
    title: Bilingual
    summary: Bilingual
    who: unique_list(EntityType, min_items=1) = Field(description="The kinds of unit the clause's wording addresses.")
    base: SpendKind | Literal["large_model"] | None = Field(
        None, description="What the measure is paid on: a kind of spend, each large model, or (None) the applicant.")
    base_derived: Literal["revenue_increase", "data_transaction_income"] | None = Field(
        None, description="An applicant-level base computed from the profile's income figures.")
    basis_year: Literal["same", "previous"] = Field(
        "same", description="previous: paid in the year after the spend, on the previous year's figures.")
    units: Literal["area_months", "approved_icv_vehicles", "evtol_routes_domestic", "evtol_routes_cross_border"] | None = Field(
        None, description="What unit_amount is paid per: m2 x months of a lease, or a count the profile states.")
    unit_amount: Yuan | None = None
    months_from_start: int | None = Field(None, ge=1, le=120, description=(
        "area_months: only months within this many continuous months from the start of operations count."))
    rates: list[RateRule] = Field(default_factory=list)
    award: Yuan | None = Field(None, description="A sum the text states (per item, or once for the applicant).")
    usage_based: UsageBased | None = None
    ceiling: Ceiling | None = None
    frequency: Literal["annual", "one_off"]
    requires: list[Requirement] = Field(default_factory=list)
    caps: list[Cap] = Field(default_factory=list)


class OtherPart(_Strict):
    """A part of a clause the estimator does not compute, listed with its amounts and why."""

    kind: Literal["support", "programme", "rule"] = Field(
        "support", description="support: something a unit may claim; programme: the authority's own action; "
                               "rule: how the document applies.")
    title: Bilingual
    who: unique_list(EntityType) = Field(default_factory=list, description="For support: who the wording addresses.")
    amounts: Bilingual | None = Field(None, description="For support: the amounts the text gives, or that it gives none.")
    reason: Bilingual


class Clause(_Strict):
    clause: ShortText = Field(description="Where in the document, e.g. \"(2)\".")
    title: Bilingual
    budget: Bilingual | None = Field(None, description="The programme's annual budget or quota, where the text sets one.")
    measures: list[Measure] = Field(default_factory=list)
    not_estimated: list[OtherPart] = Field(default_factory=list)


class WithinSpend(_Strict):
    """Total public support for one spend never exceeds the spend (its audited investment)."""

    text: Bilingual
    when_granted_by: list[Program] = Field(
        default_factory=list, description="The rule applies once the spend has support from one of these (empty: always).")
    counts: list[Program] = Field(min_length=1, description="Whose support counts towards the total.")


class Document(_Strict):
    """One policy document, clause by clause (checklists/incentives/*.yaml)."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, title="aicomply incentive document v2")

    schema_uri: str | None = Field(None, alias="$schema")
    format: Literal["aicomply-incentives/v2"]
    id: Slug
    program: Program
    title: Bilingual
    title_official: bool = Field(True, description="false: the source gives no title; ours is a translation.")
    issuer: Bilingual
    source: ShortText = Field(description="The text this data is read from.")
    effective: IsoDate
    valid_years: int = Field(ge=1, le=10)
    readings: list[Bilingual] = Field(min_length=1, description="Readings of the wording this data had to choose, and why.")
    budget_rule: Bilingual | None = Field(None, description="The document's rule that amounts are subject to its budget.")
    definitions: dict[str, dict] = Field(default_factory=dict,
                                          description="Named conditions measures refer to with {ref: name}.")
    eligible: list[Requirement] = Field(default_factory=list, description="Conditions every measure of the document shares.")
    non_cumulation: Bilingual = Field(description="The document's own rule on combining support.")
    exclusive_with: list[Program] = Field(default_factory=list,
                                          description="Programs whose support for the same spend rules this one out.")
    more_favourable_with: list[Program] = Field(
        default_factory=list, description="Programs whose support for the same spend the applicant must choose between.")
    within_spend: WithinSpend | None = None
    annual_total_cap: Yuan | None = Field(None, description="Most one entity can receive under the document in a year.")
    clauses: list[Clause] = Field(min_length=1, description="Every clause of the document, in its order.")
