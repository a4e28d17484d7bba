"""The arithmetic of a distribution of levels, in pure Python (no Django import).

Two conventions are printed in practice (seed 003, Cần Thơ 2021): each level over the total
classified ("4,07% HTNV"), and HTXS as a share of those rated "HTT or better" ("95,6% HTT or
better, of which 18,43% HTXS"). The page, the Excel and the PDF all read these numbers, so
they are computed once, exactly (fractions), and rounded only when printed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from thuocdo.rules.fmt import vn_number

LEVELS = ("HTXS", "HTT", "HTNV", "KHT")
UNCLASSIFIED = "KXL"
ALL_LEVELS = (*LEVELS, UNCLASSIFIED)

# DESIGN.md §4.5: HTXS may not exceed 20% of those rated HTT, counted on "HTT or better"
# (`good_and_above`, the reading under which the Cần Thơ 2021 figures are consistent).
QUOTA_RATE = Fraction(1, 5)
QUOTA_BASE_LABEL = "được xếp loại từ Hoàn thành tốt nhiệm vụ trở lên"

PARTY_GROUPS = ("party_member", "leader", "collective")


@dataclass(frozen=True)
class LevelCounts:
    """How many subjects got each level; KXL is counted but not classified."""

    htxs: int = 0
    htt: int = 0
    htnv: int = 0
    kht: int = 0
    kxl: int = 0

    @classmethod
    def of(cls, counts: Mapping[str, int]) -> LevelCounts:
        """Counts from a {level code: count} mapping (unknown codes are ignored)."""
        return cls(*(int(counts.get(level, 0)) for level in ALL_LEVELS))

    def count(self, level: str) -> int:
        """The count of one level code."""
        return int(getattr(self, level.lower()))

    def __add__(self, other: LevelCounts) -> LevelCounts:
        """Counts of two parts of a tree together."""
        return LevelCounts(*(self.count(lv) + other.count(lv) for lv in ALL_LEVELS))

    @property
    def total(self) -> int:
        """Subjects classified into one of the four levels (KXL excluded)."""
        return self.htxs + self.htt + self.htnv + self.kht

    @property
    def good_or_better(self) -> int:
        """Subjects rated HTT or HTXS."""
        return self.htxs + self.htt

    @property
    def is_empty(self) -> bool:
        """True when there is nothing to report, not even an unclassified subject."""
        return self.total == 0 and self.kxl == 0

    def share(self, level: str) -> Fraction | None:
        """One level over the total classified; None when nobody was classified."""
        return Fraction(self.count(level), self.total) if self.total else None

    @property
    def good_or_better_share(self) -> Fraction | None:
        """HTT or better over the total classified (Cần Thơ 2021: 95,6%)."""
        return Fraction(self.good_or_better, self.total) if self.total else None

    @property
    def excellent_of_good(self) -> Fraction | None:
        """HTXS over HTT or better (Cần Thơ 2021: 18,43%), the base of the 20% quota."""
        return Fraction(self.htxs, self.good_or_better) if self.good_or_better else None


@dataclass(frozen=True)
class QuotaCheck:
    """The 20% HTXS quota applied to a distribution's final counts (DESIGN.md §4.5)."""

    excellent: int
    base: int
    rate: Fraction = QUOTA_RATE

    @property
    def limit(self) -> int:
        """The most HTXS the base allows (20% of 1.224 → 244)."""
        return int(self.base * self.rate)

    @property
    def share(self) -> Fraction | None:
        """HTXS over the base."""
        return Fraction(self.excellent, self.base) if self.base else None

    @property
    def breached(self) -> bool:
        """True when HTXS exceeds the quota."""
        return self.excellent > self.limit

    def explanation(self) -> str:
        """The flag in Vietnamese: figures, the limit, by how much it is exceeded."""
        share = vn_share(self.share) if self.share is not None else "—"
        text = (
            f"{vn_number(self.excellent)} HTXS trên {vn_number(self.base)} người {QUOTA_BASE_LABEL}"
            f" = {share}"
        )
        rate = vn_share(self.rate)
        if self.breached:
            extra = self.excellent - self.limit
            return (
                f"{text}, vượt tỷ lệ {rate} (tối đa {vn_number(self.limit)}; "
                f"vượt {vn_number(extra)})"
            )
        return f"{text}, trong tỷ lệ {rate} (tối đa {vn_number(self.limit)})"


def quota_check(counts: LevelCounts, rate: Fraction = QUOTA_RATE) -> QuotaCheck:
    """Check a distribution's HTXS against the quota on "HTT or better"."""
    return QuotaCheck(excellent=counts.htxs, base=counts.good_or_better, rate=rate)


def quota_source(group: str, year: int) -> str | None:
    """The regulation that sets the 20% quota for a subject group in a year; None if none did.

    Party members, leaders and Party collectives: Quy định 132-QĐ/TW until the 2022 review,
    124-QĐ/TW for 2023–2024, 366-QĐ/TW from 2025. Civil servants and public employees: the
    quota came with Nghị định 48/2023/NĐ-CP (amending 90/2020); Nghị định 335/2025/NĐ-CP
    replaces it for civil servants from 2026.
    """
    if group in PARTY_GROUPS:
        if year >= 2025:
            return "Quy định 366-QĐ/TW; Hướng dẫn 43-HD/BTCTW"
        if year >= 2023:
            return "Quy định 124-QĐ/TW; Hướng dẫn 25-HD/BTCTW"
        return "Quy định 132-QĐ/TW; Hướng dẫn 21-HD/BTCTW"
    if group == "civil_servant" and year >= 2026:
        return "Nghị định 335/2025/NĐ-CP"
    if group in ("civil_servant", "public_employee") and year >= 2023:
        return "Nghị định 90/2020/NĐ-CP, sửa đổi bởi Nghị định 48/2023/NĐ-CP"
    return None


def rounded_percent(ratio: Fraction, places: int = 2) -> Decimal:
    """A ratio as a percentage rounded half up (0.184287… → 18.43)."""
    exact = Decimal(ratio.numerator * 100) / Decimal(ratio.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def vn_share(ratio: Fraction | None, places: int = 2) -> str:
    """A share the Vietnamese way, to two decimals without trailing zeros (18,43%; 95,6%; 20%)."""
    if ratio is None:
        return "—"
    pct = rounded_percent(ratio, places)
    if pct == pct.to_integral_value():
        return f"{vn_number(pct.to_integral_value())}%"
    return f"{vn_number(pct.normalize())}%"
