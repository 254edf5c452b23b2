"""A year of 12345 tickets for 示范市, in bulk.

Going through the services would take an hour (≈ 270,000 tickets × a dozen writes); instead each
ticket is simulated in memory, step by step as the services would record it, and the rows of
tickets, assignments, steps and extension requests are written in large batches (executemany on
SQLite, COPY on PostgreSQL) with ids assigned here. The values follow the services' rules:

- numbers `<region 6><yyyymmdd><6 digits>` in order of receipt per day, and `TicketCounter`
  rows set to the last number used, so tickets registered later never collide;
- time limits from the time-limit rules (`limits_for`, `due_after`), routing from the routing
  rules in order, then the category's default unit (as `route_by_rules`);
- the status is where the step history ends: events after `AS_OF` (the end of the period) have
  not happened yet, so the last days' tickets are still open.

Figures (DOMAIN §13): ~739 tickets a day (Huai'an) with weekday and season swings; about 78 %
closed by a direct answer; ~94 % of rated callbacks satisfied; a few percent returned, extended,
late or sent back for rework; some escalations; duplicates merged under a master ticket.
Encrypting a phone costs more than building the rest of a ticket, so reporters come from a pool
of 5,000 encrypted once.
"""

from __future__ import annotations

import json
import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import F, Max

from yiwang.calendars.selectors import CalendarSnapshot, add_working_time, calendar_snapshot
from yiwang.hotline.models import (
    Area,
    Category,
    ExtensionRequest,
    KnowledgeArticle,
    RoutingRule,
    Ticket,
    TicketAssignment,
    TicketCounter,
    TicketStep,
    TimeLimitRule,
)
from yiwang.hotline.selectors import (
    Limits,
    RepeatCandidate,
    RepeatIndex,
    due_after,
    working_periods,
)
from yiwang.hotline.selectors.limits import DEFAULT as DEFAULT_LIMITS
from yiwang.hotline.selectors.limits import URGENT_DEFAULT
from yiwang.hotline.workflow import (
    ALWAYS_CONFIDENTIAL,
    AssignmentRole,
    AssignmentStatus,
    Channel,
    ExtensionStatus,
    LimitUnit,
    Resolution,
    ReturnReason,
    Satisfaction,
    StepAction,
    TicketStatus,
    TicketType,
    Urgency,
)
from yiwang.identity.models import Enterprise, User
from yiwang.org.models import Department, Region, RegionLevel
from yiwang.platform.crypto import blind_index, encrypt
from yiwang.project.demo.context import DemoContext
from yiwang.project.demo.enterprises import DEMO_ENTERPRISES
from yiwang.project.demo.hotline_data.categories import TREE, TYPE_PROFILES, Leaf, leaves
from yiwang.project.demo.hotline_data.texts import (
    FIXES,
    HOSPITALS,
    LINES,
    SHOP_KINDS,
    TIMES,
    VAGUE,
    frame,
)
from yiwang.project.demo.names import STREET_NAMES, person_name, trade_name
from yiwang.project.demo.regions import COUNTIES

SHANGHAI = ZoneInfo("Asia/Shanghai")
EIGHT_HOURS = timedelta(hours=8)  # China has no daylight saving time: local = UTC + 8
END_DAY = date(2026, 11, 21)
DAILY_TICKETS = 739
# Who calls: most people call about once a year (a pool of 300,000 for ~270,000 tickets a year);
# a small group of frequent callers makes 6 % of the tickets (the operator's caller history). With
# DOMAIN's repeat rule (same reporter, or same category within 200 m, within 30 days of a closure)
# about one complaint in eight is then a repeat; a pool of 5,000 made nearly all of them repeats.
REPORTER_POOL = 300_000
FREQUENT_CALLERS = 1_500
FREQUENT_SHARE = 0.06
BATCH_ROWS = 40_000

TYPES = (
    TicketType.CONSULTATION,
    TicketType.HELP,
    TicketType.COMPLAINT,
    TicketType.REPORT,
    TicketType.SUGGESTION,
    TicketType.PRAISE,
    TicketType.OTHER,
)
# Share of each type the operator answers at once (knowledge base, explanation, recorded).
DIRECT_SHARE = {
    TicketType.CONSULTATION: 0.95,
    TicketType.HELP: 0.6,
    TicketType.COMPLAINT: 0.4,
    TicketType.REPORT: 0.04,
    TicketType.SUGGESTION: 0.6,
    TicketType.PRAISE: 0.9,
    TicketType.OTHER: 0.8,
}
CHANNELS = (
    (Channel.PHONE, 60),
    (Channel.WECHAT, 13),
    (Channel.APP, 12),
    (Channel.WEB, 9),
    (Channel.SMS, 2),
    (Channel.EMAIL, 1),
    (Channel.OPEN311, 1),
)
# Volume per type profile: most calls are questions (Huai'an: 77.88 % answered directly).
PROFILE_VOLUME = {"ask": 6.0, "mixed": 2.5, "fix": 1.0, "complain": 1.0, "report": 1.0}
STAFF_CHANNELS = frozenset({Channel.PHONE, Channel.SMS, Channel.EMAIL, Channel.WECHAT})
LOCATED_CHANNELS = frozenset({Channel.APP, Channel.OPEN311})
SATISFACTION = (
    (Satisfaction.VERY_SATISFIED, 30.0),
    (Satisfaction.SATISFIED, 50.0),
    (Satisfaction.BASICALLY_SATISFIED, 14.3),
    (Satisfaction.UNSATISFIED, 4.5),
    (Satisfaction.VERY_UNSATISFIED, 1.2),
)
# Calls by hour of day (0–23): quiet at night, peaks mid-morning and mid-afternoon.
HOUR_WEIGHTS = (2, 1, 1, 1, 1, 2, 4, 8, 14, 18, 18, 15, 9, 10, 15, 16, 15, 12, 9, 9, 8, 7, 5, 3)
WEEKDAY_FACTOR = (1.12, 1.06, 1.04, 1.03, 1.02, 0.86, 0.82)


def as_of_for(end_day: date) -> datetime:
    """The moment the generated history stops: the start of the day after the period (local)."""
    return datetime.combine(end_day + timedelta(days=1), time.min)


