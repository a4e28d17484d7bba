"""DESIGN §4.7.2: the Party members' quota group is their grassroots Party organisation (a đảng
bộ cơ sở, or a chi bộ cơ sở with no đảng bộ cơ sở above it); a chi bộ under a đảng bộ cơ sở
counts in the đảng bộ's group (HD 21-HD/BTCTW §II 2.3 a: "không vượt quá 20% số đảng viên
được xếp loại 'Hoàn thành tốt nhiệm vụ' trong từng tổ chức cơ sở đảng")."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.reviews.annual.cycle import open_year
from thuocdo.org import services as org
from thuocdo.org.models import UnitKind
from thuocdo.reviews.annual.services import opening
from thuocdo.reviews.models import Evaluation, EvaluationGroup


@dataclass
class _Forest:
    """A Party tree in memory: parents, kinds, the grassroots marks, and for every unit the
    grassroots organisation it lies in (None above them)."""

    parents: dict[int, int | None] = field(default_factory=dict)
    kinds: dict[int, str] = field(default_factory=dict)
    grassroots: set[int] = field(default_factory=set)
    expected: dict[int, int | None] = field(default_factory=dict)

    def add(self, parent: int | None, kind: str, *, mark: bool = False) -> int:
        uid = len(self.parents) + 1
        self.parents[uid], self.kinds[uid] = parent, kind
        if mark:
            self.grassroots.add(uid)
        above = self.expected.get(parent) if parent is not None else None
        self.expected[uid] = above if above is not None else (uid if mark else None)
        return uid

    def path(self, uid: int) -> str:
        chain: list[int] = []
        cur: int | None = uid
        while cur is not None:
            chain.append(cur)
            cur = self.parents[cur]
        return "".join(f"{u:010d}/" for u in reversed(chain))


# Inside a đảng bộ cơ sở: chi bộ, state units (a commune's UBND) and đảng bộ bộ phận with their
# own chi bộ, nested to any depth.
_Node = tuple[str, list[Any]]
_INSIDE: st.SearchStrategy[_Node] = st.recursive(
    st.sampled_from([UnitKind.PARTY_CELL, UnitKind.STATE, UnitKind.FRONT]).map(lambda k: (k, [])),
    lambda sub: st.tuples(st.just(UnitKind.PARTY), st.lists(sub, max_size=3)),
    max_leaves=12,
)
# Under the city and its district committees: đảng bộ cơ sở (with their insides) and chi bộ
# cơ sở, both marked, under zero to three district committees.
_GRASSROOTS: st.SearchStrategy[_Node] = st.one_of(
    st.tuples(st.just("dang_bo"), st.lists(_INSIDE, max_size=4)),
    st.tuples(st.just("chi_bo_co_so"), st.just([])),
)
_FORESTS = st.lists(st.lists(_GRASSROOTS, min_size=1, max_size=4), min_size=1, max_size=3)


def _build(districts: list[list[_Node]]) -> _Forest:
    forest = _Forest()
    city = forest.add(None, UnitKind.PARTY)

    def inside(parent: int, node: _Node) -> None:
        kind, children = node
        uid = forest.add(parent, kind)
        for child in children:
            inside(uid, child)

    for organisations in districts:
        district = forest.add(city, UnitKind.PARTY)
        for what, children in organisations:
            kind = UnitKind.PARTY if what == "dang_bo" else UnitKind.PARTY_CELL
            top = forest.add(district, kind, mark=True)
            for child in children:
                inside(top, child)
    return forest


def _tree(forest: _Forest) -> opening._Tree:
    return opening._Tree(
        kinds=dict(forest.kinds),
        codes={uid: f"U-{uid}" for uid in forest.parents},
        paths={uid: forest.path(uid) for uid in forest.parents},
        parents=dict(forest.parents),
        authority_at={},
        grassroots=frozenset(forest.grassroots),
    )


@settings(max_examples=150, deadline=None)
@given(_FORESTS)
def test_party_members_are_grouped_by_their_grassroots_organisation(
    districts: list[list[_Node]],
) -> None:
    """For every unit inside a grassroots organisation, however deep (a chi bộ of a đảng bộ
    bộ phận of a đảng bộ cơ sở), a Party member posted there is counted in that organisation's
    group, and two members share a group exactly when they share the organisation."""
    forest = _build(districts)
    tree = _tree(forest)
    groups: dict[str, int] = {}
    for uid, organisation in forest.expected.items():
        if organisation is None:
            continue
        row = {"unit_id": uid, "duty_group": "", "title": "Đảng viên"}
        group = opening._quota_group(EvaluationGroup.PARTY_MEMBER, row, tree)
        assert group == f"ĐV:U-{organisation}"
        assert groups.setdefault(group, organisation) == organisation


def test_two_cells_of_a_commune_are_one_quota_group(world) -> None:
    """The case of issue 18: a commune whose đảng bộ cơ sở has two chi bộ gave the groups
    ĐV:…-CB1 and ĐV:…-CB2; both cells' members now count in the commune's group."""
    commune = org.unit_create(
        actor=None,
        code="X1",
        name="Đảng bộ xã Một",
        kind="party",
        parent=world.q1,
        is_party_grassroots=True,
    )
    members = []
    for n in (1, 2):
        cell = org.unit_create(
            actor=None, code=f"X1-CB{n}", name=f"Chi bộ ấp {n}", kind="party_cell", parent=commune
        )
        for i in range(2):
            person = org.person_create(
                None,
                code=f"DV-{n}{i}",
                full_name=f"Đảng Viên Ấp {n}{i}",
                birth_date=datetime.date(1970, 1, 1),
                gender="male",
                category="other",
                is_party_member=True,
            )
            org.post_create(
                None,
                person=person,
                unit=cell,
                title="Đảng viên",
                start_date=datetime.date(2020, 1, 1),
            )
            members.append(person)
    period = open_year(world, unit=commune)
    groups = set(
        Evaluation.objects.filter(period=period, person__in=members).values_list(
            "quota_group", flat=True
        )
    )
    assert groups == {"ĐV:X1"}
    # Opened over one cell only, its members still count in the commune's group.
    cell1 = commune.children.get(code="X1-CB1")
    period = open_year(world, unit=cell1)
    assert set(
        Evaluation.objects.filter(period=period, group="party_member").values_list(
            "quota_group", flat=True
        )
    ) == {"ĐV:X1"}
