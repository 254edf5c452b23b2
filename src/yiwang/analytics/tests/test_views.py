"""The metrics page and the monthly hotspot report: who may open them, what they show, the
Excel files parsed back, friendly refusals of bad input, and a bounded number of queries."""

from __future__ import annotations

from io import BytesIO
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from yiwang.analytics.tests.conftest import NOW, when
from yiwang.analytics.tests.factories import at, make_staff, register
from yiwang.identity.models import StaffRole

pytestmark = pytest.mark.django_db
FIGURES = "/analytics/hotline/"
HOTSPOTS = "/analytics/hotline/hotspots/"
ALLOWED = [StaffRole.LEADER, StaffRole.SUPERVISOR, StaffRole.DISPATCHER, StaffRole.ADMINISTRATOR]
DENIED = [StaffRole.HOTLINE_OPERATOR, StaffRole.DEPARTMENT_HANDLER, StaffRole.WINDOW_CLERK]


def _signed_in(client, city, role=StaffRole.LEADER):
    with when(NOW):  # sessions expire: sign in at the time the pages are read
        client.force_login(make_staff(city.centre, role))
    return client


def _get(client, url, **params):
    with when(NOW):
        return client.get(url, params)


# --- Who may open them ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ALLOWED)
@pytest.mark.parametrize("url", [FIGURES, HOTSPOTS])
def test_analysts_open_both_pages(client, november, role, url):
    response = _get(_signed_in(client, november.city, role), url)
    assert response.status_code == 200
    assert "示范市城市管理局" in response.content.decode()


@pytest.mark.parametrize("role", DENIED)
@pytest.mark.parametrize("url", [FIGURES, HOTSPOTS])
@pytest.mark.parametrize("excel", [False, True])
def test_other_staff_get_a_not_found_page_without_any_figure(client, november, role, url, excel):
    params = {"format": "xlsx"} if excel else {}
    response = _get(_signed_in(client, november.city, role), url, **params)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "示范市城市管理局" not in body
    assert "80.00%" not in body
    assert "井盖缺失破损" not in body


@pytest.mark.parametrize("url", [FIGURES, HOTSPOTS])
def test_visitors_are_sent_to_sign_in(client, november, url):
    response = _get(client, url, format="xlsx")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_workbench_links_analysts_to_the_figures(client, november):
    page = _get(_signed_in(client, november.city), "/workbench/").content.decode()
    assert FIGURES in page
    assert HOTSPOTS in page
    clerk = _get(_signed_in(client, november.city, StaffRole.WINDOW_CLERK), "/workbench/")
    assert FIGURES not in clerk.content.decode()


# --- The metrics page -----------------------------------------------------------------------


def test_the_metrics_page_shows_last_month_with_fractions_and_definitions(client, november):
    page = _get(_signed_in(client, november.city), FIGURES).content.decode()
    assert "2026年11月" in page
    assert 'value="2026-11"' in page  # the month chosen for the reader is shown
    assert "80.00%" in page
    assert "（4/5）" in page
    assert "50.00%" in page
    assert "（1.5/3）" in page
    assert "登记的工单数 ÷ 有效来电来件数" in page  # the acceptance rate's definition
    assert 'aria-describedby="metric-acceptance-definition"' in page
    for heading in ("按承办单位", "按诉求分类（一级）", "按区域（县区）", "近12个月趋势"):
        assert heading in page
    assert "清溪区" in page
    assert "园区县" in page
    assert 'class="table-wrap" role="region"' in page


def test_an_empty_denominator_shows_a_dash(client, november):
    page = _get(_signed_in(client, november.city), FIGURES, month="2026-10").content.decode()
    assert "—" in page
    assert "暂无数据" in page  # for screen readers
    assert "0.00%" not in page


def test_filters_narrow_the_page(client, november):
    response = _get(
        _signed_in(client, november.city),
        FIGURES,
        month="2026-11",
        department_id=november.city.roads.pk,
        channel="app",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "登记工单 2 件" in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"month": "2026-13"}, "请按“年-月”填写月份"),
        ({"start": "2026-11-20", "end": "2026-11-01"}, "结束日期不能早于开始日期"),
        ({"start": "2026-11-01"}, "请同时填写开始日期和结束日期"),
        ({"start": "2026-11-31", "end": "2026-12-01"}, "请填写正确的日期"),
        ({"start": "2020-01-01", "end": "2026-01-01"}, "最长为一年"),
        ({"department_id": "abc"}, "选择一个有效的选项"),
    ],
)
def test_bad_input_gets_a_friendly_message_not_an_error(client, november, params, message):
    response = _get(_signed_in(client, november.city), FIGURES, **params)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "error-summary" in page


