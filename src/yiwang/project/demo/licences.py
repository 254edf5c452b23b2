"""The demo licence library (电子证照库): the types of `licence_types.py` and ~7,000 licences held
by the sandbox population and enterprises, so that reuse ("已有电子证照，一键使用") shows up in
every application.

Who holds what follows the registry: ID cards for nearly everyone of 16 and over, household
registers for the city's own residents (couples share a household number), residence permits for
people from elsewhere, marriage certificates for couples paired from the population, birth
certificates for children born to them, business licences for every company and the permits
their line of business needs (食品经营许可证 for restaurants and food traders …). Each licence is
issued by the department that issues it in the city (the district police for ID cards, the
market regulator where the company is registered …) through `licences_issue_bulk`, which signs
every licence with the department's key like `licence_issue` does.

The demo accounts hold a known set (`DEMO_HOLDINGS` below): 张明华's ID card was renewed once (a
chain of two versions) and his driving licence expires within 30 days (the reminder goes out);
one restaurant's food business licence has been revoked by the market regulator's head.

Dates count back from the day of the load, so the library looks current whenever it is loaded;
printed numbers are drawn from the seed alone, and a licence is looked up by (type, holder,
number) before it is issued, so loading again adds nothing.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from yiwang.identity.models import StaffRole, User
from yiwang.licences.holders import Holder
from yiwang.licences.models import Licence, LicenceType
from yiwang.licences.services import (
    LicenceToIssue,
    licence_expiry_reminders_send,
    licence_issue,
    licence_status_change,
    licences_expire_due,
    licences_issue_bulk,
)
from yiwang.licences.workflow import HolderKind, LicenceStatus
from yiwang.org.models import Department
from yiwang.platform.services import SandboxEnterpriseData, SandboxPersonData
from yiwang.platform.validators import citizen_id_birth_date, citizen_id_is_male
from yiwang.project.demo.accounts import STAFF_USERNAMES
from yiwang.project.demo.context import DemoContext
from yiwang.project.demo.departments import build_departments
from yiwang.project.demo.enterprises import DEMO_ENTERPRISES, build_enterprises
from yiwang.project.demo.licence_types import (
    BANKS,
    ENTITY_TYPES,
    SKILL_LEVELS,
    SPECS_BY_CODE,
    load_licence_types,
)
from yiwang.project.demo.names import (
    DOTTED_NAME_REGION,
    LINES_OF_BUSINESS,
    STREET_NAMES,
    person_name,
)
from yiwang.project.demo.people import DEMO_PEOPLE, build_population
from yiwang.project.demo.regions import CITY_CODE, CITY_NAME, COUNTIES, County

COUNTY_BY_CODE: dict[str, County] = {county.code: county for county in COUNTIES}
# Where the residents from elsewhere (people.py) come from.
ELSEWHERE: dict[str, str] = {
    "350102": "福建省福州市鼓楼区", "350203": "福建省厦门市思明区", "350503": "福建省泉州市丰泽区",
    "350583": "福建省南安市", "360102": "江西省南昌市东湖区", "330106": "浙江省杭州市西湖区",
    "440106": "广东省广州市天河区", "430104": "湖南省长沙市岳麓区", "510107": "四川省成都市武侯区",
    "420106": "湖北省武汉市武昌区", "320106": "江苏省南京市鼓楼区", "370202": "山东省青岛市市南区",
    DOTTED_NAME_REGION: "新疆维吾尔自治区乌鲁木齐市天山区",
}  # fmt: skip
HOSPITALS = ("示范市第一医院", "示范市妇幼保健院", "示范市中医院")
SCHOOLS = (
    ("福州大学", "10386"),
    ("福建师范大学", "10394"),
    ("华侨大学", "10385"),
    ("集美大学", "10390"),
    ("闽江学院", "10395"),
    ("示范职业技术学院", "14192"),
)
MAJORS = (
    "计算机科学与技术",
    "会计学",
    "汉语言文学",
    "土木工程",
    "临床医学",
    "市场营销",
    "机械设计制造及其自动化",
    "护理学",
    "英语",
    "法学",
    "电子商务",
    "旅游管理",
)
OCCUPATIONS = (
    "电工",
    "焊工",
    "中式烹调师",
    "育婴员",
    "保育员",
    "养老护理员",
    "美发师",
    "汽车维修工",
    "茶艺师",
    "电子商务师",
)

CAR_MODELS = (
    "比亚迪 BYD7150",
    "大众 SVW7155",
    "丰田 TV7152",
    "吉利 MR7153",
    "长安 SC7164",
    "本田 HG7152",
    "五菱 LZW6445",
)
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
VIN_CHARACTERS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
REVOKE_REASON = "经查存在使用超过保质期食品原料加工食品等严重违法行为，依法吊销食品经营许可证。"

# What each line of business (names.py) needs besides its business licence: (type, share).
PERMITS_BY_LINE: dict[str, tuple[tuple[str, float], ...]] = {
    "餐饮管理": (("FOOD_BUSINESS_LICENCE", 0.95),),
    "食品": (("FOOD_BUSINESS_LICENCE", 0.9), ("POLLUTANT_DISCHARGE_PERMIT", 0.3)),
    "茶业": (("FOOD_BUSINESS_LICENCE", 0.8),),
    "水产": (("FOOD_BUSINESS_LICENCE", 0.8), ("POLLUTANT_DISCHARGE_PERMIT", 0.3)),
    "医药": (("DRUG_BUSINESS_LICENCE", 0.85), ("MEDICAL_INSTITUTION_LICENCE", 0.3)),
    "物流": (("ROAD_TRANSPORT_PERMIT", 0.9),),
    "汽车服务": (("ROAD_TRANSPORT_PERMIT", 0.4),),
    "建筑工程": (("CONSTRUCTION_QUALIFICATION", 0.9), ("SAFETY_PRODUCTION_LICENCE", 0.9)),
    "装饰工程": (("CONSTRUCTION_QUALIFICATION", 0.8), ("SAFETY_PRODUCTION_LICENCE", 0.8)),
    "旅游开发": (("PUBLIC_PLACE_HYGIENE_LICENCE", 0.7),),
    "机械制造": (("POLLUTANT_DISCHARGE_PERMIT", 0.7), ("SAFETY_PRODUCTION_LICENCE", 0.5)),
    "家具": (("POLLUTANT_DISCHARGE_PERMIT", 0.6),),
    "竹木制品": (("POLLUTANT_DISCHARGE_PERMIT", 0.6),),
    "服装": (("POLLUTANT_DISCHARGE_PERMIT", 0.3),),
    "电子科技": (("POLLUTANT_DISCHARGE_PERMIT", 0.4),),
}


# --- Dates --------------------------------------------------------------------------------------


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def between(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


# --- The plan -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    """One licence the demo wants: looked up by (type, holder, number), issued if missing."""

    type_code: str
    holder: Holder
    issuer_key: str  # a demo department key (departments.py)
    number: str
    face: dict[str, str]
    issued_on: date
    valid_from: date | None = None
    valid_to: date | None = None


@dataclass(frozen=True)
class Resident:
    name: str
    citizen_id: str
    birth: date
    male: bool
    region: str  # 6-digit code in the ID number

    @property
    def local(self) -> bool:
        return self.region in COUNTY_BY_CODE

    @property
    def holder(self) -> Holder:
        return Holder(HolderKind.CITIZEN, self.citizen_id, self.name)


def resident(person: SandboxPersonData) -> Resident:
    cid = person.citizen_id
    return Resident(person.name, cid, citizen_id_birth_date(cid), citizen_id_is_male(cid), cid[:6])


@dataclass
class Planner:
    rng: random.Random
    today: date
    planned: list[Planned] = field(default_factory=list)
    _sequences: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def next(self, counter: str) -> int:
        self._sequences[counter] += 1
        return self._sequences[counter]

    def add(
        self,
        type_code: str,
        holder: Holder,
        issuer_key: str,
        number: str,
        face: dict[str, str],
        issued_on: date,
        *,
        valid_from: date | None = None,
        valid_to: date | None = None,
    ) -> Planned:
        planned = Planned(
            type_code, holder, issuer_key, number, face, issued_on, valid_from, valid_to
        )
        self.planned.append(planned)
        return planned

    # Addresses and faces shared by several types ------------------------------------------

    def address(self, region: str | None = None) -> str:
        county = COUNTY_BY_CODE.get(region or "") or self.rng.choice(COUNTIES)
        town = self.rng.choice(county.towns)[1]
        street = self.rng.choice(STREET_NAMES)
        return f"{CITY_NAME}{county.name}{town}{street}{self.rng.randint(1, 299)}号"

    def home_address(self, person: Resident) -> str:
        if person.local:
            return self.address(person.region)
        place = ELSEWHERE.get(person.region, "福建省福州市鼓楼区")
        return f"{place}{self.rng.choice(STREET_NAMES)}{self.rng.randint(1, 299)}号"

    def police(self, person: Resident) -> str:
        # The district's or county's own police; people from elsewhere renew at the city bureau.
        return f"{person.region}:police" if person.local else "police"

    def person_face(self, person: Resident, address: str) -> dict[str, str]:
        return {
            "gender": "男" if person.male else "女",
            "birth_date": person.birth.isoformat(),
            "address": address,
        }

    # Citizens' licences -------------------------------------------------------------------

    def id_card(self, person: Resident, address: str, *, issued_on: date | None = None) -> Planned:
        if issued_on is None:
            earliest = max(
                years_after(person.birth, 16 if age_on(person.birth, self.today) >= 16 else 1),
                self.today - timedelta(days=20 * 365 + 120),  # a few have just run out
            )
            issued_on = between(self.rng, earliest, self.today - timedelta(days=7))
        region = person.region if person.local else CITY_CODE
        number = f"{region}{issued_on.year}{self.next('ID_CARD'):06d}"
        face = self.person_face(person, address)
        face["ethnicity"] = "维吾尔" if person.region == DOTTED_NAME_REGION else "汉"
        return self.add("ID_CARD", person.holder, self.police(person), number, face, issued_on)

    def household(
        self, person: Resident, household_number: str, householder: str, relation: str, address: str
    ) -> Planned:
        face = self.person_face(person, address)
        face.update(
            household_type="家庭户",
            householder=householder,
            relation=relation,
            native_place=f"福建省{CITY_NAME}",
        )
        issued_on = between(self.rng, max(person.birth, date(2010, 1, 1)), self.today)
        return self.add(
            "HOUSEHOLD_REGISTER",
            person.holder,
            self.police(person),
            household_number,
            face,
            issued_on,
        )

    def household_number(self, region: str) -> str:
        return f"{region[4:6]}{self.next('household:' + region):07d}"

    def social_security_card(self, person: Resident, issued_on: date | None = None) -> Planned:
        issued_on = issued_on or between(
            self.rng, max(person.birth, self.today - timedelta(days=9 * 365 + 300)), self.today
        )
        letter = self.rng.choice("ABCDEFGH")
        card = f"{letter}{self.next('SOCIAL_SECURITY_CARD') + 31_000_000:08d}"
        face = {
            "card_number": card,
            "bank": self.rng.choice(BANKS),
            "generation": "第三代社会保障卡" if issued_on.year >= 2023 else "第二代社会保障卡",
        }
        return self.add(
            "SOCIAL_SECURITY_CARD", person.holder, "social_insurance", card, face, issued_on
        )

    def driving_licence(
        self,
        person: Resident,
        address: str,
        *,
        valid_from: date | None = None,
        first_issued_on: date | None = None,
    ) -> Planned:
        valid_from = valid_from or between(
            self.rng, self.today - timedelta(days=6 * 365 - 10), self.today
        )
        first = first_issued_on or between(
            self.rng, max(years_after(person.birth, 18), date(1995, 1, 1)), valid_from
        )
        face = self.person_face(person, address)
        face.update(
            nationality="中国",
            first_issued_on=first.isoformat(),
            vehicle_class=self.rng.choices(("C1", "C2", "B2", "A2"), weights=(85, 8, 4, 3))[0],
        )
        number = f"3599{self.next('DRIVING_LICENCE') + 10_000_000:08d}"
        return self.add(
            "DRIVING_LICENCE",
            person.holder,
            "traffic_police",
            number,
            face,
            valid_from,
            valid_from=valid_from,
        )

    def vehicle(self, person: Resident) -> Planned:
        registered = between(self.rng, self.today - timedelta(days=12 * 365), self.today)
        plate = (
            "闽S·"
            + self.rng.choice(PLATE_LETTERS)
            + "".join(self.rng.choice("0123456789" + PLATE_LETTERS) for _ in range(4))
        )
        face = {
            "plate_number": plate,
            "vehicle_type": self.rng.choices(
                ("小型轿车", "小型普通客车", "轻型厢式货车"), weights=(70, 25, 5)
            )[0],
            "use_character": "非营运",
            "brand_model": self.rng.choice(CAR_MODELS),
            "vin": "L" + "".join(self.rng.choice(VIN_CHARACTERS) for _ in range(16)),
            "registered_on": registered.isoformat(),
        }
        return self.add("VEHICLE_LICENCE", person.holder, "traffic_police", plate, face, registered)

    def marriage(self, husband: Resident, wife: Resident, registered: date) -> None:
        number = f"J{CITY_CODE}-{registered.year}-{self.next('MARRIAGE_CERT'):06d}"
        for one, other in ((husband, wife), (wife, husband)):
            face = {
                "spouse_name": other.name,
                "spouse_nationality": "中国",
                "registered_on": registered.isoformat(),
            }
            self.add("MARRIAGE_CERT", one.holder, "civil_affairs", number, face, registered)

    def real_estate(
        self,
        person: Resident,
        *,
        shared: bool,
        issued_on: date | None = None,
        address: str | None = None,
    ) -> Planned:
        issued_on = issued_on or between(self.rng, date(2016, 1, 1), self.today)
        seq = self.next("REAL_ESTATE_CERT")
        county = self.rng.choice(COUNTIES).code
        residential = self.rng.random() < 0.85
        face = {
            "ownership": "共同共有" if shared else "单独所有",
            "location": address or self.address(county),
            "unit_number": f"{county}{seq % 999 + 1:03d}{seq % 7 + 1:03d}GB{seq:05d}F{seq:08d}",
            "right_type": "国有建设用地使用权/房屋所有权",
            "usage": "城镇住宅用地/住宅" if residential else "商服用地/商业服务",
            "area": f"{self.rng.randint(5500, 16000) / 100:.2f}",
            "land_term_end": years_after(issued_on, 70 if residential else 40).isoformat(),
        }
        number = f"闽（{issued_on.year}）{CITY_NAME}不动产权第{seq:07d}号"
        return self.add("REAL_ESTATE_CERT", person.holder, "real_estate", number, face, issued_on)

    def graduation(self, person: Resident, level: str = "本科", *, start_age: int = 18) -> Planned:
        school, school_code = self.rng.choice(SCHOOLS)
        years = {"本科": 4, "专科": 3, "硕士研究生": 3}.get(level, 4)
        enrolled = date(person.birth.year + start_age, 9, 1)
        graduated = date(enrolled.year + years, 6, 30)
        level_digit = {"专科": "5", "本科": "4", "硕士研究生": "2"}.get(level, "4")
        number = f"{school_code}1{graduated.year}{level_digit}{self.next('GRAD'):07d}"
        face = {
            "school": school,
            "major": self.rng.choice(MAJORS),
            "education_level": level,
            "enrolled_on": enrolled.isoformat(),
            "graduated_on": graduated.isoformat(),
        }
        return self.add("GRADUATION_CERT", person.holder, "education", number, face, graduated)

    def housing_fund(self, person: Resident, employer: str) -> Planned:
        issued_on = between(self.rng, self.today - timedelta(days=80), self.today)
        first_paid = between(self.rng, years_after(person.birth, 22), issued_on)
        face = {
            "employer": employer,
            "account_status": "正常",
            "monthly_amount": str(self.rng.randrange(600, 4800, 10)),
            "first_paid_on": first_paid.isoformat(),
        }
        number = f"GJJ{issued_on:%Y%m%d}{self.next('HOUSING_FUND_CERT'):05d}"
        return self.add(
            "HOUSING_FUND_CERT",
            person.holder,
            "housing_fund",
            number,
            face,
            issued_on,
            valid_to=issued_on + timedelta(days=90),
        )


# --- Who holds what ------------------------------------------------------------------------------

# The demo accounts' people (accounts.py) and the one older resident the journeys use: their
# licences are written out below rather than drawn.
ZHANG, LI, WANG, CHEN = "张明华", "李秀英", "王建国", "陈静"
SPECIAL_PEOPLE = (ZHANG, LI, WANG, CHEN)
DEMO_HOLDINGS: dict[str, tuple[str, ...]] = {
    ZHANG: ("ID_CARD", "HOUSEHOLD_REGISTER", "MARRIAGE_CERT", "DRIVING_LICENCE",
            "SOCIAL_SECURITY_CARD", "REAL_ESTATE_CERT", "VEHICLE_LICENCE", "GRADUATION_CERT",
            "HOUSING_FUND_CERT"),
    WANG: ("ID_CARD", "HOUSEHOLD_REGISTER", "MARRIAGE_CERT", "DRIVING_LICENCE",
           "SOCIAL_SECURITY_CARD", "REAL_ESTATE_CERT"),
    CHEN: ("ID_CARD", "HOUSEHOLD_REGISTER", "SOCIAL_SECURITY_CARD", "GRADUATION_CERT",
           "HOUSING_FUND_CERT"),
    LI: ("ID_CARD", "HOUSEHOLD_REGISTER", "SOCIAL_SECURITY_CARD", "REAL_ESTATE_CERT"),
}  # fmt: skip
ENTERPRISE_HOLDINGS: dict[str, tuple[str, ...]] = {
    DEMO_ENTERPRISES[0].name: ("BUSINESS_LICENCE", "FOOD_BUSINESS_LICENCE"),
    DEMO_ENTERPRISES[1].name: ("BUSINESS_LICENCE",),
    DEMO_ENTERPRISES[2].name: ("BUSINESS_LICENCE", "ROAD_TRANSPORT_PERMIT"),
}
# 张明华's ID card: issued in 2005, renewed (换领) in 2025 with a new address.
ZHANG_FIRST_ID_CARD = date(2005, 4, 18)
ZHANG_RENEWED_ID_CARD = date(2025, 3, 26)
EXPIRING_IN_DAYS = 20  # 张明华's driving licence, inside the 30-day reminder window
ZHANG_HOME = f"{CITY_NAME}东城区人民路街道朝阳路88号3幢1202室"


@dataclass
class Specials:
    """The planned licences that the step treats after the bulk issue."""

    renew: Planned | None = None
    revoke: Planned | None = None


def _special_people(
    p: Planner, people: dict[str, Resident], spouses: dict[str, Resident], specials: Specials
) -> dict[str, tuple[str, str, str]]:
    """The demo accounts' licences; returns the households their spouses belong to."""
    zhang, wang, chen, li = people[ZHANG], people[WANG], people[CHEN], people[LI]
    old_home = f"{CITY_NAME}东城区府前街道府前路12号"
    specials.renew = p.id_card(zhang, old_home, issued_on=ZHANG_FIRST_ID_CARD)
    zhang_household = p.household_number(zhang.region)
    p.household(zhang, zhang_household, zhang.name, "户主", ZHANG_HOME)
    p.marriage(zhang, spouses[ZHANG], date(2013, 5, 20))
    expires = p.today + timedelta(days=EXPIRING_IN_DAYS)
    p.driving_licence(
        zhang,
        ZHANG_HOME,
        valid_from=years_after(expires + timedelta(days=1), -6),
        first_issued_on=date(2008, 7, 15),
    )
    p.social_security_card(zhang, date(2023, 6, 12))
    p.real_estate(zhang, shared=True, issued_on=date(2016, 9, 8), address=ZHANG_HOME)
    p.vehicle(zhang)
    p.graduation(zhang)
    p.housing_fund(zhang, DEMO_ENTERPRISES[1].name)

    wang_home = f"{CITY_NAME}清溪县城关镇解放路36号"
    p.id_card(wang, wang_home, issued_on=date(2012, 8, 3))
    wang_household = p.household_number(wang.region)
    p.household(wang, wang_household, wang.name, "户主", wang_home)
    p.marriage(wang, spouses[WANG], date(1998, 10, 6))
    p.driving_licence(wang, wang_home, first_issued_on=date(1996, 5, 21))
    p.social_security_card(wang, date(2019, 11, 4))
    p.real_estate(wang, shared=True, issued_on=date(2018, 3, 15), address=wang_home)

    chen_home = f"{CITY_NAME}南湖区湖滨街道湖滨路56号"
    p.id_card(chen, chen_home, issued_on=date(2016, 7, 9))
    p.household(chen, p.household_number(chen.region), chen.name, "户主", chen_home)
    p.social_security_card(chen, date(2024, 2, 27))
    p.graduation(chen, "专科")
    p.housing_fund(chen, DEMO_ENTERPRISES[0].name)

    li_home = f"{CITY_NAME}清溪县桃源镇人民路17号"
    p.id_card(li, li_home, issued_on=date(2013, 12, 2))
    p.household(li, p.household_number(li.region), li.name, "户主", li_home)
    p.social_security_card(li, date(2021, 4, 19))
    p.real_estate(li, shared=False, issued_on=date(2004, 6, 1), address=li_home)
    return {
        spouses[ZHANG].citizen_id: (zhang_household, zhang.name, ZHANG_HOME),
        spouses[WANG].citizen_id: (wang_household, wang.name, wang_home),
    }


