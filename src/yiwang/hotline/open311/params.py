"""Parameters of GeoReport v2 calls, checked: comma lists, ISO 8601 datetimes with a time zone,
the 90-day window, pages, bounding boxes, the POST's location and attributes. A problem raises
`Open311Error`, which the views turn into the spec's error body."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from yiwang.hotline.selectors import PUBLIC_REQUESTS_MAX, Attribute, RequestQuery
from yiwang.hotline.services.open311 import UPDATE_STATUSES  # FixMyStreet's, sent in upper case

MAX_RANGE = timedelta(days=90)
DESCRIPTION_MAX = 4000
_HTML = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);")
# A "+08:00" sent unencoded in a query string arrives as " 08:00".
_SPACE_OFFSET = re.compile(r" (\d{2}:?\d{2})$")
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")


class Open311Error(Exception):
    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__(descriptions[0] if descriptions else "")
        self.status = status
        self.descriptions = descriptions


QueryDict = MultiValueDict[str, str]


def text(params: QueryDict, name: str) -> str:
    """A parameter's value; an empty one is an absent one."""
    return (params.get(name) or "").strip()


def comma_list(params: QueryDict, name: str) -> list[str]:
    return [part.strip() for part in text(params, name).split(",") if part.strip()]


def moment(params: QueryDict, name: str) -> datetime | None:
    value = text(params, name)
    if not value:
        return None
    value = _SPACE_OFFSET.sub(r"+\1", value)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise Open311Error(
            400,
            _("%(name)s 不是有效的 ISO 8601 时间，例如 2026-11-22T09:30:00+08:00") % {"name": name},
        ) from None
    if parsed.tzinfo is None:
        raise Open311Error(
            400, _("%(name)s 须带时区，例如 2026-11-22T09:30:00+08:00") % {"name": name}
        )
    return parsed


def window(params: QueryDict) -> tuple[datetime, datetime]:
    """start_date / end_date: at most 90 days apart; without them, the last 90 days; with one,
    the 90 days after (or before) it, never past now."""
    start, end = moment(params, "start_date"), moment(params, "end_date")
    now = timezone.now()
    if start is None and end is None:
        return now - MAX_RANGE, now
    if start is None:
        assert end is not None
        return end - MAX_RANGE, end
    if end is None:
        return start, max(start, min(start + MAX_RANGE, now))
    if end < start:
        raise Open311Error(400, _("end_date 不能早于 start_date"))
    if end - start > MAX_RANGE:
        raise Open311Error(400, _("start_date 与 end_date 的间隔不能超过 90 天"))
    return start, end


def positive_int(params: QueryDict, name: str, default: int, maximum: int) -> int:
    value = text(params, name)
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise Open311Error(400, _("%(name)s 须为正整数") % {"name": name})
    return min(int(value), maximum)


