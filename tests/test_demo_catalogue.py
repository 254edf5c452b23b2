"""The demo catalogue (`yiwang demo`, step 事项清单): ~2,000 real items, all publishable, with
well-formed implementation codes, the seven life events, 20+ bundles and 40+ synonyms;
deterministic and idempotent."""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections import Counter

import pytest
from django.db import transaction

from yiwang.catalog import workflow
from yiwang.catalog.models import (
    Bundle,
    ServiceItem,
    ServiceItemVersion,
    Synonym,
    Theme,
    ThemeKind,
)
from yiwang.org.models import Region, region_code_prefix
from yiwang.platform.models import AuditEntry
from yiwang.platform.validators import normalise_uscc
from yiwang.project.demo.catalog import load_catalog
from yiwang.project.demo.catalogue.bundles import BUNDLES
from yiwang.project.demo.catalogue.files import sample_path
from yiwang.project.demo.catalogue.plan import DepartmentInfo, build_plan, core_names, families
from yiwang.project.demo.catalogue.themes import LIFE_EVENTS, SYNONYMS
from yiwang.project.demo.context import DemoContext, DemoSummary
from yiwang.project.demo.departments import build_departments, department_uscc, load_departments
from yiwang.project.demo.halls import load_halls
from yiwang.project.demo.regions import load_regions

SEED = 20261122
SMALL = 200
CODE = re.compile(
    r"^(?P<basic>(XK|ZS|JF|QR|JL|CJ|QT|GG)\d{8})-(?P<region>\d{12})-000-"
    r"(?P<uscc>[0-9A-HJ-NP-RT-UW-Y]{18})-1-00$"
)
LIFE_EVENT_NAMES = {"生育", "上学", "就业", "结婚", "购房", "退休", "身后事"}


def context(seed: int = SEED) -> DemoContext:
    return DemoContext(seed=seed, stdout=io.StringIO(), summary=DemoSummary(seed=seed))


def load_city(seed: int = SEED, size: int | None = SMALL) -> DemoContext:
    """What the catalogue needs of the demo city (regions, departments, halls), then it."""
    ctx = context(seed)
    load_regions(ctx)
    load_departments(ctx)
    load_halls(ctx)
    load_catalog(ctx, size=size)
    return ctx


def snapshots() -> list[tuple[ServiceItemVersion, workflow.VersionSnapshot]]:
    """The rules' view of every published version, read with a handful of queries."""
    versions = ServiceItemVersion.objects.filter(status="published").prefetch_related(
        "materials", "fees", "faqs", "procedure_steps", "themes"
    )
    found = []
    for v in versions:
        steps = sorted(v.procedure_steps.all(), key=lambda s: (s.order, s.pk))
        snapshot = workflow.VersionSnapshot(
            name=v.name, item_type=v.item_type, case_type=v.case_type,
            promised_limit_value=v.promised_limit_value, promised_limit_unit=v.promised_limit_unit,
            statutory_limit_value=v.statutory_limit_value,
            statutory_limit_unit=v.statutory_limit_unit, legal_basis=v.legal_basis,
            conditions=v.conditions, extension_allowed=v.extension_allowed,
            extension_max_working_days=v.extension_max_working_days,
            joint_handling=v.joint_handling, handling_forms=tuple(v.handling_forms),
            visit_count=v.visit_count, onsite_reason=v.onsite_reason,
            online_depth=v.online_depth, courier_supported=v.courier_supported,
            service_objects=tuple(v.service_objects),
            themes=tuple(workflow.ThemeRef(t.name, t.audience) for t in v.themes.all()),
            result_type=v.result_type, result_name=v.result_name,
            has_result_sample=bool(v.result_sample), charged=v.charged, fee_basis=v.fee_basis,
            online_payment_supported=v.online_payment_supported, address=v.address,
            office_hours=v.office_hours, consultation_phone=v.consultation_phone,
            complaint_phone=v.complaint_phone, fee_count=len(v.fees.all()),
            faq_count=len(v.faqs.all()), material_count=len(v.materials.all()),
            procedure_step_names=tuple(s.name for s in steps),
        )  # fmt: skip
        found.append((v, snapshot))
    return found


