"""Findings 9 and 10 (outside spreadsheet cells): malformed requests answered 500, and text
was stored in any form (NFD, bidi overrides, zero-width characters, 2 MB self-reviews,
40 MB executables as evidence). One policy at the boundary now answers a Vietnamese 400."""

from __future__ import annotations

import json
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.ballots.helpers import open_campaign
from tests.reviews.annual.cycle import open_year
from thuocdo.security import inputs
from thuocdo.security.fields import EvidenceFileField

OVERFLOW = "9" * 30


def _client(world, name: str) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(world.users[name])
    return client


def _vietnamese_400(response) -> str:
    assert response.status_code == 400, (response.status_code, response.content[:300])
    if response["Content-Type"].startswith("application/json"):
        text = " ".join(map(str, response.json()["errors"]))
    else:
        text = response.content.decode()
    assert any(word in text for word in ("không", "phải", "vượt", "quá")), text
    return text


@pytest.mark.parametrize(
    "url",
    [
        "/can-bo/?q=a%00b",
        "/api/people/?q=%00",
        "/bao-cao/xu-huong/?unit=Q1%00",
        "/bao-cao/chuc-danh-tuong-duong/?unit=Q1&position=%00",
        "/bao-cao/?unit=%00&year=2026",
        "/can-bo/?q=%E2%80%AEabc",  # right-to-left override
        "/can-bo/?q=a%E2%80%8Bb",  # zero-width space
    ],
)
def test_a_nul_or_invisible_character_in_the_query_is_a_400(world, url):
    assert "không được phép" in _vietnamese_400(_client(world, "olga").get(url))


@pytest.mark.parametrize(
    "url",
    [
        "/phieu-tin-nhiem/moi/?don-vi=abc",
        f"/phieu-tin-nhiem/moi/?don-vi={OVERFLOW}",
    ],
)
def test_a_bad_unit_id_is_a_400(world, url):
    assert "don-vi" in _vietnamese_400(_client(world, "olga").get(url))


@pytest.mark.parametrize(
    "url",
    [
        f"/api/careers/cases/?year={OVERFLOW}",
        f"/api/targets/?year={OVERFLOW}",
        f"/bao-cao/?unit=Q1&year={OVERFLOW}",
        f"/xem-xet/?nam={OVERFLOW}",
        f"/api/reports/distribution?unit=Q1&year={OVERFLOW}",
        f"/api/people/{OVERFLOW}/",
        f"/can-bo/?trang={OVERFLOW}",
    ],
)
def test_an_integer_overflow_never_reaches_a_500(world, url):
    response = _client(world, "olga").get(url)
    assert response.status_code in (200, 400, 404), (url, response.status_code)


NESTED = ("[" * 50_000 + "]" * 50_000).encode()


@pytest.mark.parametrize(
    "url",
    ["/api/bo-phieu/", "/api/tra-loi-y-kien/", "/api/token/", "/api/rules/classify"],
)
def test_deeply_nested_json_is_a_400_anonymously_and_logged_in(world, url):
    for client in (Client(raise_request_exception=False), _client(world, "olga")):
        response = client.post(url, NESTED, content_type="application/json")
        if response.status_code in (401, 403):  # an endpoint that needs a login
            continue
        assert "lồng nhau quá sâu" in _vietnamese_400(response)


def test_broken_json_is_a_400_in_json(world):
    response = Client().post("/api/token/", b'{"username": ', content_type="application/json")
    assert "JSON không hợp lệ" in _vietnamese_400(response)


def test_a_nul_byte_in_a_json_string_is_a_400(world):
    body = json.dumps({"username": "olga\u0000", "password": "x"})
    response = Client().post("/api/token/", body, content_type="application/json")
    assert "U+0000" in _vietnamese_400(response)


