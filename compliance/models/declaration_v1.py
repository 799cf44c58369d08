"""The declaration of an AI product, format v1 (superseded by v2, still read; see compliance/declaration/migrate.py).

The single source of truth of schemas/declaration-v1.schema.json.

`schemas/declaration-v1.schema.json` is generated from these models (scripts/regen.py) and a
test fails when the two drift. Field descriptions are what editors show; keep them short and
give the Chinese legal term where one exists.

Fail closed: optional facts default to ``unknown``, never to the safe answer. A fact left out
is graded as if it were the risky one, and the result says so.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from compliance.models.types import (
    Email,
    Engages,
    IsoDate,
    ShortText,
    Slug,
    Text,
    Tri,
    TriNA,
    Url,
    Uscc,
    or_unknown,
    unique_list,
)
from compliance.models.waiver import DeclaredWaiver

SCHEMA_ID = "https://aicomply.dev/schemas/declaration-v1.schema.json"
FORMAT = "aicomply/v1"


# Lists a real declaration keeps short; the bounds (those of v2) make a hostile file with thousands
# of items fail with one message instead of thousands. Enumerated lists are bounded by unique_list.
TextList = Annotated[list[Text], Field(max_length=100)]
ShortTextList = Annotated[list[ShortText], Field(max_length=50)]


class _Strict(BaseModel):
    # strict: "yes" is never true and "3" is never 3; extra=forbid: a misspelt field is an error.
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


# ------------------------------------------------------------------------------ vocabularies

Domain = Literal[
    "public_administration",  # 公共决策与行政管理 (Art. 38, 71)
    "social_benefits",  # 社会保障与公共福利
    "judicial",  # 司法 (Art. 38)
    "public_security",  # 公共安全与执法 (Art. 40)
    "critical_infrastructure",  # 关键基础设施
    "healthcare_diagnosis",  # 医疗诊断与治疗 (Art. 39, 46)
    "medical_device",  # 医疗器械 (Art. 46)
    "health_wellness",  # 健康管理
    "employment",  # 就业与人力资源 (Art. 39)
    "education",  # 教育与学生评价 (Art. 39)
    "credit",  # 信贷与征信
    "insurance",  # 保险
    "finance",  # 其他金融服务 (Art. 41)
    "transport",  # 交通出行 (Art. 39)
    "autonomous_driving",  # 自动驾驶
    "elder_care",  # 养老 (Art. 39, 42)
    "social_governance",  # 社会治理 (Art. 40)
    "emergency_response",  # 应急救援 (Art. 40)
    "ecommerce_advertising",  # 电子商务与广告
    "content_generation",  # 内容生成与媒体
    "recommendation_social",  # 推荐与社交平台
    "manufacturing_logistics",  # 生产制造与物流 (Art. 41)
    "scientific_research",  # 科学研究
    "internal_productivity",  # 内部办公提效
    "other",  # 其他 (describe it; graded at least medium until classified)
]

Audience = Literal["internal", "business", "public", "government"]
Geography = Literal["shenzhen", "guangdong", "national", "international", "unknown"]
GroupReach = Literal["none", "incidental", "primary", "unknown"]
District = Literal[
    "futian", "luohu", "yantian", "nanshan", "baoan", "longgang", "longhua",
    "pingshan", "guangming", "dapeng", "shenshan", "outside_shenzhen",
]
EnterpriseSize = Literal["micro", "small", "medium", "large"]
AutonomyLevel = Literal["advisory", "human_in_the_loop", "human_on_the_loop", "fully_autonomous", "unknown"]
Actuation = Literal["none", "assistive", "safety_critical", "unknown"]
Influence = Literal["none", "moderate", "strong", "unknown"]
SensitiveCategory = Literal[
    "biometric", "religion", "specific_identity", "health", "financial", "location",
    "minors_under_14", "ethnicity",
]
LawfulBasis = Literal[  # PIPL Art. 13
    "consent", "contract", "employment_management", "statutory_duty", "public_health_emergency",
    "news_reporting", "publicly_available", "other_law", "none",
]
ProvisionException = Literal[  # Shenzhen Data Regulations Art. 27
    "none", "public_authority_request", "individual_consent", "contract_necessity", "other_law",
]
ProtectedAttribute = Literal[
    "race", "gender", "nationality", "ethnicity", "religion",  # Art. 72(4)
    "region", "age", "occupation", "health",  # Generative AI Interim Measures Art. 4(2)
]
AttributeUse = Literal["decision_factor", "model_input", "fairness_testing"]
PricingBasis = Literal[
    "habits", "preferences", "payment_capability", "device", "purchase_history",  # user traits
    "location", "supply_demand", "cost", "time_of_day", "distance",  # the transaction
    "new_user_offer", "random_promotion", "membership_tier",
]
SynthesisModality = Literal["face", "voice", "body", "text", "image", "video", "virtual_scene"]
BiometricPurpose = Literal["public_security", "authentication", "access_control", "payment", "attendance", "marketing", "other"]
EmotionContext = Literal["workplace", "education", "healthcare", "driving_safety", "entertainment", "marketing", "other"]
Assessor = Literal["internal", "third_party"]
ReviewBody = Literal["internal_committee", "external_committee"]
FilingStatus = Literal["filed", "pending", "none", "unknown"]
DeviceClass = Literal["none", "I", "II", "III", "unknown"]


# --------------------------------------------------------------------------------- identity

class Contact(_Strict):
    name: ShortText
    email: Email
    phone: ShortText | None = None


class Product(_Strict):
    id: Slug = Field(description="Stable product id, used for file names (产品标识).")
    name: ShortText
    name_zh: ShortText | None = Field(None, description="Chinese name (中文名称).")
    version: ShortText = Field(description="Product version this declaration describes.")
    description: Text | None = None


class Provider(_Strict):
    name: ShortText = Field(description="Legal name of the providing organisation (提供者).")
    name_zh: ShortText | None = None
    uscc: Uscc
    district: District = Field(description="Shenzhen district of registration (所在区).")
    size: EnterpriseSize = Field(description="Enterprise size under the national SME classification.")
    contact: Contact


# ------------------------------------------------------------------ scenario and scope (Art. 66)

class Scenario(_Strict):
    domains: unique_list(Domain, min_items=1) = Field(
        description="Application scenarios (应用场景, Art. 66; Art. 38-46). List every one that applies."
    )
    purpose: Text = Field(description="What the product is for, in a sentence or two.")
    other_description: Text | None = Field(None, description="Required in spirit when domains lists 'other'.")


class SpecialGroups(_Strict):
    """Art. 42: children, the elderly and people with disabilities (特殊群体)."""

    children: GroupReach = Field(description="primary: designed for them; incidental: among the users.")
    elderly: GroupReach
    disabled: GroupReach


class Scope(_Strict):
    audience: unique_list(Audience, min_items=1) = Field(description="Who uses or is served by it (影响范围).")
    users: or_unknown(Annotated[int, Field(ge=0)]) = Field(
        description="Estimated users or affected persons; unknown if not known."
    )
    geography: Geography = "unknown"
    special_groups: SpecialGroups
    public_decision_making: Tri = Field(description="Used in public decision-making (公共决策, Art. 71).")
    public_interest_commercial: Tri = Field(
        description="A commercial field involving the public interest (涉及公共利益的商业领域, Art. 71)."
    )


class Autonomy(_Strict):
    level: AutonomyLevel = Field(description="How far a human stands between the output and its effect.")
    significant_effects: Tri = Field(
        description="Outputs have legal or similarly significant effects on individuals (PIPL Art. 24(3))."
    )
    physical_actuation: Actuation = Field(
        description="Does it move things in the world: none, assistive, safety_critical."
    )
    behavioural_influence: Influence = Field(
        description="Influence on users' behaviour or emotions (ethics re-review list item 5)."
    )
    affects_health: Tri = Field(description="Can it affect physical or mental health (Art. 72(3)).")


# ----------------------------------------------------------------------------------- data

class ThirdPartyProvision(_Strict):
    """Art. 33: personal data provided to others is de-identified (去标识化) unless an exception applies."""

    provided: Tri = "unknown"
    de_identified: TriNA = "unknown"
    separate_consent: TriNA = Field("unknown", description="Separate consent to provide to others (PIPL Art. 23).")
    exception: ProvisionException = Field(
        "none", description="Shenzhen Data Regulations Art. 27 exception relied on instead of de-identification."
    )


class AttributeUseEntry(_Strict):
    attribute: ProtectedAttribute
    use: AttributeUse
    purpose: Text


class Data(_Strict):
    personal_information: Tri = Field(description="Processes personal information (个人信息).")
    sensitive_categories: or_unknown(unique_list(SensitiveCategory)) = Field(
        description="Sensitive personal information (敏感个人信息, PIPL Art. 28); [] for none."
    )
    lawful_basis: or_unknown(unique_list(LawfulBasis)) = Field(
        "unknown", description="Lawful bases relied on (PIPL Art. 13)."
    )
    sensitive_separate_consent: TriNA = Field(
        "unknown", description="Separate consent for sensitive personal information (PIPL Art. 29)."
    )
    guardian_consent: TriNA = Field(
        "unknown", description="Guardian consent for children under 14 (PIPL Art. 31; SZ Data Regs Art. 20)."
    )
    third_party_provision: ThirdPartyProvision = Field(default_factory=ThirdPartyProvision)
    cross_border_transfer: Tri = "unknown"
    protected_attributes: or_unknown(Annotated[list[AttributeUseEntry], Field(max_length=50)]) = Field(
        description="Race, gender, nationality, ethnicity, religion and similar attributes used (Art. 72(4)); [] for none.",
    )


# ------------------------------------------------------------------ practices (Art. 72 items)

class Pricing(_Strict):
    personalised: Tri = Field("unknown", description="Different users may see different prices or terms.")
    basis: or_unknown(unique_list(PricingBasis)) = "unknown"


class DeepSynthesis(_Strict):
    used: Tri = Field("unknown", description="Generates or edits faces, voices, text, images, video (深度合成).")
    modalities: or_unknown(unique_list(SynthesisModality)) = "unknown"
    real_persons: Tri = Field("unknown", description="Edits or generates the likeness or voice of real people.")
    depicted_consent: TriNA = Field(
        "unknown", description="Separate consent of the person whose face or voice is edited (Deep Synthesis Provisions Art. 14)."
    )
    implicit_labels: Tri = Field("unknown", description="Implicit (metadata) labels on synthetic output.")
    conspicuous_labels: Tri = Field("unknown", description="Visible labels where the output could mislead.")
    identity_verification: TriNA = Field("unknown", description="Real-identity verification of users (Art. 9).")


class GenerativeService(_Strict):
    public: Tri = Field("unknown", description="Offers generative AI to the public in mainland China.")
    filing_number: ShortText | None = Field(None, description="Generative AI service filing or registration number.")
    content_moderation: TriNA = "unknown"


class Recommendation(_Strict):
    used: Tri = Field("unknown", description="Personalised recommendation, ranking or feed (算法推荐).")
    non_personalised_option: TriNA = Field("unknown", description="Users can switch personalisation off (Alg. Rec. Art. 17).")
    minors_mode: TriNA = "unknown"


class BiometricIdentification(_Strict):
    used: Tri = "unknown"
    remote: Tri = Field("unknown", description="Identifies people at a distance without their active participation.")
    public_spaces: Tri = "unknown"
    purpose: BiometricPurpose | None = None
    non_biometric_alternative: TriNA = Field(
        "unknown", description="Users may choose a non-biometric way (SZ Data Regs Art. 19)."
    )


class EmotionRecognition(_Strict):
    used: Tri = "unknown"
    contexts: or_unknown(unique_list(EmotionContext)) = "unknown"


class Engagement(_Strict):
    """Art. 72(3) and the minors' rules: no addiction or overspending models."""

    addictive_design: Tri = Field(
        "unknown", description="Design meant to induce addiction or excessive spending (Alg. Rec. Art. 8)."
    )
    minors_time_limits: TriNA = "unknown"
    minors_spending_limits: TriNA = "unknown"


