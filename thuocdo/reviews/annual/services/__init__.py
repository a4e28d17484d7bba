"""Writes of the annual cycle, one module per step: `opening` (a year's evaluations),
`assessments` (the self-review and the leader's sheet), `verification`, `proposal` (the
engine), `conclusion` (by the competent authority) and `publication` (publish, lock, reopen),
with `common` for what several steps share. Every write is atomic, guarded against a locked
period and audited. The public names are re-exported here, so callers write
`from thuocdo.reviews.annual import services` and `services.period_propose(...)`; the modules
import `levels`, `permissions` and `tracks` below them, never the selectors or appeals."""

from __future__ import annotations

from thuocdo.reviews.annual.levels import legal_order
from thuocdo.reviews.annual.permissions import can_conclude, evaluation_guard
from thuocdo.reviews.annual.services.assessments import (
    evaluation_review,
    evaluation_self_assess,
    evaluation_self_confirm,
    review_open,
    self_review_mode,
    self_review_open,
)
from thuocdo.reviews.annual.services.conclusion import evaluation_conclude, evaluations_accept_all
from thuocdo.reviews.annual.services.opening import evaluations_create
from thuocdo.reviews.annual.services.proposal import period_batch, period_propose
from thuocdo.reviews.annual.services.publication import period_lock, period_publish, period_reopen
from thuocdo.reviews.annual.services.verification import evaluations_verify

__all__ = [
    "can_conclude",
    "evaluation_conclude",
    "evaluation_guard",
    "evaluation_review",
    "evaluation_self_assess",
    "evaluation_self_confirm",
    "evaluations_accept_all",
    "evaluations_create",
    "evaluations_verify",
    "legal_order",
    "period_batch",
    "period_lock",
    "period_propose",
    "period_publish",
    "period_reopen",
    "review_open",
    "self_review_mode",
    "self_review_open",
]
