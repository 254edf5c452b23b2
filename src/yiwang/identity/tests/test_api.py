from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from yiwang.identity.models import AgentAuthorisation, Person
from yiwang.identity.tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_me_needs_a_signed_in_user(client):
    response = client.get("/api/v1/identity/me")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_me_shows_only_masked_personal_data(client, verified_person):
    person = verified_person("林芳")
    client.force_login(person.user)

    body = client.get("/api/v1/identity/me").json()

    assert body["person"]["name"] == "林芳"
    masked = body["person"]["citizen_id_masked"]
    assert masked == person.citizen_id[:4] + "*" * 10 + person.citizen_id[-4:]
    assert person.citizen_id not in str(body)
    assert body["realname_level"] == 2


def test_verification_through_the_api(client, registry_person):
    user = make_user()
    name, citizen_id = registry_person("黄磊")
    client.force_login(user)

    response = client.post(
        "/api/v1/identity/me/verification",
        {"name": name, "citizen_id": citizen_id},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["person"]["realname_level_label"] == "二级（公安核验）"


def test_verification_with_a_bad_check_digit_is_a_422_in_chinese(client):
    client.force_login(make_user())
    response = client.post(
        "/api/v1/identity/me/verification",
        {"name": "张三", "citizen_id": "110105194912310021"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "citizen_id_check_digit"
    assert "校验码" in response.json()["message"]
    assert not Person.objects.exists()


def test_missing_fields_are_listed_one_by_one(client):
    client.force_login(make_user())
    response = client.post("/api/v1/identity/me/verification", {}, content_type="application/json")
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"name", "citizen_id"}


def test_a_citizen_cannot_see_another_citizens_enterprise(client, enterprise_of, verified_person):
    enterprise = enterprise_of("周涛")
    stranger = verified_person("路人甲")
    client.force_login(stranger.user)

    detail = client.get(f"/api/v1/identity/enterprises/{enterprise.pk}")
    agents = client.get(f"/api/v1/identity/enterprises/{enterprise.pk}/agents")
    missing = client.get("/api/v1/identity/enterprises/999999")

    assert detail.status_code == 404
    assert agents.status_code == 404
    assert detail.json() == missing.json()


def test_a_stranger_cannot_authorise_or_revoke_agents(client, enterprise_of, verified_person):
    enterprise = enterprise_of("孔明")
    agent = verified_person("关羽")
    stranger = verified_person("曹操")
    today = timezone.localdate()
    client.force_login(enterprise.legal_representative.user)
    created = client.post(
        f"/api/v1/identity/enterprises/{enterprise.pk}/agents",
        {
            "agent_name": "关羽",
            "agent_citizen_id": agent.citizen_id,
            "valid_from": today.isoformat(),
            "valid_to": (today + timedelta(days=10)).isoformat(),
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    authorisation_id = created.json()["id"]

    client.force_login(stranger.user)
    revoke = client.post(f"/api/v1/identity/agents/{authorisation_id}/revoke")
    add = client.post(
        f"/api/v1/identity/enterprises/{enterprise.pk}/agents",
        {
            "agent_name": "曹操",
            "agent_citizen_id": stranger.citizen_id,
            "valid_from": today.isoformat(),
            "valid_to": (today + timedelta(days=10)).isoformat(),
        },
        content_type="application/json",
    )

    assert revoke.status_code == 404
    assert add.status_code == 404
    assert AgentAuthorisation.objects.get(pk=authorisation_id).revoked_at is None
    assert AgentAuthorisation.objects.count() == 1


def test_an_agent_sees_the_enterprise_but_not_its_agents(client, enterprise_of, verified_person):
    enterprise = enterprise_of("刘备")
    agent = verified_person("张飞")
    today = timezone.localdate()
    AgentAuthorisation.objects.create(
        enterprise=enterprise,
        agent=agent,
        valid_from=today,
        valid_to=today + timedelta(days=5),
        authorised_by=enterprise.legal_representative.user,
    )
    client.force_login(agent.user)

    listed = client.get("/api/v1/identity/enterprises").json()
    assert [e["id"] for e in listed] == [enterprise.pk]
    assert listed[0]["is_legal_representative"] is False
    assert client.get(f"/api/v1/identity/enterprises/{enterprise.pk}/agents").status_code == 404


def test_an_expired_agent_no_longer_acts_for_the_enterprise(client, enterprise_of, verified_person):
    enterprise = enterprise_of("马超")
    agent = verified_person("黄忠")
    today = timezone.localdate()
    AgentAuthorisation.objects.create(
        enterprise=enterprise,
        agent=agent,
        valid_from=today - timedelta(days=10),
        valid_to=today - timedelta(days=1),
        authorised_by=enterprise.legal_representative.user,
    )
    client.force_login(agent.user)
    assert client.get("/api/v1/identity/enterprises").json() == []
    assert client.get(f"/api/v1/identity/enterprises/{enterprise.pk}").status_code == 404
