"""The Open311 server's extensions (DOMAIN §8): where submissions live, multipart photos,
`extensions=true` (attribute answers and notes) and FixMyStreet's citizen updates, in XML and
JSON, with the denied cases changing nothing."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from yiwang.hotline.models import (
    Open311Submission,
    Open311Update,
    Ticket,
    TicketAssignment,
    TicketAttachment,
    TicketStep,
)
from yiwang.hotline.services import (
    open311_key_issue,
    open311_key_revoke,
    ticket_answer_directly,
    ticket_dispatch,
    ticket_merge,
)
from yiwang.hotline.tests.factories import HotlineSetup, report
from yiwang.hotline.tests.test_open311 import (
    BASE,
    FORMATS,
    ISO_WITH_ZONE,
    REQUEST_FIELDS,
    assert_error,
    parsed,
    rows,
    valid_post,
)
from yiwang.hotline.tests.test_open311 import setup as setup  # the fixture
from yiwang.hotline.tests.test_views_staff import login
from yiwang.hotline.workflow import StepAction, TicketStatus
from yiwang.platform.models import AuditEntry

pytestmark = pytest.mark.django_db

UPDATE_FIELDS = [
    "update_id",
    "service_request_id",
    "status",
    "updated_datetime",
    "description",
    "media_url",
]
NOTE_FIELDS = ["datetime", "type", "status", "description", "media_url"]


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(out, format="GIF")
    return out.getvalue()


@pytest.fixture
def api_key() -> str:
    return open311_key_issue(name="城市随手拍 App", actor=None).key


@pytest.fixture
def other_key() -> str:
    return open311_key_issue(name="另一个应用", actor=None).key


def jpeg_with_exif(size: tuple[int, int] = (64, 48)) -> bytes:
    image = Image.new("RGB", size, (120, 90, 60))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def photo(name: str = "manhole.jpg", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data or jpeg_with_exif(), content_type="image/jpeg")


def submitted(setup: HotlineSetup, key: str, **overrides: Any) -> Ticket:
    response = Client().post(f"{BASE}requests.json", valid_post(setup, key, **overrides))
    assert response.status_code == 201, response.content
    return Ticket.objects.get(number=response.json()[0]["service_request_id"])


def iso_now(**delta: float) -> str:
    return timezone.localtime(timezone.now() + timedelta(**delta)).isoformat(timespec="seconds")


def update_post(key: str | None, ticket: Ticket | str, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "api_key": key,
        "service_request_id": ticket if isinstance(ticket, str) else ticket.number,
        "updated_datetime": iso_now(),
        "status": "OPEN",  # FixMyStreet sends upper case
        "description": "井盖旁边又塌了一块，请尽快处理。",
        "first_name": "明华",
        "last_name": "张",
        "email": "zhang@example.cn",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post_update(fmt: str, data: dict[str, Any]) -> Any:
    return Client(enforce_csrf_checks=True).post(f"{BASE}servicerequestupdates.{fmt}", data)


def state(ticket: Ticket) -> tuple[Any, ...]:
    """Everything a denied update must leave as it was."""
    ticket.refresh_from_db()
    return (
        ticket.status,
        ticket.updated_at,
        TicketStep.objects.filter(ticket=ticket).count(),
        TicketAttachment.objects.filter(ticket=ticket).count(),
        Open311Update.objects.count(),
    )


# --- where submissions live ------------------------------------------------------------------


def test_a_submission_records_the_app_and_what_it_said_about_its_user(setup, api_key):
    ticket = submitted(
        setup,
        api_key,
        device_id="dev-9",
        account_id="acc-7",
        media_url="https://img.example.cn/a.jpg",
    )
    submission = Open311Submission.objects.get(ticket=ticket)
    assert submission.client.name == "城市随手拍 App"
    assert (submission.email, submission.device_id, submission.account_id) == (
        "zhang@example.cn",
        "dev-9",
        "acc-7",
    )
    assert submission.media_url == "https://img.example.cn/a.jpg"
    register = TicketStep.objects.get(ticket=ticket, action=StepAction.REGISTER)
    assert "zhang@example.cn" not in str(register.data)


def test_the_staff_ticket_page_names_the_app_but_never_the_email(client, setup, api_key):
    ticket = submitted(setup, api_key)
    login(client, setup.dispatcher)
    page = client.get(f"/hotline/tickets/{ticket.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "城市随手拍 App" in text
    assert "zhang@example.cn" not in text


def test_a_ticket_of_another_channel_has_no_submission(setup):
    ticket = report(setup)
    assert not Open311Submission.objects.filter(ticket=ticket).exists()


# --- multipart photos ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_multipart_photo_becomes_an_attachment_and_the_media_url(setup, api_key, fmt):
    data = valid_post(setup, api_key, media=photo())
    response = Client().post(f"{BASE}requests.{fmt}", data)  # multipart/form-data
    assert response.status_code == 201, response.content
    (row,) = rows(response, fmt)
    ticket = Ticket.objects.get(number=row["service_request_id"])
    (attachment,) = TicketAttachment.objects.filter(ticket=ticket)
    assert attachment.content_type == "image/jpeg"
    with attachment.original.open("rb") as original:  # sealed as it came
        assert Image.open(original).getexif()[0x010F] == "PhoneMaker"
    (listed,) = rows(Client().get(f"{BASE}requests/{ticket.number}.{fmt}"), fmt)
    assert listed["media_url"] == f"http://testserver{BASE}media/{attachment.pk}.jpg"
    served = Client().get(listed["media_url"])
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    public = Image.open(io.BytesIO(served.getvalue()))
    assert public.format == "JPEG"
    assert dict(public.getexif()) == {}  # no EXIF in what is published


def test_the_photo_is_served_only_while_the_ticket_is_public(setup, api_key):
    ticket = submitted(setup, api_key, media=photo())
    attachment = TicketAttachment.objects.get(ticket=ticket)
    url = f"{BASE}media/{attachment.pk}.jpg"
    assert Client().get(url).status_code == 200
    Ticket.objects.filter(pk=ticket.pk).update(confidential=True)
    assert_error(Client().get(url), "xml", 404)
    assert_error(Client().get(f"{BASE}media/999999.jpg"), "xml", 404)
    assert_error(Client().post(url), "xml", 405)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg"),
        SimpleUploadedFile("x.gif", gif(), content_type="image/gif"),
        "a photo as text",
    ],
    ids=["not-an-image", "gif", "text"],
)
def test_a_bad_file_is_a_400_and_registers_nothing(setup, api_key, fmt, upload):
    if isinstance(upload, SimpleUploadedFile):
        upload.seek(0)
    response = Client().post(f"{BASE}requests.{fmt}", valid_post(setup, api_key, media=upload))
    (description,) = assert_error(response, fmt, 400)
    assert description.startswith("media")
    if isinstance(upload, SimpleUploadedFile) and upload.name == "x.gif":
        assert "JPG、PNG 或 WEBP" in description
    assert Ticket.objects.count() == 0
    assert TicketAttachment.objects.count() == 0
    assert Open311Submission.objects.count() == 0


def test_a_photo_over_10_mb_is_a_400_and_registers_nothing(setup, api_key, monkeypatch):
    from yiwang.hotline.services import reporter

    monkeypatch.setattr(reporter, "PHOTO_MAX_BYTES", 1000)
    big = photo(data=jpeg_with_exif((400, 300)))
    assert (big.size or 0) > 1000
    response = Client().post(f"{BASE}requests.json", valid_post(setup, api_key, media=big))
    (description,) = assert_error(response, "json", 400)
    assert "10 MB" in description
    assert Ticket.objects.count() == 0
    assert TicketAttachment.objects.count() == 0


# --- extensions=true -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_extensions_add_attribute_answers_and_public_notes(setup, api_key, fmt):
    ticket = submitted(setup, api_key, **{"attribute[width]": "30"})
    ticket_dispatch(ticket=ticket, lead=setup.roads, actor=setup.dispatcher, note="内部备注勿公开")
    response = Client().get(f"{BASE}requests/{ticket.number}.{fmt}", {"extensions": "true"})
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert "内部备注" not in text
    assert "zhang@example.cn" not in text
    data = parsed(response, fmt)
    if fmt == "json":
        (row,) = data
        assert list(row) == [*REQUEST_FIELDS, "attributes", "notes"]
        attributes, notes = row["attributes"], row["notes"]
    else:
        (request,) = data
        assert [c.tag for c in request] == [*REQUEST_FIELDS, "attributes", "notes"]
        attributes = [{f.tag: f.text for f in a} for a in request.findall("attributes/attribute")]
        notes = [{f.tag: f.text for f in n} for n in request.findall("notes/note")]
        assert len(request.find("attributes") or []) == len(attributes)
    assert attributes == [
        {"code": "width", "label": "破损宽度（厘米）", "value": "30", "name": "30"},
        {"code": "depth", "label": "坑有多深？", "value": "deep", "name": "较深"},
    ]
    assert all(list(n) == NOTE_FIELDS for n in notes)
    assert [(n["type"], n["status"]) for n in notes] == [
        ("register", "open"),
        ("dispatch", "in_progress"),
    ]
    assert notes[1]["description"] == "已转交示范市城市管理局办理"
    assert all(ISO_WITH_ZONE.match(n["datetime"]) for n in notes)
    assert all(n["media_url"] is None for n in notes)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_multi_value_answer_is_one_attribute_item_per_value(setup, api_key, fmt):
    from yiwang.hotline.models import Category

    Category.objects.filter(pk=setup.noise.pk).update(
        questions=[
            {
                "code": "when",
                "description": "什么时候",
                "datatype": "multivaluelist",
                "values": [{"key": "day", "name": "白天"}, {"key": "night", "name": "夜间"}],
            }
        ]
    )
    response = Client().post(
        f"{BASE}requests.json",
        {
            "api_key": api_key,
            "service_code": "0302",
            "address_string": "清溪广场",
            "attribute[when][]": ["day", "night"],
        },
    )
    number = response.json()[0]["service_request_id"]
    listed = Client().get(
        f"{BASE}requests.{fmt}", {"service_request_id": number, "extensions": "true"}
    )
    data = parsed(listed, fmt)
    if fmt == "json":
        items = data[0]["attributes"]
    else:
        items = [{f.tag: f.text for f in a} for a in data.findall("request/attributes/attribute")]
    assert [(a["code"], a["value"], a["name"]) for a in items] == [
        ("when", "day", "白天"),
        ("when", "night", "夜间"),
    ]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("value", [None, "", "false", "yes"])
def test_without_extensions_true_nothing_changes(setup, api_key, fmt, value):
    submitted(setup, api_key)
    query = {} if value is None else {"extensions": value}
    (row,) = rows(Client().get(f"{BASE}requests.{fmt}", query), fmt)
    assert list(row) == REQUEST_FIELDS


def test_extensions_on_a_list_take_one_more_query_however_many(setup, django_assert_num_queries):
    for n in range(5):
        report(setup, content=f"井盖破损 {n}")
    with django_assert_num_queries(3):  # tickets; public photos; public steps of all
        response = Client().get(f"{BASE}requests.json", {"extensions": "true"})
    assert len(response.json()) == 5
    assert all(len(r["notes"]) == 1 for r in response.json())


def test_an_old_registration_with_app_data_shows_only_the_attributes(setup):
    """Before 0004 the app's data sat in the registration step; it is never shown."""
    ticket = report(setup)
    TicketStep.objects.filter(ticket=ticket, action=StepAction.REGISTER).update(
        data={"answers": {"depth": "deep", "open311:email": "old@example.cn"}}
    )
    response = Client().get(f"{BASE}requests/{ticket.number}.json", {"extensions": "true"})
    assert "old@example.cn" not in response.content.decode()
    assert [a["code"] for a in response.json()[0]["attributes"]] == ["depth"]


