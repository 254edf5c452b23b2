"""Fixtures shared by every test that needs people: registry entries, verified people,
enterprises and departments. Registered for the whole suite in the root conftest.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from yiwang.identity import services
from yiwang.identity.models import Enterprise, Person
from yiwang.identity.tests.factories import make_user, new_citizen_id, new_uscc
from yiwang.org.models import Department, DepartmentLevel, Region, RegionLevel
from yiwang.platform.services import (
    SandboxEnterpriseData,
    SandboxPersonData,
    sandbox_registry_add_enterprises,
    sandbox_registry_add_people,
)

_registry_people: dict[str, str] = {}


@pytest.fixture
def registry_person(db: None) -> Callable[..., tuple[str, str]]:
    """Put a person in the sandbox population registry; returns (name, citizen_id)."""

    def add(name: str, *, ends_with_x: bool = False) -> tuple[str, str]:
        citizen_id = new_citizen_id()
        while ends_with_x and not citizen_id.endswith("X"):
            citizen_id = new_citizen_id()
        sandbox_registry_add_people([SandboxPersonData(name=name, citizen_id=citizen_id)])
        _registry_people[name] = citizen_id
        return name, citizen_id

    return add


@pytest.fixture
def verified_person(registry_person: Callable[..., tuple[str, str]]) -> Callable[[str], Person]:
    """A user who has passed real-name verification as `name`."""

    def make(name: str) -> Person:
        _, citizen_id = registry_person(name)
        return services.person_verify_identity(user=make_user(), name=name, citizen_id=citizen_id)

    return make


@pytest.fixture
def registry_enterprise(db: None) -> Callable[..., tuple[str, str]]:
    """Put an enterprise in the sandbox business registry; returns (name, uscc)."""

    def add(name: str, *, representative: str) -> tuple[str, str]:
        uscc = new_uscc()
        representative_id = _registry_people.get(representative) or new_citizen_id()
        sandbox_registry_add_enterprises(
            [
                SandboxEnterpriseData(
                    name=name,
                    uscc=uscc,
                    legal_representative_name=representative,
                    legal_representative_citizen_id=representative_id,
                    registered_on=date(2020, 1, 1),
                )
            ]
        )
        return name, uscc

    return add


@pytest.fixture
def enterprise_of(
    verified_person: Callable[[str], Person],
    registry_enterprise: Callable[..., tuple[str, str]],
) -> Callable[[str], Enterprise]:
    """An enterprise registered by its (verified) legal representative `name`."""

    def make(representative: str) -> Enterprise:
        person = verified_person(representative)
        name, uscc = registry_enterprise(
            f"示范市{representative}商贸有限公司", representative=representative
        )
        return services.enterprise_register(user=person.user, name=name, uscc=uscc)

    return make


@pytest.fixture
def department(db: None) -> Department:
    city, _ = Region.objects.get_or_create(
        code="359900", defaults={"name": "示范市", "level": RegionLevel.CITY}
    )
    return Department.objects.create(
        name="测试局", uscc=new_uscc(), level=DepartmentLevel.CITY, region=city
    )
