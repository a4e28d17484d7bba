"""Post/Redirect/Get after a refused form. The refusal is a message; what the user typed is kept
in their session for the next GET of the page the form sits on, and the browser is sent there.
So the page shows the error and the typed values once, and reloading it never sends the form
again (a page rendered in answer to a POST would).

Only one refused form is kept per session, tied to the path it was sent to: another page does
not pick it up, and the next refusal replaces it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponseRedirect, QueryDict

SESSION_KEY = "thuocdo.refused_form"


def posted(request: HttpRequest, *names: str) -> dict[str, list[str]]:
    """The POSTed values (each as its list) to keep: the named fields, or all but the token."""
    keys = names or tuple(k for k in request.POST if k != "csrfmiddlewaretoken")
    return {name: request.POST.getlist(name) for name in keys}


def refused_redirect(
    request: HttpRequest, to: str, typed: dict[str, list[str]]
) -> HttpResponseRedirect:
    """Keep `typed` (field → values) for the next GET of `to`, and send the browser there."""
    request.session[SESSION_KEY] = {"path": urlsplit(to).path, "typed": typed}
    return HttpResponseRedirect(to)


def typed_again(request: HttpRequest) -> QueryDict | None:
    """What the user typed into the form of this page that was just refused (read once), as
    a QueryDict a form can be bound to; None when nothing was refused on this page."""
    kept = request.session.get(SESSION_KEY)
    if not isinstance(kept, dict) or kept.get("path") != request.path:
        return None
    del request.session[SESSION_KEY]
    data = QueryDict(mutable=True)
    for name, values in kept.get("typed", {}).items():
        data.setlist(name, [str(v) for v in values])
    return data


def typed_dict(data: QueryDict | None, **extra: Any) -> dict[str, Any]:
    """A refused form's values as a template reads them (one value per field), with `extra`;
    empty when nothing was refused."""
    if data is None:
        return {}
    return {**{name: data.get(name, "") for name in data}, **extra}
