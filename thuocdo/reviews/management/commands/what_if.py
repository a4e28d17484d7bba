"""`thuocdo rules what-if --period ID [--ruleset R] [--group-ruleset GROUP=R ...]
[--option K=V ...] [--json] [--xlsx FILE] [--user NAME]`: a year re-run under another rule-set
or other options, in memory, writing nothing (DESIGN §4.7; issue 18)."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from thuocdo.org.models import User
from thuocdo.reviews.annual.permissions import can_organise
from thuocdo.reviews.annual.simulation import (
    COLUMN_LABELS,
    COLUMNS,
    CountsRow,
    WhatIf,
    parse_options,
    what_if,
    what_if_json,
)
from thuocdo.reviews.annual.simulation_export import what_if_xlsx
from thuocdo.reviews.models import Period, PeriodKind
from thuocdo.reviews.monthly.selectors import access_period

BAD_INPUT = 2


def _counts(row: CountsRow) -> str:
    before, after = row.cells("before"), row.cells("after")
    shown = [
        f"{COLUMN_LABELS[c]} {b} → {a}"
        for c, b, a in zip(COLUMNS, before, after, strict=True)
        if a or b
    ]
    return f"{row.name}: " + "; ".join(shown)


def render_text(result: WhatIf) -> str:
    """The simulation as Vietnamese text."""
    lines = [
        f"Mô phỏng {result.period} theo: {result.scenario}",
        "(tính trong bộ nhớ, không ghi gì; trước: mức đã kết luận, nếu chưa có thì mức đề xuất)",
        "",
        "Số lượng theo mức (trước → sau):",
        "  " + _counts(result.total),
        "Theo nhóm đối tượng:",
        *("  " + _counts(r) for r in result.by_group),
        "Theo đơn vị:",
        *("  " + _counts(r) for r in result.by_unit if r.changed),
        f"Người, tập thể thay đổi mức ({len(result.changes)}):",
    ]
    for c in result.changes:
        lines.append(
            f"  - {c.subject} ({c.unit}, {c.group}): {c.before or 'chưa có'} → {c.after} — "
            f"quy tắc {c.rule} ({c.citation}): {c.reason}"
        )
    if result.left_out:
        lines.append(f"Không tính ({len(result.left_out)}, chưa có dữ liệu mà bộ quy tắc cần):")
        lines.extend(f"  - {name}" for name in result.left_out)
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "Mô phỏng kết quả xếp loại năm theo bộ quy tắc hoặc tùy chọn khác, không ghi gì."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--period", type=int, required=True, help="mã kỳ đánh giá năm")
        parser.add_argument("--ruleset", help="bộ quy tắc chính thay thế, ví dụ qd-124-2023")
        parser.add_argument(
            "--group-ruleset",
            action="append",
            default=[],
            metavar="NHÓM=BỘ_QUY_TẮC",
            help="bộ quy tắc của một nhóm đối tượng, ví dụ civil_servant=nd-335-2025",
        )
        parser.add_argument(
            "--option",
            action="append",
            default=[],
            metavar="TÊN=GIÁ_TRỊ",
            help="tùy chọn của bộ quy tắc, ví dụ quota_base=good_only (lặp lại được)",
        )
        parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
        parser.add_argument("--xlsx", help="ghi kết quả ra tệp Excel")
        parser.add_argument("--user", help="chạy với quyền của người dùng này (Ban Tổ chức)")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            period = self._period(opts["period"], opts["user"])
            rulesets = dict(period.rulesets)
            for pair in opts["group_ruleset"]:
                group, sep, ruleset = pair.partition("=")
                if not sep:
                    raise ValidationError(f"«{pair}» phải viết dạng nhóm=bộ_quy_tắc.")
                rulesets[group.strip()] = ruleset.strip()
            options = parse_options(opts["option"]) if opts["option"] else None
            if options is not None:
                options = {**period.options, **options}
            result = what_if(period, ruleset=opts["ruleset"], rulesets=rulesets, options=options)
        except ValidationError as error:
            raise CommandError("\n".join(error.messages), returncode=BAD_INPUT) from error
        if opts["xlsx"]:
            Path(opts["xlsx"]).write_bytes(what_if_xlsx(result))
        if opts["json"]:
            self.stdout.write(json.dumps(what_if_json(result), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_text(result), ending="")

    def _period(self, period_id: int, username: str | None) -> Period:
        if username is None:
            period = Period.objects.filter(pk=period_id, kind=PeriodKind.YEAR).first()
            if period is None:
                raise ValidationError(f"Không có kỳ đánh giá năm mã {period_id}.")
            return period
        user = User.objects.filter(username=username).first()
        if user is None:
            raise ValidationError(f"Không có người dùng «{username}».")
        try:
            period = access_period(user, period_id)
            if period.kind != PeriodKind.YEAR or not can_organise(user, period):
                raise PermissionDenied
        except (Http404, PermissionDenied):
            raise ValidationError(f"Không có kỳ đánh giá năm mã {period_id}.") from None
        return period
