"""The demo city: exact head count, a consistent tree, real-looking names, working logins."""

from __future__ import annotations

import re
import unicodedata
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from thuocdo.audit.models import AuditEvent
from thuocdo.demo.registry import DEMO_PASSWORD, DemoSummary, demo_build, demo_is_empty
from thuocdo.org.models import Authority, Person, Post, RoleAssignment, Unit, User
from thuocdo.org.scope import people_q, scope_for, today

PEOPLE = 400
DISTRICT = re.compile(r"^[QH]\d\d$")
COMMUNE = re.compile(r"^[QH]\d\d-[PX]\d\d$")


@pytest.fixture
def demo(db: None) -> DemoSummary:
    """A small demo city."""
    return demo_build(people=PEOPLE, seed=2026)


def _people_under(code: str) -> set[int]:
    """Ids of people holding an active post in a unit's subtree."""
    unit = Unit.objects.get(code=code)
    posts = Post.objects.active(today()).filter(unit__path__startswith=unit.path)
    return set(posts.values_list("person_id", flat=True))


def _wipe() -> None:
    """Delete everything the demo wrote, children before parents."""
    RoleAssignment.objects.all().delete()
    User.objects.all().delete()
    Person.objects.all().delete()
    Authority.objects.all().delete()
    for depth in sorted(set(Unit.objects.values_list("depth", flat=True)), reverse=True):
        Unit.objects.filter(depth=depth).delete()


def test_it_creates_exactly_the_people_asked_for(demo: DemoSummary) -> None:
    assert Person.objects.count() == PEOPLE
    assert demo.counts["people"] == PEOPLE
    assert not demo_is_empty()


def test_every_person_holds_an_active_post(demo: DemoSummary) -> None:
    assert set(Post.objects.active(today()).values_list("person_id", flat=True)) == set(
        Person.objects.values_list("pk", flat=True)
    )


def test_every_unit_path_extends_its_parents_path(demo: DemoSummary) -> None:
    units = {u.pk: u for u in Unit.objects.all()}
    assert len(units) == demo.counts["units"]
    for unit in units.values():
        parent_path = units[unit.parent_id].path if unit.parent_id else ""
        assert unit.path == parent_path + unit.own_segment()
        assert unit.depth == unit.path.count("/") - 1


def test_units_have_readable_codes(demo: DemoSummary) -> None:
    codes = set(Unit.objects.values_list("code", flat=True))
    assert {"TP", "TP-BTC", "TP-UBND", "Q01", "Q02", "Q01-P01", "Q01-P01-UB"} <= codes
    assert Unit.objects.get(code="TP").parent is None


def test_each_district_and_commune_has_exactly_one_head(demo: DemoSummary) -> None:
    districts = [u for u in Unit.objects.all() if DISTRICT.match(u.code)]
    communes = [u for u in Unit.objects.all() if COMMUNE.match(u.code)]
    assert len(districts) >= 2
    assert len(communes) >= len(districts)
    for unit in districts + communes:
        heads = Post.objects.active(today()).filter(unit=unit, is_head=True)
        assert heads.count() == 1, unit.code


def test_every_unit_has_exactly_one_head(demo: DemoSummary) -> None:
    for unit in Unit.objects.all():
        assert Post.objects.filter(unit=unit, is_head=True).count() == 1, unit.code


def test_names_have_diacritics_and_vary(demo: DemoSummary) -> None:
    names = list(Person.objects.values_list("full_name", flat=True))
    assert all(len(name.split()) >= 3 for name in names)
    assert all(unicodedata.is_normalized("NFC", name) for name in names)
    accented = [name for name in names if not name.isascii()]
    assert len(accented) >= 0.9 * len(names)
    assert len({(name.split()[0], name.split()[-1]) for name in names}) >= 40


def test_some_people_hold_two_posts(demo: DemoSummary) -> None:
    assert demo.counts["posts"] > demo.counts["people"]
    bi_thu = Post.objects.get(unit__code="TP", is_head=True).person
    assert bi_thu.posts.filter(unit__code="TP-HDND", is_head=True).exists()


