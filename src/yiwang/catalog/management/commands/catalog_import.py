"""`yiwang catalog_import file.xlsx`: import the implementation list, all or nothing.

Prints what was created, revised and left unchanged, or every error (sheet, cell, message) and
exits with status 1 having written nothing. `--check` checks the file and writes nothing either
way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from yiwang.catalog.services.imports import catalog_import_workbook
from yiwang.platform.errors import RuleViolated


class Command(BaseCommand):
    help = "从 Excel 文件导入实施清单（全部成功或全部不写入；有错误时逐条列出）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="按模板填写的 .xlsx 文件")
        parser.add_argument(
            "--check", action="store_true", help="只检查文件，不写入（检查通过也回滚）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取 {path}：{error.strerror}") from error
        try:
            with transaction.atomic():
                report = catalog_import_workbook(data=data, by=None)
                if options["check"]:
                    transaction.set_rollback(True)
        except RuleViolated as refused:
            for problem in refused.errors:
                where = f"{problem.field}  " if problem.field else ""
                self.stderr.write(f"{where}{problem.message}")
            raise CommandError(refused.message) from refused
        if options["check"]:
            self.stdout.write(self.style.SUCCESS(f"检查通过，未写入。{report.summary()}"))
        else:
            self.stdout.write(self.style.SUCCESS(f"导入完成。{report.summary()}"))
