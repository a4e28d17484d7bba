"""This year's targets of heads (evaluation by products): districts, city departments and the
logins' ward, their monthly actuals, one or two sets that fare badly.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from random import Random

from thuocdo.demo.common import Progress
from thuocdo.demo.registry import BATCH, DEPARTMENTS
from thuocdo.org.models import Post, Unit, User
from thuocdo.targets.models import (
    Aggregation,
    Direction,
    Indicator,
    IndicatorActual,
    IndicatorGroup,
    TargetSet,
    TargetSetState,
)

from .city import DISTRICT_CODE, STAGE_TARGETS, WARD_CODE, _City

# ---------------------------------------------------------------------------------------------
# Targets of heads (evaluation by products).

PARTY, ECONOMY, DEFENCE, OTHER = (g.value for g in IndicatorGroup)
MORE, LESS = Direction.MORE.value, Direction.LESS.value
SUM, LAST = Aggregation.SUM.value, Aggregation.LAST.value
REFORM = "Cải cách hành chính"


@dataclass(frozen=True)
class _Indicator:
    """An indicator template: the target is drawn from `low`–`high` with `places` decimals."""

    group: str
    name: str
    unit: str
    low: float
    high: float
    places: int = 0
    direction: str = MORE
    aggregation: str = SUM
    main: bool = False
    weight: int = 1
    label: str = ""

    @property
    def is_rate(self) -> bool:
        return self.unit == "%"


DISTRICT_INDICATORS = (
    _Indicator(PARTY, "Kết nạp đảng viên mới", "đảng viên", 120, 260, main=True, weight=2),
    _Indicator(PARTY, "Tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên", "%", 85, 90,
               aggregation=LAST),
    _Indicator(PARTY, "Đảng viên hoàn thành tốt nhiệm vụ trở lên", "%", 88, 92, aggregation=LAST),
    _Indicator(PARTY, "Giải quyết đơn thư khiếu nại, tố cáo thuộc thẩm quyền", "%", 92, 95,
               aggregation=LAST),
    _Indicator(PARTY, "Phát triển đoàn viên, hội viên các đoàn thể", "người", 1500, 3200),
    _Indicator(ECONOMY, "Tốc độ tăng trưởng giá trị sản xuất (GRDP) trên địa bàn", "%", 7.5, 9.5,
               1, aggregation=LAST, main=True, weight=3),
    _Indicator(ECONOMY, "Thu ngân sách nhà nước trên địa bàn", "tỷ đồng", 900, 3200, 1,
               main=True, weight=3),
    _Indicator(ECONOMY, "Giải ngân vốn đầu tư công được giao", "%", 95, 95, aggregation=LAST,
               main=True, weight=2),
    _Indicator(ECONOMY, "Tỷ lệ hộ nghèo", "%", 0.8, 2.4, 2, LESS, LAST),
    _Indicator(ECONOMY, "Tạo việc làm mới", "người", 2200, 5200),
    _Indicator(ECONOMY, "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 93, 95, 1, aggregation=LAST),
    _Indicator(ECONOMY, "Trường học được công nhận đạt chuẩn quốc gia", "trường", 3, 8),
    _Indicator(ECONOMY, "Tỷ lệ rác thải sinh hoạt được thu gom, xử lý", "%", 97, 99,
               aggregation=LAST),
    _Indicator(DEFENCE, "Hoàn thành chỉ tiêu tuyển quân", "%", 100, 100, aggregation=LAST,
               main=True, weight=2),
    _Indicator(DEFENCE, "Số vụ tai nạn giao thông", "vụ", 30, 80, direction=LESS),
    _Indicator(DEFENCE, "Số vụ phạm pháp hình sự", "vụ", 40, 120, direction=LESS),
    _Indicator(OTHER, "Hồ sơ thủ tục hành chính giải quyết đúng hạn", "%", 98, 98, 1,
               aggregation=LAST, main=True, weight=2, label=REFORM),
    _Indicator(OTHER, "Chỉ số hài lòng của người dân (SIPAS)", "%", 85, 90, aggregation=LAST,
               label=REFORM),
)  # fmt: skip
RURAL_INDICATORS = (
    _Indicator(ECONOMY, "Xã đạt chuẩn nông thôn mới nâng cao", "xã", 2, 4),
    _Indicator(ECONOMY, "Giá trị sản xuất trên 1 ha đất nông nghiệp", "triệu đồng", 180, 240,
               aggregation=LAST),
)  # fmt: skip
DEPARTMENT_INDICATORS = (
    _Indicator(PARTY, "Kết nạp đảng viên mới", "đảng viên", 8, 25, main=True, weight=2),
    _Indicator(PARTY, "Chi bộ hoàn thành tốt nhiệm vụ trở lên", "%", 85, 90, aggregation=LAST),
    _Indicator(PARTY, "Đảng viên hoàn thành tốt nhiệm vụ trở lên", "%", 88, 92, aggregation=LAST),
    _Indicator(PARTY, "Công chức được bồi dưỡng lý luận chính trị, chuyên môn", "người", 20, 60),
    _Indicator(ECONOMY, "Văn bản tham mưu trình đúng hạn", "%", 95, 95, aggregation=LAST,
               main=True, weight=2),
    _Indicator(ECONOMY, "Giải ngân vốn đầu tư công được giao", "%", 95, 95, aggregation=LAST,
               main=True, weight=2),
    _Indicator(ECONOMY, "Tiết kiệm chi thường xuyên", "tỷ đồng", 2, 12, 1),
    _Indicator(ECONOMY, "Kết luận thanh tra, kiểm toán được thực hiện", "%", 100, 100,
               aggregation=LAST),
    _Indicator(DEFENCE, "Công chức được bồi dưỡng kiến thức quốc phòng, an ninh", "người", 10, 40),
    _Indicator(DEFENCE, "Vụ việc mất an ninh, an toàn cơ quan", "vụ", 0, 0, direction=LESS),
    _Indicator(OTHER, "Hồ sơ thủ tục hành chính giải quyết đúng hạn", "%", 98, 98, 1,
               aggregation=LAST, main=True, weight=2, label=REFORM),
    _Indicator(OTHER, "Hồ sơ trực tuyến toàn trình", "%", 75, 85, aggregation=LAST, label=REFORM),
    _Indicator(OTHER, "Chỉ số cải cách hành chính (PAR Index)", "điểm", 85, 90, 1,
               aggregation=LAST, label=REFORM),
)  # fmt: skip
# Each department's own targets, by the code suffix of `DEPARTMENTS` (the registry's).
DEPARTMENT_OWN: dict[str, tuple[_Indicator, ...]] = {
    "SNV": (
        _Indicator(ECONOMY, "Đơn vị sự nghiệp công lập được sắp xếp theo đề án", "%", 100, 100,
                   aggregation=LAST, main=True, weight=2),
        _Indicator(ECONOMY, "Hồ sơ nâng lương, chuyển ngạch được giải quyết", "hồ sơ", 600, 900),
    ),
    "STC": (
        _Indicator(ECONOMY, "Thu ngân sách nhà nước toàn thành phố", "tỷ đồng", 42000, 56000,
                   main=True, weight=3),
        _Indicator(ECONOMY, "Hồ sơ quyết toán dự án hoàn thành được thẩm tra", "hồ sơ", 300, 450),
    ),
    "SGDDT": (
        _Indicator(ECONOMY, "Tỷ lệ học sinh tốt nghiệp trung học phổ thông", "%", 98, 99, 1,
                   aggregation=LAST, main=True, weight=2),
        _Indicator(ECONOMY, "Trường học đạt chuẩn quốc gia (toàn thành phố)", "trường", 25, 40),
    ),
    "SYT": (
        _Indicator(ECONOMY, "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 94, 95, 1,
                   aggregation=LAST, main=True, weight=2),
        _Indicator(ECONOMY, "Số giường bệnh trên một vạn dân", "giường", 32, 34, 1,
                   aggregation=LAST),
    ),
    "SXD": (
        _Indicator(ECONOMY, "Căn hộ nhà ở xã hội hoàn thành", "căn", 1500, 3000, main=True),
        _Indicator(ECONOMY, "Tỷ lệ đô thị hóa", "%", 52, 56, 1, aggregation=LAST),
    ),
    "SNNMT": (
        _Indicator(ECONOMY, "Xã đạt chuẩn nông thôn mới nâng cao", "xã", 6, 12, main=True),
        _Indicator(ECONOMY, "Tỷ lệ chất thải rắn sinh hoạt được thu gom, xử lý", "%", 98, 99,
                   aggregation=LAST),
    ),
    "STP": (
        _Indicator(ECONOMY, "Phiếu lý lịch tư pháp cấp đúng hạn", "%", 99, 99, aggregation=LAST,
                   main=True, weight=2),
        _Indicator(ECONOMY, "Dự thảo văn bản quy phạm pháp luật được thẩm định", "văn bản", 60, 90),
    ),
    "SCT": (
        _Indicator(ECONOMY, "Tốc độ tăng tổng mức bán lẻ hàng hóa, dịch vụ", "%", 10, 12, 1,
                   aggregation=LAST, main=True, weight=2),
        _Indicator(ECONOMY, "Kim ngạch xuất khẩu", "triệu USD", 3500, 5000),
    ),
    "SVHTT": (
        _Indicator(ECONOMY, "Lượt khách du lịch", "nghìn lượt", 9000, 12000, main=True),
        _Indicator(ECONOMY, "Gia đình đạt danh hiệu gia đình văn hóa", "%", 90, 92,
                   aggregation=LAST),
    ),
    "SKHCN": (
        _Indicator(ECONOMY, "Doanh nghiệp khoa học và công nghệ được chứng nhận", "doanh nghiệp",
                   15, 30, main=True),
        _Indicator(ECONOMY, "Đóng góp của năng suất các nhân tố tổng hợp (TFP) vào tăng trưởng",
                   "%", 45, 48, 1, aggregation=LAST),
    ),
    "TTR": (
        _Indicator(ECONOMY, "Cuộc thanh tra hành chính hoàn thành", "cuộc", 40, 60, main=True),
        _Indicator(ECONOMY, "Kiến nghị thu hồi về ngân sách", "tỷ đồng", 80, 200, 1),
    ),
    "VPUB": (
        _Indicator(ECONOMY, "Nhiệm vụ UBND thành phố giao hoàn thành đúng hạn", "%", 95, 95,
                   aggregation=LAST, main=True, weight=2),
        _Indicator(ECONOMY, "Văn bản chỉ đạo, điều hành phát hành đúng hạn", "%", 98, 98,
                   aggregation=LAST),
    ),
}  # fmt: skip
WARD_INDICATORS = (
    _Indicator(PARTY, "Kết nạp đảng viên mới", "đảng viên", 8, 15, main=True, weight=2),
    _Indicator(PARTY, "Chi bộ khu phố hoàn thành tốt nhiệm vụ trở lên", "%", 85, 90,
               aggregation=LAST),
    _Indicator(ECONOMY, "Thu ngân sách nhà nước trên địa bàn phường", "tỷ đồng", 60, 140, 1,
               main=True, weight=3),
    _Indicator(ECONOMY, "Tỷ lệ hộ nghèo", "%", 0.5, 1.2, 2, LESS, LAST),
    _Indicator(ECONOMY, "Tạo việc làm mới", "người", 250, 450),
    _Indicator(ECONOMY, "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 93, 95, 1, aggregation=LAST),
    _Indicator(ECONOMY, "Công trình vi phạm trật tự xây dựng được xử lý", "%", 100, 100,
               aggregation=LAST),
    _Indicator(ECONOMY, "Hộ gia đình đạt danh hiệu gia đình văn hóa", "%", 90, 93,
               aggregation=LAST),
    _Indicator(DEFENCE, "Hoàn thành chỉ tiêu tuyển quân", "%", 100, 100, aggregation=LAST,
               main=True, weight=2),
    _Indicator(DEFENCE, "Số vụ phạm pháp hình sự", "vụ", 6, 15, direction=LESS),
    _Indicator(DEFENCE, "Số vụ cháy, nổ", "vụ", 2, 4, direction=LESS),
    _Indicator(OTHER, "Hồ sơ thủ tục hành chính giải quyết đúng hạn", "%", 98, 98, 1,
               aggregation=LAST, main=True, weight=2, label=REFORM),
    _Indicator(OTHER, "Chỉ số hài lòng của người dân (SIPAS)", "%", 85, 90, aggregation=LAST,
               label=REFORM),
)  # fmt: skip

# How a set fares: the share of non-main indicators missed, and how many main ones miss.
GOOD, REVIEW, VETO = "good", "review", "veto"


def _q(value: float | Decimal, places: int) -> Decimal:
    """A value rounded to `places` decimals."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places))


