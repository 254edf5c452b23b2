"""Errors a user can cause are answered in Chinese, never with a stack trace, never with a 500.

API: JSON `{code, message, errors}`. Pages: the friendly page with the right status. The API
under test is built here (a `NinjaAPI` with the project's `install_api_handlers`, its own
namespace) and mounted beside the project's URLs, so the whole middleware stack is exercised.
"""

from __future__ import annotations

import datetime
import json
import logging
from typing import Any, cast

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, path
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import HttpError

from yiwang.platform.errors import (
    Conflict,
    DomainError,
    FieldError,
    Forbidden,
    InvalidTransition,
    NotFound,
    RuleViolated,
)
from yiwang.project import urls as project_urls
from yiwang.project.errors import install_api_handlers

pytestmark = [pytest.mark.urls("tests.test_errors"), pytest.mark.django_db]

test_api = NinjaAPI(title="errors under test", urls_namespace="tests-errors-api")
install_api_handlers(test_api)


class ThingIn(Schema):
    name: str = Field(max_length=5)
    count: int
    due_on: datetime.date


@test_api.post("/things")
def create_thing(request: HttpRequest, payload: ThingIn) -> dict[str, str]:
    return {"name": payload.name}


class ThingFilters(Schema):
    page: int = 1
    limit: int = Field(20, le=100)


@test_api.get("/things")
def list_things(request: HttpRequest, filters: Query[ThingFilters]) -> list[str]:
    return []


@test_api.get("/things/{thing_id}")
def get_thing(request: HttpRequest, thing_id: int) -> dict[str, int]:
    raise NotFound()


@test_api.post("/things/{thing_id}/close")
def close_thing(request: HttpRequest, thing_id: int) -> dict[str, int]:
    raise RuleViolated(
        "材料不齐全，不能办结。",
        code="materials_incomplete",
        errors=[FieldError(field="materials", message="缺少营业执照。")],
    )


@test_api.get("/teapot")
def teapot(request: HttpRequest) -> dict[str, str]:
    raise HttpError(418, "我是茶壶。")


@test_api.get("/boom")
def boom(request: HttpRequest) -> dict[str, str]:
    raise RuntimeError("secret internals 350102199001011234")


PAGE_ERRORS: dict[str, DomainError] = {
    "not-found": NotFound(),
    "forbidden": Forbidden(),
    "transition": InvalidTransition("办件已办结，不能再退回。"),
    "conflict": Conflict(),
    "rule": RuleViolated(
        "申请人未满十八周岁。", errors=[FieldError(field="birth_on", message="请核对出生日期。")]
    ),
}


def raising_page(request: HttpRequest, kind: str) -> HttpResponse:
    raise PAGE_ERRORS[kind]


