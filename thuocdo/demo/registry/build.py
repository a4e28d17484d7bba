"""The demo city "Thành phố Mẫu": a fictional but realistic organisation, people and logins.

The whole city is planned in plain Python first (units, posts, people), then written in bulk
(`thuocdo.demo.bulk`: COPY on PostgreSQL), a handful of statements per table. Everything
random comes from one `random.Random(seed)`, so a seed always gives the same city, names
included.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from random import Random
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.db import transaction

from thuocdo.audit.services import audit_record
from thuocdo.demo.bulk import next_id, objects_insert, rows_insert, sequences_reset
from thuocdo.demo.common import DemoError, Progress
from thuocdo.org.models import (
    Authority,
    Discipline,
    DisciplineForm,
    DisciplineKind,
    Person,
    Post,
    Reward,
    Role,
    RoleAssignment,
    Unit,
    User,
)
from thuocdo.org.names import search_text

from .city import KH
from .plan import (
    LOGIN_UNITS,
    _date_in,
    _people,
    _PersonPlan,
    _pick,
    _Plan,
    _plan,
    _Slot,
    _start_date,
    _UnitPlan,
)

T = TypeVar("T")

DEMO_PASSWORD = "ThuocDo@2026"  # noqa: S105 - the documented password of the fictional demo logins
# Rows per bulk_create call on PostgreSQL; Django lowers it by itself where SQLite needs it.
BATCH = 2000
# Rows handed to the database between two progress reports.
CHUNK = 5000

STAGE_UNITS = "Đơn vị"
STAGE_PEOPLE = "Cán bộ"
STAGE_POSTS = "Chức vụ"
STAGE_RECORDS = "Khen thưởng, kỷ luật"
STAGE_LOGINS = "Tài khoản"


@dataclass(frozen=True)
class DemoLogin:
    """One demo login, as printed for the user."""

    username: str
    password: str
    role: str
    sees: str


@dataclass(frozen=True)
class DemoSummary:
    """What `demo_build` created."""

    counts: dict[str, int]
    logins: tuple[DemoLogin, ...]
    elapsed: float


# ---------------------------------------------------------------------------------------------
# Discipline and rewards.

DISCIPLINE_REASONS = (
    "Thiếu trách nhiệm trong thực hiện nhiệm vụ được giao",
    "Vi phạm quy định về quản lý tài chính, tài sản công",
    "Vi phạm quy định về kê khai tài sản, thu nhập",
    "Vi phạm quy chế làm việc của cơ quan",
    "Để xảy ra sai phạm trong quản lý đất đai trên địa bàn",
)


def _issuers(unit: _UnitPlan) -> tuple[str, str, str, str]:
    """Party inspection body, its decision suffix, the State body, and its suffix."""
    if unit.commune is not None:
        return f"Đảng ủy {unit.commune.name}", "QĐ/ĐU", f"UBND {unit.commune.name}", "QĐ-UBND"
    if unit.district is not None:
        committee = "Huyện ủy" if unit.district.code.startswith("H") else "Quận ủy"
        return (
            f"Ủy ban Kiểm tra {committee} {unit.district.name}",
            "QĐ/UBKTQU" if committee == "Quận ủy" else "QĐ/UBKTHU",
            f"UBND {unit.district.name}",
            "QĐ-UBND",
        )
    return "Ủy ban Kiểm tra Thành ủy", "QĐ/UBKTTU", "UBND Thành phố Mẫu", "QĐ-UBND"


def _disciplines(rng: Random, people: list[_PersonPlan], skip: set[int]) -> list[Discipline]:
    """About 0.5% of people disciplined in 2025–2026."""
    candidates = [i for i in range(len(people)) if i not in skip]
    count = min(len(candidates), round(len(people) * 0.005))
    records: list[Discipline] = []
    for i in sorted(rng.sample(candidates, count)):
        plan = people[i]
        person, slot = plan.person, plan.slot
        party_body, party_suffix, state_body, state_suffix = _issuers(slot.unit)
        party = person.is_party_member and (slot.category == KH or rng.random() < 0.6)
        leader = slot.is_head or slot.is_deputy
        form = rng.choices(
            [DisciplineForm.REPRIMAND, DisciplineForm.WARNING, DisciplineForm.DISMISSAL],
            [6, 3, 1 if leader else 0],
        )[0]
        number = rng.randint(3, 480)
        records.append(
            Discipline(
                person=person,
                kind=DisciplineKind.PARTY if party else DisciplineKind.ADMINISTRATIVE,
                form=form,
                date=_date_in(rng, datetime.date(2025, 1, 6), datetime.date(2026, 10, 30)),
                decision_number=f"{number}-{party_suffix}" if party else f"{number}/{state_suffix}",
                issuing_body=party_body if party else state_body,
                reason=_pick(rng, DISCIPLINE_REASONS),
                duty_related=rng.random() < 0.8,
                self_remedied=rng.random() < 0.2,
            )
        )
    return records


def _rewards(rng: Random, people: list[_PersonPlan]) -> list[Reward]:
    """About 5% of people commended in 2024–2026."""
    count = round(len(people) * 0.05)
    records: list[Reward] = []
    for i in sorted(rng.sample(range(len(people)), count)):
        plan = people[i]
        _, _, state_body, suffix = _issuers(plan.slot.unit)
        form = rng.choices(["Giấy khen", "Bằng khen", "Chiến sĩ thi đua cơ sở"], [12, 5, 3])[0]
        # A Bằng khen comes from the city; certificates and emulation titles from the locality.
        body = "UBND Thành phố Mẫu" if form == "Bằng khen" else state_body
        records.append(
            Reward(
                person=plan.person,
                form=form,
                date=_date_in(rng, datetime.date(2024, 1, 15), datetime.date(2026, 9, 30)),
                decision_number=f"{rng.randint(10, 4800)}/{suffix}",
                issuing_body=body,
            )
        )
    return records


# ---------------------------------------------------------------------------------------------
# Writing.


def _write(
    model_rows: Sequence[T], create: Callable[[Sequence[T]], object], stage: str, progress: Progress
) -> None:
    """Insert rows in chunks, reporting progress after each."""
    total = len(model_rows)
    progress(stage, 0, total)
    for start in range(0, total, CHUNK):
        create(model_rows[start : start + CHUNK])
        progress(stage, min(total, start + CHUNK), total)


def _quiet(stage: str, done: int, total: int) -> None:
    """A progress callback that reports nothing."""


def demo_is_empty() -> bool:
    """True when the database holds no units and no people (so the demo may be loaded)."""
    return not Unit.objects.exists() and not Person.objects.exists()


LOGIN_USERNAMES = (
    "canhan", "lanhdao", "thutruong", "bantochuc", "bantochuc.q1", "thamquyen", "quantri",
)  # fmt: skip


def demo_build(
    *, people: int = 3000, seed: int = 2026, progress: Progress | None = None
) -> DemoSummary:
    """Build the demo city with exactly `people` people, its records and one login per role."""
    started = time.monotonic()
    report = progress or _quiet
    if people < 1:
        raise DemoError("Số người phải lớn hơn 0.")
    if not demo_is_empty():
        raise DemoError(
            "Cơ sở dữ liệu đã có dữ liệu; chỉ dựng dữ liệu mẫu trên cơ sở dữ liệu trống."
        )
    taken = sorted(
        User.objects.filter(username__in=LOGIN_USERNAMES).values_list("username", flat=True)
    )
    if taken:
        raise DemoError(f"Đã có tài khoản trùng tên với tài khoản mẫu: {', '.join(taken)}.")
    rng = Random(seed)
    plan = _plan(people, rng)
    planned = _people(plan, rng)
    with transaction.atomic():
        _write_units(plan, report)
        authorities = _write_authorities(plan)
        logins, users, linked = _logins(plan, planned, authorities)
        _write(planned, lambda rows: objects_insert([p.person for p in rows]),
               STAGE_PEOPLE, report)  # fmt: skip
        posts = _posts(rng, planned, authorities)
        _write(posts, _posts_insert, STAGE_POSTS, report)
        disciplines = _disciplines(rng, planned, linked)
        rewards = _rewards(rng, planned)
        records = len(disciplines) + len(rewards)
        report(STAGE_RECORDS, 0, records)
        objects_insert(disciplines)
        objects_insert(rewards)
        report(STAGE_RECORDS, records, records)
        _write_logins(plan, users, report)
        counts = {
            "units": len(plan.units),
            "people": len(planned),
            "posts": len(posts),
            "authorities": len(authorities),
            "disciplines": len(disciplines),
            "rewards": len(rewards),
            "users": len(users),
        }
        audit_record(
            actor=None,
            action="demo.build",
            obj=plan.root.obj,
            after={**counts, "seed": seed},
            note="Dữ liệu mẫu Thành phố Mẫu",
        )
    return DemoSummary(counts=counts, logins=logins, elapsed=time.monotonic() - started)


def _write_units(plan: _Plan, report: Progress) -> None:
    """Insert units parents first, with the ids a fresh table gives them in that order, so
    that their materialised paths are known before the one insert."""
    total = len(plan.units)
    report(STAGE_UNITS, 0, total)
    levels: dict[int, list[_UnitPlan]] = {}
    depth_of: dict[str, int] = {}
    for unit in plan.units:
        depth = depth_of[unit.parent.code] + 1 if unit.parent else 0
        depth_of[unit.code] = depth
        levels.setdefault(depth, []).append(unit)
    objs: list[Unit] = []
    first = next_id(Unit)
    for depth in sorted(levels):
        for unit in levels[depth]:
            parent = unit.parent.obj if unit.parent else None
            unit.obj = Unit(
                pk=first + len(objs),
                code=unit.code,
                name=unit.name,
                kind=unit.kind,
                parent=parent,
                is_party_grassroots=unit.grassroots,
                depth=depth,
                search_text=search_text(unit.name, unit.code),
            )
            unit.obj.path = (parent.path if parent else "") + unit.obj.own_segment()
            objs.append(unit.obj)
    objects_insert(objs)
    report(STAGE_UNITS, total, total)


def _write_authorities(plan: _Plan) -> dict[str, Authority]:
    """Insert the competent authorities, by code."""
    authorities = {
        code: Authority(code=code, name=name, unit=unit.obj)
        for code, name, unit in plan.authorities
    }
    Authority.objects.bulk_create(list(authorities.values()))
    return authorities


# The columns of a post as `_posts` plans it (the rest of a post is empty: no end date).
POST_COLUMNS = (
    "id", "person_id", "unit_id", "title", "is_head", "is_deputy", "is_key", "duty_group",
    "managed_by_id", "start_date",
)  # fmt: skip


def _posts(
    rng: Random, people: list[_PersonPlan], authorities: dict[str, Authority]
) -> list[tuple[Any, ...]]:
    """One post per planned slot, for the person holding it (inserted), as the row written,
    with the ids a fresh table gives in this order."""
    posts: list[tuple[Any, ...]] = []
    first = next_id(Post)
    for plan in people:
        for slot in plan.posts:
            unit = slot.unit.obj
            assert unit is not None and plan.person.pk is not None
            leader = slot.is_head or slot.is_deputy
            posts.append(
                (
                    first + len(posts),
                    plan.person.pk,
                    unit.pk,
                    slot.title,
                    slot.is_head,
                    slot.is_deputy,
                    slot.unit.profile.key and leader,
                    slot.group,
                    authorities[slot.managed_by].pk if slot.managed_by else None,
                    _start_date(rng, slot, plan.person.birth_date),
                )
            )
    return posts


def _posts_insert(posts: Sequence[tuple[Any, ...]]) -> None:
    """Insert planned posts (`_posts`) and move the table's id sequence past them."""
    rows_insert(Post, POST_COLUMNS, posts)
    sequences_reset(Post)


