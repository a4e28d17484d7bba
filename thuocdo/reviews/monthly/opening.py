"""Who is in a month, and opening the months of a whole city once.

A monthly period opened over a subtree (the city, a district) is the period of every unit and
person in it: nobody below opens a second one. The month of a unit or a person is the deepest
period of that month over one of its ancestors (a ward that opened its own month before the
city keeps it). A unit may also ask for its months to open by themselves on the first day of
each month (`thuocdo.reviews.monthly.schedule`).
"""

from __future__ import annotations

import calendar
import datetime

from django.core.exceptions import ValidationError

from thuocdo.org.models import Person, Post, Unit
from thuocdo.reviews.models import Period, PeriodKind


def ancestor_ids(path: str) -> list[int]:
    """The ids of a unit's ancestors and itself, read from its materialised path."""
    return [int(segment) for segment in path.strip("/").split("/") if segment]


def month_periods_over(kind: str, year: int, number: int, paths: list[str]) -> list[Period]:
    """Periods of that month (or quarter) over an ancestor of one of the paths, deepest
    first."""
    ids = {pk for path in paths for pk in ancestor_ids(path)}
    if not ids:
        return []
    periods = Period.objects.filter(kind=kind, year=year, number=number, unit_id__in=ids)
    return sorted(periods.select_related("unit"), key=lambda p: -len(p.unit.path))


def period_of_unit(unit: Unit, year: int, month: int) -> Period | None:
    """The month's period of a unit: the deepest one over the unit or an ancestor."""
    found = month_periods_over(PeriodKind.MONTH, year, month, [unit.path])
    return found[0] if found else None


def person_month_paths(person_id: int, year: int, month: int) -> list[str]:
    """Paths of the units where the person holds a post at the end of the month."""
    end = datetime.date(year, month, calendar.monthrange(year, month)[1])
    return list(
        Post.objects.active(end).filter(person_id=person_id).values_list("unit__path", flat=True)
    )


def period_of_person(person: Person | int, year: int, month: int) -> Period | None:
    """The month's period of a person: the deepest one over one of their units."""
    person_id = person if isinstance(person, int) else person.pk
    found = month_periods_over(
        PeriodKind.MONTH, year, month, person_month_paths(person_id, year, month)
    )
    return found[0] if found else None


def deeper_periods(period: Period) -> list[Period]:
    """Periods of the same month strictly inside this one's subtree: their people are theirs."""
    return list(
        Period.objects.filter(
            kind=period.kind,
            year=period.year,
            number=period.number,
            unit__path__startswith=period.unit.path,
        )
        .exclude(pk=period.pk)
        .select_related("unit")
    )


def overlap_check(unit: Unit, kind: str, year: int, number: int | None) -> None:
    """Refuse a month (or quarter) already opened over the unit or one of its ancestors."""
    if kind == PeriodKind.YEAR or number is None:
        return
    found = month_periods_over(kind, year, number, [unit.path])
    if found:
        raise ValidationError(
            f"{found[0]} đã mở và bao gồm {unit.name}: mọi đơn vị, cán bộ trong đó dùng chung "
            "kỳ này, không mở thêm kỳ thứ hai."
        )


def period_months(period: Period) -> list[int]:
    """The months of a scored period: a month, or the three months of a quarter (NĐ 335
    lets an agency score by quarter instead of by month)."""
    assert period.number is not None
    if period.kind == PeriodKind.QUARTER:
        return [3 * period.number - 2, 3 * period.number - 1, 3 * period.number]
    return [period.number]


def month_end(period: Period) -> datetime.date:
    """Last day of a monthly period (of the last month of a quarter)."""
    last = period_months(period)[-1]
    return datetime.date(period.year, last, calendar.monthrange(period.year, last)[1])


def month_is_running(period: Period, at: datetime.date) -> bool:
    """True while the month (the quarter) is not over: its scores are provisional."""
    return at <= month_end(period)