# --- POST servicerequestupdates --------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_citizen_update_appends_a_supplement_the_unit_sees(setup, api_key, fmt):
    ticket = submitted(setup, api_key)
    ticket_dispatch(ticket=ticket, lead=setup.roads, actor=setup.dispatcher)
    ticket.refresh_from_db()
    before = ticket.status
    response = post_update(fmt, update_post(api_key, ticket, update_id_ext="fms-1"))
    assert response.status_code == 201, response.content
    (row,) = rows(response, fmt, "request_update")
    assert list(row) == UPDATE_FIELDS
    step = TicketStep.objects.get(ticket=ticket, action=StepAction.SUPPLEMENT)
    assert row["update_id"] == str(step.pk)
    assert row["service_request_id"] == ticket.number
    assert row["status"] == "in_progress"
    assert row["description"] == "井盖旁边又塌了一块，请尽快处理。"
    assert ISO_WITH_ZONE.match(row["updated_datetime"])
    ticket.refresh_from_db()
    assert ticket.status == before  # never a change of status
    assert (step.from_status, step.to_status, step.is_public) == (before, before, True)
    assert step.actor_label == "城市随手拍 App（开放接口）"
    update = Open311Update.objects.get(step=step)
    assert (update.email, update.name, update.status, update.update_id_ext) == (
        "zhang@example.cn",
        "张明华",
        "open",
        "fms-1",
    )
    assert "zhang@example.cn" not in str(step.data) + step.note
    assert AuditEntry.objects.filter(action="hotline.open311.update_posted").count() == 1
    # The unit handling it sees it on its ticket page.
    client = login(Client(), setup.road_handler)
    lead = TicketAssignment.objects.get(ticket=ticket, department=setup.roads)
    page = client.get(f"/hotline/unit/{lead.pk}/")
    assert page.status_code == 200
    assert "井盖旁边又塌了一块" in page.content.decode()
    # And it is listed with the public updates.
    listed = rows(Client().get(f"{BASE}servicerequestupdates.{fmt}"), fmt, "request_update")
    assert [u["update_id"] for u in listed][-1] == str(step.pk)