@dataclass
class _TargetSetPlan:
    """A target set to write: its unit, head post, indicators and how it fares."""

    unit: Unit
    head_post: Post | None
    indicators: Sequence[_Indicator]
    fate: str
    issuer: str  # of the actuals' reports, e.g. "BC-QU"


class _Targets:
    """Plans this year's targets of heads, their monthly actuals and the misses."""

    def __init__(self, city: _City, rng: Random) -> None:
        self.city, self.rng = city, rng
        self.year = city.today.year
        # Months with a result so far: up to last month (January reports January itself).
        self.months = max(1, city.today.month - 1)

    def plans(self) -> list[_TargetSetPlan]:
        """Every district, every city department and the logins' ward; one or two fare badly."""
        heads = {
            post.unit_id: post
            for post in Post.objects.active(self.city.today)
            .filter(is_head=True)
            .order_by("unit_id", "start_date", "id")
            .select_related("person")
        }
        departments = {f"TP-{suffix}" for suffix, _ in DEPARTMENTS}
        units = Unit.objects.filter(is_active=True).order_by("path")
        districts = [u for u in units if DISTRICT_CODE.match(u.code)]
        offices = [u for u in units if u.code in departments]
        ward = [u for u in units if u.code == WARD_CODE]
        rng = self.rng
        plans: list[_TargetSetPlan] = []
        for unit in districts:
            picked = list(DISTRICT_INDICATORS)
            if unit.code.startswith("H"):
                picked += RURAL_INDICATORS
            # Not every district is given every indicator.
            optional = [i for i in picked if not i.main]
            for dropped in rng.sample(optional, rng.randint(0, 3)):
                picked.remove(dropped)
            plans.append(_TargetSetPlan(unit, heads.get(unit.pk), picked, GOOD, "BC-QU"))
        for unit in offices:
            own = DEPARTMENT_OWN.get(unit.code.removeprefix("TP-"), ())
            picked = [*DEPARTMENT_INDICATORS[:4], *own, *DEPARTMENT_INDICATORS[4:]]
            suffix = unit.code.removeprefix("TP-")
            plans.append(_TargetSetPlan(unit, heads.get(unit.pk), picked, GOOD, f"BC-{suffix}"))
        for unit in ward:
            plans.append(_TargetSetPlan(unit, heads.get(unit.pk), WARD_INDICATORS, GOOD, "BC-UBND"))
        # A district other than the logins' misses badly (veto), a department less (review).
        bad_districts = [p for p in plans if p.unit in districts and p.unit.code != "Q01"]
        if bad_districts:
            bad_districts[rng.randrange(len(bad_districts))].fate = VETO
        if offices:
            office_plans = [p for p in plans if p.unit in offices]
            office_plans[rng.randrange(len(office_plans))].fate = REVIEW
        return plans

    def _misses(self, plan: _TargetSetPlan) -> set[int]:
        """Indexes of the indicators a set misses, by its fate."""
        rng = self.rng
        mains = [n for n, i in enumerate(plan.indicators) if i.main]
        others = [n for n, i in enumerate(plan.indicators) if not i.main]
        size = len(plan.indicators)
        if plan.fate == VETO:
            # Over half missed, two main targets among them: under 50% met (the veto).
            missed = set(rng.sample(mains, min(2, len(mains))))
            need = size // 2 + 1 - len(missed)
            return missed | set(rng.sample(others, min(len(others), max(0, need))))
        if plan.fate == REVIEW:
            # A third missed, one main target among them: 50–70% met (the review signal).
            missed = set(rng.sample(mains, min(1, len(mains))))
            need = size * 35 // 100 + 1 - len(missed)
            return missed | set(rng.sample(others, min(len(others), max(0, need))))
        return {n for n in others if rng.random() < 0.18}

    def _final(self, spec: _Indicator, target: Decimal, missed: bool, fate: str) -> Decimal:
        """The result so far that gives the indicator its achievement (met or missed)."""
        rng = self.rng
        step = Decimal(1).scaleb(-spec.places)
        if spec.direction == LESS and target == 0:
            return Decimal(rng.randint(1, 2)) if missed else Decimal(0)
        if missed:
            low = 0.55 if fate == VETO and spec.main else 0.82
            ratio = rng.uniform(low, 0.98)
        else:
            ratio = rng.uniform(1.0, 1.12)
        raw = (
            target * Decimal(str(ratio)) if spec.direction == MORE else target / Decimal(str(ratio))
        )
        value = _q(raw, spec.places)
        if spec.is_rate:
            value = min(value, Decimal(100))
        meets = value >= target if spec.direction == MORE else value <= target
        # Rounding (or the 100% ceiling of a rate) must not turn a miss into a hit, or back.
        if missed and meets:
            value = target - step if spec.direction == MORE else target + step
        elif not missed and not meets:
            value = target if spec.direction == MORE else max(Decimal(0), target - step)
        return max(value, Decimal(0))

    def _series(self, spec: _Indicator, final: Decimal) -> list[Decimal]:
        """Monthly actuals ending at the result so far.

        Summed indicators spread the result over the months so far, so that the dashboard
        (which compares their sum with the year's target) shows how the head stands rather
        than how much of the year has passed. Rates climb (or fall) towards the latest value.
        """
        rng, months = self.rng, self.months
        if spec.aggregation == LAST:
            values = []
            for m in range(1, months + 1):
                gap = Decimal(str(rng.uniform(0.02, 0.08))) * (months - m) / months
                scaled = final * (1 - gap) if spec.direction == MORE else final * (1 + gap)
                value = _q(scaled, spec.places)
                values.append(min(value, Decimal(100)) if spec.is_rate else value)
            values[-1] = final
            return values
        # Whole steps (1, or 0.1 for one decimal...) shared by largest remainder: exact sums.
        step = Decimal(1).scaleb(-spec.places)
        steps = int(final / step)
        weights = [rng.uniform(0.7, 1.3) for _ in range(months)]
        shares = [steps * w / sum(weights) for w in weights]
        counts = [int(x) for x in shares]
        by_remainder = sorted(range(months), key=lambda i: (counts[i] - shares[i], i))
        for i in by_remainder[: steps - sum(counts)]:
            counts[i] += 1
        return [count * step for count in counts]

    def write(self, report: Progress) -> dict[str, int]:
        """Insert the sets, their indicators and actuals."""
        rng, city = self.rng, self.city
        plans = self.plans()
        report(STAGE_TARGETS, 0, len(plans))
        organiser = city.users["bantochuc"]
        assigned_on = datetime.date(self.year, 1, rng.randint(10, 25))
        sets = []
        for plan in plans:
            post = plan.head_post
            issuer = "QĐ-UBND" if plan.unit.code.startswith("TP-") else "QĐ/TU"
            sets.append(
                TargetSet(
                    unit=plan.unit,
                    head_post=post,
                    head_person=post.person if post else None,
                    year=self.year,
                    title=f"Chỉ tiêu năm {self.year} – {plan.unit.name}",
                    state=TargetSetState.ASSIGNED,
                    decision_number=f"{rng.randint(20, 480)}-{issuer}",
                    assigned_by=organiser,
                    assigned_on=min(assigned_on, city.today),
                )
            )
        TargetSet.objects.bulk_create(sets)
        indicators: list[Indicator] = []
        actuals: list[IndicatorActual] = []
        reporter: dict[str, User | None] = {plan.unit.code: None for plan in plans}
        reporter[WARD_CODE] = city.users["thutruong"]
        for target_set, plan in zip(sets, plans, strict=True):
            missed = self._misses(plan)
            for n, spec in enumerate(plan.indicators):
                target = _q(rng.uniform(spec.low, spec.high), spec.places)
                indicator = Indicator(
                    target_set=target_set,
                    group=spec.group,
                    group_label=spec.label,
                    code=str(n + 1),
                    name=spec.name,
                    unit_of_measure=spec.unit,
                    target=target,
                    direction=spec.direction,
                    aggregation=spec.aggregation,
                    is_main=spec.main,
                    weight=Decimal(spec.weight),
                    position=n + 1,
                )
                indicators.append(indicator)
                final = self._final(spec, target, n in missed, plan.fate)
                for m, value in enumerate(self._series(spec, final), start=1):
                    actuals.append(
                        IndicatorActual(
                            indicator=indicator,
                            period=datetime.date(self.year, m, 1),
                            value=value,
                            evidence_note=f"Báo cáo kết quả thực hiện tháng {m:02d}/{self.year}",
                            document_number=f"{rng.randint(10, 400)}/{plan.issuer}",
                            recorded_by=reporter[plan.unit.code],
                        )
                    )
        Indicator.objects.bulk_create(indicators, batch_size=BATCH)
        IndicatorActual.objects.bulk_create(actuals, batch_size=BATCH)
        report(STAGE_TARGETS, len(plans), len(plans))
        return {
            "target_sets": len(sets),
            "indicators": len(indicators),
            "indicator_actuals": len(actuals),
        }
