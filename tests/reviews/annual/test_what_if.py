"""Mô phỏng ("what if", issue 18): a year re-run under another rule-set or options writes
nothing, gives exactly what a real proposal under the same rule-set gives, and is reachable
by the organiser as a page (and Excel), over the API and from the command line."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from tests.reviews.annual.cycle import (
    SCORES_OF_21,
    D,
    appeal_window_passes,
    evaluation_of,
    open_year,
    quota_group_of_21,
    ready,
)
from thuocdo.audit.models import AuditEvent
from thuocdo.cli import main as thuocdo_main
from thuocdo.org import services as org
from thuocdo.reviews.annual import services as cycle
from thuocdo.reviews.annual.simulation import what_if
from thuocdo.reviews.models import Evaluation, Period


def _year_of_21(world: Any) -> tuple[Period, list[Any]]:
    """Phường Ba: 21 công chức of one duty group under 366, proposed: 8 reach 90 points, the
    quota allows 4 and the two at 93 tie at the boundary, so 3 keep HTXS."""
    p3, people = quota_group_of_21(world)
    period = open_year(world, unit=p3)
    ready(
        period,
        {evaluation_of(period, p).pk: D(s) for p, s in zip(people, SCORES_OF_21, strict=True)},
    )
    cycle.period_propose(actor=world.users["olga"], period=period)
    return period, people


def _snapshot() -> tuple[dict[str, int], list[tuple[Any, ...]]]:
    """Rows of every model, and every evaluation's stored result."""
    counts = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
    stored = list(
        Evaluation.objects.order_by("pk").values_list(
            "pk", "ruleset", "proposed_level", "flags", "trace", "level", "state"
        )
    )
    return counts, stored


@pytest.mark.parametrize(
    ("ruleset", "options"),
    [
        pytest.param(None, {"quota_base": "good_only"}, id="366-good-only"),
        pytest.param("nd-335-2025", None, id="nd-335"),
        pytest.param("nd-335-2025", {"quota_rate": 0.3}, id="nd-335-30pct"),
    ],
)
def test_what_if_writes_nothing_and_equals_a_real_proposal(
    world, ruleset: str | None, options: dict[str, Any] | None
) -> None:
    period, _ = _year_of_21(world)
    before = _snapshot()
    result = what_if(period, ruleset=ruleset, options=options)
    assert _snapshot() == before  # no row written, no audit event, no result changed

    # The same rule-set and options, proposed for real (set-up: the period switched to them).
    target = ruleset or period.ruleset
    Period.objects.filter(pk=period.pk).update(ruleset=target, options=options or {})
    Evaluation.objects.filter(period=period).update(ruleset=target)
    period.refresh_from_db()
    cycle.period_propose(actor=world.users["olga"], period=period)
    assert result.proposal is not None  # computed, not read back from a job
    for ev in Evaluation.objects.filter(period=period):
        d = result.proposal.decisions[ev.pk]
        assert (d["level"], d["flags"], d["trace"]) == (ev.proposed_level, ev.flags, ev.trace)


def test_the_changes_name_each_subject_with_the_rule_that_changes_it(world) -> None:
    period, people = _year_of_21(world)
    result = what_if(period, ruleset="nd-335-2025", options={"quota_rate": 0.1})
    # 10% of 21 allows 2 HTXS: the 96 points move to HTT under NĐ 335 Điều 20 k5 a.
    assert result.total.before["HTXS"] == 3 and result.total.after["HTXS"] == 2
    (change,) = result.changes
    assert change.subject == people[2].full_name and change.unit == "Phường Ba"
    assert (change.before, change.after, change.rule, change.direction) == (
        "HTXS",
        "HTT",
        "quota",
        "xuống",
    )
    assert change.reason.startswith(
        "Vượt tỷ lệ 10% của nhóm «Công chức Địa chính» của Phường Ba: 8/21"
    )
    assert change.source == "Nghị định 335/2025/NĐ-CP, Điều 20, khoản 5 điểm a"
    assert change.confirmed
    (unit,) = [r for r in result.by_unit if r.name == "Phường Ba"]
    assert (unit.before["HTXS"], unit.after["HTXS"]) == (3, 2)
    (group,) = [r for r in result.by_group if r.name == "Công chức"]
    assert (group.before["HTT"], group.after["HTT"]) == (18, 19)


def test_a_level_raised_names_the_rule_that_no_longer_holds(world) -> None:
    period, people = _year_of_21(world)
    result = what_if(period, options={"quota_rate": 0.3})  # 30% of 21 allows 6
    assert [c.subject for c in result.changes] == [p.full_name for p in people[3:6]]
    change = result.changes[0]
    assert (change.before, change.after, change.rule, change.direction) == (
        "HTT",
        "HTXS",
        "score-band",
        "lên",
    )
    assert change.before_rule.startswith(
        "quota: Vượt tỷ lệ 20% của nhóm «Công chức Địa chính» của Phường Ba"
    )


def test_a_locked_year_can_be_simulated_and_stays_as_it_was(world) -> None:
    period, _ = _year_of_21(world)
    tam = world.users["tam"]
    cycle.evaluations_accept_all(actor=tam, period=period)
    cycle.period_publish(actor=tam, period=period)
    period.refresh_from_db()
    appeal_window_passes(period)
    cycle.period_lock(actor=tam, period=period)
    before = _snapshot()
    result = what_if(period, ruleset="nd-335-2025", options={"quota_rate": 0.1})
    assert result.total.after["HTXS"] < result.total.before["HTXS"]
    assert _snapshot() == before


