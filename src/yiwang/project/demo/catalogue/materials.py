"""Materials the demo guides ask for, and the electronic licence types that replace them.

A material named in a family's list (`families_*.py`) is looked up here; one that is not here is
something the applicant prepares (申请人自备), on paper and electronically. The licence type codes
(`ID_CARD`, `BUSINESS_LICENCE` …) are the ones the licence library will define; a valid licence of
one of them on file replaces the upload (DOMAIN §3.5), so each appears in `LICENCE_TYPES` with the
body that issues it. Huai'an never asks again for 19 licence types; the demo has as many.
"""

from __future__ import annotations

from dataclasses import dataclass

# code → (name, issuing body)
LICENCE_TYPES: dict[str, tuple[str, str]] = {
    "ID_CARD": ("居民身份证", "公安机关"),
    "HOUSEHOLD_REGISTER": ("居民户口簿", "公安机关"),
    "RESIDENCE_PERMIT": ("居住证", "公安机关"),
    "BUSINESS_LICENCE": ("营业执照", "市场监督管理部门"),
    "FOOD_BUSINESS_LICENCE": ("食品经营许可证", "市场监督管理部门"),
    "MARRIAGE_CERT": ("结婚证", "婚姻登记机关"),
    "DIVORCE_CERT": ("离婚证", "婚姻登记机关"),
    "BIRTH_MEDICAL_CERT": ("出生医学证明", "卫生健康部门"),
    "DEATH_MEDICAL_CERT": ("居民死亡医学证明（推断）书", "卫生健康部门"),
    "CREMATION_CERT": ("火化证明", "殡仪馆"),
    "REAL_ESTATE_CERT": ("不动产权证书", "不动产登记机构"),
    "SOCIAL_SECURITY_CARD": ("社会保障卡", "人力资源和社会保障部门"),
    "DRIVING_LICENCE": ("机动车驾驶证", "公安机关交通管理部门"),
    "VEHICLE_LICENCE": ("机动车行驶证", "公安机关交通管理部门"),
    "DISABILITY_CERT": ("中华人民共和国残疾人证", "残疾人联合会"),
    "EMPLOYMENT_CERT": ("就业创业证", "人力资源和社会保障部门"),
    "VETERAN_CERT": ("退出现役证明", "退役军人事务部门"),
    "GRADUATION_CERT": ("毕业证书", "教育行政部门"),
    "CONSTRUCTION_LAND_PERMIT": ("建设用地规划许可证", "自然资源主管部门"),
    "CONSTRUCTION_PLANNING_PERMIT": ("建设工程规划许可证", "自然资源主管部门"),
    "CONSTRUCTION_PERMIT": ("建筑工程施工许可证", "住房和城乡建设主管部门"),
    "PRACTISING_PHYSICIAN_CERT": ("医师执业证书", "卫生健康部门"),
    "MEDICAL_INSTITUTION_LICENCE": ("医疗机构执业许可证", "卫生健康部门"),
    "ROAD_TRANSPORT_PERMIT": ("道路运输经营许可证", "交通运输主管部门"),
}


@dataclass(frozen=True)
class MaterialInfo:
    licence_types: tuple[str, ...] = ()
    government_issued: bool = False
    issuing_body: str = ""
    data_share_source: str = ""
    copy: bool = False  # a copy is enough (the original is only shown)
    paper_spec: str = "A4"


def _licence(code: str, *, share: str = "", copy: bool = False) -> MaterialInfo:
    _, body = LICENCE_TYPES[code]
    return MaterialInfo((code,), True, body, share, copy)


def _either() -> MaterialInfo:
    return MaterialInfo(("ID_CARD", "BUSINESS_LICENCE"), True, "公安机关、市场监督管理部门")


