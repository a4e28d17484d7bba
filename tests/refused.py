"""A refused full-page form (Post/Redirect/Get, thuocdo/web/retry.py), as the view tests check
it: the POST answers a redirect to the form's page, the page shows the refusal, and nothing is
written: no audit event, no row of the models named."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import models
from django.test import Client

from thuocdo.audit.models import AuditEvent


def refused_page(
    client: Client,
    url: str,
    data: Mapping[str, object],
    page: str,
    *unchanged: type[models.Model],
) -> str:
    """POST `data` to `url`, which must refuse it with a redirect to `page` (a GET); returns the
    page's HTML. The audit trail and the tables of `unchanged` keep their counts."""
    tables: tuple[type[models.Model], ...] = (AuditEvent, *unchanged)
    before = [model._default_manager.count() for model in tables]
    response = client.post(url, data)
    assert response.status_code == 302, "a refused form must not be rendered at its POST address"
    assert response["Location"] == page
    shown = client.get(page)
    assert shown.status_code == 200
    assert [model._default_manager.count() for model in tables] == before
    return shown.content.decode()
