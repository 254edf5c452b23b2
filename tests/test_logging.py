"""Logs are JSON lines carrying the request id; personal data never reaches them.

The checks run through the handler that the settings configure (`LOGGING["handlers"]["console"]`,
with its JSON formatter and filters), its stream swapped for a buffer.
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from typing import Any, cast

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, path

from yiwang.platform.logging import JsonFormatter, scrub
from yiwang.project import urls as project_urls

pytestmark = [pytest.mark.urls("tests.test_logging"), pytest.mark.django_db]

CITIZEN_ID = "350102199001011234"
CITIZEN_ID_X = "35010219900101123X"
PHONE = "13812345678"
view_log = logging.getLogger("yiwang.tests.view")


def logging_page(request: HttpRequest) -> HttpResponse:
    view_log.info("looking up applicant %s, phone %s", CITIZEN_ID, PHONE)
    return HttpResponse("ok")


def failing_lookup_page(request: HttpRequest) -> HttpResponse:
    try:
        raise ValueError(f"no person with ID {CITIZEN_ID}")
    except ValueError:
        view_log.exception("lookup failed")
    return HttpResponse("ok")


urlpatterns: list[URLPattern | URLResolver] = [
    path("test-log/", logging_page),
    path("test-log/failing/", failing_lookup_page),
    *cast("list[URLPattern | URLResolver]", project_urls.urlpatterns),
]
handler404 = project_urls.handler404


class JsonLines:
    def __init__(self, buffer: io.StringIO) -> None:
        self.buffer = buffer

    def all(self) -> list[dict[str, Any]]:
        lines = self.buffer.getvalue().splitlines()
        return [json.loads(line) for line in lines]

    def of(self, logger: str) -> list[dict[str, Any]]:
        return [line for line in self.all() if line["logger"] == logger]


@pytest.fixture
def log_lines() -> Iterator[JsonLines]:
    """What the configured console handler writes, as parsed JSON lines."""
    handler = next(
        h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter)
    )
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        yield JsonLines(buffer)
    finally:
        handler.setStream(previous)


def test_every_line_is_one_json_object(client: Client, log_lines: JsonLines):
    client.get("/test-log/")
    raw = log_lines.buffer.getvalue().splitlines()
    assert len(raw) == 2
    assert all(isinstance(json.loads(line), dict) for line in raw)


def test_request_line_carries_the_incoming_request_id_which_is_echoed(
    client: Client, log_lines: JsonLines
):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a.42_x")
    assert response["X-Request-Id"] == "lb-7f3a.42_x"
    [line] = log_lines.of("yiwang.request")
    assert isinstance(line.pop("duration_ms"), float)
    assert isinstance(line.pop("time"), str)
    assert line == {
        "level": "INFO",
        "logger": "yiwang.request",
        "message": "request",
        "request_id": "lb-7f3a.42_x",
        "method": "GET",
        "path": "/healthz",
        "status": 200,
    }


def test_request_without_an_id_gets_a_fresh_one(client: Client, log_lines: JsonLines):
    first = client.get("/healthz")["X-Request-Id"]
    second = client.get("/healthz")["X-Request-Id"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second
    assert [line["request_id"] for line in log_lines.of("yiwang.request")] == [first, second]


@pytest.mark.parametrize("unsafe", ["x" * 65, "a b", "<script>", "id;rm"])
def test_an_unsafe_incoming_id_is_replaced(client: Client, unsafe: str):
    echoed = client.get("/healthz", HTTP_X_REQUEST_ID=unsafe)["X-Request-Id"]
    assert re.fullmatch(r"[0-9a-f]{32}", echoed)


def test_lines_logged_by_a_view_carry_the_request_id(client: Client, log_lines: JsonLines):
    response = client.get("/test-log/", HTTP_X_REQUEST_ID="req-1")
    [view_line] = log_lines.of("yiwang.tests.view")
    assert view_line["request_id"] == "req-1" == response["X-Request-Id"]


def test_lines_outside_a_request_have_no_request_id(log_lines: JsonLines):
    view_log.warning("worker started")
    [line] = log_lines.of("yiwang.tests.view")
    assert line["request_id"] == "-"
    assert line["level"] == "WARNING"


def test_id_numbers_and_phone_numbers_are_masked_in_messages(client: Client, log_lines: JsonLines):
    client.get("/test-log/")
    [line] = log_lines.of("yiwang.tests.view")
    assert line["message"] == "looking up applicant 3501**********1234, phone 138****5678"
    assert CITIZEN_ID not in log_lines.buffer.getvalue()
    assert PHONE not in log_lines.buffer.getvalue()


def test_personal_data_in_an_exception_is_masked(client: Client, log_lines: JsonLines):
    client.get("/test-log/failing/")
    [line] = log_lines.of("yiwang.tests.view")
    assert line["message"] == "lookup failed"
    assert "ValueError: no person with ID 3501**********1234" in line["exception"]
    assert CITIZEN_ID not in log_lines.buffer.getvalue()


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (CITIZEN_ID, "3501**********1234"),
        (CITIZEN_ID_X, "3501**********123X"),
        (f"身份证{CITIZEN_ID}已核验", "身份证3501**********1234已核验"),
        (PHONE, "138****5678"),
        (f"+86{PHONE}", "138****5678"),
        (f"手机{PHONE}。", "手机138****5678。"),
        ("case 20261122000123", "case 20261122000123"),  # 14 digits: a case number, not personal
        ("order 1381234567890", "order 1381234567890"),  # 13 digits: not a phone number
    ],
)
def test_scrub_masks_exactly_what_looks_like_personal_data(text: str, masked: str):
    assert scrub(text) == masked


def test_every_line_of_a_request_carries_its_id(client: Client, log_lines: JsonLines):
    client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-404")
    assert {line["logger"] for line in log_lines.all()} == {"yiwang.request", "django.request"}
    assert {line["request_id"] for line in log_lines.all()} == {"req-404"}


def test_personal_data_in_a_request_path_is_masked(client: Client, log_lines: JsonLines):
    client.get(f"/no-such-person/{CITIZEN_ID}/")
    assert CITIZEN_ID not in log_lines.buffer.getvalue()
    [line] = log_lines.of("yiwang.request")
    assert line["path"] == "/no-such-person/3501**********1234/"
