"""Why a workbook is refused (every problem, located and explained in Vietnamese), and what an
accepted one did (counts per entity)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from thuocdo.spreadsheets.columns import SheetSpec, display

if TYPE_CHECKING:
    from thuocdo.spreadsheets.reader import Row


@dataclass(frozen=True)
class ImportProblem:
    """One reason a workbook is rejected, located as precisely as the user needs to fix it."""

    sheet: str
    row: int | None
    column: str
    letter: str
    value: str
    reason: str

    def __str__(self) -> str:
        """A Vietnamese sentence: where, which value, what is wrong."""
        parts = []
        if self.sheet:
            parts.append(f"Sheet «{self.sheet}»")
        if self.row:
            parts.append(f"dòng {self.row}")
        if self.column:
            parts.append(
                f"cột {self.letter} «{self.column}»" if self.letter else f"cột «{self.column}»"
            )
        body = f"giá trị «{self.value}» {self.reason}" if self.value else self.reason
        if not parts:
            return body[:1].upper() + body[1:] + "."
        return f"{', '.join(parts)}: {body}."


def file_problem(reason: str) -> ImportProblem:
    """A problem with the file as a whole (not a workbook, too big, a closed set...)."""
    return ImportProblem("", None, "", "", "", reason)


class ImportRejected(Exception):
    """The workbook was not imported; `problems` lists everything that must be fixed."""

    def __init__(self, problems: Sequence[ImportProblem], sheets: Sequence[str] = ()) -> None:
        """Keep the problems in file order: the file first, then `sheets` in the workbook's
        order (any other sheet after them, as first met), rows and columns as the user reads
        them ("AA" comes after "Z"), whatever order the checks found them in."""
        rank = {"": -1, **{name: index for index, name in enumerate(sheets)}}
        for problem in problems:
            rank.setdefault(problem.sheet, len(rank))
        self.problems: list[ImportProblem] = sorted(
            problems,
            key=lambda p: (rank[p.sheet], p.row or 0, len(p.letter), p.letter),
        )
        super().__init__(f"Tệp bị từ chối: {len(self.problems)} lỗi.")

    def lines(self) -> list[str]:
        """Every problem, one sentence each."""
        return [str(problem) for problem in self.problems]

    def __str__(self) -> str:
        """Every problem, one per line."""
        return "\n".join([self.args[0], *self.lines()])


class Problems:
    """Gathers problems so that validation never stops at the first one."""

    def __init__(self, sheets: Sequence[SheetSpec] = ()) -> None:
        """Start with no problems; `sheets` gives the order they are listed in."""
        self.sheets = [spec.name for spec in sheets]
        self.problems: list[ImportProblem] = []

    def add(
        self, spec: SheetSpec, row: Row | None, key: str, reason: str, value: Any = None
    ) -> None:
        """Record a problem on a row's cell (or on the sheet when there is no row)."""
        column = spec.column(key).header if key else ""
        letter = row.letters.get(key, "") if row is not None else ""
        shown = row.raw.get(key) if row is not None and value is None else value
        self.problems.append(
            ImportProblem(
                sheet=spec.name,
                row=row.number if row is not None else None,
                column=column,
                letter=letter,
                value=display(shown),
                reason=reason,
            )
        )
        if row is not None:
            row.ok = False

    def add_file(self, reason: str) -> None:
        """Record a problem with the file as a whole."""
        self.problems.append(file_problem(reason))

    def __bool__(self) -> bool:
        """True once anything was found."""
        return bool(self.problems)

    def raise_if_any(self) -> None:
        """Reject the file if anything was found."""
        if self.problems:
            raise ImportRejected(self.problems, self.sheets)


@dataclass
class EntityCounts:
    """How many rows of one entity were created, updated, or already up to date."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    """What an accepted import did, per entity."""

    kind: str
    counts: dict[str, EntityCounts] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # entity -> name shown to the user

    def of(self, entity: str) -> EntityCounts:
        """The counts of one entity ("unit", "person", "post"...), created on first use."""
        return self.counts.setdefault(entity, EntityCounts())

    @property
    def created(self) -> int:
        """Rows created, all entities together."""
        return sum(c.created for c in self.counts.values())

    @property
    def updated(self) -> int:
        """Rows changed, all entities together."""
        return sum(c.updated for c in self.counts.values())

    @property
    def unchanged(self) -> int:
        """Rows already up to date, all entities together."""
        return sum(c.unchanged for c in self.counts.values())

    def lines(self) -> list[str]:
        """The report in Vietnamese, one line per entity."""
        return [
            f"{self.labels.get(name, name)}: {c.created} tạo mới, {c.updated} cập nhật, "
            f"{c.unchanged} không thay đổi."
            for name, c in self.counts.items()
        ]

    def __str__(self) -> str:
        """The report as one block of text."""
        return "\n".join(self.lines())
