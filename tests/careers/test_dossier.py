"""The person's dossier ("Hồ sơ đánh giá", issue 8 part 5): scoped like the person page, with
its PDF carrying the name with diacritics and each year's level."""

from __future__ import annotations

import datetime
import subprocess
import tempfile
from pathlib import Path

from tests.careers.helpers import low_vote, past_level, published_level, targets_met
from thuocdo.careers import services


def _pdf_text(content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        Path(f.name).write_bytes(content)
        return subprocess.run(
            ["pdftotext", "-layout", f.name, "-"], check=True, capture_output=True, text=True
        ).stdout


def _record(world) -> None:
    past_level(world.alice, 2024, "HTXS")
    past_level(world.alice, 2025, "KHT")
    published_level(world.alice, 2026, "KHT")
    services.training_record(
        actor=world.users["olga"],
        person=world.alice,
        kind="course",
        subject="state_management",
        level="Chuyên viên chính",
        name="Bồi dưỡng ngạch chuyên viên chính",
        end_date=datetime.date(2025, 5, 20),
    )


def test_the_dossier_gathers_results_training_and_flags(client, world):
    _record(world)
    client.force_login(world.users["olga"])
    page = client.get(f"/ho-so/{world.alice.pk}/").content.decode()
    assert "Hồ sơ đánh giá: Nguyễn Thị Hồng Nhung" in page
    for text in ("Hồ sơ các năm trước", "Hệ thống", "Chuyên viên chính", "Hai năm liên tiếp"):
        assert text in page
    assert ">2026<" in page and ">2025<" in page


def test_the_dossier_of_a_head_shows_targets_and_votes(client, world):
    targets_met(world.q1, world.hana, 2026, met=6, assigned=10)
    low_vote(world.hana, world.q1, world.users["root"], datetime.date(2026, 10, 1))
    client.force_login(world.users["tam"])
    page = client.get(f"/ho-so/{world.hana.pk}/").content.decode()
    assert "đạt 6/10 = 60% chỉ tiêu" in page and "dưới 70% chỉ tiêu" in page
    assert "Tín nhiệm thấp 18/30" in page


def test_the_dossier_is_scoped_like_the_person_page(client, world):
    client.force_login(world.users["alice"])
    assert client.get(f"/ho-so/{world.alice.pk}/").status_code == 200
    assert client.get(f"/ho-so/{world.carol.pk}/").status_code == 404
    client.force_login(world.users["olga"])
    # bob works in Quận Hai, the sibling district: missing and not-yours answer alike.
    assert client.get(f"/ho-so/{world.bob.pk}/").status_code == 404
    assert client.get(f"/ho-so/{world.bob.pk}/pdf/").status_code == 404
    assert client.get("/ho-so/999999/").status_code == 404
    client.force_login(world.users["nobody"])
    assert client.get(f"/ho-so/{world.alice.pk}/").status_code == 404


def test_the_person_page_links_to_the_dossier(client, world):
    client.force_login(world.users["olga"])
    page = client.get(f"/can-bo/{world.alice.pk}/").content.decode()
    assert f'href="/ho-so/{world.alice.pk}/"' in page


def test_the_pdf_has_the_name_with_diacritics_and_each_years_level(client, world):
    _record(world)
    client.force_login(world.users["olga"])
    response = client.get(f"/ho-so/{world.alice.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="ho-so-danh-gia-CB-A.pdf"'
    text = " ".join(_pdf_text(response.content).split())
    assert "Nguyễn Thị Hồng Nhung" in text
    assert "2026 Công chức KHT — Không hoàn thành nhiệm vụ" in text
    assert "2025 Công chức KHT — Không hoàn thành nhiệm vụ" in text
    assert "2024 Công chức HTXS — Hoàn thành xuất sắc nhiệm vụ" in text


def test_training_is_recorded_by_the_organiser_only(client, world):
    data = {
        "kind": "degree",
        "subject": "political_theory",
        "level": "Cao cấp",
        "name": "Cao cấp LLCT",
    }
    client.force_login(world.users["hana"])
    assert client.post(f"/ho-so/{world.alice.pk}/dao-tao/", data).status_code == 403
    client.force_login(world.users["olga"])
    assert client.post(f"/ho-so/{world.alice.pk}/dao-tao/", data).status_code == 302
    bad = client.post(f"/ho-so/{world.alice.pk}/dao-tao/", {**data, "level": "Siêu cấp"})
    assert "Trình độ phải là một trong: Sơ cấp, Trung cấp, Cao cấp." in bad.content.decode()
