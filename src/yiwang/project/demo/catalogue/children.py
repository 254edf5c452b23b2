"""The child rows of a demo guide: materials, procedure steps, FAQs, business handling items."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from yiwang.catalog.models import (
    HandlingKind,
    LimitUnit,
    MaterialForm,
    MaterialNecessity,
    MaterialSource,
)
from yiwang.catalog.services.imports import Row
from yiwang.project.demo.catalogue.families import Family, Limit, Material
from yiwang.project.demo.catalogue.files import form_path, is_form
from yiwang.project.demo.catalogue.materials import material_info

_WD, _CD = LimitUnit.WORKING_DAY, LimitUnit.CALENDAR_DAY


@dataclass(frozen=True)
class Visits:
    count: int
    reason: str
    depth: int
    courier: bool


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


def materials_rows(family: Family, rng: random.Random, basis_law: str) -> list[Row]:
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


def procedure_rows(prefix: str, promised: Limit, has_result: bool) -> list[Row]:
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


def faq_rows(
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


def handling_rows(family: Family, code: str, name: str) -> list[Row]:
    rows: list[Row] = []
    for index, label in enumerate(family.handling, start=1):
        kind = next(
            (k for k, words in _HANDLING_KINDS.items() if any(w in label for w in words)),
            HandlingKind.OTHER,
        )
        rows.append({"code": f"{code[:-2]}{index:02d}", "name": f"{name}（{label}）", "kind": kind})
    return rows
