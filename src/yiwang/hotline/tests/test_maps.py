"""The offline map of the city: areas projected into the drawing, county names from the region
table, the place under a point, whether a point is in the city, and the cache that follows
edits."""

from __future__ import annotations

import math

import pytest
from django.core.cache import cache

from yiwang.hotline.models import Area
from yiwang.hotline.selectors import city_map, place_at, point_in_city
from yiwang.hotline.selectors.maps import MAP_MARGIN, MAP_WIDTH
from yiwang.hotline.tests.factories import square
from yiwang.org.models import Region, RegionLevel

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def make_area(name: str, region_code: str, lng: float, lat: float, size: float = 0.1) -> Area:
    polygon = square(lng, lat, size)
    return Area.objects.create(
        name=name,
        region_code=region_code,
        polygon=polygon,
        min_longitude=lng,
        max_longitude=lng + size,
        min_latitude=lat,
        max_latitude=lat + size,
    )


@pytest.fixture
def two_counties() -> tuple[Area, Area]:
    city = Region.objects.create(code="359900", name="示范市", level=RegionLevel.CITY)
    Region.objects.create(code="359902", name="东城区", level=RegionLevel.COUNTY, parent=city)
    Region.objects.create(code="359903", name="南湖区", level=RegionLevel.COUNTY, parent=city)
    return (
        make_area("府前街道", "359902001000", 118.0, 24.5),
        make_area("南湖街道", "359903001000", 118.1, 24.5),
    )


def test_no_areas_no_map_and_every_point_is_accepted():
    assert city_map() is None
    assert point_in_city(0.0, 0.0)
    assert place_at(118.05, 24.55) is None


def test_the_map_projects_the_areas_with_a_margin_and_true_proportions(two_counties):
    drawn = city_map()
    assert drawn is not None
    assert drawn.width == MAP_WIDTH
    west, south, north = 118.0, 24.5, 24.6  # east: 118.2
    margin_lng, margin_lat = 0.2 * MAP_MARGIN, 0.1 * MAP_MARGIN
    assert drawn.west == pytest.approx(west - margin_lng)
    assert drawn.north == pytest.approx(north + margin_lat)
    # A degree of longitude is cos(latitude) of a degree of latitude.
    middle = math.radians(((south - margin_lat) + (north + margin_lat)) / 2)
    assert drawn.x_per_degree / drawn.y_per_degree == pytest.approx(math.cos(middle))
    assert drawn.height == round((0.1 + 2 * margin_lat) * drawn.y_per_degree)
    first = drawn.areas[0]
    assert (first.name, first.county, first.region_code) == ("府前街道", "东城区", "359902001000")
    # The south-west corner of 府前街道 sits one margin in from the left.
    x = margin_lng * drawn.x_per_degree
    y = (north + margin_lat - south) * drawn.y_per_degree
    assert first.path.startswith(f"M{x:.1f},{y:.1f}L")
    assert first.path.endswith("Z")
    assert [a.shade for a in drawn.areas] == [0, 1]
    assert [label.text for label in drawn.labels] == ["东城区", "南湖区"]
    data = drawn.script_data()
    assert data["areas"] == [
        {"name": "府前街道", "county": "东城区", "polygon": square(118.0, 24.5, 0.1)},
        {"name": "南湖街道", "county": "南湖区", "polygon": square(118.1, 24.5, 0.1)},
    ]


def test_the_place_under_a_point_names_the_county_and_the_street(two_counties):
    place = place_at(118.15, 24.55)
    assert place is not None
    assert place.text == "南湖区 南湖街道"
    assert place_at(118.25, 24.55) is None


def test_an_area_without_a_known_county_is_named_alone():
    make_area("清溪街道", "359999001000", 118.0, 24.5)
    place = place_at(118.05, 24.55)
    assert place is not None
    assert place.text == "清溪街道"


def test_points_outside_every_area_are_outside_the_city(two_counties):
    assert point_in_city(118.05, 24.55)
    assert point_in_city(118.199, 24.599)
    assert not point_in_city(118.25, 24.55)  # east of the city
    assert not point_in_city(118.05, 24.45)  # south of it
    assert not point_in_city(0.0, 0.0)


def test_the_cached_map_follows_a_new_or_renamed_area(two_counties, django_assert_num_queries):
    first = city_map()
    assert first is not None
    with django_assert_num_queries(1):  # the fingerprint only; the drawing comes from the cache
        assert city_map() == first
    make_area("湖滨街道", "359903002000", 118.1, 24.6)
    assert names() == ["府前街道", "南湖街道", "湖滨街道"]
    Area.objects.filter(name="湖滨街道").update(name="新华街道")
    assert names() == ["府前街道", "南湖街道", "新华街道"]


def names() -> list[str]:
    drawn = city_map()
    assert drawn is not None
    return [a.name for a in drawn.areas]