def bbox(params: QueryDict) -> tuple[float, float, float, float] | None:
    value = text(params, "bbox")
    if not value:
        return None
    parts = value.split(",")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        numbers = []
    if len(numbers) != 4:
        raise Open311Error(400, _("bbox 应为 最小经度,最小纬度,最大经度,最大纬度"))
    min_lng, min_lat, max_lng, max_lat = numbers
    if not (-180 <= min_lng <= max_lng <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise Open311Error(400, _("bbox 的经纬度超出范围或顺序有误"))
    return min_lng, min_lat, max_lng, max_lat


STATUSES = ("open", "closed")


def request_query(params: QueryDict) -> RequestQuery:
    """`GET requests` parameters. `service_request_id` overrides every other filter (and so
    the date checks are skipped too)."""
    numbers = comma_list(params, "service_request_id")
    page = positive_int(params, "page", 1, 1_000_000)
    page_size = positive_int(params, "page_size", PUBLIC_REQUESTS_MAX, PUBLIC_REQUESTS_MAX)
    if numbers:
        return RequestQuery(numbers=numbers[:PUBLIC_REQUESTS_MAX], limit=page_size)
    statuses = [s.lower() for s in comma_list(params, "status")]
    wrong = [s for s in statuses if s not in STATUSES]
    if wrong:
        raise Open311Error(400, _("status 只能是 open、closed 或两者（以逗号分隔）"))
    start, end = window(params)
    return RequestQuery(
        service_codes=comma_list(params, "service_code"),
        start=start,
        end=end,
        statuses=statuses,
        bbox=bbox(params),
        text=text(params, "q")[:100],
        offset=(page - 1) * page_size,
        limit=page_size,
    )


@dataclass(frozen=True)
class Location:
    latitude: float | None = None
    longitude: float | None = None
    address: str = ""


def location(params: QueryDict) -> Location:
    """lat + long (WGS84), or address_string, or address_id: at least one."""
    lat, lng = text(params, "lat"), text(params, "long")
    address = text(params, "address_string")
    address_id = text(params, "address_id")
    latitude = longitude = None
    if lat or lng:
        try:
            latitude, longitude = float(lat), float(lng)
        except ValueError:
            raise Open311Error(400, _("lat 与 long 须同时提供，且为数字（WGS84）")) from None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise Open311Error(400, _("lat 或 long 超出范围"))
    if latitude is None and not address and not address_id:
        raise Open311Error(400, _("请提供位置：lat 与 long，或 address_string，或 address_id"))
    if not address and address_id:
        address = f"地址编号 {address_id}"
    return Location(latitude, longitude, address[:200])


def description(params: QueryDict) -> str:
    value = text(params, "description")
    if len(value) > DESCRIPTION_MAX:
        raise Open311Error(400, _("description 不能超过 %(max)s 个字符") % {"max": DESCRIPTION_MAX})
    if _HTML.search(value):
        raise Open311Error(400, _("description 不能包含 HTML"))
    return value


def extensions(params: QueryDict) -> bool:
    """`extensions=true` asks for each request's attribute answers and notes."""
    return text(params, "extensions").lower() == "true"


# An app's clock may run a little ahead of ours; more than this is a wrong time.
CLOCK_SKEW = timedelta(hours=1)


@dataclass(frozen=True)
class Update:
    status: str
    updated_at: datetime
    description: str


def update(params: QueryDict) -> Update:
    """`POST servicerequestupdates`: `updated_datetime` (ISO 8601 with a time zone, not in the
    future), `status`, `description`; every problem reported at once."""
    problems: list[str] = []
    status = text(params, "status").lower()
    if not status:
        problems.append(_("缺少 status"))
    elif status not in UPDATE_STATUSES:
        problems.append(
            _("status 不正确，可用：%(statuses)s") % {"statuses": ", ".join(UPDATE_STATUSES)}
        )
    updated_at: datetime | None = None
    try:
        updated_at = moment(params, "updated_datetime")
    except Open311Error as error:
        problems.extend(error.descriptions)
    else:
        if updated_at is None:
            problems.append(_("缺少 updated_datetime"))
        elif updated_at > timezone.now() + CLOCK_SKEW:
            problems.append(_("updated_datetime 不能晚于当前时间"))
    try:
        given = description(params)
    except Open311Error as error:
        problems.extend(error.descriptions)
        given = ""
    if problems:
        raise Open311Error(400, *problems)
    assert updated_at is not None
    return Update(status, updated_at, given)


@dataclass(frozen=True)
class Answers:
    values: dict[str, str] = field(default_factory=dict)
    summary: list[str] = field(default_factory=list)


def _posted_attributes(params: QueryDict) -> dict[str, list[str]]:
    posted: dict[str, list[str]] = {}
    for key in params.keys():  # noqa: SIM118 — a QueryDict, not a dict
        match = _ATTRIBUTE.match(key)
        if match is None:
            continue
        values = [v.strip() for v in params.getlist(key) if v.strip()]
        if values:
            posted.setdefault(match.group(1), []).extend(values)
    return posted


def answers(params: QueryDict, attributes: list[Attribute]) -> Answers:
    """`attribute[CODE]=v` (and `attribute[CODE][]=v` for multivaluelist) checked against the
    service definition: required ones present, list values among the keys, numbers numeric,
    unknown codes refused. Every problem is reported at once."""
    posted = _posted_attributes(params)
    known = {a.code: a for a in attributes}
    problems = [
        _("attribute[%(code)s] 不是该服务的属性") % {"code": code}
        for code in posted
        if code not in known
    ]
    values: dict[str, str] = {}
    summary: list[str] = []
    for attribute in attributes:
        given = posted.get(attribute.code, [])
        if not given:
            if attribute.required and attribute.variable:
                problems.append(
                    _("attribute[%(code)s] 为必填项：%(question)s")
                    % {"code": attribute.code, "question": attribute.description}
                )
            continue
        if attribute.datatype != "multivaluelist" and len(given) > 1:
            problems.append(_("attribute[%(code)s] 只能有一个值") % {"code": attribute.code})
            continue
        if attribute.datatype in ("singlevaluelist", "multivaluelist"):
            names = dict(attribute.values)
            wrong = [v for v in given if v not in names]
            if wrong:
                problems.append(
                    _("attribute[%(code)s] 的取值不在可选范围内") % {"code": attribute.code}
                )
                continue
            shown = "、".join(names[v] for v in given)
        elif attribute.datatype == "number":
            try:
                float(given[0])
            except ValueError:
                problems.append(_("attribute[%(code)s] 须为数字") % {"code": attribute.code})
                continue
            shown = given[0]
        elif attribute.datatype == "datetime":
            try:
                datetime.fromisoformat(given[0])
            except ValueError:
                problems.append(
                    _("attribute[%(code)s] 须为 ISO 8601 时间") % {"code": attribute.code}
                )
                continue
            shown = given[0]
        else:
            shown = given[0][:DESCRIPTION_MAX]
        values[attribute.code] = ",".join(given)[:DESCRIPTION_MAX]
        summary.append(f"{attribute.description}：{shown}")
    if problems:
        raise Open311Error(400, *problems)
    return Answers(values, summary)
