"""Historical results: a past year's classification imported from Excel (issue 6, part 1)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from thuocdo.org.models import Category, Person, Unit
from thuocdo.reports.common.levels import ALL_LEVELS
from thuocdo.reviews.models import EvaluationGroup

LEVEL_CHOICES = [
    ("HTXS", "Hoàn thành xuất sắc nhiệm vụ"),
    ("HTT", "Hoàn thành tốt nhiệm vụ"),
    ("HTNV", "Hoàn thành nhiệm vụ"),
    ("KHT", "Không hoàn thành nhiệm vụ"),
    ("KXL", "Không xếp loại"),
]
assert tuple(code for code, _ in LEVEL_CHOICES) == ALL_LEVELS


class HistoricalResult(models.Model):
    """One subject's level in a year before the system was in use (or outside it).

    A person is identified by their code, which need not be in the registry (people who have
    retired or moved keep their past results); it is linked to the registry when it is. A
    collective is identified by its unit's code. `unit` is where the result is counted: the
    grassroots Party organisation of a Party member, the unit of a leader or civil servant.
    """

    year = models.PositiveSmallIntegerField("năm")
    group = models.CharField("nhóm đối tượng", max_length=20, choices=EvaluationGroup.choices)
    subject_code = models.CharField("mã cán bộ hoặc mã đơn vị (tập thể)", max_length=40)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    full_name = models.CharField("họ và tên", max_length=120, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    level = models.CharField("mức xếp loại", max_length=4, choices=LEVEL_CHOICES)
    score = models.DecimalField(
        "điểm",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    category = models.CharField("đối tượng", max_length=20, choices=Category.choices, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField("nhập lúc", auto_now=True)

    class Meta:
        verbose_name = "kết quả xếp loại các năm trước"
        verbose_name_plural = "kết quả xếp loại các năm trước"
        ordering = ["-year", "group", "subject_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "group", "subject_code"], name="historical_result_unique"
            ),
            models.CheckConstraint(
                condition=Q(level__in=list(ALL_LEVELS)), name="historical_result_level_known"
            ),
        ]
        indexes = [
            models.Index(fields=["year", "group", "unit"]),
            # The review cases read who was KHT in a year (careers.selectors), on the home page
            # of every authority: without it, a year of a large city is scanned.
            models.Index(fields=["year", "level"], name="historical_year_level_idx"),
        ]

    def __str__(self) -> str:
        # No related object is read: the audit trail calls this for every imported row.
        return f"{self.subject_code} — {self.get_group_display()} năm {self.year}: {self.level}"


class HistoryCount(models.Model):
    """How many history rows of a year a unit has per group and level, with their scores' sum:
    the summary of `HistoricalResult` the reports read (issue 15, point 4).

    A unit's own rows, not its subtree's: a report adds a subtree's units up, so a unit that
    moves keeps its counts and no path is stored. Rebuilt for a year by
    `reports.history.counts.history_counts_refresh` wherever history rows are written (the
    import, the demo) in the same transaction; `thuocdo report refresh` rebuilds every year.
    Not split by category: a category's report reads the rows (a person's category can change
    in the registry, which would leave a summary by category behind).
    """

    year = models.PositiveSmallIntegerField("năm")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    group = models.CharField("nhóm đối tượng", max_length=20, choices=EvaluationGroup.choices)
    level = models.CharField("mức xếp loại", max_length=4, choices=LEVEL_CHOICES)
    n = models.PositiveIntegerField("số kết quả")
    scored = models.PositiveIntegerField("số kết quả có điểm")
    score_sum = models.DecimalField("tổng điểm", max_digits=14, decimal_places=2, default=0)

    class Meta:
        verbose_name = "số kết quả các năm trước theo đơn vị"
        verbose_name_plural = "số kết quả các năm trước theo đơn vị"
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit", "group", "level"], name="history_count_unique"
            ),
        ]
        indexes = [models.Index(fields=["year", "group"], name="history_count_year_group_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id} — {self.group} năm {self.year}: {self.level} × {self.n}"
