"""GET /api/v1/analytics/hotline/metrics: roles, exact figures as strings with their
fractions, grouping, refusals of bad parameters, and the published schema."""

from __future__ import annotations

import pytest

from yiwang.analytics.tests.conftest import NOW, when
from yiwang.analytics.tests.factories import at, make_staff, register
from yiwang.identity.models import StaffRole

pytestmark = pytest.mark.django_db
URL = "/api/v1/analytics/hotline/metrics"
NOVEMBER = {"start": "2026-11-01", "end": "2026-11-30"}


def _as(client, city, role=StaffRole.LEADER):
    with when(NOW):
        client.force_login(make_staff(city.centre, role))
    return client


def _get(client, **params):
    with when(NOW):
        return client.get(URL, params)


@pytest.mark.parametrize(
    "role", [StaffRole.LEADER, StaffRole.SUPERVISOR, StaffRole.DISPATCHER, StaffRole.ADMINISTRATOR]
)
def test_analysts_read_the_figures(client, november, role):
    assert _get(_as(client, november.city, role), **NOVEMBER).status_code == 200


@pytest.mark.parametrize(
    "role", [StaffRole.HOTLINE_OPERATOR, StaffRole.DEPARTMENT_HANDLER, StaffRole.REVIEWER]
)
def test_other_staff_get_404_and_no_figures(client, november, role):
    # Even with a bad parameter the answer is 404: a refusal reveals nothing.
    for params in (NOVEMBER, {"start": "2026-11-01"}):
        response = _get(_as(client, november.city, role), **params, group_by="department")
        assert response.status_code == 404
        body = response.json()
        assert body["code"] == "not_found"
        assert "total" not in body
        assert "groups" not in body


def test_visitors_must_sign_in(client, november):
    response = _get(client, **NOVEMBER)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_the_figures_are_strings_with_their_fractions(client, november):
    body = _get(_as(client, november.city), **NOVEMBER).json()
    assert (body["start"], body["end"], body["group_by"]) == ("2026-11-01", "2026-11-30", None)
    total = body["total"]
    assert (total["registered"], total["valid_contacts"]) == (4, 5)
    assert total["acceptance"] == {"value": "80.00", "numerator": "4", "denominator": 5}
    assert total["resolution"] == {"value": "50.00", "numerator": "1.5", "denominator": 3}
    assert total["rework"] == {"value": "0.00", "numerator": "0", "denominator": 3}
    assert total["repeat_complaint"] == {"value": None, "numerator": "0", "denominator": 0}
    assert body["groups"] == []


def test_without_a_period_the_last_full_month_is_read(client, november):
    body = _get(_as(client, november.city)).json()
    assert (body["start"], body["end"]) == ("2026-11-01", "2026-11-30")
    assert body["total"]["registered"] == 4


def test_a_rate_without_a_denominator_is_null(client, november):
    body = _get(_as(client, november.city), start="2026-10-01", end="2026-10-31").json()
    assert body["total"]["reply"] == {"value": None, "numerator": "0", "denominator": 0}


@pytest.mark.parametrize(
    ("group_by", "keys", "registered"),
    [
        ("department", None, 3),  # D was answered directly: no unit led it
        ("category", None, 4),
        ("region", ["359902", "359903"], 4),
        ("month", ["2026-11"], 4),
    ],
)
def test_grouped_figures(client, november, group_by, keys, registered):
    body = _get(_as(client, november.city), **NOVEMBER, group_by=group_by).json()
    assert body["group_by"] == group_by
    groups = body["groups"]
    assert len(groups) == 2 if keys is None else [g["key"] for g in groups] == keys
    assert sum(g["figures"]["registered"] for g in groups) == registered
    city = november.city
    if group_by == "department":
        assert [g["key"] for g in groups] == [str(city.roads.pk), str(city.water.pk)]
        assert groups[0]["figures"]["on_time_completion"]["value"] == "50.00"


def test_filters_narrow_the_figures(client, november):
    body = _get(
        _as(client, november.city),
        **NOVEMBER,
        channel="phone",
        category_id=november.city.utilities.pk,
    ).json()
    assert body["total"]["registered"] == 2
    assert body["total"]["direct_answer"]["value"] == "50.00"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2026-11-01"}, "end"),
        ({"start": "2026-11-31", "end": "2026-12-01"}, "start"),
        ({"start": "2026-11-30", "end": "2026-11-01"}, "end"),
        ({"start": "2025-01-01", "end": "2026-06-30"}, "end"),
        ({**NOVEMBER, "group_by": "street"}, "group_by"),
        ({**NOVEMBER, "department_id": "999999"}, "department_id"),
        ({**NOVEMBER, "channel": "fax"}, "channel"),
        ({**NOVEMBER, "region_code": "3599"}, "region_code"),
    ],
)
def test_bad_parameters_are_422_with_the_field_named(client, november, params, field):
    response = _get(_as(client, november.city), **params)
    assert response.status_code == 422
    body = response.json()
    assert field in [e["field"] for e in body["errors"]]
    assert body["message"]


def test_the_schema_documents_the_endpoint(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"][URL]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert names == {
        "start",
        "end",
        "department_id",
        "category_id",
        "channel",
        "region_code",
        "group_by",
    }
    assert operation["tags"] == ["统计分析"]
    rate = schema["components"]["schemas"]["HotlineRateOut"]["properties"]
    assert set(rate) == {"value", "numerator", "denominator"}


def test_a_repeat_complaint_counts_in_the_total_and_in_its_group(client, november):
    city = november.city
    register(city, at(2026, 11, 20), ticket_type="complaint", content="井盖又坏了。")
    body = _get(_as(client, city), **NOVEMBER, group_by="category").json()
    assert body["total"]["repeat_complaint"] == {
        "value": "100.00",
        "numerator": "1",
        "denominator": 1,
    }
    groups = {g["label"]: g["figures"]["repeat_complaint"] for g in body["groups"]}
    assert groups["城市管理"]["numerator"] == "1"
    assert groups["供水供电"] == {"value": None, "numerator": "0", "denominator": 0}
