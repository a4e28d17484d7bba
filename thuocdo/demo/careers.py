"""The demo city's careers: a planning pool with training records, a rotation, and people
constructed to trigger each review flag of last year (and no one else).

Runs after `thuocdo.demo.history` (it reads and adjusts last year's imported results) and
writes through the careers services (and the ballots', in `thuocdo.demo.votes`) where they
exist, so the audit trail and the secret-ballot rules hold for demo data too. Everything drawn
at random comes from one `random.Random(seed)`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from random import Random

from django.db import transaction

from thuocdo.audit.services import audit_record
from thuocdo.careers import rules, services
from thuocdo.careers.models import PlanningPool
from thuocdo.demo.common import DemoError, posts_held
from thuocdo.demo.votes import confidence_vote_build
from thuocdo.org.models import Person, Post, Unit, User
from thuocdo.reports.history.counts import history_counts_refresh
from thuocdo.reports.models import HistoricalResult
from thuocdo.reviews.models import EvaluationGroup
from thuocdo.targets.models import Indicator, IndicatorActual, TargetSet, TargetSetState

DISTRICT = "Q01"
POOL_TITLE = "Chủ tịch UBND phường"
DEPUTY_TITLE = "Phó Chủ tịch UBND phường"
# Ward offices (by position under DISTRICT) holding the people constructed for each flag.
FAIL_WARD, VOTE_WARD, TARGETS_WARD, ROTATION_WARD = 1, 2, 3, 4
STANDARD_SOURCE = "Tiêu chuẩn chức danh do cấp ủy quy định (dữ liệu mẫu)"


def _wards(district: Unit) -> list[Unit]:
    """The People's Committees of the district's wards, in code order."""
    units = Unit.objects.filter(path__startswith=district.path, code__endswith="-UB")
    wards = list(units.order_by("code"))
    if len(wards) <= ROTATION_WARD:
        raise DemoError("Thành phố mẫu quá nhỏ để dựng dữ liệu quy hoạch, luân chuyển.")
    return wards


def _fail_two_years(ward: Unit, year: int, at: datetime.date) -> list[Person]:
    """Two civil servants of the ward KHT in the last two years; any other person who drew KHT
    in both years by chance is lifted to HTNV in the earlier one, so the flag means the demo."""
    staff = [p.person for p in posts_held(ward, at) if not (p.is_head or p.is_deputy)][:2]
    HistoricalResult.objects.filter(
        person__in=staff, year__in=(year - 1, year), group=EvaluationGroup.CIVIL_SERVANT
    ).update(level="KHT", score=Decimal(42))
    last = set(
        HistoricalResult.objects.filter(year=year, level="KHT", person__isnull=False)
        .exclude(person__in=staff)
        .values_list("person_id", flat=True)
    )
    HistoricalResult.objects.filter(year=year - 1, level="KHT", person_id__in=last).update(
        level="HTNV", score=Decimal(55)
    )
    history_counts_refresh(years=(year - 1, year))
    return staff


def _head_under_targets(ward: Unit, year: int, at: datetime.date) -> Person:
    """The ward's chairman, whose committee met 6 of its 10 targets last year."""
    head = next(p.person for p in posts_held(ward, at) if p.is_head)
    ts = TargetSet.objects.create(
        unit=ward,
        head_person=head,
        year=year,
        title=f"Chỉ tiêu năm {year} — {ward.name}",
        state=TargetSetState.CLOSED,
        decision_number=f"15/QĐ-UBND ngày 10/01/{year}",
        assigned_on=datetime.date(year, 1, 10),
    )
    names = [
        "Thu ngân sách trên địa bàn",
        "Giải quyết hồ sơ hành chính đúng hạn",
        "Hộ gia đình đạt chuẩn văn hóa",
        "Cấp giấy chứng nhận quyền sử dụng đất",
        "Giảm hộ nghèo",
        "Tỷ lệ tham gia bảo hiểm y tế",
        "Chỉnh trang vỉa hè, chiếu sáng",
        "Thu gom, xử lý rác thải",
        "Tiếp công dân định kỳ",
        "Giải quyết đơn thư đúng hạn",
    ]
    for i, name in enumerate(names):
        indicator = Indicator.objects.create(
            target_set=ts, code=f"CT{i + 1:02d}", name=name, target=Decimal(100), position=i
        )
        IndicatorActual.objects.create(
            indicator=indicator,
            period=datetime.date(year, 12, 31),
            value=Decimal(104) if i < 6 else Decimal(71),
        )
    return head