def _pair_couples(p: Planner, residents: list[Resident]) -> list[tuple[Resident, Resident]]:
    """Men of 22 and over married to women of 20 and over, zero to eight years younger."""
    women: dict[int, list[Resident]] = defaultdict(list)
    for person in residents:
        if not person.male and age_on(person.birth, p.today) >= 20:
            women[person.birth.year].append(person)
    couples = []
    for man in residents:
        if not man.male or age_on(man.birth, p.today) < 22 or p.rng.random() > 0.5:
            continue
        years = [y for y in range(man.birth.year, man.birth.year + 9) if women.get(y)]
        if not years:
            continue
        pool = women[p.rng.choice(years)]
        couples.append((man, pool.pop(p.rng.randrange(len(pool)))))
    return couples


def _take_wife(couples: list[tuple[Resident, Resident]], husband: Resident) -> Resident:
    """A local wife one to five years younger than `husband`, taken from her generated couple."""
    for n, (_, wife) in enumerate(couples):
        if wife.local and 1 <= wife.birth.year - husband.birth.year <= 5:
            del couples[n]
            return wife
    raise LookupError(f"no wife for {husband.name} in the demo population")


def _people(p: Planner, residents: list[Resident], specials: Specials) -> None:
    by_name = {r.name: r for r in residents[: len(DEMO_PEOPLE)]}
    special = {by_name[name].citizen_id for name in SPECIAL_PEOPLE}
    ordinary = [r for r in residents if r.citizen_id not in special]
    couples = _pair_couples(p, ordinary)
    spouses = {name: _take_wife(couples, by_name[name]) for name in (ZHANG, WANG)}
    # citizen ID → (household number, householder, address)
    homes = _special_people(p, by_name, spouses, specials)
    for husband, wife in couples:
        registered = between(
            p.rng,
            max(years_after(husband.birth, 22), years_after(wife.birth, 20), date(1980, 1, 1)),
            p.today - timedelta(days=30),
        )
        p.marriage(husband, wife, registered)
        if husband.local:
            household = (
                p.household_number(husband.region),
                husband.name,
                p.address(husband.region),
            )
            homes[husband.citizen_id] = household
            if wife.local:
                homes[wife.citizen_id] = household
    by_mother_year: dict[int, list[tuple[Resident, Resident]]] = defaultdict(list)
    for husband, wife in couples:
        by_mother_year[wife.birth.year].append((husband, wife))
    employers = [
        DEMO_ENTERPRISES[0].name,
        DEMO_ENTERPRISES[2].name,
        f"{CITY_NAME}自来水有限公司",
        f"{CITY_NAME}第一医院",
        f"{CITY_NAME}实验小学",
    ]

    for person in ordinary:
        age = age_on(person.birth, p.today)
        parents = None
        if age < 18:
            years = [
                y
                for y in range(person.birth.year - 40, person.birth.year - 20)
                if by_mother_year.get(y)
            ]
            if years:
                parents = p.rng.choice(by_mother_year[p.rng.choice(years)])
        own = homes.get(person.citizen_id)
        if own is None and parents is not None and person.local:
            own = homes.get(parents[0].citizen_id)
        address = own[2] if own else p.home_address(person)
        if (age >= 16 and (person.local or p.rng.random() < 0.6)) or p.rng.random() < 0.2:
            p.id_card(person, address)
        if person.local and (own is not None or p.rng.random() < 0.6):
            if own is None:
                number, householder, relation = (
                    p.household_number(person.region),
                    person.name,
                    "户主",
                )
            else:
                number, householder = own[0], own[1]
                relation = "户主" if householder == person.name else "配偶"
                if person.citizen_id not in homes:
                    relation = "子" if person.male else "女"
            p.household(person, number, householder, relation, address)
        elif not person.local and age >= 16 and p.rng.random() < 0.7:
            issued = between(p.rng, p.today - timedelta(days=380), p.today)
            face = {
                "gender": "男" if person.male else "女",
                "birth_date": person.birth.isoformat(),
                "household_address": p.home_address(person),
                "residence_address": p.address(),
            }
            county = p.rng.choice(COUNTIES).code
            number = f"JZ{county}{issued.year}{p.next('RESIDENCE_PERMIT'):06d}"
            p.add("RESIDENCE_PERMIT", person.holder, f"{county}:police", number, face, issued)
        if p.rng.random() < (0.55 if age >= 16 else 0.2):
            p.social_security_card(person)
        if 18 <= age <= 70 and p.rng.random() < 0.4:
            p.driving_licence(person, address)
            if p.rng.random() < 0.5:
                p.vehicle(person)
        if person.birth >= date(1996, 1, 1) and (age < 18 or p.rng.random() < 0.3):
            _birth_certificate(p, person, parents)
        _adult_licences(p, person, age, employers)


