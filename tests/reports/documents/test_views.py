"""The "Văn bản báo cáo" page: the letterhead form with the unit's defaults, the Word file it
returns, its Vietnamese errors, and its scope (an outsider's request is refused with 404)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.reports.conftest import import_as, workbook_bytes
from tests.reports.documents.test_summary import docx_lines
from thuocdo.org import services as org
from thuocdo.org.scope import today
from thuocdo.rules.fmt import vn_date

URL = reverse("reports:summary-docx")
ROWS = [
    ["CB-A", "", "P1", 2021, "Đảng viên", "HTXS"],
    ["CB-C", "", "P1", 2021, "Đảng viên", "HTT"],
    ["CB-X", "", "P1", 2021, "Đảng viên", "HTT"],
    ["CB-Z", "", "P1", 2021, "Đảng viên", "HTNV"],
    ["CB-H", "", "Q1", 2021, "Cán bộ lãnh đạo, quản lý", "HTXS"],
    ["CB-B", "", "P2", 2021, "Đảng viên", "KHT"],
]
FORM = {
    "issuer_above": "ĐẢNG BỘ QUẬN MỘT",
    "issuer": "BAN TỔ CHỨC QUẬN ỦY",
    "code": "BTCQU",
    "number": "12",
    "place": "Quận Một",
    "on": "15/01/2027",
    "signer_authority": "",
    "signer_title": "TRƯỞNG BAN",
    "signer_name": "",
    "recipients": "Ban Tổ chức Thành ủy (để báo cáo)\nLưu Văn phòng",
}


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_it_shows_the_form_with_the_units_defaults(world):
    import_as(world, "root", workbook_bytes(ROWS))
    response = _client("olga").get(URL, {"unit": "Q1", "year": "2021"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Văn bản báo cáo kết quả đánh giá, xếp loại năm 2021 — Quận Một" in page
    assert f'href="{URL}?unit=Q1" aria-current="page">Văn bản báo cáo</a>' in page
    assert 'name="issuer" value="QUẬN MỘT"' in page
    assert 'name="issuer_above" value="THÀNH PHỐ MẪU"' in page
    assert f'name="on" value="{vn_date(today())}"' in page
    assert 'name="signer_authority" value="T/M BAN THƯỜNG VỤ"' in page
    assert "Đảng Cộng sản Việt Nam" in page  # the presentation it will use
    assert f'action="{URL}?unit=Q1&amp;year=2021"' in page


def test_a_civil_servant_report_is_announced_in_the_states_presentation(world):
    page = _client("olga").get(URL, {"unit": "Q1", "year": "2021", "group": "civil_servant"})
    text = page.content.decode()
    assert "Cộng hòa xã hội chủ nghĩa Việt Nam" in text
    assert 'name="signer_authority" value="TM. ỦY BAN NHÂN DÂN"' in text


def test_it_returns_the_word_file_as_an_attachment(world):
    import_as(world, "root", workbook_bytes(ROWS))
    response = _client("olga").post(f"{URL}?unit=Q1&year=2021&group=party_member", FORM)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == (
        'attachment; filename="bao-cao-xep-loai-Q1-2021-party_member.docx"'
    )
    lines = docx_lines(response.content)
    for expected in [
        "ĐẢNG BỘ QUẬN MỘT",
        "BAN TỔ CHỨC QUẬN ỦY",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 12-BC/BTCQU",
        "Quận Một, ngày 15 tháng 01 năm 2027",
        "kết quả đánh giá, xếp loại chất lượng đảng viên năm 2021",
        "4 đảng viên được xếp loại: 3 (75%) từ Hoàn thành tốt nhiệm vụ trở lên, trong đó 1 "
        "(33,33%) Hoàn thành xuất sắc nhiệm vụ; 1 (25%) Hoàn thành nhiệm vụ; 0 (0%) Không "
        "hoàn thành nhiệm vụ.",
        "- Ban Tổ chức Thành ủy (để báo cáo),",
        "- Lưu Văn phòng.",
        "TRƯỞNG BAN",
    ]:
        assert expected in lines, expected
    text = "\n".join(lines)
    assert "T/M BAN THƯỜNG VỤ" not in text  # left blank: the head signs directly
    assert "Cán bộ lãnh đạo, quản lý" not in text  # one group asked for
    assert "Quận Hai" not in text  # Bùi Văn Bình's KHT is in the sibling district


def test_a_bad_date_is_refused_in_vietnamese_naming_the_field(world):
    bad = {**FORM, "on": "31/02/2027", "issuer": "", "signer_title": ""}
    response = _client("olga").post(f"{URL}?unit=Q1&year=2021", bad)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Ngày ban hành phải ghi theo dạng dd/mm/yyyy, ví dụ 15/01/2027." in page
    assert "Cần ghi cơ quan ban hành." in page
    assert "Cần ghi chức vụ người ký." in page
    assert 'value="31/02/2027"' in page  # what was typed is kept


def test_an_outsider_from_a_sibling_district_gets_404(world):
    quinn = org.user_create(actor=None, username="quinn", password=PASSWORD)
    org.role_assign(actor=None, user=quinn, role="organiser", unit=world.q2)
    client = _client("quinn")
    assert client.get(URL, {"unit": "Q1", "year": "2021"}).status_code == 404
    assert client.post(f"{URL}?unit=Q1&year=2021", FORM).status_code == 404
    assert client.get(URL, {"unit": "Q2", "year": "2021"}).status_code == 200


def test_it_requires_a_login(world):
    response = Client().get(URL, {"unit": "Q1"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_distribution_page_has_the_tab(world):
    page = _client("olga").get(reverse("reports:distribution"), {"unit": "Q1"}).content.decode()
    assert f'href="{URL}?unit=Q1">Văn bản báo cáo</a>' in page