# Materials the city issues or already holds: a licence on file or shared data replaces them.
KNOWN_MATERIALS: dict[str, MaterialInfo] = {
    "居民身份证": _licence("ID_CARD", share="人口基础信息库"),
    "申请人居民身份证": _licence("ID_CARD", share="人口基础信息库"),
    "双方居民身份证": _licence("ID_CARD", share="人口基础信息库"),
    "父母双方居民身份证": _licence("ID_CARD", share="人口基础信息库"),
    "法定代表人身份证件": _licence("ID_CARD", copy=True),
    "经办人身份证件": _licence("ID_CARD"),
    "负责人身份证件": _licence("ID_CARD", copy=True),
    "经营者身份证件": _licence("ID_CARD", copy=True),
    "申报人居民身份证": _licence("ID_CARD"),
    "居民户口簿": _licence("HOUSEHOLD_REGISTER", share="人口基础信息库"),
    "父母双方居民户口簿": _licence("HOUSEHOLD_REGISTER", share="人口基础信息库"),
    "死者居民户口簿": _licence("HOUSEHOLD_REGISTER"),
    "居住证": _licence("RESIDENCE_PERMIT"),
    "营业执照": _licence("BUSINESS_LICENCE", share="市场主体登记信息", copy=True),
    "食品经营许可证": _licence("FOOD_BUSINESS_LICENCE", copy=True),
    "结婚证": _licence("MARRIAGE_CERT", share="婚姻登记信息"),
    "父母结婚证": _licence("MARRIAGE_CERT", share="婚姻登记信息"),
    "离婚证": _licence("DIVORCE_CERT"),
    "出生医学证明": _licence("BIRTH_MEDICAL_CERT", share="出生医学证明信息"),
    "居民死亡医学证明（推断）书": _licence("DEATH_MEDICAL_CERT", share="死亡医学证明信息"),
    "火化证明": _licence("CREMATION_CERT", share="殡葬服务信息"),
    "不动产权证书": _licence("REAL_ESTATE_CERT", share="不动产登记信息"),
    "社会保障卡": _licence("SOCIAL_SECURITY_CARD"),
    "机动车驾驶证": _licence("DRIVING_LICENCE"),
    "机动车行驶证": _licence("VEHICLE_LICENCE"),
    "残疾人证": _licence("DISABILITY_CERT", share="残疾人基础信息"),
    "就业创业证": _licence("EMPLOYMENT_CERT", share="就业失业登记信息"),
    "退出现役证明": _licence("VETERAN_CERT"),
    "毕业证书": _licence("GRADUATION_CERT", share="学历信息"),
    "建设用地规划许可证": _licence("CONSTRUCTION_LAND_PERMIT", copy=True),
    "建设工程规划许可证": _licence("CONSTRUCTION_PLANNING_PERMIT", copy=True),
    "建筑工程施工许可证": _licence("CONSTRUCTION_PERMIT", copy=True),
    "医师执业证书": _licence("PRACTISING_PHYSICIAN_CERT", copy=True),
    "医疗机构执业许可证": _licence("MEDICAL_INSTITUTION_LICENCE", copy=True),
    "道路运输经营许可证": _licence("ROAD_TRANSPORT_PERMIT", copy=True),
    # A person's ID card or an organisation's business licence, whichever applies.
    "申请人身份证明": _either(),
    "查询人身份证明": _either(),
    "机动车所有人身份证明": _either(),
    "所有人身份证明": _either(),
    # Issued by a government body without a licence type of its own (yet).
    "户籍证明": MaterialInfo((), True, "公安机关", "人口基础信息库"),
    "社会保险参保缴费证明": MaterialInfo((), True, "社会保险经办机构", "社会保险参保信息"),
    "住房公积金缴存证明": MaterialInfo((), True, "住房公积金管理中心", "住房公积金缴存信息"),
    "不动产登记信息查询结果": MaterialInfo((), True, "不动产登记机构", "不动产登记信息"),
    "完税凭证": MaterialInfo((), True, "税务机关", "税务登记及纳税信息"),
    "医学诊断证明": MaterialInfo((), True, "二级以上医疗机构"),
    "法院判决书或调解书": MaterialInfo((), True, "人民法院", copy=True),
}


# A material named after a licence (“家庭成员居民身份证”, “居民身份证或营业执照”) accepts it.
_ENDINGS: tuple[tuple[str, str], ...] = (
    ("居民身份证", "ID_CARD"),
    ("身份证件", "ID_CARD"),
    ("身份证明", "ID_CARD"),
    ("户口簿", "HOUSEHOLD_REGISTER"),
    ("营业执照", "BUSINESS_LICENCE"),
    ("结婚证", "MARRIAGE_CERT"),
    ("不动产权证书", "REAL_ESTATE_CERT"),
    ("出生医学证明", "BIRTH_MEDICAL_CERT"),
    ("残疾人证", "DISABILITY_CERT"),
    ("社会保障卡", "SOCIAL_SECURITY_CARD"),
    ("机动车驾驶证", "DRIVING_LICENCE"),
    ("机动车行驶证", "VEHICLE_LICENCE"),
    ("退出现役证明", "VETERAN_CERT"),
    ("就业创业证", "EMPLOYMENT_CERT"),
    ("医疗机构执业许可证", "MEDICAL_INSTITUTION_LICENCE"),
)


def material_info(name: str) -> MaterialInfo:
    known = KNOWN_MATERIALS.get(name)
    if known is not None:
        return known
    codes = tuple(
        dict.fromkeys(
            code
            for part in name.replace("和", "或").split("或")
            for ending, code in _ENDINGS
            if part.endswith(ending)
        )
    )
    if not codes:
        return MaterialInfo()
    return MaterialInfo(codes, True, "、".join(dict.fromkeys(LICENCE_TYPES[c][1] for c in codes)))


def licence_type_name(code: str) -> str:
    return LICENCE_TYPES[code][0]