def _birth_certificate(
    p: Planner, child: Resident, parents: tuple[Resident, Resident] | None
) -> None:
    mother = parents[1].name if parents else person_name(p.rng, male=False)
    father = parents[0].name if parents else person_name(p.rng, male=True)
    hospital = p.rng.choice(HOSPITALS)
    letter = "MNOPQRSTUV"[child.birth.year % 10]
    face = {
        "gender": "男" if child.male else "女",
        "born_on": child.birth.isoformat(),
        "birth_place": f"福建省{CITY_NAME}",
        "mother_name": mother,
        "father_name": father,
        "institution": hospital,
    }
    number = f"{letter}35{p.next('BIRTH_MEDICAL_CERT') + 9_000_000:07d}"
    p.add(
        "BIRTH_MEDICAL_CERT",
        child.holder,
        "health",
        number,
        face,
        child.birth + timedelta(days=p.rng.randint(1, 20)),
    )


def _adult_licences(p: Planner, person: Resident, age: int, employers: list[str]) -> None:
    rng = p.rng
    if age >= 25 and rng.random() < 0.28:
        p.real_estate(person, shared=rng.random() < 0.5)
        if rng.random() < 0.15:
            p.real_estate(person, shared=False)
    if 22 <= age <= 55 and rng.random() < 0.25:
        p.graduation(person, rng.choice(("本科", "本科", "专科")))
        if rng.random() < 0.15:
            p.graduation(person, "硕士研究生", start_age=22)
    if 22 <= age <= 60 and rng.random() < 0.15:
        p.housing_fund(person, rng.choice(employers))
    if 18 <= age <= 60 and rng.random() < 0.06:
        county = person.region if person.local else rng.choice(COUNTIES).code
        registered = between(rng, since(p, person, 18), p.today)
        face = {
            "employment_status": rng.choice(("就业", "失业", "灵活就业")),
            "registered_on": registered.isoformat(),
            "registered_at": COUNTY_BY_CODE[county].name,
        }
        number = f"{county}{registered.year}{p.next('EMPLOYMENT_CERT'):06d}"
        p.add(
            "EMPLOYMENT_CERT", person.holder, f"{county}:human_resources", number, face, registered
        )
    if 20 <= age <= 55 and rng.random() < 0.06:
        assessed = between(rng, since(p, person, 20), p.today)
        face = {
            "occupation": rng.choice(OCCUPATIONS),
            "skill_level": rng.choice(SKILL_LEVELS),
            "assessed_on": assessed.isoformat(),
        }
        number = f"{assessed.year}3599{p.next('VOCATIONAL_QUALIFICATION'):010d}"
        p.add("VOCATIONAL_QUALIFICATION", person.holder, "human_resources", number, face, assessed)
    if person.male and 22 <= age <= 60 and rng.random() < 0.04:
        enlisted = between(rng, years_after(person.birth, 18), years_after(person.birth, 20))
        discharged = years_after(enlisted, rng.choice((2, 2, 5, 8)))
        face = {
            "enlisted_on": enlisted.isoformat(),
            "discharged_on": discharged.isoformat(),
            "placement": rng.choice(("自主就业", "自主就业", "安排工作")),
        }
        number = f"退役证字（{discharged.year}）第{p.next('VETERAN_CERT'):06d}号"
        p.add("VETERAN_CERT", person.holder, "veterans", number, face, discharged)
    if 23 <= age <= 60 and rng.random() < 0.025:
        issued = between(rng, since(p, person, 23), p.today)
        face = {
            "teaching_level": rng.choice(("小学", "初级中学", "高级中学")),
            "subject": rng.choice(("语文", "数学", "英语", "物理", "音乐")),
        }
        number = f"{issued.year}3599{p.next('TEACHER_QUALIFICATION'):09d}"
        p.add("TEACHER_QUALIFICATION", person.holder, "education", number, face, issued)
    if 26 <= age <= 65 and rng.random() < 0.012:
        issued = between(rng, since(p, person, 26), p.today)
        face = {
            "physician_level": "执业医师",
            "practice_category": rng.choice(("临床", "中医", "口腔")),
            "practice_scope": rng.choice(("内科专业", "外科专业", "儿科专业", "中医专业")),
            "practice_place": rng.choice(HOSPITALS),
        }
        number = f"1103599{p.next('PRACTISING_PHYSICIAN_CERT') + 20_000_000:08d}"
        p.add("PRACTISING_PHYSICIAN_CERT", person.holder, "health", number, face, issued)