class WorkerScheduling(_Strict):
    used: Tri = Field("unknown", description="Algorithms dispatch, schedule or pay workers (Alg. Rec. Art. 20).")
    worker_protections: TriNA = Field("unknown", description="Pay, rest and working-time safeguards built in.")


class PublicOpinion(_Strict):
    attributes: Tri = Field(
        "unknown", description="Public-opinion attributes or social-mobilisation capability (舆论属性或者社会动员能力)."
    )


class Practices(_Strict):
    pricing: Pricing = Field(default_factory=Pricing)
    deep_synthesis: DeepSynthesis = Field(default_factory=DeepSynthesis)
    generative_service: GenerativeService = Field(default_factory=GenerativeService)
    recommendation: Recommendation = Field(default_factory=Recommendation)
    biometric_identification: BiometricIdentification = Field(default_factory=BiometricIdentification)
    emotion_recognition: EmotionRecognition = Field(default_factory=EmotionRecognition)
    engagement: Engagement = Field(default_factory=Engagement)
    worker_scheduling: WorkerScheduling = Field(default_factory=WorkerScheduling)
    public_opinion: PublicOpinion = Field(default_factory=PublicOpinion)


# --------------------------------------------------------------------- safeguards and evidence

class Assessment(_Strict):
    done: Tri = "unknown"
    date: IsoDate | None = None
    assessor: Assessor | None = None
    reference: ShortText | None = Field(None, description="Report number or link kept on file.")


