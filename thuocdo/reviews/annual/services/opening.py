"""Opening a year: one evaluation per active unit (its collective) and per active post at the end
of the year, each with its group, rule-set, quota group and competent authority, inserted in
one bulk statement."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q

from thuocdo.audit.services import audit_record
from thuocdo.org.models import Authority, Category, Post, Unit
from thuocdo.org.party import grassroots_of
from thuocdo.reviews.annual.levels import STATE_GROUPS
from thuocdo.reviews.models import (
    Evaluation,
    EvaluationGroup,
    EvaluationState,
    Period,
    PeriodKind,
    SubjectKind,
)


def _year_end(period: Period) -> datetime.date:
    return datetime.date(period.year, 12, 31)


def _ancestors(path: str) -> list[int]:
    """Unit ids of a materialised path, root first."""
    return [int(seg) for seg in path.strip("/").split("/") if seg]


def _group_of(row: Mapping[str, Any]) -> str:
    """A person's group in one post: leaders by their post, then by category."""
    if row["is_head"] or row["is_deputy"]:
        return EvaluationGroup.LEADER
    category = row["person__category"]
    if category == Category.CIVIL_SERVANT:
        return EvaluationGroup.CIVIL_SERVANT
    if category == Category.PUBLIC_EMPLOYEE:
        return EvaluationGroup.PUBLIC_EMPLOYEE
    if row["person__is_party_member"]:
        return EvaluationGroup.PARTY_MEMBER
    return EvaluationGroup.CIVIL_SERVANT


@dataclass(frozen=True)
class _Tree:
    """The subtree's units in memory: kinds, codes, paths and the authorities on each."""

    kinds: dict[int, str]
    codes: dict[int, str]
    paths: dict[int, str]
    parents: dict[int, int | None]
    authority_at: dict[int, int]
    grassroots: frozenset[int] = frozenset()

    def nearest_authority(self, unit_id: int, *, strictly_above: bool = False) -> int | None:
        """The authority attached to the nearest unit on the path (the unit itself first)."""
        chain = _ancestors(self.paths[unit_id])
        if strictly_above:
            chain = chain[:-1]
        for uid in reversed(chain):
            if uid in self.authority_at:
                return self.authority_at[uid]
        return None

    def party_organisation(self, unit_id: int) -> int:
        """The grassroots Party organisation of a unit (DESIGN §4.7.2, org/party.py)."""
        return grassroots_of(_ancestors(self.paths[unit_id]), self.grassroots, self.kinds)


def _tree(period: Period) -> _Tree:
    units = Unit.objects.filter(path__startswith=period.unit.path, is_active=True)
    kinds, codes, paths, parents = {}, {}, {}, {}
    grassroots: set[int] = set()
    for pk, kind, code, path, parent, is_grassroots in units.values_list(
        "pk", "kind", "code", "path", "parent", "is_party_grassroots"
    ):
        kinds[pk], codes[pk], paths[pk], parents[pk] = kind, code, path, parent
        if is_grassroots:
            grassroots.add(pk)
    # Authorities above the period's unit count too: BTV Thành ủy concludes on a district.
    on_path = _ancestors(period.unit.path)
    authority_at: dict[int, int] = {}
    for auth_id, unit_id in (
        Authority.objects.filter(
            Q(unit_id__in=on_path) | Q(unit__path__startswith=period.unit.path)
        )
        .order_by("-id")
        .values_list("pk", "unit_id")
    ):
        authority_at[unit_id] = auth_id  # the oldest authority of a unit wins
    # The units above the period's unit name the quota group of its top collective, and the
    # grassroots Party organisation of a subtree opened below one (a cell of a commune).
    above = Unit.objects.filter(pk__in=on_path[:-1])
    for pk, kind, code, path, is_grassroots in above.values_list(
        "pk", "kind", "code", "path", "is_party_grassroots"
    ):
        kinds[pk], codes[pk], paths[pk] = kind, code, path
        if is_grassroots:
            grassroots.add(pk)
    return _Tree(kinds, codes, paths, parents, authority_at, frozenset(grassroots))


def _quota_group(group: str, row: Mapping[str, Any], tree: _Tree) -> str:
    """DESIGN §4.5: Party members per grassroots Party organisation, leaders per equivalent
    title, civil servants and public employees per unit and similar-duty group."""
    duty = row["duty_group"] or row["title"]
    if group == EvaluationGroup.LEADER:
        return f"LĐ:{duty}"
    if group == EvaluationGroup.PARTY_MEMBER:
        return f"ĐV:{tree.codes.get(tree.party_organisation(row['unit_id']), row['unit_id'])}"
    return f"CC:{tree.codes[row['unit_id']]}:{duty}"


