"""The demo licence library (`yiwang demo`, step 电子证照库): every type the catalogue names,
~5,000–8,000 genuine licences from the right departments, the demo accounts' known holdings (a
renewal chain, one about to expire, one revoked), deterministic and idempotent.

The city is loaded once for the module (regions, departments, registry, accounts, licences) in a
transaction that is rolled back afterwards; each test runs in a savepoint inside it.
"""

from __future__ import annotations

import io
import random
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from yiwang.licences.face import schema_problems
from yiwang.licences.holders import Holder
from yiwang.licences.models import Licence, LicenceStatusChange, LicenceType
from yiwang.licences.selectors import (
    licence_chain,
    licence_signature_holds,
    licence_verify,
    licences_usable_for,
)
from yiwang.licences.workflow import HolderKind, LicenceStatus
from yiwang.platform.models import AuditEntry, OutboxMessage
from yiwang.platform.validators import normalise_uscc
from yiwang.project.demo import DEMO_ENTERPRISES, DEMO_PEOPLE
from yiwang.project.demo.catalogue.materials import KNOWN_MATERIALS, LICENCE_TYPES, material_info
from yiwang.project.demo.context import DemoContext, DemoSummary
from yiwang.project.demo.licence_types import TYPE_SPECS
from yiwang.project.demo.licences import (
    DEMO_HOLDINGS,
    ENTERPRISE_HOLDINGS,
    EXPIRING_IN_DAYS,
    REVOKE_REASON,
    build_plan,
)
from yiwang.project.demo.loader import DEMO_STEPS

pytestmark = pytest.mark.django_db

SEED = 20261122
# What the licences need of the city; the catalogue is left out (it refers to licence types by
# code only, and its codes are checked against materials.py below).
NEEDED = ("regions", "departments", "registry", "accounts", "licences")
FAST = {
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "SANDBOX_FAILURE_RATE": 0.0,
    "SANDBOX_DELAY_MS": 0,
}


def load(seed: int = SEED) -> DemoSummary:
    summary = DemoSummary(seed=seed)
    ctx = DemoContext(seed=seed, stdout=io.StringIO(), summary=summary)
    with override_settings(**FAST):
        for step in DEMO_STEPS:
            if step.name in NEEDED:
                step.load(ctx)
    return summary


