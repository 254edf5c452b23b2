"""The demo city's Open311 client app, with a key derived from the seed so that `make demo`
can print it on every run (a real installation issues keys in the admin, shown once)."""

from __future__ import annotations

import hashlib

from yiwang.hotline.models import Open311Client
from yiwang.hotline.services import open311_key_register
from yiwang.project.demo.context import DemoContext

DEMO_APP_NAME = "示范市随手拍演示应用"


def demo_open311_key(seed: int) -> str:
    return "demo" + hashlib.sha256(f"yiwang-demo-open311:{seed}".encode()).hexdigest()[:36]


def load_open311(ctx: DemoContext) -> None:
    before = Open311Client.objects.count()
    open311_key_register(name=DEMO_APP_NAME, key=demo_open311_key(ctx.seed), actor=None)
    total = Open311Client.objects.count()
    ctx.summary.add("开放接口应用", total=total, created=total - before)
