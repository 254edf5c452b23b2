from __future__ import annotations

import pytest

from yiwang.catalog.selectors import public
from yiwang.catalog.tests.public_fixtures import build_mini_catalogue
from yiwang.platform.errors import InvalidInput, NotFound

pytestmark = pytest.mark.django_db


def test_browse_lists_only_published_items_most_popular_first():
    build_mini_catalogue()
    page = public.items_browse(filters=public.ItemFilters())
    assert [row.name for row in page.rows] == ["食品经营许可证核发", "居民身份证换领"]
    assert page.total == 2


def test_browse_filters_by_visits_depth_department_theme_and_audience():
    mini = build_mini_catalogue()
    by = public.items_browse

    assert [r.name for r in by(filters=public.ItemFilters(visit_tag="no_visit")).rows] == [
        "食品经营许可证核发"
    ]
    assert by(filters=public.ItemFilters(visit_tag="at_most_one")).total == 2
    assert by(filters=public.ItemFilters(min_depth=4)).total == 1
    assert by(filters=public.ItemFilters(department_id=mini.department.pk)).total == 1
    assert [r.name for r in by(filters=public.ItemFilters(theme_code="birth")).rows] == [
        "居民身份证换领"
    ]
    assert [r.name for r in by(filters=public.ItemFilters(audience="enterprise")).rows] == [
        "食品经营许可证核发"
    ]


def test_browse_takes_two_queries_whatever_the_page_size(django_assert_num_queries):
    build_mini_catalogue()
    with django_assert_num_queries(2):
        public.items_browse(filters=public.ItemFilters(), page_size=50)


def test_bad_paging_and_filters_are_explained():
    with pytest.raises(InvalidInput):
        public.items_browse(filters=public.ItemFilters(), page=0)
    with pytest.raises(InvalidInput):
        public.items_browse(filters=public.ItemFilters(), page_size=500)
    with pytest.raises(InvalidInput):
        public.items_browse(filters=public.ItemFilters(visit_tag="many"))


def test_a_draft_only_item_is_not_public():
    mini = build_mini_catalogue()
    with pytest.raises(NotFound):
        public.guide_for_public(mini.draft_only.pk)
    with pytest.raises(NotFound):
        public.guide_for_public(999_999)


def test_guide_loads_everything_in_a_fixed_number_of_queries(django_assert_num_queries):
    mini = build_mini_catalogue()
    with django_assert_num_queries(8):
        version = public.guide_for_public(mini.food_licence.pk)
        assert len(version.materials.all()) == 2
        assert [s.name for s in version.procedure_steps.all()] == [
            "受理",
            "审核",
            "审批",
            "办结",
            "送达",
        ]
        assert version.item.department.name == "示范市市场监督管理局"


def test_departments_with_items_counts_live_items():
    build_mini_catalogue()
    counts = {d.name: d.items for d in public.departments_with_items()}
    assert counts == {"示范市市场监督管理局": 1, "示范市公安局": 1}
