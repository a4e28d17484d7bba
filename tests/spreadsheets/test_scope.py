"""Every importer, handed a workbook crafted to reach outside the actor's scope, writes nothing.

Table-driven over the importers (units, people, catalogue, targets, history) and over the
roles: olga, organiser of Q1 (the `bantochuc.q1` of the demo), is given a workbook that
reaches into Q2 or into the city's shared records; every other role of the cast, who may not
write at all, is given a workbook that stays inside what they can see. Each import must be
refused with a Vietnamese reason, and every table of the registry, the catalogue, the targets,
the history and the audit trail must be exactly as before.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps

from tests.conftest import World
from tests.spreadsheets.sheets import (
    DISCIPLINE as DISCIPLINE_HEADERS,
)
from tests.spreadsheets.sheets import (
    EMPTY,
    workbook,
)
from tests.spreadsheets.sheets import (
    HISTORY as HISTORY_HEADERS,
)
from tests.spreadsheets.sheets import (
    INDICATOR as INDICATOR_HEADERS,
)
from tests.spreadsheets.sheets import (
    PERSON as PERSON_HEADERS,
)
from tests.spreadsheets.sheets import (
    POSITION as POSITION_HEADERS,
)
from tests.spreadsheets.sheets import (
    POST as POST_HEADERS,
)
from tests.spreadsheets.sheets import (
    PRODUCT as PRODUCT_HEADERS,
)
from tests.spreadsheets.sheets import (
    UNIT as UNIT_HEADERS,
)
from thuocdo.org.imports import people_import, units_import
from thuocdo.reports.history.imports import history_import
from thuocdo.spreadsheets import ImportRejected
from thuocdo.targets import services as target_services
from thuocdo.targets.imports import targets_import
from thuocdo.work import services as work_services
from thuocdo.work.catalogue import catalogue_import

APPS = ("org", "work", "targets", "reports", "audit")
BOB = ["CB-B", "Bùi Văn Bình", "15/03/1988", "Nam", "Công chức", "Có", None, None]


def dump() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table of the apps an import may write, audit trail included."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.app_label in APPS
    }


# --- The city's shared records the crafted workbooks aim at ---------------------------------


def city_catalogue(world: World) -> None:
    """A city-wide job position (no unit) and a product of it, as the demo's XA-VPTK."""
    position = work_services.job_position_create(
        actor=None, code="XA-VPTK", name="Văn phòng - Thống kê (dùng chung)"
    )
    work_services.product_type_create(
        actor=None,
        job_position=position,
        code="BC",
        name="Báo cáo tổng hợp",
        group="C",
        unit_of_measure="báo cáo",
        conversion_factor=Decimal(2),
    )
    q2 = work_services.job_position_create(
        actor=None, code="VT-Q2", name="Văn phòng Quận Hai", unit=world.q2
    )
    work_services.product_type_create(
        actor=None,
        job_position=q2,
        code="CV",
        name="Công văn",
        group="B",
        unit_of_measure="văn bản",
    )


CITY_POSITION = ["XA-VPTK", "Văn phòng - Thống kê (dùng chung)", None]
CITY_PRODUCT = ["XA-VPTK", "BC", "Báo cáo tổng hợp", "C", "báo cáo", 2, None]


def q2_target_set(world: World) -> None:
    """The draft target set of Quận Hai for 2026."""
    target_services.target_set_create(actor=None, unit=world.q2, year=2026)


def q1_target_set(world: World) -> None:
    """The draft target set of Quận Một for 2026."""
    target_services.target_set_create(actor=None, unit=world.q1, year=2026)


# --- The table -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One importer run with one crafted workbook."""

    importer: str
    sheets: dict[str, list[list[Any]]]
    setup: Callable[[World], None] | None = None
    unit: str = ""  # the target set's unit, for the targets import

    def run(self, world: World, actor: Any) -> None:
        """Import the workbook (with the importer's other required sheets, empty) as the actor."""
        source = workbook({**EMPTY[self.importer], **self.sheets})
        if self.importer == "units":
            units_import(actor=actor, source=source)
        elif self.importer == "people":
            people_import(actor=actor, source=source)
        elif self.importer == "catalogue":
            catalogue_import(actor=actor, source=source)
        elif self.importer == "targets":
            target_set = apps.get_model("targets", "TargetSet").objects.get(unit__code=self.unit)
            targets_import(actor=actor, target_set=target_set, source=source)
        else:
            history_import(actor=actor, source=source)


def post(
    person: str, unit: str, title: str = "Chuyên viên", start: str = "01/01/2024"
) -> list[Any]:
    """A «Chức vụ» row."""
    return [person, unit, title, None, None, None, None, None, start, None]


INDICATOR = ["1", "Kinh tế - xã hội", "Thu ngân sách", "tỷ đồng", 100, None, "Có", 1]

