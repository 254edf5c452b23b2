"""Analytics API: the 12345 hotline's metrics (DOMAIN §7) for a period, optionally grouped.

For leaders, supervisors, dispatchers and administrators (session sign-in); anyone else signed
in gets 404, as for an address that does not exist. Rates are strings with two decimals
(`"83.33"`), or null when there is no denominator, always with their numerator and denominator.

No `from __future__ import annotations` here: ninja reads the annotations at import time.
"""

from datetime import date
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.security import django_auth
from pydantic import Field

from yiwang.analytics import selectors
from yiwang.analytics.formatting import number_text, value_text
from yiwang.hotline.selectors import HotlineMetrics, Rate
from yiwang.identity.models import User
from yiwang.platform.errors import FieldError, InvalidInput, NotFound

router = Router(tags=["统计分析"])


class HotlineMetricsQueryIn(Schema):
    start: date | None = Field(
        None, description="起始日期（含）；与 end 同时省略时为上一个完整月份"
    )
    end: date | None = Field(None, description="结束日期（含），时段最长 366 天")
    department_id: int | None = Field(None, description="主办单位")
    category_id: int | None = Field(None, description="诉求分类（含其下级分类）")
    channel: str = Field("", description="受理渠道，如 phone、app")
    region_code: str = Field("", description="区划代码（含其下级区划）")
    group_by: Literal["department", "category", "region", "month"] | None = Field(
        None, description="分组：承办单位、一级分类、县区或月份"
    )


class HotlineRateOut(Schema):
    value: str | None = Field(description="百分比，两位小数；没有分母时为 null")
    numerator: str = Field(description="分子（部分解决按 0.5 计，可能有小数）")
    denominator: int


class HotlineFiguresOut(Schema):
    registered: int = Field(description="登记工单数")
    valid_contacts: int = Field(description="有效来电来件数（不含无声、骚扰电话）")
    acceptance: HotlineRateOut = Field(description="受理率")
    direct_answer: HotlineRateOut = Field(description="直接答复率")
    reply: HotlineRateOut = Field(description="回复率")
    timely_viewing: HotlineRateOut = Field(description="及时查阅率（按时签收率）")
    on_time_completion: HotlineRateOut = Field(description="按时办结率")
    callback: HotlineRateOut = Field(description="回访率")
    satisfaction: HotlineRateOut = Field(description="满意率")
    resolution: HotlineRateOut = Field(description="解决率")
    rework: HotlineRateOut = Field(description="发回重办率")
    repeat_complaint: HotlineRateOut = Field(
        description="重复投诉率：分子为重复投诉件数，分母为时段内登记的投诉件数"
    )


class HotlineGroupOut(Schema):
    key: str = Field(description="单位或分类的 id、区划代码，或月份（2026-11）")
    label: str
    figures: HotlineFiguresOut


class HotlineMetricsOut(Schema):
    start: date
    end: date
    department_id: int | None
    category_id: int | None
    channel: str
    region_code: str
    group_by: str | None
    total: HotlineFiguresOut
    groups: list[HotlineGroupOut]


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _rate(rate: Rate) -> HotlineRateOut:
    return HotlineRateOut(
        value=value_text(rate), numerator=number_text(rate.numerator), denominator=rate.denominator
    )


def _figures(metrics: HotlineMetrics) -> HotlineFiguresOut:
    rates = {d.key: _rate(getattr(metrics, d.key)) for d in selectors.METRICS}
    return HotlineFiguresOut(
        registered=metrics.registered, valid_contacts=metrics.valid_contacts, **rates
    )


def _period(query: HotlineMetricsQueryIn) -> selectors.Period:
    if query.start is None and query.end is None:
        return selectors.month_period(selectors.last_full_month())
    if query.start is None or query.end is None:
        missing = "start" if query.start is None else "end"
        message = _("请同时填写 start 和 end。")
        raise InvalidInput(message, code="period_invalid", errors=[FieldError(missing, message)])
    return selectors.period_between(query.start, query.end)


@router.get(
    "/hotline/metrics", response=HotlineMetricsOut, auth=django_auth, summary="12345热线指标"
)
def hotline_metrics(request: HttpRequest, query: Query[HotlineMetricsQueryIn]) -> HotlineMetricsOut:
    """The rates of DOMAIN §7 over tickets received in [start, end], with the filters;
    `group_by` adds one row per unit, top-level category, county or month."""
    user = _user(request)
    if not selectors.user_may_read_hotline_figures(user):
        raise NotFound()  # checked before the parameters, so refusals reveal nothing
    figure_query = selectors.FigureQuery(
        period=_period(query),
        department_id=query.department_id,
        category_id=query.category_id,
        channel=query.channel.strip(),
        region_code=query.region_code.strip(),
    )
    figures = selectors.hotline_figures_for(user, figure_query, group_by=query.group_by)
    period = figure_query.period
    return HotlineMetricsOut(
        start=period.first_day,
        end=period.last_day,
        department_id=figure_query.department_id,
        category_id=figure_query.category_id,
        channel=figure_query.channel,
        region_code=figure_query.region_code,
        group_by=query.group_by,
        total=_figures(figures.total),
        groups=[
            HotlineGroupOut(key=row.key, label=row.label, figures=_figures(row.metrics))
            for table in figures.tables
            for row in table.rows
        ],
    )
