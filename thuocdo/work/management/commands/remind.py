"""`remind [--days 3]`: remind people of tasks due soon or overdue, in-app and by e-mail."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from thuocdo.org.scope import today
from thuocdo.work.reminders import reminders_send


class Command(BaseCommand):
    help = "Nhắc việc: nhiệm vụ sắp đến hạn và quá hạn (thông báo trong hệ thống và e-mail)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=3, help="Số ngày trước hạn (mặc định 3).")

    def handle(self, *args: Any, **options: Any) -> None:
        """Send the reminders and say how many."""
        sent = reminders_send(days=options["days"], at=today())
        self.stdout.write(f"Đã gửi {sent} lời nhắc.")
