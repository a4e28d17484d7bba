"""Excel import of people with their posts, disciplines and rewards.

An import is all-or-nothing (thuocdo.spreadsheets): the whole workbook is read and checked
first, every problem is listed, and only then is everything written, in one transaction, with
bulk statements, so that a 200,000-row file costs a few hundred queries rather than a million.
People are upserted by code, their posts by (person, unit, title, start date), their records by
decision. A row that matches the database exactly is left alone: re-importing the same file
writes nothing and records no audit event.

Scope: every row naming a person is checked, whether it changes anything or not, against the
people the actor may change; a person new to the registry must come with a post in one of the
actor's units; a post that creates or changes something must be in one of the actor's units.
A post in the actor's unit never brings in someone from outside (it would hand the actor their
record).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q

from thuocdo.audit.services import snapshot
from thuocdo.org.imports.sheets import (
    DISCIPLINE_SHEET,
    PEOPLE_WORKBOOK,
    PERSON_SHEET,
    POST_SHEET,
    REWARD_SHEET,
)
from thuocdo.org.models import Authority, Discipline, Person, Post, Reward, Unit
from thuocdo.org.scope import Scope, people_write_q, scope_for
from thuocdo.spreadsheets import (
    OUT_OF_SCOPE,
    WRITE_BATCH,
    AuditBuffer,
    ImportReport,
    Problems,
    Progress,
    Row,
    SheetSpec,
    Source,
    by_codes,
    chunks,
    code_ids,
    codes_of,
    created_check,
    date_text,
    duplicates_flag,
    import_run,
    in_paths,
    values_apply,
    values_differ,
)

Key = tuple[Any, ...]
PERSON_FIELDS = (
    "full_name",
    "birth_date",
    "gender",
    "category",
    "is_party_member",
    "party_joined",
    "ethnicity",
)


@dataclass
class _Entity:
    """One per-person sheet (posts, disciplines, rewards): its rows and the matching DB rows."""

    spec: SheetSpec
    model: type[models.Model]
    action: str
    name: str
    rows: dict[Key, Row]
    existing: dict[Key, Any]
    identity: Callable[[Row], dict[str, Any]]  # fields that find the row (without person)
    updates: Callable[[Row], dict[str, Any]]  # fields an import may change

    def writes(self, key: Key, row: Row) -> bool:
        """True if importing this row would create or change something."""
        obj = self.existing.get(key)
        return obj is None or values_differ(obj, self.updates(row))


def people_import(*, actor: Any, source: Source, progress: Progress | None = None) -> ImportReport:
    """Import people, their posts, disciplines and rewards from a workbook, all or nothing.

    `progress`, if given, is called with (rows read so far, estimated total rows).
    """
    scope = scope_for(actor)

    def check(sheets: dict[str, list[Row]], problems: Problems) -> _Plan:
        return _Plan(*_people_check(sheets, scope, problems))

    def write(plan: _Plan, report: ImportReport, audit: AuditBuffer) -> None:
        ids = _people_write(plan.people, plan.existing, report, audit)
        for entity in plan.entities:
            _entity_write(entity, ids, report, audit)

    return import_run(
        actor=actor,
        source=source,
        workbook=PEOPLE_WORKBOOK,
        check=check,
        write=write,
        progress=progress,
    )


@dataclass
class _Plan:
    """The checked rows of a people workbook and the people they name."""

    people: dict[str, Row]
    existing: dict[str, Person]
    entities: list[_Entity]


def _person_values(row: Row) -> dict[str, Any]:
    """The registry fields of a person row, normalised as the model stores them."""
    values = {name: row.values[name] for name in PERSON_FIELDS}
    values["full_name"] = " ".join(str(values["full_name"]).split())
    return values


def _people_check(
    sheets: dict[str, list[Row]], scope: Scope, problems: Problems
) -> tuple[dict[str, Row], dict[str, Person], list[_Entity]]:
    """Validate the people workbook against itself, the database and the actor's scope."""
    people = duplicates_flag(
        PERSON_SHEET,
        sheets[PERSON_SHEET.name],
        lambda r: r.values["code"] or None,
        "code",
        problems,
        "mã cán bộ",
    )
    referenced = set(people)
    for spec in (POST_SHEET, DISCIPLINE_SHEET, REWARD_SHEET):
        referenced |= codes_of(sheets[spec.name], "person")
    existing = {p.code: p for p in by_codes(Person.objects.all(), referenced)}
    units = {
        # Instances rather than ids: a post's str() names its unit, and the audit trail calls it.
        u.code: u
        for u in Unit.objects.only("id", "code", "path", "name")
    }
    authorities = dict(Authority.objects.values_list("code", "id"))
    for spec in (POST_SHEET, DISCIPLINE_SHEET, REWARD_SHEET):
        for row in sheets[spec.name]:
            code = row.values["person"]
            if code and code not in people and code not in existing:
                problems.add(
                    spec,
                    row,
                    "person",
                    "không tìm thấy cán bộ có mã này (trong sheet «Cán bộ» hoặc trong hệ thống)",
                )
    for row in people.values():
        values = row.values
        joined, born = values["party_joined"], values["birth_date"]
        if joined and values["is_party_member"] is False:
            problems.add(PERSON_SHEET, row, "party_joined", "có nhưng cột «Đảng viên» là Không")
        elif joined and born and joined <= born:
            problems.add(PERSON_SHEET, row, "party_joined", "không được trước ngày sinh")

    posts = _posts_entity(sheets[POST_SHEET.name], existing, units, authorities, problems)
    _heads_check(posts, units, problems)
    entities = [
        posts,
        _discipline_entity(sheets[DISCIPLINE_SHEET.name], existing, problems),
        _reward_entity(sheets[REWARD_SHEET.name], existing, problems),
    ]
    if not scope.everything:
        _people_scope_check(people, existing, entities, units, scope, problems)
    return people, existing, entities


