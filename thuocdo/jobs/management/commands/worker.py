"""`worker`: work the job queue (django-tasks-db's worker) and run the schedules (the daily
backup and prune, the expiry of job files) beside it. Several workers, on one machine or
several, share the queue safely."""

from __future__ import annotations

import logging
import threading
import time
from argparse import ArgumentParser
from typing import Any

from django.db import close_old_connections, connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from thuocdo.jobs.registry import SCHEDULES

logger = logging.getLogger("thuocdo.jobs")
TICK_SECONDS = 60


def schedules_tick() -> None:
    """Call every registered schedule once with the current time; a failing one is logged."""
    now = timezone.now()
    for func in SCHEDULES:
        try:
            func(now)
        except Exception:
            logger.exception("schedule %s failed", getattr(func, "__name__", func))
    close_old_connections()
    connections.close_all()


def _schedule_loop(stop: threading.Event) -> None:
    while not stop.is_set():
        schedules_tick()
        stop.wait(TICK_SECONDS)


class Command(DbWorkerCommand):
    help = (
        "Chạy các công việc nền (tính kết quả, nhập dữ liệu, xuất báo cáo, sao lưu…) và lịch "
        "hằng ngày (sao lưu, dọn công việc cũ, hủy tệp hết hạn). Có thể chạy nhiều worker cùng "
        "lúc, trên một hay nhiều máy."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        """django-tasks-db's options, and --no-schedule."""
        super().add_arguments(parser)
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="không chạy lịch (sao lưu, dọn công việc cũ) trong worker này",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Start the schedule thread, then work the queue until stopped."""
        stop = threading.Event()
        if not options.pop("no_schedule") and not options.get("batch"):
            threading.Thread(target=_schedule_loop, args=(stop,), daemon=True).start()
        started = time.monotonic()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            logger.info("worker stopped after %.0f s", time.monotonic() - started)
