from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator

from yiwang.identity.models import AgentAuthorisation, Enterprise, Person, StaffMembership, User
from yiwang.identity.selectors import enterprises_for_user
from yiwang.project.demo.accounts import AGENT, STAFF, load_demo_accounts, totp_secret_for

pytestmark = pytest.mark.django_db


def test_demo_accounts_cover_every_role_and_load_idempotently(department):
    first = load_demo_accounts(seed=7)
    second = load_demo_accounts(seed=7)

    assert [a.username for a in first] == [a.username for a in second]
    assert len(first) == 3 + len(STAFF)
    assert User.objects.count() == 3 + len(STAFF)
    assert Person.objects.count() == 3
    assert Enterprise.objects.count() == 1
    assert AgentAuthorisation.objects.count() == 1
    assert StaffMembership.objects.count() == len(STAFF)
    assert Authenticator.objects.filter(type=Authenticator.Type.TOTP).count() == len(STAFF)
    roles = {m.role for m in StaffMembership.objects.all()}
    assert len(roles) == 9


def test_demo_totp_secrets_come_from_the_seed(department):
    accounts = load_demo_accounts(seed=7)
    clerk = next(a for a in accounts if a.username == "clerk")
    assert clerk.totp_secret == totp_secret_for("clerk", seed=7)
    assert totp_secret_for("clerk", seed=7) != totp_secret_for("clerk", seed=8)


def test_the_demo_agent_acts_for_the_demo_enterprise(department):
    load_demo_accounts(seed=7)
    agent = User.objects.get(username="agent")
    assert [e.name for e in enterprises_for_user(agent)] == ["示范市清溪餐饮管理有限公司"]
    assert agent.person.name == AGENT.name
