"""Post/Redirect/Get after a refused form (thuocdo/web/retry.py): what was typed waits in the
session for the next GET of the form's page, is read once, and no other page picks it up."""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from thuocdo.web.retry import posted, refused_redirect, typed_again, typed_dict

FORM_PAGE = "/ky-danh-gia/7/ket-luan/"


def _request(method: str, path: str, session: SessionStore, data: dict[str, object] | None = None):
    factory = RequestFactory()
    request = factory.post(path, data or {}) if method == "POST" else factory.get(path)
    request.session = session
    return request


def test_it_sends_the_browser_to_the_page_and_keeps_what_was_typed_for_it_once(db):
    session = SessionStore()
    post = _request(
        "POST",
        "/danh-gia/3/ket-luan/",
        session,
        {"level": "KHT", "reason": "Vi phạm kỷ luật", "csrfmiddlewaretoken": "x"},
    )
    typed = posted(post)
    assert typed == {"level": ["KHT"], "reason": ["Vi phạm kỷ luật"]}  # never the token
    response = refused_redirect(post, f"{FORM_PAGE}#ket-luan-3", typed)
    assert (response.status_code, response["Location"]) == (302, f"{FORM_PAGE}#ket-luan-3")
    data = typed_again(_request("GET", FORM_PAGE, session))
    assert data is not None and data.getlist("reason") == ["Vi phạm kỷ luật"]
    assert typed_dict(data, extra=1) == {"level": "KHT", "reason": "Vi phạm kỷ luật", "extra": 1}
    # A reload of the page finds nothing: the refusal and its values are shown once.
    assert typed_again(_request("GET", FORM_PAGE, session)) is None
    assert typed_dict(None) == {}


def test_another_page_does_not_pick_it_up_and_the_next_refusal_replaces_it(db):
    session = SessionStore()
    post = _request("POST", "/danh-gia/3/ket-luan/", session, {"reason": "Lần đầu"})
    refused_redirect(post, FORM_PAGE, posted(post, "reason"))
    assert typed_again(_request("GET", "/", session)) is None
    post = _request("POST", "/danh-gia/4/ket-luan/", session, {"reason": "Lần hai"})
    refused_redirect(post, FORM_PAGE, posted(post, "reason"))
    data = typed_again(_request("GET", FORM_PAGE, session))
    assert data is not None and data.getlist("reason") == ["Lần hai"]
