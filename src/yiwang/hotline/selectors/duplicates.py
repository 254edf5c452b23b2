"""Possible duplicates of a ticket (DOMAIN §7): open tickets of the same category, within a
radius and a time window, saying much the same thing, best first."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import timedelta

from yiwang.hotline.geometry import EARTH_RADIUS_M, distance_m
from yiwang.hotline.models import Ticket
from yiwang.hotline.workflow import OPEN_STATUSES

DEFAULT_RADIUS_M = 200.0
DEFAULT_DAYS = 7
MIN_SIMILARITY = 0.15
# Words of the channel's framing, not of the problem: they would make every call look alike.
_FRAMING = re.compile(
    r"来电人|市民|来电|反映|咨询|询问|请相关部门|相关部门|核实处理|尽快处理|尽快解决|希望|要求|"
    r"您好|你好|谢谢|附照片|见照片|麻烦"
)
_FIELDS = ("id", "number", "title", "content", "latitude", "longitude", "received_at", "status")
_NOT_TEXT = re.compile(r"[\W_]+", re.UNICODE)


def bigrams(text: str) -> frozenset[str]:
    """Character bigrams of the text without punctuation and framing words."""
    cleaned = _NOT_TEXT.sub("", _FRAMING.sub("", text))
    return frozenset(cleaned[i : i + 2] for i in range(len(cleaned) - 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@dataclass(frozen=True)
class DuplicateCandidate:
    ticket: Ticket
    distance_m: float
    hours_apart: float
    similarity: float  # bigram Jaccard of title and content, 0..1
    score: float  # 0..1: similarity weighs most, then nearness in space and time

    @property
    def similarity_percent(self) -> int:
        return round(self.similarity * 100)


def duplicate_candidates(
    ticket: Ticket,
    *,
    radius_m: float = DEFAULT_RADIUS_M,
    days: int = DEFAULT_DAYS,
    min_similarity: float = MIN_SIMILARITY,
    limit: int = 5,
) -> list[DuplicateCandidate]:
    """Open tickets (not merged, not masters' duplicates) of the ticket's category received
    within `days` before or after it and within `radius_m` of its point, whose text is at least
    `min_similarity` alike. A ticket without a point has no candidates."""
    if ticket.latitude is None or ticket.longitude is None:
        return []
    lat, lng = ticket.latitude, ticket.longitude
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlng = dlat / max(math.cos(math.radians(lat)), 0.01)
    window = timedelta(days=days)
    nearby = (
        Ticket.objects.filter(
            category_id=ticket.category_id,
            status__in=OPEN_STATUSES,
            master__isnull=True,
            received_at__gte=ticket.received_at - window,
            received_at__lte=ticket.received_at + window,
            latitude__gte=lat - dlat,
            latitude__lte=lat + dlat,
            longitude__gte=lng - dlng,
            longitude__lte=lng + dlng,
        )
        .exclude(pk=ticket.pk)
        .only(*_FIELDS)
        .order_by("-received_at")[:200]
    )
    mine = bigrams(f"{ticket.title} {ticket.content}")
    found: list[DuplicateCandidate] = []
    for other in nearby:
        if other.latitude is None or other.longitude is None:
            continue
        distance = distance_m(lng, lat, other.longitude, other.latitude)
        if distance > radius_m:
            continue
        similarity = jaccard(mine, bigrams(f"{other.title} {other.content}"))
        if similarity < min_similarity:
            continue
        hours = abs((ticket.received_at - other.received_at).total_seconds()) / 3600
        score = (
            0.6 * similarity
            + 0.25 * (1 - distance / radius_m)
            + 0.15 * (1 - min(hours / (days * 24), 1.0))
        )
        found.append(DuplicateCandidate(other, distance, hours, similarity, score))
    found.sort(key=lambda c: (-c.score, c.ticket.pk))
    return found[:limit]