def _people_scope_check(
    people: dict[str, Row],
    existing: dict[str, Person],
    entities: list[_Entity],
    units: dict[str, Unit],
    scope: Scope,
    problems: Problems,
) -> None:
    """Flag every row naming a person the actor may not change, and every post that would
    create or change something outside the actor's subtrees.

    A person is changed only if they hold a post in the actor's subtrees today; a row that
    changes nothing is accepted also for someone who held one there before (the actor's own
    records), never for anyone else: its answer (accepted or not) would tell whether the file
    matches the record of a person the actor may not see.
    """
    writable = _people_codes(people_write_q(scope), existing)
    known = writable | _people_codes(_posted_in_q(scope.write_paths), existing)
    newcomers: set[str] = set()
    posts, *records = entities
    for key, row in posts.rows.items():
        unit = units.get(row.values["unit"])
        code = row.values["person"]
        if unit is None or not row.ok:
            continue
        writes = posts.writes(key, row)
        if code in existing and code not in writable:
            # A post in one of the actor's units would bring the person into the actor's scope.
            if writes or code not in known:
                problems.add(POST_SHEET, row, "person", f"là cán bộ {OUT_OF_SCOPE}")
        elif in_paths(unit.path, scope.write_paths):
            if code not in existing:
                newcomers.add(code)  # a newcomer to one of the actor's units
        elif writes:
            problems.add(POST_SHEET, row, "unit", f"là đơn vị {OUT_OF_SCOPE}")
    for code, row in people.items():
        if code in writable or code in newcomers or not row.ok:
            continue
        person = existing.get(code)
        if person is None:
            problems.add(
                PERSON_SHEET,
                row,
                "code",
                "là cán bộ mới nhưng không có chức vụ nào (sheet «Chức vụ») tại đơn vị thuộc "
                "phạm vi bạn được quyền cập nhật",
            )
        elif code not in known or values_differ(person, _person_values(row)):
            problems.add(PERSON_SHEET, row, "code", f"là cán bộ {OUT_OF_SCOPE}")
    for entity in records:
        for key, row in entity.rows.items():
            code = row.values["person"]
            if not row.ok or code in writable or code in newcomers:
                continue
            if code not in known or entity.writes(key, row):
                problems.add(entity.spec, row, "person", f"là cán bộ {OUT_OF_SCOPE}")


def _people_codes(condition: Q, existing: dict[str, Person]) -> set[str]:
    """The codes, among the existing people, of those matching a condition."""
    codes: set[str] = set()
    for chunk in chunks(sorted(existing)):
        matching = Person.objects.filter(condition, code__in=chunk)
        codes.update(matching.values_list("code", flat=True))
    return codes


def _posted_in_q(paths: Sequence[str]) -> Q:
    """People who hold or held a post in one of the subtrees, at any time."""
    condition = Q(pk__in=[])
    for path in paths:
        held = Post.objects.filter(person=OuterRef("pk"), unit__path__startswith=path)
        condition |= Q(Exists(held))
    return condition


def _existing_by_person(
    model: type[Post] | type[Discipline] | type[Reward],
    existing_people: dict[str, Person],
    codes: Iterable[str],
    key: Callable[[Any, str], Key],
) -> dict[Key, Any]:
    """The database rows of a per-person model for these people, by identity."""
    code_of = {existing_people[c].pk: c for c in set(codes) if c in existing_people}
    found: dict[Key, Any] = {}
    for chunk in chunks(sorted(code_of)):
        for obj in model._default_manager.filter(person_id__in=chunk):
            found[key(obj, code_of[obj.person_id])] = obj
    return found