@pytest.mark.parametrize("fmt", FORMATS)
def test_closed_from_an_app_is_the_citizens_note_not_a_closure(setup, api_key, fmt):
    ticket = submitted(setup, api_key)
    response = post_update(
        fmt, update_post(api_key, ticket, status="CLOSED", description="已经修好了，谢谢。")
    )
    assert response.status_code == 201, response.content
    (row,) = rows(response, fmt, "request_update")
    assert row["status"] == "open"  # the ticket's, not the app's
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.RECEIVED
    assert ticket.closed_at is None
    step = TicketStep.objects.get(ticket=ticket, action=StepAction.SUPPLEMENT)
    assert step.note == "诉求人表示问题已解决。已经修好了，谢谢。"


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_update_with_a_photo_publishes_its_public_copy(setup, api_key, fmt):
    ticket = submitted(setup, api_key)
    data = update_post(api_key, ticket, description="", media=photo("more.jpg"))
    response = post_update(fmt, data)
    assert response.status_code == 201, response.content
    (row,) = rows(response, fmt, "request_update")
    attachment = TicketAttachment.objects.get(ticket=ticket)
    assert row["media_url"] == f"http://testserver{BASE}media/{attachment.pk}.jpg"
    assert row["description"] == "诉求人补充了照片。"
    assert Client().get(row["media_url"]).status_code == 200
    (listed,) = rows(Client().get(f"{BASE}requests/{ticket.number}.{fmt}"), fmt)
    assert listed["media_url"] == row["media_url"]  # the request's first photo now


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_retried_update_returns_the_first_one(setup, api_key, fmt):
    ticket = submitted(setup, api_key)
    data = update_post(api_key, ticket)
    first = post_update(fmt, data)
    again = post_update(fmt, data)
    assert (first.status_code, again.status_code) == (201, 200)
    assert rows(again, fmt, "request_update") == rows(first, fmt, "request_update")
    assert TicketStep.objects.filter(ticket=ticket, action=StepAction.SUPPLEMENT).count() == 1
    # The app's own id decides when it sends one, even if the text was edited in between.
    with_id = update_post(api_key, ticket, update_id_ext="fms-2", description="第二条补充")
    assert post_update(fmt, with_id).status_code == 201
    edited = {**with_id, "description": "第二条补充（改）"}
    assert post_update(fmt, edited).status_code == 200
    # A different text at another time is a new update.
    later = update_post(api_key, ticket, updated_datetime=iso_now(minutes=-1), description="又一条")
    assert post_update(fmt, later).status_code == 201
    assert TicketStep.objects.filter(ticket=ticket, action=StepAction.SUPPLEMENT).count() == 3


