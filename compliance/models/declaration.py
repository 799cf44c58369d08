"""The declaration of an AI product, format v2: the single source of truth.

`schemas/declaration-v2.schema.json` is generated from these models (scripts/regen.py) and a
test fails when the two drift. Every field's description is in English, a blank line, then
Chinese (editors show both; the interview splits them), and most fields carry an example.

Fail closed: optional facts default to ``unknown``, never to the safe answer. A fact left out
is graded as if it were the risky one, and the result says so. Where an officer may honestly
not know something (a foreign provider's registration, a filing number not at hand), the format
says ``unknown`` rather than forcing an invented value.

v1 files are still read: compliance/declaration/migrate.py upgrades them, in memory for a check
and on disk with `aicomply migrate`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from compliance.models.types import (
    Email,
    Engages,
    IsoDate,
    LocalText,
    ShortLocalText,
    ShortText,
    Slug,
    Tri,
    TriNA,
    Url,
    Uscc,
    or_unknown,
    unique_list,
)
from compliance.models.waiver import DeclaredWaiver

SCHEMA_ID = "https://aicomply.dev/schemas/declaration-v2.schema.json"
FORMAT = "aicomply/v2"


def doc(en: str, zh: str, *examples: Any, gate: bool = False) -> dict[str, Any]:
    """Field keywords: the description in both languages (English, blank line, Chinese) and examples.

    `gate` marks the field whose `false` makes the rest of its section not apply (the interview
    skips them; the scaffold says so)."""
    extra: dict[str, Any] = {"x-gate": True} if gate else {}
    keywords: dict[str, Any] = {"description": f"{en}\n\n{zh}"}
    if examples:
        keywords["examples"] = list(examples)
    if extra:
        keywords["json_schema_extra"] = extra
    return keywords


class _Strict(BaseModel):
    # strict: "yes" is never true and "3" is never 3; extra=forbid: a misspelt field is an error.
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


def _section(title_en: str, title_zh: str) -> ConfigDict:
    return ConfigDict(strict=True, extra="forbid", frozen=True, title=title_en,
                      json_schema_extra={"x-title-zh": title_zh})


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
    "workplace_management",  # 劳动管理：排班、派单、考核、监控
    "education",  # 教育与学生评价 (Art. 39)
    "credit",  # 信贷与征信
    "insurance",  # 保险
    "wealth_management",  # 理财与投资顾问（适当性）
    "trading",  # 面向公众的算法交易
    "payments_banking",  # 支付、记账与银行业务运营
    "finance",  # 其他金融服务 (Art. 41)
    "transport",  # 交通出行 (Art. 39)
    "autonomous_driving",  # 自动驾驶
    "elder_care",  # 养老 (Art. 39, 42)
    "social_governance",  # 社会治理 (Art. 40)
    "emergency_response",  # 应急救援 (Art. 40)
    "ecommerce_advertising",  # 电子商务与广告
    "customer_service",  # 客户服务
    "content_generation",  # 内容生成与媒体
    "companionship",  # 陪伴与情感交互
    "recommendation_social",  # 推荐与社交平台
    "manufacturing_logistics",  # 生产制造与物流 (Art. 41)
    "agriculture",  # 农业生产
    "energy_management",  # 能源管理与节能减排 (Art. 40); power grids and utilities are critical_infrastructure
    "environment_weather",  # 生态环境与气象 (Art. 40); public disaster warnings are emergency_response
    "translation_language",  # 翻译与语言服务
    "scientific_research",  # 科学研究
    "internal_productivity",  # 内部办公提效
    "other",  # 其他
]

ProviderKind = Literal[
    "enterprise",  # 企业
    "government_body",  # 国家机关
    "public_institution",  # 事业单位（学校、医院等）
    "social_organisation",  # 社会组织
    "foreign_entity",  # 境外组织
    "individual",  # 个人
    "unknown_operator",  # 身份不明的运营者
]
Stage = Literal["research_development", "pilot", "deployed", "unknown"]
Audience = Literal["internal", "business", "public", "government"]
Affected = Literal[
    "users",  # only the people who use it
    "customers",  # a business's customers
    "job_applicants",
    "employees",
    "platform_workers",  # riders, drivers and other workers dispatched by the platform
    "students",
    "patients",
    "residents",  # people subject to an administrative decision
    "road_users",  # pedestrians and other road users
    "public",  # the public at large, in public places or online
]
Geography = Literal["shenzhen", "guangdong", "national", "international", "unknown"]
GroupReach = Literal["none", "incidental", "primary", "unknown"]
District = Literal[
    "futian", "luohu", "yantian", "nanshan", "baoan", "longgang", "longhua",
    "pingshan", "guangming", "dapeng", "shenshan", "outside_shenzhen", "unknown",
]
EnterpriseSize = Literal["micro", "small", "medium", "large", "not_applicable", "unknown"]
AutonomyLevel = Literal["advisory", "human_in_the_loop", "human_on_the_loop", "fully_autonomous", "unknown"]
Actuation = Literal["none", "assistive", "safety_critical", "unknown"]
Influence = Literal["none", "moderate", "strong", "unknown"]
SensitiveCategory = Literal[
    "biometric", "religion", "specific_identity", "health", "financial", "location",
    "minors_under_14", "ethnicity",
]
LawfulBasis = Literal[  # PIPL Art. 13
    "consent", "contract", "employment_management", "statutory_duty", "public_health_emergency",
    "news_reporting", "publicly_available", "other_law",
]
ConsentMethod = Literal["explicit_opt_in", "pre_ticked", "bundled", "implied", "not_applicable", "unknown"]
ProvisionException = Literal[  # Shenzhen Data Regulations Art. 27
    "none", "public_authority_request", "individual_consent", "contract_necessity", "other_law",
]
ExportMechanism = Literal["security_assessment", "standard_contract", "certification", "exempt", "none", "unknown"]
ProtectedAttribute = Literal[
    "race", "gender", "nationality", "ethnicity", "religion",  # Art. 72(4)
    "region", "age", "occupation", "health",  # Generative AI Interim Measures Art. 4(2)
]
AttributeUse = Literal["decision_factor", "model_input", "fairness_testing"]
AttributeJustification = Literal[
    "clinical_relevance", "legal_requirement", "fairness_monitoring", "accessibility", "none", "unknown",
]
PricingBasis = Literal[
    "habits", "preferences", "payment_capability", "device", "purchase_history", "user_location",  # user traits
    "route_or_area", "supply_demand", "cost", "time_of_day", "distance",  # the transaction
    "new_user_offer", "random_promotion", "membership_tier",
]
SynthesisModality = Literal["face", "voice", "body", "text", "image", "video", "virtual_scene"]
BiometricPurpose = Literal["public_security", "authentication", "access_control", "payment", "attendance", "marketing", "other"]
EmotionContext = Literal["workplace", "education", "healthcare", "driving_safety", "entertainment", "marketing", "other"]
MonitoringKind = Literal["emotion", "attention", "fatigue"]
MinorsServiceType = Literal["online_game", "live_streaming", "audio_video", "social", "other", "none", "unknown"]
Assessor = Literal["internal", "third_party"]
ReviewBody = Literal["internal_committee", "external_committee"]
ActivityKind = Literal["research_development", "deployment", "both", "unknown"]
DeviceClass = Literal["none", "I", "II", "III", "unknown"]
FilingType = Literal[
    "algorithm_recommendation",  # 算法备案（互联网信息服务算法推荐管理规定第二十四条）
    "deep_synthesis",  # 深度合成算法备案（深度合成管理规定第十九条）
    "generative_ai",  # 生成式人工智能服务备案或登记
    "security_assessment",  # 具有舆论属性或者社会动员能力的安全评估
    "pi_impact_assessment",  # 个人信息保护影响评估（个人信息保护法第五十五条）
    "data_export_security_assessment",  # 数据出境安全评估
    "medical_device_registration",  # 医疗器械注册或备案
    "other",
]
FilingStatus = Literal["done", "pending", "not_done", "not_required", "unknown"]
TestOutcome = Literal["passed", "issues_found", "not_tested", "not_applicable", "unknown"]
IncidentKind = Literal[
    "accident", "injury", "death", "data_breach", "privacy_violation", "harmful_output",
    "discriminatory_output", "misinformation", "consumer_harm", "security", "outage", "other",
]
IncidentSeverity = Literal["low", "medium", "high", "critical"]


# --------------------------------------------------------------------------------- identity

class Contact(_Strict):
    name: ShortLocalText = Field(**doc("Who answers compliance questions about the product.",
                                       "负责产品合规事务的联系人。", "He Jing", {"en": "He Jing", "zh": "何静"}))
    email: Email | None = Field(None, **doc("E-mail address.", "电子邮箱。", "dpo@example.cn"))
    phone: ShortText | None = Field(None, **doc("Telephone.", "电话。", "0755-8888 0000"))


class Product(_Strict):
    model_config = _section("Product", "产品")

    id: Slug = Field(**doc("Stable product id, used for file names.", "产品标识，稳定不变，用于文件名。",
                           "cv-screener"))
    name: ShortLocalText = Field(**doc("Product name; give both languages where the product has both.",
                                       "产品名称；有中英文名称的请都填写。", {"en": "TalentRank", "zh": "英才排序"}))
    version: ShortText = Field(**doc("Product version this declaration describes.", "本申报所描述的产品版本。",
                                     "2.0.0"))
    stage: Stage = Field("unknown", **doc(
        "research_development (not yet offered to anyone outside the team), pilot (a trial with real users), "
        "or deployed. R&D work is what the S&T ethics expert re-review list concerns; deployment carries the "
        "duties towards users.",
        "研发（尚未向团队以外提供）、试点（有真实用户的试运行）或已上线。科技伦理专家复核清单针对研发活动；"
        "上线后还须履行面向用户的义务。", "deployed"))
    description: LocalText | None = Field(None, **doc("What the product does, in a few sentences.",
                                                      "产品做什么，几句话说明。"))


class ForeignRegistration(_Strict):
    country: ShortText = Field(**doc("Country or region of registration.", "注册地国家或地区。", "United States"))
    number: ShortText | Literal["unknown"] = Field("unknown", **doc(
        "Company or registry number there, or unknown.", "注册号，或 unknown。", "C1234567"))


_ORGANISATIONS_IN_CHINA = ["enterprise", "government_body", "public_institution", "social_organisation"]
# What each kind of provider really has: organisations registered in China a USCC (or `unknown`
# when it is not at hand), foreign entities their registration abroad, people a name.
_PROVIDER_IDENTIFIERS = [
    {"if": {"properties": {"kind": {"enum": _ORGANISATIONS_IN_CHINA}}}, "then": {"required": ["name", "uscc"]}},
    {"if": {"properties": {"kind": {"const": "foreign_entity"}}}, "then": {"required": ["name", "foreign_registration"]}},
    {"if": {"properties": {"kind": {"const": "individual"}}}, "then": {"required": ["name"]}},
]


class Provider(_Strict):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, title="Provider",
                              json_schema_extra={"x-title-zh": "提供者", "allOf": _PROVIDER_IDENTIFIERS})

    kind: ProviderKind = Field(**doc(
        "What the provider is: enterprise, government_body, public_institution (schools, hospitals), "
        "social_organisation, foreign_entity, individual, or unknown_operator when it cannot be identified.",
        "提供者类型：企业、国家机关、事业单位（学校、医院等）、社会组织、境外组织、个人，或无法识别的运营者。",
        "enterprise"))
    name: ShortLocalText | None = Field(None, **doc(
        "Legal name of the providing organisation or person (required unless the operator is unknown).",
        "提供者的法定名称（运营者身份不明时可不填）。", {"en": "Qianhai Talent Cloud Technology Co., Ltd.",
                                                      "zh": "前海人才云科技有限公司"}))
    uscc: Uscc | Literal["unknown"] | None = Field(None, **doc(
        "Unified social credit code, 18 characters, as on the business licence or organisation certificate "
        "(enterprises, government bodies, public institutions and social organisations in China all have one); "
        "unknown if not at hand. Never invent one: the check digit is verified.",
        "统一社会信用代码，18 位（境内企业、机关、事业单位、社会组织均有）；不掌握时填 unknown。请勿编造：校验码会被核验。",
        "91440300MA5DD272HK"))
    foreign_registration: ForeignRegistration | None = Field(None, **doc(
        "For a foreign entity: where it is registered and its number.", "境外组织：注册地与注册号。"))
    district: District = Field("unknown", **doc(
        "Shenzhen district where it is registered, outside_shenzhen, or unknown.",
        "在深圳的注册所在区；深圳以外填 outside_shenzhen。", "nanshan"))
    size: EnterpriseSize = Field("unknown", **doc(
        "Enterprise size under the national SME classification; not_applicable for bodies that are not "
        "enterprises.", "按国家中小企业划型标准的企业规模；非企业填 not_applicable。", "small"))
    contact: Contact | None = Field(None, **doc("Compliance contact.", "合规联系人。"))
    critical_information_infrastructure: Tri = Field("unknown", **doc(
        "Operates critical information infrastructure, as notified by the authorities: personal information it "
        "collects in China leaves only after a security assessment, whatever the volume (PIPL Art. 40).",
        "是否为关键信息基础设施运营者：其在境内收集的个人信息确需向境外提供的，无论数量多少均应通过安全评估（个人信息保护法第四十条）。",
        False))

    @model_validator(mode="after")
    def _identifiers(self) -> Provider:
        # The same rules as _PROVIDER_IDENTIFIERS, which the published schema carries.
        needed = {"foreign_entity": ("name", "foreign_registration"), "individual": ("name",)}.get(
            self.kind, ("name", "uscc") if self.kind in _ORGANISATIONS_IN_CHINA else ())
        missing = [name for name in needed if name not in self.model_fields_set]
        if missing:
            raise ValueError(f"a provider of kind {self.kind} states {' and '.join(missing)}")
        return self


# ------------------------------------------------------------------ scenario and scope (Art. 66)

class Scenario(_Strict):
    model_config = _section("Application scenario", "应用场景")

    domains: unique_list(Domain, min_items=1, max_items=35) = Field(**doc(
        "Application scenarios (Art. 66; Art. 38-46). List every one that applies. finance is other financial "
        "services; payments, bookkeeping and banking operations are payments_banking; customer_service is a "
        "support bot or agent assistant; companionship is a chatbot offered as a friend or partner; energy_management "
        "is energy saving in buildings and plants (power grids and utilities are critical_infrastructure); "
        "environment_weather is environmental monitoring and forecasting (public disaster warnings are "
        "emergency_response); other is none of these.",
        "应用场景（第六十六条；第三十八条至第四十六条），列出全部适用项。finance 指其他金融服务；支付、记账和银行运营为 "
        "payments_banking；客服机器人或坐席助手为 customer_service；以朋友或伴侣身份提供的聊天机器人为 companionship；energy_management "
        "指建筑和工厂的能源管理与节能（电网和公用事业为 critical_infrastructure）；environment_weather 指生态环境监测和气象预报"
        "（面向公众的灾害预警为 emergency_response）；other 指以上均不适用。",
        ["employment"]))
    purpose: LocalText = Field(**doc("What the product is for, in a sentence or two.", "产品用途，一两句话。",
                                     {"en": "Shortlist job applicants for recruiters.", "zh": "为招聘人员筛选求职者。"}))
    other_description: LocalText | None = Field(None, **doc(
        "What the scenario is, when domains lists other.", "domains 含 other 时，说明具体场景。"))


class SpecialGroups(_Strict):
    """Art. 42: children, the elderly and people with disabilities.

    第四十二条：儿童、老年人和残疾人等特殊群体。"""

    children: GroupReach = Field(**doc(
        "Children and minors (under 18): primary when designed for them, incidental when among the users, "
        "none, or unknown.", "儿童和未成年人（不满十八周岁）：primary 为专门面向，incidental 为用户中包含。", "incidental"))
    elderly: GroupReach = Field(**doc("The elderly: primary, incidental, none or unknown.", "老年人。", "none"))
    disabled: GroupReach = Field(**doc("People with disabilities: primary, incidental, none or unknown.",
                                       "残疾人。", "incidental"))


class Scope(_Strict):
    model_config = _section("Scope of influence", "影响范围")

    audience: unique_list(Audience, min_items=1, max_items=4) = Field(**doc(
        "Who uses it: internal (the provider's own staff), business, public, government.",
        "使用者：internal（提供者内部人员）、business（企业）、public（公众）、government（政府）。", ["business"]))
    affected: or_unknown(unique_list(Affected, max_items=10)) = Field("unknown", **doc(
        "Who is affected by its outputs, including people who never use it: a civil servants' tool decides "
        "about residents, a hospital tool used by doctors affects patients, a robotaxi affects road users.",
        "受其输出影响的人，包括并不使用它的人：公务员使用的工具影响居民，医生使用的工具影响患者，自动驾驶出租车影响道路使用者。",
        ["job_applicants"]))
    reach: or_unknown(Annotated[int, Field(ge=0, le=10_000_000_000)]) = Field(**doc(
        "Estimated number of people who use it or are affected by it (per year, or in total); unknown if not "
        "known.", "使用或受影响的人数估计（每年或累计）；不清楚时填 unknown。", 260000))
    geography: Geography = Field("unknown", **doc(
        "Widest area where it is offered or used: shenzhen, guangdong, national, international.",
        "提供或使用的最大地域范围。", "national"))
    special_groups: SpecialGroups
    public_decision_making: Tri = Field(**doc(
        "Used by a public body to make or prepare decisions about people or public matters (Art. 71).",
        "被公共机构用于作出或准备涉及个人或公共事务的决策（第七十一条公共决策）。", False))
    public_interest_commercial: Tri = Field(**doc(
        "Used in a commercial field involving the public interest (Art. 71): services people depend on, such "
        "as credit, insurance, employment, health care, education, transport, utilities, or large platforms.",
        "用于涉及公共利益的商业领域（第七十一条）：如信贷、保险、就业、医疗、教育、交通、公用事业或大型平台等公众依赖的服务。",
        True))


class Autonomy(_Strict):
    model_config = _section("Autonomy and effect", "自主程度与影响")

    level: AutonomyLevel = Field(**doc(
        "How far a human stands between the output and its effect: advisory (a person decides), "
        "human_in_the_loop (a person approves each output), human_on_the_loop (outputs take effect unless a "
        "person intervenes), fully_autonomous.",
        "输出与其效果之间人的介入程度：advisory（由人决定）、human_in_the_loop（逐项人工批准）、human_on_the_loop"
        "（除非人工干预即生效）、fully_autonomous（完全自主）。", "human_on_the_loop"))
    significant_effects: Tri = Field(**doc(
        "Outputs have legal or similarly significant effects on individuals: they decide or shape access to "
        "credit, work, schooling, benefits, care, housing, or a person's legal position (PIPL Art. 24 para. 3).",
        "输出对个人权益有重大影响：决定或影响信贷、就业、入学、福利、医疗、住房或法律地位（个人信息保护法第二十四条第三款）。",
        True))
    physical_actuation: Actuation = Field(**doc(
        "Does it move things in the world: none; assistive (it moves or controls equipment, but no fault of it can "
        "injure people); or safety_critical (a fault can injure people).",
        "是否在物理世界中执行动作：none；assistive（驱动或控制设备，但其任何失误都不会致人伤害）；或 safety_critical（失误可致人伤害）。",
        "none"))
    behavioural_influence: Influence = Field(**doc(
        "How strongly it is built to influence users' behaviour or emotions: none, moderate, strong.",
        "对用户行为或情绪的影响程度：none、moderate、strong。", "none"))
    affects_health: Tri = Field(**doc("Can it affect physical or mental health (Art. 72(3)).",
                                      "是否可能影响身心健康（第七十二条第二款第三项）。", False))
    human_machine_fusion: Tri = Field("unknown", **doc(
        "A human-machine fusion system that works with or on a person's body or mind (brain-computer "
        "interfaces, exoskeletons, neuro-stimulation; ethics re-review list item 5).",
        "人机融合系统（脑机接口、外骨骼、神经调控等；科技伦理专家复核清单第五项）。", False))


# ----------------------------------------------------------------------------------- data

class Consent(_Strict):
    """How consent is obtained, where consent is the basis (PIPL Art. 14, 29, 31).

    以同意为依据时如何取得同意（个人信息保护法第十四条、第二十九条、第三十一条）。"""

    obtained: TriNA = Field("unknown", **doc(
        "Consent is obtained where the processing relies on it.", "以同意为处理依据时，已取得同意。", True))
    method: ConsentMethod = Field("unknown", **doc(
        "How: explicit_opt_in, pre_ticked (a box ticked in advance: not valid consent), bundled (one consent "
        "for several purposes), implied, not_applicable.",
        "取得方式：explicit_opt_in（主动勾选）、pre_ticked（默认勾选，不构成有效同意）、bundled（捆绑同意）、implied（默示）。",
        "explicit_opt_in"))
    separate_for_sensitive: TriNA = Field("unknown", **doc(
        "Separate consent for sensitive personal information (PIPL Art. 29).",
        "处理敏感个人信息取得单独同意（个人信息保护法第二十九条）。", "not_applicable"))
    guardian_for_under_14: TriNA = Field("unknown", **doc(
        "Guardian consent for children under 14 (PIPL Art. 31; SZ Data Regs Art. 20).",
        "处理不满十四周岁未成年人个人信息取得监护人同意（个人信息保护法第三十一条）。", "not_applicable"))


class ThirdPartyProvision(_Strict):
    """Art. 33: personal data provided to others is de-identified unless an exception applies.

    第三十三条：向他人提供个人数据应当去标识化，法律另有规定的除外。"""

    provided: Tri = Field("unknown", **doc(
        "Personal information is provided to another controller who decides its own purposes (PIPL Art. 23). "
        "A model vendor or cloud that processes only on your instructions is entrusted processing instead.",
        "向其他个人信息处理者提供个人信息，由其自行决定处理目的（个人信息保护法第二十三条）。仅按指示处理的模型厂商或云服务属于委托处理。",
        True, gate=True))
    de_identified: TriNA = Field("unknown", **doc(
        "What is provided is de-identified (Art. 33).", "对外提供的数据已去标识化（第三十三条）。", False))
    separate_consent: TriNA = Field("unknown", **doc(
        "Separate consent to provide to others (PIPL Art. 23).", "对外提供取得单独同意（个人信息保护法第二十三条）。", True))
    exception: ProvisionException = Field("none", **doc(
        "Shenzhen Data Regulations Art. 27 exception relied on instead of de-identification.",
        "代替去标识化所依据的《深圳经济特区数据条例》第二十七条例外情形。", "individual_consent"))


class EntrustedProcessing(_Strict):
    """PIPL Art. 21: a processor acting on the provider's instructions (a model vendor, a cloud).

    个人信息保护法第二十一条：按提供者指示处理个人信息的受托方（模型厂商、云服务）。"""

    used: Tri = Field("unknown", **doc(
        "Personal information is processed by a vendor on the provider's behalf (a hosted model, a cloud).",
        "委托供应商代为处理个人信息（托管模型、云服务等）。", True, gate=True))
    agreement: TriNA = Field("unknown", **doc(
        "A contract fixes purpose, period, method, data, protection measures and duties (PIPL Art. 21).",
        "已与受托方约定委托处理的目的、期限、方式、种类、保护措施及双方权利义务（个人信息保护法第二十一条）。", True))


class CrossBorder(_Strict):
    """Transfer outside mainland China (PIPL Art. 38-40; Network Data Security Regulations Ch. V).

    数据出境（个人信息保护法第三十八条至第四十条；网络数据安全管理条例第五章）。"""

    transfer: Tri = Field("unknown", **doc(
        "Personal information or important data leaves mainland China (including remote access from abroad).",
        "个人信息或重要数据出境（含境外远程访问）。", False, gate=True))
    important_data: Tri = Field("unknown", **doc(
        "What leaves includes important data as identified under the data-security rules.",
        "出境数据包含重要数据。", False))
    persons: or_unknown(Annotated[int, Field(ge=0, le=10_000_000_000)]) = Field("unknown", **doc(
        "Number of people whose personal information leaves per year.", "每年个人信息出境涉及的人数。", 0))
    mechanism: ExportMechanism = Field("unknown", **doc(
        "Legal route: security_assessment, standard_contract, certification, exempt, none.",
        "出境路径：安全评估、标准合同、认证、豁免或无。", "standard_contract"))


class AttributeUseEntry(_Strict):
    attribute: ProtectedAttribute = Field(**doc("The attribute.", "属性。", "gender"))
    use: AttributeUse = Field(**doc(
        "decision_factor (it changes the outcome for a person), model_input, or fairness_testing only.",
        "decision_factor（影响对个人的结果）、model_input（模型输入）或仅用于 fairness_testing（公平性测试）。",
        "model_input"))
    purpose: LocalText = Field(**doc("Why it is used.", "使用目的。", "Commuting distance to the workplace."))
    justification: AttributeJustification = Field("unknown", **doc(
        "What makes the use lawful and non-discriminatory: clinical_relevance (medically relevant), "
        "legal_requirement (a rule requires it, e.g. suitability or age limits), fairness_monitoring, "
        "accessibility, none, or unknown.",
        "使用的正当理由：临床相关、法律要求（如适当性或年龄限制）、公平性监测、无障碍、无，或 unknown。", "none"))


class Data(_Strict):
    model_config = _section("Data", "数据")

    personal_information: Tri = Field(**doc(
        "Processes personal information of identifiable people.", "处理已识别或可识别自然人的个人信息。", True,
        gate=True))
    sensitive_categories: or_unknown(unique_list(SensitiveCategory, max_items=8)) = Field(**doc(
        "Sensitive personal information (PIPL Art. 28); [] for none.", "敏感个人信息类别（个人信息保护法第二十八条）；无则填 []。",
        ["financial"]))
    lawful_basis: or_unknown(unique_list(LawfulBasis, max_items=8)) = Field("unknown", **doc(
        "Lawful bases relied on (PIPL Art. 13); [] when there is none.", "处理依据（个人信息保护法第十三条）；没有依据填 []。",
        ["consent", "contract"]))
    processing_without_basis: Tri = Field("unknown", **doc(
        "Some personal information is processed with no lawful basis at all.", "部分个人信息的处理没有任何合法依据。",
        False))
    notice_given: TriNA = Field("unknown", **doc(
        "People are told, before processing, who processes what, why, how and how to exercise their rights "
        "(PIPL Art. 17).", "处理前已告知处理者、目的、方式、种类及权利行使方式（个人信息保护法第十七条）。", True))
    consent: Consent = Field(default_factory=Consent)
    publishes_personal_information: Tri = Field("unknown", **doc(
        "Makes personal information public, such as showing people's names, photos or records to everyone "
        "(PIPL Art. 25 needs separate consent; Art. 55 item 3 an impact assessment).",
        "公开个人信息，例如向公众展示他人的姓名、照片或记录（个人信息保护法第二十五条：须取得单独同意；第五十五条第三项：须事前评估）。",
        False))
    third_party_provision: ThirdPartyProvision = Field(default_factory=ThirdPartyProvision)
    entrusted_processing: EntrustedProcessing = Field(default_factory=EntrustedProcessing)
    cross_border: CrossBorder = Field(default_factory=CrossBorder)
    protected_attributes: or_unknown(Annotated[list[AttributeUseEntry], Field(max_length=50)]) = Field(**doc(
        "Race, gender, nationality, ethnicity, religion and similar attributes used (Art. 72(4)); [] for none.",
        "使用的种族、性别、国籍、民族、宗教信仰等属性（第七十二条第二款第四项）；无则填 []。", []))


# ------------------------------------------------------------------ practices (Art. 72 items)

class Pricing(_Strict):
    personalised: Tri = Field("unknown", **doc(
        "Different users may see different prices or terms for the same goods or service.",
        "不同用户对同一商品或服务可能看到不同价格或交易条件。", False, gate=True))
    basis: or_unknown(unique_list(PricingBasis, max_items=14)) = Field("unknown", **doc(
        "What prices or terms depend on. User traits: habits, preferences, payment_capability, device, "
        "purchase_history, user_location. The transaction: route_or_area, supply_demand, cost, time_of_day, "
        "distance. Offers: new_user_offer, random_promotion, membership_tier.",
        "价格或交易条件的依据。用户特征：习惯、偏好、支付能力、设备、购买记录、用户位置；交易本身：路线或区域、供求、成本、时段、距离；"
        "优惠：新用户优惠、随机优惠、会员等级。", ["supply_demand", "distance"]))


class DeepSynthesis(_Strict):
    used: Tri = Field("unknown", **doc(
        "Generates or edits text, images, audio, video or virtual scenes (深度合成, Deep Synthesis Provisions "
        "Art. 23). A text chatbot that writes answers counts; a classifier does not.",
        "生成或编辑文本、图像、音频、视频或虚拟场景（《互联网信息服务深度合成管理规定》第二十三条）。生成回答的文本聊天机器人属于；分类模型不属于。",
        True, gate=True))
    public: Tri = Field("unknown", **doc("Offered to the public.", "面向公众提供。", True))
    modalities: or_unknown(unique_list(SynthesisModality, max_items=7)) = Field("unknown", **doc(
        "What it synthesises.", "合成的内容类型。", ["text"]))
    real_persons: Tri = Field("unknown", **doc(
        "Edits or generates the face, voice or likeness of real, identifiable people.", "编辑或生成真实可识别人物的人脸、声音或形象。",
        False))
    depicted_consent: TriNA = Field("unknown", **doc(
        "Separate consent of the person whose face or voice is edited (Deep Synthesis Provisions Art. 14).",
        "取得被编辑人脸、人声的个人单独同意（深度合成管理规定第十四条）。", "not_applicable"))
    implicit_labels: Tri = Field("unknown", **doc(
        "Implicit labels (metadata, watermarks) on synthetic output (AI Content Labelling Measures).",
        "对生成合成内容添加隐式标识（元数据、水印）。", True))
    conspicuous_labels: TriNA = Field("unknown", **doc(
        "Visible labels where the output could confuse or mislead the public.", "可能导致公众混淆或误认的内容添加显式标识。", True))
    publishes_information: Tri = Field("unknown", **doc(
        "Lets users publish or share synthesised information with others (not only get it for themselves).",
        "允许用户向他人发布或传播合成信息。", False))
    identity_verification: TriNA = Field("unknown", **doc(
        "Users who publish information are verified by real identity (mobile number, ID) (Deep Synthesis "
        "Provisions Art. 9).", "对发布信息的用户进行真实身份信息认证（深度合成管理规定第九条）。", "not_applicable"))
    content_moderation: TriNA = Field("unknown", **doc(
        "Inputs and outputs are reviewed for illegal and harmful content.", "对输入和输出进行违法和不良信息审核。", True))


class GenerativeService(_Strict):
    public: Tri = Field("unknown", **doc(
        "Offers generative AI (text, images, audio, video) to the public in mainland China (Generative AI "
        "Interim Measures Art. 2).", "向境内公众提供生成式人工智能服务（《生成式人工智能服务管理暂行办法》第二条）。", True,
        gate=True))
    foundation_model: ShortText | None = Field(None, **doc(
        "The model it runs on, and whose.", "所用基础模型及其提供方。", "Qwen2.5-72B (Alibaba Cloud), via API"))
    content_moderation: TriNA = Field("unknown", **doc(
        "Inputs and outputs are reviewed for illegal and harmful content.", "对输入和输出进行违法和不良信息审核。", True))


class Recommendation(_Strict):
    used: Tri = Field("unknown", **doc(
        "Personalised recommendation, ranking, search ordering, push or dispatch (算法推荐).",
        "个性化推荐、排序精选、检索过滤、推送或调度决策（算法推荐）。", True, gate=True))
    non_personalised_option: TriNA = Field("unknown", **doc(
        "Users can switch personalisation off (Alg. Rec. Art. 17; E-Commerce Law Art. 18).",
        "用户可关闭个性化推荐（算法推荐管理规定第十七条；电子商务法第十八条）。", True))
    minors_mode: TriNA = Field("unknown", **doc("A minors' mode for recommendations.", "推荐的未成年人模式。", "not_applicable"))


class BiometricIdentification(_Strict):
    used: Tri = Field("unknown", **doc(
        "Recognises people by face, voice, fingerprint, gait or other biometrics.", "通过人脸、声纹、指纹、步态等生物特征识别个人。",
        False, gate=True))
    remote: Tri = Field("unknown", **doc(
        "Identifies people at a distance without their active participation.", "在本人未主动参与的情况下远距离识别。", False))
    public_spaces: Tri = Field("unknown", **doc(
        "Image collection or identification devices in public places (PIPL Art. 26).", "在公共场所安装图像采集、个人身份识别设备（个人信息保护法第二十六条）。",
        False))
    covert: Tri = Field("unknown", **doc("People are not told they are being identified.", "被识别者不知情。", False))
    purpose: BiometricPurpose | None = Field(None, **doc("Main purpose.", "主要用途。", "authentication"))
    separate_consent: TriNA = Field("unknown", **doc(
        "Separate consent of the people identified (PIPL Art. 26 for uses other than public security; Art. 29).",
        "被识别者的单独同意（个人信息保护法第二十六条：维护公共安全以外的用途；第二十九条）。", True))
    signage: TriNA = Field("unknown", **doc("Prominent signs where devices are installed in public places.",
                                            "公共场所设置显著提示标识。", "not_applicable"))
    non_biometric_alternative: TriNA = Field("unknown", **doc(
        "Users may choose a non-biometric way (SZ Data Regs Art. 19).", "提供非生物识别的替代方式（深圳经济特区数据条例第十九条）。",
        True))


class EmotionRecognition(_Strict):
    used: Tri = Field("unknown", **doc(
        "Infers emotions, attention, engagement or fatigue of people.", "推断人的情绪、注意力、专注度或疲劳状态。", False,
        gate=True))
    kinds: or_unknown(unique_list(MonitoringKind, max_items=3)) = Field("unknown", **doc(
        "What it infers: emotion, attention, fatigue.", "推断内容：情绪、注意力、疲劳。", ["fatigue"]))
    contexts: or_unknown(unique_list(EmotionContext, max_items=7)) = Field("unknown", **doc(
        "Where, and of whom: workplace (workers' emotions or attention are inferred, even only incidentally, "
        "as by cameras in a shop that also see its staff), education (pupils' or students'), healthcare, "
        "driving_safety, entertainment, marketing, other. Left unknown, students or workers among those "
        "affected count as monitored.",
        "使用场合及对象：workplace（推断劳动者的情绪或注意力，包括附带推断，例如店内摄像头同时拍到店员）、education（学生）、"
        "healthcare、driving_safety、entertainment、marketing、other。未申报的，受影响人员中的学生或劳动者视为被监测。",
        ["driving_safety"]))


class Engagement(_Strict):
    """Art. 72(3) and the minors' rules: no addiction or overspending models.

    第七十二条第二款第三项及未成年人保护规定：不得设置诱导沉迷或过度消费的模型。"""

    addictive_design: Tri = Field("unknown", **doc(
        "Design meant to induce addiction or excessive spending (Alg. Rec. Art. 8; Minors Online Regs Art. 42).",
        "诱导沉迷或过度消费的设计（算法推荐管理规定第八条；未成年人网络保护条例第四十二条）。", False))
    service_type: MinorsServiceType = Field("unknown", **doc(
        "online_game, live_streaming, audio_video, social, other or none: the first four carry minors' time "
        "and spending limits (Minors Online Regs Art. 43-44).",
        "服务类型：网络游戏、网络直播、网络音视频、网络社交等须设置未成年人模式和消费限制（未成年人网络保护条例第四十三条至第四十四条）。",
        "none"))
    many_minor_users: Tri = Field("unknown", **doc(
        "A platform with very many minor users or significant influence on minors (Minors Online Regs Art. 20).",
        "未成年人用户数量巨大或者对未成年人群体具有显著影响的平台（未成年人网络保护条例第二十条）。", False))
    companion_persona: Tri = Field("unknown", **doc(
        "Presents itself as a friend, partner or companion that people form a relationship with.",
        "以朋友、伴侣或陪伴者身份与用户建立情感关系。", False))
    age_verification: TriNA = Field("unknown", **doc(
        "Checks users' age before giving access (beyond a self-declared birthday).", "在提供服务前核验用户年龄（不只是自报生日）。",
        "not_applicable"))
    minors_time_limits: TriNA = Field("unknown", **doc("Time limits for minors.", "未成年人使用时长限制。", "not_applicable"))
    minors_spending_limits: TriNA = Field("unknown", **doc("Spending limits for minors.", "未成年人消费限制。",
                                                           "not_applicable"))


class WorkerScheduling(_Strict):
    used: Tri = Field("unknown", **doc(
        "Algorithms dispatch, schedule, rate or pay workers (Alg. Rec. Art. 20).", "以算法对劳动者派单、排班、考核或计酬（算法推荐管理规定第二十条）。",
        False, gate=True))
    worker_protections: TriNA = Field("unknown", **doc(
        "Pay, rest and working-time safeguards are built into the algorithm.", "算法已纳入报酬、休息和工作时间等保障。", True))


class PublicOpinion(_Strict):
    attributes: Tri = Field("unknown", **doc(
        "Public-opinion attributes: forums, feeds, live streams, short video, search or chat that spread "
        "information to the public (舆论属性).", "舆论属性：论坛、信息流、直播、短视频、搜索、群聊等向公众传播信息的功能。", False))
    mobilisation: Tri = Field("unknown", **doc(
        "Social-mobilisation capability (社会动员能力).", "社会动员能力。", False))
    consciousness_guidance: Tri = Field("unknown", **doc(
        "Capability to guide social consciousness (社会意识引导能力; with mobilisation, ethics re-review list "
        "item 6).", "社会意识引导能力（与社会动员能力同时具备时属于科技伦理专家复核清单第六项）。", False))


class Practices(_Strict):
    model_config = _section("Practices", "具体做法")

    pricing: Pricing = Field(default_factory=Pricing)
    deep_synthesis: DeepSynthesis = Field(default_factory=DeepSynthesis)
    generative_service: GenerativeService = Field(default_factory=GenerativeService)
    recommendation: Recommendation = Field(default_factory=Recommendation)
    biometric_identification: BiometricIdentification = Field(default_factory=BiometricIdentification)
    emotion_recognition: EmotionRecognition = Field(default_factory=EmotionRecognition)
    engagement: Engagement = Field(default_factory=Engagement)
    worker_scheduling: WorkerScheduling = Field(default_factory=WorkerScheduling)
    public_opinion: PublicOpinion = Field(default_factory=PublicOpinion)


# ------------------------------------------------------------------ consumer dealings (Art. 72(5))

class Claims(_Strict):
    made: Tri = Field("unknown", **doc(
        "Makes claims about goods, services or results to consumers (marketing, product pages).",
        "向消费者就商品、服务或效果作出宣传。", True, gate=True))
    substantiated: TriNA = Field("unknown", **doc(
        "Every claim can be proved true (Consumer Protection Law Art. 20).", "所有宣传均真实并有依据（消费者权益保护法第二十条）。", True))


class Endorsers(_Strict):
    synthetic: Tri = Field("unknown", **doc(
        "Virtual or synthesised people (avatars, cloned voices) present or endorse goods.", "使用虚拟人或合成人物（数字人、克隆声音）推介商品。",
        False, gate=True))
    disclosed: TriNA = Field("unknown", **doc("Consumers are told the presenter is synthetic.", "已向消费者表明推介者为合成人物。",
                                              "not_applicable"))
    real_person_likeness: TriNA = Field("unknown", **doc(
        "The synthetic endorser imitates a real person.", "合成推介者模仿真实人物。", "not_applicable"))


class Consumer(_Strict):
    model_config = _section("Consumer dealings", "消费者权益")

    sells_to_consumers: Tri = Field("unknown", **doc(
        "Sells goods or services to consumers, or sets their prices or terms.", "向消费者销售商品或服务，或决定其价格、交易条件。",
        True, gate=True))
    claims: Claims = Field(default_factory=Claims)
    endorsers: Endorsers = Field(default_factory=Endorsers)
    prices_clearly_marked: TriNA = Field("unknown", **doc(
        "Prices are marked clearly, with all charges, before purchase (Price Marking Provisions).",
        "购买前明码标价并标明全部费用（《明码标价和禁止价格欺诈规定》）。", True))
    misleading_price_practices: Tri = Field("unknown", **doc(
        "Fictitious original prices, false discounts, or a price shown lower than the price charged (Price "
        "Marking Provisions Art. 19).", "虚构原价、虚假折价，或标示价格低于实际结算价格等（明码标价和禁止价格欺诈规定第十九条）。", False))
    pre_ticked_options: Tri = Field("unknown", **doc(
        "Paid add-ons, renewals or consents are ticked in advance.", "付费增值项、自动续费或同意事项默认勾选。", False))
    clear_refund_cancellation: TriNA = Field("unknown", **doc(
        "Refund and cancellation terms are stated plainly and cancelling is as easy as signing up.",
        "退款和取消条款清楚明示，取消与订购同样便捷。", True))


# ------------------------------------------------------------------ generated outputs (testing)

class OutputTest(_Strict):
    outcome: TestOutcome = Field("unknown", **doc(
        "passed, issues_found, not_tested, not_applicable or unknown.", "通过、发现问题、未测试、不适用或不清楚。", "passed"))
    reference: ShortText | None = Field(None, **doc("Test report kept on file.", "测试报告编号。", "QA-2026-07"))


class RedTeam(_Strict):
    done: Tri = Field("unknown", **doc("Adversarial (red-team) testing was done.", "已开展对抗性（红队）测试。", True,
                                       gate=True))
    date: IsoDate | None = Field(None, **doc("When.", "日期。", "2026-06-30"))
    open_issues: TriNA = Field("unknown", **doc("Serious issues it found are still open.", "发现的严重问题仍未解决。", False))


class Outputs(_Strict):
    """How generated or decided outputs were tested (Generative AI Interim Measures Art. 4, 10; TC260-003).

    生成或决策输出的测试情况（生成式人工智能服务管理暂行办法第四条、第十条；TC260-003）。"""

    model_config = _section("Output testing", "输出测试")

    discriminatory: OutputTest = Field(default_factory=OutputTest, **doc(
        "Discriminatory or biased outputs by race, gender, ethnicity, religion, region, age, occupation, health.",
        "输出中基于种族、性别、民族、宗教、地域、年龄、职业、健康等的歧视或偏见。"))
    hateful: OutputTest = Field(default_factory=OutputTest, **doc(
        "Hateful, violent or obscene outputs.", "仇恨、暴力或淫秽内容。"))
    self_harm: OutputTest = Field(default_factory=OutputTest, **doc(
        "How it responds to suicide, self-harm and crisis conversations.", "对自杀、自残和危机对话的应对。"))
    medical_misinformation: OutputTest = Field(default_factory=OutputTest, **doc(
        "Wrong medical or health advice.", "错误的医疗或健康建议。"))
    legal_misinformation: OutputTest = Field(default_factory=OutputTest, **doc(
        "Wrong legal or financial advice.", "错误的法律或金融建议。"))
    impersonation: OutputTest = Field(default_factory=OutputTest, **doc(
        "Presenting itself as a human, or as a real person.", "冒充人类或真实人物。"))
    illegal_content: OutputTest = Field(default_factory=OutputTest, **doc(
        "Content that endangers national security or the public interest (Generative AI Interim Measures "
        "Art. 4(1)).", "危害国家安全或公共利益的内容（生成式人工智能服务管理暂行办法第四条第一项）。"))
    discloses_ai: TriNA = Field("unknown", **doc(
        "Tells people they are dealing with an AI.", "告知用户其交互对象为人工智能。", True))
    red_team: RedTeam = Field(default_factory=RedTeam)


# --------------------------------------------------------------------------------- incidents

class Incident(_Strict):
    date: IsoDate = Field(**doc("When it happened.", "发生日期。", "2026-05-14"))
    kind: IncidentKind = Field(**doc(
        "accident, injury, death, data_breach, privacy_violation, harmful_output, discriminatory_output, "
        "misinformation, consumer_harm, security, outage, other.", "事件类型。", "data_breach"))
    severity: IncidentSeverity = Field(**doc("low, medium, high, critical.", "严重程度。", "high"))
    summary: LocalText = Field(**doc("What happened, in a sentence or two.", "事件经过，一两句话。",
                                     {"en": "Chat logs of 1,200 users exposed by a misconfigured bucket.",
                                      "zh": "存储桶配置错误导致 1200 名用户的聊天记录泄露。"}))
    persons_affected: or_unknown(Annotated[int, Field(ge=0, le=10_000_000_000)]) = Field("unknown", **doc(
        "People affected.", "受影响人数。", 1200))
    reported_to_authority: TriNA = Field("unknown", **doc(
        "Reported to the competent authority (e.g. PIPL Art. 57 for a data breach).", "已向主管部门报告（如个人信息泄露，个人信息保护法第五十七条）。",
        True))
    authority: ShortLocalText | None = Field(None, **doc("Which authority.", "报告的主管部门。", "Shenzhen CAC"))
    disclosed: TriNA = Field("unknown", **doc("Affected people or the public were told.", "已告知受影响的个人或公众。", True))
    remediated: Tri = Field("unknown", **doc("The cause is fixed.", "原因已消除。", True))
    reference: ShortText | None = Field(None, **doc("Internal reference.", "内部编号。", "INC-2026-004"))


# ------------------------------------------------------------------------------------ filings

class Filing(_Strict):
    type: FilingType = Field(**doc(
        "algorithm_recommendation (algorithm filing, Alg. Rec. Art. 24), deep_synthesis (Deep Synthesis "
        "Provisions Art. 19), generative_ai (filing or registration of a public generative AI service), "
        "security_assessment (for public-opinion or mobilisation services), pi_impact_assessment (PIPL "
        "Art. 55), data_export_security_assessment, medical_device_registration, other.",
        "备案或评估类型：算法推荐备案、深度合成备案、生成式人工智能服务备案或登记、安全评估、个人信息保护影响评估、数据出境安全评估、医疗器械注册或备案、其他。",
        "generative_ai"))
    status: FilingStatus = Field(**doc(
        "done (filed, registered or carried out), pending, not_done, not_required, unknown.",
        "状态：已完成（已备案、登记或开展）、办理中、未办理、无需办理、不清楚。", "done"))
    number: ShortText | Literal["unknown"] | None = Field(None, **doc(
        "Filing or registration number; unknown when filed but not at hand.", "备案号或登记号；已备案但暂无编号时填 unknown。",
        "Guangdong-ShenzhenXX-20240101"))
    date: IsoDate | None = Field(None, **doc("Date filed or carried out.", "备案或开展日期。", "2024-03-01"))
    authority: ShortLocalText | None = Field(None, **doc("Authority it was filed with.", "受理部门。", "CAC"))
    note: LocalText | None = Field(None, **doc("Anything an officer should know.", "补充说明。"))


# --------------------------------------------------------------------- safeguards and evidence

class Assessment(_Strict):
    done: Tri = Field("unknown", **doc("Carried out.", "已开展。", True, gate=True))
    date: IsoDate | None = Field(None, **doc("When.", "日期。", "2026-04-02"))
    assessor: Assessor | None = Field(None, **doc("internal or third_party.", "内部或第三方。", "internal"))
    reference: ShortText | None = Field(None, **doc("Report number or link kept on file.", "报告编号或链接。", "RA-07"))


class Published(_Strict):
    published: Tri = Field("unknown", **doc("Published.", "已公开。", True, gate=True))
    url: Url | None = Field(None, **doc("Where.", "网址。", "https://example.cn/ai-notice"))


class InPlace(_Strict):
    in_place: Tri = Field("unknown", **doc("In place.", "已建立。", True, gate=True))
    reference: ShortText | None = Field(None, **doc("Where it is described.", "相关制度或文件。"))


class TrackingPlan(_Strict):
    in_place: Tri = Field("unknown", **doc("A post-facto tracking plan is in place.", "已建立事后跟踪方案。", True,
                                           gate=True))
    review_interval_months: int | None = Field(None, ge=1, le=24, **doc(
        "Months between reviews (1-24).", "复查间隔月数（1-24）。", 6))


class Training(_Strict):
    """Art. 69: ethics, security and legal training of AI practitioners.

    第六十九条：人工智能从业人员的伦理安全和法律法规培训。"""

    ethics_security: Tri = Field("unknown", **doc("Ethics and security training of practitioners (Art. 69).",
                                                  "从业人员伦理安全培训（第六十九条）。", True))
    legal: Tri = Field("unknown", **doc("Training in the relevant laws (Art. 69).", "法律法规培训（第六十九条）。", True))
    last_date: IsoDate | None = Field(None, **doc("Last training.", "最近一次培训日期。", "2026-02-01"))


class SpecialGroupProtections(_Strict):
    minors_mode: TriNA = Field("unknown", **doc("A minors' mode (未成年人模式).", "未成年人模式。", "not_applicable"))
    minors_area: TriNA = Field("unknown", **doc(
        "A minors' area (未成年人专区), which a platform with very many minor users may offer instead of a minors' "
        "mode (Minors Online Protection Regs Art. 20 item 2).",
        "未成年人专区：未成年人用户数量巨大或者对未成年人群体具有显著影响的平台，可以提供未成年人专区代替未成年人模式（未成年人网络保护条例第二十条第二项）。",
        "not_applicable"))
    elderly_friendly: TriNA = Field("unknown", **doc("Age-friendly design (适老化).", "适老化设计。", "not_applicable"))
    accessibility: TriNA = Field("unknown", **doc("Accessible to people with disabilities (无障碍).", "无障碍设计。",
                                                  "not_applicable"))


class Safeguards(_Strict):
    model_config = _section("Safeguards and evidence", "保障措施与证据")

    risk_assessment: Assessment = Field(default_factory=Assessment, **doc(
        "Ethics and security review and risk assessment (Art. 72, first paragraph).",
        "伦理安全规范审查和风险评估（第七十二条第一款）。"))
    ex_ante_assessment: Assessment = Field(default_factory=Assessment, **doc(
        "Ex-ante assessment for high-risk applications (Art. 66).", "高风险应用的事前评估（第六十六条）。"))
    risk_warning: InPlace = Field(default_factory=InPlace, **doc(
        "Risk warning mechanism (风险预警, Art. 66).", "风险预警机制（第六十六条）。"))
    disclosure: Published = Field(default_factory=Published, **doc(
        "Ex-ante disclosure (事前披露, Art. 66).", "事前披露（第六十六条）。"))
    tracking_plan: TrackingPlan = Field(default_factory=TrackingPlan, **doc(
        "Post-facto tracking (事后跟踪, Art. 66).", "事后跟踪（第六十六条）。"))
    algorithm_explanation: Published = Field(default_factory=Published, **doc(
        "Algorithm explanation in a way the public can understand (Art. 71).", "以利于公众理解的方式进行算法说明（第七十一条）。"))
    human_oversight: Tri = Field("unknown", **doc("People can oversee and override outputs.", "可由人监督并推翻输出。", True))
    security_testing: Assessment = Field(default_factory=Assessment, **doc(
        "Security and reliability testing (Art. 36).", "安全性测试和可靠性评估（第三十六条）。"))
    incident_response: Tri = Field("unknown", **doc("An incident response procedure.", "安全事件应急处置程序。", True))
    logging: Tri = Field("unknown", **doc("Logs that make decisions traceable.", "可追溯决策的日志。", True))
    monitoring: Tri = Field("unknown", **doc("Post-release monitoring.", "上线后监测。", True))
    training: Training = Field(default_factory=Training)
    special_group_protections: SpecialGroupProtections = Field(default_factory=SpecialGroupProtections)


# ----------------------------------------------------------------------------------- ethics

class Committee(_Strict):
    """The ethics committee (S&T Ethics Review Measures Art. 4, 7, 13).

    科技伦理（审查）委员会（科技伦理审查办法第四条、第七条、第十三条）。"""

    established: Tri = Field("unknown", **doc(
        "The provider has its own S&T ethics (review) committee (S&T Ethics Review Measures Art. 4).",
        "已设立本单位科技伦理（审查）委员会（科技伦理审查办法第四条）。", False, gate=True))
    members: int | None = Field(None, ge=1, le=200, **doc("Members (at least 7, Art. 7).", "委员人数（不少于七人，第七条）。", 7))
    external_members: int | None = Field(None, ge=0, le=200, **doc(
        "Members from outside the provider (Art. 7).", "外单位委员人数（第七条）。", 2))
    both_sexes: TriNA = Field("unknown", **doc("Members of both sexes (Art. 7).", "委员包括不同性别（第七条）。", True))
    commissioned: ShortLocalText | None = Field(None, **doc(
        "The other unit's committee commissioned to review, where there is none of its own (Art. 13).",
        "未设立委员会时，委托审查的其他单位委员会（第十三条）。", "Shenzhen University S&T Ethics Committee"))


class Review(_Strict):
    done: Tri = Field("unknown", **doc("An ethics review was carried out.", "已开展伦理审查。", True, gate=True))
    body: ReviewBody | None = Field(None, **doc("internal_committee or external_committee.", "本单位或外单位委员会。",
                                                "external_committee"))
    date: IsoDate | None = Field(None, **doc("When.", "日期。", "2026-03-30"))
    reference: ShortText | None = Field(None, **doc("Review decision number.", "审查意见编号。", "SZU-EC-2026-22"))
    expert_rereview: TriNA = Field("unknown", **doc(
        "Expert re-review by the authority for activities on the re-review list (Art. 25-26).",
        "清单内活动的专家复核（第二十五条至第二十六条）。", "not_applicable"))


class Plan(_Strict):
    risks: LocalText | None = Field(None, **doc("Ethical risks identified.", "识别的伦理风险。"))
    mitigations: LocalText | None = Field(None, **doc("How they are controlled.", "风险防控措施。"))
    emergency_plan: LocalText | None = Field(None, **doc("What happens when something goes wrong.", "应急处置预案。"))
    results_publication: LocalText | None = Field(None, **doc("How results are published.", "成果发布方式。"))


class Staff(_Strict):
    qualifications: LocalText | None = Field(None, **doc("Qualifications of the people responsible.", "负责人员的资质。"))
    experience: LocalText | None = Field(None, **doc("Their relevant experience.", "相关研究或工作经历。"))
    ethics_training: Tri = Field("unknown", **doc("They had ethics training.", "参加过科技伦理培训。", True))


class Conflicts(_Strict):
    declared: Tri = Field("unknown", **doc("Conflicts of interest were declared.", "已作出利益冲突申明。", True))
    details: LocalText | None = Field(None, **doc("What they are, or 'none'.", "利益冲突情况，或'无'。"))


class ConsentForm(_Strict):
    used: TriNA = Field("unknown", **doc("Participants or users sign an informed-consent form.", "使用知情同意书。", True))
    reference: ShortText | None = Field(None, **doc("Form and version.", "知情同意书及版本。", "ICF v3"))


class CodeOfConduct(_Strict):
    includes_ethics_norms: Tri = Field("unknown", **doc(
        "The provider's code of conduct includes the ethics and security norms (Art. 69 para. 1).",
        "本单位行为规范已纳入伦理安全规范（第六十九条第一款）。", True))
    reference: ShortText | None = Field(None, **doc("Document.", "文件名称。"))


class Commitment(_Strict):
    signed_by: ShortLocalText | None = Field(None, **doc("Who signed the commitment (Art. 9(5)).", "承诺书签署人。"))
    date: IsoDate | None = Field(None, **doc("When.", "日期。"))


class Ethics(_Strict):
    """The S&T ethics review (Art. 72 para. 1; S&T Ethics Review Measures Art. 2, 4, 7, 9, 25).

    科技伦理审查（第七十二条第一款；科技伦理审查办法第二条、第四条、第七条、第九条、第二十五条）。"""

    model_config = _section("Ethics review", "科技伦理审查")

    activity: ActivityKind = Field("unknown", **doc(
        "research_development, deployment or both: the expert re-review list covers research and development.",
        "活动类型：研发、应用或两者；专家复核清单针对研发活动。", "both"))
    committee: Committee = Field(default_factory=Committee)
    review: Review = Field(default_factory=Review)
    funding_source: LocalText | None = Field(None, **doc("Where the money comes from (Art. 9(3)).", "经费来源（第九条第三项）。"))
    conflicts_of_interest: Conflicts = Field(default_factory=Conflicts)
    staff: Staff = Field(default_factory=Staff)
    plan: Plan = Field(default_factory=Plan)
    consent_form: ConsentForm = Field(default_factory=ConsentForm)
    data_sources: LocalText | None = Field(None, **doc("Sources of training and operating data (Art. 9(4)).",
                                                        "训练和运行数据的来源（第九条第四项）。"))
    code_of_conduct: CodeOfConduct = Field(default_factory=CodeOfConduct)
    commitment: Commitment = Field(default_factory=Commitment)


# ------------------------------------------------------------------------------- standards

class MedicalDevice(_Strict):
    device_class: DeviceClass = Field("unknown", alias="class", **doc(
        "Medical device class: none, I, II, III (Medical Device Regulations Art. 6).",
        "医疗器械类别（医疗器械监督管理条例第六条）。", "none"))
    registration: ShortText | Literal["unknown"] | None = Field(None, **doc(
        "Registration certificate or filing number (Medical Device Regulations Art. 13).", "注册证号或备案号（第十三条）。"))


class Standards(_Strict):
    model_config = _section("Standards", "标准")

    national_or_local: or_unknown(Annotated[list[ShortText], Field(max_length=50)]) = Field("unknown", **doc(
        "National or local standards that apply to this kind of product; [] when none exists yet (Art. 44).",
        "适用于此类产品的国家标准或地方标准；尚无标准时填 []（第四十四条）。", ["GB/T 42888-2023"]))
    international: Annotated[list[ShortText], Field(max_length=50)] = Field(default_factory=list, **doc(
        "Advanced international product standards the product meets (Art. 44).", "产品达到的国际先进产品标准（第四十四条）。",
        ["ISO/IEC 42001:2023"]))
    medical_device: MedicalDevice = Field(default_factory=MedicalDevice)
    pilot_requested: bool = Field(False, **doc("Asks to run as an Art. 44 pilot (先行先试).", "申请第四十四条先行先试。", False))


# ------------------------------------------------------------------ Art. 72 self-attestation

class AttestationItem(_Strict):
    engages: Engages = Field(**doc(
        "Does the product do this prohibited thing? false (it does not), true (it does) or unsure.",
        "产品是否存在该禁止行为？false（不存在）、true（存在）或 unsure（不确定）。", False))
    note: LocalText = Field(**doc("Why, with the evidence.", "理由及证据。", "Reviewed by counsel against the item; see RA-07."))


class Attestation(_Strict):
    model_config = _section("Art. 72 self-attestation", "第七十二条自查声明")

    national_security: AttestationItem | None = Field(None, **doc(
        "Art. 72(1): endangers national security or the public interest.", "第七十二条第二款第一项：危害国家安全或公共利益。"))
    privacy: AttestationItem | None = Field(None, **doc(
        "Art. 72(2): infringes privacy or personal information.", "第二项：侵犯隐私或个人信息。"))
    health: AttestationItem | None = Field(None, **doc(
        "Art. 72(3): harms physical or mental health.", "第三项：危害身心健康。"))
    discrimination: AttestationItem | None = Field(None, **doc(
        "Art. 72(4): discriminates by race, gender, nationality, ethnicity, religious belief and the like.",
        "第四项：基于种族、性别、国籍、民族、宗教信仰等的歧视。"))
    consumer_rights: AttestationItem | None = Field(None, **doc(
        "Art. 72(5): price discrimination or consumer fraud by users' habits, preferences or ability to pay.",
        "第五项：根据消费者偏好、交易习惯、支付能力等实施价格歧视或消费欺诈。"))
    deep_synthesis: AttestationItem | None = Field(None, **doc(
        "Art. 72(6): deep synthesis used for prohibited ends.", "第六项：利用深度合成从事违法活动。"))
    other_violations: AttestationItem | None = Field(None, **doc(
        "Art. 72(7): other conduct the laws prohibit.", "第七项：法律法规禁止的其他行为。"))
    attested_by: ShortLocalText | None = Field(None, **doc("Who attests: name and role.", "声明人姓名及职务。",
                                                         "He Jing, Data Protection Officer"))
    date: IsoDate | None = Field(None, **doc("When.", "日期。", "2026-04-03"))


# ---------------------------------------------------------------------------- transparency

TextItems = Annotated[list[LocalText], Field(max_length=100)]


class Transparency(_Strict):
    """What the documents tell people (Art. 66 disclosure, Art. 71 explanation); a document that needs a
    missing item says it is still to be completed, it never makes one up.

    文件向公众说明的内容（第六十六条事前披露，第七十一条算法说明）；缺少的内容在文件中标为待补充，绝不编造。"""

    model_config = _section("Transparency", "透明度")

    capabilities: TextItems = Field(default_factory=list, **doc("What the product does, one item each.", "产品能做什么，每项一条。"))
    limitations: TextItems = Field(default_factory=list, **doc("What it does not do, and its limits.", "不能做什么及其局限。"))
    failure_modes: TextItems = Field(default_factory=list, **doc("Known ways it fails.", "已知的失效方式。"))
    inputs: TextItems = Field(default_factory=list, **doc("The main inputs its algorithm uses (Art. 71).",
                                                          "算法使用的主要输入（第七十一条）。"))
    mechanism: LocalText | None = Field(None, **doc("Basic principle and main mechanism, in plain words (Art. 71).",
                                                    "基本原理和主要运行机制，用通俗的语言（第七十一条）。"))
    opt_out: LocalText | None = Field(None, **doc("How a person opts out or uses a route without AI.",
                                                  "如何退出或选择不使用人工智能的途径。"))
    complaints: LocalText | None = Field(None, **doc("How to complain, and who answers.", "如何投诉，由谁答复。"))
    human_review: LocalText | None = Field(None, **doc("How to get an explanation or a human review of a decision.",
                                                       "如何获得解释或人工复核。"))
    metrics: TextItems = Field(default_factory=list, **doc("What post-release monitoring watches.", "上线后监测的指标。"))
    incident_threshold: LocalText | None = Field(None, **doc("What counts as an incident and who is told.",
                                                             "何种情况视为事件，通知谁。"))


# ----------------------------------------------------------------------------- declaration

class Declaration(_Strict):
    """An AI product declared for checking against the Shenzhen AI Regulations (2022).

    按《深圳经济特区人工智能产业促进条例》申报检查的人工智能产品。"""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, title="aicomply declaration v2")

    schema_uri: str | None = Field(None, alias="$schema", description="Optional, for editors.")
    format: Literal["aicomply/v2"] = Field(**doc("Declaration format and version.", "申报格式及版本。", "aicomply/v2"))
    product: Product
    provider: Provider
    scenario: Scenario
    scope: Scope
    autonomy: Autonomy
    data: Data
    practices: Practices = Field(default_factory=Practices)
    consumer: Consumer = Field(default_factory=Consumer)
    outputs: Outputs = Field(default_factory=Outputs)
    incidents: Annotated[list[Incident], Field(max_length=500)] = Field(default_factory=list, **doc(
        "Incidents since release: accidents, injuries, data breaches, harmful outputs; [] when none.",
        "上线以来的事件：事故、伤害、数据泄露、有害输出等；没有则填 []。"))
    filings: Annotated[list[Filing], Field(max_length=50)] = Field(default_factory=list, **doc(
        "Filings, registrations and statutory assessments, one entry each.", "备案、登记和法定评估，每项一条。"))
    safeguards: Safeguards = Field(default_factory=Safeguards)
    ethics: Ethics = Field(default_factory=Ethics)
    standards: Standards = Field(default_factory=Standards)
    attestation: Attestation = Field(default_factory=Attestation, **doc("Art. 72 self-attestation.", "第七十二条自查声明。"))
    transparency: Transparency = Field(default_factory=Transparency, **doc(
        "What the documents tell people.", "文件向公众说明的内容。"))
    waivers: Annotated[list[DeclaredWaiver], Field(max_length=200)] = Field(default_factory=list, **doc(
        "Accepted findings of this product, each justified, approved and dated.", "本产品经批准的豁免，每项附理由、批准人和期限。"))