def test_a_scenario_the_data_cannot_hold_is_refused_in_vietnamese(world) -> None:
    period, _ = _year_of_21(world)
    with pytest.raises(ValidationError) as error:
        what_if(period, ruleset="qd-124-2023")  # rates criteria; the year holds points
    assert "Không có phiếu nào có dữ liệu mà bộ quy tắc cần" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:
        what_if(period, options={"khong_co": 1})
    assert "Tùy chọn 'khong_co' không có trong bộ quy tắc qd-366-2025" in error.value.messages[0]
    with pytest.raises(ValidationError, match="không áp dụng cho kỳ năm"):
        what_if(period, ruleset="hn-3814-2018")


@pytest.fixture
def quinn(world):
    """Organiser of Q2, the sibling district."""
    user = org.user_create(actor=None, username="quinn", password="x-Mat-khau-2026")
    org.role_assign(actor=None, user=user, role="organiser", unit=world.q2)
    return user


def test_the_page_and_its_excel_for_the_organiser_only(client, world, quinn) -> None:
    period, _ = _year_of_21(world)
    url = reverse("reviews:period-what-if", args=[period.pk])
    client.force_login(world.users["olga"])
    board = client.get(reverse("reviews:period-board", args=[period.pk])).content.decode()
    assert url in board and "Mô phỏng" in board
    events = AuditEvent.objects.count()
    query = {"ruleset": "qd-366-2025", "options": "quota_rate=0.1"}
    page = client.get(url, query).content.decode()
    assert "Người, tập thể thay đổi mức (1)" in page
    assert "Vượt tỷ lệ 10% của nhóm «Công chức Địa chính» của Phường Ba" in page
    assert "chưa xác nhận căn cứ" in page  # 366's quota rests on HD 21
    assert AuditEvent.objects.count() == events  # the page writes nothing
    response = client.get(url, {**query, "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == [
        "Tổng hợp",
        "Theo đơn vị",
        "Theo nhóm đối tượng",
        "Người thay đổi mức",
        "Không tính",
    ]
    summary = wb["Tổng hợp"]
    assert [summary.cell(row=6, column=c).value for c in (1, 2, 3, 4)] == ["HTXS", 3, 2, -1]
    row = [c.value for c in wb["Người thay đổi mức"][2]]
    assert row[3:6] == ["HTXS", "HTT", "quota"] and str(row[6]).endswith("chưa xác nhận căn cứ")
    # The download is recorded like every export (security/middleware.py), nothing else.
    assert list(AuditEvent.objects.order_by("pk").values_list("action", flat=True)[events:]) == [
        "export"
    ]

    client.force_login(world.users["hana"])  # head of Q1: sees the period, does not organise it
    assert client.get(url).status_code == 403
    client.force_login(quinn)  # a sibling district: as if it did not exist
    assert client.get(url).status_code == 404


def test_the_api_answers_the_organiser_and_404_outside(world, quinn) -> None:
    period, people = _year_of_21(world)
    url = reverse("reviews:api-period-what-if", args=[period.pk])
    api = APIClient()
    api.force_authenticate(world.users["olga"])
    answer = api.post(url, {"options": {"quota_rate": 0.1}}, format="json")
    assert answer.status_code == 200
    body = answer.json()
    assert body["total"]["before"]["HTXS"] == 3 and body["total"]["after"]["HTXS"] == 2
    assert [c["subject"] for c in body["changes"]] == [people[2].full_name]
    bad = api.post(url, {"ruleset": "khong-co"}, format="json")
    assert bad.status_code == 400 and "Không có bộ quy tắc 'khong-co'" in json.dumps(
        bad.json(), ensure_ascii=False
    )
    api.force_authenticate(quinn)
    assert api.post(url, {}, format="json").status_code == 404


def test_the_command_line(world, capsys: pytest.CaptureFixture[str]) -> None:
    period, people = _year_of_21(world)
    events = AuditEvent.objects.count()
    # `thuocdo rules what-if` is Django's `what_if` (run in-process here: a command run from
    # argv closes the database connection, and with it this test's transaction).
    with pytest.raises(SystemExit) as help_exit:
        thuocdo_main(["rules", "what-if", "--help"])
    assert help_exit.value.code == 0 and "--ruleset" in capsys.readouterr().out
    call_command("what_if", "--period", str(period.pk), "--option", "quota_rate=0.1")
    out = capsys.readouterr().out
    assert out.startswith(f"Mô phỏng {period} theo: bộ quy tắc qd-366-2025; tùy chọn quota_rate")
    assert "Toàn kỳ: HTXS 3 → 2; HTT 19 → 20" in out  # 18 công chức and the collective
    assert f"  - {people[2].full_name} (Phường Ba, Công chức): HTXS → HTT — quy tắc quota" in out
    call_command("what_if", "--period", str(period.pk), "--ruleset", "nd-335-2025", "--json")
    assert json.loads(capsys.readouterr().out)["scenario"] == "bộ quy tắc nd-335-2025"
    with pytest.raises(CommandError) as error:
        call_command("what_if", "--period", str(period.pk), "--option", "quota_base")
    assert error.value.returncode == 2 and "phải viết dạng tên=giá_trị" in str(error.value)
    assert AuditEvent.objects.count() == events
