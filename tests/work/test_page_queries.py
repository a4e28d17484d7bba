"""«Đơn vị của tôi» and «Tháng của tôi» take as many queries for a large unit as for a small
one: more people, tasks, submitted plans, completions waiting and shared tasks add rows, not
queries (an N+1 would add queries with them)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import PASSWORD
from thuocdo.org import services as org
from thuocdo.org.scope import today
from thuocdo.work import services
from thuocdo.work.models import Task

AT = today()


def _grow(world, catalogue, start: int, count: int) -> None:
    """`count` more people in P1, each with a submitted plan, a task shared with alice and a
    completion waiting for lena."""
    for k in range(start, start + count):
        user = org.user_create(actor=None, username=f"nguoi{k}", password=PASSWORD)
        person = org.person_create(
            None,
            code=f"CB-N{k}",
            full_name=f"Trần Văn Số {k}",
            birth_date=datetime.date(1991, 1, 1),
            gender="male",
            category="civil_servant",
            is_party_member=False,
            user=user,
        )
        org.post_create(
            None,
            person=person,
            unit=world.p1,
            title="Công chức",
            start_date=datetime.date(2020, 1, 1),
        )
        for title in ("Báo cáo", "Công văn"):
            task = services.task_register(
                actor=user,
                person=person,
                year=AT.year,
                month=AT.month,
                title=f"{title} {k}",
                quantity=Decimal(1),
                due_date=AT,
                product_type=catalogue.report,
                collaborators=[world.alice],
            )
        services.task_complete(
            actor=user, task=task, completed_on=AT, quantity_done=Decimal(1), evidence_note="x"
        )
        services.plan_submit(actor=user, plan=task.plan)


def _queries(world, username: str, path: str) -> tuple[int, str]:
    client = Client()
    client.force_login(world.users[username])
    client.get(path)  # warm: the rule-sets, the content types
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries.captured_queries), response.content.decode()


def test_the_leaders_page_and_the_persons_month_take_no_more_queries_as_the_unit_grows(
    world, catalogue
):
    _grow(world, catalogue, 0, 2)
    team_small, page = _queries(world, "lena", reverse("work:team-detail"))
    month_small, _ = _queries(world, "alice", reverse("work:month-detail"))
    assert "Trần Văn Số 1" in page
    _grow(world, catalogue, 2, 10)
    team_large, page = _queries(world, "lena", reverse("work:team-detail"))
    month_large, month = _queries(world, "alice", reverse("work:month-detail"))
    assert "Trần Văn Số 11" in page and "Công văn 11" in month  # the rows are there
    assert Task.objects.filter(assignees__person=world.alice).count() == 24
    assert team_large <= team_small
    assert month_large <= month_small
