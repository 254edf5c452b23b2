"""`yiwang open311_key "<app name>"`: issue an Open311 API key for a client app and print it.

The key is printed once and stored only as a hash: hand it to the app's developers now.
Revoke it in the admin (开放接口应用 → 吊销所选应用的密钥).
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yiwang.hotline.services import open311_key_issue
from yiwang.platform.errors import InvalidInput


class Command(BaseCommand):
    help = "为开放接口（Open311）的客户端应用签发密钥，并打印一次。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("name", help="应用名称")
        parser.add_argument("--contact", default="", help="联系人")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            issued = open311_key_issue(name=options["name"], contact=options["contact"], actor=None)
        except InvalidInput as error:
            raise CommandError(
                "；".join(e.message for e in error.errors) or error.message
            ) from None
        self.stdout.write(issued.key)
        self.stderr.write(
            f"已为“{issued.client.name}”签发密钥（前缀 {issued.client.key_prefix}）。"
            "密钥只显示这一次，请妥善交给应用开发者。"
        )
