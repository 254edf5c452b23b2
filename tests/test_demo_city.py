"""The demo city 示范市 (`yiwang demo`): complete, valid, deterministic and idempotent."""

from __future__ import annotations

import hashlib
import io
import json
import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction

from yiwang.hotline.services import open311_key_check
from yiwang.org.models import (
    Department,
    DepartmentKind,
    DepartmentLevel,
    Region,
    RegionLevel,
    ServiceHall,
    Window,
    WindowKind,
    region_level_of_code,
)
from yiwang.platform.gateways.realname import SandboxRealNameGateway
from yiwang.platform.models import AuditEntry, SandboxEnterpriseRecord, SandboxPersonRecord
from yiwang.platform.validators import (
    citizen_id_is_male,
    normalise_citizen_id,
    normalise_region_code,
    normalise_uscc,
)
from yiwang.project.demo import (
    DEMO_ENTERPRISES,
    DEMO_PEOPLE,
    DEMO_STAFF_PEOPLE,
    DemoSummary,
    demo_department,
)
from yiwang.project.demo.context import DemoContext
from yiwang.project.demo.loader import DEMO_STEPS
from yiwang.project.demo.open311 import demo_open311_key
from yiwang.project.demo.people import build_population

pytestmark = pytest.mark.django_db

SEED = 20261122


# The city itself; the calendar, accounts and catalogue steps have tests of their own, and the
# whole demo runs once, through the command, in test_the_command_prints_a_chinese_summary.
CITY_STEPS = ("regions", "departments", "halls", "registry")


def load(seed: int = SEED) -> DemoSummary:
    summary = DemoSummary(seed=seed)
    ctx = DemoContext(seed=seed, stdout=io.StringIO(), summary=summary)
    with transaction.atomic():
        for step in DEMO_STEPS:
            if step.name in CITY_STEPS:
                step.load(ctx)
    return summary


def city_digest() -> str:
    """Everything the demo loads, in a canonical order, hashed."""
    rows: list[object] = []
    rows += sorted(
        (r.code, r.name, r.level, r.parent.code if r.parent else "")
        for r in Region.objects.select_related("parent")
    )
    rows += sorted(
        (d.uscc, d.name, d.short_name, d.level, d.kind, d.region.code,
         d.parent.uscc if d.parent else "", d.phone, d.is_active)
        for d in Department.objects.select_related("region", "parent")
    )  # fmt: skip
    rows += sorted(
        (h.region.code, h.name, h.address, h.opening_hours, h.phone, str(h.latitude),
         str(h.longitude))
        for h in ServiceHall.objects.select_related("region")
    )  # fmt: skip
    rows += sorted(
        (w.hall.name, w.number, w.name, w.kind, w.is_open,
         sorted(d.uscc for d in w.departments.all()))
        for w in Window.objects.select_related("hall").prefetch_related("departments")
    )  # fmt: skip
    rows += sorted(
        (p.citizen_id_index, p.name, p.gender, p.birth_date.isoformat(), p.region_code)
        for p in SandboxPersonRecord.objects.all()
    )
    rows += sorted(
        (e.uscc, e.name, e.legal_representative_name, e.legal_representative_citizen_id_index,
         e.region_code, e.registered_on.isoformat(), e.address)
        for e in SandboxEnterpriseRecord.objects.all()
    )  # fmt: skip
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()


def digest_of_a_load(seed: int) -> str:
    """Load into a savepoint, hash, and roll back: a fresh city every time."""
    with transaction.atomic():
        load(seed)
        digest = city_digest()
        transaction.set_rollback(True)
    return digest


def test_loading_twice_changes_nothing():
    first = load()
    digest, audit_entries = city_digest(), AuditEntry.objects.count()
    second = load()
    assert second.totals() == first.totals()
    assert set(second.created().values()) == {0}
    assert city_digest() == digest
    assert AuditEntry.objects.count() == audit_entries


def test_the_same_seed_gives_the_same_city_and_another_seed_another():
    assert digest_of_a_load(SEED) == digest_of_a_load(SEED)
    assert digest_of_a_load(SEED + 1) != digest_of_a_load(SEED)


def test_the_city_has_the_promised_size():
    totals = load().totals()
    assert totals["部门"] >= 60
    assert totals["政务服务大厅"] == 13
    assert totals["沙箱人口登记"] == 2000
    assert totals["沙箱企业登记"] == 300
    levels = Counter(Region.objects.values_list("level", flat=True))
    assert levels[RegionLevel.PROVINCE] == 1
    assert levels[RegionLevel.CITY] == 1
    assert levels[RegionLevel.COUNTY] == 6


def test_region_codes_are_well_formed_and_nest_under_their_parents():
    load()
    regions = list(Region.objects.select_related("parent"))
    for region in regions:
        assert normalise_region_code(region.code) == region.code
        assert region_level_of_code(region.code) == region.level, region
        if region.parent is not None:
            assert region.parent.level == region.level - 1
            assert region.code.startswith(region.parent.code_prefix), region
        else:
            assert region.code == "350000"
    children = Counter(r.parent.code for r in regions if r.parent is not None)
    for region in regions:
        if region.level == RegionLevel.COUNTY:
            assert 4 <= children[region.code] <= 8, region
        if region.level == RegionLevel.TOWN:
            assert 3 <= children[region.code] <= 6, region
            if region.name.endswith("街道"):
                assert all(r.name.endswith("社区") for r in regions if r.parent_id == region.pk)


