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
    LimitUnit,
    OnlineDepth,
    ResultType,
)
from yiwang.catalog.services.imports import ItemEntry, Row
from yiwang.project.demo.catalogue.children import (
    Visits,
    faq_rows,
    handling_rows,
    materials_rows,
    procedure_rows,
)
from yiwang.project.demo.catalogue.families import Family, Limit
from yiwang.project.demo.catalogue.materials import LICENCE_TYPES
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
        "materials": materials_rows(family, rng, law),
        "faqs": faq_rows(name, statutory, promised, visits, fees, family.for_persons, rng),
        "procedure_steps": procedure_rows(family.prefix, promised, bool(family.result)),
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
        "handling_items": handling_rows(family, code, name),
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
