"""Finding 8: reads and exports of sensitive records and every write through /quan-tri/ left
no AuditEvent (logins are in test_lockout.py)."""

from __future__ import annotations

from django.contrib.admin import site
from django.test import Client
from django.urls import reverse

from thuocdo.audit.models import AuditEvent
from thuocdo.org.models import RoleAssignment, Unit
from thuocdo.security.admin import AuditedAdminMixin


def _client(world, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


def test_the_dossier_its_pdf_and_every_export_are_audited(world):
    client = _client(world, "olga")
    carol = world.carol.pk
    AuditEvent.objects.all().delete()  # the cast's set-up and the login
    client.get(reverse("careers:dossier-detail", args=[carol]))
    client.get(reverse("careers:dossier-pdf", args=[carol]))
    client.get(reverse("org:person-detail", args=[carol]))
    client.get(reverse("org:import-template", args=["people"]))
    events = list(AuditEvent.objects.order_by("id"))
    assert [(e.action, e.object_type, e.object_id) for e in events] == [
        ("dossier.read", "careers:dossier-detail", str(carol)),
        ("export", "careers:dossier-pdf", str(carol)),
        ("person.read", "org:person-detail", str(carol)),
        ("export", "org:import-template", "people"),
    ]
    assert all(e.actor_id == world.users["olga"].pk for e in events)
    assert "attachment" in events[1].note


def test_a_refused_read_is_not_recorded_as_a_read(world):
    AuditEvent.objects.all().delete()
    response = _client(world, "olga").get(reverse("careers:dossier-pdf", args=[world.bob.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.exclude(action__startswith="auth.").exists()


def test_every_model_of_the_admin_audits_its_writes():
    for model, model_admin in site._registry.items():
        assert isinstance(model_admin, AuditedAdminMixin), model


def test_an_admin_change_addition_and_deletion_are_audited(world):
    client = _client(world, "root")
    unit = world.cell
    page = client.get(f"/quan-tri/org/unit/{unit.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(name="Chi bộ khu phố Một", parent=unit.parent_id)
    response = client.post(f"/quan-tri/org/unit/{unit.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="admin.change", object_id=str(unit.pk))
    assert (event.before or {})["name"] == "Chi bộ khu phố 1"
    assert (event.after or {})["name"] == "Chi bộ khu phố Một"
    assert event.actor_id == world.users["root"].pk

    response = client.post(f"/quan-tri/org/unit/{unit.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Unit.objects.filter(pk=unit.pk).exists()
    deleted = AuditEvent.objects.get(action="admin.delete", object_id=str(unit.pk))
    assert (deleted.before or {}).get("code") == "CB1"


def test_a_role_given_in_the_users_inline_is_audited(world):
    client = _client(world, "root")
    nobody = world.users["nobody"]
    page = client.get(f"/quan-tri/org/user/{nobody.pk}/change/")
    data = {}
    for form in [page.context["adminform"].form]:
        for name, value in form.initial.items():
            if value is None:
                continue
            data[name] = value
    data["date_joined_0"], data["date_joined_1"] = "01/01/2026", "00:00:00"
    data.pop("date_joined", None)
    data.pop("last_login", None)
    data.pop("password", None)
    data.pop("groups", None)
    data.pop("user_permissions", None)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-role": "organiser",
            f"{prefix}-0-unit": str(world.q2.pk),
        }
    )
    response = client.post(f"/quan-tri/org/user/{nobody.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    role = RoleAssignment.objects.get(user=nobody)
    event = AuditEvent.objects.get(action="admin.add", object_type="org.roleassignment")
    assert event.object_id == str(role.pk)
    assert (event.after or {})["unit_id"] == world.q2.pk
