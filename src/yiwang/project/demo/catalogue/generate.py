"""From item families to import entries: every guide field of every demo item, deterministic.

Which counties implement an item, how many visits it takes, how deep it is online and what it
promises are drawn from a generator of the item's own (seeded by the demo seed and its
implementation code), so an item's guide does not change when others are added or left out.
Visit counts follow the seeds: about 37% of items need no visit (Huai'an 36.8% 不见面) and
about 92% at most one (Fuzhou 92.25%).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from yiwang.catalog import workflow
from yiwang.catalog.models import (
    AnywhereScope,
    BodyNature,
    CaseType,
    ExerciseLevel,
    HandlingKind,
    LimitUnit,
    MaterialForm,
    MaterialNecessity,
    MaterialSource,
    OnlineDepth,
    ResultType,
)
from yiwang.catalog.services.imports import ItemEntry, Row
from yiwang.project.demo.catalogue.families import Family, Limit, Material
from yiwang.project.demo.catalogue.files import form_path, is_form
from yiwang.project.demo.catalogue.materials import LICENCE_TYPES, material_info
from yiwang.project.demo.catalogue.texts import (
    ALIASES,
    FEES,
    POPULAR,
    SPECIAL_STEPS,
    conditions_for,
    first_law,
)
from yiwang.project.demo.catalogue.themes import ALL_THEMES, ThemeSpec

COMPLAINT_PHONE = "12345"
_WD, _CD = LimitUnit.WORKING_DAY, LimitUnit.CALENDAR_DAY
_POWER_PREFIXES = {"XK", "ZS", "JF", "QR", "JL", "CJ", "QT"}
_STANDARD_LIMITS = (5, 10, 15, 20, 30, 45, 60)
# Items handled anywhere in the country or across provinces (国办发〔2020〕35号 and later lists).
_ACROSS_PROVINCES = (
    "居民身份证到期换领",
    "居民身份证损坏换领",
    "居民身份证丢失补领",
    "内地居民结婚登记",
    "社会保障卡",
    "异地就医备案",
    "普通护照",
    "往来港澳通行证",
    "大陆居民往来台湾通行证",
    "机动车驾驶证期满换证",
    "基本养老保险关系转移接续",
    "住房公积金异地转移接续",
    "个体工商户登记",
    "户籍证明开具",
    "失业登记",
    "就业创业证申领",
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split("、"))


_HANDLING_KINDS = {
    HandlingKind.NEW: _words(
        "新办、新建、首次、申领、登记、设立、认定、核发、申请、开户、报到、备案、转入"
    ),
    HandlingKind.CHANGE: _words("变更、调整、改派、改建、扩建"),
    HandlingKind.RENEWAL: _words(
        "延续、换发、换证、延期、校验、复审、复查、重新报批、补发、补证、补领、补办"
    ),
    HandlingKind.CANCELLATION: _words("注销、撤销、撤回、销户、转出"),
}


@dataclass(frozen=True)
class Slot:
    """Where one item is implemented: by which department, in which region, at which level."""

    department: str  # department key
    uscc: str
    department_name: str
    department_kind: str
    phone: str
    region_code: str
    level: str
    address: str
    office_hours: str
    delegated_from_code: str = ""
    delegated_from_department: str = ""


@dataclass(frozen=True)
class Built:
    entry: ItemEntry
    name: str
    family: Family


def implementation_code(basic_code: str, slot_region: str, uscc: str) -> str:
    """GB/T 39554.1: basic code, 12-digit region, segment, implementing body's USCC, suffix."""
    return f"{basic_code}-{slot_region.ljust(12, '0')}-000-{uscc}-1-00"


def _item_rng(seed: int, code: str) -> random.Random:
    return random.Random(f"{seed}:catalog:{code}")


# --- Limits, visits, depth ------------------------------------------------------------------------


