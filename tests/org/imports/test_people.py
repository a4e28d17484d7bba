"""Excel import of people: all-or-nothing, idempotent, scoped, explained in Vietnamese."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest

from tests.org.imports.helpers import (
    PERSON_HEADERS,
    POST_HEADERS,
    dump,
    people_sheets,
    xlsx,
)
from tests.spreadsheets.events import changes, import_event, sha256
from thuocdo.audit.models import AuditEvent
from thuocdo.org import services
from thuocdo.org.imports import people_import
from thuocdo.org.models import Discipline, Person, Post, Reward
from thuocdo.spreadsheets import ImportProblem, ImportRejected


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

    def test_it_records_one_audit_event_with_counts_and_the_files_hash(self, org, tmp_path):
        path = xlsx(tmp_path / "p.xlsx", people_sheets())
        people_import(actor=org.root, source=path)

        assert AuditEvent.objects.filter(action="import").count() == 1
        assert not AuditEvent.objects.filter(action__endswith=".import").exists()
        event = import_event()
        assert event["actor"] == org.root
        assert (event["workbook"], event["file"]) == ("people", "p.xlsx")
        assert event["sha256"] == sha256(path) and sha256(path) in event["note"]
        assert event["counts"]["person"] == {"created": 3, "updated": 0, "unchanged": 0}
        assert {k: len(v) for k, v in event["created"].items()} == {
            "person.import": 3,
            "post.import": 3,
            "discipline.import": 1,
            "reward.import": 1,
        }
        an = Person.objects.get(full_name="Trần Văn An")
        assert an.pk in event["created"]["person.import"]

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
        [change] = changes("person.import")
        assert change["id"] == an.pk
        assert (change["before"]["full_name"], change["after"]["full_name"]) == (
            "Trần Văn An",
            "Trần Văn Ân",
        )
        assert "birth_date" not in change["after"]  # only what changed

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


@pytest.mark.django_db
class TestPeopleScope:
    """Finding 1 of the security review: every row naming a person is checked, including the
    «Chức vụ» row that would bring an outsider into the organiser's scope."""

    def _outsider(self, org) -> Person:
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
        return bob

    def test_a_post_in_the_organisers_unit_does_not_bring_an_outsider_in(self, org, tmp_path):
        self._outsider(org)
        post = ["BOB", "Q1", "Chuyên viên", None, None, None, None, None, "01/01/2024", None]
        path = xlsx(
            tmp_path / "p.xlsx", {"Cán bộ": [PERSON_HEADERS], "Chức vụ": [POST_HEADERS, post]}
        )
        before = dump()

        with pytest.raises(ImportRejected) as rejected:
            people_import(actor=org.olga, source=path)

        assert [str(p) for p in rejected.value.problems] == [
            "Sheet «Chức vụ», dòng 2, cột A «Mã cán bộ»: giá trị «BOB» là cán bộ nằm ngoài phạm "
            "vi bạn được quyền cập nhật."
        ]
        assert dump() == before

    def test_an_outsiders_unchanged_row_is_refused_too(self, org, tmp_path):
        self._outsider(org)
        row = ["BOB", "Đỗ Văn Bình", "01/01/1970", "Nam", "Công chức", None, None, None]
        path = xlsx(
            tmp_path / "p.xlsx", {"Cán bộ": [PERSON_HEADERS, row], "Chức vụ": [POST_HEADERS]}
        )

        with pytest.raises(ImportRejected) as rejected:
            people_import(actor=org.olga, source=path)

        assert [(p.sheet, p.row, p.column) for p in rejected.value.problems] == [
            ("Cán bộ", 2, "Mã cán bộ")
        ]

    def test_former_staff_of_the_district_re_import_unchanged_but_cannot_be_changed(
        self, org, tmp_path
    ):
        sheets = people_sheets()  # 1003's post in Q1 ended in 2022
        people_import(actor=org.root, source=xlsx(tmp_path / "p.xlsx", sheets))

        report = people_import(actor=org.olga, source=xlsx(tmp_path / "again.xlsx", sheets))

        assert (report.created, report.updated) == (0, 0)
        sheets["Cán bộ"][3][1] = "Lê Minh Tâm Mới"
        sheets["Chức vụ"].append(
            ["1003", "Q1", "Chuyên viên chính", None, None, None, None, None, "01/01/2025", None]
        )
        with pytest.raises(ImportRejected) as rejected:
            people_import(actor=org.olga, source=xlsx(tmp_path / "changed.xlsx", sheets))
        assert [(p.sheet, p.row, p.column) for p in rejected.value.problems] == [
            ("Cán bộ", 4, "Mã cán bộ"),
            ("Chức vụ", 5, "Mã cán bộ"),
        ]