class EthicsReview(_Strict):
    done: Tri = "unknown"
    body: ReviewBody | None = None
    date: IsoDate | None = None
    reference: ShortText | None = None
    expert_rereview: TriNA = Field("unknown", description="Second review by the authority for list items (专家复核).")


class EthicsCommittee(_Strict):
    established: Tri = "unknown"
    members: int | None = Field(None, ge=1)


class Published(_Strict):
    published: Tri = "unknown"
    url: Url | None = None


class InPlace(_Strict):
    in_place: Tri = "unknown"
    reference: ShortText | None = None


class TrackingPlan(_Strict):
    in_place: Tri = "unknown"
    review_interval_months: int | None = Field(None, ge=1, le=24)


class Training(_Strict):
    """Art. 69: ethics, security and legal training of AI practitioners."""

    ethics_security: Tri = "unknown"
    legal: Tri = "unknown"
    last_date: IsoDate | None = None


class SpecialGroupProtections(_Strict):
    minors_mode: TriNA = Field("unknown", description="A minors' mode (未成年人模式).")
    elderly_friendly: TriNA = Field("unknown", description="Age-friendly design (适老化).")
    accessibility: TriNA = Field("unknown", description="Accessible to people with disabilities (无障碍).")


class Safeguards(_Strict):
    risk_assessment: Assessment = Field(
        default_factory=Assessment,
        description="Ethics and security review and risk assessment (Art. 72, first paragraph).",
    )
    ex_ante_assessment: Assessment = Field(
        default_factory=Assessment, description="Ex-ante assessment for high-risk applications (事前评估, Art. 66)."
    )
    risk_warning: InPlace = Field(default_factory=InPlace, description="Risk warning mechanism (风险预警, Art. 66).")
    disclosure: Published = Field(default_factory=Published, description="Ex-ante disclosure (事前披露, Art. 66).")
    tracking_plan: TrackingPlan = Field(default_factory=TrackingPlan, description="Post-facto tracking (事后跟踪, Art. 66).")
    ethics_review: EthicsReview = Field(default_factory=EthicsReview)
    ethics_committee: EthicsCommittee = Field(default_factory=EthicsCommittee)
    algorithm_explanation: Published = Field(default_factory=Published, description="Algorithm explanation (算法说明, Art. 71).")
    human_oversight: Tri = "unknown"
    security_testing: Assessment = Field(default_factory=Assessment, description="Security and reliability testing (Art. 36).")
    incident_response: Tri = "unknown"
    logging: Tri = Field("unknown", description="Logs that make decisions traceable.")
    monitoring: Tri = Field("unknown", description="Post-release monitoring.")
    training: Training = Field(default_factory=Training)
    special_group_protections: SpecialGroupProtections = Field(default_factory=SpecialGroupProtections)


