"""Today's work in opinions, for the home page: requests for the opinion of a body the user
belongs to, and the organiser's surveys past their deadline and meetings not closed. Anonymous
surveys are answered with codes handed out on paper, never tied to an account, so no survey
is listed as "asked of" a user. See `thuocdo.web.todo`."""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Min, Q
from django.urls import reverse

from thuocdo.opinions.models import BodyRequest, Meeting, MeetingState, Survey, SurveyState
from thuocdo.org.models import Post, RoleAssignment
from thuocdo.org.scope import scope_for, today
from thuocdo.reviews.models import PeriodState
from thuocdo.web.todo import OPINIONS, TodoItem, n

CLOSED = (PeriodState.PUBLISHED, PeriodState.LOCKED)


def _asked_of_my_bodies(actor: Any) -> list[TodoItem]:
    """Unanswered requests to a body the user works in or holds a role over."""
    units = Post.objects.active(today()).filter(person__user_id=actor.pk).values("unit_id")
    roles = RoleAssignment.objects.filter(user_id=actor.pk, unit__isnull=False).values("unit_id")
    count = (
        BodyRequest.objects.filter(Q(body_unit_id__in=units) | Q(body_unit_id__in=roles))
        .filter(answered_on__isnull=True)
        .exclude(evaluation__period__state__in=CLOSED)
        .count()
    )
    if not count:
        return []
    return [
        TodoItem(
            key="opinions.body-requests",
            text=f"{n(count)} yêu cầu xin ý kiến gửi cơ quan của bạn chờ trả lời",
            url=reverse("opinions:bodyrequest-list"),
            count=count,
            section=OPINIONS,
        )
    ]


def _organised(write_paths: tuple[str, ...]) -> list[TodoItem]:
    """Surveys past their deadline still open, and collective meetings not closed."""
    if not write_paths:
        return []
    at = today()
    items = []
    surveys = (
        Survey.objects.filter(
            reduce(or_, (Q(evaluation__unit__path__startswith=p) for p in write_paths)),
            state=SurveyState.OPEN,
            closes_on__lt=at,
        )
        .exclude(evaluation__period__state__in=CLOSED)
        .aggregate(count=Count("id"), first=Min("id"))
    )
    if surveys["count"]:
        items.append(
            TodoItem(
                key="opinions.surveys-to-close",
                text=f"{n(surveys['count'])} đợt lấy ý kiến đã hết hạn trả lời, chờ kết thúc",
                url=reverse("opinions:survey-detail", args=[surveys["first"]]),
                count=surveys["count"],
                section=OPINIONS,
            )
        )
    meetings = (
        Meeting.objects.filter(
            reduce(or_, (Q(unit__path__startswith=p) for p in write_paths)),
            state=MeetingState.OPEN,
            held_on__lte=at,
        )
        .exclude(period__state__in=CLOSED)
        .aggregate(count=Count("id"), first=Min("id"))
    )
    if meetings["count"]:
        items.append(
            TodoItem(
                key="opinions.meetings-to-close",
                text=f"{n(meetings['count'])} cuộc họp tập thể chưa kết thúc biểu quyết",
                url=reverse("opinions:meeting-detail", args=[meetings["first"]]),
                count=meetings["count"],
                section=OPINIONS,
            )
        )
    return items


def todo_for(actor: Any) -> list[TodoItem]:
    """What waits for the actor in the opinions gathered on evaluations."""
    return _asked_of_my_bodies(actor) + _organised(scope_for(actor).write_paths)
