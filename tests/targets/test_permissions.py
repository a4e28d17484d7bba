"""Who sees and who changes a target set: out of scope answers 404, read-only 403."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from thuocdo.org import services as org_services


@pytest.fixture
def quinn(world):
    """The organiser of Q2, bob's district: a sibling who must see nothing of Q1."""
    user = org_services.user_create(actor=None, username="quinn", password="Mat-khau-thu-2026")
    org_services.role_assign(actor=None, user=user, role="organiser", unit=world.q2)
    return user


def _get(user, name: str, target_set) -> int:
    client = Client()
    client.force_login(user)
    return client.get(reverse(name, args=[target_set.pk])).status_code


@pytest.mark.parametrize("username", ["olga", "hana", "tam", "root"])
def test_the_organiser_the_head_and_the_managing_authority_see_the_q1_set(world, q1_set, username):
    assert _get(world.users[username], "targets:set-detail", q1_set) == 200
    assert _get(world.users[username], "targets:api-set-detail", q1_set) == 200


@pytest.mark.parametrize("username", ["alice", "lena", "nobody"])
def test_people_outside_the_q1_set_get_404(world, q1_set, username):
    assert _get(world.users[username], "targets:set-detail", q1_set) == 404
    assert _get(world.users[username], "targets:set-export", q1_set) == 404
    assert _get(world.users[username], "targets:api-set-detail", q1_set) == 404


def test_the_sibling_districts_organiser_gets_404(world, q1_set, quinn):
    for name in ["targets:set-detail", "targets:set-import", "targets:actual-create"]:
        assert _get(quinn, name, q1_set) == 404


def test_the_head_records_actuals_but_may_not_change_the_targets(world, q1_set):
    hana = world.users["hana"]
    assert _get(hana, "targets:actual-create", q1_set) == 200
    assert _get(hana, "targets:set-import", q1_set) == 403
    assert _get(hana, "targets:council-record", q1_set) == 403


def test_the_authority_assesses_but_may_not_record_actuals(world, q1_set):
    tam = world.users["tam"]
    assert _get(tam, "targets:council-record", q1_set) == 200
    assert _get(tam, "targets:actual-create", q1_set) == 403


def test_a_person_sees_the_set_assigned_to_them(world, q1_set):
    # hana loses her head role but remains the person the targets were assigned to.
    world.users["hana"].roles.all().delete()
    assert _get(world.users["hana"], "targets:set-detail", q1_set) == 200


def test_only_organisers_create_sets(client, world):
    client.force_login(world.users["hana"])
    assert client.get(reverse("targets:set-import-new")).status_code == 403
