"""The registry's import templates and its `import` and `template` commands."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.org.imports.helpers import (
    PERSON_HEADERS,
    UNIT_HEADERS,
    dump,
    people_sheets,
    units_file,
    xlsx,
)
from thuocdo.audit.models import AuditEvent
from thuocdo.org.imports import people_import, template_write, units_import


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
        # «Hướng dẫn» opens the workbook (issue 16); the data sheets follow.
        assert wb.sheetnames[:2] == ["Hướng dẫn", sheet]
        assert wb.active is not None and wb.active.title == "Hướng dẫn"
        ws = wb[sheet]
        # The cell after the last header holds the example row's note, under no header.
        assert [c.value for c in ws[1]] == [*headers, None]
        assert all(c.font.bold for c in ws[1][: len(headers)])
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
        assert AuditEvent.objects.get(action="import").actor == org.root

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
