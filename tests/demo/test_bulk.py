"""The demo's bulk writer: ids it gives itself, aware times, and foreign keys that are back
(and checked) after the block that drops them on PostgreSQL."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from thuocdo.demo.bulk import foreign_keys_checked_at_end, objects_insert, rows_insert
from thuocdo.org.models import Person, Reward, Unit
from thuocdo.reports.models import HistoricalResult


def _unit(code: str) -> Unit:
    unit = Unit(code=code, name=f"Đơn vị {code}", kind="state")
    unit.path = "x/"
    return unit


def test_objects_get_the_next_ids_and_the_sequence_moves_past_them(db: None) -> None:
    first = Unit.objects.create(code="A", name="Đơn vị A", kind="state", path="a/")
    units = [_unit("B"), _unit("C")]
    objects_insert(units)
    assert [u.pk for u in units] == [first.pk + 1, first.pk + 2]
    assert Unit.objects.get(pk=first.pk + 2).code == "C"
    assert Unit.objects.create(code="D", name="Đơn vị D", kind="state", path="d/").pk > units[1].pk


def test_rows_keep_their_aware_times(db: None) -> None:
    unit = Unit.objects.create(code="A", name="Đơn vị A", kind="state", path="a/")
    at = timezone.make_aware(datetime.datetime(2025, 3, 4, 9, 30))
    written = rows_insert(
        HistoricalResult,
        ["year", "group", "subject_code", "full_name", "unit_id", "level", "category",
         "imported_at"],
        [(2025, "collective", "A", "", unit.pk, "HTT", "", at)],
    )  # fmt: skip
    assert written == 1
    assert HistoricalResult.objects.get().imported_at == at


def _reward_keys() -> dict[str, object]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, Reward._meta.db_table)
    return {name: c["foreign_key"] for name, c in found.items() if c["foreign_key"]}


def test_the_foreign_keys_are_the_same_after_the_block(db: None) -> None:
    before = _reward_keys()
    person = Person.objects.create(
        code="CB1",
        full_name="Nguyễn Văn An",
        birth_date=datetime.date(1980, 1, 1),
        gender="male",
        category="civil_servant",
    )
    with foreign_keys_checked_at_end():
        objects_insert([Reward(person=person, form="Giấy khen", date=datetime.date(2025, 1, 2))])
    assert before and _reward_keys() == before


def test_a_dangling_key_written_in_the_block_is_refused(db: None) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        with foreign_keys_checked_at_end():
            rows_insert(
                Reward,
                ["person_id", "form", "date", "decision_number", "issuing_body"],
                [(999_999, "Giấy khen", datetime.date(2025, 1, 2), "1/QĐ-UBND", "UBND")],
            )
        connection.check_constraints()