def test_logins_authenticate_with_the_demo_password_and_hold_their_roles(
    demo: DemoSummary,
) -> None:
    expected = {
        "canhan": ("person", None),
        "lanhdao": ("leader", "Q01-P01-UB"),
        "thutruong": ("head", "Q01-P01-UB"),
        "bantochuc": ("organiser", "TP"),
        "bantochuc.q1": ("organiser", "Q01"),
        "thamquyen": ("authority", None),
        "quantri": ("admin", None),
    }
    assert [login.username for login in demo.logins] == list(expected)
    for username, (role, unit_code) in expected.items():
        user = authenticate(username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        assignment = RoleAssignment.objects.select_related("unit").get(user=user)
        assert assignment.role == role
        assert (assignment.unit.code if assignment.unit else None) == unit_code
    assert User.objects.get(username="quantri").is_superuser
    authority = RoleAssignment.objects.get(user__username="thamquyen").authority
    # The standing board that manages the logins' ward, so that it concludes their year.
    assert authority is not None and authority.code == "BTV-Q01"


def test_the_personal_logins_are_linked_to_the_people_of_one_ward_office(
    demo: DemoSummary,
) -> None:
    posts = {
        name: Post.objects.get(person__user__username=name, unit__code="Q01-P01-UB")
        for name in ("canhan", "lanhdao", "thutruong")
    }
    assert not posts["canhan"].is_head and not posts["canhan"].is_deputy
    assert posts["canhan"].person.category == "civil_servant"
    assert posts["lanhdao"].is_deputy
    assert posts["thutruong"].is_head


def test_the_district_organiser_sees_district_one_but_not_district_two(
    demo: DemoSummary,
) -> None:
    user = User.objects.get(username="bantochuc.q1")
    visible = set(Person.objects.filter(people_q(scope_for(user))).values_list("pk", flat=True))
    district_one, district_two = _people_under("Q01"), _people_under("Q02")
    assert district_one and district_two
    assert district_one <= visible
    assert not (district_two & visible)


def test_the_authority_sees_the_ward_leaders_it_manages_not_another_district(
    demo: DemoSummary,
) -> None:
    user = User.objects.get(username="thamquyen")
    visible = Person.objects.filter(people_q(scope_for(user)))
    assert visible.filter(user__username="lanhdao").exists()
    assert not (set(visible.values_list("pk", flat=True)) & _people_under("Q02"))
    # The ward's clerks are not managed by post: they come into view with the year whose
    # evaluations the board concludes (thuocdo/org/scope.py), not before.
    assert not visible.filter(user__username="canhan").exists()


def test_it_records_disciplines_rewards_and_one_audit_event(demo: DemoSummary) -> None:
    assert demo.counts["disciplines"] == round(PEOPLE * 0.005)
    assert demo.counts["rewards"] == round(PEOPLE * 0.05)
    event = AuditEvent.objects.get(action="demo.build")
    assert event.after is not None and event.after["people"] == PEOPLE
    assert AuditEvent.objects.count() == 1


def test_the_same_seed_gives_the_same_names(db: None) -> None:
    demo_build(people=PEOPLE, seed=7)
    first = list(Person.objects.order_by("code").values_list("code", "full_name", "birth_date"))
    _wipe()
    assert demo_is_empty()
    demo_build(people=PEOPLE, seed=7)
    again = list(Person.objects.order_by("code").values_list("code", "full_name", "birth_date"))
    assert again == first


def test_progress_is_reported_for_every_stage(db: None) -> None:
    seen: dict[str, tuple[int, int]] = {}
    demo_build(
        people=PEOPLE, progress=lambda stage, done, total: seen.update({stage: (done, total)})
    )
    assert seen["Cán bộ"] == (PEOPLE, PEOPLE)
    assert all(done == total for done, total in seen.values())


def test_if_empty_leaves_a_non_empty_database_unchanged(demo: DemoSummary) -> None:
    before = (Unit.objects.count(), Person.objects.count(), Post.objects.count())
    out = StringIO()
    call_command("demo", "--if-empty", "--people", "50", stdout=out)
    assert (Unit.objects.count(), Person.objects.count(), Post.objects.count()) == before
    assert "đã có dữ liệu" in out.getvalue()


def test_the_command_refuses_a_non_empty_database(demo: DemoSummary) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("demo", stdout=StringIO())
    assert refused.value.returncode == 2
    assert "đã có dữ liệu" in str(refused.value)


def test_the_command_prints_the_counts_and_the_logins(db: None) -> None:
    out = StringIO()
    call_command("demo", "--people", str(PEOPLE), stdout=out)
    text = out.getvalue()
    assert Person.objects.count() == PEOPLE
    assert "Cán bộ: 400" in text
    for username in ("canhan", "lanhdao", "thutruong", "bantochuc.q1", "thamquyen", "quantri"):
        assert username in text
    assert DEMO_PASSWORD in text
    assert "Thời gian" in text
