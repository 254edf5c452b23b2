"""`yiwang seed_calendar`: enter the national calendar of every year chinese-calendar knows."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yiwang.calendars.services import calendar_seed_from_package, package_years
from yiwang.platform.errors import DomainError


class Command(BaseCommand):
    help = "从 chinese-calendar 数据包导入全国节假日和调休安排（可重复执行，不覆盖管理员的修改）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            dest="years",
            help="只导入该年度（可重复）；默认导入数据包收录的全部年度。",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        years: list[int] | None = options.get("years")
        try:
            written = calendar_seed_from_package(years=years)
        except DomainError as error:
            raise CommandError(error.message) from error
        chosen = years or package_years()
        self.stdout.write(
            self.style.SUCCESS(
                f"已导入 {min(chosen)}–{max(chosen)} 年的全国日历，写入 {written} 天。"
            )
        )
