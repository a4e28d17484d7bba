"""The pages of confidence votes: the voter's ballot, the organiser's campaign, the counting
committee's batches, the downloads; and the sibling district's 404 everywhere."""

from __future__ import annotations

import io

import pytest
from docx import Document

from tests.ballots.helpers import MEETING, marks, open_campaign, second_counter, sibling_organiser
from tests.reviews.annual.cycle import evaluation_of, open_year
from thuocdo.ballots import services
from thuocdo.ballots.models import Campaign, CampaignState, PaperBatch, SealedBallot
from thuocdo.web.throttle import CODE_THROTTLED

pytestmark = pytest.mark.django_db


def _vote_by_page(client, code: str, campaign: Campaign, *choices: str):
    post = {"code": code, "voting": "1"}
    post.update({f"c{k}": v for k, v in marks(campaign, *choices).items()})
    return client.post("/bo-phieu/", post)


def test_a_voter_types_the_code_sees_every_cadre_and_votes_once(client, world) -> None:
    issued = open_campaign(world, 3)
    _person, code = issued.codes[0]
    assert client.get("/bo-phieu/").status_code == 200
    page = client.post("/bo-phieu/", {"code": code}).content.decode()
    assert "<legend>Hoàng Văn Hải — Chủ tịch UBND quận</legend>" in page
    assert page.count('type="radio"') == 6 and "Tín nhiệm thấp" in page
    done = _vote_by_page(client, code, issued.campaign, "low", "high")
    assert done.status_code == 200 and "đã được bỏ vào hòm phiếu" in done.content.decode()
    assert "thấp" not in done.content.decode().split("<main")[1]  # says nothing of the choices
    again = _vote_by_page(client, code, issued.campaign, "high", "high")
    assert again.status_code == 400 and services.CODE_REFUSED in again.content.decode()
    assert SealedBallot.objects.count() == 1
    assert "no-store" in done["Cache-Control"]
    assert not client.session.keys()  # nothing about the voter in a session


def test_a_logged_in_voter_stays_unknown_and_forged_codes_are_throttled(client, world) -> None:
    issued = open_campaign(world, 3)
    client.force_login(world.users["alice"])
    assert (
        _vote_by_page(client, issued.codes[1][1], issued.campaign, "trust", "trust").status_code
        == 200
    )
    for _ in range(20):
        assert client.post("/bo-phieu/", {"code": "AAAA-BBBB-CCCC"}).status_code == 400
    throttled = client.post("/bo-phieu/", {"code": "aaaa bbbb cccc"})
    assert throttled.status_code == 429 and CODE_THROTTLED in throttled.content.decode()
    # The same client, the same address: a right code still votes (tests/ballots/test_throttle.py).
    assert client.post("/bo-phieu/", {"code": issued.codes[2][1]}).status_code == 200


def test_the_organiser_sets_up_opens_closes_and_publishes_through_the_pages(client, world) -> None:
    client.force_login(world.users["olga"])
    assert "Phiếu tín nhiệm" in client.get("/").content.decode()
    picked = client.get("/phieu-tin-nhiem/moi/").content.decode()
    assert f"?don-vi={world.q1.pk}" in picked and f"?don-vi={world.q2.pk}" not in picked
    form = {
        "title": "Lấy phiếu tín nhiệm năm 2026",
        "meeting_date": MEETING.isoformat(),
        "base": "summoned",
        "candidates": [world.hana.pk],
        "summoned": [world.alice.pk, world.carol.pk, world.lena.pk],
        "committee": [world.lena.pk],
    }
    created = client.post(f"/phieu-tin-nhiem/moi/?don-vi={world.q1.pk}", form)
    campaign = Campaign.objects.get()
    assert created.url == f"/phieu-tin-nhiem/{campaign.pk}/"
    codes_page = client.post(f"/phieu-tin-nhiem/{campaign.pk}/mo/").content.decode()
    assert codes_page.count('class="code"') == 3 and "Nguyễn Thị Hồng Nhung" in codes_page
    detail = client.get(f"/phieu-tin-nhiem/{campaign.pk}/").content.decode()
    assert "0/3" in detail
    client.post(f"/phieu-tin-nhiem/{campaign.pk}/kiem-phieu/")
    detail = client.get(f"/phieu-tin-nhiem/{campaign.pk}/").content.decode()
    assert "cuộc lấy phiếu không hợp lệ" in detail  # nobody voted
    client.post(f"/phieu-tin-nhiem/{campaign.pk}/cong-bo/")
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.PUBLISHED