def since(p: Planner, person: Resident, age: int) -> date:
    """The later of the person's `age`th birthday and 15 years ago."""
    return max(years_after(person.birth, age), p.today - timedelta(days=15 * 365))


# --- Enterprises ---------------------------------------------------------------------------------

BUSINESS_SCOPES: dict[str, str] = {
    "餐饮管理": "餐饮服务；餐饮管理；食品销售（仅销售预包装食品）",
    "食品": "食品生产；食品销售；农副产品收购",
    "茶业": "茶叶种植；茶叶制品生产；食品销售",
    "水产": "水产品加工；水产品批发；食品销售",
    "医药": "药品零售；药品批发；第二类医疗器械销售；诊所服务",
    "物流": "道路货物运输（不含危险货物）；普通货物仓储服务；国内货物运输代理",
    "建筑工程": "建设工程施工；市政设施管理；建筑材料销售",
    "房地产开发": "房地产开发经营；物业管理；住房租赁",
}
INDUSTRIES = {
    "食品": "食品制造业", "水产": "水产品加工", "机械制造": "通用设备制造业", "家具": "家具制造业",
    "竹木制品": "木材加工和木、竹、藤、棕、草制品业", "服装": "纺织服装、服饰业",
    "电子科技": "计算机、通信和其他电子设备制造业",
}  # fmt: skip
FOOD_ITEMS = {
    "餐饮服务经营者": "热食类食品制售；冷食类食品制售；自制饮品制售",
    "食品销售经营者": "预包装食品（含冷藏冷冻食品）销售；散装食品（含冷藏冷冻食品）销售",
}


