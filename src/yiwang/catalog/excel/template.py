"""The implementation-list template (实施清单导入模板): its sheets and columns.

Choice columns take the national code (A.1 `01`) or its label (`行政许可`); multi-valued columns
separate values with `^` (as the national exchange schema does), `、` or a comma. Text columns
are as long as the model's field allows. `docs/catalog-import.md` documents every column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models

from yiwang.catalog.models import (
    AnywhereScope,
    BodyNature,
    CaseType,
    ExerciseLevel,
    FeeItem,
    FrequentQuestion,
    HandlingForm,
    HandlingItem,
    HandlingKind,
    ItemType,
    LimitUnit,
    MaterialForm,
    MaterialNecessity,
    MaterialRequirement,
    MaterialSource,
    OnlineDepth,
    ProcedureStep,
    ResultType,
    ServiceItemVersion,
    ServiceObject,
    SpecialStep,
)

MAX_ROWS = 200_000  # per sheet; a province's list is ~50,000 items
TEXT, INT, BOOL, CHOICE, CODES, DECIMAL, LIST = (
    "text",
    "int",
    "bool",
    "choice",
    "codes",
    "decimal",
    "list",
)

Choices = tuple[tuple[str, str], ...]


def _choices(text_choices: Any) -> Choices:
    return tuple((str(value), str(label)) for value, label in text_choices.choices)


ORIGINAL_OR_COPY: Choices = (("original", "原件"), ("copy", "复印件"), ("both", "原件和复印件"))
ANYWHERE: Choices = tuple((v, label) for v, label in _choices(AnywhereScope) if v)


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str = TEXT
    required: bool = False
    choices: Choices = ()
    note: str = ""
    max_length: int | None = None
    width: int = 14

    def choice_text(self) -> str:
        return "、".join(f"{code} {label}" for code, label in self.choices)


@dataclass(frozen=True)
class Sheet:
    title: str
    relation: str  # "items", or the version's child relation ("materials" ...)
    columns: tuple[Column, ...]
    note: str

    def column(self, field_name: str) -> Column:
        return next(c for c in self.columns if c.field == field_name)


def _max(model: type[models.Model], name: str) -> int | None:
    found = model._meta.get_field(name)
    return getattr(found, "max_length", None)


def _c(
    model: type[models.Model], header: str, name: str, kind: str = TEXT, **kwargs: Any
) -> Column:
    max_length = (
        _max(model, name) if kind in (TEXT, LIST) and name in _model_fields(model) else None
    )
    return Column(header, name, kind, max_length=max_length, **kwargs)


def _model_fields(model: type[models.Model]) -> set[str]:
    return {f.name for f in model._meta.concrete_fields}


V = ServiceItemVersion
CODE = Column(
    "实施编码",
    "implementation_code",
    required=True,
    max_length=64,
    width=40,
    note="本事项在“事项”表中的实施编码",
)

ITEMS = Sheet(
    "事项",
    "items",
    (
        Column(
            "实施编码",
            "implementation_code",
            required=True,
            max_length=64,
            width=40,
            note="基本编码-12位区划代码-段码-实施主体统一社会信用代码-后缀；已存在的编码更新该事项（发布新版本），新编码新建事项",
        ),
        Column(
            "基本编码",
            "basic_code",
            required=True,
            max_length=64,
            width=14,
            note="基本目录编码，如 XK08006000；不存在时按下两列新建基本目录事项",
        ),
        Column(
            "基本目录事项名称",
            "basic_name",
            max_length=200,
            width=24,
            note="基本编码尚不存在时必填",
        ),
        Column("主项基本编码", "basic_parent_code", max_length=64, note="子项所属的主项（可空）"),
        Column("主项名称", "basic_parent_name", max_length=200, note="主项尚不存在时必填"),
        Column("地方编码", "local_code", max_length=64),
        _c(V, "事项名称", "name", required=True, width=30),
        _c(V, "业务办理项编码", "handling_item_code", note="事项只有一个业务办理项时填写（可空）"),
        _c(V, "俗称", "aliases", note="群众常用的叫法，逗号分隔，供搜索使用"),
        _c(
            V,
            "事项类型",
            "item_type",
            CHOICE,
            required=True,
            choices=_choices(ItemType),
            note="代码表 A.1",
        ),
        Column(
            "行使层级",
            "exercise_level",
            CHOICE,
            required=True,
            choices=_choices(ExerciseLevel),
            note="代码表 A.2",
        ),
        Column(
            "实施主体统一社会信用代码",
            "department_uscc",
            required=True,
            max_length=18,
            width=22,
            note="须为系统中已有的部门",
        ),
        Column(
            "实施主体名称",
            "department_name",
            max_length=100,
            width=24,
            note="仅供阅读，导入时以统一社会信用代码为准",
        ),
        Column(
            "实施区划代码",
            "region_code",
            required=True,
            max_length=12,
            note="6位或12位行政区划代码，须为系统中已有的区划",
        ),
        _c(
            V,
            "实施主体性质",
            "body_nature",
            CHOICE,
            choices=_choices(BodyNature),
            note="代码表 A.3，空为 1 法定机关",
        ),
        _c(V, "委托部门", "entrusted_department"),
        Column(
            "下放自实施编码",
            "delegated_from_code",
            max_length=64,
            width=40,
            note="由区县下放到乡镇（街道）、村（社区）办理的，填写原事项的实施编码",
        ),
        Column("下放说明", "delegation_note", max_length=200),
        _c(V, "设定依据", "legal_basis", width=30),
        _c(V, "行使内容", "exercise_content"),
        _c(V, "联办机构", "joint_departments"),
        _c(V, "中介服务", "intermediary_services"),
        _c(
            V,
            "办件类型",
            "case_type",
            CHOICE,
            required=True,
            choices=_choices(CaseType),
            note="代码表 A.6；承诺时限为0的为即办件",
        ),
        _c(V, "法定办结时限", "statutory_limit_value", INT, note="不小于0的整数；行政权力事项必填"),
        _c(V, "法定时限单位", "statutory_limit_unit", CHOICE, choices=_choices(LimitUnit)),
        _c(V, "法定时限说明", "statutory_limit_note"),
        _c(
            V,
            "承诺办结时限",
            "promised_limit_value",
            INT,
            required=True,
            note="不小于0的整数，即办件填0",
        ),
        _c(
            V,
            "承诺时限单位",
            "promised_limit_unit",
            CHOICE,
            required=True,
            choices=_choices(LimitUnit),
        ),
        _c(V, "承诺时限说明", "promised_limit_note"),
        _c(V, "可延长审批", "extension_allowed", BOOL),
        _c(
            V,
            "最多延长工作日",
            "extension_max_working_days",
            INT,
            note="可延长审批的，1至10（联合办理1至15）",
        ),
        _c(V, "联合办理", "joint_handling", BOOL),
        _c(V, "受理条件", "conditions", width=30),
        _c(V, "数量限制", "quantity_limit"),
        _c(
            V,
            "办理形式",
            "handling_forms",
            CODES,
            required=True,
            choices=_choices(HandlingForm),
            note="代码表 A.5，可多选，如 1^2^3",
        ),
        _c(V, "到办事现场次数", "visit_count", INT, required=True),
        _c(V, "必须现场办理原因", "onsite_reason", note="到现场次数大于0的必填"),
        _c(
            V,
            "网上办理深度",
            "online_depth",
            CHOICE,
            required=True,
            choices=tuple((str(v), str(label)) for v, label in OnlineDepth.choices),
            note="1至4，四级为全程网办",
        ),
        _c(V, "网办深度代码", "online_depth_codes", note="如 1^2^3^4"),
        _c(V, "电脑端办理地址", "online_url_pc"),
        _c(V, "移动端办理地址", "online_url_mobile"),
        _c(V, "自由裁量标准", "discretion_standard"),
        _c(V, "最低实名等级", "required_realname_level", INT),
        _c(
            V,
            "服务对象",
            "service_objects",
            CODES,
            required=True,
            choices=_choices(ServiceObject),
            note="代码表 A.4，可多选，如 1^2",
        ),
        _c(V, "通办范围", "anywhere_scope", CHOICE, choices=ANYWHERE, note="空为不通办"),
        _c(V, "进驻大厅", "in_hall", BOOL),
        _c(V, "支持预约办理", "appointment_supported", BOOL),
        _c(V, "支持网上支付", "online_payment_supported", BOOL),
        _c(V, "支持物流快递", "courier_supported", BOOL),
        _c(V, "支持自助终端", "self_service_supported", BOOL),
        Column(
            "主题代码",
            "theme_codes",
            LIST,
            max_length=1000,
            note="服务主题、人生事件的代码，可多个（须为系统中已有的主题）",
        ),
        _c(V, "结果类型", "result_type", CHOICE, choices=_choices(ResultType)),
        _c(V, "结果名称", "result_name"),
        Column(
            "结果样本",
            "result_sample",
            max_length=100,
            width=30,
            note="已上传的样本文件路径；填写了结果名称的必填",
        ),
        _c(V, "结果证照类型代码", "result_licence_type_code"),
        _c(V, "是否收费", "charged", BOOL),
        _c(V, "收费依据", "fee_basis"),
        _c(V, "办理地点", "address", width=30),
        _c(V, "办理时间", "office_hours", width=24),
        _c(V, "咨询电话", "consultation_phone"),
        _c(V, "监督投诉电话", "complaint_phone"),
        _c(V, "修订说明", "change_note", note="更新已有事项时写明改了什么（可空）"),
    ),
    "一行一个实施清单事项。",
)

M = MaterialRequirement
MATERIALS = Sheet(
    "申请材料",
    "materials",
    (
        CODE,
        _c(M, "序号", "order", INT),
        _c(M, "材料名称", "name", required=True, width=30),
        _c(M, "原件/复印件", "original_or_copy", CHOICE, choices=ORIGINAL_OR_COPY),
        _c(M, "材料形式", "form", CHOICE, choices=_choices(MaterialForm)),
        _c(M, "纸质规格", "paper_spec"),
        _c(M, "原件份数", "originals", INT),
        _c(M, "复印件份数", "copies", INT),
        _c(M, "材料必要性", "necessity", CHOICE, choices=_choices(MaterialNecessity)),
        _c(M, "来源渠道", "source", CHOICE, choices=_choices(MaterialSource)),
        _c(M, "来源说明", "source_note"),
        _c(M, "出具单位", "issuing_body"),
        Column("空白表格", "blank_form", max_length=100, width=30, note="已上传的文件路径（可空）"),
        Column("示例样表", "sample", max_length=100, width=30, note="已上传的文件路径（可空）"),
        _c(M, "填报须知", "instructions"),
        _c(M, "受理标准", "acceptance_standard"),
        _c(M, "设定依据", "basis"),
        _c(M, "适用情形", "situations"),
        Column(
            "可替代的电子证照类型",
            "accepted_licence_types",
            LIST,
            max_length=500,
            note="电子证照类型代码，可多个；持有其中任一有效证照的无需提交本材料",
        ),
        _c(M, "共享数据来源", "data_share_source"),
    ),
    "一行一项申请材料，按实施编码对应“事项”表；某事项的材料以本表为准（整体替换）。",
)

FEES = Sheet(
    "收费项目",
    "fees",
    (
        CODE,
        _c(FeeItem, "收费项目", "name", required=True),
        _c(FeeItem, "收费标准", "standard", required=True),
        _c(FeeItem, "金额（元）", "amount_yuan", DECIMAL),
        _c(FeeItem, "收费依据", "basis", required=True, width=30),
        _c(FeeItem, "可减免", "waivable", BOOL),
        _c(FeeItem, "减免依据", "waiver_basis"),
    ),
    "收费事项的收费项目；不收费的事项不填。",
)
FAQS = Sheet(
    "常见问题",
    "faqs",
    (
        CODE,
        _c(FrequentQuestion, "序号", "order", INT),
        _c(FrequentQuestion, "问题", "question", required=True, width=30),
        _c(FrequentQuestion, "解答", "answer", required=True, width=50),
    ),
    "行政许可事项至少一条。",
)
STEPS = Sheet(
    "办理流程",
    "procedure_steps",
    (
        CODE,
        _c(ProcedureStep, "序号", "order", INT),
        _c(ProcedureStep, "环节名称", "name", required=True),
        _c(ProcedureStep, "环节说明", "description", width=40),
        _c(ProcedureStep, "环节时限", "limit_note"),
    ),
    "按办理先后顺序；行政许可事项须有受理、审核、审批、办结、送达五个环节。",
)
SPECIAL = Sheet(
    "特殊环节",
    "special_steps",
    (
        CODE,
        _c(SpecialStep, "环节名称", "name", required=True),
        _c(SpecialStep, "所需时限", "limit_value", INT, required=True),
        _c(
            SpecialStep,
            "时限单位",
            "limit_unit",
            CHOICE,
            required=True,
            choices=_choices(LimitUnit),
        ),
        _c(SpecialStep, "法定依据", "basis"),
        _c(SpecialStep, "是否收费", "charged", BOOL),
        _c(SpecialStep, "收费依据", "fee_basis"),
        _c(SpecialStep, "计算在法定办结时限内", "counts_in_limit", BOOL),
    ),
    "听证、检验、检测、鉴定、专家评审、公示等，默认不计算在法定办结时限内（行政许可法第四十五条）。",
)
HANDLING = Sheet(
    "业务办理项",
    "handling_items",
    (
        CODE,
        _c(HandlingItem, "业务办理项编码", "code", required=True, width=40),
        _c(HandlingItem, "名称", "name", required=True, width=30),
        _c(HandlingItem, "类别", "kind", CHOICE, required=True, choices=_choices(HandlingKind)),
    ),
    "新办、变更、延续、注销等业务办理项。",
)

SHEETS: tuple[Sheet, ...] = (ITEMS, MATERIALS, FEES, FAQS, STEPS, SPECIAL, HANDLING)
CHILD_SHEETS: tuple[Sheet, ...] = SHEETS[1:]
INSTRUCTIONS_TITLE = "说明"