class Filing(_Strict):
    status: FilingStatus = "unknown"
    number: ShortText | None = None


class ImpactAssessment(_Strict):
    done: Tri = "unknown"
    date: IsoDate | None = None


class Filings(_Strict):
    algorithm_filing: Filing = Field(default_factory=Filing, description="Algorithm filing (算法备案).")
    security_assessment: Filing = Field(default_factory=Filing, description="Security assessment (安全评估).")
    pi_impact_assessment: ImpactAssessment = Field(
        default_factory=ImpactAssessment, description="Personal information protection impact assessment (PIPL Art. 55)."
    )


class MedicalDevice(_Strict):
    device_class: DeviceClass = Field("unknown", alias="class", description="Medical device class (Art. 46; MDR Art. 6).")
    registration: ShortText | None = Field(None, description="Registration certificate or filing number.")


class Standards(_Strict):
    national_or_local: or_unknown(ShortTextList) = Field(
        "unknown", description="National or local standards that apply; [] when none exists yet (Art. 44)."
    )
    international: ShortTextList = Field(default_factory=list, description="International standards met.")
    medical_device: MedicalDevice = Field(default_factory=MedicalDevice)
    pilot_requested: bool = Field(False, description="Asks to run as an Art. 44 pilot (先行先试).")


# ------------------------------------------------------------------ Art. 72 self-attestation