def _key_of(fields: Sequence[str]) -> Callable[[Row], Key | None]:
    """A function giving a row's identity from some of its values (None if one is missing)."""

    def key(row: Row) -> Key | None:
        """The identity of a row."""
        parts = tuple(row.values[name] for name in fields)
        return parts if all(parts) else None

    return key


def _posts_entity(
    rows: list[Row],
    existing: dict[str, Person],
    units: dict[str, Unit],
    authorities: dict[str, int],
    problems: Problems,
) -> _Entity:
    """Validate post rows; posts are identified by (person, unit, title, start date)."""
    spec = POST_SHEET
    for row in rows:
        values = row.values
        if values["unit"] and values["unit"] not in units:
            problems.add(spec, row, "unit", "không tìm thấy đơn vị có mã này trong hệ thống")
        if values["managed_by"] and values["managed_by"] not in authorities:
            problems.add(
                spec, row, "managed_by", "không tìm thấy cấp có thẩm quyền có mã này trong hệ thống"
            )
        start, end = values["start_date"], values["end_date"]
        if start and end and end < start:
            problems.add(spec, row, "end_date", f"trước ngày bắt đầu ({date_text(start)})")
        if values["is_head"] and values["is_deputy"]:
            problems.add(
                spec, row, "is_deputy", "là Có nhưng người đứng đầu không thể đồng thời là cấp phó"
            )
    by_key = duplicates_flag(
        spec,
        rows,
        _key_of(("person", "unit", "title", "start_date")),
        "title",
        problems,
        "chức vụ (cùng mã cán bộ, mã đơn vị, chức danh và từ ngày)",
    )
    unit_by_pk = {u.pk: u for u in units.values()}
    posts = _existing_by_person(
        Post,
        existing,
        (k[0] for k in by_key),
        lambda p, code: (code, unit_by_pk[p.unit_id].code, p.title, p.start_date),
    )
    for post in posts.values():
        post.unit = unit_by_pk[post.unit_id]  # str(post) in the audit trail reads it

    def updates(row: Row) -> dict[str, Any]:
        """The fields an import may change on a post."""
        v = row.values
        return {
            "is_head": v["is_head"],
            "is_deputy": v["is_deputy"],
            "is_key": v["is_key"],
            "duty_group": v["duty_group"] or "",
            "managed_by_id": authorities.get(v["managed_by"]) if v["managed_by"] else None,
            "end_date": v["end_date"],
        }

    return _Entity(
        spec=spec,
        model=Post,
        action="post.import",
        name="post",
        rows=by_key,
        existing=posts,
        identity=lambda r: {
            "unit": units[r.values["unit"]],
            "title": r.values["title"],
            "start_date": r.values["start_date"],
        },
        updates=updates,
    )


def _discipline_entity(rows: list[Row], existing: dict[str, Person], problems: Problems) -> _Entity:
    """Disciplines are identified by (person, kind, date, decision number)."""
    fields = ("person", "kind", "date", "decision_number")
    by_key = duplicates_flag(
        DISCIPLINE_SHEET, rows, _key_of(fields), "decision_number", problems, "quyết định kỷ luật"
    )
    return _Entity(
        spec=DISCIPLINE_SHEET,
        model=Discipline,
        action="discipline.import",
        name="discipline",
        rows=by_key,
        existing=_existing_by_person(
            Discipline,
            existing,
            (k[0] for k in by_key),
            lambda d, code: (code, d.kind, d.date, d.decision_number),
        ),
        identity=lambda r: {name: r.values[name] for name in fields[1:]},
        updates=lambda r: {
            "form": r.values["form"],
            "issuing_body": r.values["issuing_body"],
            "reason": r.values["reason"] or "",
            "duty_related": r.values["duty_related"],
            "self_remedied": r.values["self_remedied"],
        },
    )


def _reward_entity(rows: list[Row], existing: dict[str, Person], problems: Problems) -> _Entity:
    """Rewards are identified by (person, date, decision number)."""
    fields = ("person", "date", "decision_number")
    by_key = duplicates_flag(
        REWARD_SHEET, rows, _key_of(fields), "decision_number", problems, "quyết định khen thưởng"
    )
    return _Entity(
        spec=REWARD_SHEET,
        model=Reward,
        action="reward.import",
        name="reward",
        rows=by_key,
        existing=_existing_by_person(
            Reward,
            existing,
            (k[0] for k in by_key),
            lambda r, code: (code, r.date, r.decision_number),
        ),
        identity=lambda r: {name: r.values[name] for name in fields[1:]},
        updates=lambda r: {"form": r.values["form"], "issuing_body": r.values["issuing_body"]},
    )


Span = tuple[datetime.date, datetime.date | None]


