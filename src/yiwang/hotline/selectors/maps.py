"""The city's map for picking a location offline: the towns and streets (hotline `Area`
polygons, WGS84) projected into an SVG drawing, and the name of the place under a point.

Government intranets often have no internet, so there are no map tiles: the map is the areas'
boundaries, drawn by the page itself. The drawing is cached; its key is a fingerprint of the
areas' names and bounding boxes, so an edited area shows at once (an edit inside a polygon that
leaves its box alone shows within `MAP_CACHE_SECONDS`)."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

from django.core.cache import cache

from yiwang.hotline.geometry import bounds
from yiwang.hotline.models import Area
from yiwang.hotline.selectors.routing import area_at
from yiwang.org.models import Region

MAP_CACHE_SECONDS = 600
# The drawing is this many units wide; its height follows the city's shape.
MAP_WIDTH = 1000
# Blank margin around the city, as a share of its size, so that edge areas can be tapped.
MAP_MARGIN = 0.03
COUNTY_CODE_LENGTH = 6


@dataclass(frozen=True)
class MapArea:
    name: str
    county: str  # the district or county's name; "" when the region table does not know it
    region_code: str
    path: str  # SVG path data in map units
    polygon: list[list[float]]  # [longitude, latitude] points, as stored
    shade: int  # 0–5: neighbouring counties get different fills


@dataclass(frozen=True)
class MapLabel:
    text: str
    x: float
    y: float


@dataclass(frozen=True)
class CityMap:
    """Map units: x grows east, y grows south; x = (lng - west) * x_per_degree,
    y = (north - lat) * y_per_degree."""

    width: int
    height: int
    west: float
    north: float
    x_per_degree: float
    y_per_degree: float
    areas: tuple[MapArea, ...]
    labels: tuple[MapLabel, ...]  # one per county, at the middle of its areas

    def script_data(self) -> dict[str, object]:
        """What the page's script needs to place a pin and name the area under it."""
        return {
            "width": self.width,
            "height": self.height,
            "west": self.west,
            "north": self.north,
            "xPerDegree": self.x_per_degree,
            "yPerDegree": self.y_per_degree,
            "areas": [
                {"name": a.name, "county": a.county, "polygon": a.polygon} for a in self.areas
            ],
        }


@dataclass(frozen=True)
class Place:
    area: str
    county: str

    @property
    def text(self) -> str:
        """ "东城区 府前街道" (or the area alone when the county is unknown)."""
        return f"{self.county} {self.area}" if self.county else self.area


def _fingerprint() -> str:
    rows = Area.objects.order_by("id").values_list(
        "id",
        "name",
        "region_code",
        "min_longitude",
        "max_longitude",
        "min_latitude",
        "max_latitude",
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()[:20]


def _county_names(region_codes: set[str]) -> dict[str, str]:
    counties = {code[:COUNTY_CODE_LENGTH] for code in region_codes}
    return dict(
        Region.objects.filter(code__in=counties).order_by("code").values_list("code", "name")
    )


def _build() -> CityMap | None:
    areas = [a for a in Area.objects.order_by("region_code", "name", "id") if len(a.polygon) >= 3]
    if not areas:
        return None
    boxes = [bounds(a.polygon) for a in areas]
    west, east = min(b[0] for b in boxes), max(b[1] for b in boxes)
    south, north = min(b[2] for b in boxes), max(b[3] for b in boxes)
    margin_lng = (east - west) * MAP_MARGIN or 0.01
    margin_lat = (north - south) * MAP_MARGIN or 0.01
    west, east, south, north = (
        west - margin_lng,
        east + margin_lng,
        south - margin_lat,
        north + margin_lat,
    )
    # A degree of longitude is shorter than one of latitude by cos(latitude).
    squeeze = math.cos(math.radians((north + south) / 2))
    x_per_degree = MAP_WIDTH / (east - west)
    y_per_degree = x_per_degree / squeeze
    height = max(1, round((north - south) * y_per_degree))
    counties = _county_names({a.region_code for a in areas})
    county_codes = sorted({a.region_code[:COUNTY_CODE_LENGTH] for a in areas})
    drawn: list[MapArea] = []
    spans: dict[str, list[float]] = {}
    for area in areas:
        points = [
            ((lng - west) * x_per_degree, (north - lat) * y_per_degree)
            for lng, lat in (p[:2] for p in area.polygon)
        ]
        path = "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z"
        code = area.region_code[:COUNTY_CODE_LENGTH]
        drawn.append(
            MapArea(
                name=area.name,
                county=counties.get(code, "") if code != area.region_code else "",
                region_code=area.region_code,
                path=path,
                polygon=[[float(p[0]), float(p[1])] for p in area.polygon],
                shade=county_codes.index(code) % 6,
            )
        )
        xs, ys = [x for x, _ in points], [y for _, y in points]
        span = spans.setdefault(code, [math.inf, -math.inf, math.inf, -math.inf])
        span[:] = [min(span[0], *xs), max(span[1], *xs), min(span[2], *ys), max(span[3], *ys)]
    labels = tuple(
        MapLabel(text=counties[code], x=(s[0] + s[1]) / 2, y=(s[2] + s[3]) / 2)
        for code, s in sorted(spans.items())
        if code in counties
    )
    return CityMap(
        width=MAP_WIDTH,
        height=height,
        west=west,
        north=north,
        x_per_degree=x_per_degree,
        y_per_degree=y_per_degree,
        areas=tuple(drawn),
        labels=labels,
    )


def city_map() -> CityMap | None:
    """The city's towns and streets as a drawing, or None when no area has a boundary (the
    page then offers the phone's position and the typed address only)."""
    key = f"hotline:city-map:v1:{_fingerprint()}"
    found: CityMap | str | None = cache.get(key)
    if found is None:
        built = _build()
        cache.set(key, built if built is not None else "none", MAP_CACHE_SECONDS)
        return built
    return None if isinstance(found, str) else found


def place_at(longitude: float | None, latitude: float | None) -> Place | None:
    """The town or street under a point, with its district or county."""
    area = area_at(longitude, latitude)
    if area is None:
        return None
    code = area.region_code[:COUNTY_CODE_LENGTH]
    county = "" if code == area.region_code else _county_names({code}).get(code, "")
    return Place(area=area.name, county=county)


def point_in_city(longitude: float, latitude: float) -> bool:
    """Whether a reported point lies in one of the city's areas. With no areas set up there is
    nothing to check against, and every point is accepted."""
    if area_at(longitude, latitude) is not None:
        return True
    return not Area.objects.exists()
