"""Register the test kinds of job."""

from __future__ import annotations

import tests.jobs.kinds  # noqa: F401
