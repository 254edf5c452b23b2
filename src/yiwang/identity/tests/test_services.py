from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from yiwang.identity import services
from yiwang.identity.models import (
    AgentAuthorisation,
    Enterprise,
    Person,
    RealNameLevel,
    RealNameVerification,
    StaffMembership,
    StaffRole,
)
from yiwang.identity.tests.factories import make_user, new_citizen_id, new_uscc
from yiwang.platform.crypto import blind_index
from yiwang.platform.errors import Conflict, Forbidden, InvalidInput, RateLimited, RuleViolated
from yiwang.platform.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_verification_with_registry_match_creates_a_level_2_person(registry_person):
    user = make_user()
    name, citizen_id = registry_person("王小明")

    person = services.person_verify_identity(user=user, name=name, citizen_id=citizen_id)

    assert person.realname_level == RealNameLevel.L2
    assert person.citizen_id == citizen_id
    assert person.citizen_id_index == blind_index(citizen_id, purpose="citizen_id")
    assert RealNameVerification.objects.get(user=user).outcome == "passed"
    user.refresh_from_db()
    assert user.display_name == "王小明"
    assert AuditEntry.objects.filter(action="person.verified", actor=user).count() == 1


def test_verification_accepts_a_lower_case_x(registry_person):
    user = make_user()
    name, citizen_id = registry_person("李四", ends_with_x=True)
    person = services.person_verify_identity(user=user, name=name, citizen_id=citizen_id.lower())
    assert person.citizen_id == citizen_id


def test_verification_with_wrong_name_is_refused_and_the_attempt_is_kept(registry_person):
    user = make_user()
    _, citizen_id = registry_person("王小明")

    with pytest.raises(RuleViolated) as caught:
        services.person_verify_identity(user=user, name="王大明", citizen_id=citizen_id)

    assert caught.value.code == "verification_failed"
    assert not Person.objects.filter(user=user).exists()
    attempt = RealNameVerification.objects.get(user=user)
    assert attempt.outcome == "failed"
    assert attempt.level == RealNameLevel.NONE


def test_wrong_check_digit_is_explained_in_plain_words():
    user = make_user()
    valid = new_citizen_id()
    corrupted = valid[:17] + ("0" if valid[17] != "0" else "1")

    with pytest.raises(InvalidInput) as caught:
        services.person_verify_identity(user=user, name="张三", citizen_id=corrupted)

    assert caught.value.code == "citizen_id_check_digit"
    assert "校验码" in caught.value.message
    assert not RealNameVerification.objects.exists()


def test_an_id_number_belongs_to_one_account_only(registry_person):
    name, citizen_id = registry_person("陈静")
    services.person_verify_identity(user=make_user(), name=name, citizen_id=citizen_id)
    other = make_user()

    with pytest.raises(Conflict):
        services.person_verify_identity(user=other, name=name, citizen_id=citizen_id)

    assert not Person.objects.filter(user=other).exists()


def test_too_many_failures_in_a_day_are_refused_without_asking_the_verifier(registry_person):
    user = make_user()
    _, citizen_id = registry_person("赵敏")
    for _ in range(services.MAX_FAILED_VERIFICATIONS_PER_DAY):
        with pytest.raises(RuleViolated):
            services.person_verify_identity(user=user, name="错误姓名", citizen_id=citizen_id)

    with pytest.raises(RateLimited):
        services.person_verify_identity(user=user, name="赵敏", citizen_id=citizen_id)

    assert RealNameVerification.objects.filter(user=user).count() == (
        services.MAX_FAILED_VERIFICATIONS_PER_DAY
    )


def test_phone_is_stored_encrypted_and_found_by_its_index():
    user = make_user()
    services.account_set_phone(user=user, phone="138 0000 0009", verified=False)
    user.refresh_from_db()
    assert user.phone == "+8613800000009"
    assert user.phone_index == blind_index("+8613800000009", purpose="phone")


def test_a_phone_number_cannot_be_taken_twice():
    services.account_set_phone(user=make_user(), phone="13800000010", verified=True)
    other = make_user()
    with pytest.raises(Conflict):
        services.account_set_phone(user=other, phone="+8613800000010", verified=False)
    other.refresh_from_db()
    assert other.phone == ""


def test_enterprise_registration_needs_a_verified_representative(verified_person):
    unverified = make_user()
    with pytest.raises(RuleViolated) as caught:
        services.enterprise_register(user=unverified, name="某公司", uscc=new_uscc())
    assert caught.value.code == "person_not_verified"
    assert not Enterprise.objects.exists()


