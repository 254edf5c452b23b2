"""The citizen's pages: snap and report with a photo (EXIF stripped from the public copy) and
a location picked on the city's map (a point outside the city refused), my tickets, rating by
the reporter (closing or rework); the enterprise direct line and the leader's reading. Someone
else's ticket is a 404; denied POSTs change nothing."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from yiwang.hotline.models import Ticket, TicketAssignment, TicketAttachment
from yiwang.hotline.services import (
    ticket_dispatch,
    ticket_rate_by_reporter,
    ticket_reply,
    ticket_review,
    ticket_sign,
)
from yiwang.hotline.tests.factories import HotlineSetup, make_hotline, make_staff, make_user
from yiwang.hotline.tests.factories import report as make_report
from yiwang.hotline.workflow import AssignmentRole, TicketStatus
from yiwang.identity import services as identity_services
from yiwang.identity.models import StaffRole
from yiwang.platform.errors import InvalidInput, InvalidTransition, NotFound

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup() -> HotlineSetup:
    return make_hotline()


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (64, 48), (120, 90, 60))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def _reviewed(setup: HotlineSetup, reporter) -> Ticket:
    ticket = make_report(setup, reporter_user=reporter)
    ticket_dispatch(ticket=ticket, lead=setup.roads, actor=setup.dispatcher)
    lead = TicketAssignment.objects.get(ticket=ticket, role=AssignmentRole.LEAD)
    ticket_sign(assignment=lead, actor=setup.road_handler)
    ticket_reply(assignment=lead, reply="已更换井盖。", actor=setup.road_handler)
    ticket_review(ticket=ticket, approve=True, note="", actor=setup.dispatcher)
    ticket.refresh_from_db()
    return ticket


def test_reporting_needs_an_account(client):
    response = client.get("/hotline/report/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_citizen_snaps_a_manhole_with_a_photo(client, setup):
    citizen = make_user()
    client.force_login(citizen)
    page = client.get("/hotline/report/").content.decode()
    assert 'capture="environment"' in page
    photo = SimpleUploadedFile("manhole.jpg", jpeg_with_exif(), content_type="image/jpeg")
    response = client.post(
        "/hotline/report/",
        {
            "photo": photo,
            "content": "路口井盖破损，晚上很危险",
            "category_code": setup.manhole.code,
            "address": "清溪路与园区路交叉口",
            "reporter_name": "张明华",
            "reporter_phone": "13800000001",
            "idempotency_key": "abc123",
        },
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.reporter_user, ticket.category) == (
        "app",
        citizen,
        setup.manhole,
    )
    attachment = TicketAttachment.objects.get()
    with attachment.original.open("rb") as f, Image.open(f) as original:
        assert original.getexif().get(0x010F) == "PhoneMaker"
    with attachment.public_file.open("rb") as f, Image.open(f) as public:
        assert not public.getexif()
    detail = client.get(response["Location"]).content.decode()
    assert ticket.number in detail
    assert f"/hotline/attachments/{attachment.pk}/" in detail
    assert client.get(f"/hotline/attachments/{attachment.pk}/").status_code == 200
    # The sealed original is for staff only.
    assert client.get(f"/hotline/attachments/{attachment.pk}/original/").status_code == 404


def test_a_double_tap_makes_one_ticket(client, setup):
    client.force_login(make_user())
    data = {
        "content": "井盖坏了",
        "category_code": setup.manhole.code,
        "address": "清溪路",
        "idempotency_key": "same-key",
    }
    client.post("/hotline/report/", data)
    client.post("/hotline/report/", data)
    assert Ticket.objects.count() == 1


def test_the_report_form_explains_problems_and_keeps_the_text(client, setup):
    client.force_login(make_user())
    response = client.post(
        "/hotline/report/",
        {
            "content": "这里有个奇怪的问题",
            "photo": SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg"),
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "请填写问题所在的地点" in page
    assert "这里有个奇怪的问题" in page
    bad_photo = client.post(
        "/hotline/report/",
        {
            "content": "井盖缺失破损",
            "address": "清溪路",
            "photo": SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg"),
        },
    )
    assert bad_photo.status_code == 422
    assert "无法识别该文件" in bad_photo.content.decode()
    assert Ticket.objects.count() == 0


def test_the_category_is_suggested_from_the_text(client, setup):
    client.force_login(make_user())
    hint = client.get("/hotline/report/category-hint/", {"content": "小区门口井盖缺失破损"})
    assert "井盖缺失破损" in hint.content.decode()
    response = client.post(
        "/hotline/report/", {"content": "小区门口井盖缺失破损", "address": "清溪路"}
    )
    assert response.status_code == 302
    assert Ticket.objects.get().category == setup.manhole


def test_a_citizen_cannot_open_someone_elses_ticket(client, setup):
    owner = make_user()
    ticket = make_report(setup, reporter_user=owner)
    client.force_login(make_user())
    assert client.get(f"/hotline/mine/{ticket.pk}/").status_code == 404
    assert ticket.number not in client.get("/hotline/mine/").content.decode()
    response = client.post(
        f"/hotline/mine/{ticket.pk}/rate/", {"satisfaction": "satisfied", "resolution": "resolved"}
    )
    assert response.status_code == 404


def test_my_ticket_shows_public_steps_and_the_rating(client, setup):
    citizen = make_user()
    ticket = _reviewed(setup, citizen)
    client.force_login(citizen)
    page = client.get(f"/hotline/mine/{ticket.pk}/").content.decode()
    assert "已转交示范市城市管理局办理" in page
    assert "已更换井盖。" in page
    assert "非常满意" in page
    assert "审核通过" not in page  # the review is not public
    empty = client.post(f"/hotline/mine/{ticket.pk}/rate/", {})
    assert empty.status_code == 422
    assert "请选择满意程度" in empty.content.decode()
    done = client.post(
        f"/hotline/mine/{ticket.pk}/rate/", {"satisfaction": "satisfied", "resolution": "resolved"}
    )
    assert done.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.satisfaction, ticket.callback_contacted) == (
        TicketStatus.CLOSED,
        "satisfied",
        True,
    )


def test_unsatisfied_reporter_sends_the_ticket_back_for_rework(setup):
    citizen = make_user()
    ticket = _reviewed(setup, citizen)
    with pytest.raises(InvalidInput):
        ticket_rate_by_reporter(
            ticket=ticket,
            reporter=citizen,
            satisfaction="satisfied",
            resolution="resolved",
            comment="",
            rework_wanted=True,
        )
    ticket_rate_by_reporter(
        ticket=ticket,
        reporter=citizen,
        satisfaction="unsatisfied",
        resolution="unresolved",
        comment="井盖还是松的",
        rework_wanted=True,
    )
    ticket.refresh_from_db()
    assert (ticket.status, ticket.rework_count) == (TicketStatus.HANDLING, 1)
    with pytest.raises(InvalidTransition):
        ticket_rate_by_reporter(
            ticket=ticket,
            reporter=citizen,
            satisfaction="satisfied",
            resolution="resolved",
            comment="",
            rework_wanted=False,
        )


def test_only_the_reporter_may_rate(setup):
    ticket = _reviewed(setup, make_user())
    with pytest.raises(NotFound):
        ticket_rate_by_reporter(
            ticket=ticket,
            reporter=make_user(),
            satisfaction="satisfied",
            resolution="resolved",
            comment="",
            rework_wanted=False,
        )
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.REVIEWED


def test_the_enterprise_direct_line_and_the_leaders_reading(client, setup, enterprise_of):
    company = enterprise_of("周建国")
    representative = company.legal_representative.user
    client.force_login(representative)
    assert company.name in client.get("/hotline/enterprise/").content.decode()
    missing = client.post("/hotline/enterprise/", {"enterprise": company.pk})
    assert missing.status_code == 422
    assert "请填写诉求内容" in missing.content.decode()
    response = client.post(
        "/hotline/enterprise/",
        {
            "enterprise": company.pk,
            "ticket_type": "help",
            "category_code": setup.road.code,
            "content": "园区道路坑洼，货车难以通行。",
            "flag_for_leader": "on",
        },
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.enterprise, ticket.flag_for_leader) == (
        "enterprise",
        company,
        True,
    )
    leader = make_staff(setup.centre, StaffRole.LEADER)
    identity_services.staff_second_factor_activate(user=leader, secret="JBSWY3DPEHPK3PXP")
    leader_client = Client()
    leader_client.force_login(leader)
    assert ticket.title in leader_client.get("/hotline/leader/").content.decode()
    empty = leader_client.post(f"/hotline/leader/{ticket.pk}/", {"note": ""})
    assert "请填写阅示意见" in empty.content.decode()
    leader_client.post(f"/hotline/leader/{ticket.pk}/", {"note": "请城管局三日内解决。"})
    ticket.refresh_from_db()
    assert ticket.leader_read_at is not None
    # The representative sees the reading on the request.
    assert "请城管局三日内解决。" in client.get(f"/hotline/mine/{ticket.pk}/").content.decode()


def test_citizens_cannot_open_the_leaders_list(client, setup):
    client.force_login(make_user())
    assert client.get("/hotline/leader/").status_code == 404
    assert client.get("/hotline/unit/").status_code == 404
    assert client.get("/hotline/console/").status_code == 404


def test_after_rework_and_a_new_review_the_reporter_can_rate_again(client, setup):
    citizen = make_user()
    ticket = _reviewed(setup, citizen)
    ticket_rate_by_reporter(
        ticket=ticket,
        reporter=citizen,
        satisfaction="very_unsatisfied",
        resolution="unresolved",
        comment="没修好",
        rework_wanted=True,
    )
    lead = TicketAssignment.objects.get(ticket=ticket, role=AssignmentRole.LEAD)
    ticket_reply(assignment=lead, reply="重新更换。", actor=setup.road_handler)
    ticket_review(ticket=ticket, approve=True, note="", actor=setup.dispatcher)
    client.force_login(citizen)
    page = client.get(f"/hotline/mine/{ticket.pk}/").content.decode()
    assert "请评价办理结果" in page
    assert "待您评价" in client.get("/hotline/mine/").content.decode()


def test_the_staff_entry_sends_each_role_to_its_page(client, setup):
    for user, target in (
        (setup.dispatcher, "/hotline/dispatch/"),
        (setup.operator, "/hotline/console/"),
        (setup.road_handler, "/hotline/unit/"),
    ):
        identity_services.staff_second_factor_activate(user=user, secret="JBSWY3DPEHPK3PXP")
        client.force_login(user)
        assert client.get("/hotline/")["Location"] == target
    client.force_login(make_user())
    assert client.get("/hotline/").status_code == 404


def _report_at(client, setup: HotlineSetup, **location: str):
    return client.post(
        "/hotline/report/",
        {
            "content": "路口井盖破损，晚上很危险",
            "category_code": setup.manhole.code,
            "idempotency_key": "map-1",
            **location,
        },
    )


def test_the_report_page_draws_the_city_map_for_the_picker(client, setup):
    cache.clear()
    client.force_login(make_user())
    page = client.get("/hotline/report/").content.decode()
    # Hidden until the script shows it: without JavaScript the address field does the job.
    assert '<div class="map-picker" id="map-picker" hidden>' in page
    assert 'id="city-map"' in page
    assert 'role="application"' in page
    assert 'tabindex="0"' in page
    assert 'data-region="359902"' in page
    assert "<title>清溪街道</title>" in page
    assert 'id="city-map-data"' in page
    assert 'aria-live="polite"' in page
    assert 'name="address"' in page
    assert 'name="latitude" id="id_latitude" value=""' in page


def test_a_point_picked_on_the_map_is_saved_with_its_area(client, setup):
    cache.clear()
    client.force_login(make_user())
    response = _report_at(client, setup, latitude="24.505000", longitude="118.105000")
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.latitude, ticket.longitude, ticket.area) == (24.505, 118.105, setup.area)
    assert ticket.address == ""


def test_a_point_outside_the_city_is_refused_and_nothing_is_saved(client, setup):
    cache.clear()
    client.force_login(make_user())
    response = _report_at(
        client, setup, latitude="39.9", longitude="116.4", address="清溪路与园区路交叉口"
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "您选择的位置不在本市范围内" in page
    # The refused point is dropped from the page, so the next submission with the address
    # (kept as typed) goes through even without JavaScript.
    assert 'name="latitude" id="id_latitude" value=""' in page
    assert 'name="longitude" id="id_longitude" value=""' in page
    assert 'value="清溪路与园区路交叉口"' in page
    assert Ticket.objects.count() == 0
    assert TicketAttachment.objects.count() == 0


def test_a_point_with_only_one_coordinate_is_not_a_point(client, setup):
    client.force_login(make_user())
    response = _report_at(client, setup, latitude="24.505")
    assert response.status_code == 422
    assert "请填写问题所在的地点" in response.content.decode()
    assert Ticket.objects.count() == 0


def test_after_another_error_the_page_names_the_picked_place_again(client, setup):
    cache.clear()
    client.force_login(make_user())
    response = client.post(
        "/hotline/report/",
        {"content": "", "latitude": "24.505", "longitude": "118.105"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "您选择的位置在 清溪街道" in page
    assert 'name="latitude" id="id_latitude" value="24.505"' in page
    assert Ticket.objects.count() == 0


def test_without_areas_there_is_no_map_and_the_phone_position_is_taken_as_it_is(client, setup):
    cache.clear()
    setup.area.delete()
    client.force_login(make_user())
    page = client.get("/hotline/report/").content.decode()
    assert 'id="city-map"' not in page
    assert 'id="use-location"' in page
    response = _report_at(client, setup, latitude="39.9", longitude="116.4")
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.latitude, ticket.longitude, ticket.area) == (39.9, 116.4, None)
