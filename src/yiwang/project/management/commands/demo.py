"""`yiwang demo`: load the demo city 示范市 (idempotent; run it again at any time)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from yiwang.project.demo import load_demo_city
from yiwang.project.demo.accounts import print_demo_accounts
from yiwang.project.demo.open311 import DEMO_APP_NAME, demo_open311_key


class Command(BaseCommand):
    help = (
        "载入示范市演示数据（行政区划、部门、大厅窗口、沙箱人口和企业登记、工作日历、"
        "演示账户）；可重复运行。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=None,
            help="随机种子（默认取 YIWANG_DEMO_SEED，即 settings.DEMO_SEED）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        seed = options["seed"] if options["seed"] is not None else settings.DEMO_SEED
        started = time.monotonic()
        self.stdout.write(f"正在载入示范市演示数据（种子 {seed}）……")
        summary = load_demo_city(seed=seed, stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(f"示范市演示数据已就绪，用时 {time.monotonic() - started:.1f} 秒。")
        )
        self.stdout.write("合计：" + "，".join(f"{k} {v}" for k, v in summary.totals().items()))
        print_demo_accounts(self.stdout, seed=seed)
        self.stdout.write(
            f"开放接口（Open311，/open311/v2/）演示应用“{DEMO_APP_NAME}”的密钥："
            f"{demo_open311_key(seed)}\n"
        )
