"""The licence types (证照类型) of the demo library: every type the demo catalogue refers to
(`catalogue/materials.py`, `LICENCE_TYPES`, same codes and names) and a few more that a city's
library holds (教师资格证书, 排污许可证 …).

Each type has a national type code as GB/T 36904 wants it: the defining authority's unified
social credit code followed by a three-digit sequence. The authorities' codes here are made with
the check characters of GB 32100 from a body derived from the authority's name, so they are
valid and stable, but they are not the ministries' real codes. Face fields carry the Chinese
labels printed on the licence; the holder's own name and code are not repeated in them (the
holder code is personal data, stored encrypted beside the face).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from yiwang.licences.models import LicenceType
from yiwang.licences.services import LicenceTypeData, licence_type_save
from yiwang.licences.workflow import HolderKind, ValidityRule
from yiwang.platform.validators import make_uscc

CITIZEN, ENTERPRISE = HolderKind.CITIZEN.value, HolderKind.ENTERPRISE.value
LONG, FIXED, STATED = (
    ValidityRule.LONG_TERM.value,
    ValidityRule.FIXED_YEARS.value,
    ValidityRule.STATED.value,
)


def authority_uscc(name: str) -> str:
    """A valid USCC for a national authority (机构编制 registration, 机关, region 100000)."""
    digest = hashlib.sha256(f"licence-authority:{name}".encode()).digest()
    return make_uscc("1", "1", "100000", f"{int.from_bytes(digest[:8], 'big') % 10**8:08d}")


# --- Face fields --------------------------------------------------------------------------------


def text(key: str, label: str, *, required: bool = True, max_length: int = 0) -> dict[str, Any]:
    field: dict[str, Any] = {"key": key, "label": label, "kind": "text", "required": required}
    if max_length:
        field["max_length"] = max_length
    return field


def day(key: str, label: str, *, required: bool = True) -> dict[str, Any]:
    return {"key": key, "label": label, "kind": "date", "required": required}


def number(key: str, label: str, *, required: bool = True) -> dict[str, Any]:
    return {"key": key, "label": label, "kind": "number", "required": required}


def choice(
    key: str, label: str, choices: tuple[str, ...], *, required: bool = True
) -> dict[str, Any]:
    return {
        "key": key,
        "label": label,
        "kind": "choice",
        "required": required,
        "choices": list(choices),
    }


GENDERS = ("男", "女")
RELATIONS = ("户主", "配偶", "子", "女", "父亲", "母亲", "其他")
BANKS = ("中国工商银行", "中国农业银行", "中国银行", "中国建设银行", "中国邮政储蓄银行")
DISABILITIES = ("视力", "听力", "言语", "肢体", "智力", "精神", "多重")
VEHICLE_CLASSES = ("C1", "C2", "B1", "B2", "A1", "A2", "D")
ENTITY_TYPES = (
    "有限责任公司（自然人投资或控股）",
    "有限责任公司（自然人独资）",
    "股份有限公司（非上市、自然人投资或控股）",
    "个人独资企业",
    "普通合伙企业",
)
FOOD_FORMATS = ("餐饮服务经营者", "食品销售经营者", "单位食堂")
EDUCATION_LEVELS = ("高中", "中等职业教育", "专科", "本科", "硕士研究生", "博士研究生")
SKILL_LEVELS = ("五级/初级工", "四级/中级工", "三级/高级工", "二级/技师", "一级/高级技师")
LAND_USES = ("城镇住宅用地", "商服用地", "工业用地", "公共管理与公共服务用地")
REAL_ESTATE_USES = ("城镇住宅用地/住宅", "商服用地/商业服务", "城镇住宅用地/车位")
OWNERSHIPS = ("单独所有", "共同共有", "按份共有")
TEACHING_LEVELS = ("幼儿园", "小学", "初级中学", "高级中学", "中等职业学校")
MEDICAL_KINDS = ("综合医院", "中医医院", "门诊部", "诊所", "口腔诊所")

_ADDRESS = text("address", "住址", max_length=100)
_LEGAL_REP = text("legal_representative", "法定代表人", max_length=50)
_PREMISES = text("premises", "经营场所", max_length=100)
_GENDER = choice("gender", "性别", GENDERS)
_BIRTH = day("birth_date", "出生日期")
_PROJECT = text("project_name", "项目名称", max_length=100)
_SITE = text("site", "建设位置", max_length=100)


@dataclass(frozen=True)
class TypeSpec:
    code: str
    name: str
    authority: str  # 定义机构
    sequence: int  # the authority's 3-digit type number
    holder_kind: str
    face: tuple[dict[str, Any], ...]
    validity: str = LONG
    years: int | None = None
    several: bool = False

    @property
    def type_code(self) -> str:
        return f"{authority_uscc(self.authority)}{self.sequence:03d}"

    def data(self) -> LicenceTypeData:
        return LicenceTypeData(
            code=self.code,
            type_code=self.type_code,
            name=self.name,
            defining_authority=self.authority,
            holder_kind=self.holder_kind,
            face_fields=[dict(f) for f in self.face],
            validity_rule=self.validity,
            validity_years=self.years,
            several_valid=self.several,
        )


MPS, MCA, SAMR, NHC = "公安部", "民政部", "国家市场监督管理总局", "国家卫生健康委员会"
MOHRSS, MNR, MOHURD, MOE = "人力资源和社会保障部", "自然资源部", "住房和城乡建设部", "教育部"

# fmt: off
TYPE_SPECS: tuple[TypeSpec, ...] = (
    # Citizens: the 公安 family
    TypeSpec("ID_CARD", "居民身份证", MPS, 1, CITIZEN,
             (_GENDER, text("ethnicity", "民族", max_length=10), _BIRTH, _ADDRESS),
             FIXED, 20),
    TypeSpec("HOUSEHOLD_REGISTER", "居民户口簿", MPS, 2, CITIZEN,
             (choice("household_type", "户别", ("家庭户", "集体户")),
              text("householder", "户主姓名", max_length=50),
              choice("relation", "与户主关系", RELATIONS),
              _GENDER, _BIRTH, text("native_place", "籍贯", max_length=50), _ADDRESS)),
    TypeSpec("RESIDENCE_PERMIT", "居住证", MPS, 3, CITIZEN,
             (_GENDER, _BIRTH, text("household_address", "户籍地址", max_length=100),
              text("residence_address", "居住地址", max_length=100)),
             FIXED, 1),
    TypeSpec("DRIVING_LICENCE", "机动车驾驶证", MPS, 4, CITIZEN,
             (_GENDER, text("nationality", "国籍", max_length=20), _BIRTH, _ADDRESS,
              day("first_issued_on", "初次领证日期"),
              choice("vehicle_class", "准驾车型", VEHICLE_CLASSES)),
             FIXED, 6),
    TypeSpec("VEHICLE_LICENCE", "机动车行驶证", MPS, 5, CITIZEN,
             (text("plate_number", "号牌号码", max_length=12),
              choice("vehicle_type", "车辆类型", ("小型普通客车", "小型轿车", "轻型厢式货车")),
              choice("use_character", "使用性质", ("非营运", "营运")),
              text("brand_model", "品牌型号", max_length=50),
              text("vin", "车辆识别代号", max_length=17),
              day("registered_on", "注册日期")),
             several=True),
    # Civil affairs, health
    TypeSpec("MARRIAGE_CERT", "结婚证", MCA, 1, CITIZEN,
             (text("spouse_name", "配偶姓名", max_length=50),
              text("spouse_nationality", "配偶国籍", max_length=20),
              day("registered_on", "登记日期"), text("remarks", "备注", required=False))),
    TypeSpec("DIVORCE_CERT", "离婚证", MCA, 2, CITIZEN,
             (text("former_spouse_name", "原配偶姓名", max_length=50),
              day("registered_on", "登记日期"), text("remarks", "备注", required=False))),
    TypeSpec("CREMATION_CERT", "火化证明", MCA, 3, CITIZEN,
             (day("cremated_on", "火化日期"), text("funeral_home", "殡仪馆", max_length=50))),
    TypeSpec("BIRTH_MEDICAL_CERT", "出生医学证明", NHC, 1, CITIZEN,
             (_GENDER, day("born_on", "出生日期"), text("birth_place", "出生地点", max_length=100),
              text("mother_name", "母亲姓名", max_length=50),
              text("father_name", "父亲姓名", max_length=50, required=False),
              text("institution", "接生机构名称", max_length=100))),
    TypeSpec("DEATH_MEDICAL_CERT", "居民死亡医学证明（推断）书", NHC, 2, CITIZEN,
             (day("died_on", "死亡日期"), text("place", "死亡地点", max_length=100),
              text("institution", "填报单位", max_length=100))),
    TypeSpec("PRACTISING_PHYSICIAN_CERT", "医师执业证书", NHC, 3, CITIZEN,
             (choice("physician_level", "医师级别", ("执业医师", "执业助理医师")),
              choice("practice_category", "执业类别", ("临床", "中医", "口腔", "公共卫生")),
              text("practice_scope", "执业范围", max_length=100),
              text("practice_place", "执业地点", max_length=100))),
    # Social security, employment, skills
    TypeSpec("SOCIAL_SECURITY_CARD", "社会保障卡", MOHRSS, 1, CITIZEN,
             (text("card_number", "社会保障卡卡号", max_length=9),
              choice("bank", "服务银行", BANKS),
              choice("generation", "卡片类型", ("第二代社会保障卡", "第三代社会保障卡"))),
             FIXED, 10),
    TypeSpec("EMPLOYMENT_CERT", "就业创业证", MOHRSS, 2, CITIZEN,
             (choice("employment_status", "就业失业状态", ("就业", "失业", "灵活就业")),
              day("registered_on", "登记日期"), text("registered_at", "登记地", max_length=50))),
    TypeSpec("VOCATIONAL_QUALIFICATION", "职业资格证书", MOHRSS, 3, CITIZEN,
             (text("occupation", "职业（工种）", max_length=50),
              choice("skill_level", "等级", SKILL_LEVELS), day("assessed_on", "评定日期")),
             several=True),
    TypeSpec("VETERAN_CERT", "退出现役证明", "退役军人事务部", 1, CITIZEN,
             (day("enlisted_on", "入伍时间"), day("discharged_on", "退出现役时间"),
              choice("placement", "安置方式", ("自主就业", "安排工作", "退休", "供养")))),
    TypeSpec("DISABILITY_CERT", "中华人民共和国残疾人证", "中国残疾人联合会", 1, CITIZEN,
             (choice("category", "残疾类别", DISABILITIES),
              choice("grade", "残疾等级", ("一级", "二级", "三级", "四级"))),
             FIXED, 10),
    TypeSpec("GRADUATION_CERT", "毕业证书", MOE, 1, CITIZEN,
             (text("school", "学校名称", max_length=100), text("major", "专业", max_length=50),
              choice("education_level", "层次", EDUCATION_LEVELS),
              day("enrolled_on", "入学日期"), day("graduated_on", "毕业日期")),
             several=True),
    TypeSpec("TEACHER_QUALIFICATION", "教师资格证书", MOE, 2, CITIZEN,
             (choice("teaching_level", "资格种类", TEACHING_LEVELS),
              text("subject", "任教学科", max_length=30)),
             several=True),
    # Housing
    TypeSpec("REAL_ESTATE_CERT", "不动产权证书", MNR, 1, CITIZEN,
             (choice("ownership", "共有情况", OWNERSHIPS),
              text("location", "坐落", max_length=100),
              text("unit_number", "不动产单元号", max_length=28),
              text("right_type", "权利类型", max_length=50),
              choice("usage", "用途", REAL_ESTATE_USES),
              number("area", "建筑面积（平方米）"),
              day("land_term_end", "土地使用期限至")),
             several=True),
    TypeSpec("HOUSING_FUND_CERT", "住房公积金缴存证明", MOHURD, 1, CITIZEN,
             (text("employer", "缴存单位", max_length=100),
              choice("account_status", "账户状态", ("正常", "封存")),
              number("monthly_amount", "月缴存额（元）"), day("first_paid_on", "初缴日期")),
             STATED),
    # Enterprises
    TypeSpec("BUSINESS_LICENCE", "营业执照", SAMR, 1, ENTERPRISE,
             (choice("entity_type", "类型", ENTITY_TYPES), _LEGAL_REP,
              number("registered_capital", "注册资本（万元）"), day("established_on", "成立日期"),
              text("business_term", "营业期限", max_length=40),
              text("residence", "住所", max_length=100),
              text("business_scope", "经营范围", max_length=1000))),
    TypeSpec("FOOD_BUSINESS_LICENCE", "食品经营许可证", SAMR, 2, ENTERPRISE,
             (_LEGAL_REP, _PREMISES, choice("main_format", "主体业态", FOOD_FORMATS),
              text("business_items", "经营项目", max_length=200),
              text("supervisor", "日常监督管理人员", max_length=50)),
             FIXED, 5, several=True),
    TypeSpec("DRUG_BUSINESS_LICENCE", "药品经营许可证", "国家药品监督管理局", 1, ENTERPRISE,
             (_LEGAL_REP, text("quality_manager", "质量负责人", max_length=50), _PREMISES,
              choice("business_mode", "经营方式", ("批发", "零售（连锁）", "零售")),
              text("business_scope", "经营范围", max_length=200)),
             FIXED, 5),
    TypeSpec("MEDICAL_INSTITUTION_LICENCE", "医疗机构执业许可证", NHC, 4, ENTERPRISE,
             (choice("institution_kind", "类别", MEDICAL_KINDS), _LEGAL_REP,
              text("principal", "主要负责人", max_length=50),
              text("address", "地址", max_length=100),
              text("clinical_subjects", "诊疗科目", max_length=200), number("beds", "床位（张）")),
             FIXED, 5, several=True),
    TypeSpec("PUBLIC_PLACE_HYGIENE_LICENCE", "公共场所卫生许可证", NHC, 5, ENTERPRISE,
             (_LEGAL_REP, _PREMISES, text("project", "许可项目", max_length=100)),
             FIXED, 4, several=True),
    TypeSpec("ROAD_TRANSPORT_PERMIT", "道路运输经营许可证", "交通运输部", 1, ENTERPRISE,
             (_LEGAL_REP, text("address", "地址", max_length=100),
              text("business_scope", "经营范围", max_length=200)),
             FIXED, 4),
    TypeSpec("CONSTRUCTION_LAND_PERMIT", "建设用地规划许可证", MNR, 2, ENTERPRISE,
             (_PROJECT, _SITE, choice("land_use", "用地性质", LAND_USES),
              number("land_area", "用地面积（平方米）")),
             several=True),
    TypeSpec("CONSTRUCTION_PLANNING_PERMIT", "建设工程规划许可证", MNR, 3, ENTERPRISE,
             (_PROJECT, _SITE, number("floor_area", "建设规模（平方米）")),
             several=True),
    TypeSpec("CONSTRUCTION_PERMIT", "建筑工程施工许可证", MOHURD, 2, ENTERPRISE,
             (_PROJECT, _SITE, number("floor_area", "建设规模（平方米）"),
              number("contract_price", "合同价格（万元）"),
              text("contractor", "施工单位", max_length=100),
              day("planned_start", "合同开工日期"), day("planned_end", "合同竣工日期")),
             several=True),
    TypeSpec("CONSTRUCTION_QUALIFICATION", "建筑业企业资质证书", MOHURD, 3, ENTERPRISE,
             (_LEGAL_REP, text("qualification", "资质类别及等级", max_length=200)),
             FIXED, 5),
    TypeSpec("SAFETY_PRODUCTION_LICENCE", "安全生产许可证", "应急管理部", 1, ENTERPRISE,
             (_LEGAL_REP, text("address", "单位地址", max_length=100),
              text("scope", "许可范围", max_length=200)),
             FIXED, 3),
    TypeSpec("POLLUTANT_DISCHARGE_PERMIT", "排污许可证", "生态环境部", 1, ENTERPRISE,
             (_LEGAL_REP, text("production_site", "生产经营场所地址", max_length=100),
              text("industry", "行业类别", max_length=50),
              choice("management", "管理类别", ("重点管理", "简化管理"))),
             FIXED, 5),
)
# fmt: on

SPECS_BY_CODE: dict[str, TypeSpec] = {spec.code: spec for spec in TYPE_SPECS}


def _differs(existing: LicenceType, data: LicenceTypeData) -> bool:
    have = (
        existing.type_code, existing.name, existing.defining_authority, existing.holder_kind,
        existing.face_fields, existing.validity_rule, existing.validity_years,
        existing.several_valid,
    )  # fmt: skip
    wanted = (
        data.type_code, data.name, data.defining_authority, data.holder_kind, data.face_fields,
        data.validity_rule, data.validity_years, data.several_valid,
    )  # fmt: skip
    return have != wanted


def load_licence_types() -> tuple[dict[str, LicenceType], int]:
    """Create the missing types and correct those that differ, through `licence_type_save`.
    Returns the types by code and how many were created."""
    existing = {t.code: t for t in LicenceType.objects.filter(code__in=SPECS_BY_CODE)}
    types: dict[str, LicenceType] = {}
    created = 0
    for spec in TYPE_SPECS:
        data = spec.data()
        found = existing.get(spec.code)
        if found is None or _differs(found, data):
            created += found is None
            found = licence_type_save(data=data, actor=None)
        types[spec.code] = found
    return types, created
