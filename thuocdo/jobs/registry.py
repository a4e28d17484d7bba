"""The kinds of background job, registered by the apps that own the work.

A kind is a function `func(progress, **params)` decorated with `@job(...)` in an app's
`jobs.py` (imported by every process at start-up, so the worker knows it). `params` are JSON
values; whatever the function returns (a JSON object, or None) is kept as the job's result.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    pass

JobFunc = Callable[..., Mapping[str, Any] | None]
# `check(actor, job)` of a kind whose files need more than seeing the job: raises 404 or 403.
FileCheck = Callable[[Any, Any], object]
F = TypeVar("F", bound=JobFunc)


class JobError(Exception):
    """A failure to show the user as it is: a Vietnamese sentence naming what and why.

    `problems` (sentences) are listed under it on the job's page, e.g. every problem of a
    refused workbook; `problem_count` says how many there were when only the first are kept;
    `details` (JSON objects, one per problem: sheet, row, column...) are kept for the API.
    """

    def __init__(
        self,
        message: str,
        *,
        problems: Sequence[str] = (),
        problem_count: int | None = None,
        details: Sequence[Mapping[str, Any]] = (),
    ) -> None:
        super().__init__(message)
        self.problems = list(problems)
        self.problem_count = len(self.problems) if problem_count is None else problem_count
        self.details = [dict(d) for d in details]

    def outcome(self) -> dict[str, Any] | None:
        """What the failed job keeps as its result: the problems, if any."""
        if not self.problems:
            return None
        kept: dict[str, Any] = {"problems": self.problems, "problem_count": self.problem_count}
        if self.details:
            kept["details"] = self.details
        return kept


@dataclass(frozen=True)
class JobKind:
    """A registered kind of job."""

    kind: str
    label: str
    func: JobFunc
    atomic: bool
    file_check: FileCheck | None = None


REGISTRY: dict[str, JobKind] = {}
# Called by `thuocdo worker` about once a minute with the current time: each may start a job
# (with a dedupe_key, so several workers start it once). See thuocdo/ops/jobs.py.
SCHEDULES: list[Callable[[datetime.datetime], None]] = []


def job(
    kind: str, *, label: str, atomic: bool = True, file_check: FileCheck | None = None
) -> Callable[[F], F]:
    """Register `func(progress: Progress, **params) -> dict | None` as the job `kind`.

    `label` is the Vietnamese name shown on the pages ("Sao lưu dữ liệu"). With `atomic=True`
    (the default) the whole function runs in one database transaction: if it raises, nothing
    it wrote stays. Work that writes outside the database (files) must clean up after itself
    and say `atomic=False` if a transaction would be wrong for it (a restore replaces the
    database itself).
    """

    def register(func: F) -> F:
        if kind in REGISTRY and REGISTRY[kind].func is not func:
            raise ValueError(f"job kind {kind!r} registered twice")
        REGISTRY[kind] = JobKind(
            kind=kind, label=label, func=func, atomic=atomic, file_check=file_check
        )
        return func

    return register


def schedule(func: Callable[[datetime.datetime], None]) -> Callable[[datetime.datetime], None]:
    """Register `func(now)` to be called by every worker about once a minute."""
    if func not in SCHEDULES:
        SCHEDULES.append(func)
    return func


def job_kind(kind: str) -> JobKind:
    """The registered kind, or a JobError naming it."""
    try:
        return REGISTRY[kind]
    except KeyError:
        raise JobError(f"Không có loại công việc “{kind}”.") from None


__all__ = [
    "REGISTRY", "SCHEDULES", "FileCheck", "JobError", "JobKind", "job", "job_kind", "schedule",
]  # fmt: skip
