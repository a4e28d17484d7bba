"""The demo city's year under way: this year's annual period of the logins' ward (UBND Phường 1),
opened by `bantochuc` under NĐ 335 (the annual score of a công chức is the mean of their
months), with the year's forms as a ward has them a few days before the deadline:

- the head (`thutruong`) and the deputy with a login (`lanhdao`) wrote their own self-reviews
  (Mẫu 2B), and the head the collective's report (Mẫu 01);
- everyone else without a login had their self-review entered on their behalf (nhập hộ) from
  the paper they handed in: the staff's by their direct leader `lanhdao`, the other deputies'
  by the organiser `bantochuc`; each is marked, audited, and waits for its person's
  confirmation;
- `lanhdao` has assessed the staff whose self-review is in, and `thutruong` the deputies;
- `canhan` has not written hers yet: the first step of the walk through the year (README).

Written through the annual cycle's services, so the audit trail, the scope and the checks hold
for demo data too. A dozen evaluations: a fraction of a second.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from random import Random
from typing import Any

from django.db import transaction

from thuocdo.audit.services import audit_record
from thuocdo.demo.common import DemoError
from thuocdo.demo.registry import LOGIN_UNITS
from thuocdo.org.models import Unit, User
from thuocdo.reviews.annual import services as cycle
from thuocdo.reviews.annual.levels import FORM_CRITERIA
from thuocdo.reviews.models import Evaluation, EvaluationGroup, Period, PeriodKind, SubjectKind
from thuocdo.reviews.monthly.services import period_open

YEAR_RULESET = "nd-335-2025"
WARD_CODE = LOGIN_UNITS[0]
SELF_DUE_DAYS, REVIEW_DUE_DAYS = 10, 20

STRENGTHS = {
    "politics": "Chấp hành nghiêm chủ trương của Đảng, chính sách, pháp luật của Nhà nước.",
    "ethics": "Giữ gìn phẩm chất đạo đức, lối sống giản dị, đoàn kết với đồng nghiệp.",
    "style": "Tác phong làm việc khoa học, tận tụy, phục vụ người dân tận tình.",
    "discipline": "Chấp hành nghiêm sự phân công của tổ chức, nội quy cơ quan.",
    "results": "Hoàn thành các nhiệm vụ trong kế hoạch công tác hằng tháng đúng hạn.",
    "leadership": "Chỉ đạo hoàn thành các chỉ tiêu được giao của lĩnh vực phụ trách.",
    "party_building": "Lãnh đạo công tác xây dựng Đảng, chính quyền đạt kết quả tốt.",
    "tasks": "Hoàn thành các chỉ tiêu kinh tế - xã hội, quốc phòng - an ninh của năm.",
}
SHORTCOMINGS = (
    "Một số báo cáo định kỳ còn chậm so với yêu cầu.",
    "Việc cập nhật hồ sơ trên hệ thống có lúc chưa kịp thời.",
    "Chưa chủ động đề xuất giải pháp cho một số việc phát sinh.",
)
DIRECTION = "Sắp xếp công việc khoa học hơn, chủ động phối hợp để hoàn thành đúng hạn."


def _login(name: str) -> User:
    user = User.objects.filter(username=name).first()
    if user is None:
        raise DemoError(f"Thiếu tài khoản dùng thử «{name}»; hãy dựng lại dữ liệu mẫu.")
    return user


def _sheet(rng: Random, evaluation: Evaluation) -> dict[str, Any]:
    """A self-review as a ward's people write it: a good year (80 to 89 points), HTT."""
    general = Decimal(rng.choice((25, 26, 27)))
    results = Decimal(rng.choice((55, 58, 60, 62)))
    level = "HTT"
    criteria = FORM_CRITERIA[evaluation.form_code]
    return {
        "general": general,
        "results": results,
        "proposed_level": level,
        "strengths": {key: STRENGTHS.get(key, "Hoàn thành tốt.") for key in criteria},
        "shortcomings": rng.choice(SHORTCOMINGS),
        "causes": "Khối lượng công việc lớn, nhiều việc phát sinh đột xuất.",
        "direction": DIRECTION,
    }


def _review(rng: Random) -> dict[str, Any]:
    """The leader's assessment of a good year: HTT, a little under most self-reviews."""
    general, results = Decimal(rng.choice((24, 25, 26))), Decimal(rng.choice((58, 60, 62)))
    return {"general": general, "results": results, "proposed_level": "HTT"}