def _line_of(name: str) -> str:
    return next((line for line in LINES_OF_BUSINESS if name.endswith(f"{line}有限公司")), "")


def _trade_name(name: str, line: str) -> str:
    trade = name.removesuffix(f"{line}有限公司")
    for prefix in (CITY_NAME, *(county.name for county in COUNTIES)):
        trade = trade.removeprefix(prefix)
    return trade


def plan_enterprises(
    p: Planner, enterprises: list[SandboxEnterpriseData], specials: Specials
) -> None:
    """Business licences for every enterprise and the permits its line of business needs; the
    first city-registered restaurant without a known name becomes `specials.revoke`."""
    known = {e.name for e in DEMO_ENTERPRISES}
    for enterprise in enterprises:
        rng = p.rng
        holder = Holder(HolderKind.ENTERPRISE, enterprise.uscc, enterprise.name)
        region = enterprise.uscc[2:8]
        market = "market" if enterprise.name.startswith(CITY_NAME) else f"{region}:market"
        line = _line_of(enterprise.name)
        registered = enterprise.registered_on
        rep = enterprise.legal_representative_name
        face = {
            "entity_type": rng.choices(ENTITY_TYPES, weights=(70, 15, 5, 6, 4))[0],
            "legal_representative": rep,
            "registered_capital": str(rng.choice((10, 50, 100, 200, 300, 500, 1000, 2000))),
            "established_on": registered.isoformat(),
            "business_term": "长期",
            "residence": enterprise.address,
            "business_scope": BUSINESS_SCOPES.get(line, f"{line or '商务信息咨询'}相关业务"),
        }
        issued = between(rng, registered, min(p.today, registered + timedelta(days=3 * 365)))
        p.add("BUSINESS_LICENCE", holder, market, enterprise.uscc, face, issued)
        if enterprise.name in known:
            wanted = ENTERPRISE_HOLDINGS[enterprise.name][1:]
        else:
            wanted = tuple(
                code for code, share in PERMITS_BY_LINE.get(line, ()) if rng.random() < share
            )
        for code in wanted:
            planned = _permit(p, code, holder, enterprise, market, region, rep)
            if (
                specials.revoke is None
                and code == "FOOD_BUSINESS_LICENCE"
                and market == "market"
                and enterprise.name not in known
            ):
                specials.revoke = planned
        if enterprise.name == DEMO_ENTERPRISES[0].name:  # a second restaurant
            branch = f"{CITY_NAME}清溪县桃源镇青年路8号"
            _permit(p, "FOOD_BUSINESS_LICENCE", holder, enterprise, market, region, rep, branch)
        if line == "房地产开发" and enterprise.name not in known:
            for _ in range(rng.randint(1, 3)):
                _development(p, holder, enterprise)


