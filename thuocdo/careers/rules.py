"""The pure rules of careers (issue 8): review flags, planning eligibility, pool structure and
training gaps. No Django import (a test walks this module's imports), no clock: the year and
the date are passed in, so a past year is recomputed exactly.

Every rule has a stable id, a Vietnamese label and its source. Where DESIGN.md names no
article the source says "theo quy định về ...", and where no regulation fixes a figure (the
70% threshold, the age bands, the pool's targets) the source says it is the organisation's own
decision, so that it can be changed in data and read as such.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from thuocdo.rules.fmt import vn_number, vn_percent
from thuocdo.targets.achievement import REVIEW_MET_SHARE, review_signal

LEVEL_ORDER = {"KHT": 1, "HTNV": 2, "HTT": 3, "HTXS": 4}
LEVEL_WORDS = {
    "HTXS": "Hoàn thành xuất sắc nhiệm vụ",
    "HTT": "Hoàn thành tốt nhiệm vụ",
    "HTNV": "Hoàn thành nhiệm vụ",
    "KHT": "Không hoàn thành nhiệm vụ",
    "KXL": "Không xếp loại",
}
ORGANISATION = "Quyết định của cấp ủy (cấu hình của tổ chức, không có văn bản quy định)"

# -- Review flags (part 4) --------------------------------------------------------------------

FLAG_FAIL_TWO_YEARS = "fail-two-years"
FLAG_FAIL_ONE_YEAR = "fail-one-year"
FLAG_LOW_CONFIDENCE = "low-confidence"
FLAG_HEAD_TARGETS = "head-targets-under-70"

FLAG_LABELS = {
    FLAG_FAIL_TWO_YEARS: "Hai năm liên tiếp không hoàn thành nhiệm vụ",
    FLAG_FAIL_ONE_YEAR: "Công chức không hoàn thành nhiệm vụ (từ năm 2026)",
    FLAG_LOW_CONFIDENCE: "Tín nhiệm thấp khi lấy phiếu tín nhiệm",
    FLAG_HEAD_TARGETS: "Người đứng đầu đơn vị hoàn thành dưới 70% chỉ tiêu trong năm",
}
FLAG_SOURCES = {
    FLAG_FAIL_TWO_YEARS: (
        "Luật Cán bộ, công chức 2008 (sửa đổi bởi Luật 52/2019/QH14): công chức hai năm liên "
        "tiếp không hoàn thành nhiệm vụ (trước năm 2026); quy định về miễn nhiệm của Đảng "
        "(điều khoản chưa xác nhận)"
    ),
    FLAG_FAIL_ONE_YEAR: (
        "Luật Cán bộ, công chức 2025, Điều 27, khoản 1 điểm c; Nghị định 335/2025/NĐ-CP, "
        "Điều 23, khoản 3 điểm đ"
    ),
    FLAG_LOW_CONFIDENCE: "Quy định 96-QĐ/TW",
    FLAG_HEAD_TARGETS: (
        "Đánh giá bằng sản phẩm (Quy định 366-QĐ/TW); ngưỡng 70%: " + ORGANISATION.lower()
    ),
}


@dataclass(frozen=True)
class YearLevel:
    """One concluded level of a person in a year: where it comes from and in which group
    (`group` as people read it, `code` the subject group's code)."""

    year: int
    level: str
    group: str
    origin: str  # "Hệ thống" (a published evaluation) or "Nhập từ năm trước" (history)
    code: str = ""


@dataclass(frozen=True)
class KhtConsequence:
    """When KHT opens a case (DESIGN §4.7.8): for which subject groups (empty: all), from which
    year (None: always), after how many years running, and on what basis."""

    rule: str
    groups: tuple[str, ...]
    from_year: int | None
    years: int
    reason: str


# Luật Cán bộ, công chức 2025 (in force 2026), Điều 27 k1 c: a công chức KHT in one year is
# considered for a lower post or dismissal; before 2026, and on the Party side, two years
# running. Data: a locality may add its own line.
KHT_CONSEQUENCES: tuple[KhtConsequence, ...] = (
    KhtConsequence(
        FLAG_FAIL_ONE_YEAR,
        ("civil_servant",),
        2026,
        1,
        "Công chức xếp loại Không hoàn thành nhiệm vụ năm {year}: xem xét bố trí vào vị trí việc "
        "làm thấp hơn hoặc cho thôi việc.",
    ),
    KhtConsequence(
        FLAG_FAIL_TWO_YEARS,
        (),
        None,
        2,
        "Xếp loại Không hoàn thành nhiệm vụ hai năm liên tiếp {first} và {year}.",
    ),
)


def fail_kht(levels: Iterable[YearLevel], year: int, rule: KhtConsequence) -> Flag | None:
    """A KHT consequence of the year: KHT in each of the last `rule.years` years (in one of
    its groups), when the year is one it applies to."""
    if rule.from_year is not None and year < rule.from_year:
        return None
    first = year - rule.years + 1
    failed = [
        lv
        for lv in levels
        if lv.level == "KHT"
        and first <= lv.year <= year
        and (not rule.groups or lv.code in rule.groups)
    ]
    if {lv.year for lv in failed} != set(range(first, year + 1)):
        return None
    trace = tuple(
        f"Năm {lv.year}: {LEVEL_WORDS['KHT']} ({lv.group}, {lv.origin.lower()})"
        for lv in sorted(failed, key=lambda lv: (lv.year, lv.group))
    )
    return Flag(
        rule=rule.rule,
        year=year,
        reason=rule.reason.format(year=year, first=first),
        trace=trace,
        source=FLAG_SOURCES[rule.rule],
    )


@dataclass(frozen=True)
class VoteFact:
    """A consequence of a published confidence vote on the person."""

    date: datetime.date
    campaign: str
    consequence: str
    rule: str
    source: str
    reason: str


@dataclass(frozen=True)
class TargetFact:
    """The targets of a unit the person heads, counted for the year."""

    unit: str
    year: int
    met: int
    assigned: int


@dataclass(frozen=True)
class Flag:
    """A case for the competent authority: never a decision, only the rule and its figures."""

    rule: str
    year: int
    reason: str
    trace: tuple[str, ...]
    source: str

    @property
    def label(self) -> str:
        """The rule's Vietnamese label."""
        return FLAG_LABELS[self.rule]


def fail_two_years(levels: Iterable[YearLevel], year: int) -> Flag | None:
    """KHT in the year and in the year before (any group of either year counts)."""
    return fail_kht(levels, year, KHT_CONSEQUENCES[1])


def low_confidence(votes: Iterable[VoteFact], year: int) -> Flag | None:
    """A published vote of the year with a low-confidence consequence (96-QĐ/TW)."""
    of_year = sorted((v for v in votes if v.date.year == year), key=lambda v: v.date)
    if not of_year:
        return None
    trace = tuple(
        f"{v.campaign}, ngày {v.date:%d/%m/%Y}: {v.reason} ({v.rule}, {v.source})" for v in of_year
    )
    return Flag(
        rule=FLAG_LOW_CONFIDENCE,
        year=year,
        reason=of_year[-1].consequence,
        trace=trace,
        source=of_year[-1].source or FLAG_SOURCES[FLAG_LOW_CONFIDENCE],
    )


def head_targets_under(targets: Iterable[TargetFact], year: int) -> Flag | None:
    """A unit the person heads met under 70% of its targets in the year."""
    under = [t for t in targets if t.year == year and review_signal(t.met, t.assigned)]
    if not under:
        return None
    limit = vn_percent(Fraction(str(REVIEW_MET_SHARE)))
    trace = tuple(
        f"{t.unit}: đạt {t.met}/{t.assigned} chỉ tiêu = "
        f"{vn_percent(Fraction(t.met, t.assigned), 2)}, dưới {limit}"
        for t in under
    )
    return Flag(
        rule=FLAG_HEAD_TARGETS,
        year=year,
        reason=f"Đơn vị do người này đứng đầu hoàn thành dưới {limit} chỉ tiêu năm {year}.",
        trace=trace,
        source=FLAG_SOURCES[FLAG_HEAD_TARGETS],
    )


def person_flags(
    *,
    year: int,
    levels: Sequence[YearLevel],
    votes: Sequence[VoteFact],
    targets: Sequence[TargetFact],
) -> list[Flag]:
    """Every flag of one person for a year, in a fixed order."""
    found = [
        *(fail_kht(levels, year, rule) for rule in KHT_CONSEQUENCES),
        low_confidence(votes, year),
        head_targets_under(targets, year),
    ]
    return [f for f in found if f is not None]


# -- Planning eligibility (part 1) ------------------------------------------------------------

RULE_MIN_LEVEL = "min-level-years"
RULE_NO_LOW_CONFIDENCE = "no-low-confidence"
RULE_MAX_AGE = "max-age"
RULE_TRAINING = "training-standards"
KNOWN_RULES = (RULE_MIN_LEVEL, RULE_NO_LOW_CONFIDENCE, RULE_MAX_AGE, RULE_TRAINING)
RULE_LABELS = {
    RULE_MIN_LEVEL: "Kết quả xếp loại các năm liền trước nhiệm kỳ",
    RULE_NO_LOW_CONFIDENCE: "Không có kết quả tín nhiệm thấp",
    RULE_MAX_AGE: "Tuổi tối đa khi bắt đầu nhiệm kỳ",
    RULE_TRAINING: "Tiêu chuẩn đào tạo, bồi dưỡng của chức danh",
}

# The shipped default of a new pool; each rule carries its source or says it is the
# organisation's own decision.
DEFAULT_RULES: tuple[dict[str, Any], ...] = (
    {
        "rule": RULE_MIN_LEVEL,
        "level": "HTT",
        "years": 3,
        "source": "Theo quy định về quy hoạch cán bộ; số năm: " + ORGANISATION.lower(),
    },
    {"rule": RULE_NO_LOW_CONFIDENCE, "source": "Quy định 96-QĐ/TW"},
    {"rule": RULE_MAX_AGE, "age": 50, "source": ORGANISATION},
)


@dataclass(frozen=True)
class Rule:
    """One eligibility rule of a pool, read from data."""

    rule: str
    source: str
    level: str = "HTT"
    years: int = 1
    age: int = 0

    @property
    def label(self) -> str:
        """The rule in words, with its figures."""
        if self.rule == RULE_MIN_LEVEL:
            return (
                f"Từ {LEVEL_WORDS[self.level]} trở lên trong {self.years} năm liền trước nhiệm kỳ"
            )
        if self.rule == RULE_MAX_AGE:
            return f"Không quá {self.age} tuổi khi bắt đầu nhiệm kỳ"
        return RULE_LABELS[self.rule]


class RuleError(ValueError):
    """A pool's rules are not valid: every problem is listed."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


def rules_parse(data: Sequence[Mapping[str, Any]]) -> list[Rule]:
    """Validate a pool's rule list (JSON) and return it as rules, or raise with every problem."""
    problems: list[str] = []
    parsed: list[Rule] = []
    for index, item in enumerate(data, start=1):
        name = str(item.get("rule", ""))
        where = f"Quy tắc thứ {index}"
        if name not in KNOWN_RULES:
            problems.append(f"{where}: không có quy tắc «{name}».")
            continue
        source = str(item.get("source", "")).strip()
        if not source:
            problems.append(f"{where} ({name}): thiếu căn cứ (source).")
        level = str(item.get("level", "HTT"))
        if name == RULE_MIN_LEVEL and level not in LEVEL_ORDER:
            problems.append(f"{where} ({name}): mức «{level}» không hợp lệ.")
        years, age = item.get("years", 1), item.get("age", 0)
        if not isinstance(years, int) or not 1 <= years <= 10:
            problems.append(f"{where} ({name}): số năm (years) phải từ 1 đến 10.")
            years = 1
        if name == RULE_MAX_AGE and (not isinstance(age, int) or not 18 <= age <= 70):
            problems.append(f"{where} ({name}): tuổi tối đa (age) phải từ 18 đến 70.")
            age = 0
        parsed.append(Rule(rule=name, source=source, level=level, years=years, age=int(age)))
    if problems:
        raise RuleError(problems)
    return parsed


@dataclass(frozen=True)
class CandidateFacts:
    """What eligibility and structure need to know about one candidate."""

    key: int
    name: str
    birth_date: datetime.date
    female: bool
    minority: bool
    levels: Mapping[int, str]  # the worst concluded level of each year
    low_confidence_years: tuple[int, ...] = ()
    training_gaps: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reason:
    """Why a candidate is not eligible: the rule, the year (if any) and its source."""

    rule: str
    text: str
    source: str
    year: int | None = None

    @property
    def label(self) -> str:
        """The rule's Vietnamese label."""
        return RULE_LABELS[self.rule]


@dataclass(frozen=True)
class Eligibility:
    """A candidate's eligibility: eligible when no rule gives a reason against."""

    key: int
    reasons: tuple[Reason, ...]

    @property
    def eligible(self) -> bool:
        """No reason against."""
        return not self.reasons


def age_on(birth_date: datetime.date, on: datetime.date) -> int:
    """Full years of age on a date."""
    before_birthday = (on.month, on.day) < (birth_date.month, birth_date.day)
    return on.year - birth_date.year - int(before_birthday)


def eligibility(
    facts: CandidateFacts, rules: Sequence[Rule], *, last_year: int, on: datetime.date
) -> Eligibility:
    """Apply a pool's rules to one candidate: `last_year` is the latest classified year,
    `on` the date ages are counted at (the start of the term)."""
    reasons: list[Reason] = []
    for rule in rules:
        if rule.rule == RULE_MIN_LEVEL:
            for year in range(last_year - rule.years + 1, last_year + 1):
                level = facts.levels.get(year)
                if level is None:
                    text = f"Năm {year}: chưa có kết quả xếp loại (cần từ {rule.level} trở lên)."
                elif LEVEL_ORDER.get(level, 0) < LEVEL_ORDER[rule.level]:
                    text = f"Năm {year}: xếp loại {level}, dưới mức {rule.level}."
                else:
                    continue
                reasons.append(Reason(rule.rule, text, rule.source, year))
        elif rule.rule == RULE_NO_LOW_CONFIDENCE:
            for year in sorted(facts.low_confidence_years):
                text = f"Năm {year}: có kết quả tín nhiệm thấp khi lấy phiếu tín nhiệm."
                reasons.append(Reason(rule.rule, text, rule.source, year))
        elif rule.rule == RULE_MAX_AGE:
            age = age_on(facts.birth_date, on)
            if age > rule.age:
                text = f"{age} tuổi vào ngày {on:%d/%m/%Y}, quá tuổi tối đa {rule.age}."
                reasons.append(Reason(rule.rule, text, rule.source))
        elif rule.rule == RULE_TRAINING:
            for gap in facts.training_gaps:
                reasons.append(Reason(rule.rule, f"Chưa đạt tiêu chuẩn: {gap}.", rule.source))
    return Eligibility(key=facts.key, reasons=tuple(reasons))


# -- Pool structure ---------------------------------------------------------------------------

# The three age bands (cơ cấu 3 độ tuổi): under 40, 40 to 50, over 50 at the start of the
# term. The bounds are the organisation's choice (no regulation read fixes them).
AGE_BANDS: tuple[tuple[str, int | None, int | None], ...] = (
    ("Dưới 40 tuổi", None, 39),
    ("Từ 40 đến 50 tuổi", 40, 50),
    ("Trên 50 tuổi", 51, None),
)
AGE_BANDS_SOURCE = "Theo quy định về quy hoạch cán bộ (cơ cấu ba độ tuổi); mốc tuổi: " + (
    ORGANISATION.lower()
)
MINORITY_BASE = "Kinh"


@dataclass(frozen=True)
class StructureTargets:
    """A pool's structure targets (the organisation's decision); None means no target."""

    women_min: Decimal | None = None  # share, 0..1
    minority_min: Decimal | None = None
    ratio_min: Decimal | None = None  # candidates per post
    ratio_max: Decimal | None = None
    band_min: Mapping[str, int] = field(default_factory=dict)  # minimum count per band label


@dataclass(frozen=True)
class Structure:
    """The pool's structure: counts per age band, women and ethnic minorities, the ratio."""

    total: int
    posts: int
    bands: tuple[tuple[str, int], ...]
    women: int
    minority: int
    warnings: tuple[str, ...]

    @property
    def women_share(self) -> str:
        """Women's share in Vietnamese ("33,33%"), or a dash for an empty pool."""
        return vn_percent(Fraction(self.women, self.total), 2) if self.total else "—"

    @property
    def minority_share(self) -> str:
        """Ethnic minorities' share in Vietnamese, or a dash."""
        return vn_percent(Fraction(self.minority, self.total), 2) if self.total else "—"

    @property
    def ratio(self) -> str:
        """Candidates per post ("3 người / 1 chức danh = 3")."""
        if not self.posts:
            return "—"
        return vn_number(Fraction(self.total, self.posts), 2).rstrip("0").rstrip(",")


def band_of(age: int) -> str:
    """The label of the age band an age falls in."""
    for label, low, high in AGE_BANDS:
        if (low is None or age >= low) and (high is None or age <= high):
            return label
    raise ValueError(age)  # pragma: no cover - the bands cover every age


def structure(
    candidates: Sequence[CandidateFacts],
    *,
    posts: int,
    on: datetime.date,
    targets: StructureTargets,
) -> Structure:
    """Count a pool's structure on a date and warn of every target missed."""
    total = len(candidates)
    counts = {label: 0 for label, _, _ in AGE_BANDS}
    for c in candidates:
        counts[band_of(age_on(c.birth_date, on))] += 1
    women = sum(1 for c in candidates if c.female)
    minority = sum(1 for c in candidates if c.minority)
    warnings: list[str] = []

    def share_below(label: str, count: int, minimum: Decimal | None) -> None:
        if minimum is None:
            return
        if total == 0 or Fraction(count, total) < Fraction(str(minimum)):
            have = vn_percent(Fraction(count, total), 2) if total else "0%"
            want = vn_percent(Fraction(str(minimum)), 2)
            warnings.append(f"Tỷ lệ {label} {have} ({count}/{total}), dưới mục tiêu {want}.")

    share_below("nữ", women, targets.women_min)
    share_below("người dân tộc thiểu số", minority, targets.minority_min)
    for label, minimum in targets.band_min.items():
        if counts.get(label, 0) < minimum:
            warnings.append(
                f"Độ tuổi «{label}»: {counts.get(label, 0)} người, dưới mục tiêu {minimum} người."
            )
    if (
        posts
        and targets.ratio_min is not None
        and Fraction(total, posts) < Fraction(str(targets.ratio_min))
    ):
        warnings.append(
            f"Tỷ lệ {total} người / {posts} chức danh, dưới mục tiêu "
            f"{vn_number(targets.ratio_min.normalize())} người mỗi chức danh."
        )
    if (
        posts
        and targets.ratio_max is not None
        and Fraction(total, posts) > Fraction(str(targets.ratio_max))
    ):
        warnings.append(
            f"Tỷ lệ {total} người / {posts} chức danh, vượt mức {vn_number(targets.ratio_max)} "
            "người mỗi chức danh."
        )
    return Structure(
        total=total,
        posts=posts,
        bands=tuple((label, counts[label]) for label, _, _ in AGE_BANDS),
        women=women,
        minority=minority,
        warnings=tuple(warnings),
    )


# -- Training standards (part 2) --------------------------------------------------------------

# Levels of each subject, lowest first; a higher level meets a lower standard.
TRAINING_LEVELS: dict[str, tuple[str, ...]] = {
    "political_theory": ("Sơ cấp", "Trung cấp", "Cao cấp"),
    "state_management": ("Chuyên viên", "Chuyên viên chính", "Chuyên viên cao cấp"),
    "education": ("Trung cấp", "Cao đẳng", "Đại học", "Thạc sĩ", "Tiến sĩ"),
}
SUBJECT_LABELS = {
    "political_theory": "Lý luận chính trị",
    "state_management": "Quản lý nhà nước",
    "education": "Trình độ chuyên môn",
    "other": "Khác",
}


@dataclass(frozen=True)
class Standard:
    """One standard a title requires: a subject at a level at least."""

    subject: str
    level: str
    source: str = ""


def training_gaps(held: Iterable[tuple[str, str]], required: Iterable[Standard]) -> list[str]:
    """The standards not met by the (subject, level) pairs a person holds, in words."""
    best: dict[str, int] = {}
    for subject, level in held:
        order = TRAINING_LEVELS.get(subject, ())
        if level in order:
            best[subject] = max(best.get(subject, -1), order.index(level))
    gaps = []
    for std in required:
        order = TRAINING_LEVELS.get(std.subject, ())
        if std.level not in order:
            continue
        if best.get(std.subject, -1) < order.index(std.level):
            label = SUBJECT_LABELS.get(std.subject, std.subject)
            gaps.append(f"{label} {std.level}")
    return gaps
