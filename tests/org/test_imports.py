"""Excel import of units and people: all-or-nothing, idempotent, scoped, explained in Vietnamese.

Cast: a city "TP" with two sibling districts "Q1" and "Q2"; root (system administrator),
olga (organiser of Q1) and the authority "BTV" of the city. Workbooks are real .xlsx files
written with openpyxl in tmp_path.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from thuocdo.audit.models import AuditEvent
from thuocdo.org import services
from thuocdo.org.imports import (
    ImportProblem,
    ImportRejected,
    people_import,
    template_write,
    units_import,
)
from thuocdo.org.models import (
    Authority,
    Discipline,
    Person,
    Post,
    Reward,
    RoleAssignment,
    Unit,
    User,
)

UNIT_HEADERS = ["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên"]
AUTHORITY_HEADERS = ["Mã", "Tên", "Mã đơn vị"]
PERSON_HEADERS = [
    "Mã cán bộ",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Đối tượng",
    "Đảng viên",
    "Ngày vào Đảng",
    "Dân tộc",
]
POST_HEADERS = [
    "Mã cán bộ",
    "Mã đơn vị",
    "Chức danh",
    "Người đứng đầu",
    "Cấp phó",
    "Chủ chốt",
    "Nhóm nhiệm vụ",
    "Diện quản lý",
    "Từ ngày",
    "Đến ngày",
]
DISCIPLINE_HEADERS = [
    "Mã cán bộ",
    "Loại",
    "Hình thức",
    "Ngày",
    "Số quyết định",
    "Cơ quan ban hành",
    "Lý do",
    "Liên quan nhiệm vụ",
    "Tự phát hiện, khắc phục",
]
REWARD_HEADERS = ["Mã cán bộ", "Hình thức", "Ngày", "Số quyết định", "Cơ quan ban hành"]
ORG_MODELS = [Unit, Authority, Person, Post, Discipline, Reward, RoleAssignment, User, AuditEvent]


@dataclass
class Org:
    city: Unit
    q1: Unit
    q2: Unit
    btv: Authority
    root: User
    olga: User


@pytest.fixture
def org() -> Org:
    root = services.user_create(
        actor=None, username="root", password="x", is_superuser=True, is_staff=True
    )
    city = services.unit_create(actor=root, code="TP", name="Thành phố Mẫu", kind="party")
    q1 = services.unit_create(actor=root, code="Q1", name="Quận Một", kind="party", parent=city)
    q2 = services.unit_create(actor=root, code="Q2", name="Quận Hai", kind="party", parent=city)
    btv = services.authority_create(actor=root, code="BTV", name="BTV Thành ủy", unit=city)
    olga = services.user_create(actor=root, username="olga", password="x")
    services.role_assign(actor=root, user=olga, role="organiser", unit=q1)
    return Org(city=city, q1=q1, q2=q2, btv=btv, root=root, olga=olga)


def xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """Write a workbook whose sheets are given as rows (the first row being the headers)."""
    wb = openpyxl.Workbook()
    for sheet in list(wb.worksheets):
        wb.remove(sheet)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def dump() -> dict[str, list[dict[str, Any]]]:
    """Every row of the organisation and audit tables, to compare before and after."""
    return {m.__name__: list(m._default_manager.order_by("pk").values()) for m in ORG_MODELS}


def before(event: AuditEvent) -> dict[str, Any]:
    """The before snapshot of an update event."""
    assert event.before is not None
    return dict(event.before)


def after(event: AuditEvent) -> dict[str, Any]:
    """The after snapshot of an event."""
    assert event.after is not None
    return dict(event.after)


def units_file(tmp_path: Path, name: str = "units.xlsx") -> Path:
    """A valid units workbook whose children come before their parents."""
    return xlsx(
        tmp_path / name,
        {
            "Đơn vị": [
                UNIT_HEADERS,
                ["P11", "Phường Một Một", "Chi bộ", "D3"],
                ["D3", "Quận Ba", "tổ chức đảng", "TP"],
                ["UB3", "Ủy ban nhân dân Quận Ba", "CO QUAN NHA NUOC", "D3"],
                ["MT3", "Ủy ban MTTQ Quận Ba", "Mặt trận Tổ quốc, đoàn thể", "D3"],
                ["SN3", "Trung tâm Y tế Quận Ba", "public_service", "UB3"],
            ],
            "Cấp có thẩm quyền": [AUTHORITY_HEADERS, ["BTV3", "BTV Quận ủy Quận Ba", "D3"]],
        },
    )


def people_sheets() -> dict[str, list[list[Any]]]:
    """A valid people workbook: real Excel dates and text dates, posts, records."""
    return {
        "Cán bộ": [
            PERSON_HEADERS,
            [
                "CB001",
                "Nguyễn  Thị Hồng Nhung",
                datetime.datetime(1980, 9, 5),
                "Nữ",
                "Công chức",
                "Có",
                "03/02/2005",
                "",
            ],
            ["CB002", "Trần Văn An", "17/11/1975", "nam", "can bo", "Không", None, "Tày"],
            [1003, "Lê Minh Tâm", "01/01/1990", "Nam", "Viên chức", None, None, None],
        ],
        "Chức vụ": [
            POST_HEADERS,
            ["CB001", "Q1", "Chủ tịch", "Có", "", "Có", "Lãnh đạo quận", "BTV", "01/06/2021", ""],
            ["CB002", "Q1", "Phó Chủ tịch", "Không", "Có", "Có", "", "", "01/06/2021", None],
            [
                "1003",
                "Q1",
                "Chuyên viên",
                None,
                None,
                None,
                None,
                None,
                datetime.datetime(2019, 3, 1),
                datetime.datetime(2022, 12, 31),
            ],
        ],
        "Kỷ luật": [
            DISCIPLINE_HEADERS,
            [
                "CB002",
                "Đảng",
                "Khiển trách",
                "15/08/2023",
                "12-QĐ/UBKT",
                "UBKT Quận ủy",
                "Chậm báo cáo",
                "",
                "",
            ],
        ],
        "Khen thưởng": [
            REWARD_HEADERS,
            ["CB001", "Bằng khen", "20/01/2024", "45/QĐ-UBND", "UBND thành phố"],
        ],
    }


@pytest.mark.django_db
class TestUnitsImport:
    def test_it_imports_a_tree_whose_parents_come_after_their_children(self, org, tmp_path):
        report = units_import(actor=org.root, source=units_file(tmp_path))

        assert (report.of("unit").created, report.of("authority").created) == (5, 1)
        d3, ub3, sn3, p11 = (Unit.objects.get(code=c) for c in ("D3", "UB3", "SN3", "P11"))
        assert d3.parent == org.city
        assert d3.path == org.city.path + d3.own_segment()
        assert sn3.path == d3.path + ub3.own_segment() + sn3.own_segment()
        assert (d3.depth, ub3.depth, sn3.depth, p11.depth) == (1, 2, 3, 2)
        assert (p11.kind, ub3.kind, sn3.kind) == ("party_cell", "state", "public_service")
        assert Authority.objects.get(code="BTV3").unit == d3

    def test_it_records_an_audit_event_per_created_unit(self, org, tmp_path):
        units_import(actor=org.root, source=units_file(tmp_path))

        events = AuditEvent.objects.filter(action="unit.import")
        assert events.count() == 5
        event = events.get(object_id=str(Unit.objects.get(code="D3").pk))
        assert event.actor == org.root
        assert event.before is None
        assert after(event)["name"] == "Quận Ba"
        assert "units.xlsx" in event.note
        assert AuditEvent.objects.filter(action="authority.import").count() == 1

    def test_reimporting_the_same_file_changes_nothing(self, org, tmp_path):
        path = units_file(tmp_path)
        units_import(actor=org.root, source=path)
        before = dump()

        report = units_import(actor=org.root, source=path)

        assert dump() == before
        assert (report.created, report.updated, report.unchanged) == (0, 0, 6)

    def test_it_moves_a_unit_and_rewrites_its_subtree_paths(self, org, tmp_path):
        units_import(actor=org.root, source=units_file(tmp_path))
        moved = xlsx(
            tmp_path / "move.xlsx",
            {"Đơn vị": [UNIT_HEADERS, ["D3", "Quận Ba (mới)", "Tổ chức đảng", "Q2"]]},
        )

        report = units_import(actor=org.root, source=moved)

        assert (report.of("unit").updated, report.of("unit").created) == (1, 0)
        d3, ub3, sn3 = (Unit.objects.get(code=c) for c in ("D3", "UB3", "SN3"))
        assert d3.path == org.q2.path + d3.own_segment()
        assert sn3.path == d3.path + ub3.own_segment() + sn3.own_segment()
        assert sn3.depth == 4
        event = AuditEvent.objects.filter(action="unit.import").latest("id")
        assert before(event)["parent_id"] == org.city.pk
        assert after(event)["parent_id"] == org.q2.pk

    def test_it_lists_every_problem_with_its_row_and_column(self, org, tmp_path):
        path = xlsx(
            tmp_path / "bad.xlsx",
            {
                "Đơn vị": [
                    UNIT_HEADERS,
                    ["A1", "Đơn vị A1", "Tổ chức đảng", "KHONGCO"],
                    ["A2", "Đơn vị A2", "Hợp tác xã", "TP"],
                    ["A3", None, "Chi bộ", "TP"],
                    ["A2", "Đơn vị A2 lặp", "Chi bộ", "TP"],
                    ["V1", "Vòng 1", "Chi bộ", "V2"],
                    ["V2", "Vòng 2", "Chi bộ", "V1"],
                    ["Q1", "Quận Một", "Tổ chức đảng", "P9"],
                    ["P9", "Phường Chín", "Chi bộ", "Q1"],
                ],
            },
        )
        before = dump()

        with pytest.raises(ImportRejected) as rejected:
            units_import(actor=org.root, source=path)

        messages = [str(p) for p in rejected.value.problems]
        assert messages == [
            "Sheet «Đơn vị», dòng 2, cột D «Mã đơn vị cấp trên»: giá trị «KHONGCO» không tìm thấy "
            "đơn vị cấp trên có mã này (trong tệp hoặc trong hệ thống).",
            "Sheet «Đơn vị», dòng 3, cột C «Loại»: giá trị «Hợp tác xã» không thuộc các giá trị "
            "cho phép (Tổ chức đảng, Chi bộ, Cơ quan nhà nước, Mặt trận Tổ quốc, đoàn thể, "
            "Đơn vị sự nghiệp công lập).",
            "Sheet «Đơn vị», dòng 4, cột B «Tên đơn vị»: ô bắt buộc, không được để trống.",
            "Sheet «Đơn vị», dòng 5, cột A «Mã đơn vị»: giá trị «A2» trùng mã đơn vị với dòng 3.",
            "Sheet «Đơn vị», dòng 6, cột D «Mã đơn vị cấp trên»: giá trị «V2» tạo thành vòng lặp "
            "cấp trên: V1 → V2 → V1.",
            "Sheet «Đơn vị», dòng 7, cột D «Mã đơn vị cấp trên»: giá trị «V1» tạo thành vòng lặp "
            "cấp trên: V1 → V2 → V1.",
            "Sheet «Đơn vị», dòng 8, cột D «Mã đơn vị cấp trên»: giá trị «P9» tạo thành vòng lặp "
            "cấp trên: Q1 → P9 → Q1.",
            "Sheet «Đơn vị», dòng 9, cột D «Mã đơn vị cấp trên»: giá trị «Q1» tạo thành vòng lặp "
            "cấp trên: Q1 → P9 → Q1.",
        ]
        assert dump() == before

    def test_it_rejects_an_organiser_changing_units_outside_their_subtree(self, org, tmp_path):
        path = xlsx(
            tmp_path / "outside.xlsx",
            {
                "Đơn vị": [
                    UNIT_HEADERS,
                    ["TP", "Thành phố Mẫu", "Tổ chức đảng", None],  # unchanged: allowed
                    ["Q1X", "Phường mới của Q1", "Chi bộ", "Q1"],  # inside: allowed
                    ["Q2", "Quận Hai đổi tên", "Tổ chức đảng", "TP"],
                    ["Q2X", "Phường mới của Q2", "Chi bộ", "Q2"],
                    ["NEW", "Tỉnh khác", "Tổ chức đảng", None],
                ],
                "Cấp có thẩm quyền": [AUTHORITY_HEADERS, ["BTVQ2", "BTV Quận ủy Hai", "Q2"]],
            },
        )
        before = dump()

        with pytest.raises(ImportRejected) as rejected:
            units_import(actor=org.olga, source=path)

        located = [(p.sheet, p.row, p.letter) for p in rejected.value.problems]
        assert located == [
            ("Đơn vị", 4, "A"),
            ("Đơn vị", 5, "D"),
            ("Đơn vị", 6, "D"),
            ("Cấp có thẩm quyền", 2, "C"),
        ]
        assert all("phạm vi" in p.reason or "quản trị" in p.reason for p in rejected.value.problems)
        assert dump() == before

    def test_an_organiser_may_import_into_their_own_subtree(self, org, tmp_path):
        path = xlsx(
            tmp_path / "inside.xlsx",
            {
                "Đơn vị": [
                    UNIT_HEADERS,
                    ["C2", "Chi bộ 2", "Chi bộ", "C1"],
                    ["C1", "Phường", "Chi bộ", "Q1"],
                ]
            },
        )

        report = units_import(actor=org.olga, source=path)

        assert report.of("unit").created == 2
        assert Unit.objects.get(code="C2").path.startswith(org.q1.path)

    def test_it_rejects_a_workbook_without_the_required_sheet(self, org, tmp_path):
        path = xlsx(tmp_path / "empty.xlsx", {"Trang tính 1": [["x"]]})

        with pytest.raises(ImportRejected) as rejected:
            units_import(actor=org.root, source=path)

        assert [str(p) for p in rejected.value.problems] == [
            "Sheet «Đơn vị»: không có sheet này trong tệp."
        ]

    def test_it_rejects_a_file_that_is_not_a_workbook(self, org, tmp_path):
        path = tmp_path / "notes.xlsx"
        path.write_text("không phải Excel")

        with pytest.raises(ImportRejected) as rejected:
            units_import(actor=org.root, source=path)

        assert "không phải bảng tính Excel" in str(rejected.value.problems[0])


@pytest.mark.django_db
class TestPeopleImport:
    def test_it_imports_people_posts_disciplines_and_rewards(self, org, tmp_path):
        report = people_import(actor=org.root, source=xlsx(tmp_path / "p.xlsx", people_sheets()))

        assert {k: c.created for k, c in report.counts.items()} == {
            "person": 3,
            "post": 3,
            "discipline": 1,
            "reward": 1,
        }
        nhung = Person.objects.get(code="CB001")
        assert nhung.full_name == "Nguyễn Thị Hồng Nhung"
        assert nhung.search_text == " nguyen thi hong nhung cb001 "
        assert nhung.sort_key
        assert (nhung.birth_date, nhung.party_joined) == (
            datetime.date(1980, 9, 5),
            datetime.date(2005, 2, 3),
        )
        assert (nhung.gender, nhung.category, nhung.ethnicity) == (
            "female",
            "civil_servant",
            "Kinh",
        )
        an = Person.objects.get(code="CB002")
        assert (an.category, an.is_party_member, an.ethnicity) == ("cadre", False, "Tày")
        head = Post.objects.get(person=nhung)
        assert (head.unit, head.is_head, head.is_key, head.managed_by) == (
            org.q1,
            True,
            True,
            org.btv,
        )
        assert Post.objects.get(person__code="1003").end_date == datetime.date(2022, 12, 31)
        discipline = Discipline.objects.get()
        assert (discipline.kind, discipline.form, discipline.duty_related) == (
            "party",
            "khien_trach",
            True,
        )
        assert Reward.objects.get().person == nhung

    def test_it_records_audit_events_with_snapshots(self, org, tmp_path):
        people_import(actor=org.root, source=xlsx(tmp_path / "p.xlsx", people_sheets()))

        counts = {
            a: AuditEvent.objects.filter(action=a).count()
            for a in ("person.import", "post.import", "discipline.import", "reward.import")
        }
        assert counts == {
            "person.import": 3,
            "post.import": 3,
            "discipline.import": 1,
            "reward.import": 1,
        }
        event = AuditEvent.objects.get(action="person.import", object_repr="Trần Văn An")
        assert after(event)["birth_date"] == "1975-11-17"

    def test_reimporting_the_same_file_changes_nothing(self, org, tmp_path):
        path = xlsx(tmp_path / "p.xlsx", people_sheets())
        people_import(actor=org.root, source=path)
        before = dump()

        report = people_import(actor=org.root, source=path)

        assert dump() == before
        assert (report.created, report.updated, report.unchanged) == (0, 0, 8)

    def test_it_updates_only_what_changed(self, org, tmp_path):
        people_import(actor=org.root, source=xlsx(tmp_path / "p.xlsx", people_sheets()))
        sheets = people_sheets()
        sheets["Cán bộ"][2][1] = "Trần Văn Ân"
        sheets["Chức vụ"][2][9] = "31/12/2025"

        report = people_import(actor=org.root, source=xlsx(tmp_path / "p2.xlsx", sheets))

        assert (report.of("person").updated, report.of("person").unchanged) == (1, 2)
        assert (report.of("post").updated, report.of("post").created) == (1, 0)
        an = Person.objects.get(code="CB002")
        assert an.search_text == " tran van an cb002 "
        event = AuditEvent.objects.filter(action="person.import").latest("id")
        assert (before(event)["full_name"], after(event)["full_name"]) == (
            "Trần Văn An",
            "Trần Văn Ân",
        )

    def test_it_rejects_a_date_that_does_not_exist(self, org, tmp_path):
        sheets = people_sheets()
        sheets["Cán bộ"][1][2] = "31/02/1980"

        with pytest.raises(ImportRejected) as rejected:
            people_import(actor=org.root, source=xlsx(tmp_path / "p.xlsx", sheets))

        assert [str(p) for p in rejected.value.problems] == [
            "Sheet «Cán bộ», dòng 2, cột C «Ngày sinh»: giá trị «31/02/1980» không phải ngày "
            "hợp lệ (dd/mm/yyyy)."
        ]

    def test_it_lists_every_problem_of_a_bad_file_and_leaves_the_database_as_it_was(
        self, org, tmp_path
    ):
        people_import(actor=org.root, source=xlsx(tmp_path / "p.xlsx", people_sheets()))
        sheets = people_sheets()
        sheets["Cán bộ"] += [
            ["CB010", "", "01/01/1985", "Nam", "Công chức", "Không", None, None],  # row 5
            ["CB011", "Phạm Thu Hà", "31/02/1980", "Nữ", "Công chức", None, None, None],
            ["CB012", "Vũ Đức Long", "01/01/1985", "Khác", "Quân nhân", None, None, None],
            ["CB002", "Trần Văn Hai", "17/11/1975", "Nam", "Cán bộ", "Không", None, "Kinh"],
        ]
        sheets["Chức vụ"] += [
            ["CB010", "KHONGCO", "Chuyên viên", None, None, None, None, None, "01/01/2020", None],
            ["CB011", "Q2", "Chuyên viên", None, None, None, None, "XYZ", "01/01/2020", None],
            [
                "CB012",
                "Q2",
                "Chuyên viên",
                None,
                None,
                None,
                None,
                None,
                "01/01/2020",
                "01/01/2019",
            ],
            ["CB999", "Q2", "Chuyên viên", None, None, None, None, None, "01/01/2020", None],
            ["CB001", "Q2", "Bí thư", "Có", None, None, None, None, "01/01/2024", None],
        ]
        before = dump()

        with pytest.raises(ImportRejected) as rejected:
            people_import(actor=org.root, source=xlsx(tmp_path / "bad.xlsx", sheets))

        messages = [str(p) for p in rejected.value.problems]
        assert messages == [
            "Sheet «Cán bộ», dòng 5, cột B «Họ và tên»: ô bắt buộc, không được để trống.",
            "Sheet «Cán bộ», dòng 6, cột C «Ngày sinh»: giá trị «31/02/1980» không phải ngày "
            "hợp lệ (dd/mm/yyyy).",
            "Sheet «Cán bộ», dòng 7, cột D «Giới tính»: giá trị «Khác» không thuộc các giá trị "
            "cho phép (Nam, Nữ).",
            "Sheet «Cán bộ», dòng 7, cột E «Đối tượng»: giá trị «Quân nhân» không thuộc các giá "
            "trị cho phép (Cán bộ, Công chức, Viên chức, Người lao động, Khác).",
            "Sheet «Cán bộ», dòng 8, cột A «Mã cán bộ»: giá trị «CB002» trùng mã cán bộ với "
            "dòng 3.",
            "Sheet «Chức vụ», dòng 5, cột B «Mã đơn vị»: giá trị «KHONGCO» không tìm thấy đơn vị "
            "có mã này trong hệ thống.",
            "Sheet «Chức vụ», dòng 6, cột H «Diện quản lý»: giá trị «XYZ» không tìm thấy cấp có "
            "thẩm quyền có mã này trong hệ thống.",
            "Sheet «Chức vụ», dòng 7, cột J «Đến ngày»: giá trị «01/01/2019» trước ngày bắt đầu "
            "(01/01/2020).",
            "Sheet «Chức vụ», dòng 8, cột A «Mã cán bộ»: giá trị «CB999» không tìm thấy cán bộ có "
            "mã này (trong sheet «Cán bộ» hoặc trong hệ thống).",
            "Sheet «Chức vụ», dòng 9, cột D «Người đứng đầu»: giá trị «Có» là Có nhưng cán bộ này "
            "cũng đứng đầu «Quận Một» trong cùng thời gian (dòng 2).",
        ]
        assert dump() == before

    def test_it_rejects_a_person_heading_two_units_at_once_with_existing_posts(self, org, tmp_path):
        people_import(actor=org.root, source=xlsx(tmp_path / "p.xlsx", people_sheets()))
        later = xlsx(
            tmp_path / "later.xlsx",
            {
                "Cán bộ": [PERSON_HEADERS],
                "Chức vụ": [
                    POST_HEADERS,
                    ["CB001", "Q2", "Bí thư", "Có", None, None, None, None, "01/01/2024", None],
                    [
                        "CB001",
                        "TP",
                        "Ủy viên",
                        "Có",
                        None,
                        None,
                        None,
                        None,
                        "01/01/2018",
                        "31/12/2020",
                    ],
                ],
            },
        )

        with pytest.raises(ImportRejected) as rejected:
            people_import(actor=org.root, source=later)

        assert [str(p) for p in rejected.value.problems] == [
            "Sheet «Chức vụ», dòng 2, cột D «Người đứng đầu»: giá trị «Có» là Có nhưng cán bộ "
            "này đang là người đứng đầu «Quận Một» (Chủ tịch) từ 01/06/2021 đến nay, trùng "
            "thời gian."
        ]

    def test_it_accepts_a_head_post_that_starts_after_the_previous_one_ended(self, org, tmp_path):
        people_import(actor=org.root, source=xlsx(tmp_path / "p.xlsx", people_sheets()))
        sheets = people_sheets()
        sheets["Chức vụ"][1][9] = "31/12/2023"
        sheets["Chức vụ"].append(
            ["CB001", "Q2", "Bí thư", "Có", None, None, None, None, "01/01/2024", None]
        )

        report = people_import(actor=org.root, source=xlsx(tmp_path / "p2.xlsx", sheets))

        assert (report.of("post").created, report.of("post").updated) == (1, 1)

    def test_it_rejects_an_organiser_importing_people_outside_their_subtree(self, org, tmp_path):
        people_import(actor=org.root, source=xlsx(tmp_path / "p.xlsx", people_sheets()))
        bob = services.person_create(
            org.root,
            code="BOB",
            full_name="Đỗ Văn Bình",
            birth_date=datetime.date(1970, 1, 1),
            gender="male",
            category="civil_servant",
        )
        services.post_create(
            org.root,
            person=bob,
            unit=org.q2,
            title="Chuyên viên",
            start_date=datetime.date(2020, 1, 1),
        )
        sheets = people_sheets()  # everything in Q1, unchanged: allowed
        sheets["Cán bộ"] += [
            ["BOB", "Đỗ Văn Bình Mới", "01/01/1970", "Nam", "Công chức", None, None, None],
            ["NEW", "Hồ Thị Mai", "01/01/1990", "Nữ", "Công chức", None, None, None],
        ]
        sheets["Chức vụ"].append(
            ["NEW", "Q2", "Chuyên viên", None, None, None, None, None, "01/01/2024", None]
        )
        sheets["Khen thưởng"].append(["BOB", "Giấy khen", "01/01/2024", "1/QĐ", "UBND quận"])
        before = dump()

        with pytest.raises(ImportRejected) as rejected:
            people_import(actor=org.olga, source=xlsx(tmp_path / "outside.xlsx", sheets))

        located = [(p.sheet, p.row, p.column) for p in rejected.value.problems]
        assert located == [
            ("Cán bộ", 5, "Mã cán bộ"),
            ("Cán bộ", 6, "Mã cán bộ"),
            ("Chức vụ", 5, "Mã đơn vị"),
            ("Khen thưởng", 3, "Mã cán bộ"),
        ]
        assert all("phạm vi" in p.reason for p in rejected.value.problems)
        assert dump() == before

    def test_an_organiser_may_import_people_into_their_subtree(self, org, tmp_path):
        report = people_import(actor=org.olga, source=xlsx(tmp_path / "p.xlsx", people_sheets()))

        assert report.of("person").created == 3

    def test_it_rejects_a_sheet_with_a_missing_column(self, org, tmp_path):
        sheets = people_sheets()
        sheets["Cán bộ"] = [row[:2] + row[3:] for row in sheets["Cán bộ"]]

        with pytest.raises(ImportRejected) as rejected:
            people_import(actor=org.root, source=xlsx(tmp_path / "p.xlsx", sheets))

        assert [str(p) for p in rejected.value.problems] == [
            "Sheet «Cán bộ», dòng 1, cột «Ngày sinh»: thiếu cột này ở dòng tiêu đề."
        ]

    def test_it_accepts_an_uploaded_file_object_and_reports_progress(self, org, tmp_path):
        data = io.BytesIO(xlsx(tmp_path / "p.xlsx", people_sheets()).read_bytes())
        calls: list[tuple[int, int]] = []

        people_import(
            actor=org.root, source=data, progress=lambda done, total: calls.append((done, total))
        )

        assert calls[-1] == (8, 8)
        assert Person.objects.count() == 3

    def test_the_problem_reads_as_a_vietnamese_sentence(self):
        problem = ImportProblem(
            "Cán bộ", 7, "Ngày sinh", "C", "31/02/1980", "không phải ngày hợp lệ (dd/mm/yyyy)"
        )

        assert str(problem) == (
            "Sheet «Cán bộ», dòng 7, cột C «Ngày sinh»: giá trị «31/02/1980» không phải ngày "
            "hợp lệ (dd/mm/yyyy)."
        )


@pytest.mark.django_db
class TestTemplates:
    @pytest.mark.parametrize(
        ("kind", "sheet", "headers"),
        [("units", "Đơn vị", UNIT_HEADERS), ("people", "Cán bộ", PERSON_HEADERS)],
    )
    def test_the_template_has_the_headers_and_the_instructions(
        self, tmp_path, kind, sheet, headers
    ):
        path = tmp_path / "mau.xlsx"

        template_write(kind, path)

        wb = openpyxl.load_workbook(path)
        assert wb.worksheets[0].title == sheet
        ws = wb[sheet]
        assert [c.value for c in ws[1]] == headers
        assert all(c.font.bold for c in ws[1])
        assert ws.data_validations.dataValidation
        help_text = " ".join(
            str(c.value) for row in wb["Hướng dẫn"].iter_rows() for c in row if c.value
        )
        assert "dd/mm/yyyy" in help_text
        assert "Nhập lại" in help_text
        assert all(h in help_text for h in headers)

    def test_the_people_template_formats_date_columns(self, tmp_path):
        template_write("people", tmp_path / "mau.xlsx")

        ws = openpyxl.load_workbook(tmp_path / "mau.xlsx")["Chức vụ"]
        assert ws["I2"].number_format == "DD/MM/YYYY"

    @pytest.mark.parametrize("kind", ["units", "people"])
    def test_an_empty_template_imports_without_problems(self, org, tmp_path, kind):
        template_write(kind, tmp_path / "mau.xlsx")
        importer = units_import if kind == "units" else people_import

        report = importer(actor=org.root, source=tmp_path / "mau.xlsx")

        assert report.created == report.updated == 0


@pytest.mark.django_db
class TestCommands:
    def test_the_import_command_prints_the_report(self, org, tmp_path, capsys):
        out = io.StringIO()

        call_command("import", "units", str(units_file(tmp_path)), stdout=out)

        assert "Đơn vị: 5 tạo mới, 0 cập nhật, 0 không thay đổi." in out.getvalue()
        assert AuditEvent.objects.filter(action="unit.import")[0].actor == org.root

    def test_the_import_command_prints_every_problem_and_exits_with_status_2(self, org, tmp_path):
        sheets = people_sheets()
        sheets["Cán bộ"][1][2] = "31/02/1980"
        sheets["Chức vụ"][1][1] = "KHONGCO"
        err = io.StringIO()
        before = dump()

        with pytest.raises(CommandError) as error:
            call_command("import", "people", str(xlsx(tmp_path / "p.xlsx", sheets)), stderr=err)

        assert error.value.returncode == 2
        assert "dòng 2, cột C «Ngày sinh»" in err.getvalue()
        assert "dòng 2, cột B «Mã đơn vị»" in err.getvalue()
        assert dump() == before

    def test_the_import_command_runs_as_the_given_user(self, org, tmp_path):
        err = io.StringIO()

        with pytest.raises(CommandError) as error:
            call_command("import", "units", str(units_file(tmp_path)), "--user", "olga", stderr=err)

        assert error.value.returncode == 2
        assert "phạm vi" in err.getvalue()

    def test_the_template_command_writes_the_default_file(self, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)

        call_command("template", "people", stdout=io.StringIO())
        call_command("template", "units", "--output", "don-vi.xlsx", stdout=io.StringIO())

        assert "Cán bộ" in openpyxl.load_workbook(tmp_path / "mau-nhap-can-bo.xlsx").sheetnames
        assert "Đơn vị" in openpyxl.load_workbook(tmp_path / "don-vi.xlsx").sheetnames


@pytest.mark.django_db
def test_it_needs_the_same_few_queries_for_ten_rows_and_for_three_hundred(
    org, tmp_path, django_assert_max_num_queries
):
    def sheets(n: int) -> dict[str, list[list[Any]]]:
        people = [
            [f"N{i:04d}", f"Nguyễn Văn {i}", "01/01/1980", "Nam", "Công chức"] for i in range(n)
        ]
        posts = [
            [f"N{i:04d}", "Q1", "Chuyên viên", "", "", "", "", "", "01/01/2020"] for i in range(n)
        ]
        return {"Cán bộ": [PERSON_HEADERS, *people], "Chức vụ": [POST_HEADERS, *posts]}

    with django_assert_max_num_queries(30):
        people_import(actor=org.root, source=xlsx(tmp_path / "small.xlsx", sheets(10)))
    with django_assert_max_num_queries(30):
        people_import(actor=org.root, source=xlsx(tmp_path / "big.xlsx", sheets(300)))

    assert Post.objects.count() == 300
