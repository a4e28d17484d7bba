"""Entry on behalf (nhập hộ) of a self-review: the direct leader or the organiser writes the
self-review of a person without an account (or who wrote it on paper); it is marked on the
form, the evaluation page and the Word form, audited, and the person, once they have an
account, sees it and confirms it (or rewrites it as their own). Nobody else may, and an entry
on someone's behalf never overwrites what the person wrote or confirmed."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from tests.reviews.annual.cycle import D, evaluation_of, open_year
from thuocdo.audit.models import AuditEvent
from thuocdo.org import services as org
from thuocdo.reviews.annual import services as cycle
from thuocdo.reviews.annual.documents import self_review_docx
from thuocdo.reviews.models import (
    AnnualAssessment,
    AssessmentSource,
    Evaluation,
    EvaluationState,
)

PAPER = {
    "strength_politics": "Kiên định",
    "shortcomings": "Còn chậm trả lời công văn",
    "general": "26",
    "results": "62",
    "proposed_level": "HTT",
}


def _sheet(evaluation) -> AnnualAssessment:
    return AnnualAssessment.objects.get(evaluation=evaluation, source=AssessmentSource.SELF)


def _docx_text(evaluation) -> str:
    document = Document(io.BytesIO(self_review_docx(evaluation, on=timezone.localdate())))
    return "\n".join(p.text for p in document.paragraphs)


def test_the_direct_leader_enters_a_paper_self_review_marked_and_audited(client, world):
    period = open_year(world)
    carol = evaluation_of(period, world.carol)  # no account
    client.force_login(world.users["lena"])
    url = reverse("reviews:evaluation-self", args=[carol.pk])
    form = client.get(url).content.decode()
    assert "Nhập hộ bản tự kiểm điểm" in form and "on-behalf-note" in form
    board = reverse("reviews:period-board", args=[period.pk])
    enter = f'Nhập hộ tự kiểm điểm<span class="visually-hidden"> của {world.carol.full_name}<'
    change = f'Sửa bản nhập hộ<span class="visually-hidden"> của {world.carol.full_name}<'
    assert enter in client.get(board).content.decode()
    response = client.post(url, PAPER)
    assert response.status_code == 302
    # Entered: the board offers to change that entry, not to enter one again.
    page = client.get(board).content.decode()
    assert change in page and enter not in page
    sheet = _sheet(carol)
    assert sheet.on_behalf_by == world.users["lena"] and sheet.confirmed_at is None
    carol.refresh_from_db()
    assert (carol.state, carol.self_level, carol.self_score) == (
        EvaluationState.SELF_ASSESSED,
        "HTT",
        D(88),
    )
    event = AuditEvent.objects.get(action="annual_assessment.self.on_behalf")
    assert event.note == "Nhập hộ cho Trần Văn Ánh"
    assert event.after is not None and event.after["on_behalf_by"] == world.users["lena"].pk
    day = timezone.localdate().strftime("%d/%m/%Y")
    page = client.get(reverse("reviews:evaluation-detail", args=[carol.pk])).content.decode()
    assert f"Nhập hộ bởi Lê Thị Lan, ngày {day}" in page
    assert "chờ Trần Văn Ánh xác nhận" in page
    assert f"Nhập hộ bởi Lê Thị Lan, ngày {day}; cá nhân chưa xác nhận." in _docx_text(carol)
    board = client.get(reverse("reviews:period-board", args=[period.pk])).content.decode()
    assert "(nhập hộ)" in board


def test_the_person_once_given_an_account_sees_and_confirms_it(client, world):
    period = open_year(world)
    carol = evaluation_of(period, world.carol)
    cycle.evaluation_self_assess(
        actor=world.users["olga"],
        evaluation=carol,
        general=D(25),
        results=D(60),
        proposed_level="HTT",
    )
    account = org.user_create(actor=None, username="carol", password="Mat-khau-thu-2026")
    world.carol.user = account
    world.carol.save(update_fields=["user"])
    client.force_login(account)
    board = client.get(reverse("reviews:period-board", args=[period.pk])).content.decode()
    assert "chờ anh/chị xác nhận" in board and "Xác nhận bản nhập hộ" in board
    confirm = reverse("reviews:evaluation-self-confirm", args=[carol.pk])
    assert client.post(confirm).status_code == 302
    sheet = _sheet(carol)
    assert sheet.confirmed_at is not None and sheet.on_behalf_by == world.users["olga"]
    assert AuditEvent.objects.filter(action="annual_assessment.self.confirm").count() == 1
    assert "cá nhân đã xác nhận ngày" in _docx_text(carol)
    page = client.post(confirm, follow=True).content.decode()
    assert "đã xác nhận bản tự kiểm điểm này" in page
    assert "Xác nhận bản nhập hộ" not in page
    # Confirmed, it is the person's: the organiser can no longer write over it.
    carol.refresh_from_db()
    with pytest.raises(ValidationError, match="không nhập hộ đè lên được"):
        cycle.evaluation_self_assess(
            actor=world.users["olga"],
            evaluation=carol,
            general=D(20),
            results=D(50),
            proposed_level="HTNV",
        )


def test_the_person_may_rewrite_an_entry_made_on_their_behalf_as_their_own(world):
    period = open_year(world)
    alice = evaluation_of(period, world.alice)
    cycle.evaluation_self_assess(
        actor=world.users["lena"],
        evaluation=alice,
        general=D(25),
        results=D(60),
        proposed_level="HTT",
    )
    cycle.evaluation_self_assess(
        actor=world.users["alice"],
        evaluation=alice,
        general=D(28),
        results=D(65),
        proposed_level="HTXS",
    )
    sheet = _sheet(alice)
    assert sheet.on_behalf_by is None and sheet.by == world.users["alice"]
    with pytest.raises(ValidationError, match="đã tự kiểm điểm"):
        cycle.evaluation_self_assess(
            actor=world.users["olga"],
            evaluation=alice,
            general=D(20),
            results=D(50),
            proposed_level="HTNV",
        )
    assert _sheet(alice).proposed_level == "HTXS"


def test_only_the_organiser_or_the_direct_leader_enters_on_behalf(client, world):
    period = open_year(world)
    carol = evaluation_of(period, world.carol)
    for name in ("hana", "tam", "alice"):
        with pytest.raises(PermissionDenied):
            cycle.evaluation_self_assess(
                actor=world.users[name],
                evaluation=carol,
                general=D(25),
                results=D(60),
                proposed_level="HTT",
            )
    # Nobody confirms a self-review for someone else, and nothing to confirm is refused.
    with pytest.raises(PermissionDenied):
        cycle.evaluation_self_confirm(actor=world.users["lena"], evaluation=carol)
    alice = evaluation_of(period, world.alice)
    with pytest.raises(ValidationError, match="Chưa có bản tự kiểm điểm"):
        cycle.evaluation_self_confirm(actor=world.users["alice"], evaluation=alice)
    # The authority reads Carol's evaluation but is offered no form, and is refused it.
    client.force_login(world.users["tam"])
    page = client.get(reverse("reviews:evaluation-detail", args=[carol.pk])).content.decode()
    assert reverse("reviews:evaluation-self", args=[carol.pk]) not in page
    response = client.get(reverse("reviews:evaluation-self", args=[carol.pk]), follow=True)
    assert "không viết bản tự kiểm điểm" in response.content.decode()
    assert not AnnualAssessment.objects.exists()


def test_the_excel_list_says_who_entered_each_self_review(client, world):
    period = open_year(world)
    carol, alice = evaluation_of(period, world.carol), evaluation_of(period, world.alice)
    cycle.evaluation_self_assess(
        actor=world.users["lena"],
        evaluation=carol,
        general=D(25),
        results=D(60),
        proposed_level="HTT",
        shortcomings='=HYPERLINK("http://x")',
    )
    cycle.evaluation_self_assess(
        actor=world.users["alice"],
        evaluation=alice,
        general=D(27),
        results=D(63),
        proposed_level="HTT",
    )
    Evaluation.objects.filter(pk=alice.pk).update(reason="=1+1")
    client.force_login(world.users["olga"])
    response = client.get(reverse("reviews:period-evaluations-xlsx", args=[period.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = {row[1]: row for row in sheet.iter_rows(min_row=5, values_only=True)}
    day = timezone.localdate().strftime("%d/%m/%Y")
    assert rows["Trần Văn Ánh"][6] == f"Nhập hộ bởi Lê Thị Lan, ngày {day}; chờ xác nhận"
    assert rows["Nguyễn Thị Hồng Nhung"][6] == "Tự viết"
    assert rows["Nguyễn Thị Hồng Nhung"][14] == "=1+1"  # kept as text, not a formula
    formulas = [c for row in sheet.iter_rows(min_row=5) for c in row if c.data_type == "f"]
    assert not formulas
    assert "Bùi Văn Bình" not in rows  # the sibling district is out of Olga's scope
