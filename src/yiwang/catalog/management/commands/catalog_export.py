"""`yiwang catalog_export out.xlsx`: the published implementation list as an Excel workbook in
the import template's layout (docs/catalog-import.md); `--template` writes the empty template."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yiwang.catalog.services.imports import catalog_export_workbook, catalog_import_template
from yiwang.org.models import Department


class Command(BaseCommand):
    help = (
        "导出实施清单（各事项的现行办事指南）为 Excel 文件，格式即导入模板；"
        "--template 只导出空模板。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="要写入的 .xlsx 文件路径")
        parser.add_argument(
            "--department",
            action="append",
            dest="departments",
            metavar="USCC",
            help="只导出该部门（统一社会信用代码）的事项，可重复",
        )
        parser.add_argument("--template", action="store_true", help="只导出带说明的空模板")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        started = time.monotonic()
        if options["template"]:
            data = catalog_import_template()
        else:
            department_ids = None
            usccs: list[str] | None = options.get("departments")
            if usccs:
                found = dict(Department.objects.filter(uscc__in=usccs).values_list("uscc", "pk"))
                missing = [uscc for uscc in usccs if uscc not in found]
                if missing:
                    raise CommandError(f"没有统一社会信用代码为 {'、'.join(missing)} 的部门。")
                department_ids = list(found.values())
            data = catalog_export_workbook(department_ids=department_ids)
        try:
            path.write_bytes(data)
        except OSError as error:
            raise CommandError(f"无法写入 {path}：{error.strerror}") from error
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"已导出到 {path}（{len(data) // 1024} KB，用时 {seconds:.1f} 秒）。"
            )
        )