def test_a_retry_after_closing_still_returns_the_recorded_update(setup, api_key):
    ticket = submitted(setup, api_key)
    data = update_post(api_key, ticket)
    assert post_update("json", data).status_code == 201
    ticket_answer_directly(ticket=ticket, answer="已处理", actor=setup.operator)
    assert post_update("json", data).status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("key", [None, "", "not-a-key-at-all", "revoked"])
def test_an_update_without_a_valid_key_is_403_and_changes_nothing(setup, api_key, fmt, key):
    ticket = submitted(setup, api_key)
    if key == "revoked":
        issued = open311_key_issue(name="旧应用", actor=None)
        open311_key_revoke(client=issued.client, actor=None)
        key = issued.key
    before = state(ticket)
    assert_error(post_update(fmt, update_post(key, ticket)), fmt, 403)
    assert state(ticket) == before


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_app_cannot_update_another_apps_or_another_channels_ticket(
    setup, api_key, other_key, fmt
):
    theirs = submitted(setup, api_key)
    phoned = report(setup)
    for ticket in (theirs, phoned):
        before = state(ticket)
        assert_error(post_update(fmt, update_post(other_key, ticket)), fmt, 403)
        assert state(ticket) == before


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_and_private_requests_are_404(setup, api_key, fmt):
    ticket = submitted(setup, api_key)
    assert_error(post_update(fmt, update_post(api_key, "359900000000000000")), fmt, 404)
    Ticket.objects.filter(pk=ticket.pk).update(confidential=True)
    before = state(ticket)
    assert_error(post_update(fmt, update_post(api_key, ticket)), fmt, 404)
    assert state(ticket) == before


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("how", ["answered", "merged"])
def test_a_closed_or_merged_request_takes_no_update(setup, api_key, fmt, how):
    ticket = submitted(setup, api_key)
    if how == "answered":
        ticket_answer_directly(ticket=ticket, answer="已处理", actor=setup.operator)
    else:
        master = report(setup)
        ticket_merge(duplicate=ticket, master=master, actor=setup.operator)
    before = state(ticket)
    (description,) = assert_error(post_update(fmt, update_post(api_key, ticket)), fmt, 400)
    assert "已办结" in description
    assert state(ticket) == before


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "overrides",
    [
        {"service_request_id": None},
        {"status": None},
        {"status": "solved"},
        {"updated_datetime": None},
        {"updated_datetime": "2026-11-22T09:30:00"},  # no time zone
        {"updated_datetime": "tomorrow"},
        {"description": "<b>快</b>"},
        {"description": "坑" * 4001},
        {"description": None},  # nothing to add
        {"media_url": "ftp://example.cn/a.jpg"},
        {"media": SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")},
    ],
)
def test_bad_updates_are_400_and_change_nothing(setup, api_key, fmt, overrides):
    ticket = submitted(setup, api_key)
    before = state(ticket)
    response = post_update(fmt, update_post(api_key, ticket, **overrides))
    assert all(assert_error(response, fmt, 400))
    assert state(ticket) == before


