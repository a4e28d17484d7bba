"""`periods open-due [--date YYYY-MM-DD]`: open this month over every unit whose option asks
for it and give the months that are over their levels (run daily by a scheduler; twice in a
day changes nothing more). `periods open --unit CODE --year Y --month M [--schedule]`: open a
month over a subtree (the whole city) once, as the given account."""

from __future__ import annotations

import datetime
import importlib
from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from thuocdo.org.models import Unit, User
from thuocdo.org.scope import today
from thuocdo.reviews.models import PeriodKind
from thuocdo.reviews.monthly import schedule, services

DEFAULT_RULESET = "nd-335-2025"


def _actor(username: str | None) -> User:
    """The named active account, or the registry import's default (the first administrator)."""
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
    else:
        registry_import = importlib.import_module("thuocdo.org.management.commands.import")
        user = registry_import.system_administrator()
    if user is None:
        raise CommandError("Không tìm thấy tài khoản để mở kỳ (--user).")
    return user


class Command(BaseCommand):
    help = "Kỳ đánh giá tháng: tự động mở kỳ tháng đến hạn, hoặc mở một kỳ tháng cho cả đơn vị."

    def add_arguments(self, parser: ArgumentParser) -> None:
        """The two sub-commands and their options."""
        sub = parser.add_subparsers(dest="action", required=True)
        due = sub.add_parser("open-due", help="mở kỳ tháng đến hạn theo lịch của các đơn vị")
        due.add_argument("--date", help="ngày chạy (YYYY-MM-DD), mặc định hôm nay")
        one = sub.add_parser("open", help="mở kỳ tháng cho một đơn vị và mọi đơn vị trực thuộc")
        one.add_argument("--unit", required=True, help="mã đơn vị (ví dụ mã thành phố)")
        one.add_argument("--year", type=int, required=True)
        one.add_argument("--month", type=int, required=True)
        one.add_argument("--ruleset", default=DEFAULT_RULESET)
        one.add_argument(
            "--schedule", action="store_true", help="các tháng sau tự mở vào ngày đầu tháng"
        )
        one.add_argument("--user", help="mở với quyền của tài khoản này")

    def handle(self, *args: Any, **options: Any) -> None:
        """Dispatch to the sub-command."""
        try:
            if options["action"] == "open-due":
                self._open_due(options["date"])
            else:
                self._open(options)
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error

    def _open_due(self, raw: str | None) -> None:
        try:
            at = datetime.date.fromisoformat(raw) if raw else today()
        except ValueError as error:
            raise CommandError(f"Ngày «{raw}» không hợp lệ (YYYY-MM-DD).") from error
        opened = schedule.months_open_due(at=at)
        for period in opened:
            self.stdout.write(f"Đã mở {period}.")
        finalised = 0
        for period in schedule.months_to_finalise(at):
            try:
                count = services.month_scores_finalise(period=period, at=at)
            except ValidationError as error:
                # A month closed before its levels were given stays as it was closed; the
                # other months are still finalised.
                self.stdout.write(f"Không xếp loại {period}: {' '.join(error.messages)}")
                continue
            finalised += 1
            self.stdout.write(f"Đã xếp loại {period}: {count} người.")
        self.stdout.write(
            self.style.SUCCESS(f"Mở {len(opened)} kỳ tháng, xếp loại {finalised} kỳ đã kết thúc.")
        )

    def _open(self, options: dict[str, Any]) -> None:
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"Không tìm thấy đơn vị «{options['unit']}».")
        actor = _actor(options["user"])
        period = services.period_open(
            actor=actor,
            unit=unit,
            kind=PeriodKind.MONTH,
            year=options["year"],
            number=options["month"],
            ruleset=options["ruleset"],
        )
        self.stdout.write(self.style.SUCCESS(f"Đã mở {period}."))
        if options["schedule"]:
            schedule.month_schedule_set(actor=actor, unit=unit, ruleset=options["ruleset"])
            self.stdout.write(
                "Các tháng sau sẽ tự mở vào ngày đầu tháng (thuocdo periods open-due)."
            )
