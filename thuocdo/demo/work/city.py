"""Who is who in the built demo city, read once as plain values, and the dates the work
record is written on. The stages of the build and their shared settings live here too.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from dataclasses import dataclass, field

from django.utils import timezone

from thuocdo.demo.common import DemoError
from thuocdo.demo.registry import LOGIN_UNITS, ROOT_CODE
from thuocdo.org.models import Person, Post, Unit, User
from thuocdo.work.models import ProductType

from .catalogue import position_for

STAGE_CATALOGUE = "Danh mục sản phẩm"
STAGE_WORK = "Kế hoạch, nhiệm vụ"
STAGE_SCORES = "Kết quả tháng"
STAGE_TARGETS = "Chỉ tiêu"
# People whose two months are planned, inserted and forgotten together.
PEOPLE_CHUNK = 4000
MONTH_RULESET = "nd-335-2025"
WARD_CODE = LOGIN_UNITS[0]
DISTRICT_CODE = re.compile(r"^[QH]\d\d$")


# ---------------------------------------------------------------------------------------------
# Who is who, read once from the built city.


@dataclass(frozen=True, slots=True)
class _Person:
    """A person as the work record needs them: their primary post and their login."""

    pk: int
    unit_id: int
    leader: bool
    position: str
    user_id: int | None


@dataclass
class _City:
    """The built demo city, as plain values."""

    today: datetime.date
    people: list[_Person]
    posts: list[tuple[int, str]]  # every post: id, job position code
    users: dict[str, User]
    person_of: dict[str, int]  # login -> person id
    ward_id: int
    root: Unit
    catalogue: dict[str, list[ProductType]] = field(default_factory=dict)

    @classmethod
    def load(cls, today: datetime.date) -> _City:
        """Read people, posts and logins of the built city."""
        root = Unit.objects.filter(code=ROOT_CODE).first()
        ward = Unit.objects.filter(code=WARD_CODE).values_list("pk", flat=True).first()
        if root is None or ward is None:
            raise DemoError("Chưa có Thành phố Mẫu: hãy dựng dữ liệu mẫu trước.")
        logins = Person.objects.filter(user__isnull=False)
        user_of = dict(logins.values_list("pk", "user_id"))
        person_of = {name: pk for pk, name in logins.values_list("pk", "user__username")}
        posts = Post.objects.order_by("person_id", "-is_head", "-is_deputy", "start_date", "id")
        people: list[_Person] = []
        all_posts: list[tuple[int, str]] = []
        last = None
        for post_id, person_id, unit_id, head, deputy, group in posts.values_list(
            "pk", "person_id", "unit_id", "is_head", "is_deputy", "duty_group"
        ):
            position = position_for(group)
            all_posts.append((post_id, position))
            if person_id != last:
                people.append(
                    _Person(person_id, unit_id, head or deputy, position, user_of.get(person_id))
                )
                last = person_id
        users = {u.username: u for u in User.objects.all()}
        return cls(today, people, all_posts, users, person_of, ward, root)


def _month_before(day: datetime.date) -> tuple[int, int]:
    """Year and month of the month before a date's."""
    return (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)


@functools.cache
def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


@functools.lru_cache(maxsize=16384)
def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """An aware time on a day, in the configured time zone (a few thousand distinct ones over
    the demo's two months, each made once: aware datetimes are immutable)."""
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_default_timezone()
    )