class AttestationItem(_Strict):
    engages: Engages = Field(description="Does the product engage in this behaviour: false, true or unsure.")
    note: Text = Field(description="Why, with the evidence.")


class Attestation(_Strict):
    national_security: AttestationItem | None = Field(None, description="Art. 72(1)")
    privacy: AttestationItem | None = Field(None, description="Art. 72(2)")
    health: AttestationItem | None = Field(None, description="Art. 72(3)")
    discrimination: AttestationItem | None = Field(None, description="Art. 72(4)")
    price_discrimination: AttestationItem | None = Field(None, description="Art. 72(5)")
    deep_synthesis: AttestationItem | None = Field(None, description="Art. 72(6)")
    other_violations: AttestationItem | None = Field(None, description="Art. 72(7)")
    attested_by: ShortText | None = None
    date: IsoDate | None = None


# ---------------------------------------------------------------------------- transparency

class Transparency(_Strict):
    """What the documents tell people (Art. 66 disclosure, Art. 71 explanation). Optional: a document
    that needs a missing item says it is still to be completed, it never makes one up."""

    capabilities: TextList = Field(default_factory=list, description="What the product does, one item each.")
    limitations: TextList = Field(default_factory=list, description="What it does not do, and its limits.")
    failure_modes: TextList = Field(default_factory=list, description="Known ways it fails.")
    inputs: TextList = Field(default_factory=list, description="The main inputs its algorithm uses (Art. 71).")
    mechanism: Text | None = Field(None, description="Basic principle and main mechanism, in plain words (Art. 71).")
    opt_out: Text | None = Field(None, description="How a person opts out or uses a route without AI.")
    complaints: Text | None = Field(None, description="How to complain, and who answers.")
    human_review: Text | None = Field(None, description="How to get an explanation or a human review of a decision.")
    metrics: TextList = Field(default_factory=list, description="What post-release monitoring watches.")
    incident_threshold: Text | None = Field(None, description="What counts as an incident and who is told.")


class Declaration(_Strict):
    """An AI product declared for checking against the Shenzhen AI Regulations (2022)."""

    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        frozen=True,
        title="aicomply declaration v1",
    )

    schema_uri: str | None = Field(None, alias="$schema", description="Optional, for editors.")
    format: Literal["aicomply/v1"] = Field(description="Declaration format and version.")
    product: Product
    provider: Provider
    scenario: Scenario
    scope: Scope
    autonomy: Autonomy
    data: Data
    practices: Practices = Field(default_factory=Practices)
    safeguards: Safeguards = Field(default_factory=Safeguards)
    filings: Filings = Field(default_factory=Filings)
    standards: Standards = Field(default_factory=Standards)
    attestation: Attestation = Field(default_factory=Attestation, description="Art. 72 self-attestation.")
    transparency: Transparency = Field(default_factory=Transparency, description="What the documents tell people.")
    waivers: Annotated[list[DeclaredWaiver], Field(max_length=200)] = Field(
        default_factory=list, description="Accepted findings of this product, each justified, approved and dated."
    )
