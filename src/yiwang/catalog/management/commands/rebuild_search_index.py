"""`yiwang rebuild_search_index`: rebuild the catalogue search index from what is published."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from yiwang.catalog.search import search_index_rebuild


class Command(BaseCommand):
    help = "重建事项搜索索引（已发布的事项和一件事）；在一个事务内完成，重建期间搜索照常可用。"

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        count = search_index_rebuild()
        seconds = time.perf_counter() - started
        message = f"搜索索引已重建：{count} 条，用时 {seconds:.1f} 秒。"
        self.stdout.write(self.style.SUCCESS(message))
