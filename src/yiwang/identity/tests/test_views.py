from __future__ import annotations

import pytest

from yiwang.identity.models import Person
from yiwang.identity.tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_profile_needs_sign_in(client):
    response = client.get("/me/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_profile_shows_the_masked_id_number_only(client, verified_person):
    person = verified_person("欧阳娜娜")
    client.force_login(person.user)
    page = client.get("/me/").content.decode()
    assert person.citizen_id not in page
    assert person.citizen_id[:4] + "**********" + person.citizen_id[-4:] in page
    assert "二级（公安核验）" in page


def test_verify_form_keeps_what_was_typed_after_a_bad_check_digit(client):
    client.force_login(make_user())
    response = client.post("/me/verify/", {"name": "张三", "citizen_id": "110105194912310021"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "身份证号码最后一位校验码不正确" in page
    assert 'value="张三"' in page
    assert 'value="110105194912310021"' in page
    assert not Person.objects.exists()


def test_verify_form_success_redirects_to_profile(client, registry_person):
    user = make_user()
    name, citizen_id = registry_person("高圆圆")
    client.force_login(user)
    response = client.post("/me/verify/", {"name": name, "citizen_id": citizen_id})
    assert response.status_code == 302
    assert response["Location"] == "/me/"
    assert Person.objects.get(user=user).name == "高圆圆"


def test_enterprise_page_of_another_citizen_is_not_found(client, enterprise_of, verified_person):
    enterprise = enterprise_of("董卿")
    stranger = verified_person("路人乙")
    client.force_login(stranger.user)
    response = client.get(f"/me/enterprises/{enterprise.pk}/")
    assert response.status_code == 404
    assert enterprise.name not in response.content.decode()


def test_acting_as_an_enterprise_of_someone_else_is_refused(client, enterprise_of, verified_person):
    enterprise = enterprise_of("撒贝宁")
    stranger = verified_person("路人丙")
    client.force_login(stranger.user)
    response = client.post("/me/enterprises/act-as/", {"enterprise_id": enterprise.pk})
    assert response.status_code == 404
    assert "acting_enterprise_id" not in client.session