def _permit(
    p: Planner,
    code: str,
    holder: Holder,
    enterprise: SandboxEnterpriseData,
    market: str,
    region: str,
    rep: str,
    premises: str = "",
) -> Planned:
    rng = p.rng
    spec = SPECS_BY_CODE[code]
    years = spec.years or 5
    start = max(enterprise.registered_on, p.today - timedelta(days=years * 365 + 60))
    issued = between(rng, start, p.today - timedelta(days=1))
    seq = p.next(code)
    premises = premises or enterprise.address
    face: dict[str, str] = {"legal_representative": rep}
    issuer = market
    if code == "FOOD_BUSINESS_LICENCE":
        food_format = "餐饮服务经营者" if "餐饮" in enterprise.name else "食品销售经营者"
        face.update(
            premises=premises,
            main_format=food_format,
            business_items=FOOD_ITEMS[food_format],
            supervisor=person_name(rng, male=rng.random() < 0.5),
        )
        number = f"JY{2 if food_format == '餐饮服务经营者' else 1}{region}{seq:06d}{seq * 7 % 10}"
    elif code == "DRUG_BUSINESS_LICENCE":
        face.update(
            quality_manager=person_name(rng, male=rng.random() < 0.5),
            premises=premises,
            business_mode=rng.choice(("零售", "零售（连锁）", "批发")),
            business_scope="中成药、化学药制剂、抗生素制剂、生化药品、生物制品",
        )
        number, issuer = f"闽CB{region[2:]}{seq:04d}", "market"
    elif code == "MEDICAL_INSTITUTION_LICENCE":
        face.update(
            institution_kind=rng.choice(("门诊部", "诊所", "口腔诊所")),
            principal=rep,
            address=premises,
            clinical_subjects="内科；外科；医学检验科",
            beds="0",
        )
        number, issuer = f"PDY{seq:05d}{region}{'1' if seq % 2 else '2'}1{seq % 10}", "health"
    elif code == "PUBLIC_PLACE_HYGIENE_LICENCE":
        face.update(premises=premises, project="住宿场所")
        number, issuer = f"闽卫公证字〔{issued.year}〕第{region}{seq:04d}号", "health"
    elif code == "ROAD_TRANSPORT_PERMIT":
        scope = "道路普通货物运输" if "物流" in enterprise.name else "机动车维修（二类）"
        face.update(address=premises, business_scope=scope)
        number, issuer = f"闽交运管许可示字{region}{seq:06d}号", "transport"
    elif code == "CONSTRUCTION_QUALIFICATION":
        face["qualification"] = rng.choice(
            ("建筑工程施工总承包三级", "市政公用工程施工总承包三级", "建筑装修装饰工程专业承包二级")
        )
        number, issuer = f"D3{region}{seq:04d}", "housing"
    elif code == "SAFETY_PRODUCTION_LICENCE":
        building = "工程" in enterprise.name
        face.update(address=premises, scope="建筑施工" if building else "机械加工制造")
        number = f"（闽）{'JZ' if building else 'FM'}安许证字〔{issued.year}〕{seq:06d}"
        issuer = "housing" if building else "emergency"
    elif code == "POLLUTANT_DISCHARGE_PERMIT":
        industry = INDUSTRIES.get(_line_of(enterprise.name), "其他制造业")
        face.update(
            production_site=premises,
            industry=industry,
            management=rng.choice(("重点管理", "简化管理", "简化管理")),
        )
        number, issuer = f"{enterprise.uscc}001{rng.choice('UVQ')}", "environment"
    else:
        raise KeyError(code)
    return p.add(code, holder, issuer, number, face, issued)


