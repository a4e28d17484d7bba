"""WSGI entry point."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thuocdo.settings")
application = get_wsgi_application()

# Refuse to serve with the default secret key outside the demo (thuocdo/security/secret.py).
from thuocdo.security.secret import secret_key_require  # noqa: E402

secret_key_require()