@pytest.fixture(scope="module")
def city(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[DemoSummary]:
    with django_db_blocker.unblock(), transaction.atomic():
        summary = load()
        yield summary
        transaction.set_rollback(True)


def citizen(name: str) -> Holder:
    person = next(p for p in DEMO_PEOPLE if p.name == name)
    return Holder(HolderKind.CITIZEN, person.citizen_id, person.name)


def held_by(holder: Holder) -> list[Licence]:
    return list(
        Licence.objects.filter(holder_code_index=holder.index)
        .select_related("licence_type", "signing_key", "previous")
        .order_by("licence_type__code", "version")
    )


def test_every_licence_type_the_catalogue_names_exists_with_its_name(city: DemoSummary) -> None:
    types = {t.code: t for t in LicenceType.objects.all()}
    assert len(types) == len(TYPE_SPECS) >= 30
    for code, (name, _) in LICENCE_TYPES.items():
        assert types[code].name == name, code
    named = {c for info in KNOWN_MATERIALS.values() for c in info.licence_types}
    named |= set(material_info("家庭成员居民身份证或营业执照").licence_types)
    assert named <= set(types)
    for licence_type in types.values():
        authority, sequence = licence_type.type_code[:18], licence_type.type_code[18:]
        assert normalise_uscc(authority) == authority
        assert len(sequence) == 3
        assert sequence.isdigit()
        assert licence_type.defining_authority
        assert schema_problems(licence_type.face_fields) == []
        assert all(f["label"] for f in licence_type.face_fields)
    assert len({t.type_code for t in types.values()}) == len(types)
    assert (types["ID_CARD"].validity_rule, types["ID_CARD"].validity_years) == ("fixed_years", 20)
    assert types["DRIVING_LICENCE"].validity_years == 6
    assert types["FOOD_BUSINESS_LICENCE"].validity_years == 5
    assert types["BUSINESS_LICENCE"].validity_rule == "long_term"
    assert types["BUSINESS_LICENCE"].holder_kind == HolderKind.ENTERPRISE
    assert types["MARRIAGE_CERT"].holder_kind == HolderKind.CITIZEN


def test_the_library_is_city_sized_and_issued_by_the_right_departments(city: DemoSummary) -> None:
    totals = city.totals()
    assert 5000 <= totals["电子证照"] <= 8500
    assert totals["电子证照"] == Licence.objects.count()
    by_type = Counter(Licence.objects.values_list("licence_type__code", flat=True))
    assert by_type["ID_CARD"] >= 1500
    assert by_type["HOUSEHOLD_REGISTER"] >= 1000
    assert by_type["BUSINESS_LICENCE"] == 300
    issuers = {
        code: set(
            Licence.objects.filter(licence_type__code=code).values_list("issuer_name", flat=True)
        )
        for code in ("ID_CARD", "BUSINESS_LICENCE", "MARRIAGE_CERT", "DRIVING_LICENCE")
    }
    assert all("公安" in name for name in issuers["ID_CARD"])
    assert all(name.endswith("市场监督管理局") for name in issuers["BUSINESS_LICENCE"])
    assert issuers["MARRIAGE_CERT"] == {"示范市民政局"}
    assert issuers["DRIVING_LICENCE"] == {"示范市公安局交通警察支队"}


def test_a_sample_of_licences_verifies_as_genuine(city: DemoSummary) -> None:
    ids = list(Licence.objects.values_list("pk", flat=True))
    sample = random.Random(1).sample(ids, 150)
    for licence in Licence.objects.filter(pk__in=sample).select_related(
        "licence_type", "signing_key", "previous"
    ):
        assert licence_signature_holds(licence), licence.identifier


def test_zhang_minghua_holds_the_promised_licences_and_they_verify(city: DemoSummary) -> None:
    zhang = citizen("张明华")
    usable = licences_usable_for(zhang, list(DEMO_HOLDINGS["张明华"]))
    assert set(usable) == set(DEMO_HOLDINGS["张明华"])
    for licence in usable.values():
        verification = licence_verify(licence.identifier)
        assert verification.genuine, licence.identifier
        assert verification.usable, licence.identifier
        assert verification.holder == "张**"  # masked
        assert licence.holder_name == "张明华"


def test_zhang_minghuas_id_card_was_renewed_once(city: DemoSummary) -> None:
    cards = [lic for lic in held_by(citizen("张明华")) if lic.licence_type.code == "ID_CARD"]
    assert [(c.version, c.status) for c in cards] == [
        (1, LicenceStatus.SUPERSEDED),
        (2, LicenceStatus.VALID),
    ]
    first, renewed = cards
    assert renewed.previous_id == first.pk
    assert renewed.number == first.number
    assert renewed.identifier.split(".")[-3] == first.identifier.split(".")[-3]  # same serial
    assert [c.pk for c in licence_chain(renewed)] == [renewed.pk, first.pk]
    assert licence_verify(first.identifier).status == LicenceStatus.SUPERSEDED
    assert licence_verify(first.identifier).genuine
    assert licence_verify(renewed.identifier).genuine
    assert renewed.valid_to == date(2045, 3, 25)


def test_zhang_minghuas_driving_licence_expires_within_30_days_and_he_is_reminded(
    city: DemoSummary,
) -> None:
    today = timezone.localdate()
    licence = next(
        lic for lic in held_by(citizen("张明华")) if lic.licence_type.code == "DRIVING_LICENCE"
    )
    assert licence.status == LicenceStatus.VALID
    assert licence.valid_to == today + timedelta(days=EXPIRING_IN_DAYS)
    assert licence.expiry_reminded_on == today
    reminder = OutboxMessage.objects.get(
        dedupe_key=f"licence-expiry:{licence.pk}:{licence.valid_to.isoformat()}"
    )
    assert reminder.recipient.endswith("13800000001")


def test_one_food_business_licence_was_revoked_by_the_market_regulators_head(
    city: DemoSummary,
) -> None:
    revoked = Licence.objects.get(status=LicenceStatus.REVOKED)
    assert revoked.licence_type.code == "FOOD_BUSINESS_LICENCE"
    assert revoked.issuer_name == "示范市市场监督管理局"
    change = LicenceStatusChange.objects.get(licence=revoked, to_status=LicenceStatus.REVOKED)
    assert change.actor is not None
    assert change.actor.username == "head"
    assert change.reason == REVOKE_REASON
    verification = licence_verify(revoked.identifier)
    assert verification.genuine
    assert not verification.usable
    assert verification.status == LicenceStatus.REVOKED


def test_the_demo_enterprises_hold_their_licences(city: DemoSummary) -> None:
    restaurant = DEMO_ENTERPRISES[0]
    holder = Holder(HolderKind.ENTERPRISE, restaurant.uscc, restaurant.name)
    codes = Counter(lic.licence_type.code for lic in held_by(holder))
    assert codes == {"BUSINESS_LICENCE": 1, "FOOD_BUSINESS_LICENCE": 2}
    usable = licences_usable_for(holder, list(ENTERPRISE_HOLDINGS[restaurant.name]))
    assert usable["BUSINESS_LICENCE"].number == restaurant.uscc
    assert usable["BUSINESS_LICENCE"].face["legal_representative"] == "王建国"
    for name, wanted in DEMO_HOLDINGS.items():
        assert set(licences_usable_for(citizen(name), list(wanted))) == set(wanted), name


def test_loading_again_changes_nothing(city: DemoSummary) -> None:
    counts = (
        Licence.objects.count(),
        LicenceStatusChange.objects.count(),
        AuditEntry.objects.count(),
        OutboxMessage.objects.count(),
    )
    statuses = Counter(Licence.objects.values_list("status", flat=True))
    again = load()
    assert again.created()["电子证照"] == 0
    assert again.created()["证照类型"] == 0
    assert (
        Licence.objects.count(),
        LicenceStatusChange.objects.count(),
        AuditEntry.objects.count(),
        OutboxMessage.objects.count(),
    ) == counts
    assert Counter(Licence.objects.values_list("status", flat=True)) == statuses


def test_the_plan_is_deterministic_from_the_seed() -> None:
    today = date(2026, 11, 22)

    def plan(seed: int) -> list[tuple[str, str, str, str]]:
        ctx = DemoContext(seed=seed, stdout=io.StringIO(), summary=DemoSummary(seed=seed))
        planned, _ = build_plan(ctx.rng, today)
        return [
            (p.type_code, p.holder.code, p.number, str(sorted(p.face.items()))) for p in planned
        ]

    assert plan(SEED) == plan(SEED)
    assert plan(SEED + 1) != plan(SEED)
