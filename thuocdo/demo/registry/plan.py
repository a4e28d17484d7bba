"""The demo city planned in plain Python, no database: units and their leader slots for a
shape shrunk until the people suffice, then one invented person per post."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from random import Random
from typing import TypeVar

from thuocdo.demo.common import DemoError
from thuocdo.org.models import Gender, Person, Unit, UnitKind
from thuocdo.org.names import search_text, sort_key

from .city import (
    CITY_AUTHORITY_CODE,
    CITY_BOARDS,
    COMMUNE_NAMES,
    DEPARTMENTS,
    DISTRICT_OFFICES,
    FAMILY_NAMES,
    GIVEN_FEMALE,
    GIVEN_MALE,
    HOSPITAL_NAMES,
    KH,
    MASS_ORGANISATIONS,
    MIDDLE_FEMALE,
    MIDDLE_FEMALE_SECOND,
    MIDDLE_MALE,
    MINORITIES,
    MINORITY_RATE,
    P_CELL,
    P_CITY,
    P_CITY_BOARD,
    P_CITY_FRONT,
    P_CITY_HDND,
    P_CITY_OFFICE,
    P_CITY_UBND,
    P_COMMUNE,
    P_COMMUNE_FRONT,
    P_COMMUNE_UBND,
    P_DEPARTMENT,
    P_DISTRICT,
    P_DISTRICT_BOARD,
    P_DISTRICT_FRONT,
    P_DISTRICT_HDND,
    P_DISTRICT_OFFICE,
    P_DISTRICT_OFFICE_UB,
    P_DISTRICT_UBND,
    P_HIGH_SCHOOL,
    P_HOSPITAL,
    P_MASS,
    P_SCHOOL,
    PARTY_RATE,
    ROOT_CODE,
    RURAL_DISTRICTS,
    SCHOOL_NAMES,
    _Job,
    _Profile,
)

T = TypeVar("T")


# ---------------------------------------------------------------------------------------------
# The plan: plain objects, no database.


@dataclass
class _UnitPlan:
    """A unit to create, with its leaders' slots."""

    code: str
    name: str
    kind: str
    parent: _UnitPlan | None
    profile: _Profile
    managed_by: str | None  # authority code of the head and deputies
    district: _UnitPlan | None = None
    commune: _UnitPlan | None = None
    slots: list[_Slot] = field(default_factory=list)
    obj: Unit | None = None
    grassroots: bool = False  # a grassroots Party organisation (đảng bộ cơ sở)


@dataclass
class _Slot:
    """A post to fill; `same_as` points at the post whose holder also holds this one."""

    unit: _UnitPlan
    title: str
    is_head: bool
    is_deputy: bool
    group: str
    category: str
    managed_by: str | None
    same_as: _Slot | None = None
    female_rate: float = 0.5
    person: int = -1  # index into the planned people


@dataclass(frozen=True)
class _Shape:
    """How big the city is; shrunk step by step when people are too few to lead it."""

    districts: int
    communes: int
    cells: int
    district_schools: int
    city_schools: int
    hospitals: int
    departments: int
    lean: bool = False


def _shape_for(people: int) -> _Shape:
    """The full city for 3,000 people and more, a proportionally smaller one below."""
    scale = min(1.0, people / 3000)
    districts = max(2, min(9, round(9 * scale)))
    return _Shape(
        districts=districts,
        communes=max(2 * districts, min(80, round(80 * scale))),
        cells=max(1, min(12, round(people / 1000))),
        district_schools=max(1, min(25, round(people / 1500))),
        city_schools=max(1, min(len(SCHOOL_NAMES), round(people / 1000))),
        hospitals=max(1, min(len(HOSPITAL_NAMES), round(people / 3000))),
        departments=len(DEPARTMENTS),
    )


def _smaller_shapes(shape: _Shape) -> list[_Shape]:
    """Ever smaller variants of a shape, tried in turn until the people suffice."""
    shapes = [replace(shape, lean=True)]
    shapes.append(replace(shapes[-1], cells=1, district_schools=0, city_schools=0, hospitals=0))
    shapes.append(replace(shapes[-1], communes=2 * shape.districts, departments=4))
    shapes.append(replace(shapes[-1], districts=2, communes=2))
    return shapes