def _counted(world, lows: int = 3) -> Campaign:
    issued = open_campaign(world, 4)
    for k, (_p, code) in enumerate(issued.codes):
        services.ballot_cast(
            code=code, marks=marks(issued.campaign, "low" if k < lows else "high", "high")
        )
    services.campaign_close(actor=world.users["olga"], campaign=issued.campaign)
    services.campaign_publish(actor=world.users["olga"], campaign=issued.campaign)
    return issued.campaign


def test_the_result_page_and_the_person_record_show_the_consequence(client, world) -> None:
    campaign = _counted(world)
    client.force_login(world.users["olga"])
    page = client.get(f"/phieu-tin-nhiem/{campaign.pk}/").content.decode()
    assert "cuộc lấy phiếu hợp lệ" in page and "Xem xét miễn nhiệm" in page
    assert "3 (75%)" in page and "confidence-low-two-thirds" not in page
    record = client.get(f"/can-bo/{world.hana.pk}/").content.decode()
    assert "Hệ quả lấy phiếu tín nhiệm" in record and "Xem xét miễn nhiệm" in record
    assert "Hệ quả lấy phiếu" not in client.get(f"/can-bo/{world.lena.pk}/").content.decode()


def test_the_evaluation_of_the_year_shows_the_consequence_and_the_record_links_it(
    client, world
) -> None:
    evaluation = evaluation_of(open_year(world), world.hana)
    _counted(world)
    client.force_login(world.users["olga"])
    page = client.get(f"/danh-gia/{evaluation.pk}/").content.decode()
    assert "Hệ quả lấy phiếu tín nhiệm" in page and "Xem xét miễn nhiệm" in page
    record = client.get(f"/can-bo/{world.hana.pk}/").content.decode()
    assert f'href="/danh-gia/{evaluation.pk}/"' in record


