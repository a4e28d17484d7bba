"""The vocabulary of the annual classification, shared by its reads and its writes: the levels
and their order, the groups classified under the State's rules, the criterion groups of each
self-review form, and the legal order in which results are concluded."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from fractions import Fraction

from thuocdo.reviews.models import Evaluation, EvaluationGroup, SubjectKind

LEVELS = ("HTXS", "HTT", "HTNV", "KHT")
CONCLUDABLE = (*LEVELS, "KXL")
# Criterion groups of the self-review, as in the Party's forms.
CRITERIA_2A = {
    "politics": "Tư tưởng chính trị",
    "ethics": "Phẩm chất đạo đức, lối sống",
    "style": "Tác phong, lề lối làm việc",
    "discipline": "Ý thức tổ chức kỷ luật",
    "results": "Kết quả thực hiện chức trách, nhiệm vụ được giao",
}
CRITERIA_2B = {**CRITERIA_2A, "leadership": "Năng lực lãnh đạo, quản lý; kết quả của đơn vị"}
CRITERIA_01 = {
    "party_building": "Công tác xây dựng Đảng, hệ thống chính trị",
    "tasks": "Kết quả thực hiện nhiệm vụ chính trị được giao",
    "leadership": "Công tác lãnh đạo, chỉ đạo, điều hành",
    "discipline": "Thực hiện kỷ luật, kỷ cương; phòng, chống tham nhũng, tiêu cực",
}
# Mẫu 2C: a Party member outside the political system (a worker, a retired member) reports on
# their work or trade and their duties as a Party member where they live.
CRITERIA_2C = {
    "politics": "Tư tưởng chính trị",
    "ethics": "Phẩm chất đạo đức, lối sống",
    "discipline": "Ý thức tổ chức kỷ luật",
    "results": "Kết quả thực hiện công việc, nghề nghiệp và nhiệm vụ được chi bộ phân công",
    "residence": "Giữ mối liên hệ với chi ủy, đảng ủy và nhân dân nơi cư trú",
}
FORM_CRITERIA = {"2A": CRITERIA_2A, "2B": CRITERIA_2B, "2C": CRITERIA_2C, "01": CRITERIA_01}
ENGINE_LEVELS = {"HTXS": 0, "HTT": 1, "HTNV": 2, "KHT": 3, "KXL": 4}
# Groups classified under the State's rules, before the same person's Party classification.
STATE_GROUPS = frozenset({EvaluationGroup.CIVIL_SERVANT, EvaluationGroup.PUBLIC_EMPLOYEE})


def level_rank(level: str) -> int:
    """Position of a level, best first (KXL last); a lower number is a better level."""
    return ENGINE_LEVELS[level]


def worst_level(levels: Iterable[str]) -> str:
    """The lowest classified level of several (KXL, not classified, does not count)."""
    classified = [lv for lv in levels if lv and lv != "KXL"]
    return max(classified, key=level_rank) if classified else "KXL"


def current_level(ev: Evaluation) -> str:
    """The level that counts now: the conclusion if any, else the engine's proposal."""
    return ev.level or ev.proposed_level


def legal_order(evaluations: Iterable[Evaluation]) -> list[Evaluation]:
    """Collectives (lower before higher), then members, heads last (HD 21; 124; 366)."""

    def key(ev: Evaluation) -> tuple[int, int, str, int]:
        if ev.kind == SubjectKind.COLLECTIVE:
            return (0, -ev.unit.depth, ev.unit.path, ev.pk)
        if ev.is_head:
            return (3, 0, ev.unit.path, ev.pk)
        # A person's State classification before their Party-member classification.
        return (1 if ev.group in STATE_GROUPS else 2, 0, ev.unit.path, ev.pk)

    return sorted(evaluations, key=key)


def party_shares_by_unit(rows: Iterable[tuple[int, str, str]]) -> dict[int, Fraction]:
    """NĐ 90 Điều 2 k6 (NĐ 48): per unit, the share of its Party members classified HTXS among
    those classified, from (unit id, group, level) rows; a unit without a classified Party
    member's result has no share yet (the rule is checked once the Party results exist)."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for unit_id, group, level in rows:
        if group != EvaluationGroup.PARTY_MEMBER or level in ("", "KXL"):
            continue
        c = counts[unit_id]
        c[1] += 1
        if level == "HTXS":
            c[0] += 1
    return {unit: Fraction(htxs, total) for unit, (htxs, total) in counts.items()}