def test_the_metrics_workbook_has_a_sheet_per_table(client, november):
    response = _get(_signed_in(client, november.city), FIGURES, month="2026-11", format="xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response["Content-Disposition"]
    assert 'filename="12345-hotline-metrics-2026-11.xlsx"' in disposition
    assert "filename*=UTF-8''" + quote("12345热线指标-2026-11.xlsx") in disposition
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["总体指标", "按承办单位", "按诉求分类", "按区域", "月度趋势"]
    sheet = book["总体指标"]
    headers = [c.value for c in sheet[1]]
    assert headers[:6] == [
        "统计时段",
        "登记工单数",
        "有效来电来件数",
        "受理率（%）",
        "受理率分子",
        "受理率分母",
    ]
    row = [c.value for c in sheet[2]]
    assert row[:6] == ["2026年11月", 4, 5, 80, 4, 5]
    resolution = headers.index("解决率（%）")
    assert row[resolution : resolution + 3] == [50, 1.5, 3]
    trend = book["月度趋势"]
    assert trend.max_row == 13  # the header and twelve months
    assert trend["D2"].value == "—"  # December 2025: no contacts, no acceptance rate


# --- The hotspot report ---------------------------------------------------------------------


def test_the_report_has_every_section_and_prints_on_a4(client, noisy_november):
    response = _get(_signed_in(client, noisy_november), HOTSPOTS, month="2026-11")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>12345热点分析月报（2026年11月）" in page
    for section in (
        "一、总体情况",
        "二、热点分类",
        "三、热点区域",
        "四、承办单位",
        "五、上升分类",
        "六、同一地点重复投诉",
    ):
        assert section in page
    assert "本月登记工单 6 件" in page
    assert "<td>0.3</td><td>+1400.0%</td>" in page  # 5 against 1/3 a month before
    assert '三、热点区域</h2>\n  <p class="empty">本月没有落在街道范围内的工单。' in page
    assert "清溪路88号工地" in page
    assert "analytics/analytics.css" in page  # the print stylesheet
    assert "window.print()" in page


def test_the_report_defaults_to_last_month(client, noisy_november):
    page = _get(_signed_in(client, noisy_november), HOTSPOTS).content.decode()
    assert "2026年11月" in page
    assert 'value="2026-11"' in page


@pytest.mark.parametrize("month", ["2026-13", "abc", "2026-1-", "0000-01"])
@pytest.mark.parametrize("excel", [False, True])
def test_a_bad_month_gets_a_friendly_page(client, noisy_november, month, excel):
    params = {"month": month, **({"format": "xlsx"} if excel else {})}
    response = _get(_signed_in(client, noisy_november), HOTSPOTS, **params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "请按“年-月”填写月份，例如 2026-11。" in response.content.decode()


def test_the_report_workbook_has_a_sheet_per_section(client, noisy_november):
    response = _get(_signed_in(client, noisy_november), HOTSPOTS, month="2026-11", format="xlsx")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="12345-hotspot-report-2026-11.xlsx"' in disposition
    assert "filename*=UTF-8''" + quote("12345热点分析月报-2026-11.xlsx") in disposition
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["概况", "热点分类", "热点区域", "承办单位", "上升分类", "重复投诉"]
    assert [c.value for c in book["概况"]["A"]][:2] == ["项目", "报告月份"]
    assert book["概况"]["B2"].value == "2026年11月"
    assert book["概况"]["B3"].value == 6
    categories = book["热点分类"]
    assert [c.value for c in categories[1]] == ["排名", "诉求分类", "工单数", "占比（%）"]
    assert [c.value for c in categories[2]] == [1, "噪声扰民", 5, 83.3]
    assert categories.column_dimensions["B"].width >= 10
    assert [c.value for c in book["承办单位"][2]] == [1, "示范市城市管理局", 1, 16.7]
    assert [c.value for c in book["上升分类"][2]] == ["噪声扰民", 5, 0.3, 1400]
    repeats = book["重复投诉"]
    assert [c.value for c in repeats[1]] == [
        "诉求分类",
        "地点",
        "投诉次数",
        "首次",
        "最近",
        "工单编号",
    ]
    assert repeats["A2"].value == "噪声扰民"
    assert repeats["C2"].value == 4
    assert repeats["D2"].value.strftime("%Y-%m-%d %H:%M") == "2026-11-03 09:00"  # Shanghai time


# --- Cost -----------------------------------------------------------------------------------


def test_the_pages_cost_a_bounded_number_of_queries(client, november):
    client = _signed_in(client, november.city)
    with CaptureQueriesContext(connection) as figures:
        _get(client, FIGURES)
    with CaptureQueriesContext(connection) as hotspots:
        _get(client, HOTSPOTS)
    assert len(figures) <= 120
    assert len(hotspots) <= 20


# --- Repeat complaints ----------------------------------------------------------------------


def test_the_repeat_complaint_rate_shows_with_its_denominator(client, november):
    """A complaint on 20 November by A's reporter, 15 days after A closed: one repeat of one
    complaint, on the page (with the definition naming the denominator) and in the workbook."""
    register(november.city, at(2026, 11, 20), ticket_type="complaint", content="井盖又坏了。")
    client = _signed_in(client, november.city)
    page = _get(client, FIGURES, month="2026-11").content.decode()
    assert '<h3 id="metric-repeat_complaint">重复投诉率</h3>' in page
    assert '100.00%<span class="metric-fraction">（1/1）</span>' in page
    assert "重复投诉件数 ÷ 统计时段内登记的投诉件数" in page
    assert "办结后30天内再次投诉" in page
    assert "相距200米以内" in page
    book = load_workbook(BytesIO(_get(client, FIGURES, month="2026-11", format="xlsx").content))
    sheet = book["总体指标"]
    headers = [c.value for c in sheet[1]]
    column = headers.index("重复投诉率（%）")
    assert [c.value for c in sheet[2]][column : column + 3] == [100, 1, 1]


def test_the_hotspot_page_states_the_radius_from_the_settings(client, noisy_november, settings):
    settings.HOTLINE_REPEAT_RADIUS_M = 20  # the four noise complaints are 20–90 m apart
    page = _get(_signed_in(client, noisy_november), HOTSPOTS, month="2026-11").content.decode()
    assert "同一分类、相距20米以内的投诉，本月3次及以上。" in page
    assert "清溪路88号工地" not in page.split("六、同一地点重复投诉")[1]