# olga, organiser of Q1, reaching outside Q1.
OUTSIDE = {
    "units: rename a sibling district": Case(
        "units", {"Đơn vị": [UNIT_HEADERS, ["Q2", "Quận Hai đổi tên", "Cơ quan nhà nước", "TP"]]}
    ),
    "units: a new unit under a sibling district": Case(
        "units", {"Đơn vị": [UNIT_HEADERS, ["P2-MOI", "Phường mới", "Cơ quan nhà nước", "Q2"]]}
    ),
    "units: pull a sibling's unit into one's subtree": Case(
        "units", {"Đơn vị": [UNIT_HEADERS, ["P2", "Phường Hai", "Cơ quan nhà nước", "Q1"]]}
    ),
    "units: a new root": Case(
        "units", {"Đơn vị": [UNIT_HEADERS, ["TINH", "Tỉnh khác", "Tổ chức đảng", None]]}
    ),
    # Finding 1: a «Chức vụ» row gives an out-of-scope person a post in an in-scope unit.
    "people: a post in Q1 for a Q2 person": Case(
        "people", {"Cán bộ": [PERSON_HEADERS], "Chức vụ": [POST_HEADERS, post("CB-B", "P1")]}
    ),
    "people: the post that brings a Q2 person in, with their record changed": Case(
        "people",
        {
            "Cán bộ": [PERSON_HEADERS, [*BOB[:1], "Bùi Văn Bình Mới", *BOB[2:]]],
            "Chức vụ": [POST_HEADERS, post("CB-B", "P1")],
            "Kỷ luật": [
                DISCIPLINE_HEADERS,
                ["CB-B", "Đảng", "Khiển trách", "01/02/2024", "1-QĐ", "UBKT", None, None, None],
            ],
        },
    ),
    "people: a Q2 person's row unchanged, with a discipline": Case(
        "people",
        {
            "Cán bộ": [PERSON_HEADERS, BOB],
            "Kỷ luật": [
                DISCIPLINE_HEADERS,
                ["CB-B", "Đảng", "Khiển trách", "01/02/2024", "1-QĐ", "UBKT", None, None, None],
            ],
        },
    ),
    "people: a Q2 person's row unchanged": Case("people", {"Cán bộ": [PERSON_HEADERS, BOB]}),
    "people: a newcomer posted in Q2": Case(
        "people",
        {
            "Cán bộ": [PERSON_HEADERS, ["NEW", "Hồ Thị Mai", "01/01/1990", "Nữ", "Công chức"]],
            "Chức vụ": [POST_HEADERS, post("NEW", "P2")],
        },
    ),
    # Finding 2: the city-wide position repeated unchanged, its product's factor changed.
    "catalogue: a city-wide product through its unchanged position": Case(
        "catalogue",
        {
            "Vị trí việc làm": [POSITION_HEADERS, CITY_POSITION],
            "Sản phẩm": [PRODUCT_HEADERS, [*CITY_PRODUCT[:5], 99, None]],
        },
        city_catalogue,
    ),
    "catalogue: a city-wide product, its position absent": Case(
        "catalogue",
        {
            "Vị trí việc làm": [POSITION_HEADERS],
            "Sản phẩm": [PRODUCT_HEADERS, [*CITY_PRODUCT[:5], 99, None]],
        },
        city_catalogue,
    ),
    "catalogue: a new product on the city-wide position": Case(
        "catalogue",
        {
            "Vị trí việc làm": [POSITION_HEADERS, CITY_POSITION],
            "Sản phẩm": [PRODUCT_HEADERS, ["XA-VPTK", "MOI", "Mới", "B", "cái", 1, None]],
        },
        city_catalogue,
    ),
    "catalogue: the city-wide position taken into one's unit": Case(
        "catalogue",
        {"Vị trí việc làm": [POSITION_HEADERS, ["XA-VPTK", "Văn phòng", "P1"]]},
        city_catalogue,
    ),
    "catalogue: a sibling district's position taken into one's unit": Case(
        "catalogue",
        {"Vị trí việc làm": [POSITION_HEADERS, ["VT-Q2", "Văn phòng Quận Hai", "P1"]]},
        city_catalogue,
    ),
    "catalogue: a new city-wide position": Case(
        "catalogue", {"Vị trí việc làm": [POSITION_HEADERS, ["XA-MOI", "Vị trí mới", None]]}
    ),
    "targets: indicators into a sibling district's set": Case(
        "targets", {"Chỉ tiêu": [INDICATOR_HEADERS, INDICATOR]}, q2_target_set, unit="Q2"
    ),
    "history: results of a sibling district": Case(
        "history",
        {"Kết quả xếp loại": [HISTORY_HEADERS, ["CB-B", "", "P2", 2021, "Đảng viên", "HTT"]]},
    ),
    "history: a sibling district's collective result": Case(
        "history",
        {"Kết quả xếp loại": [HISTORY_HEADERS, ["", "", "Q2", 2021, "Tập thể", "HTT"]]},
    ),
}

