"""The Open311 client apps in the admin: adding one shows its key once; keys are revoked by an
action, never edited or deleted."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model

from yiwang.hotline.models import Open311Client
from yiwang.hotline.services import open311_key_check, open311_key_issue

pytestmark = pytest.mark.django_db
APPS = "/admin/hotline/open311client/"


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser(username="hotline-admin", password="x")
    # Staff need a second factor before anything else (StaffSecondFactorMiddleware).
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_adding_an_app_shows_its_key_once(admin_client):
    response = admin_client.post(
        f"{APPS}add/", {"name": "城市随手拍 App", "contact": "李工"}, follow=True
    )
    assert response.status_code == 200
    client = Open311Client.objects.get()
    (shown,) = [m for m in messages_of(response) if "只显示这一次" in m]
    key = re.search(r"密钥：(\S+)（", shown)
    assert key is not None
    assert open311_key_check(key=key.group(1)) == client
    assert client.created_by is not None
    assert client.created_by.get_username() == "hotline-admin"
    # The change page never shows it again.
    page = admin_client.get(f"{APPS}{client.pk}/change/").content.decode()
    assert key.group(1) not in page
    assert client.key_prefix in page


def test_the_list_and_the_revoke_action(admin_client):
    issued = open311_key_issue(name="旧应用", actor=None)
    keep = open311_key_issue(name="新应用", actor=None)
    listing = admin_client.get(APPS)
    assert listing.status_code == 200
    assert "旧应用" in listing.content.decode()
    response = admin_client.post(
        APPS,
        {"action": "revoke_keys", "_selected_action": [str(issued.client.pk)]},
        follow=True,
    )
    assert "已吊销 1 个应用的密钥。" in messages_of(response)
    assert open311_key_check(key=issued.key) is None
    assert open311_key_check(key=keep.key) == keep.client


def test_an_app_is_never_edited_or_deleted(admin_client):
    issued = open311_key_issue(name="应用", contact="李工", actor=None)
    admin_client.post(
        f"{APPS}{issued.client.pk}/change/", {"name": "改名", "contact": "王工"}, follow=True
    )
    issued.client.refresh_from_db()
    assert (issued.client.name, issued.client.contact) == ("应用", "李工")
    response = admin_client.post(f"{APPS}{issued.client.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Open311Client.objects.count() == 1
