from datetime import date

import pytest
from django.utils import timezone

from yiwang.licences.selectors import (
    holders_of_user,
    licence_for_user,
    licences_for_user,
    licences_usable_for,
)
from yiwang.licences.services import licence_status_change
from yiwang.licences.tests.factories import (
    BUSINESS_FACE,
    citizen,
    enterprise,
    make_department,
    make_licence,
    make_licence_type,
    make_staff,
    make_user,
)
from yiwang.licences.workflow import HolderKind, LicenceStatus
from yiwang.platform.errors import NotFound

pytestmark = pytest.mark.django_db

COMPANY_FACE = {
    "legal_representative": "王建国",
    "registered_capital": "50",
    "entity_type": "合伙企业",
}


def test_the_wallet_holds_own_and_represented_enterprises_licences_only(
    verified_person, enterprise_of
):
    ent = enterprise_of("王建国")
    boss = ent.legal_representative
    stranger = verified_person("李秀英")
    own = make_licence(holder=citizen(boss))
    company_type = make_licence_type(holder_kind=HolderKind.ENTERPRISE, face_fields=BUSINESS_FACE)
    company = make_licence(holder=enterprise(ent), licence_type=company_type, face=COMPANY_FACE)
    theirs = make_licence(holder=citizen(stranger))
    assert [h.code_type for h in holders_of_user(boss.user)] == ["111", "001"]
    assert set(licences_for_user(boss.user)) == {own, company}
    assert licences_for_user(stranger.user) == [theirs]
    assert licence_for_user(boss.user, company.pk) == company
    with pytest.raises(NotFound):
        licence_for_user(boss.user, theirs.pk)
    with pytest.raises(NotFound):
        licence_for_user(make_user(), own.pk)  # not verified: holds nothing


def test_replaced_and_revoked_licences_leave_the_wallet_unless_asked_for(verified_person):
    person = verified_person("张明华")
    issuer = make_department()
    head = make_staff(issuer, "department_head")
    licence_type = make_licence_type()
    old = make_licence(holder=citizen(person), licence_type=licence_type, issuer=issuer)
    new = make_licence(holder=citizen(person), licence_type=licence_type, issuer=issuer)
    revoked = make_licence(holder=citizen(person), issuer=issuer)
    licence_status_change(
        licence=revoked, to_status=LicenceStatus.REVOKED, reason="吊销", actor=head
    )
    assert licences_for_user(person.user) == [new]
    assert set(licences_for_user(person.user, include_ended=True)) == {old, new, revoked}


def test_usable_licences_are_the_newest_valid_one_per_type(verified_person):
    person = verified_person("张明华")
    several = make_licence_type(several_valid=True)
    older = make_licence(holder=citizen(person), licence_type=several, issued_on=date(2020, 1, 1))
    newer = make_licence(holder=citizen(person), licence_type=several, issued_on=date(2024, 1, 1))
    ended = make_licence_type()
    make_licence(
        holder=citizen(person),
        licence_type=ended,
        issued_on=date(2020, 1, 1),
        valid_to=timezone.localdate().replace(year=2021),
    )
    usable = licences_usable_for(citizen(person), [several.code, ended.code, "ID_CARD"])
    assert usable == {several.code: newer}
    assert older not in usable.values()
    assert licences_usable_for(citizen(person), []) == {}


def test_the_wallet_list_costs_a_fixed_number_of_queries(
    verified_person, enterprise_of, django_assert_num_queries
):
    ent = enterprise_of("王建国")
    boss = ent.legal_representative
    for _ in range(5):
        make_licence(holder=citizen(boss), licence_type=make_licence_type())
    user = boss.user
    # the person (twice: once for the wallet, once inside enterprises_for_user), the
    # enterprises, then the licences with their types — however many licences there are
    with django_assert_num_queries(4):
        assert len(licences_for_user(user)) == 5
