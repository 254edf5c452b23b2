"""The demo business registry: a few well-known enterprises with their legal representatives,
and ~300 generated companies (示范市清溪餐饮管理有限公司 ...) for the sandbox enterprise check.

Unified social credit codes use registration authority 9 (市场监管) and category 1 (企业), the
county code where the company is registered and an organisation code in the `MA…` series that
newly registered companies get.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from yiwang.platform.services import SandboxEnterpriseData, SandboxPersonData
from yiwang.platform.validators import USCC_ALPHABET, citizen_id_birth_date, make_uscc
from yiwang.project.demo.names import LINES_OF_BUSINESS, STREET_NAMES, trade_name
from yiwang.project.demo.people import DEMO_PEOPLE, DemoPerson
from yiwang.project.demo.regions import CITY_NAME, COUNTIES

ENTERPRISE_COUNT = 300


@dataclass(frozen=True)
class DemoEnterprise:
    name: str
    uscc: str
    legal_representative: DemoPerson
    address: str
    registered_on: date

    def as_registry_record(self) -> SandboxEnterpriseData:
        return SandboxEnterpriseData(
            name=self.name,
            uscc=self.uscc,
            legal_representative_name=self.legal_representative.name,
            legal_representative_citizen_id=self.legal_representative.citizen_id,
            registered_on=self.registered_on,
            address=self.address,
        )


def _person(name: str) -> DemoPerson:
    return next(person for person in DEMO_PEOPLE if person.name == name)


DEMO_ENTERPRISES: list[DemoEnterprise] = [
    DemoEnterprise(
        name=f"{CITY_NAME}清溪餐饮管理有限公司",
        uscc=make_uscc("9", "1", "359921", "MA2Y8K3C"),
        legal_representative=_person("王建国"),
        address=f"{CITY_NAME}清溪县城关镇解放路36号",
        registered_on=date(2019, 4, 16),
    ),
    DemoEnterprise(
        name=f"{CITY_NAME}明华信息技术有限公司",
        uscc=make_uscc("9", "1", "359902", "MA31NQ7D"),
        legal_representative=_person("张明华"),
        address=f"{CITY_NAME}东城区人民路街道创业大道18号",
        registered_on=date(2021, 9, 1),
    ),
    DemoEnterprise(
        name=f"{CITY_NAME}新港物流有限公司",
        uscc=make_uscc("9", "1", "359904", "MA2W5R0L"),
        legal_representative=_person("刘伟"),
        address=f"{CITY_NAME}新港区港口街道滨江路122号",
        registered_on=date(2015, 3, 23),
    ),
]

_FIRST_REGISTRATION, _LAST_REGISTRATION = date(2000, 1, 1), date(2026, 6, 30)


def _registered_on(rng: random.Random, representative_born: date) -> date:
    # Nobody founds a company before coming of age: from the year after the 18th birthday on.
    start = max(_FIRST_REGISTRATION, date(representative_born.year + 19, 1, 1))
    return start + timedelta(days=rng.randrange((_LAST_REGISTRATION - start).days))


def build_enterprises(
    rng: random.Random, population: list[SandboxPersonData], count: int = ENTERPRISE_COUNT
) -> list[SandboxEnterpriseData]:
    """The well-known enterprises first, then generated ones up to `count`; legal
    representatives are adults of `population`."""
    records = [enterprise.as_registry_record() for enterprise in DEMO_ENTERPRISES]
    names = {record.name for record in records}
    usccs = {record.uscc for record in records}
    adults = [p for p in population if citizen_id_birth_date(p.citizen_id) < date(2007, 1, 1)]
    while len(records) < count:
        county = rng.choice(COUNTIES)
        prefix = CITY_NAME if rng.random() < 0.6 else county.name
        name = f"{prefix}{trade_name(rng)}{rng.choice(LINES_OF_BUSINESS)}有限公司"
        body = "MA" + "".join(rng.choice(USCC_ALPHABET) for _ in range(6))
        uscc = make_uscc("9", "1", county.code, body)
        if name in names or uscc in usccs:
            continue
        names.add(name)
        usccs.add(uscc)
        representative = rng.choice(adults)
        town = rng.choice(county.towns)[1]
        records.append(
            SandboxEnterpriseData(
                name=name,
                uscc=uscc,
                legal_representative_name=representative.name,
                legal_representative_citizen_id=representative.citizen_id,
                registered_on=_registered_on(rng, citizen_id_birth_date(representative.citizen_id)),
                address=(
                    f"{CITY_NAME}{county.name}{town}{rng.choice(STREET_NAMES)}"
                    f"{rng.randint(1, 299)}号"
                ),
            )
        )
    return records