def catalogue_digest() -> str:
    rows = sorted(
        (v.item.implementation_code, v.name, v.visit_count, v.online_depth,
         v.promised_limit_value, v.address, v.item.popularity,
         sorted(m.name for m in v.materials.all()), sorted(t.code for t in v.themes.all()))
        for v in ServiceItemVersion.objects.select_related("item").prefetch_related(
            "materials", "themes"
        )
    )  # fmt: skip
    bundles = sorted(
        (b.code, sorted(m.item.implementation_code for m in b.members.all()))
        for b in Bundle.objects.prefetch_related("members__item")
    )
    payload = json.dumps([rows, bundles], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


# --- Without a database: the plan -----------------------------------------------------------------


def fake_departments() -> dict[str, DepartmentInfo]:
    return {
        spec.key: DepartmentInfo(
            spec.key, department_uscc(spec), spec.name, spec.kind, "0590-8000000", spec.region_code
        )
        for spec in build_departments()
    }


def plan(seed: int = SEED, size: int | None = None) -> list[str]:
    built = build_plan(
        seed=seed,
        departments=fake_departments(),
        place=lambda region, key: (f"{region}大厅", "周一至周五"),
        sample_path=sample_path,
        size=size,
    )
    return [f"{b.entry.implementation_code}:{b.entry.guide['visit_count']}" for b in built]


def test_the_plan_has_about_two_thousand_items_and_is_deterministic():
    full = plan()
    assert 2_000 <= len(full) <= 2_400
    assert plan() == full
    assert plan(SEED + 1) != full
    assert plan(size=SMALL) == plan(size=SMALL)
    assert len(plan(size=SMALL)) <= SMALL


def test_every_family_line_is_well_formed_and_names_are_unique():
    names = [name for family in families() for name in family.item_names()]
    assert len(names) == len(set(names))
    assert len(families()) >= 250
    city = {name for f in families() if "市" in f.levels for name in f.item_names()}
    for bundle in BUNDLES:
        for member in bundle.members:
            assert member.item in city, (bundle.name, member.item)
            assert set(member.after) <= {m.item for m in bundle.members}, bundle.name
    for event in LIFE_EVENTS:
        assert set(event.items) <= set(names), event.name
    assert core_names() <= set(names)


def test_synonyms_cover_the_colloquial_words_of_the_journeys():
    assert len(SYNONYMS) >= 40
    for word in ("开饭店", "开餐馆", "开小吃店", "生孩子", "生娃", "sfz", "办身份证", "领证",
                 "扯证", "退休金", "提公积金", "上户口", "买房过户"):  # fmt: skip
        assert word in SYNONYMS
    assert "食品经营许可" in SYNONYMS["开饭店"]
    assert "开办餐饮店" in SYNONYMS["开饭店"]


# --- In the database ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_whole_catalogue_is_publishable_well_coded_and_complete():
    load_city(size=None)
    items = list(
        ServiceItem.objects.select_related(
            "department__region", "region", "basic_item", "live_version"
        )
    )
    assert len(items) >= 2_000
    assert len({item.implementation_code for item in items}) == len(items)
    for item in items:
        match = CODE.match(item.implementation_code)
        assert match, item.implementation_code
        assert len(item.implementation_code) <= 64
        assert match["basic"] == item.basic_item.basic_code
        assert match["region"] == item.region.code.ljust(12, "0")
        assert match["uscc"] == item.department.uscc == normalise_uscc(match["uscc"])
        assert item.live_version is not None
        assert item.region.code.startswith(region_code_prefix(item.department.region.code))
    levels = Counter(item.exercise_level for item in items)
    assert levels["3"] >= 400  # city
    assert levels["4"] >= 1_000  # six districts and counties
    assert levels["5"] >= 100  # delegated to towns
    delegated = [item for item in items if item.delegated_from_id]
    assert delegated
    by_id = {item.pk: item for item in items}
    for item in delegated:
        assert item.delegated_from_id is not None
        source = by_id[item.delegated_from_id]
        assert item.exercise_level == "5"
        assert source.exercise_level == "4"
        assert item.region.parent_id == source.region.pk

    checked = snapshots()
    assert len(checked) == len(items)
    broken = {v.name: workflow.publication_violations(s) for v, s in checked}
    assert {name: errors for name, errors in broken.items() if errors} == {}
    visits = Counter(snapshot.visit_count for _, snapshot in checked)
    no_visit, at_most_one = visits[0] / len(checked), (visits[0] + visits[1]) / len(checked)
    assert 0.32 <= no_visit <= 0.45  # Huai'an: 36.8% 不见面
    assert at_most_one >= 0.90  # Fuzhou: 92.25% at most one visit
    licensing = [s for _, s in checked if s.item_type == workflow.ITEM_TYPE_LICENSING]
    assert len(licensing) >= 500
    assert any(s.charged for _, s in checked)

    events = Theme.objects.filter(kind=ThemeKind.LIFE_EVENT, audience="person")
    assert set(events.values_list("name", flat=True)) == LIFE_EVENT_NAMES
    for event in events:
        assert event.versions.filter(status="published").count() >= 3, event.name
        assert event.steps_note
    for name in ("幼有所育", "学有所教", "劳有所得", "病有所医", "老有所养", "住有所居", "弱有所扶",
                 "生育收养", "户籍办理", "设立变更", "准营准办", "开办餐饮店"):  # fmt: skip
        assert Theme.objects.get(name=name).versions.exists(), name
    bundles = Bundle.objects.filter(is_published=True)
    assert bundles.count() >= 20
    for bundle in bundles.prefetch_related("members__item", "supporting_departments"):
        assert bundle.promised_total_working_days <= 45
        departments = {m.item.department_id for m in bundle.members.all()}
        allowed = {d.pk for d in bundle.supporting_departments.all()} | {bundle.lead_department_id}
        assert departments <= allowed, bundle.name
    assert Bundle.objects.filter(name="开办餐饮店一件事").exists()
    assert Synonym.objects.count() >= 40


@pytest.mark.django_db
def test_loading_twice_creates_nothing_and_audits_nothing():
    first = load_city()
    digest, audits = catalogue_digest(), AuditEntry.objects.count()
    second = load_city()
    assert second.summary.totals() == first.summary.totals()
    assert set(second.summary.created().values()) == {0}
    assert catalogue_digest() == digest
    assert AuditEntry.objects.count() == audits


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_catalogue():
    def digest_of(seed: int) -> str:
        with transaction.atomic():
            load_city(seed, size=80)
            digest = catalogue_digest()
            transaction.set_rollback(True)
        return digest

    assert digest_of(SEED) == digest_of(SEED)
    assert digest_of(SEED + 1) != digest_of(SEED)


@pytest.mark.django_db
def test_a_reduced_load_keeps_the_core_items_and_bundles():
    load_city(size=SMALL)
    assert SMALL - 10 <= ServiceItem.objects.count() <= SMALL
    names = set(ServiceItemVersion.objects.values_list("name", flat=True))
    wanted = {
        "食品经营许可证核发",
        "新生儿出生登记",
        "内地居民结婚登记",
        "职工退休申请（正常退休）",
    }
    assert wanted <= names
    assert Bundle.objects.filter(is_published=True).count() >= 20
    assert Region.objects.filter(code="359921").exists()


@pytest.mark.django_db
def test_the_home_page_and_every_life_event_open_with_the_demo_catalogue(client):
    """The portal's first page links every life event by its code; the demo's codes have dots
    (`life.birth`), which a slug in the URL pattern once refused: the home page was a 500."""
    load_city()
    home = client.get("/")
    assert home.status_code == 200
    links = re.findall(r'href="(/services/themes/[^"]+/)"', home.content.decode())
    assert len(links) == len(LIFE_EVENT_NAMES)  # the citizen's seven
    assert "/services/themes/life.birth/" in links
    for link in links:
        assert client.get(link).status_code == 200, link
    for event in LIFE_EVENTS:  # the enterprises' too
        assert client.get(f"/services/themes/{event.code}/").status_code == 200, event.code
    assert client.get("/services/themes/no.such.theme/").status_code == 404