def _overlap(a: Span, b: Span) -> bool:
    """True if two date spans (open-ended when the end is None) share a day."""
    return a[0] <= (b[1] or datetime.date.max) and b[0] <= (a[1] or datetime.date.max)


def _heads_check(
    posts: _Entity,
    units: dict[str, Unit],
    problems: Problems,
) -> None:
    """Flag a person heading two units at overlapping times, file and database together."""
    file_heads: dict[str, list[Row]] = defaultdict(list)
    for row in posts.rows.values():
        if row.ok and row.values["is_head"]:
            file_heads[row.values["person"]].append(row)
    # posts.existing holds every post of the people the sheet lists; a post the file also
    # lists is judged by the file's version of it.
    db_heads: dict[str, list[Post]] = defaultdict(list)
    for key, post in posts.existing.items():
        if post.is_head and key not in posts.rows:
            db_heads[key[0]].append(post)
    unit_name = {u.pk: u.name for u in units.values()}
    for code, rows in file_heads.items():
        for index, row in enumerate(rows):
            span = (row.values["start_date"], row.values["end_date"])
            clash = next(
                (
                    f"cán bộ này cũng đứng đầu «{units[e.values['unit']].name}» "
                    f"trong cùng thời gian (dòng {e.number})"
                    for e in rows[:index]
                    if e.values["unit"] != row.values["unit"]
                    and _overlap(span, (e.values["start_date"], e.values["end_date"]))
                ),
                None,
            ) or next(
                (
                    f"cán bộ này đang là người đứng đầu «{unit_name[p.unit_id]}» ({p.title}) "
                    f"từ {date_text(p.start_date)} đến {date_text(p.end_date)}, trùng thời gian"
                    for p in db_heads.get(code, [])
                    if p.unit_id != units[row.values["unit"]].pk
                    and _overlap(span, (p.start_date, p.end_date))
                ),
                None,
            )
            if clash:
                problems.add(POST_SHEET, row, "is_head", f"là Có nhưng {clash}")


def _people_write(
    people: dict[str, Row], existing: dict[str, Person], report: ImportReport, audit: AuditBuffer
) -> dict[str, int]:
    """Create and update people; return the id of every person the file mentions."""
    counts = report.of("person")
    created: list[Person] = []
    changed: list[tuple[Person, dict[str, Any]]] = []
    for code, row in people.items():
        values = _person_values(row)
        person = existing.get(code)
        if person is None:
            person = Person(code=code, **values)
            person.refresh_name_keys()
            created.append(person)
        elif values_differ(person, values):
            before = snapshot(person)
            values_apply(person, values)
            person.refresh_name_keys()
            changed.append((person, before))
        else:
            counts.unchanged += 1
    Person.objects.bulk_create(created, batch_size=WRITE_BATCH)
    if any(p.pk is None for p in created):
        ids = code_ids(Person.objects.all(), [p.code for p in created])
        for person in created:
            person.pk = ids[person.code]
    Person.objects.bulk_update(
        [p for p, _ in changed], [*PERSON_FIELDS, "sort_key", "search_text"], batch_size=WRITE_BATCH
    )
    for person in created:
        audit.add("person.import", person)
    for person, before in changed:
        audit.add("person.import", person, before, snapshot(person))
    counts.created += len(created)
    counts.updated += len(changed)
    ids = {code: p.pk for code, p in existing.items()}
    ids.update({p.code: p.pk for p in created})
    return ids


def _entity_write(
    entity: _Entity, ids: dict[str, int], report: ImportReport, audit: AuditBuffer
) -> None:
    """Create the rows of a per-person sheet missing from the database, update those that differ."""
    counts = report.of(entity.name)
    created: list[models.Model] = []
    changed: list[tuple[models.Model, dict[str, Any]]] = []
    fields: list[str] = []
    for key, row in entity.rows.items():
        updates = entity.updates(row)
        fields = [name.removesuffix("_id") for name in updates]
        obj = entity.existing.get(key)
        if obj is None:
            person_id = ids[row.values["person"]]
            created.append(entity.model(person_id=person_id, **entity.identity(row), **updates))
        elif values_differ(obj, updates):
            before = snapshot(obj)
            values_apply(obj, updates)
            changed.append((obj, before))
        else:
            counts.unchanged += 1
    manager = entity.model._default_manager
    manager.bulk_create(created, batch_size=WRITE_BATCH)
    if changed:
        manager.bulk_update([obj for obj, _ in changed], fields, batch_size=WRITE_BATCH)
    created_check(created)
    for obj in created:
        audit.add(entity.action, obj)
    for obj, before in changed:
        audit.add(entity.action, obj, before, snapshot(obj))
    counts.created += len(created)
    counts.updated += len(changed)
