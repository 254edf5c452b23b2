"""Writes to the working-day calendar: seeding, administrators' edits, regional overrides, years.

Every write appends to the audit (`CalendarDayChange`) where a day changes, renews the revision
token (so that every process reloads its cached snapshot) and publishes an event after commit when
due dates computed elsewhere may have changed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta

import chinese_calendar
from chinese_calendar import constants as package_calendar
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from yiwang.calendars.deadlines import SUPPORTED_YEARS, DayKind, weekend_rule_kind
from yiwang.calendars.events import CalendarDayChanged, CalendarYearCompleted, CalendarYearReopened
from yiwang.calendars.models import (
    CalendarDay,
    CalendarDayChange,
    CalendarRevision,
    CalendarYear,
    DaySource,
    YearSource,
)
from yiwang.calendars.regions import NATIONAL, normalise_region_code
from yiwang.platform.errors import FieldError, InvalidInput, RuleViolated
from yiwang.platform.events import publish

SYSTEM_ACTOR = "系统"
PACKAGE_ACTOR = f"chinese-calendar {chinese_calendar.__version__}"

# The package's English festival names, as people here say them.
FESTIVAL_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def package_years() -> tuple[int, ...]:
    """The years chinese-calendar knows (2004–2026 for version 1.11)."""
    return tuple(sorted({day.year for day in package_calendar.holidays}))


def _actor_label(actor: AbstractBaseUser | None) -> str:
    return actor.get_username() if actor is not None else SYSTEM_ACTOR


def _invalid(field: str, code: str, message: str) -> InvalidInput:
    return InvalidInput(message, code=code, errors=[FieldError(field=field, message=message)])


def _checked_year(year: int) -> int:
    if year not in SUPPORTED_YEARS:
        first, last = SUPPORTED_YEARS[0], SUPPORTED_YEARS[-1]
        raise _invalid("year", "year_out_of_range", f"年度应在{first}年至{last}年之间，请检查。")
    return year


def _renew_revision(now: datetime) -> None:
    CalendarRevision.objects.update_or_create(
        pk=1, defaults={"token": uuid.uuid4().hex, "changed_at": now}
    )


def _days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days)]


def _package_day(on: date) -> tuple[DayKind, str]:
    if on in package_calendar.holidays:
        return DayKind.HOLIDAY, FESTIVAL_NAMES.get(package_calendar.holidays[on], "")
    if on in package_calendar.workdays:
        name = FESTIVAL_NAMES.get(package_calendar.workdays[on], "")
        return DayKind.MAKEUP_WORKDAY, f"{name}调休" if name else ""
    return weekend_rule_kind(on), ""


@transaction.atomic
def calendar_seed_from_package(*, years: Iterable[int] | None = None) -> int:
    """Enter the national calendar of the years chinese-calendar knows; returns days written.

    Idempotent: days already entered by administrators are kept, days only pre-filled by the
    weekend rule are corrected, a year already on record keeps its status. A year created here is
    complete, and `CalendarYearCompleted` is published for it.
    """
    known = package_years()
    wanted = sorted(set(known if years is None else years))
    unknown = [year for year in wanted if year not in known]
    if unknown:
        message = (
            f"chinese-calendar 只收录了{known[0]}年至{known[-1]}年的节假日安排，"
            f"{'、'.join(map(str, unknown))}年请由管理员录入。"
        )
        raise _invalid("years", "year_not_in_package", message)
    if not wanted:
        return 0
    now = timezone.now()
    existing = {
        row.date: row
        for row in CalendarDay.objects.filter(
            region_code=NATIONAL,
            date__gte=date(wanted[0], 1, 1),
            date__lte=date(wanted[-1], 12, 31),
        ).only("id", "date", "kind", "name", "source")
    }
    to_create: list[CalendarDay] = []
    to_update: list[CalendarDay] = []
    for year in wanted:
        for on in _days_of(year):
            kind, name = _package_day(on)
            row = existing.get(on)
            if row is None:
                to_create.append(
                    CalendarDay(
                        date=on,
                        region_code=NATIONAL,
                        kind=kind,
                        name=name,
                        source=DaySource.PACKAGE,
                        changed_by=PACKAGE_ACTOR,
                        changed_at=now,
                    )
                )
            elif row.source == DaySource.WEEKEND_RULE and (row.kind, row.name) != (kind, name):
                row.kind, row.name, row.source = kind, name, DaySource.PACKAGE
                row.changed_by, row.changed_at = PACKAGE_ACTOR, now
                to_update.append(row)
    CalendarDay.objects.bulk_create(to_create, batch_size=1000)
    CalendarDay.objects.bulk_update(
        to_update, ["kind", "name", "source", "changed_by", "changed_at"], batch_size=1000
    )
    on_record = set(
        CalendarYear.objects.filter(region_code=NATIONAL, year__in=wanted).values_list(
            "year", flat=True
        )
    )
    new_years = [year for year in wanted if year not in on_record]
    CalendarYear.objects.bulk_create(
        [
            CalendarYear(
                year=year,
                region_code=NATIONAL,
                source=YearSource.PACKAGE,
                is_complete=True,
                note="由 chinese-calendar 数据包导入。",
                completed_by=PACKAGE_ACTOR,
                completed_at=now,
            )
            for year in new_years
        ]
    )
    written = len(to_create) + len(to_update)
    if written or new_years:
        _renew_revision(now)
    for year in new_years:
        publish(CalendarYearCompleted(year=year, region_code=NATIONAL))
    return written


def _national_year_is_complete(year: int) -> bool:
    return CalendarYear.objects.filter(year=year, region_code=NATIONAL, is_complete=True).exists()


_WEEKEND_ONLY = {
    DayKind.WEEKEND: "“休息日”只能是星期六或星期日；工作日放假请选择“节假日”。",
    DayKind.MAKEUP_WORKDAY: "“调休上班日”只能是星期六或星期日。",
}


def _check_kind_fits_day(on: date, kind: DayKind) -> None:
    """Keep the four kinds meaningful: a working Saturday is a make-up day, a weekday off a
    holiday; otherwise counts by kind (reports, the public page) would mislead."""
    weekend = on.weekday() >= 5
    if kind in _WEEKEND_ONLY and not weekend:
        raise _invalid("kind", "kind_needs_weekend", _WEEKEND_ONLY[kind])
    if kind == DayKind.WORKDAY and weekend:
        message = "星期六、星期日上班请选择“调休上班日”。"
        raise _invalid("kind", "kind_needs_weekday", message)


def calendar_day_check(*, on: date, kind: DayKind, region_code: str = "") -> str:
    """Check a day entry before saving it (forms call it to show errors beside the fields);
    returns the canonical region code. Raises `InvalidInput` with field errors."""
    code = normalise_region_code(region_code)
    if on.year not in SUPPORTED_YEARS:
        first, last = SUPPORTED_YEARS[0], SUPPORTED_YEARS[-1]
        raise _invalid("date", "date_out_of_range", f"日期应在{first}年至{last}年之间，请检查。")
    _check_kind_fits_day(on, DayKind(kind))
    return code


def _write_day(
    *,
    on: date,
    region_code: str,
    kind: DayKind | None,
    name: str,
    note: str,
    changed_by: AbstractBaseUser | None,
) -> CalendarDay | None:
    """Set (or, with `kind` None, remove) one day of one scope, with its audit row and event."""
    if kind is not None:
        calendar_day_check(on=on, kind=kind, region_code=region_code)
    now = timezone.now()
    actor = _actor_label(changed_by)
    row = CalendarDay.objects.select_for_update().filter(date=on, region_code=region_code).first()
    old_kind, old_name = (row.kind, row.name) if row else ("", "")
    if kind is None:
        if row is not None:
            row.delete()
        result = None
    elif row is None:
        result = CalendarDay.objects.create(
            date=on,
            region_code=region_code,
            kind=kind,
            name=name,
            source=DaySource.ADMIN,
            changed_by=actor,
        )
    else:
        row.kind, row.name, row.source, row.changed_by = kind, name, DaySource.ADMIN, actor
        row.save(update_fields=["kind", "name", "source", "changed_by", "changed_at"])
        result = row
    new_kind = kind.value if kind is not None else ""
    new_name = name if kind is not None else ""
    if (old_kind, old_name) == (new_kind, new_name):
        return result
    CalendarDayChange.objects.create(
        date=on,
        region_code=region_code,
        old_kind=old_kind,
        new_kind=new_kind,
        old_name=old_name,
        new_name=new_name,
        note=note,
        changed_by=actor,
        changed_at=now,
    )
    _renew_revision(now)
    # Only a day of a nationally complete year can move a due date (others follow the weekend
    # rule until their year is completed, which has its own event).
    if old_kind != new_kind and _national_year_is_complete(on.year):
        publish(CalendarDayChanged(on=on, region_code=region_code, kind=new_kind))
    return result


@transaction.atomic
def calendar_day_set(
    *,
    on: date,
    kind: DayKind,
    name: str = "",
    note: str = "",
    region_code: str = "",
    changed_by: AbstractBaseUser | None = None,
) -> CalendarDay:
    """Set the kind of a day (national when `region_code` is empty), audited."""
    day = _write_day(
        on=on,
        region_code=normalise_region_code(region_code),
        kind=DayKind(kind),
        name=name.strip(),
        note=note.strip(),
        changed_by=changed_by,
    )
    assert day is not None  # a kind was given, so the day exists
    return day


@transaction.atomic
def calendar_override_add(
    *,
    region_code: str,
    on: date,
    kind: DayKind,
    name: str = "",
    note: str = "",
    changed_by: AbstractBaseUser | None = None,
) -> CalendarDay:
    """A regional override, e.g. a local holiday of an autonomous area (民族自治地方)."""
    code = normalise_region_code(region_code)
    if code == NATIONAL:
        raise _invalid("region", "region_required", "地方调整须填写行政区划代码，例如 350400。")
    return calendar_day_set(
        on=on, kind=kind, name=name, note=note, region_code=code, changed_by=changed_by
    )


@transaction.atomic
def calendar_override_remove(
    *, region_code: str, on: date, note: str = "", changed_by: AbstractBaseUser | None = None
) -> None:
    """Remove a regional override: the day follows the enclosing regions and the nation again."""
    code = normalise_region_code(region_code)
    if code == NATIONAL:
        raise _invalid("region", "region_required", "全国日历的日期不能删除，请修改其类型。")
    _write_day(
        on=on, region_code=code, kind=None, name="", note=note.strip(), changed_by=changed_by
    )


@transaction.atomic
def calendar_year_open(
    *,
    year: int,
    region_code: str = "",
    note: str = "",
    changed_by: AbstractBaseUser | None = None,
) -> CalendarYear:
    """Put a year on record, not complete yet, so administrators can enter it.

    A national year is pre-filled by the weekend rule so that only the holidays and make-up
    working days of the State Council's notice remain to be entered.
    """
    code = normalise_region_code(region_code)
    _checked_year(year)
    now = timezone.now()
    record, created = CalendarYear.objects.get_or_create(
        year=year,
        region_code=code,
        defaults={"source": YearSource.ADMIN, "is_complete": False, "note": note.strip()},
    )
    if not created:
        return record
    if code == NATIONAL:
        _fill_by_weekend_rule(year, now, _actor_label(changed_by))
    _renew_revision(now)
    return record


def _fill_by_weekend_rule(year: int, now: datetime, actor: str) -> None:
    entered = set(
        CalendarDay.objects.filter(region_code=NATIONAL, date__year=year).values_list(
            "date", flat=True
        )
    )
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(
                date=on,
                region_code=NATIONAL,
                kind=weekend_rule_kind(on),
                source=DaySource.WEEKEND_RULE,
                changed_by=actor,
                changed_at=now,
            )
            for on in _days_of(year)
            if on not in entered
        ],
        batch_size=1000,
    )


@transaction.atomic
def calendar_year_complete(
    *, year: int, region_code: str = "", changed_by: AbstractBaseUser | None = None
) -> CalendarYear:
    """Mark a year as entered: due dates in it stop being provisional.

    Publishes `CalendarYearCompleted(year, region_code)` after commit, once per completion, so
    that contexts storing due dates recompute the provisional ones.
    """
    code = normalise_region_code(region_code)
    _checked_year(year)
    now = timezone.now()
    record, _created = CalendarYear.objects.select_for_update().get_or_create(
        year=year, region_code=code, defaults={"source": YearSource.ADMIN}
    )
    if record.is_complete:
        return record
    if code == NATIONAL:
        # A national year is stored day by day: whatever was not entered follows the weekend rule.
        _fill_by_weekend_rule(year, now, _actor_label(changed_by))
    record.is_complete = True
    record.completed_by = _actor_label(changed_by)
    record.completed_at = now
    record.save(update_fields=["is_complete", "completed_by", "completed_at", "changed_at"])
    _renew_revision(now)
    publish(CalendarYearCompleted(year=year, region_code=code))
    return record


@transaction.atomic
def calendar_year_reopen(
    *, year: int, region_code: str = "", note: str, changed_by: AbstractBaseUser | None = None
) -> CalendarYear:
    """Take a year back for revision; due dates touching it become provisional until completed."""
    code = normalise_region_code(region_code)
    if not note.strip():
        raise _invalid("note", "reason_required", "重新开放录入须说明原因。")
    record = CalendarYear.objects.select_for_update().filter(year=year, region_code=code).first()
    if record is None or not record.is_complete:
        raise RuleViolated(
            f"{year}年的日历尚未标记为已录入完成，无需重新开放。", code="year_not_complete"
        )
    now = timezone.now()
    record.is_complete = False
    record.note = note.strip()
    record.save(update_fields=["is_complete", "note", "changed_at"])
    _renew_revision(now)
    publish(CalendarYearReopened(year=year, region_code=code))
    return record
