"""Periods of whole days in Asia/Shanghai: a calendar month, or a range of at most a year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.platform.errors import FieldError, InvalidInput

MAX_PERIOD_DAYS = 366
TREND_MONTHS = 12


def _month_after(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _months_before(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


@dataclass(frozen=True)
class Period:
    """Whole days from `first_day` to `last_day`, both included, in Asia/Shanghai."""

    first_day: date
    last_day: date

    @property
    def start(self) -> datetime:
        return _midnight(self.first_day)

    @property
    def end(self) -> datetime:  # exclusive
        return _midnight(self.last_day + timedelta(days=1))

    @property
    def is_month(self) -> bool:
        return self.first_day.day == 1 and self.last_day == _month_after(
            self.first_day
        ) - timedelta(days=1)

    @property
    def label(self) -> str:
        if self.is_month:
            return _("%(year)d年%(month)d月") % {
                "year": self.first_day.year,
                "month": self.first_day.month,
            }
        return _("%(first)s至%(last)s") % {
            "first": day_label(self.first_day),
            "last": day_label(self.last_day),
        }

    @property
    def slug(self) -> str:
        """For file names: `2026-11` for a month, `2026-11-01_2026-11-20` otherwise."""
        if self.is_month:
            return self.first_day.strftime("%Y-%m")
        return f"{self.first_day.isoformat()}_{self.last_day.isoformat()}"


def day_label(day: date) -> str:
    return _("%(year)d年%(month)d月%(day)d日") % {
        "year": day.year,
        "month": day.month,
        "day": day.day,
    }


def month_period(month: date) -> Period:
    first = month.replace(day=1)
    return Period(first, _month_after(first) - timedelta(days=1))


def last_full_month(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return _months_before(today.replace(day=1), 1)


def parse_month(raw: str, *, field_name: str = "month") -> date:
    """`2026-11` → 1 November 2026; anything else is `InvalidInput` with a message to show."""
    text = raw.strip()
    parts = text.split("-")
    if len(parts) == 2 and len(parts[0]) == 4 and parts[0].isdigit() and parts[1].isdigit():
        year, month = int(parts[0]), int(parts[1])
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return date(year, month, 1)
    message = _("请按“年-月”填写月份，例如 2026-11。")
    raise InvalidInput(
        message, code="month_invalid", errors=[FieldError(field=field_name, message=message)]
    )


def period_between(first_day: date, last_day: date) -> Period:
    if last_day < first_day:
        message = _("结束日期不能早于开始日期。")
        raise InvalidInput(
            message, code="period_invalid", errors=[FieldError(field="end", message=message)]
        )
    if (last_day - first_day).days >= MAX_PERIOD_DAYS:
        message = _("统计时段最长为一年（366天），请缩短时段。")
        raise InvalidInput(
            message, code="period_too_long", errors=[FieldError(field="end", message=message)]
        )
    return Period(first_day, last_day)


def trend_months(period: Period) -> list[Period]:
    """The twelve calendar months ending with the month in which the period ends."""
    last = period.last_day.replace(day=1)
    first = _months_before(last, TREND_MONTHS - 1)
    months = []
    month = first
    while month <= last:
        months.append(month_period(month))
        month = _month_after(month)
    return months


def months_of(period: Period) -> list[Period]:
    months = []
    month = period.first_day.replace(day=1)
    while month <= period.last_day:
        whole = month_period(month)
        months.append(
            Period(max(whole.first_day, period.first_day), min(whole.last_day, period.last_day))
        )
        month = _month_after(month)
    return months
