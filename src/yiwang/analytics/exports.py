"""Excel workbooks (openpyxl) of the monthly hotspot report and of the metrics tables: one
sheet per section, Chinese headers, widths that fit the text, numbers stored as numbers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from yiwang.analytics.formatting import EMPTY, number_text
from yiwang.analytics.selectors import (
    METRICS,
    FigureTable,
    HotlineDashboard,
    HotlineFigures,
    Period,
)
from yiwang.hotline.selectors import HotlineMetrics
from yiwang.hotline.selectors.hotspots import (
    PREVIOUS_MONTHS,
    REPEAT_MIN_COUNT,
    CountRow,
    HotspotReport,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill("solid", fgColor="DCE6F4")
MAX_WIDTH = 60


def _width(value: Any) -> int:
    """Column width in Excel's units: a Chinese character takes about two."""
    text = str(value if value is not None else "")
    return sum(2 if ord(char) > 0x2E7F else 1 for char in text) + 2


def _local(moment: datetime) -> datetime:
    # Excel has no time zones: store the Asia/Shanghai wall-clock time.
    return timezone.localtime(moment).replace(tzinfo=None)


def _sheet(
    book: Workbook, title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    sheet = book.create_sheet(title=title[:31])
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    widths = [_width(h) for h in headers]
    for row in rows:
        sheet.append(list(row))
        for index, value in enumerate(row):
            widths[index] = max(widths[index], _width(value))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width, MAX_WIDTH)
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
    sheet.freeze_panes = "A2"


def _save(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- The monthly hotspot report -------------------------------------------------------------


def _count_rows(rows: list[CountRow]) -> list[list[Any]]:
    return [[rank, row.label, row.count, row.share] for rank, row in enumerate(rows, start=1)]


def hotspot_sheet_titles() -> list[str]:
    return [_("概况"), _("热点分类"), _("热点区域"), _("承办单位"), _("上升分类"), _("重复投诉")]


def hotspot_workbook(report: HotspotReport, *, month_label: str) -> bytes:
    book = Workbook()
    book.remove(book.active)
    summary, categories, areas, units, rising, repeats = hotspot_sheet_titles()
    _sheet(
        book,
        summary,
        [_("项目"), _("内容")],
        [
            [_("报告月份"), month_label],
            [_("工单总量"), report.total],
            [_("统计口径"), _("当月登记的工单（合并的重复工单不计）")],
            [
                _("上升分类"),
                _("当月工单不少于5件，且达到前三个月月均的1.5倍（此前没有的为新出现）"),
            ],
            [
                _("重复投诉"),
                _("同一分类、相距%(radius)d米以内的投诉，当月%(count)d次及以上")
                % {"radius": settings.HOTLINE_REPEAT_RADIUS_M, "count": REPEAT_MIN_COUNT},
            ],
        ],
    )
    share = _("占比（%）")
    count = _("工单数")
    rank = _("排名")
    _sheet(book, categories, [rank, _("诉求分类"), count, share], _count_rows(report.categories))
    _sheet(book, areas, [rank, _("区域（街道）"), count, share], _count_rows(report.areas))
    _sheet(book, units, [rank, _("承办单位"), count, share], _count_rows(report.units))
    _sheet(
        book,
        rising,
        [
            _("诉求分类"),
            _("本月工单数"),
            _("前%(months)d个月月均") % {"months": PREVIOUS_MONTHS},
            _("增幅（%）"),
        ],
        [
            [
                r.label,
                r.count,
                r.previous_average,
                r.change if r.change is not None else _("新出现"),
            ]
            for r in report.rising
        ],
    )
    _sheet(
        book,
        repeats,
        [_("诉求分类"), _("地点"), _("投诉次数"), _("首次"), _("最近"), _("工单编号")],
        [
            [
                r.category,
                r.place,
                r.count,
                _local(r.first_at),
                _local(r.last_at),
                "、".join(r.numbers),
            ]
            for r in report.repeats
        ],
    )
    return _save(book)


def hotspot_filenames(month: date) -> tuple[str, str]:
    """The file name (Chinese) and its ASCII fallback for old clients."""
    slug = month.strftime("%Y-%m")
    return _("12345热点分析月报-%(month)s.xlsx") % {"month": slug}, (
        f"12345-hotspot-report-{slug}.xlsx"
    )


# --- The metrics tables ---------------------------------------------------------------------


def _metric_headers(first: str) -> list[str]:
    headers = [first, _("登记工单数"), _("有效来电来件数")]
    for metric in METRICS:
        headers += [
            _("%(metric)s（%%）") % {"metric": metric.label},
            _("%(metric)s分子") % {"metric": metric.label},
            _("%(metric)s分母") % {"metric": metric.label},
        ]
    return headers


def _metric_row(label: str, metrics: HotlineMetrics) -> list[Any]:
    row: list[Any] = [label, metrics.registered, metrics.valid_contacts]
    for metric in METRICS:
        rate = getattr(metrics, metric.key)
        value: Decimal | str = EMPTY if rate.value is None else rate.value
        numerator = Decimal(number_text(rate.numerator))
        row += [value, numerator, rate.denominator]
    return row


def _table_sheet(book: Workbook, title: str, first: str, table: FigureTable) -> None:
    _sheet(
        book, title, _metric_headers(first), [_metric_row(r.label, r.metrics) for r in table.rows]
    )


def _group_titles(group_by: str) -> tuple[str, str]:
    """The sheet's title and its first column's header."""
    titles = {
        "department": (_("按承办单位"), _("承办单位")),
        "category": (_("按诉求分类"), _("诉求分类")),
        "region": (_("按区域"), _("区域")),
        "month": (_("月度趋势"), _("月份")),
    }
    return titles[group_by]


def figures_workbook(figures: HotlineFigures, *, extra: Sequence[FigureTable] = ()) -> bytes:
    """The period's figures on the first sheet, then one sheet per table."""
    book = Workbook()
    book.remove(book.active)
    _sheet(
        book,
        _("总体指标"),
        _metric_headers(_("统计时段")),
        [_metric_row(figures.query.period.label, figures.total)],
    )
    for table in [*figures.tables, *extra]:
        title, first = _group_titles(table.group_by)
        _table_sheet(book, title, first, table)
    return _save(book)


def dashboard_workbook(dashboard: HotlineDashboard) -> bytes:
    trend = dashboard.trend
    book_tables = [dashboard.by_department, dashboard.by_category, dashboard.by_region]
    return figures_workbook(dashboard.figures, extra=[*book_tables, trend])


def figures_filenames(period: Period) -> tuple[str, str]:
    return _("12345热线指标-%(period)s.xlsx") % {"period": period.slug}, (
        f"12345-hotline-metrics-{period.slug}.xlsx"
    )