def _pool(district: Unit, admin: User, term: int, at: datetime.date, rng: Random) -> PlanningPool:
    """The district's pool of ward chairmen: every deputy chairman of its wards, with their
    training (some short of the title's standards)."""
    services.title_standard_set(
        actor=admin,
        title=POOL_TITLE,
        requirements=[
            {"subject": "political_theory", "level": "Cao cấp", "source": STANDARD_SOURCE},
            {
                "subject": "state_management",
                "level": "Chuyên viên chính",
                "source": STANDARD_SOURCE,
            },
        ],
    )
    chairs = Post.objects.active(at).filter(unit__path__startswith=district.path, title=POOL_TITLE)
    pool = services.pool_create(
        actor=admin,
        unit=district,
        title=POOL_TITLE,
        term_start=term,
        term_end=term + 5,
        posts=max(1, chairs.count()),
        women_min=Decimal("0.3"),
        minority_min=Decimal("0.05"),
        ratio_min=Decimal(2),
        ratio_max=Decimal(3),
        band_min={rules.AGE_BANDS[0][0]: 2},
    )
    deputies = (
        Post.objects.active(at)
        .filter(unit__path__startswith=district.path, title=DEPUTY_TITLE)
        .select_related("person")
        .order_by("person__code")
    )
    for post in deputies:
        services.pool_candidate_add(actor=admin, pool=pool, person=post.person)
        theory = rng.choice(("Trung cấp", "Cao cấp", "Cao cấp"))
        services.training_record(
            actor=admin,
            person=post.person,
            kind="degree",
            subject="political_theory",
            level=theory,
            name=f"{theory} lý luận chính trị",
            institution="Trường Chính trị Thành phố Mẫu",
            end_date=datetime.date(rng.randint(2012, at.year - 1), 6, 30),
        )
        grade = rng.choice(("Chuyên viên", "Chuyên viên chính"))
        services.training_record(
            actor=admin,
            person=post.person,
            kind="certificate",
            subject="state_management",
            level=grade,
            name=f"Bồi dưỡng kiến thức quản lý nhà nước ngạch {grade.lower()}",
            end_date=datetime.date(rng.randint(2012, at.year - 1), 11, 30),
        )
    return pool


def _rotate(district: Unit, ward: Unit, admin: User, at: datetime.date) -> Person:
    """A district official rotated to a ward as deputy chairman on the 1st of this month."""
    office = Unit.objects.filter(path__startswith=district.path, code=f"{district.code}-UBND")
    source = office.first() or district
    post = next(
        p for p in posts_held(source, at) if not (p.is_head or p.is_deputy) and p.start_date < at
    )
    services.rotation_record(
        actor=admin,
        from_post=post,
        to_unit=ward,
        title=DEPUTY_TITLE,
        is_deputy=True,
        start_date=at.replace(day=1) if at.day > 1 else at,
        kind="luan_chuyen",
        purpose="Luân chuyển cán bộ trẻ trong quy hoạch về cơ sở để rèn luyện qua thực tiễn.",
        decision_number=f"215-QĐ/QU ngày {at.replace(day=1):%d/%m/%Y}",
    )
    return post.person


@transaction.atomic
def demo_careers_build(*, seed: int, today: datetime.date) -> dict[str, int]:
    """Build the careers demo over a demo city that has its past years."""
    admin = (
        User.objects.filter(is_superuser=True).order_by("id").first()
        or User.objects.filter(roles__role="admin").order_by("id").first()
    )
    district = Unit.objects.filter(code=DISTRICT).first()
    if admin is None or district is None:
        raise DemoError("Chưa có thành phố mẫu để dựng dữ liệu quy hoạch, luân chuyển.")
    rng = Random(seed * 7 + 8)
    year = today.year - 1
    wards = _wards(district)
    failed = _fail_two_years(wards[FAIL_WARD], year, today)
    low = confidence_vote_build(wards[VOTE_WARD], year, admin, rng)
    head = _head_under_targets(wards[TARGETS_WARD], year, today)
    pool = _pool(district, admin, today.year, today, rng)
    rotated = _rotate(district, wards[ROTATION_WARD], admin, today)
    flagged = {
        rules.FLAG_FAIL_TWO_YEARS: [p.code for p in failed],
        rules.FLAG_LOW_CONFIDENCE: [low.code],
        rules.FLAG_HEAD_TARGETS: [head.code],
    }
    audit_record(
        actor=None,
        action="demo.careers_build",
        object_type="careers",
        after={"year": year, "flagged": flagged, "pool": pool.pk, "rotated": rotated.code},
    )
    return {
        "pools": 1,
        "candidates": pool.candidates.count(),
        "rotations": 1,
        "flagged": sum(len(v) for v in flagged.values()),
    }