def _find(plan: _Plan, code: str, want: Callable[[_Slot], bool]) -> _Slot:
    """The first post of a unit that matches."""
    unit = next(u for u in plan.units if u.code == code)
    return next(slot for slot in unit.slots if want(slot))


def _logins(
    plan: _Plan, people: list[_PersonPlan], authorities: dict[str, Authority]
) -> tuple[tuple[DemoLogin, ...], dict[str, tuple[User, list[RoleAssignment]]], set[int]]:
    """Plan the demo logins, link them to demo people, and describe what each one sees."""
    commune_office, city_board, district_board = LOGIN_UNITS

    def staff(slot: _Slot) -> bool:
        return not (slot.is_head or slot.is_deputy)

    def deputy(slot: _Slot) -> bool:
        return slot.is_deputy

    def head(slot: _Slot) -> bool:
        return slot.is_head

    office = _find(plan, commune_office, head).unit
    district = office.district
    assert office.obj is not None and district is not None and district.obj is not None
    assert plan.root.obj is not None
    linked: dict[str, _Slot | None] = {
        "canhan": _find(plan, commune_office, staff),
        "lanhdao": _find(plan, commune_office, deputy),
        "thutruong": _find(plan, commune_office, head),
        "bantochuc": _find(plan, city_board, staff),
        "bantochuc.q1": _find(plan, district_board, staff),
        # The standing board that manages the logins' ward (its leaders by their posts, its
        # staff as the nearest board above them): the authority that concludes their year.
        "thamquyen": _find(plan, district.code, head),
        "quantri": None,
    }
    ward_authority = authorities[f"BTV-{district.code}"]
    roles: dict[str, list[RoleAssignment]] = {
        "canhan": [RoleAssignment(role=Role.PERSON)],
        "lanhdao": [RoleAssignment(role=Role.LEADER, unit=office.obj)],
        "thutruong": [RoleAssignment(role=Role.HEAD, unit=office.obj)],
        "bantochuc": [RoleAssignment(role=Role.ORGANISER, unit=plan.root.obj)],
        "bantochuc.q1": [RoleAssignment(role=Role.ORGANISER, unit=district.obj)],
        "thamquyen": [RoleAssignment(role=Role.AUTHORITY, authority=ward_authority)],
        "quantri": [RoleAssignment(role=Role.ADMIN)],
    }
    me = people[linked["canhan"].person] if linked["canhan"] else None
    sees = {
        "canhan": f"Chỉ hồ sơ của chính mình ({me.person.full_name if me else ''}, {office.name})",
        "lanhdao": f"Cán bộ đang công tác tại {office.name}",
        "thutruong": f"Toàn bộ {office.name} và đơn vị trực thuộc",
        "bantochuc": "Toàn bộ Thành phố Mẫu (được sửa hồ sơ)",
        "bantochuc.q1": f"Chỉ {district.name} và đơn vị trực thuộc; không thấy quận, huyện khác",
        "thamquyen": f"Cán bộ diện {ward_authority.name} quản lý (kể cả {office.name})",
        "quantri": "Tất cả, kể cả trang quản trị hệ thống",
    }
    password = make_password(DEMO_PASSWORD)  # hashed once: every demo login shares it
    users: dict[str, tuple[User, list[RoleAssignment]]] = {}
    logins: list[DemoLogin] = []
    taken: set[int] = set()
    for username in LOGIN_USERNAMES:
        admin = username == "quantri"
        user = User(username=username, password=password, is_staff=admin, is_superuser=admin)
        slot = linked[username]
        if slot is not None:
            first, last = _split_name(people[slot.person].person.full_name)
            user.first_name, user.last_name = first, last
            taken.add(slot.person)
        users[username] = (user, roles[username])
        label = Role(roles[username][0].role).label
        logins.append(DemoLogin(username, DEMO_PASSWORD, str(label), sees[username]))
    # Link people to logins before the people are inserted, so no update is needed later.
    User.objects.bulk_create([user for user, _ in users.values()])
    for username, slot in linked.items():
        if slot is not None:
            people[slot.person].person.user = users[username][0]
    return tuple(logins), users, taken


def _split_name(full_name: str) -> tuple[str, str]:
    """Django's first and last name fields from a Vietnamese full name (given, family)."""
    words = full_name.split()
    return words[-1], " ".join(words[:-1])


def _write_logins(
    plan: _Plan, users: dict[str, tuple[User, list[RoleAssignment]]], report: Progress
) -> None:
    """Insert the role assignments of the demo logins."""
    report(STAGE_LOGINS, 0, len(users))
    assignments = []
    for user, roles in users.values():
        for assignment in roles:
            assignment.user = user
            assignments.append(assignment)
    RoleAssignment.objects.bulk_create(assignments)
    report(STAGE_LOGINS, len(users), len(users))
