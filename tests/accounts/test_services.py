"""Accounts for a subtree, roles, resets: inside the organiser's reach only, and audited."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from thuocdo.accounts import services
from thuocdo.audit.models import AuditEvent
from thuocdo.org import services as org
from thuocdo.org.models import Person, Role, RoleAssignment, User


def _newcomer(world, code: str, name: str, unit, **post: object) -> Person:
    person = org.person_create(
        None,
        code=code,
        full_name=name,
        birth_date=datetime.date(1990, 1, 1),
        gender="male",
        category="civil_servant",
    )
    org.post_create(
        None, person=person, unit=unit, title="Cán bộ", start_date=datetime.date(2020, 1, 1), **post
    )
    return person


def test_it_creates_accounts_for_the_people_of_the_subtree_who_have_none(world) -> None:
    olga = world.users["olga"]
    credentials = services.accounts_create_for_unit(actor=olga, unit=world.q1)
    assert [(c.full_name, c.username, c.unit_name) for c in credentials] == [
        ("Trần Văn Ánh", "anhtv", "Phường Một")
    ]
    world.carol.refresh_from_db()
    user = world.carol.user
    assert user is not None and user.username == "anhtv"
    assert user.must_change_password and user.onetime_password_expires is not None
    assert user.check_password(credentials[0].password)
    assert (user.first_name, user.last_name) == ("Ánh", "Trần Văn")
    event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert event.actor == olga
    assert event.after is not None and event.after["person"] == world.carol.pk
    assert credentials[0].password not in str(event.after)
    # Everyone has an account now: a second run creates nothing.
    assert services.accounts_create_for_unit(actor=olga, unit=world.q1) == []


def test_an_organiser_is_refused_outside_their_subtree(world) -> None:
    with pytest.raises(PermissionDenied):
        services.accounts_create_for_unit(actor=world.users["olga"], unit=world.q2)
    with pytest.raises(PermissionDenied):
        services.accounts_create_for_unit(actor=world.users["olga"], unit=world.city)
    assert User.objects.count() == 7
    world.bob.refresh_from_db()
    assert world.bob.user is None


def test_people_outside_the_unit_keep_no_account(world) -> None:
    services.accounts_create_for_unit(actor=world.users["root"], unit=world.p2)
    world.bob.refresh_from_db()
    world.carol.refresh_from_db()
    assert world.bob.user is not None and world.carol.user is None


def test_roles_from_posts_make_heads_heads_and_deputies_leaders(world) -> None:
    head = _newcomer(world, "CB-N1", "Phạm Minh Tuấn", world.cell, is_head=True)
    deputy = _newcomer(world, "CB-N2", "Vũ Thị Mai", world.cell, is_deputy=True)
    services.accounts_create_for_unit(
        actor=world.users["olga"], unit=world.p1, roles_from_posts=True
    )
    head.refresh_from_db()
    deputy.refresh_from_db()
    assert list(RoleAssignment.objects.filter(user=head.user).values_list("role", "unit")) == [
        (Role.HEAD, world.cell.pk)
    ]
    assert list(RoleAssignment.objects.filter(user=deputy.user).values_list("role", "unit")) == [
        (Role.LEADER, world.cell.pk)
    ]
    assert AuditEvent.objects.filter(action="role.assign", actor=world.users["olga"]).count() == 2


def test_homonyms_get_numbered_logins(world) -> None:
    _newcomer(world, "CB-N3", "Trần Văn Ánh", world.p1)
    logins = [c.username for c in services.accounts_create_for_unit(
        actor=world.users["olga"], unit=world.p1
    )]  # fmt: skip
    assert sorted(logins) == ["anhtv", "anhtv2"]


@pytest.mark.parametrize(
    ("role", "unit_name", "allowed"),
    [
        (Role.LEADER, "p1", True),
        (Role.HEAD, "q1", True),
        (Role.ORGANISER, "q1", True),  # the same level as their own
        (Role.ORGANISER, "city", False),  # above their own
        (Role.LEADER, "p2", False),  # a sibling district
        (Role.ADMIN, None, False),
    ],
)
def test_an_organiser_grants_only_roles_not_above_their_own(world, role, unit_name, allowed):
    unit = getattr(world, unit_name) if unit_name else None
    target = world.users["alice"]
    if allowed:
        assignment, created = services.role_grant(
            actor=world.users["olga"], user=target, role=role, unit=unit
        )
        assert created and assignment.unit == unit
        event = AuditEvent.objects.get(action="role.assign", object_id=str(assignment.pk))
        assert event.actor == world.users["olga"]
        again, created = services.role_grant(
            actor=world.users["olga"], user=target, role=role, unit=unit
        )
        assert again == assignment and not created
    else:
        with pytest.raises(PermissionDenied):
            services.role_grant(actor=world.users["olga"], user=target, role=role, unit=unit)
        assert not RoleAssignment.objects.filter(user=target, role=role).exists()


def test_an_organiser_cannot_make_anyone_an_authority_member(world) -> None:
    with pytest.raises(PermissionDenied):
        services.role_grant(
            actor=world.users["olga"],
            user=world.users["alice"],
            role=Role.AUTHORITY,
            authority=world.btv,
        )
    assignment, _ = services.role_grant(
        actor=world.users["root"], user=world.users["alice"], role=Role.AUTHORITY,
        authority=world.btv,
    )  # fmt: skip
    assert assignment.authority == world.btv


def test_accounts_with_roles_out_of_reach_cannot_be_changed(world) -> None:
    # hana is head of Q1 but managed by the city's board: still in olga's reach; tam (an
    # authority member) and root (an administrator) are not.
    for name in ["tam", "root", "bob_account"]:
        if name == "bob_account":
            user = org.user_create(actor=None, username="binhbv", password="x", person=world.bob)
        else:
            user = world.users[name]
        with pytest.raises(PermissionDenied):
            services.account_password_reset(actor=world.users["olga"], user=user)
        with pytest.raises(PermissionDenied):
            services.role_grant(
                actor=world.users["olga"], user=user, role=Role.LEADER, unit=world.p1
            )
    password = services.account_password_reset(actor=world.users["olga"], user=world.users["hana"])
    hana = User.objects.get(username="hana")
    assert hana.must_change_password and hana.check_password(password)
    assert AuditEvent.objects.filter(action="user.password_reset", object_id=str(hana.pk)).exists()


def test_a_role_is_revoked_and_audited(world) -> None:
    assignment = RoleAssignment.objects.get(user=world.users["lena"], role=Role.LEADER)
    services.role_revoke(actor=world.users["olga"], assignment=assignment)
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    event = AuditEvent.objects.get(action="role.revoke")
    assert event.before is not None and event.before["unit"] == world.p1.pk
    assert event.actor == world.users["olga"]


def test_locking_an_account_is_audited_and_not_for_oneself(world) -> None:
    services.account_set_active(actor=world.users["olga"], user=world.users["alice"], active=False)
    assert not User.objects.get(username="alice").is_active
    assert AuditEvent.objects.filter(action="user.deactivate").count() == 1
    root = world.users["root"]
    with pytest.raises(Exception, match="chính mình"):
        services.account_set_active(actor=root, user=root, active=False)