def _development(p: Planner, holder: Holder, enterprise: SandboxEnterpriseData) -> None:
    """A housing project: land, planning and construction permits (several per company)."""
    rng = p.rng
    land = between(
        rng,
        max(enterprise.registered_on, p.today - timedelta(days=8 * 365)),
        p.today - timedelta(days=200),
    )
    planning = land + timedelta(days=rng.randint(60, 120))
    works = planning + timedelta(days=rng.randint(30, 80))
    trade = _trade_name(enterprise.name, "房地产开发")
    name = f"{trade}{rng.choice(('花园', '华府', '名苑', '悦城', '学府里'))}"
    project = f"{name}{rng.choice(('一', '二', '三'))}期"
    site = p.address()
    area = rng.randint(20_000, 120_000)
    seq = p.next("DEVELOPMENT")
    p.add(
        "CONSTRUCTION_LAND_PERMIT",
        holder,
        "natural_resources",
        f"地字第{CITY_CODE}{land.year}{seq:05d}号",
        {
            "project_name": project,
            "site": site,
            "land_use": "城镇住宅用地",
            "land_area": str(area // 3),
        },
        land,
    )
    p.add(
        "CONSTRUCTION_PLANNING_PERMIT",
        holder,
        "natural_resources",
        f"建字第{CITY_CODE}{planning.year}{seq:05d}号",
        {"project_name": project, "site": site, "floor_area": str(area)},
        planning,
    )
    p.add(
        "CONSTRUCTION_PERMIT",
        holder,
        "housing",
        f"{CITY_CODE}{works:%Y%m%d}{seq:02d}01",
        {
            "project_name": project,
            "site": site,
            "floor_area": str(area),
            "contract_price": str(area * rng.randint(18, 30) // 10_000 * 10),
            "contractor": f"{CITY_NAME}建工集团有限公司",
            "planned_start": works.isoformat(),
            "planned_end": years_after(works, 2).isoformat(),
        },
        works,
    )


def build_plan(
    seed_rng: Callable[[str], random.Random], today: date
) -> tuple[list[Planned], Specials]:
    """Every licence of the demo library, in a stable order, and the special cases."""
    population = build_population(seed_rng("population"))
    enterprises = build_enterprises(seed_rng("enterprises"), population)
    planner = Planner(seed_rng("licences"), today)
    specials = Specials()
    _people(planner, [resident(person) for person in population], specials)
    plan_enterprises(planner, enterprises, specials)
    return planner.planned, specials


# --- The step ------------------------------------------------------------------------------------


def _departments() -> dict[str, Department]:
    by_name = {(d.region.code, d.name): d for d in Department.objects.select_related("region")}
    return {spec.key: by_name[(spec.region_code, spec.name)] for spec in build_departments()}


def _key(planned: Planned) -> tuple[str, str, str]:
    return (planned.type_code, planned.holder.index, planned.number)


def _find(planned: Planned, types: dict[str, LicenceType]) -> Licence:
    return Licence.objects.get(
        licence_type=types[planned.type_code],
        holder_code_index=planned.holder.index,
        number=planned.number,
        version=1,
    )


def _renew_zhang_id_card(planned: Planned, types: dict[str, LicenceType]) -> None:
    first = _find(planned, types)
    if Licence.objects.filter(previous=first).exists():
        return
    licence_issue(
        licence_type=first.licence_type,
        holder=Holder(first.holder_code_type, first.holder_code, first.holder_name),
        issuer=first.issuer,
        face={**first.face, "address": ZHANG_HOME},
        actor=None,
        number=first.number,
        issued_on=ZHANG_RENEWED_ID_CARD,
        previous=first,
    )


def _revoke(planned: Planned, types: dict[str, LicenceType]) -> None:
    licence = _find(planned, types)
    if licence.status != LicenceStatus.VALID:
        return
    head = User.objects.get(username=STAFF_USERNAMES[StaffRole.DEPARTMENT_HEAD])
    licence_status_change(
        licence=licence, to_status=LicenceStatus.REVOKED, reason=REVOKE_REASON, actor=head
    )


def load_licences(ctx: DemoContext) -> None:
    """Types, then the licences that are missing, then the renewal and the revocation; then the
    day's expiry and reminders, as the daily clock would. Needs departments, the registry and the
    demo accounts (the market regulator's head revokes)."""
    types, types_created = load_licence_types()
    today = timezone.localdate()
    plan, specials = build_plan(ctx.rng, today)
    departments = _departments()
    have = set(Licence.objects.values_list("licence_type__code", "holder_code_index", "number"))
    holding = set(  # one-per-holder types a holder already has valid (issued by staff, say)
        Licence.objects.filter(
            status__in=[LicenceStatus.VALID, LicenceStatus.SUSPENDED],
            licence_type__several_valid=False,
        ).values_list("licence_type__code", "holder_code_index")
    )
    rows = []
    for planned in plan:
        key = _key(planned)
        if key in have or (not types[planned.type_code].several_valid and key[:2] in holding):
            continue
        have.add(key)
        rows.append(
            LicenceToIssue(
                licence_type=types[planned.type_code],
                holder=planned.holder,
                issuer=departments[planned.issuer_key],
                face=planned.face,
                number=planned.number,
                issued_on=planned.issued_on,
                valid_from=planned.valid_from,
                valid_to=planned.valid_to,
            )
        )
    before = Licence.objects.count()
    licences_issue_bulk(rows=rows, actor=None)
    if specials.renew is not None:
        _renew_zhang_id_card(specials.renew, types)
    if specials.revoke is not None:
        _revoke(specials.revoke, types)
    licences_expire_due(today=today)
    licence_expiry_reminders_send(today=today)
    total = Licence.objects.count()
    ctx.summary.add("证照类型", total=LicenceType.objects.count(), created=types_created)
    ctx.summary.add("电子证照", total=total, created=total - before)
