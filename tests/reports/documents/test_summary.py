"""The summary report in Word: the Cần Thơ 2021 figures in the Party's presentation, the
State's header for a công chức report, opened by LibreOffice (a real conversion to PDF)."""

from __future__ import annotations

import datetime
import io
import re
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

from docx import Document

from tests.reports.conftest import YEAR, month_scores
from thuocdo.org.models import Post
from thuocdo.reports.common import selectors
from thuocdo.reports.documents import summary as documents
from thuocdo.reports.documents.docx.build import TEMPLATE, build
from thuocdo.reports.documents.summary import (
    docx_file_name,
    letterhead_defaults,
    summary_docx,
)
from thuocdo.reviews.models import Evaluation, Period
from thuocdo.rules.fmt import document_date_parts

ON = datetime.date(2027, 1, 15)


def pdf_text_of(docx: bytes, tmp_path: Path) -> str:
    """Convert with LibreOffice, read the PDF with pdftotext; runs of spaces become one."""
    source = tmp_path / "bao-cao.docx"
    source.write_bytes(docx)
    # A profile of its own (HOME) per test: parallel runs of LibreOffice share one otherwise.
    subprocess.run(
        ["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), source],
        check=True,
        capture_output=True,
        timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    text = subprocess.run(
        ["pdftotext", "-layout", tmp_path / "bao-cao.pdf", "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return re.sub(r"\s+", " ", text)


def docx_lines(docx: bytes) -> list[str]:
    """Every paragraph of the file, those in table cells included, in order (python-docx)."""
    document = Document(io.BytesIO(docx))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(p.text for cell in row.cells for p in cell.paragraphs)
    return lines


def docx_tables(docx: bytes) -> list[list[list[str]]]:
    """The text of each table, row by row."""
    document = Document(io.BytesIO(docx))
    return [[[c.text for c in row.cells] for row in table.rows] for table in document.tables]


def _docx_of(report, group: str | None = None, **changes) -> bytes:
    letterhead = letterhead_defaults(unit=report.unit, group=group, on=ON)
    return summary_docx(report=report, letterhead=replace(letterhead, **changes), group=group)


def _docx(unit, group: str | None = None, year: int = YEAR, **changes) -> bytes:
    report = selectors.distribution_report(unit=unit, year=year, group=group)
    return _docx_of(report, group, **changes)


def _civil_servants_2026(world) -> None:
    """Q1's published 2026 year: Alice HTT, Carol KHT (P1), Hana HTXS (Q1 itself)."""
    period = Period.objects.create(
        kind="year", year=2026, unit=world.q1, ruleset="nd-335-2025", state="published"
    )
    for person, level in ((world.alice, "HTT"), (world.carol, "KHT"), (world.hana, "HTXS")):
        post = Post.objects.get(person=person)
        Evaluation.objects.create(
            period=period,
            kind="individual",
            person=person,
            post=post,
            unit=post.unit,
            group="civil_servant",
            quota_group="G",
            level=level,
        )


def test_the_can_tho_report_opens_in_libreoffice_in_the_party_presentation(can_tho, tmp_path):
    text = pdf_text_of(_docx(can_tho.city, number="12", code="BTCTU"), tmp_path)
    for expected in [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "THÀNH PHỐ MẪU",
        "Số 12-BC/BTCTU",
        "Thành phố Mẫu, ngày 15 tháng 01 năm 2027",
        "BÁO CÁO kết quả đánh giá, xếp loại chất lượng đảng viên và cán bộ lãnh đạo, quản lý "
        "năm 2021",
        "49.463 đảng viên được xếp loại: 47.285 (95,6%) từ Hoàn thành tốt nhiệm vụ trở lên, "
        "trong đó 8.714 (18,43%) Hoàn thành xuất sắc nhiệm vụ; 2.011 (4,07%) Hoàn thành nhiệm "
        "vụ; 167 (0,34%) Không hoàn thành nhiệm vụ.",
        "Hoàn thành nhiệm vụ (HTNV) 2.011 4,07%",
        "Không hoàn thành nhiệm vụ (KHT) 167 0,34%",
        "Từ Hoàn thành tốt nhiệm vụ trở lên 47.285 95,6%",
        "1.236 cán bộ lãnh đạo, quản lý được xếp loại",
        "Tỷ lệ Hoàn thành xuất sắc nhiệm vụ vượt quy định: 434 HTXS trên 1.224 người",
        "= 35,46%, vượt tỷ lệ 20% (tối đa 244; vượt 190). Căn cứ: Quy định 132-QĐ/TW",
        "Nơi nhận:",
        "T/M BAN THƯỜNG VỤ",
    ]:
        assert expected in text, expected
    # Only the leaders break the quota; the Party members' 18,43% is within it.
    assert text.count("vượt quy định") == 1
    assert "8.714 HTXS trên 47.285 người" in text and "trong tỷ lệ 20% (tối đa 9.457)" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in text


def test_a_civil_servant_report_gets_the_state_header_and_the_names_rated_kht(world, tmp_path):
    _civil_servants_2026(world)
    docx = _docx(world.q1, "civil_servant", 2026, number="7", on=datetime.date(2027, 3, 5))
    text = pdf_text_of(docx, tmp_path)
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "QUẬN MỘT",
        "Số: 7/BC-Q1",
        "Quận Một, ngày 05 tháng 3 năm 2027",
        "BÁO CÁO Kết quả đánh giá, xếp loại chất lượng công chức năm 2026",
        "3 công chức được xếp loại: 2 (66,67%) từ Hoàn thành tốt nhiệm vụ trở lên, trong đó "
        "1 (50%) Hoàn thành xuất sắc nhiệm vụ",
        "Căn cứ: Nghị định 335/2025/NĐ-CP",
        "DANH SÁCH CÁ NHÂN KHÔNG HOÀN THÀNH NHIỆM VỤ",
        "1 Trần Văn Ánh Phường Một Công chức",
        "TM. ỦY BAN NHÂN DÂN",
        "- Thành phố Mẫu (để báo cáo);",
        "- Lưu: VT.",
    ]:
        assert expected in text, expected
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in text
    assert "Nguyễn Thị Hồng Nhung" not in text  # rated HTT: not on the list


def test_the_body_is_times_new_roman_14_on_a4(can_tho):
    document = Document(io.BytesIO(_docx(can_tho.city)))
    normal = document.styles["Normal"]
    assert (normal.font.name, normal.font.size.pt) == ("Times New Roman", 14)
    assert normal.element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    ) == ("Times New Roman")
    section = document.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    body = [p for p in document.paragraphs if "được xếp loại:" in p.text]
    assert len(body) == 2  # one sentence per group
    for paragraph in body:
        for run in paragraph.runs:
            assert run.font.name in (None, "Times New Roman")
            size = (run.font.size or normal.font.size).pt
            assert 13 <= size <= 14, size


def test_the_drill_down_lists_the_child_units_and_marks_those_over_the_quota(can_tho):
    tables = docx_tables(_docx(can_tho.city))
    _header, party_levels, party_units, _leader_levels, leader_units, _signature = tables
    assert party_levels[0] == [
        "Mức xếp loại", "Số lượng", "Tỷ lệ trên tổng số", "Tỷ lệ trên số từ HTT trở lên",
    ]  # fmt: skip
    assert party_levels[1] == ["Hoàn thành xuất sắc nhiệm vụ (HTXS)", "8.714", "17,62%", "18,43%"]
    assert [row[0] for row in party_units[1:]] == [
        "Tổng cộng: Thành phố Mẫu",
        "Quận Một",
        "Quận Hai",
    ]
    assert [row[-1] for row in party_units[1:]] == ["18,43%"] * 3
    assert [row[0] for row in leader_units[1:]] == [
        "Tổng cộng: Thành phố Mẫu", "Quận Một", "Quận Hai", "Thành phố Mẫu (trực tiếp)",
    ]  # fmt: skip
    assert leader_units[1][1:] == [
        "1.236", "434 (35,11%)", "790 (63,92%)", "9 (0,73%)", "3 (0,24%)", "35,46% (*)",
    ]  # fmt: skip
    note = "(*) Tỷ lệ Hoàn thành xuất sắc nhiệm vụ trên số từ Hoàn thành tốt nhiệm vụ trở lên "
    note += "vượt 20%."
    assert docx_lines(_docx(can_tho.city)).count(note) == 1  # the leaders', not the members'


def test_what_users_type_is_escaped_not_read_as_markup(can_tho):
    docx = _docx(can_tho.q1, "leader", issuer="BAN TỔ CHỨC <QUẬN> & CO", signer_name="Lê Văn Tám")
    lines = docx_lines(docx)
    assert any("BAN TỔ CHỨC <QUẬN> & CO" in line for line in lines)
    assert any("Lê Văn Tám" in line for line in lines)


def test_the_letterhead_defaults_come_from_the_unit(world):
    party = letterhead_defaults(unit=world.q1, group=None, on=ON)
    assert (party.issuer_above, party.issuer, party.place) == (
        "THÀNH PHỐ MẪU",
        "QUẬN MỘT",
        "Quận Một",
    )
    assert (party.signer_authority, party.signer_title, party.signer_name) == (
        "T/M BAN THƯỜNG VỤ", "BÍ THƯ", "",
    )  # fmt: skip
    assert party.recipients == ("Thành phố Mẫu (để báo cáo)", "Lưu Văn phòng")
    state = letterhead_defaults(unit=world.q1, group="public_employee", on=ON)
    assert (state.signer_authority, state.recipients[-1]) == ("TM. ỦY BAN NHÂN DÂN", "Lưu: VT")
    city = letterhead_defaults(unit=world.city, group=None, on=ON)
    assert (city.issuer_above, city.recipients) == ("", ("Lưu Văn phòng",))
    # A Party cell dates its documents where its parent is, and its secretary signs for it.
    cell = letterhead_defaults(unit=world.cell, group=None, on=ON)
    assert (cell.place, cell.signer_authority) == ("Phường Một", "T/M CHI BỘ")


def test_the_date_line_writes_a_zero_before_a_day_under_10_and_a_month_under_3():
    assert document_date_parts(datetime.date(2027, 1, 15)) == ("15", "01", "2027")
    assert document_date_parts(datetime.date(2027, 3, 5)) == ("05", "3", "2027")
    assert document_date_parts(datetime.date(2027, 12, 20)) == ("20", "12", "2027")


def test_an_empty_year_says_there_is_nothing_yet(world):
    lines = docx_lines(_docx(world.q2, year=2019))
    assert "Chưa có kết quả xếp loại năm 2019 trong phạm vi Quận Hai." in lines
    assert not any("được xếp loại:" in line for line in lines)


def test_the_committed_template_is_what_the_build_script_writes(tmp_path):
    built = build(tmp_path / "summary_report.docx")

    def body(path: Path) -> bytes:
        with zipfile.ZipFile(path) as archive:
            return archive.read("word/document.xml")

    assert body(built) == body(TEMPLATE), "run python -m thuocdo.reports.documents.docx.build"


def test_a_long_list_of_kht_names_stops_and_says_so(world, monkeypatch):
    monkeypatch.setattr(documents, "FAILED_LISTED", 1)
    _civil_servants_2026(world)
    Evaluation.objects.filter(person=world.alice).update(level="KHT")
    lines = docx_lines(_docx(world.q1, "civil_servant", 2026))
    note = "Danh sách chỉ ghi 1 người đầu tiên; danh sách đầy đủ có trong báo cáo của từng "
    assert f"{note}đơn vị trực thuộc." in lines
    listed = [line for line in lines if line in ("Nguyễn Thị Hồng Nhung", "Trần Văn Ánh")]
    assert listed == ["Trần Văn Ánh"]  # Vietnamese order: Ánh before Nhung


def test_a_month_and_a_category_carry_into_the_words_of_the_report(world):
    month_scores(world, {world.alice: "HTXS", world.carol: "HTT", world.bob: "KHT"})
    report = selectors.distribution_report(unit=world.city, year=2026, month=11)
    lines = docx_lines(_docx_of(report))
    assert (
        "kết quả đánh giá, xếp loại chất lượng cán bộ, công chức, viên chức tháng 11/2026" in lines
    )
    assert any(
        line.startswith("3 cán bộ, công chức, viên chức được xếp loại: 2 (66,67%)")
        for line in lines
    )
    assert not any("vượt quy định" in line for line in lines)  # a month has no quota
    assert docx_file_name(report=report, group=None) == "bao-cao-xep-loai-TP-2026-T11.docx"
    servants = selectors.distribution_report(unit=world.q1, year=YEAR, category="civil_servant")
    assert any(line.endswith("; đối tượng: Công chức.") for line in docx_lines(_docx_of(servants)))
