"""Item families: one basic item (with its sub-items) of one city department, in one line.

The raw data (`families_business.py`, `families_people.py`) is one block of lines per department,
each line `类型|名称|子项|对象|层级|时限|依据|材料|结果|现场`:

- 类型: the basic-code prefix — XK 行政许可, QR 行政确认, JF 行政给付, ZS 行政征收, JL 行政奖励,
  CJ 行政裁决, QT 其他行政权力, GG 公共服务.
- 名称: the basic item's name. With sub-items, each sub-item is an item of its own, named
  `名称（子项）`, or, when the name holds a `*`, the name with the sub-item in its place
  (`居民身份证*` + `补领` → 居民身份证补领).
- 子项: sub-items separated by 、; a leading @ makes them business handling items (业务办理项:
  新办、变更、延续、注销) of one item instead.
- 对象 (A.4): 个 自然人 · 企 企业法人 · 事 事业法人 · 社 社会组织法人 · 机 行政机关 · 他 其他组织.
- 层级: where the item is implemented — 市 the city department, 县 each district and county (by
  the county's department of the same line, else its 行政审批局), 镇 delegated to the seat town's
  便民服务中心 (from the county item).
- 时限: `法定/承诺` in working days, `60CD/20CD` in calendar days, `-` no statutory limit, `即`
  immediate (即办), `*` drawn from the seed; empty: the default of the item type.
- 材料: separated by 、; `名称（……的）` applies in that situation only, a trailing ？ marks an
  optional material, a trailing ～ one that may follow after acceptance (容缺后补).
- 结果: the result's name (出证 when it ends in 证).
- 现场: why the applicant must come in person; `2:` in front for two visits. Empty: the visit
  count is drawn.

A `~` stands for a space (“《财政部~税务总局关于……》”), so that every line stays one word long
for the line-length check.
"""

from __future__ import annotations

from dataclasses import dataclass

from yiwang.catalog.models import ItemType, LimitUnit

TYPE_OF_PREFIX: dict[str, str] = {
    "XK": ItemType.LICENSING,
    "ZS": ItemType.LEVY,
    "JF": ItemType.BENEFIT,
    "QR": ItemType.CONFIRMATION,
    "JL": ItemType.REWARD,
    "CJ": ItemType.ADJUDICATION,
    "QT": ItemType.OTHER,
    "GG": ItemType.PUBLIC_SERVICE,
}
_OBJECTS = {"个": "1", "企": "2", "事": "3", "社": "4", "机": "5", "他": "6"}


@dataclass(frozen=True)
class Limit:
    value: int
    unit: str = LimitUnit.WORKING_DAY


@dataclass(frozen=True)
class Material:
    name: str
    situation: str = ""
    optional: bool = False
    tolerated: bool = False


@dataclass(frozen=True)
class Family:
    department: str  # city department key (`demo_department`)
    prefix: str
    name: str
    subs: tuple[str, ...]
    handling: tuple[str, ...]
    objects: tuple[str, ...]
    levels: str
    statutory: Limit | None
    promised: Limit | None  # None: drawn from the seed
    statutory_given: bool  # False: the type's default applies
    basis: str
    materials: tuple[Material, ...]
    result: str
    onsite_reason: str
    onsite_visits: int

    @property
    def item_type(self) -> str:
        return TYPE_OF_PREFIX[self.prefix]

    def item_names(self) -> list[str]:
        """The implementation items' names: one per sub-item, or the family's own."""
        if not self.subs:
            return [self.name]
        if "*" in self.name:
            return [self.name.replace("*", sub) for sub in self.subs]
        return [f"{self.name}（{sub}）" for sub in self.subs]

    @property
    def base_name(self) -> str:
        return self.name.replace("*", "")

    @property
    def for_persons(self) -> bool:
        return "1" in self.objects

    @property
    def for_organisations(self) -> bool:
        return any(code != "1" for code in self.objects)


def _limit(text: str) -> Limit | None:
    if text in ("", "-", "*"):
        return None
    if text == "即":
        return Limit(0)
    for unit in ("CD", "WD", "H", "M"):
        if text.endswith(unit):
            return Limit(int(text[: -len(unit)]), unit)
    return Limit(int(text))


def _material(text: str) -> Material:
    optional = text.endswith("？")
    tolerated = text.endswith("～")
    name = text.rstrip("？～")
    situation = ""
    if name.endswith("的）") and "（" in name:
        name, _, situation = name.partition("（")
        situation = situation[:-1]
    return Material(name=name, situation=situation, optional=optional, tolerated=tolerated)


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("、") if part.strip())


def _family(department: str, line: str) -> Family:
    fields = [field.strip().replace("~", " ") for field in line.split("|")]
    if len(fields) != 10:
        raise ValueError(f"{department}: expected 10 fields, got {len(fields)}: {line}")
    prefix, name, subs, objects, levels, limits, basis, materials, result, onsite = fields
    if prefix not in TYPE_OF_PREFIX:
        raise ValueError(f"{department}: unknown type {prefix!r}: {line}")
    handling = subs.startswith("@")
    statutory_text, _, promised_text = limits.partition("/")
    if limits == "即":
        statutory_text, promised_text = "", "即"
    visits, reason = 1, onsite
    if onsite[:2] == "2:":
        visits, reason = 2, onsite[2:]
    return Family(
        department=department,
        prefix=prefix,
        name=name,
        subs=() if handling else _split(subs),
        handling=_split(subs[1:]) if handling else (),
        objects=tuple(_OBJECTS[char] for char in objects),
        levels=levels,
        statutory=_limit(statutory_text),
        promised=_limit(promised_text),
        statutory_given=limits != "",
        basis=basis,
        materials=tuple(_material(part) for part in _split(materials)),
        result=result,
        onsite_reason=reason,
        onsite_visits=visits if reason else 0,
    )


def parse_families(blocks: dict[str, str]) -> list[Family]:
    """`{department key: lines}` → families, in the order written."""
    families: list[Family] = []
    for department, text in blocks.items():
        for line in text.strip().splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                families.append(_family(department, line))
    return families
