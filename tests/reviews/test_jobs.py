"""The long steps of a period run as background jobs (thuocdo/reviews/jobs.py): the page starts
the job and follows it to the result, the worker gets the same result as the service, the
progress is recorded, a failure midway leaves nothing written, the worker checks the rights
again, and nobody else sees the job."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from tests.jobs.follow import follow_job, run_queued
from tests.reviews.annual.cycle import evaluation_of, open_year, ready
from tests.reviews.monthly.test_views import _hanoi_month
from thuocdo.audit.models import AuditEvent
from thuocdo.jobs.models import Job, JobState
from thuocdo.reviews import jobs
from thuocdo.reviews.annual import services as cycle
from thuocdo.reviews.models import Evaluation, EvaluationState, MonthlyScore, Period, PeriodState
from thuocdo.reviews.monthly import services
from thuocdo.rules.fmt import vn_number


@pytest.fixture
def refuse_rows() -> Iterator[Callable[[str, str], None]]:
    """A database trigger that refuses some rows as a constraint would (the failure comes
    from the database in the middle of the service's writes, not from a stand-in)."""

    def install(table: str, condition: str) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(
                    f"CREATE TRIGGER test_refuse BEFORE INSERT ON {table} FOR EACH ROW "
                    f"WHEN {condition} BEGIN SELECT RAISE(ABORT, 'refused by a constraint'); END"
                )
            else:
                cursor.execute(
                    "CREATE FUNCTION test_refuse() RETURNS trigger AS $$ BEGIN "
                    "RAISE EXCEPTION 'refused by a constraint' USING ERRCODE = '23514'; "
                    "END $$ LANGUAGE plpgsql"
                )
                cursor.execute(
                    f"CREATE TRIGGER test_refuse BEFORE INSERT ON {table} FOR EACH ROW "
                    f"WHEN ({condition}) EXECUTE FUNCTION test_refuse()"
                )

    yield install
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS test_refuse")
        else:
            cursor.execute("DROP FUNCTION IF EXISTS test_refuse() CASCADE")


def _scores(period: Period) -> dict[int, tuple[object, str]]:
    return {
        s.person_id: (s.total, s.proposed_level) for s in MonthlyScore.objects.filter(period=period)
    }


def test_the_month_is_computed_by_a_job_started_on_the_page(client, world, monkeypatch):
    monkeypatch.setattr("thuocdo.jobs.progress.WRITE_EVERY", 0)
    period = _hanoi_month(world)
    client.force_login(world.users["olga"])
    response = client.post(reverse("reviews:period-compute", args=[period.pk]))
    job = Job.objects.get()
    assert (job.kind, job.state, job.unit, job.created_by) == (
        jobs.MONTH_COMPUTE,
        JobState.QUEUED,
        world.p1,
        world.users["olga"],
    )
    assert not MonthlyScore.objects.exists()  # nothing is computed inside the request
    board = follow_job(client, response)
    job.refresh_from_db()
    count = MonthlyScore.objects.filter(period=period).count()
    assert count > 0 and job.state == JobState.DONE and job.result is not None
    assert job.result["message"] == f"Đã tính điểm tháng cho {vn_number(count)} người."
    assert (job.step, job.done, job.total) == ("Tính điểm và xếp loại", count, count)
    assert board.redirect_chain[-1][0] == reverse("reviews:period-board", args=[period.pk])
    assert job.result["message"] in board.content.decode()
    # The same as the service gives when called directly, and audited as before.
    by_job = _scores(period)
    services.month_scores_compute(actor=world.users["olga"], period=period)
    assert _scores(period) == by_job
    assert AuditEvent.objects.filter(action="job.start", object_id=str(job.pk)).exists()


def test_a_refused_start_queues_nothing(client, world):
    period = _hanoi_month(world)
    client.force_login(world.users["alice"])
    assert client.post(reverse("reviews:period-compute", args=[period.pk])).status_code == 403
    assert not Job.objects.exists()


def test_the_worker_checks_the_rights_again(client, world):
    period = _hanoi_month(world)
    client.force_login(world.users["olga"])
    response = client.post(reverse("reviews:period-compute", args=[period.pk]))
    world.users["olga"].is_active = False  # between the click and the worker
    world.users["olga"].save(update_fields=["is_active"])
    (job,) = run_queued()
    assert job.state == JobState.FAILED
    assert job.error == "Người khởi chạy công việc không còn tài khoản hoạt động."
    assert not MonthlyScore.objects.exists()
    assert response.status_code == 302


@pytest.mark.parametrize("who", ["alice", "nobody"])
def test_nobody_else_sees_the_job(client, world, who):
    period = _hanoi_month(world)
    client.force_login(world.users["olga"])  # the organiser of Q1, above P1
    client.post(reverse("reviews:period-compute", args=[period.pk]))
    job = Job.objects.get()
    client.force_login(world.users["root"])  # the administrator follows every job
    assert client.get(reverse("jobs:job-detail", args=[job.pk])).status_code == 200
    client.force_login(world.users[who])
    assert client.get(reverse("jobs:job-detail", args=[job.pk])).status_code == 404
    page = client.get(reverse("jobs:job-detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert page.status_code == 404
    assert client.post(reverse("jobs:job-retry", args=[job.pk])).status_code == 404


def test_a_year_that_fails_to_open_midway_leaves_nothing(client, world, refuse_rows):
    # The period and the collectives are written, then the first person's row is refused.
    refuse_rows("reviews_evaluation", "NEW.kind = 'individual'")
    client.force_login(world.users["olga"])
    form = {"unit": world.q1.pk, "year": 2026, "ruleset": "qd-366-2025"}
    response = client.post(reverse("reviews:period-open-year"), form)
    page = follow_job(client, response).content.decode()
    job = Job.objects.get()
    assert job.state == JobState.FAILED and "refused by a constraint" in job.error
    assert "Chạy lại" in page and "Thất bại" in page
    assert not Period.objects.exists()
    assert not Evaluation.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["period.open", "evaluation.create_batch"])
    # Once the cause is gone, the same job is run again from its page.
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER test_refuse")
        else:
            cursor.execute("DROP FUNCTION test_refuse() CASCADE")
    client.post(reverse("jobs:job-retry", args=[job.pk]))
    (job,) = run_queued()
    period = Period.objects.get(kind="year")
    assert job.state == JobState.DONE and job.attempts == 2 and job.result is not None
    count = Evaluation.objects.filter(period=period).count()
    assert job.result["message"] == f"Đã mở {period} với {vn_number(count)} phiếu đánh giá."
    assert (job.done, job.total) == (count, count)


def test_the_proposal_runs_as_a_job_and_goes_on_to_the_verification(client, world):
    period = open_year(world)
    ready(period, {})
    client.force_login(world.users["olga"])
    response = client.post(reverse("reviews:period-propose", args=[period.pk]))
    page = follow_job(client, response)
    job = Job.objects.get()
    count = Evaluation.objects.filter(period=period).count()
    assert job.kind == jobs.YEAR_PROPOSE and job.state == JobState.DONE
    assert (job.step, job.done, job.total) == ("Chạy bộ quy tắc và lưu đề xuất", count, count)
    assert page.redirect_chain[-1][0] == reverse("reviews:period-verification", args=[period.pk])
    assert "Đã đề xuất: HTXS" in page.content.decode()
    assert not Evaluation.objects.filter(period=period).exclude(state=EvaluationState.PROPOSED)


def test_a_publication_that_fails_at_its_last_write_leaves_nothing(client, world, refuse_rows):
    period = open_year(world)
    ready(period, {evaluation_of(period, world.alice).pk: Decimal(88)})
    cycle.period_propose(actor=world.users["olga"], period=period)
    cycle.evaluations_accept_all(actor=world.users["tam"], period=period)
    state = Period.objects.get(pk=period.pk).state
    # The evaluations are published and the period moved on, then its audit row is refused.
    refuse_rows("audit_auditevent", "NEW.action = 'period.publish'")
    client.force_login(world.users["tam"])
    follow_job(client, client.post(reverse("reviews:period-publish", args=[period.pk])))
    job = Job.objects.get(kind=jobs.YEAR_PUBLISH)
    assert job.state == JobState.FAILED
    period.refresh_from_db()
    assert (period.state, period.published_at) == (state, None)
    assert not Evaluation.objects.filter(period=period, state=EvaluationState.PUBLISHED)


def test_the_publication_job_goes_on_to_the_results(client, world):
    period = open_year(world)
    ready(period, {evaluation_of(period, world.alice).pk: Decimal(88)})
    cycle.period_propose(actor=world.users["olga"], period=period)
    cycle.evaluations_accept_all(actor=world.users["tam"], period=period)
    client.force_login(world.users["tam"])
    page = follow_job(client, client.post(reverse("reviews:period-publish", args=[period.pk])))
    period.refresh_from_db()
    count = Evaluation.objects.filter(period=period, state=EvaluationState.PUBLISHED).count()
    assert period.state == PeriodState.PUBLISHED and count > 0
    assert page.redirect_chain[-1][0] == reverse("reviews:period-results", args=[period.pk])
    assert f"Đã công khai {vn_number(count)} kết quả." in page.content.decode()
