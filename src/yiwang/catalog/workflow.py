"""The lifecycle of a guide version and the publication rules of DOMAIN §3.8, as pure functions.

Nothing here touches the database: selectors build a `VersionSnapshot` from a version and its
children, `publication_violations` answers with every rule it breaks, each tied to the model
field a manager has to change. Codes are the national ones of GB/T 39046-2020 Appendix A (the
choices in `catalog.models.codes`, which this lower layer may not import).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from yiwang.platform.errors import FieldError

# --- Lifecycle ------------------------------------------------------------------------------------

DRAFT = "draft"
PUBLISHED = "published"
RETIRED = "retired"

# draft → published (publication), draft → retired (a draft given up, kept for the record),
# published → retired (superseded by the next publication, or the item withdrawn).
TRANSITIONS: dict[str, frozenset[str]] = {
    DRAFT: frozenset({PUBLISHED, RETIRED}),
    PUBLISHED: frozenset({RETIRED}),
    RETIRED: frozenset(),
}


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def is_editable(status: str) -> bool:
    """Only drafts change; a published guide is what cases were filed under."""
    return status == DRAFT


# --- Codes (GB/T 39046-2020 Appendix A) -----------------------------------------------------------

ITEM_TYPE_LICENSING = "01"
# 00–10 are administrative powers (行政权力事项); 20 and above public services.
POWER_ITEM_TYPES = frozenset(f"{n:02d}" for n in range(11))
# Powers the government starts on its own (处罚, 强制, 检查): no applicant, so no application
# materials and no acceptance conditions are asked of them.
GOVERNMENT_INITIATED_TYPES = frozenset({"02", "03", "06"})
# Items an applicant applies for with papers: 许可, 给付, 确认, 裁决. Other kinds (公共服务 such
# as 查询, 咨询) may need nothing but the applicant's identity, so a list may be empty.
MATERIALS_REQUIRED_TYPES = frozenset({"01", "05", "07", "09"})

CASE_TYPE_IMMEDIATE = "1"
CASE_TYPE_PROMISED = "2"

SERVICE_OBJECT_PERSON = "1"
# 法人 themes serve legal persons: enterprises, public institutions, social organisations.
LEGAL_PERSON_OBJECTS = frozenset({"2", "3", "4"})

AUDIENCE_PERSON = "person"
AUDIENCE_ENTERPRISE = "enterprise"

HANDLING_FORM_WINDOW = "1"

DEPTH_FORMS = 2
DEPTH_PREVIEW = 3
DEPTH_FULLY_ONLINE = 4
# Most visits allowed at each online-handling depth (DOMAIN §3.4, Huai'an levels).
MAX_VISITS_BY_DEPTH = {DEPTH_FORMS: 2, DEPTH_PREVIEW: 1, DEPTH_FULLY_ONLINE: 0}

RESULT_CERTIFICATE = "certificate"
RESULT_DOCUMENT = "document"
RESULT_APPROVAL = "approval"
RESULT_OTHER = "other"
RESULT_TYPE_LABELS = {
    RESULT_CERTIFICATE: "出证",
    RESULT_DOCUMENT: "出文",
    RESULT_APPROVAL: "审批",
    RESULT_OTHER: "其他",
}
# Longest suffix first: “…批复” must not be read as anything else.
RESULT_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("批复", RESULT_APPROVAL),
    ("证", RESULT_CERTIFICATE),
    ("文", RESULT_DOCUMENT),
)

LICENSING_STEPS: tuple[str, ...] = ("受理", "审核", "审批", "办结", "送达")

EXTENSION_MAX_WORKING_DAYS = 10  # 行政许可法 art. 42
EXTENSION_MAX_WORKING_DAYS_JOINT = 15

UNIT_WORKING_DAY = "WD"
UNIT_CALENDAR_DAY = "CD"
UNIT_HOUR = "H"
UNIT_MONTH = "M"
UNIT_LABELS = {
    UNIT_WORKING_DAY: "工作日",
    UNIT_CALENDAR_DAY: "自然日",
    UNIT_HOUR: "小时",
    UNIT_MONTH: "月",
}


# --- Visit tags -----------------------------------------------------------------------------------

TAG_NO_VISIT = "不见面"
TAG_AT_MOST_ONE_VISIT = "最多跑一次"


def visit_tags(visit_count: int) -> list[str]:
    """Badges derived from the number of visits, never stored: 0 → 不见面, ≤1 → 最多跑一次.

    Because 最多跑一次 is derived from `visit_count ≤ 1`, rule 4's “最多跑一次 ⇒ ≤1 visit” holds by
    construction; the depth limits below are what a manager can get wrong.
    """
    if visit_count == 0:
        return [TAG_NO_VISIT, TAG_AT_MOST_ONE_VISIT]
    if visit_count == 1:
        return [TAG_AT_MOST_ONE_VISIT]
    return []


# --- Time limits ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeLimit:
    value: int
    unit: str

    @property
    def label(self) -> str:
        return f"{self.value}{UNIT_LABELS.get(self.unit, self.unit)}"


def _calendar_day_bounds(limit: TimeLimit) -> tuple[Fraction, Fraction]:
    """The least and the most calendar days a limit can mean.

    A working day is at least one calendar day (1 WD ≥ 1 CD), and we count it as exactly one:
    how many calendar days a run of working days spans depends on the holidays it crosses, which
    a guide cannot know. A month is 28 to 31 days; an hour is 1/24 of a day.
    """
    value = Fraction(limit.value)
    if limit.unit == UNIT_MONTH:
        return value * 28, value * 31
    if limit.unit == UNIT_HOUR:
        return value / 24, value / 24
    return value, value


def promised_exceeds_statutory(promised: TimeLimit, statutory: TimeLimit) -> bool:
    """Rule 1. Same unit: compare the numbers. Different units: refuse unless the promise is
    certainly within the statutory limit, i.e. its longest reading ≤ the statutory's shortest,
    with 1 WD counted as 1 CD (so 10 WD promised against 10 CD statutory passes, 11 WD does not;
    and 1 M promised needs at least 31 days statutory)."""
    if promised.unit == statutory.unit:
        return promised.value > statutory.value
    _, promised_most = _calendar_day_bounds(promised)
    statutory_least, _ = _calendar_day_bounds(statutory)
    return promised_most > statutory_least


# --- Snapshot and rules ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeRef:
    name: str
    audience: str


@dataclass(frozen=True)
class VersionSnapshot:
    """What the publication rules read of a version and its children (built by a selector)."""

    name: str
    item_type: str
    case_type: str
    promised_limit_value: int | None
    promised_limit_unit: str
    statutory_limit_value: int | None = None
    statutory_limit_unit: str = ""
    legal_basis: str = ""
    conditions: str = ""
    extension_allowed: bool = False
    extension_max_working_days: int = 0
    joint_handling: bool = False
    handling_forms: tuple[str, ...] = ()
    visit_count: int = 1
    onsite_reason: str = ""
    online_depth: int = 1
    courier_supported: bool = False
    service_objects: tuple[str, ...] = ()
    themes: tuple[ThemeRef, ...] = ()
    result_type: str = RESULT_OTHER
    result_name: str = ""
    has_result_sample: bool = False
    charged: bool = False
    fee_basis: str = ""
    online_payment_supported: bool = False
    address: str = ""
    office_hours: str = ""
    consultation_phone: str = ""
    complaint_phone: str = ""
    fee_count: int = 0
    faq_count: int = 0
    material_count: int = 0
    procedure_step_names: tuple[str, ...] = field(default=())


def _blank(text: str) -> bool:
    return not text.strip()


def _digits(phone: str) -> str:
    return "".join(char for char in phone if char.isdigit())


def _rule_time_limits(s: VersionSnapshot) -> list[FieldError]:
    """Rules 1 and 2, and “the statutory limit may be empty, the promised one never”."""
    errors: list[FieldError] = []
    if s.promised_limit_value is None or not s.promised_limit_unit:
        errors.append(
            FieldError("promised_limit_value", "请填写承诺办结时限及单位（即办件填 0）。")
        )
    has_statutory_value = s.statutory_limit_value is not None
    if has_statutory_value and not s.statutory_limit_unit:
        errors.append(FieldError("statutory_limit_unit", "已填写法定办结时限，请选择时限单位。"))
    if s.statutory_limit_unit and not has_statutory_value:
        errors.append(
            FieldError("statutory_limit_value", "已选择法定时限单位，请填写法定办结时限。")
        )
    if not has_statutory_value and s.item_type in POWER_ITEM_TYPES:
        errors.append(
            FieldError(
                "statutory_limit_value",
                "行政权力事项须填写法定办结时限（按设定依据填写，如行政许可一般为 20 个工作日）。",
            )
        )
    if (
        s.promised_limit_value is not None
        and s.promised_limit_unit
        and s.statutory_limit_value is not None
        and s.statutory_limit_unit
    ):
        promised = TimeLimit(s.promised_limit_value, s.promised_limit_unit)
        statutory = TimeLimit(s.statutory_limit_value, s.statutory_limit_unit)
        if promised_exceeds_statutory(promised, statutory):
            errors.append(
                FieldError(
                    "promised_limit_value",
                    f"承诺办结时限（{promised.label}）不得超过法定办结时限（{statutory.label}），"
                    "请缩短承诺时限；单位不同时按 1 个工作日计 1 个自然日比较。",
                )
            )
    if s.promised_limit_value is not None:
        if s.promised_limit_value == 0 and s.case_type != CASE_TYPE_IMMEDIATE:
            errors.append(
                FieldError(
                    "case_type",
                    "承诺办结时限为 0（即办）的事项，办件类型应为“即办件”；"
                    "如不能当场办结，请填写承诺办结时限。",
                )
            )
        if s.promised_limit_value > 0 and s.case_type != CASE_TYPE_PROMISED:
            errors.append(
                FieldError(
                    "case_type",
                    "承诺办结时限大于 0 的事项，办件类型应为“承诺件”；"
                    "如为当场办结的即办件，请将承诺办结时限改为 0。",
                )
            )
    return errors


def _rule_visits(s: VersionSnapshot) -> list[FieldError]:
    """Rules 3, 4 and 5."""
    errors: list[FieldError] = []
    if s.visit_count > 0 and _blank(s.onsite_reason):
        errors.append(
            FieldError(
                "onsite_reason",
                f"到办事现场次数为 {s.visit_count} 次，请说明必须到现场办理的原因"
                "（如需核验原件、现场勘验）。",
            )
        )
    most = MAX_VISITS_BY_DEPTH.get(s.online_depth)
    if most is not None and s.visit_count > most:
        if s.online_depth == DEPTH_FULLY_ONLINE:
            message = "网上办理深度为四级（全程网办）的事项，到办事现场次数应为 0。"
        else:
            level = "二级" if s.online_depth == DEPTH_FORMS else "三级（最多跑一次）"
            message = (
                f"网上办理深度为{level}的事项，到办事现场次数不得超过 {most} 次；"
                "请减少到现场次数，或降低网上办理深度。"
            )
        errors.append(FieldError("visit_count", message))
    if s.visit_count == 0 and s.online_depth != DEPTH_FULLY_ONLINE and not s.courier_supported:
        errors.append(
            FieldError(
                "courier_supported",
                "到办事现场次数为 0 但并非全程网办，须提供物流快递（寄递材料、送达结果）。",
            )
        )
    return errors


def _rule_fees(s: VersionSnapshot) -> list[FieldError]:
    """Rule 6."""
    errors: list[FieldError] = []
    if s.charged:
        if _blank(s.fee_basis):
            errors.append(FieldError("fee_basis", "收费事项须填写收费依据（文件名称及文号）。"))
        if s.fee_count == 0:
            errors.append(FieldError("fees", "收费事项须至少填写一个收费项目及其收费标准。"))
        if not s.online_payment_supported:
            errors.append(
                FieldError("online_payment_supported", "收费事项须支持网上支付（非税收入缴费）。")
            )
    else:
        if s.online_payment_supported:
            errors.append(
                FieldError(
                    "online_payment_supported",
                    "不收费的事项不应勾选“支持网上支付”；如需收费，请勾选“是否收费”。",
                )
            )
        if s.fee_count:
            errors.append(
                FieldError(
                    "fees", "事项标为不收费，却填写了收费项目：请删除收费项目，或勾选“是否收费”。"
                )
            )
    return errors


def _rule_licensing(s: VersionSnapshot) -> list[FieldError]:
    """Rule 7: a licensing guide answers common questions and shows the five statutory steps."""
    if s.item_type != ITEM_TYPE_LICENSING:
        return []
    errors: list[FieldError] = []
    if s.faq_count == 0:
        errors.append(FieldError("faqs", "行政许可事项须至少填写一条常见问题及解答。"))
    positions: list[int] = []
    missing: list[str] = []
    for step in LICENSING_STEPS:
        found = next((i for i, name in enumerate(s.procedure_step_names) if step in name), None)
        if found is None:
            missing.append(step)
        else:
            positions.append(found)
    if missing:
        errors.append(
            FieldError(
                "procedure_steps",
                f"行政许可事项的办理流程须包含受理、审核、审批、办结、送达五个环节，"
                f"缺少：{'、'.join(missing)}。",
            )
        )
    elif positions != sorted(positions):
        errors.append(
            FieldError(
                "procedure_steps", "办理流程应按受理、审核、审批、办结、送达的先后顺序排列。"
            )
        )
    return errors


def expected_result_type(result_name: str) -> str | None:
    name = result_name.strip()
    for suffix, result_type in RESULT_SUFFIXES:
        if name.endswith(suffix):
            return result_type
    return None


def _rule_result(s: VersionSnapshot) -> list[FieldError]:
    """Rule 8."""
    errors: list[FieldError] = []
    if _blank(s.result_name):
        if s.result_type != RESULT_OTHER:
            errors.append(
                FieldError(
                    "result_name",
                    f"结果类型为“{RESULT_TYPE_LABELS.get(s.result_type, s.result_type)}”，"
                    "请填写结果名称（如“食品经营许可证”）。",
                )
            )
        return errors
    if not s.has_result_sample:
        errors.append(
            FieldError("result_sample", f"已填写结果名称“{s.result_name}”，请上传结果样本。")
        )
    expected = expected_result_type(s.result_name)
    if expected is not None and s.result_type != expected:
        errors.append(
            FieldError(
                "result_type",
                f"结果名称“{s.result_name}”对应的结果类型应为“{RESULT_TYPE_LABELS[expected]}”。",
            )
        )
    return errors


def _rule_contacts_and_audience(s: VersionSnapshot) -> list[FieldError]:
    """Rule 9, first two parts: phones, and themes that fit the service objects."""
    errors: list[FieldError] = []
    if (
        not _blank(s.consultation_phone)
        and not _blank(s.complaint_phone)
        and _digits(s.consultation_phone) == _digits(s.complaint_phone)
    ):
        errors.append(
            FieldError(
                "complaint_phone",
                "监督投诉电话不能与咨询电话相同，请填写监督部门（或 12345）的电话。",
            )
        )
    objects = set(s.service_objects)
    person_themes = [t.name for t in s.themes if t.audience == AUDIENCE_PERSON]
    legal_themes = [t.name for t in s.themes if t.audience == AUDIENCE_ENTERPRISE]
    if person_themes and SERVICE_OBJECT_PERSON not in objects:
        errors.append(
            FieldError(
                "themes",
                f"个人主题（{'、'.join(person_themes)}）只适用于服务对象含“自然人”的事项："
                "请在服务对象中勾选自然人，或移除这些主题。",
            )
        )
    if legal_themes and not objects & LEGAL_PERSON_OBJECTS:
        errors.append(
            FieldError(
                "themes",
                f"法人主题（{'、'.join(legal_themes)}）只适用于服务对象含企业法人（或事业法人、"
                "社会组织法人）的事项：请勾选相应服务对象，或移除这些主题。",
            )
        )
    return errors


def _rule_required_fields(s: VersionSnapshot) -> list[FieldError]:
    """Rule 9, last part: what every guide must tell, and what each item type adds.

    All items: name, service objects, handling forms, consultation phone; where and when to go
    if anyone comes to a window. Powers (00–10): legal basis and a complaint phone (statutory
    limit: see `_rule_time_limits`). Items someone applies for (all but 处罚, 强制, 检查):
    acceptance conditions. 许可, 给付, 确认, 裁决: at least one material.
    """
    errors: list[FieldError] = []
    if _blank(s.name):
        errors.append(FieldError("name", "请填写事项名称。"))
    if not s.service_objects:
        errors.append(FieldError("service_objects", "请至少选择一类服务对象。"))
    if not s.handling_forms:
        errors.append(FieldError("handling_forms", "请至少选择一种办理形式。"))
    if _blank(s.consultation_phone):
        errors.append(FieldError("consultation_phone", "请填写咨询电话。"))
    comes_to_window = s.visit_count > 0 or HANDLING_FORM_WINDOW in s.handling_forms
    if comes_to_window and _blank(s.address):
        errors.append(FieldError("address", "需要到现场或窗口办理的事项，请填写办理地点。"))
    if comes_to_window and _blank(s.office_hours):
        errors.append(FieldError("office_hours", "需要到现场或窗口办理的事项，请填写办理时间。"))
    if s.item_type in POWER_ITEM_TYPES:
        if _blank(s.legal_basis):
            errors.append(
                FieldError("legal_basis", "行政权力事项须填写设定依据（法律法规名称及条款）。")
            )
        if _blank(s.complaint_phone):
            errors.append(FieldError("complaint_phone", "行政权力事项须填写监督投诉电话。"))
    if s.item_type not in GOVERNMENT_INITIATED_TYPES and _blank(s.conditions):
        errors.append(FieldError("conditions", "请填写受理条件（申请人须满足的条件）。"))
    if s.item_type in MATERIALS_REQUIRED_TYPES and s.material_count == 0:
        errors.append(FieldError("materials", "请至少填写一项申请材料。"))
    return errors


def _rule_extension(s: VersionSnapshot) -> list[FieldError]:
    """Rule 10 (行政许可法 art. 42: +10 WD, +15 WD for joint handling)."""
    if not s.extension_allowed:
        if s.extension_max_working_days:
            return [
                FieldError(
                    "extension_max_working_days",
                    "未勾选“可延长审批”时，最多延长工作日应为 0。",
                )
            ]
        return []
    most = EXTENSION_MAX_WORKING_DAYS_JOINT if s.joint_handling else EXTENSION_MAX_WORKING_DAYS
    if not 1 <= s.extension_max_working_days <= most:
        kind = "联合办理的事项" if s.joint_handling else "事项"
        return [
            FieldError(
                "extension_max_working_days",
                f"可延长审批的{kind}，最多延长工作日应在 1 至 {most} 之间。",
            )
        ]
    return []


_RULES = (
    _rule_required_fields,
    _rule_time_limits,
    _rule_visits,
    _rule_fees,
    _rule_licensing,
    _rule_result,
    _rule_contacts_and_audience,
    _rule_extension,
)


def publication_violations(snapshot: VersionSnapshot) -> list[FieldError]:
    """Every rule of DOMAIN §3.8 the version breaks; empty means it may be published."""
    return [error for rule in _RULES for error in rule(snapshot)]


# --- Bundles (一件事) -----------------------------------------------------------------------------

BUNDLE_MAX_PROMISED_WORKING_DAYS = 45  # 国办发〔2025〕24号: one thing, at most 45 working days


@dataclass(frozen=True)
class BundleMemberRef:
    item_label: str
    department_id: int
    has_live_version: bool
    optional: bool = False


@dataclass(frozen=True)
class BundleSnapshot:
    name: str
    lead_department_id: int | None
    supporting_department_ids: frozenset[int]
    promised_total_working_days: int | None
    members: tuple[BundleMemberRef, ...] = ()


def bundle_basic_violations(
    *, lead_department_id: int | None, promised_total_working_days: int | None
) -> list[FieldError]:
    """What a bundle must have even as a draft: a lead department and a promise ≤ 45 WD."""
    errors: list[FieldError] = []
    if lead_department_id is None:
        errors.append(FieldError("lead_department", "请选择牵头部门。"))
    if promised_total_working_days is None or promised_total_working_days < 1:
        errors.append(
            FieldError("promised_total_working_days", "请填写承诺总时限（至少 1 个工作日）。")
        )
    elif promised_total_working_days > BUNDLE_MAX_PROMISED_WORKING_DAYS:
        errors.append(
            FieldError(
                "promised_total_working_days",
                f"“一件事”承诺总时限不得超过 {BUNDLE_MAX_PROMISED_WORKING_DAYS} 个工作日，"
                f"当前为 {promised_total_working_days} 个。",
            )
        )
    return errors


def bundle_publication_violations(snapshot: BundleSnapshot) -> list[FieldError]:
    errors = bundle_basic_violations(
        lead_department_id=snapshot.lead_department_id,
        promised_total_working_days=snapshot.promised_total_working_days,
    )
    if _blank(snapshot.name):
        errors.append(FieldError("name", "请填写“一件事”名称。"))
    if len(snapshot.members) < 2:
        errors.append(FieldError("members", "“一件事”至少应包含两个事项。"))
    unpublished = [m.item_label for m in snapshot.members if not m.has_live_version]
    if unpublished:
        errors.append(
            FieldError(
                "members", f"以下成员事项尚无已发布的办事指南，请先发布：{'、'.join(unpublished)}。"
            )
        )
    departments = {m.department_id for m in snapshot.members}
    if snapshot.lead_department_id is not None and snapshot.members:
        if snapshot.lead_department_id not in departments:
            errors.append(FieldError("lead_department", "牵头部门应至少负责其中一个成员事项。"))
        allowed = snapshot.supporting_department_ids | {snapshot.lead_department_id}
        outside = sorted({m.item_label for m in snapshot.members if m.department_id not in allowed})
        if outside:
            errors.append(
                FieldError(
                    "supporting_departments",
                    "以下成员事项的实施部门既不是牵头部门也不是配合部门，请加为配合部门："
                    f"{'、'.join(outside)}。",
                )
            )
    return errors
