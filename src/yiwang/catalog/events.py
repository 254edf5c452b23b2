"""What happened in the catalogue, for other contexts (search, cases, analytics) to react to."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ServiceItemPublished:
    """A version became the live guide of its item; the previous live one (if any) retired."""

    item_id: int
    version_id: int
    previous_version_id: int | None


@dataclass(frozen=True)
class ServiceItemVersionRetired:
    """A version was retired without a successor (a withdrawn item, or a discarded draft)."""

    item_id: int
    version_id: int
    was_live: bool


@dataclass(frozen=True)
class BundlePublished:
    bundle_id: int


@dataclass(frozen=True)
class BundleWithdrawn:
    bundle_id: int


@dataclass(frozen=True)
class SynonymsChanged:
    """The search synonyms table changed (search rebuilds its expansions)."""

    synonym_id: int


@dataclass(frozen=True)
class ThemeChanged:
    theme_id: int