def test_the_minutes_download_as_word_and_pdf(client, world) -> None:
    campaign = _counted(world)
    client.force_login(world.users["olga"])
    word = client.get(f"/phieu-tin-nhiem/{campaign.pk}/bien-ban.docx")
    assert word["Content-Disposition"].endswith('.docx"')
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert "BIÊN BẢN KIỂM PHIẾU" in text and "cuộc lấy phiếu hợp lệ" in text
    pdf = client.get(f"/phieu-tin-nhiem/{campaign.pk}/bien-ban.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(f"/phieu-tin-nhiem/{campaign.pk}/bien-ban.exe").status_code == 404
    paper = client.get(f"/phieu-tin-nhiem/{campaign.pk}/phieu-giay.pdf")
    assert paper.content.startswith(b"%PDF")


def test_the_committee_enters_a_batch_and_another_member_checks_it(client, world) -> None:
    issued = open_campaign(world, 4)
    campaign = issued.campaign
    services.paper_issue(
        actor=world.users["olga"], campaign=campaign, people=[p for p, _c in issued.codes[:2]]
    )
    client.force_login(world.users["olga"])
    hana, lena = (c.pk for c in campaign.candidates.order_by("position"))
    post = {f"p1_c{hana}": "low", f"p1_c{lena}": "high", "p2_invalid": "on"}
    client.post(f"/phieu-tin-nhiem/{campaign.pk}/tap-phieu/moi/?so-phieu=3", post)
    batch = PaperBatch.objects.get()
    assert (batch.ballot_count, batch.invalid_count) == (2, 1)
    assert "Xác nhận" not in client.get(f"/tap-phieu/{batch.pk}/").content.decode()
    client.post(f"/tap-phieu/{batch.pk}/kiem-tra/")
    assert not PaperBatch.objects.get().is_checked
    client.force_login(second_counter(world))
    assert "Tín nhiệm thấp" in client.get(f"/tap-phieu/{batch.pk}/").content.decode()
    client.post(f"/tap-phieu/{batch.pk}/kiem-tra/")
    assert PaperBatch.objects.get().is_checked


def test_a_partly_marked_paper_ballot_is_refused_with_its_row(client, world) -> None:
    issued = open_campaign(world, 4)
    services.paper_issue(
        actor=world.users["olga"], campaign=issued.campaign, people=[issued.codes[0][0]]
    )
    client.force_login(world.users["olga"])
    hana = issued.campaign.candidates.get(person=world.hana).pk
    page = client.post(f"/phieu-tin-nhiem/{issued.campaign.pk}/tap-phieu/moi/?so-phieu=2",
                       {f"p1_c{hana}": "low"}, follow=True).content.decode()  # fmt: skip
    assert "Phiếu 1: chưa chọn mức cho Lê Thị Lan." in page
    assert not PaperBatch.objects.exists()


def test_a_sibling_organiser_gets_404_everywhere(client, world) -> None:
    campaign = _counted(world)
    batch = PaperBatch.objects.create(campaign=campaign, number=1, entered_by=world.users["olga"])
    client.force_login(sibling_organiser(world))
    for url in [
        f"/phieu-tin-nhiem/{campaign.pk}/",
        f"/phieu-tin-nhiem/{campaign.pk}/bien-ban.docx",
        f"/phieu-tin-nhiem/{campaign.pk}/phieu-giay.pdf",
        f"/phieu-tin-nhiem/{campaign.pk}/tap-phieu/moi/",
        f"/tap-phieu/{batch.pk}/",
        f"/api/phieu-tin-nhiem/{campaign.pk}/",
    ]:
        assert client.get(url).status_code == 404, url
    for url in [f"/phieu-tin-nhiem/{campaign.pk}/kiem-phieu/", f"/tap-phieu/{batch.pk}/kiem-tra/"]:
        assert client.post(url).status_code == 404, url
    assert (
        "Lấy phiếu tín nhiệm"
        not in client.get("/phieu-tin-nhiem/").content.decode().split("<tbody>")[1]
    )


def test_a_head_on_the_ballot_does_not_see_the_campaign(client, world) -> None:
    campaign = _counted(world)
    client.force_login(world.users["hana"])  # head of Quận Một, and on the ballot
    assert client.get(f"/phieu-tin-nhiem/{campaign.pk}/").status_code == 404
    assert "Xem xét miễn nhiệm" in client.get(f"/can-bo/{world.hana.pk}/").content.decode()


def test_the_administrator_sees_the_campaign_but_never_a_batch_of_ballots(client, world) -> None:
    campaign = _counted(world)
    batch = PaperBatch.objects.create(campaign=campaign, number=1, entered_by=world.users["olga"])
    client.force_login(world.users["root"])
    assert client.get(f"/phieu-tin-nhiem/{campaign.pk}/").status_code == 200
    assert client.get(f"/tap-phieu/{batch.pk}/").status_code == 404
    for model in ("ballot", "summons", "paperbatch"):
        assert client.get(f"/quan-tri/ballots/{model}/").status_code == 404


def test_the_api_reads_turnout_then_results_and_takes_a_ballot_by_code(client, world) -> None:
    issued = open_campaign(world, 3)
    body = {"code": issued.codes[0][1], "marks": marks(issued.campaign, "low", "trust")}
    assert client.post("/api/bo-phieu/", body, content_type="application/json").status_code == 201
    again = client.post("/api/bo-phieu/", body, content_type="application/json")
    assert again.status_code == 400 and services.CODE_REFUSED in str(again.json())
    client.force_login(world.users["olga"])
    data = client.get(f"/api/phieu-tin-nhiem/{issued.campaign.pk}/").json()
    assert (data["voted"], data["summoned"], data["result"]) == (1, 3, None)
    services.campaign_close(actor=world.users["olga"], campaign=issued.campaign)
    data = client.get(f"/api/phieu-tin-nhiem/{issued.campaign.pk}/").json()
    assert data["result"]["status"] == "không hợp lệ"
    assert data["result"]["candidates"][0]["counts"] == {"high": 0, "trust": 0, "low": 1}
