"""One page of a list, as every paginated page and selector of the platform answers it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from yiwang.platform.errors import InvalidInput

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class PageOf:
    rows: list[Any]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def checked_page(page: int, page_size: int, *, max_page_size: int) -> tuple[int, int]:
    """The page and its size, or a clear error: pages count from 1, sizes from 1 to the
    list's maximum."""
    if page < 1:
        raise InvalidInput("页码应为正整数。", code="page_invalid")
    if page_size < 1 or page_size > max_page_size:
        raise InvalidInput(f"每页条数应在1到{max_page_size}之间。", code="page_size_invalid")
    return page, page_size


def paginate(queryset: QuerySet[M], *, page: int, page_size: int, max_page_size: int) -> PageOf:
    """One page of rows; a page past the end is the last page (a list that shrank while the
    user read it still shows something)."""
    page, page_size = checked_page(page, page_size, max_page_size=max_page_size)
    total = queryset.count()
    page = min(page, max(1, -(-total // page_size)))
    start = (page - 1) * page_size
    return PageOf(rows=list(queryset[start : start + page_size]), total=total, page=page,
                  page_size=page_size)  # fmt: skip
