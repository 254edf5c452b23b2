"""`yiwang rotate_keys`: re-encrypt personal data under the current data key.

Put the new key first in YIWANG_DATA_KEYS (keep the old ones after it), restart, run this, and
remove an old key only when a run reports nothing left under it (docs/operations.md).
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from yiwang.platform import crypto, services


class Command(BaseCommand):
    help = "把所有加密字段中不是当前密钥加密的值，用当前密钥重新加密。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--dry-run", action="store_true", help="Count values under old keys, change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = bool(options["dry_run"])
        counts = services.data_keys_rotate(batch_size=options["batch_size"], dry_run=dry_run)
        verb = "would re-encrypt" if dry_run else "re-encrypted"
        for count in counts:
            self.stdout.write(f"{count.field}: {verb} {count.rotated}")
        total = sum(count.rotated for count in counts)
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {total} values in {len(counts)} columns; "
                f"current key: {crypto.keyring().current_id}"
            )
        )