def test_every_citizen_id_and_uscc_in_the_registries_validates():
    load()
    people = list(SandboxPersonRecord.objects.all())
    assert len({p.citizen_id for p in people}) == len(people)
    for person in people:
        assert normalise_citizen_id(person.citizen_id) == person.citizen_id
        assert (person.gender == "male") == citizen_id_is_male(person.citizen_id), person
    known_people = {p.citizen_id_index for p in people}
    for enterprise in SandboxEnterpriseRecord.objects.all():
        assert normalise_uscc(enterprise.uscc) == enterprise.uscc
        assert enterprise.uscc[:2] == "91"
        assert enterprise.legal_representative_citizen_id_index in known_people
    for department in Department.objects.select_related("region"):
        assert normalise_uscc(department.uscc) == department.uscc
        assert department.uscc[2:8] == department.region.code[:6]
        assert department.uscc[0] == ("9" if department.kind == "public_utility" else "1")


def test_generated_names_look_like_chinese_names():
    people = build_population(random.Random(1), size=300)
    for person in people:
        assert 2 <= len(person.name.replace("·", "")) <= 8
        assert all("\u4e00" <= char <= "\u9fff" or char == "·" for char in person.name)


def test_departments_sit_at_the_level_of_their_region_under_natural_parents():
    load()
    city = Department.objects.filter(level=DepartmentLevel.CITY)
    assert city.count() >= 38
    names = set(Department.objects.values_list("name", flat=True))
    for expected in ("示范市市场监督管理局", "示范市12345政务服务便民热线中心",
                     "国家税务总局示范市税务局", "示范市住房公积金中心", "国网示范市供电公司",
                     "示范市纪委监委电子监察室", "清溪县市场监督管理局", "东城区行政审批局",
                     "示范市公安局东城分局", "城关镇便民服务中心"):  # fmt: skip
        assert expected in names
    for department in Department.objects.select_related("region", "parent"):
        assert department.level == department.region.level + 1
        if department.level == DepartmentLevel.COUNTY and department.parent is not None:
            assert department.parent.level == DepartmentLevel.CITY
    utilities = Department.objects.filter(kind=DepartmentKind.PUBLIC_UTILITY)
    assert utilities.count() == 3


def test_every_hall_has_general_result_and_help_windows():
    load()
    for hall in ServiceHall.objects.prefetch_related("windows__departments"):
        kinds = Counter(w.kind for w in hall.windows.all())
        assert kinds[WindowKind.GENERAL] >= 2, hall
        assert kinds[WindowKind.HELP] >= 1, hall
        assert hall.opening_hours.startswith("周一至周五 上午9:00-12:00 下午13:30-17:30")
        assert hall.latitude is not None
        assert hall.longitude is not None
        for window in hall.windows.all():
            if window.kind == WindowKind.GENERAL:
                assert window.departments.count() >= 4, window
    city_hall = ServiceHall.objects.get(name="示范市政务服务中心")
    assert city_hall.windows.filter(kind=WindowKind.RESULT).count() == 2
    assert city_hall.windows.filter(kind=WindowKind.DEPARTMENT).count() == 8


def test_well_known_people_and_enterprises_pass_the_sandbox_real_name_check():
    load()
    gateway = SandboxRealNameGateway()
    people = [*DEMO_PEOPLE, *DEMO_STAFF_PEOPLE.values()]
    assert len({p.phone for p in people}) == len(people)
    for person in people:
        assert gateway.verify_person(name=person.name, citizen_id=person.citizen_id).matched
    for enterprise in DEMO_ENTERPRISES:
        result = gateway.verify_enterprise(
            name=enterprise.name,
            uscc=enterprise.uscc,
            legal_representative=enterprise.legal_representative.name,
        )
        assert result.matched, result.reason


def test_well_known_people_are_stable():
    zhang = DEMO_PEOPLE[0]
    assert (zhang.name, zhang.phone) == ("张明华", "13800000001")
    assert zhang.citizen_id == "359902198503120159"
    assert zhang.is_male
    sexes = {p.name: p.is_male for p in DEMO_PEOPLE}
    assert sexes["李秀英"] is False
    assert sexes["王建国"] is True
    assert sexes["陈静"] is False
    assert normalise_citizen_id(DEMO_PEOPLE[7].citizen_id)[6:14] == "20000229"


def test_demo_departments_are_found_by_key():
    load()
    assert demo_department("market").name == "示范市市场监督管理局"
    assert demo_department("359921:market").name == "清溪县市场监督管理局"
    assert demo_department("359921101:centre").name == "城关镇便民服务中心"
    with pytest.raises(KeyError):
        demo_department("nothing")


def test_the_command_prints_a_chinese_summary(settings):
    settings.DEMO_SEED = 7
    out = io.StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    assert "种子 7" in text
    assert "示范市演示数据已就绪" in text
    assert "行政区划" in text
    assert "沙箱人口登记 2000" in text
    key = demo_open311_key(7)
    assert f"开放接口（Open311，/open311/v2/）演示应用“示范市随手拍演示应用”的密钥：{key}" in text
    assert open311_key_check(key=key) is not None  # the printed key works
    again = io.StringIO()
    call_command("demo", "--seed", "7", stdout=again)
    assert "本次新增 0 个" in again.getvalue()
    assert key in again.getvalue()
