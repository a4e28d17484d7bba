"""Levels, discipline forms and criterion ratings shared by the whole engine."""

from __future__ import annotations

from enum import IntEnum


class Level(IntEnum):
    """Classification levels; a higher value is a better level, KXL is outside the order."""

    KXL = 0
    KHT = 1
    HTNV = 2
    HTT = 3
    HTXS = 4


LEVEL_BY_NAME: dict[str, Level] = {lv.name: lv for lv in Level}
LEVEL_NAMES: tuple[str, ...] = tuple(lv.name for lv in Level)
# Best first, as in the output summary.
LEVELS_BEST_FIRST: tuple[Level, ...] = (Level.HTXS, Level.HTT, Level.HTNV, Level.KHT, Level.KXL)
CLASSIFIED_LEVELS: tuple[Level, ...] = (Level.HTXS, Level.HTT, Level.HTNV, Level.KHT)

LEVEL_LABELS: dict[Level, str] = {
    Level.HTXS: "Hoàn thành xuất sắc nhiệm vụ",
    Level.HTT: "Hoàn thành tốt nhiệm vụ",
    Level.HTNV: "Hoàn thành nhiệm vụ",
    Level.KHT: "Không hoàn thành nhiệm vụ",
    Level.KXL: "Không xếp loại",
}

INDIVIDUAL = "individual"
COLLECTIVE = "collective"
SUBJECT_KINDS: tuple[str, ...] = (INDIVIDUAL, COLLECTIVE)
SUBJECT_KIND_LABELS: dict[str, str] = {INDIVIDUAL: "cá nhân", COLLECTIVE: "tập thể"}

# Discipline forms, lightest first; the value is the severity used by "min_form".
DISCIPLINE_FORMS: dict[str, int] = {
    "khien_trach": 1,
    "canh_cao": 2,
    "ha_bac_luong": 3,
    "giang_chuc": 4,
    "cach_chuc": 5,
    "buoc_thoi_viec": 6,
    "khai_tru": 6,
}
DISCIPLINE_FORM_LABELS: dict[str, str] = {
    "khien_trach": "khiển trách",
    "canh_cao": "cảnh cáo",
    "ha_bac_luong": "hạ bậc lương",
    "giang_chuc": "giáng chức",
    "cach_chuc": "cách chức",
    "buoc_thoi_viec": "buộc thôi việc",
    "khai_tru": "khai trừ",
}

FINDING_KINDS: dict[str, str] = {
    "degradation": "suy thoái về tư tưởng chính trị, đạo đức, lối sống",
    "corruption": "tham ô, tham nhũng, lãng phí và đã bị xử lý theo quy định của pháp luật",
}

# Criterion ratings of the rule-sets without points, worst = 1.
RATINGS: dict[str, int] = {"kem": 1, "trung_binh": 2, "tot": 3, "xuat_sac": 4}
RATING_LABELS: dict[str, str] = {
    "kem": "kém",
    "trung_binh": "trung bình",
    "tot": "tốt",
    "xuat_sac": "xuất sắc",
}
RATING_BY_VALUE: dict[int, str] = {v: k for k, v in RATINGS.items()}

PERIOD_KINDS: tuple[str, ...] = ("year", "quarter", "month")
PERIOD_KIND_LABELS: dict[str, str] = {"year": "năm", "quarter": "quý", "month": "tháng"}

QUOTA_BASES: tuple[str, ...] = ("good_only", "good_and_above", "classified")
QUOTA_BASE_LABELS: dict[str, str] = {
    "good_only": "số được xếp loại Hoàn thành tốt nhiệm vụ",
    "good_and_above": "số được xếp loại Hoàn thành tốt nhiệm vụ trở lên",
    "classified": "số được xếp loại",
}

FLAG_QUOTA_TIE = "quota_tie"
# A guidance ceiling exceeded (Hà Nội 3814's 40% for an outstanding unit): the authority is
# warned, nothing is lowered.
FLAG_QUOTA_WARNING = "quota_warning"
FLAG_UNCONFIRMED = "rule_unconfirmed"
