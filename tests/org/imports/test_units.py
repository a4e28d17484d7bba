"""Excel import of units: all-or-nothing, idempotent, scoped, explained in Vietnamese."""

from __future__ import annotations

import pytest

from tests.org.imports.helpers import (
    AUTHORITY_HEADERS,
    UNIT_HEADERS,
    dump,
    units_file,
    xlsx,
)
from tests.spreadsheets.events import changes, import_event, sha256
from thuocdo.audit.models import AuditEvent
from thuocdo.org.imports import units_import
from thuocdo.org.models import Authority, Unit
from thuocdo.spreadsheets import ImportRejected


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
        assert all(u.search_text.strip() for u in (d3, ub3, sn3, p11))

    def test_it_records_one_audit_event_for_the_import(self, org, tmp_path):
        path = units_file(tmp_path)
        units_import(actor=org.root, source=path)

        assert AuditEvent.objects.filter(action="import").count() == 1
        assert not AuditEvent.objects.filter(action__endswith=".import").exists()
        event = import_event()
        assert event["actor"] == org.root
        assert event["sha256"] == sha256(path)
        assert "units.xlsx" in event["note"]
        assert event["counts"]["unit"] == {"created": 5, "updated": 0, "unchanged": 0}
        assert Unit.objects.get(code="D3").pk in event["created"]["unit.import"]
        assert len(event["created"]["authority.import"]) == 1

    def test_reimporting_the_same_file_changes_nothing(self, org, tmp_path):
        path = units_file(tmp_path)
        units_import(actor=org.root, source=path)
        before = dump()

        report = units_import(actor=org.root, source=path)

        assert dump() == before
        assert (report.created, report.updated, report.unchanged) == (0, 0, 6)

    def test_it_marks_the_grassroots_party_organisations(self, org, tmp_path):
        """DESIGN §4.7.2: the column «Tổ chức cơ sở đảng» marks a đảng bộ cơ sở (its chi bộ
        count in its quota group); a file made before the column keeps the marks."""
        marked = xlsx(
            tmp_path / "co-so.xlsx",
            {
                "Đơn vị": [
                    UNIT_HEADERS,
                    ["X1", "Đảng bộ xã Một", "Tổ chức đảng", "TP", "Có"],
                    ["X1-CB1", "Chi bộ ấp 1", "Chi bộ", "X1", "Không"],
                    ["X1-CB2", "Chi bộ ấp 2", "Chi bộ", "X1", None],
                ],
                "Cấp có thẩm quyền": [AUTHORITY_HEADERS],
            },
        )
        units_import(actor=org.root, source=marked)
        flags = dict(
            Unit.objects.filter(code__startswith="X1").values_list("code", "is_party_grassroots")
        )
        assert flags == {"X1": True, "X1-CB1": False, "X1-CB2": False}

        old = xlsx(
            tmp_path / "cu.xlsx",
            {
                "Đơn vị": [
                    UNIT_HEADERS[:4],
                    ["X1", "Đảng bộ xã Một", "Tổ chức đảng", "TP"],
                    ["X1-CB1", "Chi bộ ấp 1", "Chi bộ", "X1"],
                ],
                "Cấp có thẩm quyền": [AUTHORITY_HEADERS],
            },
        )
        report = units_import(actor=org.root, source=old)
        assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
        assert Unit.objects.get(code="X1").is_party_grassroots

        unmarked = xlsx(
            tmp_path / "bo.xlsx",
            {
                "Đơn vị": [UNIT_HEADERS, ["X1", "Đảng bộ xã Một", "Tổ chức đảng", "TP", "Không"]],
                "Cấp có thẩm quyền": [AUTHORITY_HEADERS],
            },
        )
        report = units_import(actor=org.root, source=unmarked)
        assert report.updated == 1 and not Unit.objects.get(code="X1").is_party_grassroots
        [change] = changes("unit.import")
        assert (
            change["before"]["is_party_grassroots"],
            change["after"]["is_party_grassroots"],
        ) == (
            True,
            False,
        )

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
        assert d3.search_text == " quan ba (moi) d3 "  # the new name, found without diacritics
        [change] = changes("unit.import")
        assert change["before"]["parent_id"] == org.city.pk
        assert change["after"]["parent_id"] == org.q2.pk

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
