"""The demo city "Thành phố Mẫu": a fictional but realistic organisation, people and logins.

The whole city is planned in plain Python first (units, posts, people), then written with
`bulk_create` in a handful of statements per table, so 200,000 people take minutes rather than
hours. Everything random comes from one `random.Random(seed)`, so a seed always gives the same
city, names included.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from random import Random
from typing import TypeVar

from django.contrib.auth.hashers import make_password
from django.db import transaction

from thuocdo.audit.services import audit_record
from thuocdo.org.models import (
    Authority,
    Category,
    Discipline,
    DisciplineForm,
    DisciplineKind,
    Gender,
    Person,
    Post,
    Reward,
    Role,
    RoleAssignment,
    Unit,
    UnitKind,
    User,
)

Progress = Callable[[str, int, int], None]
T = TypeVar("T")

DEMO_PASSWORD = "ThuocDo@2026"  # noqa: S105 - the documented password of the fictional demo logins
ROOT_CODE = "TP"
CITY_AUTHORITY_CODE = "BTV-TU"
# Rows per bulk_create call on PostgreSQL; Django lowers it by itself where SQLite needs it.
BATCH = 2000
# Rows handed to the database between two progress reports.
CHUNK = 5000

STAGE_UNITS = "Đơn vị"
STAGE_PEOPLE = "Cán bộ"
STAGE_POSTS = "Chức vụ"
STAGE_RECORDS = "Khen thưởng, kỷ luật"
STAGE_LOGINS = "Tài khoản"


class DemoError(Exception):
    """The demo cannot be built as asked (database not empty, too few people...)."""


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
# Names. Family names are weighted roughly by their share of the population.

FAMILY_NAMES: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 31.5), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.0), ("Hoàng", 3.0),
    ("Huỳnh", 2.5), ("Phan", 4.5), ("Vũ", 2.0), ("Võ", 2.0), ("Đặng", 2.0), ("Bùi", 2.0),
    ("Đỗ", 1.5), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Đinh", 0.8),
    ("Trương", 0.8), ("Đoàn", 0.6), ("Lâm", 0.5), ("Mai", 0.5), ("Trịnh", 0.5), ("Hà", 0.5),
    ("Cao", 0.4), ("Lương", 0.4), ("Tạ", 0.3), ("Châu", 0.3), ("Tô", 0.3), ("Kiều", 0.2),
    ("Văn", 0.2), ("Thái", 0.2), ("La", 0.1), ("Quách", 0.1), ("Lưu", 0.3), ("Từ", 0.1),
)  # fmt: skip
MIDDLE_MALE = (
    "Văn", "Văn", "Văn", "Hữu", "Đức", "Minh", "Quốc", "Công", "Thành", "Quang", "Xuân",
    "Ngọc", "Anh", "Hoàng", "Trọng", "Tuấn", "Duy", "Thanh", "Gia", "Đình", "Việt", "Bá",
)  # fmt: skip
MIDDLE_FEMALE = (
    "Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Kim", "Hồng", "Thúy", "Diệu",
    "Phương", "Mai", "Bích", "Hải", "Khánh", "Bảo", "Tuyết", "Ánh", "Quỳnh", "Mỹ",
)  # fmt: skip
# Second middle names for women, as in "Nguyễn Thị Hồng Nhung".
MIDDLE_FEMALE_SECOND = ("Hồng", "Thanh", "Thu", "Ngọc", "Minh", "Kim", "Mỹ", "Phương", "Bích")
GIVEN_MALE = (
    "Hùng", "Dũng", "Tuấn", "Minh", "Nam", "Long", "Hải", "Sơn", "Thắng", "Cường", "Phong",
    "Quân", "Hiếu", "Trung", "Khoa", "Đạt", "Bình", "Phúc", "Thành", "Tâm", "Huy", "Khánh",
    "Lâm", "Nghĩa", "Quang", "Tài", "Thịnh", "Vinh", "Việt", "Hoàng", "Kiên", "Lộc", "Toàn",
    "Tùng", "Trí", "Hưng", "Đông", "Duy", "An", "Bảo", "Lực", "Thuận", "Định", "Chiến",
)  # fmt: skip
GIVEN_FEMALE = (
    "Lan", "Hương", "Hoa", "Mai", "Linh", "Trang", "Nga", "Hằng", "Thảo", "Nhung", "Hạnh",
    "Huyền", "Thủy", "Yến", "Vân", "Ngọc", "Phương", "Loan", "Dung", "Liên", "Oanh", "Quyên",
    "Trâm", "Vy", "Anh", "Hà", "Giang", "Thu", "Hiền", "Nhàn", "Tuyết", "Diệp", "Chi", "My",
    "Uyên", "Thư", "Lệ", "Xuân",
)  # fmt: skip
# Ethnic minorities and family names common among them; about 3% of the demo.
MINORITIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Tày", ("Hoàng", "Nông", "Lương", "Ma")),
    ("Thái", ("Lò", "Cầm", "Lường", "Quàng")),
    ("Mường", ("Bùi", "Đinh", "Quách", "Hà")),
    ("Khmer", ("Thạch", "Danh", "Sơn", "Kim")),
    ("Hoa", ("Lý", "Quách", "Châu", "Hứa")),
    ("Nùng", ("Nông", "Hoàng", "Vi", "Lương")),
    ("Dao", ("Triệu", "Bàn", "Đặng")),
    ("Chăm", ("Đàng", "Thuận", "Lưu")),
)
MINORITY_RATE = 0.03
SCHOOL_NAMES = (
    "Lê Quý Đôn", "Nguyễn Du", "Trần Phú", "Chu Văn An", "Nguyễn Trãi", "Lê Lợi", "Quang Trung",
    "Nguyễn Huệ", "Hùng Vương", "Trần Hưng Đạo", "Lý Thường Kiệt", "Võ Thị Sáu", "Phan Bội Châu",
    "Phan Chu Trinh", "Nguyễn Bỉnh Khiêm", "Lương Thế Vinh", "Trưng Vương", "Bà Triệu",
    "Nguyễn Khuyến", "Nguyễn Đình Chiểu", "Tô Hiến Thành", "Ngô Quyền", "Đinh Tiên Hoàng",
    "Lê Hồng Phong", "Nguyễn Thị Minh Khai", "Võ Văn Kiệt", "Hoàng Hoa Thám", "Trần Quốc Toản",
    "Kim Đồng", "Lê Văn Tám", "Mạc Đĩnh Chi", "Hai Bà Trưng", "Phạm Ngũ Lão", "Yết Kiêu",
    "Trần Quang Khải", "Nguyễn Văn Trỗi", "Lý Tự Trọng", "Đoàn Thị Điểm", "Chu Mạnh Trinh",
    "Nguyễn Hiền",
)  # fmt: skip
HOSPITAL_NAMES = (
    "Bệnh viện Đa khoa Thành phố", "Bệnh viện Nhi", "Bệnh viện Phụ sản",
    "Bệnh viện Y học cổ truyền", "Bệnh viện Mắt", "Bệnh viện Phổi", "Bệnh viện Tâm thần",
    "Bệnh viện Ung bướu",
    "Bệnh viện Da liễu", "Bệnh viện Phục hồi chức năng", "Bệnh viện Răng Hàm Mặt",
    "Bệnh viện Đa khoa khu vực phía Bắc",
)  # fmt: skip
RURAL_DISTRICTS = ("Mẫu Sơn", "An Lạc", "Phú Bình")
COMMUNE_NAMES = (
    "An Phú", "Bình Minh", "Tân Lập", "Hòa Bình", "Phú Thọ", "Thạnh Mỹ", "Long Hưng", "Đông Hòa",
    "Tân Phước", "Vĩnh Lộc", "Mỹ Hạnh", "Phước Kiển", "Hưng Long", "Đa Phước", "Quy Đức",
    "Tân Nhựt", "Xuân Thới", "Trung An", "Bình Lợi", "Phước Hiệp", "Thái Mỹ", "An Nhơn",
    "Tân Thạnh", "Hòa Phú", "Lộc Hưng", "Phú Hòa", "Nhuận Đức", "Trung Lập", "Phước Vĩnh",
    "Bình Khánh", "Thạnh An", "Lý Nhơn", "Tam Thôn", "Long Hòa", "Cần Thạnh", "An Thới Đông",
)  # fmt: skip

# ---------------------------------------------------------------------------------------------
# Unit profiles: who leads a kind of unit and who works there.


@dataclass(frozen=True)
class _Job:
    """A staff title, its duty group and its category; `weight` is its share of the staff."""

    title: str
    group: str
    category: str
    weight: float = 1.0


@dataclass(frozen=True)
class _Profile:
    """How a kind of unit is staffed."""

    head: str
    deputies: tuple[str, ...]
    group: str  # duty group stem: heads get "LĐ-<group>", deputies "PLĐ-<group>"
    leader_category: str
    jobs: tuple[_Job, ...]
    weight: float  # share of the staff handed out in proportion to unit weights
    female_rate: float = 0.56
    lean_deputies: int = 1  # deputies kept when people are too few for the full structure
    key: bool = False  # heads and deputies are key leaders (cán bộ chủ chốt)


CB, CC, VC, LD, KH = (
    Category.CADRE.value,
    Category.CIVIL_SERVANT.value,
    Category.PUBLIC_EMPLOYEE.value,
    Category.WORKER.value,
    Category.OTHER.value,
)


def _agency_jobs(level: str, stem: str) -> tuple[_Job, ...]:
    """The usual staff of a Party or State agency."""
    return (
        _Job("Chuyên viên", f"CC-{level}-{stem}", CC, 6),
        _Job("Chuyên viên chính", f"CC-{level}-{stem}", CC, 2),
        _Job("Kế toán", f"CC-{level}-KT", CC, 0.5),
        _Job("Văn thư", f"CC-{level}-VT", CC, 0.5),
        _Job("Nhân viên hợp đồng", f"LD-{level}", LD, 0.6),
    )


P_CITY = _Profile(
    "Bí thư Thành ủy",
    ("Phó Bí thư Thường trực Thành ủy", "Phó Bí thư Thành ủy"),
    "TP-BT", CB, _agency_jobs("TP", "TU"), 2, lean_deputies=2, key=True,
)  # fmt: skip
P_CITY_BOARD = _Profile(
    "Trưởng ban", ("Phó Trưởng ban", "Phó Trưởng ban"), "TP-BAN", CB, _agency_jobs("TP", "BAN"), 6
)
P_CITY_OFFICE = _Profile(
    "Chánh Văn phòng", ("Phó Chánh Văn phòng", "Phó Chánh Văn phòng"), "TP-VP", CB,
    _agency_jobs("TP", "VP"), 6,
)  # fmt: skip
P_CITY_HDND = _Profile(
    "Chủ tịch HĐND thành phố", ("Phó Chủ tịch HĐND thành phố",), "TP-HDND", CB,
    _agency_jobs("TP", "HDND"), 3, key=True,
)  # fmt: skip
P_CITY_UBND = _Profile(
    "Chủ tịch UBND thành phố", ("Phó Chủ tịch UBND thành phố",) * 3, "TP-UBND", CB,
    _agency_jobs("TP", "VPUB"), 8, key=True,
)  # fmt: skip
P_DEPARTMENT = _Profile(
    "Giám đốc", ("Phó Giám đốc", "Phó Giám đốc"), "TP-SO", CC, _agency_jobs("TP", "SO"), 12
)
P_CITY_FRONT = _Profile(
    "Chủ tịch Ủy ban MTTQ Việt Nam thành phố", ("Phó Chủ tịch",), "TP-MTTQ", CB,
    _agency_jobs("TP", "MTTQ"), 3, key=True,
)  # fmt: skip
P_MASS = _Profile("Chủ tịch", ("Phó Chủ tịch",), "TP-DT", CB, _agency_jobs("TP", "DT"), 2, 0.6)
P_HIGH_SCHOOL = _Profile(
    "Hiệu trưởng", ("Phó Hiệu trưởng", "Phó Hiệu trưởng"), "THPT", VC,
    (
        _Job("Giáo viên", "VC-THPT-GV", VC, 8),
        _Job("Nhân viên thư viện", "VC-THPT-TV", VC, 0.3),
        _Job("Kế toán", "VC-THPT-KT", VC, 0.3),
        _Job("Bảo vệ", "LD-THPT", LD, 0.4),
    ),
    10, 0.7,
)  # fmt: skip
P_HOSPITAL = _Profile(
    "Giám đốc", ("Phó Giám đốc", "Phó Giám đốc"), "BV", VC,
    (
        _Job("Bác sĩ", "VC-BV-BS", VC, 3),
        _Job("Điều dưỡng", "VC-BV-DD", VC, 4),
        _Job("Dược sĩ", "VC-BV-DS", VC, 0.6),
        _Job("Kỹ thuật viên", "VC-BV-KTV", VC, 0.8),
        _Job("Hộ lý", "LD-BV", LD, 0.8),
    ),
    40, 0.65,
)  # fmt: skip
P_DISTRICT = _Profile(
    "Bí thư Quận ủy", ("Phó Bí thư Thường trực Quận ủy", "Phó Bí thư Quận ủy"), "QH-BT", CB,
    _agency_jobs("QH", "QU"), 1, lean_deputies=2, key=True,
)  # fmt: skip
P_DISTRICT_BOARD = _Profile(
    "Trưởng ban", ("Phó Trưởng ban",), "QH-BAN", CB, _agency_jobs("QH", "BAN"), 3
)
P_DISTRICT_OFFICE = _Profile(
    "Chánh Văn phòng", ("Phó Chánh Văn phòng",), "QH-VP", CB, _agency_jobs("QH", "VP"), 4
)
P_DISTRICT_HDND = _Profile(
    "Chủ tịch HĐND", ("Phó Chủ tịch HĐND",), "QH-HDND", CB, _agency_jobs("QH", "HDND"), 1.5,
    key=True,
)  # fmt: skip
P_DISTRICT_UBND = _Profile(
    "Chủ tịch UBND", ("Phó Chủ tịch UBND",) * 3, "QH-UBND", CB, _agency_jobs("QH", "VPUB"), 4,
    key=True,
)  # fmt: skip
P_DISTRICT_OFFICE_UB = _Profile(
    "Trưởng phòng", ("Phó Trưởng phòng", "Phó Trưởng phòng"), "QH-PHONG", CC,
    _agency_jobs("QH", "PHONG"), 4,
)  # fmt: skip
P_DISTRICT_FRONT = _Profile(
    "Chủ tịch Ủy ban MTTQ Việt Nam", ("Phó Chủ tịch",), "QH-MTTQ", CB, _agency_jobs("QH", "MTTQ"),
    2, 0.55, key=True,
)  # fmt: skip
P_SCHOOL = _Profile(
    "Hiệu trưởng", ("Phó Hiệu trưởng",), "TRUONG", VC,
    (
        _Job("Giáo viên", "VC-TRUONG-GV", VC, 8),
        _Job("Nhân viên y tế học đường", "VC-TRUONG-YT", VC, 0.3),
        _Job("Kế toán", "VC-TRUONG-KT", VC, 0.3),
        _Job("Bảo vệ", "LD-TRUONG", LD, 0.4),
    ),
    8, 0.75,
)  # fmt: skip
P_COMMUNE = _Profile(
    "Bí thư Đảng ủy", ("Phó Bí thư Thường trực Đảng ủy", "Phó Bí thư Đảng ủy"), "XA-BT", CB,
    (_Job("Chuyên viên Văn phòng Đảng ủy", "CC-XA-DU", CC),), 1, lean_deputies=2, key=True,
)  # fmt: skip
P_COMMUNE_UBND = _Profile(
    "Chủ tịch UBND", ("Phó Chủ tịch UBND", "Phó Chủ tịch UBND"), "XA-UB", CB,
    (
        _Job("Công chức Văn phòng – Thống kê", "CC-XA-VP", CC, 2),
        _Job("Công chức Tài chính – Kế toán", "CC-XA-TC", CC, 1.5),
        _Job("Công chức Tư pháp – Hộ tịch", "CC-XA-TP", CC, 1.5),
        _Job("Công chức Địa chính – Xây dựng – Đô thị và Môi trường", "CC-XA-DC", CC, 1.5),
        _Job("Công chức Văn hóa – Xã hội", "CC-XA-VH", CC, 1.5),
        _Job("Chỉ huy trưởng Ban Chỉ huy Quân sự", "CC-XA-QS", CC, 0.5),
    ),
    10, key=True,
)  # fmt: skip
P_COMMUNE_FRONT = _Profile(
    "Chủ tịch Ủy ban MTTQ Việt Nam", ("Phó Chủ tịch",), "XA-MTTQ", CB,
    (_Job("Cán bộ chuyên trách đoàn thể", "CB-XA-DT", CB),), 1.5, 0.55, key=True,
)  # fmt: skip
P_CELL = _Profile(
    "Bí thư Chi bộ", (), "CHIBO", KH, (_Job("Đảng viên", "DV-CHIBO", KH),), 1.5, 0.5, 0
)

# Share of each category who are Party members.
PARTY_RATE = {CB: 0.97, CC: 0.72, VC: 0.35, LD: 0.1, KH: 1.0}

CITY_BOARDS = (
    ("BTC", "Ban Tổ chức Thành ủy"),
    ("BTGDV", "Ban Tuyên giáo và Dân vận Thành ủy"),
    ("UBKT", "Ủy ban Kiểm tra Thành ủy"),
    ("BNC", "Ban Nội chính Thành ủy"),
)
DEPARTMENTS = (
    ("SNV", "Sở Nội vụ"),
    ("STC", "Sở Tài chính"),
    ("SGDDT", "Sở Giáo dục và Đào tạo"),
    ("SYT", "Sở Y tế"),
    ("SXD", "Sở Xây dựng"),
    ("SNNMT", "Sở Nông nghiệp và Môi trường"),
    ("STP", "Sở Tư pháp"),
    ("SCT", "Sở Công Thương"),
    ("SVHTT", "Sở Văn hóa, Thể thao và Du lịch"),
    ("SKHCN", "Sở Khoa học và Công nghệ"),
    ("TTR", "Thanh tra thành phố"),
    ("VPUB", "Văn phòng UBND thành phố"),
)
MASS_ORGANISATIONS = (
    ("DTN", "Thành đoàn"),
    ("HLHPN", "Hội Liên hiệp Phụ nữ thành phố"),
    ("HND", "Hội Nông dân thành phố"),
    ("HCCB", "Hội Cựu chiến binh thành phố"),
    ("LDLD", "Liên đoàn Lao động thành phố"),
)
DISTRICT_OFFICES = (
    ("PNV", "Phòng Nội vụ"),
    ("PTCKH", "Phòng Tài chính – Kế hoạch"),
    ("PGDDT", "Phòng Giáo dục và Đào tạo"),
    ("PYT", "Phòng Y tế"),
    ("PTP", "Phòng Tư pháp"),
    ("PVHKH", "Phòng Văn hóa, Khoa học và Thông tin"),
    ("PKT", "Phòng Kinh tế, Hạ tầng và Đô thị"),
    ("VP", "Văn phòng HĐND và UBND"),
)

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
        # A commune is its grassroots Party organisation (Đảng bộ xã/phường): it leads the
        # People's Committee and the Front, and its Party cells sit directly under it.
        commune = self.unit(code, name, UnitKind.PARTY, district, profile, owner)
        commune.commune = commune
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
        person.refresh_name_keys()
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
        _write(planned, lambda rows: Person.objects.bulk_create(
            [p.person for p in rows], batch_size=BATCH), STAGE_PEOPLE, report)  # fmt: skip
        posts = _posts(rng, planned, authorities)
        _write(posts, lambda rows: Post.objects.bulk_create(rows, batch_size=BATCH),
               STAGE_POSTS, report)  # fmt: skip
        disciplines = _disciplines(rng, planned, linked)
        rewards = _rewards(rng, planned)
        records = len(disciplines) + len(rewards)
        report(STAGE_RECORDS, 0, records)
        Discipline.objects.bulk_create(disciplines, batch_size=BATCH)
        Reward.objects.bulk_create(rewards, batch_size=BATCH)
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
    """Insert units parents first, then set their materialised paths in one bulk update."""
    total = len(plan.units)
    report(STAGE_UNITS, 0, total)
    levels: dict[int, list[_UnitPlan]] = {}
    depth_of: dict[str, int] = {}
    for unit in plan.units:
        depth = depth_of[unit.parent.code] + 1 if unit.parent else 0
        depth_of[unit.code] = depth
        levels.setdefault(depth, []).append(unit)
    done = 0
    for depth in sorted(levels):
        rows = levels[depth]
        objs = []
        for unit in rows:
            parent = unit.parent.obj if unit.parent else None
            unit.obj = Unit(code=unit.code, name=unit.name, kind=unit.kind, parent=parent)
            objs.append(unit.obj)
        Unit.objects.bulk_create(objs, batch_size=BATCH)
        # The ids are known now, so the paths of this level follow from their parents'.
        for unit in rows:
            assert unit.obj is not None
            prefix = unit.parent.obj.path if unit.parent and unit.parent.obj else ""
            unit.obj.path = prefix + unit.obj.own_segment()
            unit.obj.depth = depth
        done += len(rows)
        report(STAGE_UNITS, done, total)
    Unit.objects.bulk_update(
        [u.obj for u in plan.units if u.obj is not None], ["path", "depth"], batch_size=500
    )


def _write_authorities(plan: _Plan) -> dict[str, Authority]:
    """Insert the competent authorities, by code."""
    authorities = {
        code: Authority(code=code, name=name, unit=unit.obj)
        for code, name, unit in plan.authorities
    }
    Authority.objects.bulk_create(list(authorities.values()))
    return authorities


def _posts(rng: Random, people: list[_PersonPlan], authorities: dict[str, Authority]) -> list[Post]:
    """One post per planned slot, for the person holding it."""
    posts: list[Post] = []
    for plan in people:
        for slot in plan.posts:
            posts.append(
                Post(
                    person=plan.person,
                    unit=slot.unit.obj,
                    title=slot.title,
                    is_head=slot.is_head,
                    is_deputy=slot.is_deputy,
                    is_key=slot.unit.profile.key and (slot.is_head or slot.is_deputy),
                    duty_group=slot.group,
                    managed_by=authorities[slot.managed_by] if slot.managed_by else None,
                    start_date=_start_date(rng, slot, plan.person.birth_date),
                )
            )
    return posts


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
        "thamquyen": _find(plan, ROOT_CODE, head),
        "quantri": None,
    }
    city_authority = authorities[CITY_AUTHORITY_CODE]
    roles: dict[str, list[RoleAssignment]] = {
        "canhan": [RoleAssignment(role=Role.PERSON)],
        "lanhdao": [RoleAssignment(role=Role.LEADER, unit=office.obj)],
        "thutruong": [RoleAssignment(role=Role.HEAD, unit=office.obj)],
        "bantochuc": [RoleAssignment(role=Role.ORGANISER, unit=plan.root.obj)],
        "bantochuc.q1": [RoleAssignment(role=Role.ORGANISER, unit=district.obj)],
        "thamquyen": [RoleAssignment(role=Role.AUTHORITY, authority=city_authority)],
        "quantri": [RoleAssignment(role=Role.ADMIN)],
    }
    me = people[linked["canhan"].person] if linked["canhan"] else None
    sees = {
        "canhan": f"Chỉ hồ sơ của chính mình ({me.person.full_name if me else ''}, {office.name})",
        "lanhdao": f"Cán bộ đang công tác tại {office.name}",
        "thutruong": f"Toàn bộ {office.name} và đơn vị trực thuộc",
        "bantochuc": "Toàn bộ Thành phố Mẫu (được sửa hồ sơ)",
        "bantochuc.q1": f"Chỉ {district.name} và đơn vị trực thuộc; không thấy quận, huyện khác",
        "thamquyen": f"Cán bộ diện {city_authority.name} quản lý",
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
