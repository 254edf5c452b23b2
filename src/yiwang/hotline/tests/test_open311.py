"""The Open311 GeoReport v2 server (DOMAIN §8): every endpoint in XML and JSON, the spec's field
rules and error bodies, the filters and limits, and privacy."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from yiwang.hotline.models import Category, Open311Submission, Ticket, TicketStep
from yiwang.hotline.selectors import public as public_selectors
from yiwang.hotline.services import (
    open311_key_issue,
    open311_key_revoke,
    ticket_answer_directly,
    ticket_dispatch,
)
from yiwang.hotline.tests.factories import HotlineSetup, make_hotline, report
from yiwang.hotline.workflow import Channel, TicketStatus, TicketType

pytestmark = pytest.mark.django_db

BASE = "/open311/v2/"
ISO_WITH_ZONE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$")
FORMATS = ["xml", "json"]
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
QUESTIONS = [
    {
        "code": "depth",
        "description": "坑有多深？",
        "datatype": "singlevaluelist",
        "required": True,
        "order": 2,
        "values": [{"key": "shallow", "name": "较浅"}, {"key": "deep", "name": "较深"}],
    },
    {"code": "width", "description": "破损宽度（厘米）", "datatype": "number", "order": 1},
]


@pytest.fixture
def setup() -> HotlineSetup:
    hotline = make_hotline()
    Category.objects.filter(pk=hotline.manhole.pk).update(
        questions=QUESTIONS, service_notice="一般 5 个自然日内办结", keywords="井盖，窨井,下水道"
    )
    hotline.manhole.refresh_from_db()
    return hotline


@pytest.fixture
def api_key() -> str:
    return open311_key_issue(name="城市随手拍 App", actor=None).key


# --- helpers ---------------------------------------------------------------------------------


def parsed(response: Any, fmt: str) -> Any:
    """The body as plain data: JSON as is; XML checked for the declaration and content type,
    parsed, and returned as its root element."""
    if fmt == "json":
        assert response["Content-Type"] == "application/json; charset=utf-8"
        return json.loads(response.content.decode("utf-8"))
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    body = response.content.decode("utf-8")
    assert body.startswith('<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)


def rows(response: Any, fmt: str, item: str = "request") -> list[dict[str, Any]]:
    """A list document as a list of {field: text-or-value}."""
    data = parsed(response, fmt)
    if fmt == "json":
        assert isinstance(data, list)
        return data
    assert all(child.tag == item for child in data)
    return [{field.tag: field.text for field in element} for element in data]


def assert_error(response: Any, fmt: str, status: int) -> list[str]:
    assert response.status_code == status
    data = parsed(response, fmt)
    if fmt == "json":
        assert isinstance(data, list)
        assert data
        assert all(set(e) == {"code", "description"} for e in data)
        assert all(e["code"] == status for e in data)
        return [e["description"] for e in data]
    assert data.tag == "errors"
    errors = list(data)
    assert errors
    assert all(e.tag == "error" for e in errors)
    assert all([c.tag for c in e] == ["code", "description"] for e in errors)
    assert all(e.findtext("code") == str(status) for e in errors)
    return [e.findtext("description") or "" for e in errors]


def numbers(response: Any, fmt: str) -> set[str]:
    return {str(r["service_request_id"]) for r in rows(response, fmt)}


def post(client: Client, fmt: str, data: dict[str, Any]) -> Any:
    return client.post(f"{BASE}requests.{fmt}", data)


def valid_post(setup: HotlineSetup, key: str, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "api_key": key,
        "service_code": setup.manhole.code,
        "lat": "24.505",
        "long": "118.105",
        "address_string": "清溪路与园区路交叉口",
        "description": "井盖破损，夜间有危险。",
        "attribute[depth]": "deep",
        "first_name": "明华",
        "last_name": "张",
        "phone": "13800000002",
        "email": "zhang@example.cn",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- discovery and services ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery_names_the_specification_and_both_formats(client, fmt):
    response = client.get(f"{BASE}discovery.{fmt}")
    assert response.status_code == 200
    data = parsed(response, fmt)
    if fmt == "xml":
        assert data.tag == "discovery"
        assert [c.tag for c in data] == ["changeset", "contact", "key_service", "endpoints"]
        endpoint = data.find("endpoints/endpoint")
        assert endpoint is not None
        assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
        assert endpoint.findtext("url") == "http://testserver/open311/v2/"
        assert endpoint.findtext("type") == "production"
        assert [f.text for f in endpoint.iter("format")] == ["text/xml", "application/json"]
        assert ISO_WITH_ZONE.match(data.findtext("changeset") or "")
    else:
        assert set(data) == {"changeset", "contact", "key_service", "endpoints"}
        (endpoint,) = data["endpoints"]
        assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
        assert endpoint["formats"] == ["text/xml", "application/json"]
        assert ISO_WITH_ZONE.match(endpoint["changeset"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_list_public_categories_with_group_metadata_and_keywords(client, setup, fmt):
    Category.objects.create(
        code="0399", name="内部分类", level=2, parent=setup.city, is_public=False
    )
    response = client.get(f"{BASE}services.{fmt}")
    assert response.status_code == 200
    services = {str(s["service_code"]): s for s in rows(response, fmt, "service")}
    assert set(services) == {"03", "0301", "030101", "0302"}
    manhole = services["030101"]
    assert manhole["service_name"] == "井盖缺失破损"
    assert manhole["group"] == "城市管理"
    assert manhole["type"] == "realtime"
    assert manhole["keywords"] == "井盖,窨井,下水道"
    assert manhole["description"] == "一般 5 个自然日内办结"
    if fmt == "json":
        assert manhole["metadata"] is True
        assert services["0302"]["metadata"] is False
        assert all(isinstance(code, str) for code in (s["service_code"] for s in services.values()))
    else:
        assert manhole["metadata"] == "true"
        assert services["0302"]["metadata"] == "false"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_service_definition_lists_attributes_in_order(client, setup, fmt):
    response = client.get(f"{BASE}services/030101.{fmt}")
    assert response.status_code == 200
    data = parsed(response, fmt)
    if fmt == "json":
        assert data["service_code"] == "030101"
        width, depth = data["attributes"]
        assert (width["code"], width["order"], width["datatype"]) == ("width", 1, "number")
        assert (depth["code"], depth["order"], depth["required"]) == ("depth", 2, True)
        assert depth["values"] == [
            {"key": "shallow", "name": "较浅"},
            {"key": "deep", "name": "较深"},
        ]
        assert set(depth) == {
            "variable",
            "code",
            "datatype",
            "required",
            "datatype_description",
            "order",
            "description",
            "values",
        }
    else:
        assert data.tag == "service_definition"
        assert data.findtext("service_code") == "030101"
        attributes = data.findall("attributes/attribute")
        assert [a.findtext("order") for a in attributes] == ["1", "2"]
        assert [a.findtext("required") for a in attributes] == ["false", "true"]
        values = attributes[1].findall("values/value")
        assert [(v.findtext("key"), v.findtext("name")) for v in values] == [
            ("shallow", "较浅"),
            ("deep", "较深"),
        ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_or_internal_service_code_is_a_404(client, setup, fmt):
    Category.objects.create(
        code="0399", name="内部分类", level=2, parent=setup.city, is_public=False
    )
    for code in ("9999", "0399"):
        assert_error(client.get(f"{BASE}services/{code}.{fmt}"), fmt, 404)


# --- reading requests ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_requests_follow_the_field_rules(client, setup, fmt):
    ticket = report(setup)
    ticket_dispatch(ticket=ticket, lead=setup.roads, actor=setup.dispatcher, note="内部备注勿公开")
    response = client.get(f"{BASE}requests.{fmt}")
    assert response.status_code == 200
    (row,) = rows(response, fmt)
    assert list(row) == REQUEST_FIELDS
    assert row["service_request_id"] == ticket.number
    assert row["service_code"] == "030101"
    assert row["status"] == "open"
    assert row["agency_responsible"] == "示范市城市管理局"
    assert row["service_notice"] == "一般 5 个自然日内办结"
    assert row["address"] == "清溪路与园区路交叉口"
    for name in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert ISO_WITH_ZONE.match(row[name]), (name, row[name])
    if fmt == "json":
        assert isinstance(row["service_request_id"], str)
        assert isinstance(row["service_code"], str)
        assert (row["lat"], row["long"]) == (24.505, 118.105)
        assert row["media_url"] is None
    else:
        assert (row["lat"], row["long"]) == ("24.505", "118.105")
        assert row["media_url"] is None  # an empty element


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_closed_request_shows_the_reply_and_its_closing_time(client, setup, fmt):
    ticket = report(setup)
    ticket_answer_directly(
        ticket=ticket, answer="已转告物业，请拨打 13900000009 联系。", actor=setup.operator
    )
    ticket.refresh_from_db()
    (row,) = rows(client.get(f"{BASE}requests/{ticket.number}.{fmt}"), fmt)
    assert row["status"] == "closed"
    assert row["status_notes"] == "已转告物业，请拨打 139****0009 联系。"  # scrubbed
    assert row["updated_datetime"] == timezone.localtime(ticket.closed_at).isoformat(
        timespec="seconds"
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_private_ticket_and_no_reporter_data_ever_appears(client, setup, fmt, enterprise_of):
    public = report(setup)
    confidential = report(setup, confidential=True)
    whistle = report(setup, ticket_type=TicketType.REPORT)
    anonymous = report(setup, anonymous=True, reporter_name="", reporter_phone="")
    company = enterprise_of("王建国")
    enterprise = report(
        setup,
        channel=Channel.ENTERPRISE,
        enterprise=company,
        reporter_user=company.legal_representative.user,
    )
    # Even if a ticket were wrongly marked public, the selector's own conditions keep it out.
    private = [confidential, whistle, anonymous, enterprise]
    Ticket.objects.filter(pk__in=[t.pk for t in private]).update(is_public=True)
    listed = client.get(f"{BASE}requests.{fmt}")
    assert numbers(listed, fmt) == {public.number}
    by_id = client.get(
        f"{BASE}requests.{fmt}",
        {"service_request_id": ",".join(t.number for t in [public, *private])},
    )
    assert numbers(by_id, fmt) == {public.number}
    for ticket in private:
        assert_error(client.get(f"{BASE}requests/{ticket.number}.{fmt}"), fmt, 404)
    updates = client.get(f"{BASE}servicerequestupdates.{fmt}")
    bodies = [listed, by_id, updates, client.get(f"{BASE}requests/{public.number}.{fmt}")]
    for response in bodies:
        text = response.content.decode("utf-8")
        for secret in ("张明华", "13800000001", "1380000", company.name, company.uscc, "王建国"):
            assert secret not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_filters_by_code_status_dates_text_and_box(client, setup, fmt):
    manhole = report(setup)
    noise = report(
        setup,
        category_code=setup.noise.code,
        content="广场舞噪声扰民",
        latitude=24.0,
        longitude=117.0,
    )
    closed = report(setup, content="路灯不亮")
    ticket_answer_directly(ticket=closed, answer="已修复", actor=setup.operator)
    old = report(setup, received_at=timezone.now() - timedelta(days=100))

    def listed(**query: str) -> set[str]:
        response = client.get(f"{BASE}requests.{fmt}", query)
        assert response.status_code == 200, response.content
        return numbers(response, fmt)

    assert listed() == {manhole.number, noise.number, closed.number}  # last 90 days
    assert listed(service_code="0302") == {noise.number}
    assert listed(service_code="0302,030101") == {manhole.number, noise.number, closed.number}
    assert listed(status="open") == {manhole.number, noise.number}
    assert listed(status="closed") == {closed.number}
    assert listed(status="open,closed") == {manhole.number, noise.number, closed.number}
    assert listed(q="噪声") == {noise.number}
    assert listed(bbox="118.1,24.5,118.11,24.51") == {manhole.number, closed.number}
    start = timezone.localtime(timezone.now() - timedelta(days=120)).isoformat(timespec="seconds")
    end = timezone.localtime(timezone.now() - timedelta(days=95)).isoformat(timespec="seconds")
    assert listed(start_date=start, end_date=end) == {old.number}
    assert listed(start_date=start) == {old.number}  # the 90 days after start
    # service_request_id overrides every other filter, dates included.
    assert listed(
        service_request_id=f"{old.number},{noise.number}",
        service_code="030101",
        status="closed",
        start_date=start,
        end_date=end,
    ) == {old.number, noise.number}


def test_an_unencoded_plus_in_the_time_zone_is_understood(client, setup):
    ticket = report(setup)
    start = timezone.localtime(timezone.now() - timedelta(days=1)).isoformat(timespec="seconds")
    response = client.get(f"{BASE}requests.json?start_date={start}")  # "+" arrives as " "
    assert numbers(response, "json") == {ticket.number}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "query",
    [
        {"start_date": "yesterday"},
        {"start_date": "2026-11-01T00:00:00"},  # no time zone
        {"start_date": "2026-01-01T00:00:00+08:00", "end_date": "2026-06-01T00:00:00+08:00"},
        {"start_date": "2026-06-01T00:00:00+08:00", "end_date": "2026-05-01T00:00:00+08:00"},
        {"status": "pending"},
        {"page": "0"},
        {"page_size": "many"},
        {"bbox": "1,2,3"},
    ],
)
def test_bad_parameters_are_400_with_the_spec_error_body(client, setup, fmt, query):
    descriptions = assert_error(client.get(f"{BASE}requests.{fmt}", query), fmt, 400)
    assert all(descriptions)


def test_a_range_over_90_days_is_refused_and_exactly_90_is_fine(client, setup):
    start = timezone.now() - timedelta(days=91)
    query = {
        "start_date": timezone.localtime(start).isoformat(),
        "end_date": timezone.localtime(start + timedelta(days=90, seconds=1)).isoformat(),
    }
    (description,) = assert_error(client.get(f"{BASE}requests.json", query), "json", 400)
    assert "90" in description
    query["end_date"] = timezone.localtime(start + timedelta(days=90)).isoformat()
    assert client.get(f"{BASE}requests.json", query).status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_at_most_the_cap_and_pages_beyond_it(client, setup, fmt, monkeypatch):
    tickets = [report(setup, content=f"井盖破损 {n}") for n in range(4)]
    newest_first = [t.number for t in reversed(tickets)]
    monkeypatch.setattr(public_selectors, "PUBLIC_REQUESTS_MAX", 3)
    assert len(rows(client.get(f"{BASE}requests.{fmt}"), fmt)) == 3
    page = client.get(f"{BASE}requests.{fmt}", {"page": "2", "page_size": "2"})
    assert [r["service_request_id"] for r in rows(page, fmt)] == newest_first[2:]
    huge = client.get(f"{BASE}requests.{fmt}", {"page_size": "5000"})
    assert len(rows(huge, fmt)) == 3


def test_listing_requests_takes_two_queries_however_many(client, setup, django_assert_num_queries):
    for n in range(5):
        report(setup, content=f"井盖破损 {n}")
    with django_assert_num_queries(2):  # tickets with their category and unit; public photos
        response = client.get(f"{BASE}requests.json")
    assert len(response.json()) == 5


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_request_is_a_list_of_one_and_unknown_ones_are_404(client, setup, fmt):
    ticket = report(setup)
    assert numbers(client.get(f"{BASE}requests/{ticket.number}.{fmt}"), fmt) == {ticket.number}
    assert_error(client.get(f"{BASE}requests/359900000000000000.{fmt}"), fmt, 404)


@pytest.mark.parametrize("fmt", FORMATS)
def test_tokens_are_404_since_every_service_is_realtime(client, setup, fmt):
    assert_error(client.get(f"{BASE}tokens/abc123.{fmt}"), fmt, 404)


@pytest.mark.parametrize("fmt", FORMATS)
def test_request_updates_come_from_public_steps_without_staff_notes(client, setup, fmt):
    ticket = report(setup)
    ticket_dispatch(ticket=ticket, lead=setup.roads, actor=setup.dispatcher, note="内部备注勿公开")
    response = client.get(f"{BASE}servicerequestupdates.{fmt}")
    assert response.status_code == 200
    updates = rows(response, fmt, "request_update")
    assert [u["status"] for u in updates] == ["open", "in_progress"]
    assert all(u["service_request_id"] == ticket.number for u in updates)
    assert all(ISO_WITH_ZONE.match(u["updated_datetime"]) for u in updates)
    assert all(isinstance(u["update_id"], str) for u in updates)
    assert updates[1]["description"] == "已转交示范市城市管理局办理"
    assert "内部备注" not in response.content.decode("utf-8")
    assert set(updates[0]) == {
        "update_id",
        "service_request_id",
        "status",
        "updated_datetime",
        "description",
        "media_url",
    }
    later = timezone.localtime(timezone.now() + timedelta(hours=1)).isoformat()
    none = client.get(f"{BASE}servicerequestupdates.{fmt}", {"start_date": later})
    assert rows(none, fmt, "request_update") == []


# --- posting requests ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_post_registers_a_ticket_at_once(setup, api_key, fmt):
    client = Client(enforce_csrf_checks=True)  # key-authenticated: no CSRF token needed
    response = post(client, fmt, valid_post(setup, api_key, **{"account_id": "u-42"}))
    assert response.status_code == 201, response.content
    (row,) = rows(response, fmt)
    assert list(row) == ["service_request_id", "service_notice", "account_id"]
    assert "token" not in row
    ticket = Ticket.objects.get(number=row["service_request_id"])
    assert row["service_notice"] == "一般 5 个自然日内办结"
    assert row["account_id"] == "u-42"
    assert (ticket.channel, ticket.status, ticket.category) == (
        Channel.OPEN311,
        TicketStatus.RECEIVED,
        setup.manhole,
    )
    assert (ticket.reporter_name, ticket.reporter_phone) == ("张明华", "+8613800000002")
    assert (ticket.latitude, ticket.longitude, ticket.area) == (24.505, 118.105, setup.area)
    assert ticket.content == "井盖破损，夜间有危险。"
    assert ticket.is_public
    register = TicketStep.objects.get(ticket=ticket, action="register")
    assert register.data["answers"] == {"depth": "deep"}  # only the attributes
    submission = Open311Submission.objects.get(ticket=ticket)
    assert submission.client.name == "城市随手拍 App"
    assert (submission.email, submission.account_id) == ("zhang@example.cn", "u-42")
    with connection.cursor() as cursor:  # encrypted at rest
        cursor.execute("SELECT email FROM hotline_open311submission WHERE id = %s", [submission.pk])
        (stored,) = cursor.fetchone()
    assert stored
    assert "zhang" not in stored
    # And it is readable at once, without the reporter.
    listed = Client().get(f"{BASE}requests/{ticket.number}.{fmt}")
    assert "张明华" not in listed.content.decode("utf-8")


def test_a_post_with_only_an_address_and_a_multi_value_attribute(setup, api_key):
    Category.objects.filter(pk=setup.noise.pk).update(
        questions=[
            {
                "code": "when",
                "description": "什么时候",
                "datatype": "multivaluelist",
                "values": ["白天", "夜间"],
            }
        ]
    )
    response = Client().post(
        f"{BASE}requests.json",
        {
            "api_key": api_key,
            "service_code": "0302",
            "address_string": "清溪广场",
            "attribute[when][]": ["白天", "夜间"],
        },
    )
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get(number=response.json()[0]["service_request_id"])
    assert ticket.latitude is None
    assert ticket.address == "清溪广场"
    assert ticket.content == "什么时候：白天、夜间"  # no description: the answers stand in


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("key", [None, "", "not-a-key-at-all", "revoked"])
def test_a_post_without_a_valid_key_is_403_and_registers_nothing(setup, api_key, fmt, key):
    if key == "revoked":
        issued = open311_key_issue(name="旧应用", actor=None)
        open311_key_revoke(client=issued.client, actor=None)
        key = issued.key
    response = post(Client(), fmt, valid_post(setup, key))
    assert_error(response, fmt, 403)
    assert Ticket.objects.count() == 0


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("overrides", "status"),
    [
        ({"service_code": None}, 400),
        ({"service_code": "9999"}, 404),
        ({"lat": None, "long": None, "address_string": None}, 400),
        ({"lat": "north"}, 400),
        ({"lat": "95"}, 400),
        ({"description": "坑" * 4001}, 400),
        ({"description": "<b>快来</b>"}, 400),
        ({"attribute[depth]": None}, 400),
        ({"attribute[depth]": "bottomless"}, 400),
        ({"attribute[colour]": "red"}, 400),
        ({"attribute[width]": "wide"}, 400),
        ({"phone": "12345"}, 400),
        ({"media_url": "javascript:alert(1)"}, 400),
    ],
)
def test_bad_posts_are_refused_with_the_spec_error_body(setup, api_key, fmt, overrides, status):
    response = post(Client(), fmt, valid_post(setup, api_key, **overrides))
    descriptions = assert_error(response, fmt, status)
    assert all(descriptions)
    assert Ticket.objects.count() == 0


def test_a_body_over_the_upload_limit_is_a_400_in_the_asked_format(setup, api_key, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post(Client(), "xml", valid_post(setup, api_key, description="坑" * 900))
    assert_error(response, "xml", 400)
    assert Ticket.objects.count() == 0


def test_a_description_of_exactly_4000_characters_is_accepted(setup, api_key):
    response = post(Client(), "json", valid_post(setup, api_key, description="坑" * 4000))
    assert response.status_code == 201


@pytest.mark.parametrize("fmt", FORMATS)
def test_posts_are_rate_limited_per_key(setup, api_key, fmt, settings):
    settings.HOTLINE_OPEN311_POSTS_PER_MINUTE = 2
    other = open311_key_issue(name="另一个应用", actor=None).key
    client = Client()
    assert post(client, fmt, valid_post(setup, api_key)).status_code == 201
    assert post(client, fmt, valid_post(setup, api_key)).status_code == 201
    assert_error(post(client, fmt, valid_post(setup, api_key)), fmt, 429)
    assert post(client, fmt, valid_post(setup, other)).status_code == 201
    assert Ticket.objects.count() == 3


# --- what is not an endpoint -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        ("services.html", "xml"),
        ("services", "xml"),
        ("nothing/here.json", "json"),
        ("", "xml"),
    ],
)
def test_unknown_paths_are_the_spec_404_not_an_html_page(client, path, fmt):
    assert_error(client.get(f"{BASE}{path}"), fmt, 404)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_wrong_method_is_405_in_the_asked_format(client, fmt):
    response = client.delete(f"{BASE}services.{fmt}")
    assert_error(response, fmt, 405)
    assert response["Allow"] == "GET, HEAD"
    assert_error(client.post(f"{BASE}requests/1.{fmt}"), fmt, 405)


def test_xml_text_is_escaped_and_stays_well_formed(client, setup):
    report(setup, content="井盖 <破损> & 积水 \x07 ]]>", address="A&B 路口")
    root = parsed(client.get(f"{BASE}requests.xml"), "xml")
    assert root.findtext("request/description") == "井盖 <破损> & 积水  ]]>"
    assert root.findtext("request/address") == "A&B 路口"