def demo_year_tour(today: datetime.date) -> list[tuple[str, str]]:
    """Where each demo login finds the year, as the demo command prints it."""
    ward = Unit.objects.filter(code=WARD_CODE).values_list("name", flat=True).first() or WARD_CODE
    year = today.year
    return [
        ("canhan", f"Trang chủ → bản tự kiểm điểm năm {year} (Mẫu 2A) chưa làm; sau khi công "
                   "khai: xem kết quả, kiến nghị"),
        ("lanhdao", f"«Kỳ đánh giá» → Năm {year} — {ward}: «Người tôi đánh giá», đánh giá "
                    "từng người, nhập hộ bản tự kiểm điểm"),
        ("bantochuc", f"«Kỳ đánh giá» → Năm {year} — {ward}: phiếu nhập hộ, thẩm định, đề xuất "
                      "mức xếp loại, công khai"),
        ("thamquyen", f"Trang chủ hoặc «Kỳ đánh giá» → Năm {year} — {ward}: kết luận"),
    ]  # fmt: skip


def demo_year_build(*, seed: int, today: datetime.date) -> dict[str, int]:
    """Open this year's period of the logins' ward and fill it as described above."""
    ward = Unit.objects.filter(code=WARD_CODE).first()
    if ward is None:
        raise DemoError(f"Không có đơn vị {WARD_CODE} trong thành phố mẫu.")
    if Period.objects.filter(kind=PeriodKind.YEAR, year=today.year, unit=ward).exists():
        raise DemoError("Đã có kỳ đánh giá năm của phường; không dựng thêm dữ liệu mẫu.")
    organiser, leader, head = _login("bantochuc"), _login("lanhdao"), _login("thutruong")
    rng = Random(seed)
    counts = {"self": 0, "on_behalf": 0, "reviewed": 0}
    with transaction.atomic():
        period = period_open(
            actor=organiser,
            unit=ward,
            kind=PeriodKind.YEAR,
            year=today.year,
            number=None,
            ruleset=YEAR_RULESET,
            self_due=today + datetime.timedelta(days=SELF_DUE_DAYS),
            review_due=today + datetime.timedelta(days=REVIEW_DUE_DAYS),
        )
        evaluations = list(
            Evaluation.objects.filter(period=period)
            .select_related("person__user", "unit", "post", "period")
            .order_by("kind", "-is_head", "person__sort_key", "id")
        )
        for ev in evaluations:
            user = ev.person.user if ev.person is not None else None
            if ev.kind == SubjectKind.COLLECTIVE:
                cycle.evaluation_self_assess(actor=head, evaluation=ev, **_sheet(rng, ev))
                counts["self"] += 1
            elif user is not None and user.username == "canhan":
                continue  # the first step of the walk through the year
            elif user is not None:
                cycle.evaluation_self_assess(actor=user, evaluation=ev, **_sheet(rng, ev))
                counts["self"] += 1
            else:
                # The staff's paper forms are typed in by their direct leader, the leaders'
                # by the organiser.
                staff = ev.group != EvaluationGroup.LEADER
                writer = leader if staff else organiser
                cycle.evaluation_self_assess(actor=writer, evaluation=ev, **_sheet(rng, ev))
                counts["on_behalf"] += 1
        for ev in evaluations:
            ev.refresh_from_db()
            if ev.kind != SubjectKind.INDIVIDUAL or ev.self_score is None or ev.is_head:
                continue
            reviewer = head if ev.group == EvaluationGroup.LEADER else leader
            if ev.person is not None and ev.person.user_id == reviewer.pk:
                continue
            cycle.evaluation_review(actor=reviewer, evaluation=ev, **_review(rng))
            counts["reviewed"] += 1
        audit_record(
            actor=None,
            action="demo.year_build",
            obj=period,
            after={**counts, "evaluations": len(evaluations), "seed": seed},
            note="Dữ liệu mẫu: kỳ đánh giá năm của phường, đang tự kiểm điểm và đánh giá",
        )
    return {
        "year_evaluations": len(evaluations),
        "year_self_reviews": counts["self"] + counts["on_behalf"],
        "year_on_behalf": counts["on_behalf"],
        "year_reviews": counts["reviewed"],
    }
