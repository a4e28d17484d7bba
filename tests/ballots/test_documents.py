"""The counting record in Word, opened by LibreOffice (a real conversion to PDF) with the names
intact, and in PDF; the paper ballots to print."""

from __future__ import annotations

import io
import subprocess

import pytest
from docx import Document

from tests.ballots.helpers import MEETING, marks, open_campaign
from tests.reviews.annual.test_documents import _text_of
from thuocdo.ballots import documents, services
from thuocdo.ballots.selectors import campaign_result

pytestmark = pytest.mark.django_db


def _counted(world):
    issued = open_campaign(world, 30)
    for k, (_p, code) in enumerate(issued.codes[:24]):
        services.ballot_cast(
            code=code, marks=marks(issued.campaign, "low" if k < 16 else "trust", "high")
        )
    services.campaign_close(actor=world.users["olga"], campaign=issued.campaign)
    counted = campaign_result(issued.campaign)
    assert counted is not None
    return counted


def test_the_minutes_open_in_libreoffice_with_names_figures_and_signatures(world, tmp_path):
    docx = documents.minutes_docx(_counted(world), on=MEETING)
    normal = Document(io.BytesIO(docx)).styles["Normal"]
    assert (normal.font.name, normal.font.size.pt) == ("Times New Roman", 14)
    text = _text_of(docx, tmp_path)
    flat = " ".join(text.split())
    for expected in [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "THÀNH PHỐ MẪU",
        "Thành phố Mẫu, ngày 15 tháng 12 năm 2026",
        "BIÊN BẢN KIỂM PHIẾU",
        "Hoàng Văn Hải: Đưa ra khỏi quy hoạch chức danh cao hơn, xem xét cho thôi giữ chức vụ.",
        "Số người tham gia bỏ phiếu: 24 (80%)",
        "cuộc lấy phiếu hợp lệ",
        "16 (53,33%)",
        "Tín nhiệm thấp 16/30 = 53,33%",
        "BAN KIỂM PHIẾU",
        "Trưởng ban",
        "Nguyễn Thị Hồng Nhung",
        "Lê Thị Lan",
    ]:
        assert expected in flat, expected


def test_the_minutes_pdf_reads_back_with_diacritics(world, tmp_path):
    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(documents.minutes_pdf(_counted(world), on=MEETING))
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], check=True, capture_output=True,
                          text=True).stdout  # fmt: skip
    flat = " ".join(text.split())
    assert "Hoàng Văn Hải" in flat and "BIÊN BẢN KIỂM PHIẾU" in flat
    assert "Tín nhiệm thấp 16/30 = 53,33%" in flat


def test_the_paper_ballots_list_every_cadre_with_the_three_choices(world, tmp_path):
    issued = open_campaign(world, 3)
    pdf = tmp_path / "ballots.pdf"
    pdf.write_bytes(documents.paper_ballots_pdf(issued.campaign, copies=3))
    text = subprocess.run(["pdftotext", pdf, "-"], check=True, capture_output=True,
                          text=True).stdout  # fmt: skip
    assert text.count("PHIẾU LẤY PHIẾU TÍN NHIỆM") == 3
    assert text.count("Hoàng Văn Hải") == 3 and "Tín nhiệm thấp" in text