def _limits(family: Family, rng: random.Random) -> tuple[Limit | None, Limit]:
    statutory = family.statutory if family.statutory_given else None
    if not family.statutory_given and family.prefix == "XK":
        statutory = Limit(20)
    promised = family.promised
    if promised is None:
        if family.prefix == "XK":
            top = statutory.value if statutory is not None else 20
            choices = [v for v in (1, 2, 3, 5, 7, 10) if v <= max(1, top // 2)] or [1]
            promised = Limit(rng.choice(choices), statutory.unit if statutory else _WD)
        elif family.prefix in ("QR", "QT", "GG"):
            promised = Limit(rng.choices((0, 1, 3, 5), weights=(45, 20, 20, 15))[0])
        elif family.prefix == "JF":
            promised = Limit(rng.choice((5, 7, 10, 15)))
        else:
            promised = Limit(rng.choice((10, 15, 20)))
        if statutory is not None and promised.value > statutory.value:
            promised = Limit(statutory.value, statutory.unit)
    if statutory is None and family.prefix in _POWER_PREFIXES:
        if promised.value == 0:
            statutory = Limit(0, promised.unit)
        else:
            fitting = [v for v in _STANDARD_LIMITS if v >= promised.value]
            statutory = Limit(fitting[0] if fitting else promised.value, promised.unit)
    return statutory, promised


@dataclass(frozen=True)
class Visits:
    count: int
    reason: str
    depth: int
    courier: bool


_REASONS_ONE = (
    "需核验申请材料原件",
    "需申请人本人到场签字确认",
    "需现场核验身份信息",
)


def _visits(family: Family, rng: random.Random, has_result: bool) -> Visits:
    if family.onsite_reason:
        count, reason = family.onsite_visits, family.onsite_reason
    else:
        draw = rng.random()
        count = 0 if draw < 0.41 else (1 if draw < 0.94 else 2)
        reason = ""
        if count == 1:
            place = any("场所" in m.name or "平面图" in m.name for m in family.materials)
            if family.prefix == "XK" and place and rng.random() < 0.5:
                reason = "需现场核查经营场所是否符合条件"
            elif has_result and rng.random() < 0.25:
                reason = "需现场领取纸质证照"
            else:
                reason = rng.choice(_REASONS_ONE)
        elif count == 2:
            reason = "需提交纸质材料并核验原件，领取结果需再次到场"
    if count == 0:
        depth = OnlineDepth.FULLY_ONLINE if rng.random() < 0.8 else OnlineDepth.PREVIEW
    elif count == 1:
        depth = OnlineDepth.PREVIEW if rng.random() < 0.7 else OnlineDepth.FORMS
    else:
        depth = OnlineDepth.FORMS if rng.random() < 0.6 else OnlineDepth.INFORMATION
    courier = (count == 0 and depth != OnlineDepth.FULLY_ONLINE) or (
        has_result and rng.random() < 0.5
    )
    return Visits(count, reason, int(depth), courier)


_DEPTH_CODES = {1: "1", 2: "1^2", 3: "1^2^3", 4: "1^2^3^4^5^6"}


# --- Children -------------------------------------------------------------------------------------


def _materials(family: Family, rng: random.Random, basis_law: str) -> list[Row]:
    materials = list(family.materials)
    if family.for_organisations and not family.for_persons:
        names = {m.name for m in materials}
        if "经办人身份证件" not in names:
            materials.append(Material("经办人身份证件"))
        materials.append(Material("授权委托书", situation="委托代理人办理的"))
    rows: list[Row] = []
    for order, material in enumerate(materials, start=1):
        info = material_info(material.name)
        necessity = MaterialNecessity.REQUIRED
        if material.optional:
            necessity = MaterialNecessity.OPTIONAL
        elif material.tolerated:
            necessity = MaterialNecessity.TOLERATED
        form = MaterialForm.BOTH
        if info.licence_types and rng.random() < 0.3:
            form = MaterialForm.ELECTRONIC
        if is_form(material.name):
            instructions = "可在线填写，或下载空白表格按填表说明如实填写后签字（盖章）"
            standard = "内容完整、填写规范、签字（盖章）齐全"
        elif info.licence_types:
            instructions = "已有有效电子证照的，在线申报时可一键调用，无需上传"
            standard = "证件在有效期内，信息清晰完整"
        else:
            instructions = ""
            standard = "材料真实、完整、清晰"
        rows.append(
            {
                "order": order,
                "name": material.name,
                "original_or_copy": "copy" if info.copy else "original",
                "form": form,
                "paper_spec": info.paper_spec,
                "originals": 0 if info.copy else 1,
                "copies": 1 if info.copy else 0,
                "necessity": necessity,
                "source": (
                    MaterialSource.GOVERNMENT
                    if info.government_issued
                    else MaterialSource.APPLICANT
                ),
                "source_note": (
                    f"可通过{info.data_share_source}共享获取" if info.data_share_source else ""
                ),
                "issuing_body": info.issuing_body,
                "instructions": instructions,
                "acceptance_standard": standard,
                "basis": basis_law,
                "situations": material.situation,
                "accepted_licence_types": list(info.licence_types),
                "data_share_source": info.data_share_source,
                "blank_form": form_path(material.name) if is_form(material.name) else "",
            }
        )
    return rows


def _procedure(prefix: str, promised: Limit, has_result: bool) -> list[Row]:
    unit = "个工作日" if promised.unit == _WD else "个自然日"
    days = promised.value
    if prefix == "XK":
        review = max(days - 2, 0)
        steps = [
            (
                "受理",
                "窗口或网上受理：材料齐全、符合法定形式的当场受理；"
                "不齐全的一次性告知需要补正的全部内容",
                "当场或5个工作日内",
            ),
            (
                "审核",
                "审查申请材料，需要现场核查的组织核查",
                f"{review}{unit}" if review else "当场",
            ),
            (
                "审批",
                "作出准予或不予行政许可的决定；不予许可的书面说明理由，"
                "并告知申请行政复议或提起行政诉讼的权利",
                "1个工作日" if days else "当场",
            ),
            ("办结", "制作并签发许可证件或决定文书", "当场"),
            ("送达", "窗口领取、邮寄送达或推送电子证照", "作出决定之日起10个工作日内"),
        ]
    elif days == 0:
        steps = [
            ("受理", "窗口或网上受理，材料齐全、符合法定形式的当场受理", "当场"),
            ("审核", "当场审核申请材料", "当场"),
            ("办结", "当场办结", "当场"),
        ]
    else:
        steps = [
            ("受理", "窗口或网上受理；材料不齐全的一次性告知需要补正的全部内容", "1个工作日"),
            ("审核", "审查申请材料，必要时核实有关情况", f"{max(days - 1, 1)}{unit}"),
            ("办结", "作出办理决定", f"{days}{unit}内"),
        ]
    if has_result and prefix != "XK":
        steps.append(("送达", "窗口领取、邮寄送达或推送电子证照", "办结后"))
    return [
        {"order": i, "name": name, "description": text, "limit_note": note}
        for i, (name, text, note) in enumerate(steps, start=1)
    ]


def _faqs(
    name: str,
    statutory: Limit | None,
    promised: Limit,
    visits: Visits,
    fees: tuple[Any, ...],
    for_persons: bool,
    rng: random.Random,
) -> list[Row]:
    unit: dict[str, str] = {_WD: "个工作日", _CD: "个自然日"}
    if promised.value == 0:
        answer = "材料齐全、符合法定形式的，当场办结（即办件）。"
    else:
        answer = f"承诺自受理之日起{promised.value}{unit.get(promised.unit, '个工作日')}内办结"
        if statutory is not None and statutory.value:
            answer += f"（法定办结时限为{statutory.value}{unit.get(statutory.unit, '个工作日')}）"
        answer += "；特别程序（如专家评审、公示）所需时间不计算在内。"
    faqs = [(f"办理{name}需要多长时间？", answer)]
    online = {
        4: "可以全程网上办理，无需到现场：在“一网通办”平台实名登录后在线申报，"
        "结果通过电子证照或邮寄送达。",
        3: "可以在网上申请和预审，预审通过后到窗口核验，最多跑一次。",
        2: "可以在网上下载表格、预约办理，申请材料需到窗口提交。",
        1: "目前需到窗口办理，可先在网上查看办事指南、准备材料。",
    }
    faqs.append((f"{name}可以在网上办理吗？", online[visits.depth]))
    if fees:
        standards = "；".join(f"{fee.name}{fee.standard}" for fee in fees)
        faqs.append((f"办理{name}收费吗？", f"收费：{standards}。收费依据：{fees[0].basis}。"))
    elif rng.random() < 0.5:
        faqs.append((f"办理{name}收费吗？", "不收费。"))
    if for_persons and "本人" not in visits.reason and "双方" not in visits.reason:
        faqs.append(
            (
                "可以委托他人代办吗？",
                "可以。代办人须携带本人有效身份证件原件和申请人签名的授权委托书。",
            )
        )
    return [{"order": i, "question": q, "answer": a} for i, (q, a) in enumerate(faqs, start=1)]


def _handling(family: Family, code: str, name: str) -> list[Row]:
    rows: list[Row] = []
    for index, label in enumerate(family.handling, start=1):
        kind = next(
            (k for k, words in _HANDLING_KINDS.items() if any(w in label for w in words)),
            HandlingKind.OTHER,
        )
        rows.append({"code": f"{code[:-2]}{index:02d}", "name": f"{name}（{label}）", "kind": kind})
    return rows


# --- Themes ---------------------------------------------------------------------------------------


def theme_codes(name: str, objects: tuple[str, ...]) -> list[str]:
    person = workflow.SERVICE_OBJECT_PERSON in objects
    legal = bool(set(objects) & workflow.LEGAL_PERSON_OBJECTS)
    codes = []
    for theme in ALL_THEMES:
        if theme.audience == workflow.AUDIENCE_PERSON and not person:
            continue
        if theme.audience == workflow.AUDIENCE_ENTERPRISE and not legal:
            continue
        if _in_theme(theme, name):
            codes.append(theme.code)
    return codes


def _in_theme(theme: ThemeSpec, name: str) -> bool:
    if theme.items:
        return name in theme.items
    return any(word in name for word in theme.words)


# --- One item -------------------------------------------------------------------------------------


def _result_type(result: str) -> str:
    expected = workflow.expected_result_type(result)
    if expected is not None:
        return expected
    if result.endswith("证书"):
        return ResultType.CERTIFICATE
    if result.endswith(("书", "函", "单", "表", "通知")):
        return ResultType.DOCUMENT
    return ResultType.OTHER


_LICENCE_BY_NAME = {name: code for code, (name, _) in LICENCE_TYPES.items()}


def build_item(
    *,
    seed: int,
    family: Family,
    name: str,
    basic_code: str,
    slot: Slot,
    sample_path: Callable[[str], str],
    core: bool,
    basic_parent_code: str = "",
) -> Built:
    code = implementation_code(basic_code, slot.region_code, slot.uscc)
    rng = _item_rng(seed, code)
    statutory, promised = _limits(family, rng)
    visits = _visits(family, rng, bool(family.result))
    fees = FEES.get(name, ())
    law = first_law(family.basis)
    forms = ["1"]
    if visits.depth >= OnlineDepth.FORMS:
        forms.append("2")
    if visits.depth >= OnlineDepth.PREVIEW and rng.random() < 0.85:
        forms.append("3")
    if visits.courier:
        forms.append("4")
    nature = BodyNature.STATUTORY
    if slot.delegated_from_code:
        nature = BodyNature.ENTRUSTED
    elif slot.department_kind == "institution":
        nature = BodyNature.AUTHORISED
    elif slot.department_kind == "public_utility":
        nature = BodyNature.OTHER
    anywhere = AnywhereScope.NONE
    if any(word in name for word in _ACROSS_PROVINCES):
        anywhere = AnywhereScope.CROSS_PROVINCE
    elif visits.depth >= OnlineDepth.PREVIEW and rng.random() < 0.35:
        anywhere = (
            AnywhereScope.CITY if slot.level == ExerciseLevel.CITY else AnywhereScope.CROSS_COUNTY
        )
    extension = family.prefix == "XK" and statutory is not None and statutory.unit == _WD
    extension = extension and statutory is not None and statutory.value >= 20
    special = SPECIAL_STEPS.get(family.base_name, ()) or SPECIAL_STEPS.get(name, ())
    aliases = ALIASES.get(family.name) or ALIASES.get(family.base_name) or ALIASES.get(name, "")
    if name in POPULAR:
        popularity = rng.randint(5_000, 20_000)
    elif core:
        popularity = rng.randint(1_000, 5_000)
    else:
        popularity = int(rng.paretovariate(1.5) * 40)
    if slot.level != ExerciseLevel.CITY:
        popularity //= 3
    guide: dict[str, Any] = {
        "name": name,
        "aliases": aliases[:300],
        "item_type": family.item_type,
        "legal_basis": family.basis,
        "exercise_content": f"依据{law}，{slot.department_name}实施{name}。",
        "body_nature": nature,
        "entrusted_department": slot.delegated_from_department,
        "case_type": CaseType.IMMEDIATE if promised.value == 0 else CaseType.PROMISED,
        "statutory_limit_value": statutory.value if statutory is not None else None,
        "statutory_limit_unit": statutory.unit if statutory is not None else "",
        "statutory_limit_note": (
            ""
            if statutory is None
            else ("法律规定当场办结" if statutory.value == 0 else "自受理之日起计算")
        ),
        "promised_limit_value": promised.value,
        "promised_limit_unit": promised.unit,
        "promised_limit_note": "即办"
        if promised.value == 0
        else ("不含特别程序时间" if special else ""),
        "extension_allowed": extension,
        "extension_max_working_days": 10 if extension else 0,
        "conditions": conditions_for(
            name=name,
            base_name=family.base_name,
            prefix=family.prefix,
            for_persons=family.for_persons and not family.for_organisations,
            basis=family.basis,
        ),
        "quantity_limit": "无数量限制",
        "handling_forms": forms,
        "visit_count": visits.count,
        "onsite_reason": visits.reason,
        "online_depth": visits.depth,
        "online_depth_codes": _DEPTH_CODES[visits.depth],
        "discretion_standard": "本事项无自由裁量权。" if family.prefix == "XK" else "",
        "service_objects": list(family.objects),
        "anywhere_scope": anywhere,
        "in_hall": True,
        "appointment_supported": visits.count > 0 and rng.random() < 0.7,
        "online_payment_supported": bool(fees),
        "courier_supported": visits.courier,
        "self_service_supported": family.for_persons and rng.random() < 0.25,
        "result_type": _result_type(family.result) if family.result else ResultType.OTHER,
        "result_name": family.result,
        "result_sample": sample_path(family.result) if family.result else "",
        "result_licence_type_code": _LICENCE_BY_NAME.get(family.result, ""),
        "charged": bool(fees),
        "fee_basis": "；".join(dict.fromkeys(fee.basis for fee in fees)),
        "address": slot.address,
        "office_hours": slot.office_hours,
        "consultation_phone": slot.phone,
        "complaint_phone": COMPLAINT_PHONE,
    }
    children: dict[str, list[Row]] = {
        "materials": _materials(family, rng, law),
        "faqs": _faqs(name, statutory, promised, visits, fees, family.for_persons, rng),
        "procedure_steps": _procedure(family.prefix, promised, bool(family.result)),
        "fees": [
            {
                "name": f.name,
                "standard": f.standard,
                "amount_yuan": f.amount,
                "basis": f.basis,
                "waivable": f.waivable,
                "waiver_basis": f.waiver_basis,
            }
            for f in fees
        ],
        "special_steps": [
            {
                "name": s.name,
                "limit_value": s.value,
                "limit_unit": s.unit,
                "basis": s.basis,
                "charged": False,
                "fee_basis": "",
                "counts_in_limit": False,
            }
            for s in special
        ],
        "handling_items": _handling(family, code, name),
    }
    entry = ItemEntry(
        implementation_code=code,
        basic_code=basic_code,
        department_uscc=slot.uscc,
        region_code=slot.region_code,
        exercise_level=slot.level,
        guide=guide,
        children=children,
        theme_codes=theme_codes(name, family.objects),
        delegated_from_code=slot.delegated_from_code,
        delegation_note=(
            f"由{slot.delegated_from_department}下放至{slot.department_name}办理"
            if slot.delegated_from_code
            else ""
        ),
        popularity=popularity,
        basic_name=name,
        basic_parent_code=basic_parent_code,
        basic_parent_name=family.base_name if basic_parent_code else "",
    )
    return Built(entry, name, family)