def _insert_evaluations(period: Period, rows: list[tuple[Any, ...]]) -> None:
    """One INSERT executed for all rows (executemany): a city's year is 200,000 rows, and the
    ORM's per-field preparation of model instances cost ten times the database's own work."""
    quote = connection.ops.quote_name
    fixed = {
        "period_id": period.pk,
        "state": str(EvaluationState.PENDING),
        "self_level": "",
        "leader_level": "",
        "score_source": "",
        "proposed_level": "",
        "flags": "[]",
        "trace": "[]",
        "criteria": "{}",
        "level": "",
        "reason": "",
    }
    varying = [
        "kind",
        "person_id",
        "post_id",
        "unit_id",
        "group",
        "ruleset",
        "quota_group",
        "duty_group",
        "is_head",
        "authority_id",
    ]
    columns = ", ".join(quote(c) for c in [*fixed, *varying])
    marks = ", ".join(["%s"] * (len(fixed) + len(varying)))
    # Identifiers are fixed names quoted by the backend; every value is a parameter.
    table = quote(Evaluation._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
    head = tuple(fixed.values())
    with connection.cursor() as cursor:
        params: list[Any] = [head + row for row in rows]
        cursor.executemany(sql, params)


def evaluations_create(*, actor: Any, period: Period) -> int:
    """Create every evaluation of a year period's subtree in one bulk insert; returns the count.

    A collective per active unit, and a person per active post at the end of the year (a
    person with several posts is evaluated in each, HD 43).
    """
    if period.kind != PeriodKind.YEAR:
        raise ValidationError("Chỉ kỳ năm mới tạo phiếu đánh giá, xếp loại năm.")
    if period.evaluations.exists():
        raise ValidationError(f"{period} đã có phiếu đánh giá.")
    tree = _tree(period)
    rows: list[tuple[Any, ...]] = []
    for unit_id, parent_id in tree.parents.items():
        # The collective is concluded by the level above it (its own board cannot judge it).
        authority = tree.nearest_authority(unit_id, strictly_above=True)
        parent_code = tree.codes.get(parent_id) if parent_id else None
        quota_group = f"TT:{parent_code or tree.codes[unit_id]}"
        rows.append(
            (
                str(SubjectKind.COLLECTIVE),
                None,
                None,
                unit_id,
                str(EvaluationGroup.COLLECTIVE),
                period.ruleset_for(EvaluationGroup.COLLECTIVE),
                quota_group,
                tree.kinds[unit_id],
                False,
                authority,
            )
        )
    posts = (
        Post.objects.active(_year_end(period))
        .filter(unit_id__in=list(tree.parents))
        .order_by("unit_id", "person_id", "id")
        .values(
            "pk",
            "person_id",
            "unit_id",
            "is_head",
            "is_deputy",
            "title",
            "duty_group",
            "managed_by_id",
            "person__category",
            "person__is_party_member",
        )
    )
    party_ruleset = period.ruleset_for(EvaluationGroup.PARTY_MEMBER)
    party_done: set[int] = set()

    def person_row(row: Mapping[str, Any], group: str, authority: int | None) -> tuple[Any, ...]:
        return (
            str(SubjectKind.INDIVIDUAL),
            row["person_id"],
            row["pk"],
            row["unit_id"],
            str(group),
            period.ruleset_for(group),
            _quota_group(group, row, tree),
            row["duty_group"] or row["title"],
            row["is_head"] and group == EvaluationGroup.LEADER,
            authority,
        )

    for row in posts.iterator(chunk_size=5000):
        group = _group_of(row)
        # Without a named authority the post falls to the nearest board on its path.
        authority = row["managed_by_id"] or tree.nearest_authority(row["unit_id"])
        rows.append(person_row(row, group, authority))
        # A Party member classified as công chức or viên chức under a State rule-set is also
        # classified once as a Party member, in their Party organisation's quota group.
        if (
            row["person__is_party_member"]
            and group in STATE_GROUPS
            and period.ruleset_for(group) != party_ruleset
            and row["person_id"] not in party_done
        ):
            party_done.add(row["person_id"])
            rows.append(person_row(row, EvaluationGroup.PARTY_MEMBER, authority))
    _insert_evaluations(period, rows)
    audit_record(
        actor=actor,
        action="evaluation.create_batch",
        obj=period,
        after={
            "evaluations": len(rows),
            "collectives": len(tree.parents),
            "people": len(rows) - len(tree.parents) - len(party_done),
            "party_members_also": len(party_done),
        },
    )
    return len(rows)