def _cumulative(weights: Iterable[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


# ── Bulk writing ─────────────────────────────────────────────────────────────────────────────


class Table:
    """Rows of one model as tuples in column order, written in batches with explicit ids."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in self.fields]
        self.columns = [f.column for f in self.fields]
        self.defaults: list[Any] = []
        for f in self.fields:
            default = f.get_default() if f.has_default() or not f.null else None
            if f.primary_key:
                default = None
            self.defaults.append(default)
        self.datetimes = {
            i for i, f in enumerate(self.fields) if isinstance(f, models.DateTimeField)
        }
        self.jsons = {i for i, f in enumerate(self.fields) if isinstance(f, models.JSONField)}
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0
        self.next_id = (model._default_manager.aggregate(top=Max("id"))["top"] or 0) + 1

    def new_id(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value

    def add(self, values: dict[str, Any]) -> None:
        self.rows.append(tuple(map(values.get, self.attnames, self.defaults)))

    def _converted(self, postgres: bool) -> Iterable[tuple[Any, ...]]:
        datetimes, jsons = self.datetimes, self.jsons
        for row in self.rows:
            out = list(row)
            for i in datetimes:
                value = out[i]
                if value is not None:
                    utc = (value - EIGHT_HOURS).replace(microsecond=0)  # local → UTC
                    out[i] = utc.replace(tzinfo=UTC) if postgres else utc.isoformat(" ")
            for i in jsons:
                out[i] = json.dumps(out[i], ensure_ascii=False) if out[i] else "{}"
            yield tuple(out)

    def flush(self) -> None:
        if not self.rows:
            return
        table = self.model._meta.db_table
        quote = connection.ops.quote_name
        columns = ", ".join(quote(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                # A bigger page cache for this connection: the secondary indexes of a table
                # of a million rows no longer fit in the default 2 MB.
                cursor.execute("PRAGMA cache_size = -262144")
            if connection.vendor == "postgresql":
                raw = cursor.cursor
                with raw.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
                    for row in self._converted(postgres=True):
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {quote(table)} ({columns}) VALUES ({marks})",  # noqa: S608
                    list(self._converted(postgres=False)),
                )
        self.written += len(self.rows)
        self.rows = []


# ── What the generator knows about the city ──────────────────────────────────────────────────


@dataclass
class Place:
    area: Area
    county: str
    town: str
    communities: list[str]
    weight: float


@dataclass
class LeafInfo:
    spec: Leaf
    category: Category
    chain: list[int]  # category ids: itself, parent, grandparent
    top: str  # top-level code
    articles: list[KnowledgeArticle]


@dataclass
class Reporter:
    name: str
    phone: str  # ciphertext
    index: str  # blind index
    user_id: int | None = None


@dataclass
class Recent:
    """A dispatched ticket that a later duplicate may be merged into."""

    ticket_id: int
    number: str
    received: datetime
    open_until: datetime
    place: Place
    longitude: float
    latitude: float
    slots: dict[str, str]
    template: int


@dataclass
class Staff:
    operator: User | None
    dispatcher: User | None
    handler: User | None
    leader: User | None


class Slots(dict[str, str]):
    """Template slots, made only when a template asks for them."""

    def __init__(self, rng: random.Random, place: Place | None, county: str) -> None:
        super().__init__()
        self.rng, self.place, self.county = rng, place, county

    def __missing__(self, key: str) -> str:
        value = self._make(key)
        self[key] = value
        return value

    def _make(self, key: str) -> str:
        rng, place = self.rng, self.place
        if key == "county":
            return place.county if place else self.county
        if key == "town":
            return place.town if place else rng.choice(_ALL_TOWNS)
        if key in ("street", "street2"):
            street = rng.choice(STREET_NAMES)
            if key == "street2" and street == self.get("street"):
                street = STREET_NAMES[(STREET_NAMES.index(street) + 3) % len(STREET_NAMES)]
            return street
        if key == "community":
            return rng.choice(place.communities) if place else rng.choice(_ALL_COMMUNITIES)
        if key == "loc":
            county, town = self["county"], self["town"]
            style = rng.random()
            if style < 0.45:
                return f"{county}{town}{self['street']}{rng.randint(1, 399)}号附近"
            if style < 0.75:
                return f"{town}{self['community']}{self['street']}路段"
            return f"{county}{self['street']}与{self['street2']}交叉口"
        if key == "shop":
            return f"{trade_name(rng)}{rng.choice(SHOP_KINDS)}"
        if key == "trade":
            return trade_name(rng)
        if key == "company":
            prefix = "示范市" if rng.random() < 0.5 else self["county"]
            return f"{prefix}{trade_name(rng)}{rng.choice(LINES)}有限公司"
        if key == "line":
            return rng.choice(LINES)
        if key == "school":
            n = rng.randint(1, 12)
            return rng.choice(
                (f"{self['town']}中心小学", f"示范市第{n}中学", f"{self['street']}小学",
                 f"{self['county']}实验小学", f"{self['town']}中学")
            )  # fmt: skip
        if key == "hospital":
            return rng.choice(HOSPITALS).format(county=self["county"], town=self["town"])
        if key == "time":
            return rng.choice(TIMES)
        if key == "days":
            return str(rng.choice((2, 3, 3, 4, 5, 7, 10, 15, 20, 30)))
        if key == "amount":
            return str(rng.choice((86, 199, 368, 680, 1200, 2500, 3800, 5000, 8600, 12000,
                                   26000, 48000)))  # fmt: skip
        if key == "n":
            return str(rng.randint(2, 9))
        if key == "month":
            return str(rng.randint(1, 12))
        if key == "plate":
            return f"{rng.choice('ABCDEFGHJK')}{rng.randint(10000, 99999)}"
        if key == "person":
            return person_name(rng, male=rng.random() < 0.5)
        raise KeyError(key)


_ALL_TOWNS = [name for county in COUNTIES for _, name in county.towns]
_ALL_COMMUNITIES = ["幸福社区", "和平社区", "光明社区", "阳光社区", "花园社区"]


# ── The generator ────────────────────────────────────────────────────────────────────────────


@dataclass
class Counts:
    tickets: int = 0
    direct: int = 0
    dispatched: int = 0
    merged: int = 0
    closed: int = 0
    reopened: int = 0
    by_status: dict[str, int] = field(default_factory=lambda: defaultdict(int))


class TicketGenerator:
    def __init__(
        self,
        *,
        rng: random.Random,
        units: dict[str, Department],
        as_of: datetime,
        region: str,
    ) -> None:
        self.rng = rng
        self.units = units
        self.as_of = as_of
        self.region = region
        self.tickets = Table(Ticket)
        self.assignments = Table(TicketAssignment)
        self.steps = Table(TicketStep)
        self.extensions = Table(ExtensionRequest)
        self.counts = Counts()
        self.article_uses: dict[int, int] = defaultdict(int)
        self.counters: dict[date, int] = {}
        self._prefixes: dict[date, str] = {}
        self.recent: dict[str, list[Recent]] = defaultdict(list)
        self._limits: dict[tuple[str, int, str], Limits] = {}
        self.unit_keys = {department.pk: key for key, department in units.items()}
        self._due: dict[tuple[date, int, str], datetime] = {}
        # Repeat complaints, decided as `ticket_register` does, in memory (no query per ticket).
        self.repeats = RepeatIndex()
        # Sign-for limits in working hours, as `sign_due_after`: calendars read once per region.
        self._calendars: dict[str, CalendarSnapshot] = {}
        self._periods = working_periods()
        self._load_world()

    # ── set-up ──

    def _load_world(self) -> None:
        rng = self.rng
        categories = {c.code: c for c in Category.objects.all()}
        articles: dict[int, list[KnowledgeArticle]] = defaultdict(list)
        for article in KnowledgeArticle.objects.filter(is_active=True).order_by("id"):
            if article.category_id is not None:
                articles[article.category_id].append(article)
        self.leaves: list[LeafInfo] = []
        for spec, path in leaves(TREE):
            category = categories[spec.code]
            chain = [category.pk] + [categories[b.code].pk for b in reversed(path)]
            self.leaves.append(LeafInfo(spec, category, chain, path[0].code, articles[category.pk]))
        self.leaf_cum = _cumulative(
            info.spec.weight * PROFILE_VOLUME[info.spec.profile] for info in self.leaves
        )
        self.type_cum = {key: _cumulative(w) for key, w in TYPE_PROFILES.items()}
        self.defaults = {c.pk: c.default_department_id for c in categories.values()}
        self.parents = {c.pk: c.parent_id for c in categories.values()}
        self.rules = list(
            RoutingRule.objects.filter(is_active=True)
            .prefetch_related("co_departments")
            .order_by("order", "id")
        )
        # TimeLimitRule.objects.all() in the order `limits_for` reads them (Meta ordering).
        self.limit_rules = list(TimeLimitRule.objects.filter(is_active=True))
        self.rule_co = {r.pk: [d.pk for d in r.co_departments.all()] for r in self.rules}
        self.departments = {d.pk: d for d in Department.objects.all()}
        # Places: every area with its county, town and communities; streets weigh more.
        towns = {r.code: r for r in Region.objects.filter(level=RegionLevel.TOWN)}
        villages: dict[str, list[str]] = defaultdict(list)
        for code, name in Region.objects.filter(level=RegionLevel.VILLAGE).values_list(
            "code", "name"
        ):
            villages[code[:9] + "000"].append(name)
        county_names = {county.code: county.name for county in COUNTIES}
        self.places: list[Place] = []
        for area in Area.objects.order_by("region_code"):
            town = towns.get(area.region_code)
            if town is None:
                continue
            number = area.region_code[6:9]
            weight = 3.0 if number < "100" else (1.6 if number < "200" else 0.8)
            self.places.append(
                Place(
                    area=area,
                    county=county_names.get(area.region_code[:6], ""),
                    town=area.name,
                    communities=villages.get(area.region_code) or ["中心社区"],
                    weight=weight,
                )
            )
        self.place_cum = _cumulative(p.weight for p in self.places)
        self.channel_list = [c for c, _ in CHANNELS]
        self.channel_cum = _cumulative(w for _, w in CHANNELS)
        self.satisfaction_list = [s for s, _ in SATISFACTION]
        self.satisfaction_cum = _cumulative(w for _, w in SATISFACTION)
        # Reporters: a pool encrypted once.
        self.reporters = [
            Reporter(name, encrypt(phone), blind_index(phone, purpose="phone"))
            for name, phone in self._people(rng, REPORTER_POOL + FREQUENT_CALLERS)
        ]
        self.frequent_callers = self.reporters[REPORTER_POOL:]
        del self.reporters[REPORTER_POOL:]
        self.staff = Staff(
            operator=User.objects.filter(username="operator").first(),
            dispatcher=User.objects.filter(username="dispatcher").first(),
            handler=User.objects.filter(username="handler").first(),
            leader=User.objects.filter(username="leader").first(),
        )
        self.handler_unit = self.units.get("urban_management")
        citizen = User.objects.filter(username="citizen").first()
        self.citizen = (
            Reporter("张明华", encrypt("13800000001"),
                     blind_index("13800000001", purpose="phone"),
                     citizen.pk if citizen else None)
        )  # fmt: skip
        self.enterprise = Enterprise.objects.filter(uscc=DEMO_ENTERPRISES[0].uscc).first()
        boss = DEMO_ENTERPRISES[0].legal_representative
        self.boss = Reporter(
            boss.name, encrypt(boss.phone), blind_index(boss.phone, purpose="phone")
        )

    @staticmethod
    def _people(rng: random.Random, count: int) -> list[tuple[str, str]]:
        prefixes = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150",
                    "151", "152", "155", "157", "158", "159", "177", "180", "186", "187",
                    "188", "189", "191", "199")  # fmt: skip
        seen: set[str] = set()
        people: list[tuple[str, str]] = []
        while len(people) < count:
            phone = f"{rng.choice(prefixes)}{rng.randint(0, 99_999_999):08d}"
            if phone in seen or phone.startswith(("1380000", "1390000")):
                continue
            seen.add(phone)
            people.append((person_name(rng, male=rng.random() < 0.5), phone))
        return people

    # ── rules ──

    def limits(self, ticket_type: str, leaf: LeafInfo, urgency: str) -> Limits:
        """`limits_for`, on the rules read once: the most specific active rule (urgency, then
        category depth, then type); the defaults when none matches."""
        key = (ticket_type, leaf.category.pk, urgency)
        found = self._limits.get(key)
        if found is not None:
            return found
        chain = leaf.chain
        best: tuple[int, int, int] | None = None
        chosen: TimeLimitRule | None = None
        for rule in self.limit_rules:
            if rule.urgency and rule.urgency != urgency:
                continue
            if rule.ticket_type and rule.ticket_type != ticket_type:
                continue
            if rule.category_id is not None and rule.category_id not in chain:
                continue
            depth = len(chain) - chain.index(rule.category_id) if rule.category_id else 0
            score = (1 if rule.urgency else 0, depth, 1 if rule.ticket_type else 0)
            if best is None or score > best:
                best, chosen = score, rule
        if chosen is None:
            found = URGENT_DEFAULT if urgency == Urgency.URGENT else DEFAULT_LIMITS
        else:
            found = Limits(chosen.dispatch_value, chosen.dispatch_unit, chosen.sign_hours,
                           chosen.handling_value, chosen.handling_unit, chosen.callback_days,
                           chosen.name)  # fmt: skip
        self._limits[key] = found
        return found

    def due(self, start: datetime, value: int, unit: str) -> datetime:
        """`due_after` on naive local times; day-based results depend only on the start day."""
        if unit == LimitUnit.HOURS:
            return start + timedelta(hours=value)
        key = (start.date(), value, unit)
        found = self._due.get(key)
        if found is None:
            aware = datetime.combine(start.date(), time(12), tzinfo=SHANGHAI)
            found = due_after(aware, value, unit).astimezone(SHANGHAI).replace(tzinfo=None)
            found = found.replace(microsecond=0)
            self._due[key] = found
        return found

    def sign_due(self, start: datetime, hours: int, urgent: bool, region_code: str) -> datetime:
        """`sign_due_after` on naive local times: working hours of the region's calendar, clock
        hours for urgent tickets."""
        if urgent:
            return start + timedelta(hours=hours)
        snapshot = self._calendars.get(region_code)
        if snapshot is None:
            snapshot = self._calendars[region_code] = calendar_snapshot(region_code=region_code)
        aware = start.replace(tzinfo=SHANGHAI)
        due = add_working_time(snapshot, aware, hours * 60, self._periods)
        return due.astimezone(SHANGHAI).replace(tzinfo=None)

    def seed_repeats(self, start: datetime) -> None:
        """Tickets stored before the generated period that a generated one may repeat: those
        closed in the window before `start` (one query)."""
        rows = (
            Ticket.objects.filter(
                closed_at__gte=start - self.repeats.window, received_at__lt=start
            )
            .exclude(status=TicketStatus.MERGED)
            .order_by("received_at", "pk")
            .values_list("pk", "received_at", "category_id", "latitude", "longitude",
                         "reporter_phone_index", "reporter_user_id", "closed_at")
        )  # fmt: skip
        for pk, received, category_id, latitude, longitude, index, user_id, closed in rows:
            if closed is None:
                continue  # filtered out above; for the type checker
            local = [v.astimezone(SHANGHAI).replace(tzinfo=None) for v in (received, closed)]
            self.repeats.add(RepeatCandidate(pk, local[0], category_id, latitude, longitude,
                                             index, user_id, ((local[1], None),)))  # fmt: skip

    def route(self, leaf: LeafInfo, area_id: int | None, ticket_type: str) -> tuple[int, list[int]]:
        for rule in self.rules:
            if rule.category_id is not None and rule.category_id not in leaf.chain:
                continue
            if rule.area_id is not None and rule.area_id != area_id:
                continue
            if rule.ticket_type and rule.ticket_type != ticket_type:
                continue
            return rule.lead_department_id, self.rule_co[rule.pk]
        current: int | None = leaf.category.pk
        while current is not None:
            default = self.defaults[current]
            if default is not None:
                return default, []
            current = self.parents[current]
        raise LookupError(leaf.spec.code)

    # ── one day ──

    def day(self, day: date, *, extra: Iterable[Callable[[datetime], dict[str, Any]]] = ()) -> None:
        rng = self.rng
        season = 1 + 0.12 * math.sin((day.timetuple().tm_yday - 100) / 365 * 2 * math.pi)
        mean = DAILY_TICKETS * WEEKDAY_FACTOR[day.weekday()] * season / 0.9937
        count = max(1, round(rng.gauss(mean, mean * 0.06)))
        hours = rng.choices(range(24), weights=HOUR_WEIGHTS, k=count)
        moments = sorted(
            datetime.combine(day, time(hour, rng.randint(0, 59), rng.randint(0, 59)))
            for hour in hours
        )
        specials = [maker(moments[min(i * 7 + 3, len(moments) - 1)]) for i, maker in
                    enumerate(extra)]  # fmt: skip
        queue: list[tuple[datetime, dict[str, Any] | None]] = [(m, None) for m in moments]
        queue += [(s["received_at"], s) for s in specials]
        queue.sort(key=lambda item: item[0])
        for received, special in queue:
            self.ticket(received, special)

    def number(self, received: datetime) -> str:
        day = received.date()
        last = self.counters.get(day, 0) + 1
        self.counters[day] = last
        prefix = self._prefixes.get(day)
        if prefix is None:
            prefix = self._prefixes[day] = f"{self.region}{day:%Y%m%d}"
        return f"{prefix}{last:06d}"

    def flush_if_full(self) -> None:
        if len(self.steps.rows) + len(self.tickets.rows) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        self.tickets.flush()
        self.assignments.flush()
        self.extensions.flush()
        self.steps.flush()

    # ── one ticket ──

    def ticket(self, received: datetime, special: dict[str, Any] | None = None) -> None:
        rng = self.rng
        special = special or {}
        leaf = (
            special.get("leaf")
            or self.leaves[rng.choices(range(len(self.leaves)), cum_weights=self.leaf_cum)[0]]
        )
        spec = leaf.spec
        ticket_type = (
            special.get("ticket_type")
            or rng.choices(TYPES, cum_weights=self.type_cum[spec.profile])[0]
        )
        urgent = spec.urgent and ticket_type not in (
            TicketType.CONSULTATION, TicketType.SUGGESTION, TicketType.PRAISE,
        )  # fmt: skip
        urgency = Urgency.URGENT if urgent else Urgency.NORMAL
        channel = (
            special.get("channel")
            or rng.choices(self.channel_list, cum_weights=self.channel_cum)[0]
        )
        if channel in LOCATED_CHANNELS and not spec.located:
            channel = Channel.WEB
        # Duplicate of a ticket still open nearby?
        master: Recent | None = None
        if (
            not special
            and spec.located
            and ticket_type in (TicketType.HELP, TicketType.COMPLAINT, TicketType.REPORT)
            and rng.random() < 0.035
        ):
            master = self._master_for(spec.code, received)
        # Where.
        place: Place | None
        longitude = latitude = None
        if master is not None:
            place = master.place
            longitude = master.longitude + rng.uniform(-0.0006, 0.0006)
            latitude = master.latitude + rng.uniform(-0.0005, 0.0005)
        elif spec.located or rng.random() < 0.7:
            place = self.places[rng.choices(range(len(self.places)), cum_weights=self.place_cum)[0]]
        else:
            place = None
        if place is not None and longitude is None:
            a = place.area
            longitude = rng.uniform(a.min_longitude + 0.001, a.max_longitude - 0.001)
            latitude = rng.uniform(a.min_latitude + 0.001, a.max_latitude - 0.001)
        county = place.county if place else rng.choice(COUNTIES).name
        # What.
        slots = Slots(rng, place, county)
        if master is not None:
            slots.update(master.slots)
            template = master.template if rng.random() < 0.4 else rng.randrange(len(spec.templates))
        else:
            template = rng.randrange(len(spec.templates))
        if master is None and rng.random() < 0.05:
            core = rng.choice(VAGUE).format_map(slots)
        else:
            core = spec.templates[template].format_map(slots)
        content = frame(rng, core, channel, ticket_type)
        title = self._title(rng, spec, content, ticket_type, slots)
        if place is not None:
            address = (
                f"{place.county}{place.town}{slots['street']}{rng.randint(1, 399)}号"
                if spec.located
                else f"{place.county}{place.town}"
            )
        else:
            address = ""
        # Who.
        enterprise = special.get("enterprise")
        reporter: Reporter = special.get("reporter") or rng.choice(
            self.frequent_callers if rng.random() < FREQUENT_SHARE else self.reporters
        )
        anonymous = (
            not special and channel in settings.HOTLINE_ANONYMOUS_CHANNELS and rng.random() < 0.06
        )
        confidential = anonymous or ticket_type in ALWAYS_CONFIDENTIAL or rng.random() < 0.04
        reply_wanted = not anonymous and rng.random() < 0.93
        is_public = (
            leaf.category.is_public
            and not confidential
            and enterprise is None
            and channel != Channel.ENTERPRISE
        )
        limits = self.limits(ticket_type, leaf, urgency)
        ticket_id = self.tickets.new_id()
        number = self.number(received)
        staff_channel = channel in STAFF_CHANNELS
        operator = self.staff.operator if staff_channel else None
        t: dict[str, Any] = {
            "id": ticket_id,
            "number": number,
            "channel": channel,
            "ticket_type": ticket_type,
            "category_id": leaf.category.pk,
            "urgency": urgency,
            "title": title[:80],
            "content": content,
            "reporter_name": "" if anonymous else reporter.name,
            "reporter_phone": "" if anonymous else reporter.phone,
            "reporter_phone_index": "" if anonymous else reporter.index,
            "reporter_user_id": special.get("user_id"),
            "enterprise_id": enterprise.pk if enterprise else None,
            "enterprise_name": enterprise.name if enterprise else "",
            "enterprise_uscc": enterprise.uscc if enterprise else "",
            "anonymous": anonymous,
            "confidential": confidential,
            "reply_wanted": reply_wanted,
            "flag_for_leader": bool(special.get("flag_for_leader")) and enterprise is not None,
            "is_public": is_public,
            "latitude": round(latitude, 6) if latitude is not None else None,
            "longitude": round(longitude, 6) if longitude is not None else None,
            "address": address,
            "region_code": place.area.region_code if place else self.region,
            "area_id": place.area.pk if place else None,
            "status": TicketStatus.RECEIVED,
            "received_at": received,
            "operator_id": operator.pk if operator else None,
            "dispatch_due_at": self.due(received, limits.dispatch_value, limits.dispatch_unit),
            "updated_at": received,
        }
        candidate = RepeatCandidate(
            ticket_id, received, leaf.category.pk, t["latitude"], t["longitude"],
            t["reporter_phone_index"], t["reporter_user_id"],
        )  # fmt: skip
        t["repeat_of_id"] = self.repeats.find(candidate)
        sim = Sim(self, t, received)
        sim.step(
            StepAction.REGISTER,
            received,
            actor=operator,
            to_status=TicketStatus.RECEIVED,
            is_public=True,
        )
        self.counts.tickets += 1
        if master is not None:
            self._merge(sim, master, received)
        elif (
            not urgent and not special.get("dispatch") and rng.random() < DIRECT_SHARE[ticket_type]
        ):
            self._answer_directly(sim, leaf, ticket_type)
        else:
            self._handle(sim, leaf, ticket_type, limits, urgent)
            if (
                spec.located
                and longitude is not None
                and latitude is not None
                and place is not None
                and t.get("lead_department_id") is not None
            ):
                self.recent[spec.code].append(
                    Recent(ticket_id, number, received, sim.open_until, place, longitude,
                           latitude, dict(slots), template)
                )  # fmt: skip
        if special.get("leader_read") and t["flag_for_leader"] and self.staff.leader:
            when = received + timedelta(hours=rng.uniform(3, 30))
            if when <= self.as_of:
                t["leader_read_at"] = when
                sim.step(StepAction.LEADER_READ, when, actor=self.staff.leader, is_public=True,
                         note="请相关部门高度重视，尽快协调解决企业诉求，限期反馈。")  # fmt: skip
        self.counts.by_status[t["status"]] += 1
        if t["status"] != TicketStatus.MERGED:
            closures = list(sim.closures)
            if t.get("closed_at") is not None:
                closures.append((t["closed_at"], None))
            self.repeats.add(replace(candidate, closures=tuple(closures)))
        self.tickets.add(t)
        sim.write_steps()
        self.flush_if_full()

    def _title(
        self, rng: random.Random, spec: Leaf, content: str, ticket_type: str, slots: dict[str, str]
    ) -> str:
        roll = rng.random()
        keywords = spec.keywords.split() or [spec.name]
        if roll < 0.4:
            return content.replace("\n", " ")[:30]
        if roll < 0.6:
            label = TicketType(ticket_type).label
            return f"关于{rng.choice(keywords)}的{label}"
        if roll < 0.8 and "town" in slots:
            return f"反映{slots['town']}{spec.name}问题"
        return f"{spec.name}：{content[:18]}"

    def _master_for(self, code: str, received: datetime) -> Recent | None:
        candidates = self.recent.get(code)
        if not candidates:
            return None
        horizon = received - timedelta(days=7)
        while candidates and candidates[0].received < horizon:
            candidates.pop(0)
        merge_at = received + timedelta(minutes=60)
        usable = [c for c in candidates[-40:] if c.open_until > merge_at]
        return self.rng.choice(usable) if usable else None

    # ── outcomes ──

    def _merge(self, sim: Sim, master: Recent, received: datetime) -> None:
        rng = self.rng
        when = received + timedelta(minutes=rng.randint(5, 50))
        if not sim.alive(when):
            return
        sim.t["master_id"] = master.ticket_id
        sim.move(
            StepAction.MERGE, when, TicketStatus.MERGED, actor=self.staff.operator,
            note=f"与工单 {master.number} 反映同一问题，已合并办理",
        )  # fmt: skip
        self.steps.add({
            "id": self.steps.new_id(), "ticket_id": master.ticket_id, "action": StepAction.MERGE,
            "actor_id": self.staff.operator.pk if self.staff.operator else None,
            "actor_label": self.staff.operator.get_username() if self.staff.operator else "系统",
            "note": f"合并工单 {sim.t['number']}", "is_public": False, "data": {}, "at": when,
            "from_status": "", "to_status": "", "department_id": None,
        })  # fmt: skip
        self.counts.merged += 1

    def _answer_directly(self, sim: Sim, leaf: LeafInfo, ticket_type: str) -> None:
        rng = self.rng
        when = sim.now + timedelta(minutes=rng.randint(2, 12), seconds=rng.randint(0, 59))
        if not sim.alive(when):
            return
        article = rng.choice(leaf.articles) if leaf.articles and rng.random() < 0.85 else None
        if article is not None:
            answer = article.body
            self.article_uses[article.pk] += 1
        else:
            answer = DIRECT_ANSWERS.get(ticket_type, DIRECT_ANSWERS[TicketType.OTHER]).format(
                unit=self.departments[leaf.category.default_department_id].name
                if leaf.category.default_department_id
                else "相关部门"
            )
        t = sim.t
        t.update(direct_answer=True, reply=answer, replied_at=when, closed_at=when,
                 knowledge_article_id=article.pk if article else None)  # fmt: skip
        sim.move(
            StepAction.ANSWER_DIRECTLY, when, TicketStatus.CLOSED, actor=self.staff.operator,
            note=answer, data={"article": article.pk} if article else None,
        )  # fmt: skip
        self.counts.direct += 1
        self.counts.closed += 1

    def _handle(
        self, sim: Sim, leaf: LeafInfo, ticket_type: str, limits: Limits, urgent: bool
    ) -> None:
        rng, t = self.rng, sim.t
        lead_id, co_ids = self.route(leaf, t["area_id"], ticket_type)
        if rng.random() < 0.07:
            lead_id = self._judgement(lead_id, t["region_code"][:6])
        dispatcher = self.staff.dispatcher
        # Dispatch: at once for urgent tickets; within the working day otherwise.
        received = sim.now
        if urgent:
            dispatch_at = received + timedelta(minutes=rng.randint(3, 20))
        elif 8 <= received.hour < 17 and rng.random() < 0.9:
            dispatch_at = received + timedelta(minutes=rng.randint(10, 150))
        else:
            morning = datetime.combine(received.date() + timedelta(days=1), time(8, 30))
            dispatch_at = (
                morning if received.hour >= 8 else morning - timedelta(days=1)
            ) + timedelta(minutes=rng.randint(0, 120))
        if rng.random() < 0.008:
            dispatch_at += timedelta(hours=rng.randint(20, 60))  # late dispatch
        dispatch_at = max(dispatch_at, received + timedelta(minutes=2))
        # Wrong first dispatches, returned by the unit (退单).
        roll = rng.random()
        returns = 3 if roll < 0.0006 else 2 if roll < 0.003 else 1 if roll < 0.03 else 0
        for _ in range(returns):
            wrong = self._wrong_unit(lead_id)
            if not sim.alive(dispatch_at):
                return
            assignment = self._dispatch(sim, dispatch_at, wrong, [], limits, dispatcher, urgent)
            back_at = dispatch_at + timedelta(minutes=rng.randint(30, 400))
            if not sim.alive(back_at):
                return
            reason = ReturnReason.NOT_OUR_DUTY if rng.random() < 0.8 else ReturnReason.WRONG_AREA
            note = RETURN_NOTES[reason]
            for a in sim.active_assignments():
                a["is_active"] = False
                a["status"] = AssignmentStatus.WITHDRAWN
            assignment.update(status=AssignmentStatus.RETURNED, is_active=False,
                              return_reason=reason, return_note=note)  # fmt: skip
            t["transfer_count"] = t.get("transfer_count", 0) + 1
            t["lead_department_id"] = None
            t["handling_due_at"] = None
            sim.move(
                StepAction.RETURN, back_at, TicketStatus.RECEIVED, actor=None,
                department_id=wrong, note=f"{ReturnReason(reason).label}：{note}",
                is_public=False, data={"reason": reason},
            )  # fmt: skip
            if t["transfer_count"] >= 3:
                self._escalate(sim, back_at, f"退单改派已达 {t['transfer_count']} 次")
            dispatch_at = back_at + timedelta(minutes=rng.randint(10, 90))
        if not sim.alive(dispatch_at):
            return
        self.counts.dispatched += 1
        lead = self._dispatch(sim, dispatch_at, lead_id, co_ids, limits, dispatcher, urgent)
        cos = [a for a in sim.assignments if a["role"] == AssignmentRole.CO and a["is_active"]]
        # Sign for.
        sign_hours = limits.sign_hours
        for a in [lead, *cos]:
            roll = rng.random()
            if roll < 0.85:
                delay = timedelta(minutes=rng.randint(3, max(4, sign_hours * 50)))
            elif roll < 0.985:
                delay = timedelta(minutes=rng.randint(5, sign_hours * 60))
            else:
                delay = timedelta(hours=sign_hours, minutes=rng.randint(10, 1200))
            when = dispatch_at + delay
            if not sim.alive(when):
                return
            a["status"] = AssignmentStatus.SIGNED
            a["signed_at"] = when
            department = self.departments[a["department_id"]]
            if a is lead:
                sim.move(
                    StepAction.SIGN,
                    when,
                    TicketStatus.SIGNED,
                    actor=self._unit_actor(a["department_id"]),
                    department_id=a["department_id"],
                    note=f"{department.name}已签收",
                )
            else:
                sim.step(StepAction.SIGN, when, actor=self._unit_actor(a["department_id"]),
                         department_id=a["department_id"])  # fmt: skip
        start_at = lead["signed_at"] + timedelta(minutes=rng.randint(1, 60))
        if not sim.alive(start_at):
            return
        lead["status"] = AssignmentStatus.HANDLING
        sim.move(StepAction.START, start_at, TicketStatus.HANDLING,
                 actor=self._unit_actor(lead_id), department_id=lead_id,
                 note=rng.choice(START_NOTES))  # fmt: skip
        # Extension (before the due time), mostly approved.
        if not urgent and rng.random() < 0.03:
            asked = start_at + (lead["handling_due_at"] - start_at) * rng.uniform(0.3, 0.8)
            if not sim.alive(asked):
                return
            days = rng.choice((3, 5, 5, 7, 10, 15))
            why = rng.choice(EXTENSION_REASONS)
            request_id = self.extensions.new_id()
            extension: dict[str, Any] = {
                "id": request_id, "assignment_id": lead["id"], "days": days, "reason": why,
                "status": ExtensionStatus.PENDING, "requested_by_id": None,
                "requested_at": asked,
            }  # fmt: skip
            sim.extension_rows.append(extension)
            sim.step(StepAction.EXTENSION_REQUEST, asked, actor=self._unit_actor(lead_id),
                     department_id=lead_id, note=f"申请延期 {days} 天：{why}",
                     data={"request": request_id, "days": days})  # fmt: skip
            decided = asked + timedelta(minutes=rng.randint(30, 600))
            if not sim.alive(decided):
                return
            approve = rng.random() < 0.85
            extension.update(
                status=ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED,
                decided_by_id=dispatcher.pk if dispatcher else None, decided_at=decided,
                decision_note="" if approve else "诉求简单，请在原时限内办结",
            )  # fmt: skip
            if approve:
                lead["extension_days"] += days
                lead["handling_due_at"] += timedelta(days=days)
                t["handling_due_at"] = lead["handling_due_at"]
            sim.step(StepAction.EXTENSION_DECISION, decided, actor=dispatcher,
                     department_id=lead_id, is_public=approve,
                     note="同意延期" if approve else "不同意延期：诉求简单，请在原时限内办结",
                     data={"request": request_id, "approved": approve})  # fmt: skip
        unit_name = self.departments[lead_id].name
        round_start = start_at
        reopened = False
        while True:
            # Co-handlers report, then the lead replies.
            due = lead["handling_due_at"]
            window = due - round_start
            late = rng.random() < 0.035 or window < timedelta(minutes=30)
            if late:
                reply_at = due + timedelta(minutes=rng.randint(60, 2880))
            else:
                reply_at = round_start + window * rng.uniform(0.08, 0.9)
            for a in cos:
                if a["status"] == AssignmentStatus.REPLIED or not a["is_active"]:
                    continue
                report_at = max(a["signed_at"], reply_at - timedelta(minutes=rng.randint(20, 600)))
                if not sim.alive(report_at):
                    return
                co_id = a["department_id"]
                report = f"{self.departments[co_id].name}已配合现场核查，情况已反馈主办单位。"
                a.update(status=AssignmentStatus.REPLIED, report=report, replied_at=report_at)
                sim.step(StepAction.CO_REPORT, report_at, actor=self._unit_actor(co_id),
                         department_id=co_id, note=report)  # fmt: skip
            if not sim.alive(reply_at):
                return
            reply = self._reply(leaf, unit_name, reply_at)
            lead.update(status=AssignmentStatus.REPLIED, report=reply, replied_at=reply_at)
            t["reply"] = reply
            t["replied_at"] = reply_at
            if t.get("replied_on_time") is None:
                t["replied_on_time"] = reply_at <= t["handling_due_at"]
            t["callback_due_at"] = self.due(reply_at, limits.callback_days, LimitUnit.CALENDAR_DAYS)
            sim.move(
                StepAction.REPLY,
                reply_at,
                TicketStatus.REPLIED,
                actor=self._unit_actor(lead_id),
                department_id=lead_id,
                note=reply,
            )
            # Review.
            review_at = reply_at + timedelta(minutes=rng.randint(10, 900))
            if not sim.alive(review_at):
                return
            if rng.random() < 0.02:
                round_start = self._send_back(
                    sim,
                    lead,
                    limits,
                    review_at,
                    dispatcher,
                    "审核退回：答复未针对诉求人反映的具体问题，请补充办理情况",
                )
                if round_start is None:
                    return
                continue
            t["reviewed_at"] = review_at
            sim.move(StepAction.REVIEW, review_at, TicketStatus.REVIEWED, actor=dispatcher,
                     is_public=False)  # fmt: skip
            if not t["reply_wanted"] or not t["reporter_phone"]:
                t["closed_at"] = review_at
                sim.move(StepAction.CLOSE, review_at, TicketStatus.CLOSED, actor=dispatcher,
                         note="诉求人无需回访，工单办结")  # fmt: skip
                break
            callback_at = review_at + timedelta(minutes=rng.randint(30, 1200))
            if not sim.alive(callback_at):
                return
            contacted = rng.random() < 0.9
            satisfaction = resolution = ""
            if contacted:
                satisfaction = rng.choices(self.satisfaction_list,
                                           cum_weights=self.satisfaction_cum)[0]  # fmt: skip
                happy = satisfaction not in (Satisfaction.UNSATISFIED,
                                             Satisfaction.VERY_UNSATISFIED)  # fmt: skip
                if happy:
                    resolution = Resolution.RESOLVED if rng.random() < 0.88 else Resolution.PARTLY
                else:
                    resolution = Resolution.UNRESOLVED if rng.random() < 0.6 else Resolution.PARTLY
            t.update(callback_at=callback_at, callback_contacted=contacted,
                     satisfaction=satisfaction, resolution=resolution)  # fmt: skip
            label = Satisfaction(satisfaction).label if contacted else "未联系上"
            sim.move(StepAction.CALLBACK, callback_at, TicketStatus.CALLBACK,
                     actor=self.staff.operator, note=f"回访：{label}",
                     data={"satisfaction": satisfaction, "resolution": resolution})  # fmt: skip
            rework = (
                contacted
                and satisfaction in (Satisfaction.UNSATISFIED, Satisfaction.VERY_UNSATISFIED)
                and rng.random() < 0.45
            )
            if rework:
                round_start = self._send_back(
                    sim,
                    lead,
                    limits,
                    callback_at,
                    self.staff.operator,
                    "诉求人不满意，退回重办：问题仍未解决",
                )
                if round_start is None:
                    return
                continue
            t["closed_at"] = callback_at
            sim.move(StepAction.CLOSE, callback_at, TicketStatus.CLOSED,
                     actor=self.staff.operator, note="回访完毕，工单办结")  # fmt: skip
            if reopened or rng.random() >= REOPEN_SHARE:
                break
            # The same problem again within the reopening window: back to the lead unit.
            reopened = True
            reopen_at = callback_at + timedelta(hours=rng.uniform(20, 24 * 25))
            if not sim.alive(reopen_at):
                break  # not yet: it stays closed as of the demo's today
            round_start = self._reopen(sim, lead, limits, reopen_at, dispatcher)
        self.counts.closed += 1

    def _send_back(
        self,
        sim: Sim,
        lead: dict[str, Any],
        limits: Limits,
        when: datetime,
        actor: User | None,
        note: str,
    ) -> datetime | None:
        t = sim.t
        due = self.due(when, limits.handling_value, limits.handling_unit)
        lead.update(status=AssignmentStatus.HANDLING, handling_due_at=due)
        t["handling_due_at"] = due
        t["rework_count"] = t.get("rework_count", 0) + 1
        t["replied_at"] = None
        sim.move(StepAction.SEND_BACK, when, TicketStatus.HANDLING, actor=actor,
                 department_id=lead["department_id"], note=note)  # fmt: skip
        if t["rework_count"] >= 3:
            self._escalate(sim, when, f"发回重办已达 {t['rework_count']} 次")
        return when

    def _reopen(
        self, sim: Sim, lead: dict[str, Any], limits: Limits, when: datetime, actor: User | None
    ) -> datetime:
        """As `ticket_reopen` does: closed → handling at the last lead unit, a new handling
        due time, the closing and reply times cleared."""
        t = sim.t
        due = self.due(when, limits.handling_value, limits.handling_unit)
        lead.update(status=AssignmentStatus.HANDLING, handling_due_at=due)
        if t.get("closed_at") is not None:
            sim.closures.append((t["closed_at"], when))  # a later ticket may repeat it meanwhile
        t.update(handling_due_at=due, closed_at=None, replied_at=None)
        sim.move(StepAction.REOPEN, when, TicketStatus.HANDLING, actor=actor,
                 department_id=lead["department_id"],
                 note=f"重启：{self.rng.choice(REOPEN_NOTES)}")  # fmt: skip
        self.counts.reopened += 1
        return when

    def _escalate(self, sim: Sim, when: datetime, reason: str) -> None:
        if sim.t.get("escalated_at") is None:
            sim.t["escalated_at"] = when
            sim.step(StepAction.ESCALATE, when, actor=None, note=reason)

    def _dispatch(
        self,
        sim: Sim,
        when: datetime,
        lead_id: int,
        co_ids: list[int],
        limits: Limits,
        dispatcher: User | None,
        urgent: bool,
    ) -> dict[str, Any]:
        t = sim.t
        handling_due = self.due(when, limits.handling_value, limits.handling_unit)
        sign_due = self.sign_due(when, limits.sign_hours, urgent, t["region_code"])
        lead: dict[str, Any] = {}
        for department_id, role in [(lead_id, AssignmentRole.LEAD)] + [
            (d, AssignmentRole.CO) for d in co_ids if d != lead_id
        ]:
            row: dict[str, Any] = {
                "id": self.assignments.new_id(), "ticket_id": t["id"],
                "department_id": department_id, "role": role,
                "status": AssignmentStatus.DISPATCHED, "dispatched_at": when,
                "dispatched_by_id": dispatcher.pk if dispatcher else None,
                "sign_due_at": sign_due, "handling_due_at": handling_due, "extension_days": 0,
                "is_active": True, "signed_at": None, "replied_at": None,
            }  # fmt: skip
            sim.assignments.append(row)
            if role == AssignmentRole.LEAD:
                lead = row
        t.update(lead_department_id=lead_id, dispatched_at=when, handling_due_at=handling_due)
        lead_name = self.departments[lead_id].name
        names = "、".join(self.departments[d].name for d in co_ids if d != lead_id)
        sim.move(
            StepAction.DISPATCH, when, TicketStatus.DISPATCHED, actor=dispatcher,
            department_id=lead_id,
            note=f"已转交{lead_name}办理" + (f"，{names}协办" if names else ""),
            data={"lead": lead_id, "co": [d for d in co_ids if d != lead_id],
                  "limits": limits.rule_name},
        )  # fmt: skip
        if urgent:
            sim.step(StepAction.REMIND, when, actor=None, department_id=lead_id,
                     note=f"紧急工单：请电话通知{lead_name}立即签收办理",
                     data={"call_task": True})  # fmt: skip
        return lead

    def _judgement(self, lead_id: int, county_code: str) -> int:
        """Dispatchers do not follow the defaults blindly: now and then a neighbouring unit
        (or the county's own bureau) takes the lead instead."""
        key = self.unit_keys.get(lead_id)
        other = ALTERNATES.get(key or "")
        if other is None:
            return lead_id
        department = self.units.get(other.format(county=county_code))
        return department.pk if department is not None else lead_id

    def _wrong_unit(self, right: int) -> int:
        choices = [d.pk for key, d in self.units.items() if ":" not in key and d.pk != right]
        return self.rng.choice(choices)

    def _unit_actor(self, department_id: int) -> User | None:
        if self.handler_unit is not None and department_id == self.handler_unit.pk:
            return self.staff.handler
        return None

    def _reply(self, leaf: LeafInfo, unit: str, when: datetime) -> str:
        rng = self.rng
        fix = rng.choice(FIXES.get(leaf.top, FIXES["*"]))
        visit = when - timedelta(days=rng.randint(0, 2))
        return (
            f"经{unit}核实，{fix}。工作人员已于{visit.month}月{visit.day}日"
            f"{rng.choice(('电话', '上门', '短信'))}告知诉求人办理结果。"
        )

    # ── the end ──

    def finish(self) -> None:
        self.flush()
        if connection.vendor == "postgresql":
            models_ = [Ticket, TicketAssignment, TicketStep, ExtensionRequest]
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), models_):
                    cursor.execute(sql)
        existing = {
            c.day: c for c in TicketCounter.objects.filter(region_code=self.region,
                                                          day__in=list(self.counters))
        }  # fmt: skip
        new = []
        for day, last in self.counters.items():
            counter = existing.get(day)
            if counter is None:
                new.append(TicketCounter(region_code=self.region, day=day, last=last))
            elif counter.last < last:
                counter.last = last
                counter.save(update_fields=["last"])
        TicketCounter.objects.bulk_create(new, batch_size=1000)
        for article_id, uses in self.article_uses.items():
            KnowledgeArticle.objects.filter(pk=article_id).update(use_count=F("use_count") + uses)


class Sim:
    """One ticket as it moves: its row, its assignments, its steps; stops at `as_of`."""

    def __init__(self, generator: TicketGenerator, ticket: dict[str, Any], now: datetime) -> None:
        self.g = generator
        self.t = ticket
        self.now = now
        self.stopped = False
        self.assignments: list[dict[str, Any]] = []
        self.extension_rows: list[dict[str, Any]] = []
        self.step_rows: list[dict[str, Any]] = []
        self.closures: list[tuple[datetime, datetime | None]] = []  # closed, then reopened at

    @property
    def open_until(self) -> datetime:
        closed = self.t.get("closed_at")
        return closed if closed is not None else self.g.as_of + timedelta(days=30)

    def alive(self, when: datetime) -> bool:
        """Has `when` happened by the end of the period? If not, the ticket stays as it is."""
        if self.stopped or when > self.g.as_of:
            self.stopped = True
            return False
        return True

    def active_assignments(self) -> list[dict[str, Any]]:
        return [a for a in self.assignments if a["is_active"]]

    def step(
        self,
        action: str,
        at: datetime,
        *,
        actor: User | None,
        from_status: str = "",
        to_status: str = "",
        department_id: int | None = None,
        note: str = "",
        is_public: bool = False,
        data: dict[str, Any] | None = None,
    ) -> None:
        at = at.replace(microsecond=0)
        self.now = max(self.now, at)
        self.step_rows.append({
            "id": 0, "ticket_id": self.t["id"], "action": action, "from_status": from_status,
            "to_status": to_status, "actor_id": actor.pk if actor else None,
            "actor_label": actor.get_username() if actor else self._label(department_id),
            "department_id": department_id, "note": note, "is_public": is_public,
            "data": data or {}, "at": at,
        })  # fmt: skip

    def _label(self, department_id: int | None) -> str:
        if department_id is None:
            return "系统"
        department = self.g.departments[department_id]
        return department.short_name or department.name

    def move(
        self,
        action: str,
        at: datetime,
        to_status: str,
        *,
        actor: User | None,
        department_id: int | None = None,
        note: str = "",
        is_public: bool = True,
        data: dict[str, Any] | None = None,
    ) -> None:
        from_status = self.t["status"]
        self.t["status"] = to_status
        self.t["updated_at"] = at.replace(microsecond=0)
        self.step(
            action,
            at,
            actor=actor,
            from_status=from_status,
            to_status=to_status,
            department_id=department_id,
            note=note,
            is_public=is_public,
            data=data,
        )

    def write_steps(self) -> None:
        g = self.g
        for a in self.assignments:
            g.assignments.add(a)
        for e in self.extension_rows:
            g.extensions.add(e)
        for row in self.step_rows:
            row["id"] = g.steps.new_id()
            g.steps.add(row)


DIRECT_ANSWERS: dict[str, str] = {
    TicketType.CONSULTATION: "已按{unit}的政策口径向诉求人解答，诉求人表示清楚。",
    TicketType.HELP: "已向诉求人提供{unit}的办理渠道和联系方式，诉求人表示自行联系。",
    TicketType.COMPLAINT: "已向诉求人解释相关规定并告知{unit}的投诉渠道，诉求人表示理解。",
    TicketType.REPORT: "已告知诉求人向{unit}提交线索的方式，诉求人表示自行提交。",
    TicketType.SUGGESTION: "感谢您的建议，已记录并将定期汇总转{unit}参考。",
    TicketType.PRAISE: "感谢您的肯定，已记录并将转达{unit}。",
    TicketType.OTHER: "已向诉求人作出解释说明，诉求人表示认可。",
}
# The unit a dispatcher sometimes prefers to the default one ("{county}": the ticket's county).
ALTERNATES = {
    "urban_management": "housing",
    "housing": "urban_management",
    "environment": "urban_management",
    "market": "{county}:market",
    "police": "{county}:police",
    "human_resources": "{county}:human_resources",
    "social_insurance": "human_resources",
    "medical_insurance": "social_insurance",
    "water_supply": "urban_management",
    "transport": "traffic_police",
    "traffic_police": "transport",
    "health": "medical_insurance",
    "real_estate": "housing",
    "housing_fund": "housing",
    "approval": "{county}:approval",
    "tax": "finance",
    "emergency": "market",
    "agriculture": "forestry",
    "forestry": "agriculture",
    "power": "development",
    "gas": "emergency",
}
RETURN_NOTES = {
    ReturnReason.NOT_OUR_DUTY: "经核实，该事项不属于本单位职责范围，请改派相关主管部门。",
    ReturnReason.WRONG_AREA: "该诉求地点不在本单位辖区，请改派属地单位。",
}
# A small share of tickets closed after a callback come back: the same problem again, reopened
# within the reopening window (`ticket_reopen`); reopened once at most here.
REOPEN_SHARE = 0.006
REOPEN_NOTES = (
    "诉求人再次来电，反映同一问题再次出现",
    "诉求人反映整改后问题复发，要求继续处理",
    "复核发现问题未彻底解决，重启办理",
)
START_NOTES = ("已安排人员现场核查", "正在办理", "已联系诉求人了解情况", "已转相关科室办理")
EXTENSION_REASONS = (
    "需协调多个部门现场会商，原时限内无法办结",
    "涉及工程维修，需等待材料采购和施工",
    "需调取相关资料并进行专业检测",
    "诉求人暂不在本地，需约定时间上门核实",
)


# ── Entry point ──────────────────────────────────────────────────────────────────────────────


def _period(end_day: date, days: int) -> tuple[datetime, datetime]:
    start = datetime.combine(end_day - timedelta(days=days - 1), time.min, tzinfo=SHANGHAI)
    end = datetime.combine(end_day + timedelta(days=1), time.min, tzinfo=SHANGHAI)
    return start, end


def _specials(
    g: TicketGenerator, day: date, index: int, last: bool
) -> list[Callable[[datetime], dict[str, Any]]]:
    """The demo citizen's and the demo enterprise's own tickets, every few weeks and on the
    last day (still open there), so that their pages show something."""
    makers: list[Callable[[datetime], dict[str, Any]]] = []
    by_code = {info.spec.code: info for info in g.leaves}
    if g.citizen.user_id is not None and (index % 45 == 10 or last):
        code = ("010102", "0102", "0405", "030101", "0601")[index % 5]

        def citizen(received: datetime, code: str = code) -> dict[str, Any]:
            return {"received_at": received, "leaf": by_code[code], "reporter": g.citizen,
                    "user_id": g.citizen.user_id, "channel": Channel.APP
                    if by_code[code].spec.located else Channel.WEB,
                    "ticket_type": TicketType.HELP, "dispatch": True}  # fmt: skip

        makers.append(citizen)
    if g.enterprise is not None and (index % 7 == 3 or last):
        code = ("1304", "1301", "0501", "0601", "1302", "030201")[index % 6]

        def enterprise(received: datetime, code: str = code) -> dict[str, Any]:
            return {"received_at": received, "leaf": by_code[code], "reporter": g.boss,
                    "enterprise": g.enterprise, "channel": Channel.ENTERPRISE,
                    "ticket_type": TicketType.HELP, "dispatch": True,
                    "flag_for_leader": last or index % 3 == 0, "leader_read": not last}  # fmt: skip

        makers.append(enterprise)
    return makers


def generate_tickets(
    ctx: DemoContext, *, units: dict[str, Department], days: int, end_day: date = END_DAY
) -> int:
    """`days` days of tickets ending on `end_day`; none when tickets of the period exist.
    Returns how many were made."""
    start, end = _period(end_day, max(days, 1))
    if days <= 0 or Ticket.objects.filter(received_at__gte=start, received_at__lt=end).exists():
        ctx.summary.add("12345 工单", total=Ticket.objects.count(), created=0)
        return 0
    region = (settings.HOTLINE_REGION_CODE or "000000")[:6].ljust(6, "0")
    g = TicketGenerator(rng=ctx.rng("hotline-tickets"), units=units,
                        as_of=as_of_for(end_day), region=region)  # fmt: skip
    first = end_day - timedelta(days=days - 1)
    g.seed_repeats(start)
    for counter in TicketCounter.objects.filter(
        region_code=region, day__gte=first, day__lte=end_day
    ):
        g.counters[counter.day] = counter.last
    for index in range(days):
        day = first + timedelta(days=index)
        g.day(day, extra=_specials(g, day, index, last=index == days - 1))
    g.finish()
    c = g.counts
    ctx.summary.add("12345 工单", total=Ticket.objects.count(), created=c.tickets)
    ctx.summary.add("12345 工单（直接答复）", total=c.direct, created=c.direct)
    ctx.summary.add("12345 工单（已派单）", total=c.dispatched, created=c.dispatched)
    ctx.summary.add("12345 工单（已合并）", total=c.merged, created=c.merged)
    ctx.summary.add("12345 工单流转记录", total=TicketStep.objects.count(),
                    created=g.steps.written)  # fmt: skip
    return c.tickets