def test_text_is_stored_in_nfc(world):
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hồng Nhung")
    assert decomposed != "Nguyễn Thị Hồng Nhung"
    client = _client(world, "olga")
    response = client.get("/api/people/", {"q": decomposed}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert [p["code"] for p in response.json()["results"]] == ["CB-A"]


def test_a_bidi_override_in_a_form_field_is_refused(world):
    client = _client(world, "olga")
    response = client.post(
        reverse("careers:training-create", args=[world.carol.pk]),
        {"title": "Cao cấp lý luận \u202echính trị"},
    )
    assert "U+202E" in _vietnamese_400(response)


def test_free_text_longer_than_the_limit_is_refused(world):
    client = _client(world, "olga")
    long_text = "a" * (inputs.FREE_TEXT_MAX + 1)
    response = client.post(
        reverse("careers:training-create", args=[world.carol.pk]), {"title": long_text}
    )
    assert "vượt giới hạn 20.000 ký tự" in _vietnamese_400(response)
    api = APIClient()
    api.force_authenticate(world.users["alice"])
    refused = api.post("/api/danh-gia/1/tu-kiem-diem/", {"shortcomings": long_text}, format="json")
    assert "vượt giới hạn" in _vietnamese_400(refused)


def test_a_request_larger_than_the_limit_is_a_413(world, settings):
    settings.REQUEST_MAX_BYTES = 1000
    response = _client(world, "olga").post(
        "/api/rules/classify", "x" * 2000, content_type="application/json"
    )
    assert response.status_code == 413


def _evidence(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_evidence_files_are_limited_in_size_and_type(settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    field = EvidenceFileField()
    assert field.clean(_evidence("bien-ban.pdf", b"%PDF-1.7 ..."))
    refusals = {
        "chuong-trinh.exe": b"MZ\x90\x00",
        "bien-ban.pdf": b"MZ\x90\x00 a program named .pdf",
        "lon.pdf": b"%PDF" + b"0" * 2000,
    }
    messages = []
    for name, content in refusals.items():
        with pytest.raises(Exception) as refused:
            field.clean(_evidence(name, content))
        messages.append(str(refused.value))
    assert "không thuộc loại được nhận" in messages[0]
    assert "không đúng định dạng .pdf" in messages[1]
    assert "vượt giới hạn" in messages[2]


@pytest.mark.parametrize(
    "text",
    ["CB\u200b001", "CB\u202e001", "CB\x00001", "Tên\ufeff", "A\u2066B\u2069"],
)
def test_the_policy_refuses_invisible_and_control_characters(text):
    with pytest.raises(inputs.InputRefused):
        inputs.text_clean(text, field="mã")


def test_the_policy_keeps_line_breaks_and_tabs_and_composes_vietnamese():
    assert inputs.text_clean("dòng 1\r\ndòng 2\tcột") == "dòng 1\r\ndòng 2\tcột"
    assert inputs.text_clean(unicodedata.normalize("NFD", "Hồ Chí Minh")) == "Hồ Chí Minh"


# Found by the schemathesis run (tests/api/test_schemathesis.py): `?year=47717` on the careers
# API ended in "year 47717 is out of range"; "²" passed `str.isdigit()` and broke `int()`.
@pytest.mark.parametrize(
    "url",
    [
        "/api/careers/cases/?year=47717",
        "/api/careers/cases/?year=%C2%B2",
        "/api/targets/?year=%C2%B2",
        "/api/targets/?year=47717",
        "/api/work/tasks/?year=%C2%B2",
        "/api/work/tasks/?month=13",
    ],
)
def test_an_api_year_or_month_that_is_no_number_in_range_is_a_vietnamese_400(world, url):
    response = _client(world, "olga").get(url)
    assert response.status_code == 400, (url, response.status_code)
    (message,) = next(iter(response.json().values()))
    assert "phải là số nguyên từ" in message


def test_a_plausible_api_year_still_filters(world):
    response = _client(world, "olga").get("/api/work/tasks/?year=2026&month=3")
    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize(
    "url",
    [
        "/bao-cao/?unit=Q1&year=%C2%B2",
        "/bao-cao/?unit=Q1&year=2026&month=%C2%B2",
        "/don-vi-cua-toi/?can-bo=%C2%B2",
    ],
)
def test_a_superscript_digit_in_a_page_query_is_ignored_not_a_500(world, url):
    response = _client(world, "olga").get(url)
    assert response.status_code in (200, 404), (url, response.status_code)


def test_a_content_length_of_no_plain_digits_is_not_a_500(world):
    response = _client(world, "olga").get("/can-bo/", CONTENT_LENGTH="²")
    assert response.status_code == 200


def test_a_superscript_paper_ballot_count_falls_back_to_ten_rows(world):
    campaign = open_campaign(world, 4).campaign
    page = _client(world, "olga").get(f"/phieu-tin-nhiem/{campaign.pk}/tap-phieu/moi/?so-phieu=²")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'name="p10_invalid"' in text
    assert 'name="p11_invalid"' not in text


def test_a_superscript_evaluation_id_to_verify_is_skipped_not_a_500(world):
    period = open_year(world)
    url = reverse("reviews:period-verification", args=[period.pk])
    response = _client(world, "olga").post(url, {"evaluation": ["²"]})
    assert response.status_code in (200, 302)