class _Planner:
    """Lays out units and leader slots for a shape."""

    def __init__(self, shape: _Shape) -> None:
        self.shape = shape
        self.units: list[_UnitPlan] = []
        self.slots: list[_Slot] = []
        self.authorities: list[tuple[str, str, _UnitPlan]] = []

    def unit(
        self,
        code: str,
        name: str,
        kind: str,
        parent: _UnitPlan | None,
        profile: _Profile,
        managed_by: str | None,
    ) -> _UnitPlan:
        """Plan a unit with its head and deputies."""
        plan = _UnitPlan(code, name, kind, parent, profile, managed_by)
        if parent is not None:
            plan.district = parent.district
            plan.commune = parent.commune
        self.units.append(plan)
        self.slot(plan, profile.head, head=True)
        deputies = profile.deputies
        if self.shape.lean:
            deputies = deputies[: profile.lean_deputies]
        for title in deputies:
            self.slot(plan, title, deputy=True)
        return plan

    def slot(
        self,
        unit: _UnitPlan,
        title: str,
        *,
        head: bool = False,
        deputy: bool = False,
        job: _Job | None = None,
    ) -> _Slot:
        """Plan one post in a unit."""
        profile = unit.profile
        if job is not None:
            group, category, managed = job.group, job.category, None
            female = profile.female_rate
        else:
            group = ("LĐ-" if head else "PLĐ-") + profile.group
            category, managed = profile.leader_category, unit.managed_by
            # Fewer women among heads than among deputies, and fewer there than among staff.
            female = 0.25 if head else 0.4
        slot = _Slot(unit, title, head, deputy, group, category, managed, female_rate=female)
        unit.slots.append(slot)
        self.slots.append(slot)
        return slot

    def also(self, holder: _Slot, target: _Slot) -> None:
        """Let the holder of one post also hold another (e.g. Bí thư and Chủ tịch HĐND)."""
        target.same_as = holder

    def authority(self, code: str, name: str, unit: _UnitPlan) -> str:
        """Plan a competent authority and return its code."""
        self.authorities.append((code, name, unit))
        return code

    def build(self) -> _UnitPlan:
        """Plan the whole city and return its root."""
        s = self.shape
        root = self.unit(
            ROOT_CODE, "Thành phố Mẫu", UnitKind.PARTY, None, P_CITY, CITY_AUTHORITY_CODE
        )
        btv = self.authority(CITY_AUTHORITY_CODE, "Ban Thường vụ Thành ủy", root)
        for suffix, name in CITY_BOARDS:
            profile = P_CITY_BOARD
            self.unit(f"TP-{suffix}", name, UnitKind.PARTY, root, profile, btv)
        self.unit("TP-TU", "Văn phòng Thành ủy", UnitKind.PARTY, root, P_CITY_OFFICE, btv)
        hdnd = self.unit("TP-HDND", "HĐND thành phố", UnitKind.STATE, root, P_CITY_HDND, btv)
        ubnd = self.unit("TP-UBND", "UBND thành phố", UnitKind.STATE, root, P_CITY_UBND, btv)
        # In a locality the secretary chairs the council and a deputy secretary the committee.
        self.also(root.slots[0], hdnd.slots[0])
        self.also(root.slots[-1], ubnd.slots[0])
        departments = {
            suffix: self.unit(f"TP-{suffix}", name, UnitKind.STATE, ubnd, P_DEPARTMENT, btv)
            for suffix, name in DEPARTMENTS[: s.departments]
        }
        front = self.unit(
            "TP-MTTQ", "Ủy ban MTTQ Việt Nam thành phố", UnitKind.FRONT, root, P_CITY_FRONT, btv
        )
        for suffix, name in MASS_ORGANISATIONS:
            self.unit(f"TP-{suffix}", name, UnitKind.FRONT, front, P_MASS, btv)
        if "SGDDT" in departments and s.city_schools:
            parent = departments["SGDDT"]
            owner = self.authority(
                "BTV-SGDDT", "Ban Thường vụ Đảng ủy Sở Giáo dục và Đào tạo", parent
            )
            for i in range(s.city_schools):
                name = f"Trường THPT {_numbered(SCHOOL_NAMES, i)}"
                self.unit(f"TP-THPT{i + 1:02d}", name, UnitKind.PUBLIC_SERVICE, parent,
                          P_HIGH_SCHOOL, owner)  # fmt: skip
        if "SYT" in departments and s.hospitals:
            parent = departments["SYT"]
            owner = self.authority("BTV-SYT", "Ban Thường vụ Đảng ủy Sở Y tế", parent)
            for i in range(s.hospitals):
                name = _numbered(HOSPITAL_NAMES, i)
                self.unit(f"TP-BV{i + 1:02d}", name, UnitKind.PUBLIC_SERVICE, parent,
                          P_HOSPITAL, owner)  # fmt: skip
        communes = _spread(s.communes, s.districts)
        school_number = s.city_schools
        for d in range(s.districts):
            school_number = self.district(root, btv, d, communes[d], school_number)
        return root

    def district(self, root: _UnitPlan, btv: str, index: int, communes: int, school: int) -> int:
        """Plan one district with its agencies and communes; return the next school number."""
        s = self.shape
        rural = index >= s.districts - min(len(RURAL_DISTRICTS), s.districts // 3)
        if rural:
            number = index - (s.districts - min(len(RURAL_DISTRICTS), s.districts // 3))
            code, name, committee = (
                f"H{index + 1:02d}",
                f"Huyện {RURAL_DISTRICTS[number]}",
                "Huyện ủy",
            )
        else:
            code, name, committee = f"Q{index + 1:02d}", f"Quận {index + 1}", "Quận ủy"
        profile = replace(
            P_DISTRICT,
            head=f"Bí thư {committee}",
            deputies=(f"Phó Bí thư Thường trực {committee}", f"Phó Bí thư {committee}"),
        )
        district = self.unit(code, name, UnitKind.PARTY, root, profile, btv)
        district.district = district
        owner = self.authority(f"BTV-{code}", f"Ban Thường vụ {committee} {name}", district)
        for suffix, board in (("BTC", "Ban Tổ chức"), ("UBKT", "Ủy ban Kiểm tra")):
            self.unit(f"{code}-{suffix}", f"{board} {committee}", UnitKind.PARTY, district,
                      P_DISTRICT_BOARD, owner)  # fmt: skip
        self.unit(f"{code}-VPQU", f"Văn phòng {committee}", UnitKind.PARTY, district,
                  P_DISTRICT_OFFICE, owner)  # fmt: skip
        # The city's standing board manages a district's key leaders; the district board the rest.
        hdnd = self.unit(f"{code}-HDND", f"HĐND {name}", UnitKind.STATE, district,
                         P_DISTRICT_HDND, btv)  # fmt: skip
        ubnd = self.unit(f"{code}-UBND", f"UBND {name}", UnitKind.STATE, district,
                         P_DISTRICT_UBND, btv)  # fmt: skip
        self.also(district.slots[0], hdnd.slots[0])
        self.also(district.slots[-1], ubnd.slots[0])
        offices = [
            self.unit(f"{code}-{suffix}", office, UnitKind.STATE, ubnd, P_DISTRICT_OFFICE_UB, owner)
            for suffix, office in DISTRICT_OFFICES[: max(4, s.departments * 2 // 3)]
        ]
        self.unit(f"{code}-MTTQ", f"Ủy ban MTTQ Việt Nam {name}", UnitKind.FRONT, district,
                  P_DISTRICT_FRONT, btv)  # fmt: skip
        education = next((o for o in offices if o.code.endswith("-PGDDT")), offices[0])
        for i in range(s.district_schools):
            level = "Trường THCS" if i % 2 == 0 else "Trường Tiểu học"
            self.unit(f"{code}-TH{i + 1:02d}", f"{level} {_numbered(SCHOOL_NAMES, school)}",
                      UnitKind.PUBLIC_SERVICE, education, P_SCHOOL, owner)  # fmt: skip
            school += 1
        for c in range(communes):
            self.commune(district, owner, rural, c)
        return school

    def commune(self, district: _UnitPlan, owner: str, rural: bool, index: int) -> None:
        """Plan one commune or ward: its Party committee, People's Committee, Front and cells."""
        code = f"{district.code}-{'X' if rural else 'P'}{index + 1:02d}"
        if rural:
            # Commune names restart in each district, which is how real districts look too.
            name, hamlet = f"Xã {_numbered(COMMUNE_NAMES, index)}", "Ấp"
        else:
            name, hamlet = f"Phường {index + 1}", "Khu phố"
        kind = "xã" if rural else "phường"
        profile = replace(
            P_COMMUNE,
            head=f"Bí thư Đảng ủy {kind}",
            deputies=(f"Phó Bí thư Thường trực Đảng ủy {kind}", f"Phó Bí thư Đảng ủy {kind}"),
        )
        office = replace(
            P_COMMUNE_UBND,
            head=f"Chủ tịch UBND {kind}",
            deputies=(f"Phó Chủ tịch UBND {kind}",) * len(P_COMMUNE_UBND.deputies),
        )
        # A commune is its grassroots Party organisation (Đảng bộ xã/phường, a đảng bộ cơ sở):
        # it leads the People's Committee and the Front, and its Party cells sit directly under
        # it, so their members count in the commune's quota group (DESIGN §4.7.2).
        commune = self.unit(code, name, UnitKind.PARTY, district, profile, owner)
        commune.commune = commune
        commune.grassroots = True
        ubnd = self.unit(f"{code}-UB", f"UBND {name}", UnitKind.STATE, commune, office, owner)
        self.also(commune.slots[-1], ubnd.slots[0])
        self.unit(f"{code}-MT", f"Ủy ban MTTQ Việt Nam {name}", UnitKind.FRONT, commune,
                  P_COMMUNE_FRONT, owner)  # fmt: skip
        for i in range(self.shape.cells):
            self.unit(f"{code}-CB{i + 1:02d}", f"Chi bộ {hamlet} {i + 1}", UnitKind.PARTY_CELL,
                      commune, P_CELL, None)  # fmt: skip


def _numbered(names: Sequence[str], index: int) -> str:
    """A name from a list, numbered once the list runs out."""
    name = names[index % len(names)]
    return name if index < len(names) else f"{name} số {index // len(names) + 1}"


def _spread(total: int, parts: int) -> list[int]:
    """Split a total into near-equal parts, larger ones first."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split a total in proportion to weights, exactly (largest remainder)."""
    if total <= 0 or not weights:
        return [0] * len(weights)
    scale = total / sum(weights)
    shares = [w * scale for w in weights]
    counts = [int(x) for x in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: (counts[i] - shares[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


@dataclass
class _Plan:
    """The planned city: units, authorities, posts, and the units the demo logins use."""

    root: _UnitPlan
    units: list[_UnitPlan]
    slots: list[_Slot]
    authorities: list[tuple[str, str, _UnitPlan]]
    people: int


# Units whose staff the demo logins need: a ward's People's Committee (canhan, lanhdao,
# thutruong), the city's and district 1's organisation boards (bantochuc, bantochuc.q1).
LOGIN_UNITS = ("Q01-P01-UB", "TP-BTC", "Q01-BTC")


def _plan(people: int, rng: Random) -> _Plan:
    """Plan a city that `people` people staff exactly, shrinking it if they are too few."""
    first = _shape_for(people)
    for shape in [first, *_smaller_shapes(first)]:
        planner = _Planner(shape)
        root = planner.build()
        leaders = sum(1 for slot in planner.slots if slot.same_as is None)
        reserved = LOGIN_UNITS
        if leaders + len(reserved) <= people:
            break
    else:
        raise DemoError(f"Cần ít nhất {leaders + len(reserved)} người để dựng thành phố mẫu.")
    staffed = list(planner.units)
    by_code = {u.code: u for u in staffed}
    counts = _allocate(people - leaders - len(reserved), [u.profile.weight for u in staffed])
    for code in reserved:
        counts[staffed.index(by_code[code])] += 1
    for unit, count in zip(staffed, counts, strict=True):
        jobs = unit.profile.jobs
        weights = [job.weight for job in jobs]
        for i in range(count):
            # A unit's first staff member holds its main job, so the login units' first
            # staff member is a plain civil servant.
            job = jobs[0] if i == 0 else rng.choices(jobs, weights)[0]
            planner.slot(unit, job.title, job=job)
    return _Plan(root, planner.units, planner.slots, planner.authorities, people)


# ---------------------------------------------------------------------------------------------
# People.


def _pick(rng: Random, items: Sequence[T]) -> T:
    """One item, uniformly."""
    return items[rng.randrange(len(items))]


def _birth_year(rng: Random, slot: _Slot) -> int:
    """A birth year fitting the post: heads older, staff younger, all within 1966–2002."""
    if slot.is_head:
        return round(rng.triangular(1966, 1980, 1971))
    if slot.is_deputy:
        return round(rng.triangular(1968, 1986, 1976))
    if slot.category == KH:
        return rng.randint(1966, 2002)
    return round(rng.triangular(1970, 2002, 1991))


def _date_in(rng: Random, start: datetime.date, end: datetime.date) -> datetime.date:
    """A date between two dates, inclusive."""
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


@dataclass
class _PersonPlan:
    """A planned person, kept next to the first post they hold."""

    person: Person
    slot: _Slot
    posts: list[_Slot] = field(default_factory=list)


def _full_name(rng: Random, female: bool, family: str) -> str:
    """A Vietnamese full name: family, one or two middle names, given name."""
    if female:
        middle = _pick(rng, MIDDLE_FEMALE)
        if middle == "Thị" and rng.random() < 0.35:
            middle += " " + _pick(rng, MIDDLE_FEMALE_SECOND)
        given = _pick(rng, GIVEN_FEMALE)
    else:
        middle = _pick(rng, MIDDLE_MALE)
        given = _pick(rng, GIVEN_MALE)
    return f"{family} {middle} {given}"


def _family_names() -> tuple[list[str], list[float]]:
    """Family names and their cumulative weights, for `Random.choices`."""
    names = [name for name, _ in FAMILY_NAMES]
    cumulative: list[float] = []
    total = 0.0
    for _, weight in FAMILY_NAMES:
        total += weight
        cumulative.append(total)
    return names, cumulative


def _people(plan: _Plan, rng: Random) -> list[_PersonPlan]:
    """Invent one person for each post that is not held concurrently by someone else."""
    families, cumulative = _family_names()
    people: list[_PersonPlan] = []
    sort_keys: dict[str, str] = {}
    for slot in plan.slots:
        if slot.same_as is not None:
            continue
        female = rng.random() < slot.female_rate
        ethnicity = "Kinh"
        family = rng.choices(families, cum_weights=cumulative)[0]
        if rng.random() < MINORITY_RATE:
            ethnicity, minority_families = _pick(rng, MINORITIES)
            family = _pick(rng, minority_families)
        year = _birth_year(rng, slot)
        birth = _date_in(rng, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        leader = slot.is_head or slot.is_deputy
        party = rng.random() < (
            0.97 if leader and slot.category != KH else PARTY_RATE[slot.category]
        )
        joined = None
        if party:
            age = rng.randint(20, 35)
            joined = min(
                _date_in(rng, datetime.date(year + age, 1, 1), datetime.date(year + age, 12, 31)),
                datetime.date(2025, 5, 19),
            )
        code = f"CB{len(people) + 1:06d}"
        person = Person(
            code=code,
            full_name=_full_name(rng, female, family),
            birth_date=birth,
            gender=Gender.FEMALE if female else Gender.MALE,
            category=slot.category,
            is_party_member=party,
            party_joined=joined,
            ethnicity=ethnicity,
        )
        # As `refresh_name_keys`, with each distinct name's sort key made once (names repeat).
        person.sort_key = sort_keys.get(person.full_name) or sort_key(person.full_name)
        sort_keys[person.full_name] = person.sort_key
        person.search_text = search_text(person.full_name, code)
        slot.person = len(people)
        people.append(_PersonPlan(person, slot, [slot]))
    for slot in plan.slots:
        if slot.same_as is not None:
            slot.person = slot.same_as.person
            people[slot.person].posts.append(slot)
    return people


def _start_date(rng: Random, slot: _Slot, birth: datetime.date) -> datetime.date:
    """When a post began: leaders in the current term, staff some time after turning 22."""
    if slot.is_head or slot.is_deputy:
        return _date_in(rng, datetime.date(2020, 7, 1), datetime.date(2025, 10, 31))
    earliest = max(datetime.date(birth.year + 22, 1, 1), datetime.date(1995, 1, 1))
    return _date_in(rng, min(earliest, datetime.date(2025, 6, 30)), datetime.date(2025, 10, 31))
