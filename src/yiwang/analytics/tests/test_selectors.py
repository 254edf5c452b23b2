"""The analytics selectors: who may read the figures, periods, grouping, exact figures on the
hand-built November (see conftest.py), and query counts that do not grow with tickets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yiwang.analytics import selectors
from yiwang.analytics.formatting import rate_text
from yiwang.analytics.selectors import FigureQuery, month_period
from yiwang.analytics.tests.conftest import NOW
from yiwang.analytics.tests.factories import at, dispatch, make_staff, register
from yiwang.identity.models import StaffRole
from yiwang.platform.errors import InvalidInput, NotFound

pytestmark = pytest.mark.django_db
NOVEMBER = FigureQuery(month_period(date(2026, 11, 1)))


def _leader(city):
    return make_staff(city.centre, StaffRole.LEADER)


# --- Permission -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role",
    [StaffRole.LEADER, StaffRole.SUPERVISOR, StaffRole.DISPATCHER, StaffRole.ADMINISTRATOR],
)
def test_leaders_supervisors_dispatchers_and_administrators_may_read(city, role):
    assert selectors.user_may_read_hotline_figures(make_staff(city.centre, role))


@pytest.mark.parametrize(
    "role",
    [
        StaffRole.HOTLINE_OPERATOR,
        StaffRole.DEPARTMENT_HANDLER,
        StaffRole.DEPARTMENT_HEAD,
        StaffRole.WINDOW_CLERK,
        StaffRole.CATALOGUE_MANAGER,
    ],
)
def test_other_staff_get_not_found(city, role):
    user = make_staff(city.roads, role)
    assert not selectors.user_may_read_hotline_figures(user)
    with pytest.raises(NotFound):
        selectors.hotline_figures_for(user, NOVEMBER)
    with pytest.raises(NotFound):
        selectors.hotspot_report_for(user, date(2026, 11, 1))
    with pytest.raises(NotFound):
        selectors.hotline_filter_choices(user)


def test_an_inactive_leader_membership_gives_nothing(city):
    leader = _leader(city)
    leader.memberships.update(is_active=False)
    assert not selectors.user_may_read_hotline_figures(leader)


# --- Periods --------------------------------------------------------------------------------


def test_the_default_period_is_the_last_full_month():
    assert selectors.last_full_month(date(2026, 12, 15)) == date(2026, 11, 1)
    assert selectors.last_full_month(date(2027, 1, 1)) == date(2026, 12, 1)
    period = month_period(date(2026, 2, 1))
    assert (period.first_day, period.last_day, period.is_month) == (
        date(2026, 2, 1),
        date(2026, 2, 28),
        True,
    )
    assert period.label == "2026年2月"
    assert period.slug == "2026-02"


@pytest.mark.parametrize("raw", ["2026-13", "2026/11", "november", "", "2026-1-1", "99999-01"])
def test_bad_months_are_refused_with_a_message(raw):
    with pytest.raises(InvalidInput) as refused:
        selectors.parse_month(raw)
    assert refused.value.code == "month_invalid"
    assert "2026-11" in refused.value.message


def test_periods_run_forwards_and_at_most_a_year():
    with pytest.raises(InvalidInput, match="结束日期不能早于开始日期"):
        selectors.period_between(date(2026, 11, 2), date(2026, 11, 1))
    with pytest.raises(InvalidInput, match="最长为一年"):
        selectors.period_between(date(2025, 1, 1), date(2026, 1, 2))  # 367 days
    period = selectors.period_between(date(2026, 11, 3), date(2026, 11, 20))
    assert period.label == "2026年11月3日至2026年11月20日"
    assert not period.is_month


def test_the_trend_is_the_twelve_months_ending_with_the_period():
    months = selectors.trend_months(month_period(date(2026, 11, 1)))
    assert [m.slug for m in (months[0], months[-1])] == ["2025-12", "2026-11"]
    assert len(months) == 12


# --- Exact figures --------------------------------------------------------------------------


def test_the_months_figures_have_their_known_answers(november):
    figures = selectors.hotline_figures_for(_leader(november.city), NOVEMBER, now=NOW)
    total = figures.total
    assert (total.registered, total.valid_contacts) == (4, 5)
    texts = {cell.definition.key: rate_text(cell.rate) for cell in figures.cells}
    assert texts == {
        "acceptance": "80.00%（4/5）",  # A B C D ÷ those + the hung-up call
        "direct_answer": "25.00%（1/4）",  # D
        "reply": "100.00%（3/3）",
        "timely_viewing": "66.67%（2/3）",  # B signed late
        "on_time_completion": "66.67%（2/3）",  # B replied late
        "callback": "100.00%（3/3）",
        "satisfaction": "66.67%（2/3）",  # A and C
        "resolution": "50.00%（1.5/3）",  # A, and C partly
        "rework": "0.00%（0/3）",
        "repeat_complaint": "—（0/0）",  # no complaint (投诉) among them
    }


def test_grouped_by_unit_lists_the_units_that_led_tickets(november):
    figures = selectors.hotline_figures_for(
        _leader(november.city), NOVEMBER, group_by="department", now=NOW
    )
    rows = {row.label: row for row in figures.tables[0].rows}
    assert list(rows) == ["示范市城市管理局", "示范市水务局"]  # by name; the centre led nothing
    roads = rows["示范市城市管理局"].metrics
    assert roads.registered == 2
    assert roads.on_time_completion.value == Decimal("50.00")
    assert roads.satisfaction.value == Decimal("50.00")
    assert rows["示范市水务局"].metrics.resolution.value == Decimal("50.00")  # ½ ÷ 1


def test_grouped_by_top_level_category(november):
    figures = selectors.hotline_figures_for(
        _leader(november.city), NOVEMBER, group_by="category", now=NOW
    )
    rows = [
        (row.label, row.metrics.registered, str(row.metrics.direct_answer))
        for row in figures.tables[0].rows
    ]
    assert rows == [("城市管理", 2, "0.00%"), ("供水供电", 2, "50.00%")]


def test_a_narrower_category_filter_keeps_only_its_top_level_row(november):
    query = FigureQuery(NOVEMBER.period, category_id=november.city.manhole.pk)
    figures = selectors.hotline_figures_for(
        _leader(november.city), query, group_by="category", now=NOW
    )
    assert [(r.label, r.metrics.registered) for r in figures.tables[0].rows] == [("城市管理", 2)]


def test_grouped_by_county(november):
    figures = selectors.hotline_figures_for(
        _leader(november.city), NOVEMBER, group_by="region", now=NOW
    )
    rows = [(row.key, row.label, row.metrics.registered) for row in figures.tables[0].rows]
    assert rows == [("359902", "清溪区", 2), ("359903", "园区县", 2)]


def test_a_county_filter_keeps_only_its_own_row(november):
    query = FigureQuery(NOVEMBER.period, region_code="359903")
    figures = selectors.hotline_figures_for(
        _leader(november.city), query, group_by="region", now=NOW
    )
    assert [(r.label, r.metrics.registered) for r in figures.tables[0].rows] == [("园区县", 2)]
    assert figures.total.registered == 2


def test_grouped_by_month_clips_the_months_to_the_period(november):
    query = FigureQuery(selectors.period_between(date(2026, 10, 20), date(2026, 11, 4)))
    figures = selectors.hotline_figures_for(
        _leader(november.city), query, group_by="month", now=NOW
    )
    rows = figures.tables[0].rows
    assert [(r.key, r.label, r.metrics.registered) for r in rows] == [
        ("2026-10", "2026年10月20日至2026年10月31日", 0),
        ("2026-11", "2026年11月1日至2026年11月4日", 2),
    ]
    assert str(rows[0].metrics.reply) == "—"  # nothing due: no denominator, not 0 %


def test_the_dashboard_has_every_table_and_twelve_months_of_trend(november):
    dashboard = selectors.hotline_dashboard_for(_leader(november.city), NOVEMBER, now=NOW)
    assert len(dashboard.by_department.rows) == 2
    assert len(dashboard.by_category.rows) == 2
    assert len(dashboard.by_region.rows) == 2
    trend = dashboard.trend.rows
    assert len(trend) == 12
    assert (trend[-1].key, trend[-1].metrics.registered) == ("2026-11", 4)
    assert trend[0].metrics.registered == 0


def test_filters_naming_nothing_are_refused_beside_their_field(november):
    query = FigureQuery(
        NOVEMBER.period, department_id=999999, category_id=999999, channel="fax", region_code="35"
    )
    with pytest.raises(InvalidInput) as refused:
        selectors.hotline_figures_for(_leader(november.city), query)
    assert {e.field for e in refused.value.errors} == {
        "department_id",
        "category_id",
        "channel",
        "region_code",
    }


def test_the_hotspot_report_reads_the_hotline_report(noisy_november):
    report = selectors.hotspot_report_for(_leader(noisy_november), date(2026, 11, 18))
    assert report.month == date(2026, 11, 1)
    assert report.total == 6
    assert [(r.label, r.count) for r in report.categories] == [("噪声扰民", 5), ("井盖缺失破损", 1)]
    assert [r.label for r in report.rising] == ["噪声扰民"]
    assert report.rising[0].change == Decimal("1400.0")  # 5 against 1/3 a month
    assert [(r.category, r.count) for r in report.repeats] == [("噪声扰民", 4)]


# --- Cost -----------------------------------------------------------------------------------


def _queries(user, query, group_by):
    with CaptureQueriesContext(connection) as captured:
        selectors.hotline_figures_for(user, query, group_by=group_by, now=NOW)
    return len(captured)


@pytest.mark.parametrize("group_by", ["department", "category", "region", "month"])
def test_query_counts_grow_with_groups_never_with_tickets(november, group_by):
    leader = _leader(november.city)
    before = _queries(leader, NOVEMBER, group_by)
    assert before <= 30
    city = november.city
    for day in (14, 15, 16):  # more tickets in the same groups
        ticket = register(city, at(2026, 11, day))
        dispatch(city, ticket, city.roads, at(2026, 11, day))
    assert _queries(leader, NOVEMBER, group_by) == before


def test_the_dashboard_costs_a_bounded_number_of_queries(november):
    leader = _leader(november.city)
    with CaptureQueriesContext(connection) as captured:
        selectors.hotline_dashboard_for(leader, NOVEMBER, now=NOW)
    # The total and 12 months: 2 or 3 aggregates each; a table by unit, category or county:
    # 2 GROUP BY queries, whatever the number of groups; and the look-ups
    assert len(captured) <= 55  # 49 today