def test_an_update_dated_in_the_future_is_refused(setup, api_key):
    ticket = submitted(setup, api_key)
    data = update_post(api_key, ticket, updated_datetime=iso_now(hours=3))
    (description,) = assert_error(post_update("json", data), "json", 400)
    assert "updated_datetime" in description


@pytest.mark.parametrize("fmt", FORMATS)
def test_updates_share_the_keys_rate_limit_with_requests(setup, api_key, fmt, settings):
    ticket = submitted(setup, api_key)  # one POST
    settings.HOTLINE_OPEN311_POSTS_PER_MINUTE = 2
    first = update_post(api_key, ticket, description="第一条")
    assert post_update(fmt, first).status_code == 201  # two
    before = state(ticket)
    second = update_post(api_key, ticket, description="第二条")
    assert_error(post_update(fmt, second), fmt, 429)
    assert state(ticket) == before


def test_a_wrong_method_on_updates_is_405(client):
    response = client.put(f"{BASE}servicerequestupdates.json")
    assert_error(response, "json", 405)
    assert response["Allow"] == "GET, HEAD, POST"


# --- the admin -------------------------------------------------------------------------------


def test_the_admin_shows_how_many_requests_and_updates_each_app_sent(client, setup, api_key):
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import get_user_model

    ticket = submitted(setup, api_key)
    submitted(setup, api_key)
    assert post_update("json", update_post(api_key, ticket)).status_code == 201
    open311_key_issue(name="没用过的应用", actor=None)
    user = get_user_model().objects.create_superuser(username="hotline-admin", password="x")
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(user)
    response = client.get("/admin/hotline/open311client/")
    assert response.status_code == 200
    counts = {
        row.name: (row.submissions_total, row.updates_total)
        for row in response.context["cl"].result_list
    }
    assert counts == {"城市随手拍 App": (2, 1), "没用过的应用": (0, 0)}
    app = Open311Submission.objects.get(ticket=ticket).client
    page = client.get(f"/admin/hotline/open311client/{app.pk}/change/").content.decode()
    assert "提交的诉求" in page
    assert "zhang@example.cn" not in page


# --- migration 0004 --------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_migration_moves_the_apps_data_out_of_the_registration_step(setup, api_key):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    ticket = submitted(setup, api_key)
    phoned = report(setup)
    Open311Submission.objects.all().delete()
    legacy = {
        "depth": "deep",
        "open311:client": "城市随手拍 App",
        "open311:email": "zhang@example.cn",
        "open311:account_id": "u-42",
    }
    TicketStep.objects.filter(ticket=ticket, action=StepAction.REGISTER).update(
        data={"answers": legacy}
    )
    executor = MigrationExecutor(connection)
    executor.migrate([("hotline", "0003_dispatch_model_run")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("hotline", "0004_open311_submission")])
    submission = Open311Submission.objects.get(ticket=ticket)
    assert submission.client.name == "城市随手拍 App"
    assert (submission.email, submission.account_id) == ("zhang@example.cn", "u-42")
    register = TicketStep.objects.get(ticket=ticket, action=StepAction.REGISTER)
    assert register.data == {"answers": {"depth": "deep"}}
    assert not Open311Submission.objects.filter(ticket=phoned).exists()