def test_enterprise_registration_checks_the_registry(verified_person, registry_enterprise):
    person = verified_person("孙丽")
    name, uscc = registry_enterprise("示范市孙丽餐饮有限公司", representative="孙丽")

    enterprise = services.enterprise_register(user=person.user, name=name, uscc=uscc)

    assert enterprise.legal_representative == person
    assert enterprise.realname_level == RealNameLevel.L2

    with pytest.raises(Conflict):
        services.enterprise_register(user=person.user, name=name, uscc=uscc)


def test_enterprise_of_someone_else_cannot_be_registered(verified_person, registry_enterprise):
    impostor = verified_person("钱多")
    name, uscc = registry_enterprise("示范市真实企业有限公司", representative="周正")
    with pytest.raises(RuleViolated):
        services.enterprise_register(user=impostor.user, name=name, uscc=uscc)
    assert not Enterprise.objects.exists()


def test_legal_representative_authorises_and_revokes_an_agent(enterprise_of, verified_person):
    enterprise = enterprise_of("吴刚")
    agent = verified_person("郑爽")
    today = timezone.localdate()

    authorisation = services.agent_authorise(
        enterprise=enterprise,
        by_user=enterprise.legal_representative.user,
        agent_name="郑爽",
        agent_citizen_id=agent.citizen_id,
        valid_from=today,
        valid_to=today + timedelta(days=30),
    )
    assert authorisation.agent == agent
    assert authorisation.scope_all_items is True

    services.agent_revoke(authorisation=authorisation, by_user=enterprise.legal_representative.user)
    authorisation.refresh_from_db()
    assert authorisation.revoked_at is not None


def test_an_agent_cannot_authorise_other_agents(enterprise_of, verified_person):
    enterprise = enterprise_of("冯军")
    agent = verified_person("卫青")
    other = verified_person("蒋欣")
    today = timezone.localdate()
    services.agent_authorise(
        enterprise=enterprise,
        by_user=enterprise.legal_representative.user,
        agent_name="卫青",
        agent_citizen_id=agent.citizen_id,
        valid_from=today,
        valid_to=today + timedelta(days=30),
    )
    with pytest.raises(Forbidden):
        services.agent_authorise(
            enterprise=enterprise,
            by_user=agent.user,
            agent_name="蒋欣",
            agent_citizen_id=other.citizen_id,
            valid_from=today,
            valid_to=today + timedelta(days=30),
        )
    assert AgentAuthorisation.objects.filter(agent=other).count() == 0


def test_agent_period_must_be_in_order(enterprise_of, verified_person):
    enterprise = enterprise_of("沈腾")
    agent = verified_person("韩梅")
    today = timezone.localdate()
    with pytest.raises(InvalidInput) as caught:
        services.agent_authorise(
            enterprise=enterprise,
            by_user=enterprise.legal_representative.user,
            agent_name="韩梅",
            agent_citizen_id=agent.citizen_id,
            valid_from=today,
            valid_to=today - timedelta(days=1),
        )
    assert caught.value.code == "agent_period_order"
    assert not AgentAuthorisation.objects.exists()


def test_unknown_agent_is_refused(enterprise_of):
    enterprise = enterprise_of("杨洋")
    today = timezone.localdate()
    with pytest.raises(RuleViolated) as caught:
        services.agent_authorise(
            enterprise=enterprise,
            by_user=enterprise.legal_representative.user,
            agent_name="无名氏",
            agent_citizen_id=new_citizen_id(),
            valid_from=today,
            valid_to=today + timedelta(days=1),
        )
    assert caught.value.code == "agent_not_found"


def test_staff_membership_grant_is_idempotent_and_audited(department):
    user = make_user()
    services.staff_membership_grant(
        user=user, department=department, role=StaffRole.REVIEWER, granted_by=None
    )
    services.staff_membership_grant(
        user=user, department=department, role=StaffRole.REVIEWER, granted_by=None
    )
    assert StaffMembership.objects.filter(user=user).count() == 1
    assert AuditEntry.objects.filter(action="staff.membership_granted").count() == 1


def test_unknown_role_is_refused(department):
    user = make_user()
    with pytest.raises(InvalidInput):
        services.staff_membership_grant(
            user=user, department=department, role="janitor", granted_by=None
        )
    assert not StaffMembership.objects.exists()