def crashing_page(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret internals")


def denied_page(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


urlpatterns: list[URLPattern | URLResolver] = [
    path("api/tests/", test_api.urls),
    path("test-pages/raise/<str:kind>/", raising_page),
    path("test-pages/crash/", crashing_page),
    path("test-pages/denied/", denied_page),
    *cast("list[URLPattern | URLResolver]", project_urls.urlpatterns),
]
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500


def assert_no_stack_trace(body: str) -> None:
    assert "Traceback" not in body
    assert 'File "' not in body
    assert "secret internals" not in body
    assert "RuntimeError" not in body


def api_json(response: Any) -> dict[str, Any]:
    assert response["Content-Type"].startswith("application/json")
    assert_no_stack_trace(response.content.decode())
    body: dict[str, Any] = response.json()
    return body


# --- API -----------------------------------------------------------------------------------------


def test_validation_error_of_query_parameters_lists_each_field_in_chinese(client: Client):
    response = client.get("/api/tests/things", {"page": "first", "limit": "500"})
    assert response.status_code == 422
    assert api_json(response) == {
        "code": "invalid_input",
        "message": "提交的内容有误，请按提示修改。",
        "errors": [
            {"field": "page", "message": "请填写整数。"},
            {"field": "limit", "message": "数值过大。"},
        ],
    }


def test_validation_error_of_a_body_lists_every_bad_field_at_once(client: Client):
    response = client.post(
        "/api/tests/things",
        data=json.dumps({"name": "营业执照副本", "count": "三", "due_on": "2026-13-01"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    body = api_json(response)
    assert body["code"] == "invalid_input"
    assert body["message"] == "提交的内容有误，请按提示修改。"
    assert [e["message"] for e in body["errors"]] == [
        "内容过长。",
        "请填写整数。",
        "请填写正确的日期，例如 2026-11-22。",
    ]


def test_missing_body_fields_are_each_required(client: Client):
    response = client.post("/api/tests/things", data="{}", content_type="application/json")
    assert response.status_code == 422
    body = api_json(response)
    assert [e["message"] for e in body["errors"]] == ["此项为必填项。"] * 3


def test_body_field_errors_name_the_fields_the_client_sent(client: Client):
    response = client.post(
        "/api/tests/things",
        data=json.dumps({"name": "营业执照副本", "count": 3, "due_on": "2026-11-22"}),
        content_type="application/json",
    )
    assert api_json(response)["errors"] == [{"field": "name", "message": "内容过长。"}]


def test_domain_error_in_an_endpoint_keeps_its_status_code_and_message(client: Client):
    response = client.get("/api/tests/things/7")
    assert response.status_code == 404
    assert api_json(response) == {
        "code": "not_found",
        "message": "您要找的内容不存在，或您没有查看的权限。",
        "errors": [],
    }


def test_rule_violation_names_the_rule_and_the_field(client: Client):
    response = client.post("/api/tests/things/7/close")
    assert response.status_code == 422
    assert api_json(response) == {
        "code": "materials_incomplete",
        "message": "材料不齐全，不能办结。",
        "errors": [{"field": "materials", "message": "缺少营业执照。"}],
    }


def test_http_error_becomes_the_same_json_shape(client: Client):
    response = client.get("/api/tests/teapot")
    assert response.status_code == 418
    assert api_json(response) == {"code": "http_418", "message": "我是茶壶。", "errors": []}


def test_unexpected_exception_is_a_polite_500_and_is_logged(
    client: Client, caplog: pytest.LogCaptureFixture
):
    with caplog.at_level(logging.ERROR, logger="yiwang.errors"):
        response = client.get("/api/tests/boom")
    assert response.status_code == 500
    assert api_json(response) == {
        "code": "server_error",
        "message": "系统繁忙，请稍后再试。",
        "errors": [],
    }
    assert [r.getMessage() for r in caplog.records if r.name == "yiwang.errors"] == [
        "unhandled API error"
    ]


def test_unparseable_body_is_explained_in_chinese(client: Client):
    response = client.post("/api/tests/things", data="{oops", content_type="application/json")
    assert response.status_code == 400
    assert api_json(response) == {
        "code": "bad_request",
        "message": "请求内容无法解析，请检查格式。",
        "errors": [],
    }


def test_unknown_api_path_is_a_json_404(client: Client):
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert api_json(response) == {
        "code": "not_found",
        "message": "接口不存在，请检查请求地址。",
        "errors": [],
    }


def test_wrong_method_on_an_api_path_is_a_json_405(client: Client):
    response = client.delete("/api/tests/things")
    assert response.status_code == 405
    assert api_json(response) == {
        "code": "method_not_allowed",
        "message": "该接口不支持此请求方法。",
        "errors": [],
    }


# --- Pages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "status", "message"),
    [
        ("not-found", 404, "您要找的内容不存在，或您没有查看的权限。"),
        ("forbidden", 403, "您没有进行此操作的权限。"),
        ("transition", 409, "办件已办结，不能再退回。"),
        ("conflict", 409, "该内容已存在或已被他人修改，请刷新后重试。"),
        ("rule", 422, "申请人未满十八周岁。"),
    ],
)
def test_domain_error_in_a_page_view_is_the_friendly_page(
    client: Client, kind: str, status: int, message: str
):
    response = client.get(f"/test-pages/raise/{kind}/")
    assert response.status_code == status
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert '<html lang="zh-CN"' in html
    assert "<h1>无法完成操作</h1>" in html
    assert f'<p class="lead">{message}</p>' in html
    assert_no_stack_trace(html)


def test_friendly_page_lists_the_field_errors(client: Client):
    html = client.get("/test-pages/raise/rule/").content.decode()
    assert '<ul class="error-list"><li>请核对出生日期。</li></ul>' in html


def test_unknown_page_is_the_friendly_chinese_404(client: Client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>页面不存在</h1>" in html
    assert '<p class="lead">您要找的页面不存在，或您没有查看的权限。</p>' in html
    assert '<a class="button" href="/">返回首页</a>' in html
    assert_no_stack_trace(html)


def test_crashing_page_is_the_friendly_500(client: Client):
    client.raise_request_exception = False
    response = client.get("/test-pages/crash/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>系统繁忙</h1>" in html
    assert_no_stack_trace(html)


def test_permission_denied_is_the_friendly_403(client: Client):
    response = client.get("/test-pages/denied/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>没有权限</h1>" in html
    assert '<p class="lead">您没有查看此页面的权限。如有疑问，请联系管理员。</p>' in html
    assert_no_stack_trace(html)


def test_expired_form_is_the_friendly_chinese_403():
    # Django's test client skips CSRF checks unless asked; a browser with a stale page meets them.
    response = Client(enforce_csrf_checks=True).post("/elder-mode", {"next": "/"})
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="zh-CN"' in html
    assert "<h1>页面已过期</h1>" in html
    assert_no_stack_trace(html)