# The same importers, inside Q1, for the roles that may not write at all.
INSIDE = {
    "units": Case("units", {"Đơn vị": [UNIT_HEADERS, ["P1-MOI", "Tổ mới", "Chi bộ", "P1"]]}),
    "people": Case(
        "people",
        {
            "Cán bộ": [PERSON_HEADERS, ["NEW", "Hồ Thị Mai", "01/01/1990", "Nữ", "Công chức"]],
            "Chức vụ": [POST_HEADERS, post("NEW", "P1")],
        },
    ),
    "catalogue": Case(
        "catalogue", {"Vị trí việc làm": [POSITION_HEADERS, ["VT-P1", "Văn phòng", "P1"]]}
    ),
    "targets": Case(
        "targets", {"Chỉ tiêu": [INDICATOR_HEADERS, INDICATOR]}, q1_target_set, unit="Q1"
    ),
    "history": Case(
        "history",
        {"Kết quả xếp loại": [HISTORY_HEADERS, ["CB-A", "", "P1", 2021, "Đảng viên", "HTT"]]},
    ),
}
NON_WRITERS = ("hana", "lena", "tam", "alice", "nobody")


def _refused(world: World, case: Case, actor: Any) -> ImportRejected:
    if case.setup is not None:
        case.setup(world)
    before = dump()
    with pytest.raises(ImportRejected) as rejected:
        case.run(world, actor)
    assert dump() == before
    return rejected.value


@pytest.mark.parametrize("name", OUTSIDE)
def test_an_organiser_cannot_write_outside_their_district(world, name):
    rejected = _refused(world, OUTSIDE[name], world.users["olga"])
    assert any(
        "phạm vi" in p.reason or "quản trị" in p.reason or "chung" in p.reason
        for p in rejected.problems
    ), [str(p) for p in rejected.problems]


@pytest.mark.parametrize("username", NON_WRITERS)
@pytest.mark.parametrize("importer", INSIDE)
def test_a_role_without_write_rights_writes_nothing(world, importer, username):
    rejected = _refused(world, INSIDE[importer], world.users[username])
    assert rejected.problems


@pytest.mark.parametrize("importer", INSIDE)
def test_the_same_workbooks_inside_the_district_are_accepted(world, importer):
    """The refusals above are about scope: inside Q1 the organiser's workbooks are written."""
    case = INSIDE[importer]
    if case.setup is not None:
        case.setup(world)
    case.run(world, world.users["olga"])
    assert apps.get_model("audit", "AuditEvent").objects.filter(actor=world.users["olga"]).exists()


def test_a_q2_person_is_untouched_after_an_attempt(world):
    """Finding 1 step by step: the refused post leaves bob out of olga's reach."""
    olga = world.users["olga"]
    with pytest.raises(ImportRejected):
        OUTSIDE["people: a post in Q1 for a Q2 person"].run(world, olga)
    assert not world.bob.posts.filter(unit=world.p1).exists()
    with pytest.raises(ImportRejected):
        OUTSIDE["people: the post that brings a Q2 person in, with their record changed"].run(
            world, olga
        )
    world.bob.refresh_from_db()
    assert world.bob.full_name == "Bùi Văn Bình"
    assert world.bob.birth_date == datetime.date(1988, 3, 15)
    assert not world.bob.disciplines.exists()


def test_the_city_factor_is_unchanged_after_an_attempt(world):
    """Finding 2: XA-VPTK's product keeps its factor of 2."""
    case = OUTSIDE["catalogue: a city-wide product through its unchanged position"]
    rejected = _refused(world, case, world.users["olga"])
    assert [(p.sheet, p.row, p.column) for p in rejected.problems] == [("Sản phẩm", 2, "Mã vị trí")]
    assert "dùng chung" in rejected.problems[0].reason
    product = apps.get_model("work", "ProductType").objects.get(job_position__code="XA-VPTK")
    assert product.conversion_factor == Decimal(2)


def test_an_unchanged_shared_position_may_still_be_reimported(world):
    """Re-importing the city-wide catalogue unchanged writes nothing and is not refused."""
    city_catalogue(world)
    source = workbook(
        {
            "Vị trí việc làm": [POSITION_HEADERS, CITY_POSITION],
            "Sản phẩm": [PRODUCT_HEADERS, CITY_PRODUCT],
        }
    )
    report = catalogue_import(actor=world.users["olga"], source=source)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)


def test_an_organiser_still_imports_people_of_their_district(world):
    """The people of Q1 (posts in P1) remain importable, changed or unchanged."""
    rows = [
        ["CB-A", "Nguyễn Thị Hồng Nhung", "15/03/1990", "Nữ", "Công chức", "Có", None, None],
        ["CB-C", "Trần Văn Ánh Mới", "15/03/1985", "Nam", "Công chức", "Có", None, None],
    ]
    source = workbook({"Cán bộ": [PERSON_HEADERS, *rows], "Chức vụ": [POST_HEADERS]})
    report = people_import(actor=world.users["olga"], source=source)
    assert (report.updated, report.unchanged) == (1, 1)
