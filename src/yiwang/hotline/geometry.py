"""Plane geometry on longitude/latitude points, enough for towns and streets: point in
polygon (ray casting) and distances in metres (equirectangular, accurate to well under 1 %
within a city). No database."""

from __future__ import annotations

import math
from collections.abc import Sequence

EARTH_RADIUS_M = 6_371_000.0


def contains(polygon: Sequence[Sequence[float]], longitude: float, latitude: float) -> bool:
    """Is the point inside the polygon (a list of [lng, lat], closed or not)?"""
    inside = False
    count = len(polygon)
    if count < 3:
        return False
    j = count - 1
    for i in range(count):
        xi, yi = polygon[i][0], polygon[i][1]
        xj, yj = polygon[j][0], polygon[j][1]
        if (yi > latitude) != (yj > latitude):
            crossing = (xj - xi) * (latitude - yi) / (yj - yi) + xi
            if longitude < crossing:
                inside = not inside
        j = i
    return inside


def bounds(polygon: Sequence[Sequence[float]]) -> tuple[float, float, float, float]:
    """(min lng, max lng, min lat, max lat)."""
    longitudes = [p[0] for p in polygon]
    latitudes = [p[1] for p in polygon]
    return min(longitudes), max(longitudes), min(latitudes), max(latitudes)


def distance_m(lng1: float, lat1: float, lng2: float, lat2: float) -> float:
    x = math.radians(lng2 - lng1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return math.hypot(x, y) * EARTH_RADIUS_M
