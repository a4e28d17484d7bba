"""The self-review in Word: filled from the system, in the Party's presentation, opened by
LibreOffice (a real conversion to PDF) with the person's name intact."""

from __future__ import annotations

import datetime
import io
import subprocess
from pathlib import Path

from django.urls import reverse
from docx import Document

from tests.reviews.annual.cycle import D, evaluation_of, open_year
from tests.reviews.annual.test_tracks import STATE
from thuocdo.reviews.annual import services as cycle
from thuocdo.reviews.annual.documents import self_review_docx

ON = datetime.date(2026, 12, 10)


def _text_of(docx: bytes, tmp_path: Path) -> str:
    """Convert with LibreOffice, then read the PDF's text with pdftotext."""
    source = tmp_path / "form.docx"
    source.write_bytes(docx)
    subprocess.run(
        ["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), source],
        check=True,
        capture_output=True,
        timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    pdf = tmp_path / "form.pdf"
    return subprocess.run(
        ["pdftotext", "-layout", pdf, "-"], check=True, capture_output=True, text=True
    ).stdout


def _self_review(world, evaluation) -> None:
    cycle.evaluation_self_assess(
        actor=world.users["alice"],
        evaluation=evaluation,
        general=D(27),
        results=D(63),
        proposed_level="HTT",
        strengths={"politics": "Kiên định, vững vàng", "results": "Hoàn thành 100% nhiệm vụ"},
        shortcomings="Báo cáo đôi khi còn chậm",
        direction="Sắp xếp công việc khoa học hơn",
    )


def test_form_2a_opens_in_libreoffice_with_the_name_and_the_party_header(world, tmp_path):
    period = open_year(world)
    alice = evaluation_of(period, world.alice)
    _self_review(world, alice)
    docx = self_review_docx(alice, on=ON)
    normal = Document(io.BytesIO(docx)).styles["Normal"]
    assert (normal.font.name, normal.font.size.pt) == ("Times New Roman", 14)
    text = _text_of(docx, tmp_path)
    for expected in [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Quận Một, ngày 10 tháng 12 năm 2026",
        "BẢN KIỂM ĐIỂM CÁ NHÂN",
        "Mẫu 2A",
        "Nguyễn Thị Hồng Nhung",
        "Kiên định, vững vàng",
        "Báo cáo đôi khi còn chậm",
        "Hoàn thành tốt nhiệm vụ (HTT)",
        "90,00",
    ]:
        assert expected in text, expected


def test_free_text_with_markup_characters_stays_text(world):
    period = open_year(world)
    alice = evaluation_of(period, world.alice)
    cycle.evaluation_self_assess(
        actor=world.users["alice"],
        evaluation=alice,
        general=D(27),
        results=D(63),
        proposed_level="HTT",
        strengths={"results": "Thu & chi ngân sách <đúng hạn>"},
        shortcomings="",
        direction="",
    )
    document = Document(io.BytesIO(self_review_docx(alice, on=ON)))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "Thu & chi ngân sách <đúng hạn>" in text


def test_a_civil_servant_under_a_state_rule_set_gets_the_state_header(world, tmp_path):
    period = open_year(world, rulesets=STATE)
    alice = period.evaluations.get(person=world.alice, group="civil_servant")
    _self_review(world, alice)
    text = _text_of(self_review_docx(alice, on=ON), tmp_path)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in text


def _header_runs(docx: bytes) -> dict[str, bool]:
    """The right-hand header cell's lines and whether each is underlined."""
    cell = Document(io.BytesIO(docx)).tables[0].rows[0].cells[1]
    return {p.text: bool(p.runs and p.runs[0].underline) for p in cell.paragraphs if p.text}


def test_the_state_header_underlines_the_motto_and_the_party_header_its_name(world) -> None:
    period = open_year(world, rulesets=STATE)
    servant = period.evaluations.get(person=world.alice, group="civil_servant")
    member = period.evaluations.get(person=world.alice, group="party_member")
    state = _header_runs(self_review_docx(servant, on=datetime.date(2027, 3, 5)))
    assert state["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"] is False
    assert state["Độc lập - Tự do - Hạnh phúc"] is True
    # NĐ 30/2020: a zero before a day under 10 and a month under 3, not before March.
    assert any(line.endswith("ngày 05 tháng 3 năm 2027") for line in state)
    party = _header_runs(self_review_docx(member, on=datetime.date(2027, 1, 15)))
    assert party["ĐẢNG CỘNG SẢN VIỆT NAM"] is True
    assert "Độc lập - Tự do - Hạnh phúc" not in party
    assert any(line.endswith("ngày 15 tháng 01 năm 2027") for line in party)


def test_the_form_downloads_only_within_scope(client, world):
    period = open_year(world)
    alice = evaluation_of(period, world.alice)
    url = reverse("reviews:evaluation-docx", args=[alice.pk])
    client.force_login(world.users["alice"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.docx"')
    body = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "Nguyễn Thị Hồng Nhung" in body and "BẢN KIỂM ĐIỂM CÁ NHÂN" in body
    from thuocdo.org import services as org

    quinn = org.user_create(actor=None, username="quinn", password="x-Mat-khau-2026")
    org.role_assign(actor=None, user=quinn, role="organiser", unit=world.q2)
    client.force_login(quinn)
    assert client.get(url).status_code == 404
