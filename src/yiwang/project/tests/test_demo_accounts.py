from __future__ import annotations

import io

import pytest
from allauth.mfa.models import Authenticator

from yiwang.identity.models import AgentAuthorisation, Enterprise, Person, StaffMembership, User
from yiwang.identity.selectors import enterprises_for_user
from yiwang.project.demo.accounts import STAFF_USERNAMES, print_demo_accounts, totp_secret_for
from yiwang.project.demo.context import DemoContext, DemoSummary
from yiwang.project.demo.loader import DEMO_STEPS

pytestmark = pytest.mark.django_db

# Only what the accounts need: the full demo (with its catalogue) is tested in test_demo_city.
NEEDED = ("regions", "departments", "registry", "accounts")


def _load(seed: int = 7) -> None:
    ctx = DemoContext(seed=seed, stdout=io.StringIO(), summary=DemoSummary(seed=seed))
    for step in DEMO_STEPS:
        if step.name in NEEDED:
            step.load(ctx)


def test_demo_accounts_cover_every_role_and_load_idempotently():
    _load()
    counts = (User.objects.count(), Person.objects.count(), StaffMembership.objects.count())
    _load()

    assert (User.objects.count(), Person.objects.count()) == counts[:2]
    assert User.objects.count() == 3 + len(STAFF_USERNAMES)
    assert Person.objects.count() == 3
    assert Enterprise.objects.count() == 1
    assert AgentAuthorisation.objects.count() == 1
    assert StaffMembership.objects.count() == len(STAFF_USERNAMES) == 10
    assert Authenticator.objects.filter(type=Authenticator.Type.TOTP).count() == 10
    assert {m.role for m in StaffMembership.objects.all()} == set(STAFF_USERNAMES)


def test_the_demo_agent_acts_for_the_demo_enterprise():
    _load()
    agent = User.objects.get(username="agent")
    assert [e.name for e in enterprises_for_user(agent)] == ["示范市清溪餐饮管理有限公司"]
    assert agent.person.name == "陈静"


def test_printed_accounts_show_the_seeded_totp_secrets():
    _load(seed=7)
    out = io.StringIO()
    print_demo_accounts(out, seed=7)
    text = out.getvalue()
    assert totp_secret_for("clerk", seed=7) in text
    assert "13800000001" in text
    assert totp_secret_for("clerk", seed=7) != totp_secret_for("clerk", seed=8)
