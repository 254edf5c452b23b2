"""One page of a list: the last page past the end, clear errors for bad numbers."""

from __future__ import annotations

import pytest

from yiwang.platform.errors import InvalidInput
from yiwang.platform.models import AuditEntry
from yiwang.platform.paging import PageOf, checked_page, paginate
from yiwang.platform.services import audit_record

pytestmark = pytest.mark.django_db


def entries(count: int) -> None:
    for n in range(count):
        audit_record(actor=None, action="test.paging", summary=f"第{n}条")


def test_a_page_holds_its_rows_and_knows_its_neighbours():
    entries(5)
    page = paginate(AuditEntry.objects.order_by("pk"), page=2, page_size=2, max_page_size=10)
    assert [e.summary for e in page.rows] == ["第2条", "第3条"]
    assert (page.total, page.page, page.pages, page.has_previous, page.has_next) == (
        5, 2, 3, True, True,
    )  # fmt: skip


def test_a_page_past_the_end_is_the_last_page_and_an_empty_list_has_one_page():
    entries(5)
    page = paginate(AuditEntry.objects.order_by("pk"), page=9, page_size=2, max_page_size=10)
    assert ([e.summary for e in page.rows], page.page, page.has_next) == (["第4条"], 3, False)
    empty = paginate(AuditEntry.objects.none(), page=4, page_size=2, max_page_size=10)
    assert (empty.rows, empty.page, empty.pages) == ([], 1, 1)


@pytest.mark.parametrize(
    ("page", "size", "code", "message"),
    [
        (0, 10, "page_invalid", "页码应为正整数。"),
        (1, 0, "page_size_invalid", "每页条数应在1到50之间。"),
        (1, 51, "page_size_invalid", "每页条数应在1到50之间。"),
    ],
)
def test_bad_numbers_are_refused_with_a_clear_message(page, size, code, message):
    with pytest.raises(InvalidInput) as refused:
        checked_page(page, size, max_page_size=50)
    assert (refused.value.code, refused.value.message) == (code, message)
    assert checked_page(1, 50, max_page_size=50) == (1, 50)


def test_a_page_is_a_plain_value():
    assert PageOf(rows=[], total=0, page=1, page_size=20).pages == 1
