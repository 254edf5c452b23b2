"""`yiwang worker`: django-tasks-db's `db_worker`, plus the platform's housekeeping.

A daemon thread beside the worker loop
- writes this worker's heartbeat every `--heartbeat-seconds` (15 s), which `/readyz` reads;
- runs the outbox sweep every `--sweep-seconds` (30 s): messages whose task never ran (the process
  died between commit and enqueue) and failed messages whose back-off is over get sent;
- enqueues the day's `DayBegan` announcement when it first sees a new local date (`clock.py`).

Every `db_worker` option (`--queue-name`, `--batch`, `--max-tasks` ...) works as before.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.db import close_old_connections, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from yiwang.platform import clock, services, tasks

log = logging.getLogger("yiwang.worker")

HEARTBEAT_SECONDS = 15.0
SWEEP_SECONDS = 30.0


def worker_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"[:100]


class Housekeeper:
    """Heartbeat and outbox sweep on their own clocks; an error in one round is logged and the
    next round runs as usual."""

    def __init__(
        self,
        *,
        worker: str,
        heartbeat_seconds: float = HEARTBEAT_SECONDS,
        sweep_seconds: float = SWEEP_SECONDS,
    ) -> None:
        self.worker = worker
        self.heartbeat_seconds = heartbeat_seconds
        self.sweep_seconds = sweep_seconds
        self.stopped = threading.Event()
        self._next_sweep = 0.0
        self._announced: date | None = None

    def run_once(self, *, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        try:
            services.worker_heartbeat_beat(worker=self.worker)
        except Exception:
            log.exception("worker heartbeat failed")
        if now >= self._next_sweep:
            self._next_sweep = now + self.sweep_seconds
            try:
                sent = tasks.deliver_due_outbox_messages.call()
            except Exception:
                log.exception("outbox sweep failed")
            else:
                if sent:
                    log.info("outbox sweep sent %s messages", sent)
        self._announce_today()

    def _announce_today(self) -> None:
        """Enqueue the day's announcement when this process first sees a new local date; the
        task itself makes sure that only one worker's announcement counts."""
        today = clock.local_today()
        if self._announced == today:
            return
        try:
            tasks.announce_day.enqueue(today.isoformat())
        except Exception:
            log.exception("daily announcement failed")
        else:
            self._announced = today

    def run(self) -> None:
        try:
            # The first round runs at once, so a worker is "ready" as soon as it starts.
            while True:
                close_old_connections()
                self.run_once()
                if self.stopped.wait(self.heartbeat_seconds):
                    break
        finally:
            connections.close_all()

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.run, name="yiwang-housekeeping", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self.stopped.set()


class Command(DbWorkerCommand):
    help = "运行后台任务进程（db_worker），并定时写入心跳、补发到期的待发消息。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--heartbeat-seconds",
            type=float,
            default=HEARTBEAT_SECONDS,
            help="Seconds between heartbeats (default: %(default)r)",
        )
        parser.add_argument(
            "--sweep-seconds",
            type=float,
            default=SWEEP_SECONDS,
            help="Seconds between outbox sweeps (default: %(default)r)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        housekeeper = Housekeeper(
            worker=worker_name(),
            heartbeat_seconds=options.pop("heartbeat_seconds"),
            sweep_seconds=options.pop("sweep_seconds"),
        )
        # Under --reload the parent process only restarts the child: the child keeps house.
        reloading_parent = options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        thread = None if reloading_parent else housekeeper.start()
        try:
            super().handle(*args, **options)
        finally:
            housekeeper.stop()
            if thread is not None:
                thread.join(timeout=5)
