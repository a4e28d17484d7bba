"""Small builders shared by the rules tests: JSON batches in, decisions by id out."""

from __future__ import annotations

from typing import Any

from thuocdo.rules import classify_json

YEAR = 2026


def ind(sid: str, score: float | None = 80.0, **kw: Any) -> dict[str, Any]:
    """An individual with a score (pass score=None for criteria rule-sets)."""
    d: dict[str, Any] = {"id": sid, "kind": "individual"}
    if score is not None:
        d["score"] = score
    d.update(kw)
    return d


def col(sid: str, score: float | None = 80.0, **kw: Any) -> dict[str, Any]:
    """A collective with a score."""
    d: dict[str, Any] = {"id": sid, "kind": "collective"}
    if score is not None:
        d["score"] = score
    d.update(kw)
    return d


def crit(results: str = "tot", others: str = "tot") -> dict[str, str]:
    """Criteria ratings for 124 / NĐ 90: the result group and the four others."""
    return {
        "politics": others,
        "ethics": others,
        "style": others,
        "discipline": others,
        "results": results,
    }


def tasks(assigned: int, completed: int, on_time: int, exceeded: int, **kw: int) -> dict[str, int]:
    """A tasks object."""
    return {
        "assigned": assigned,
        "completed": completed,
        "on_time": on_time,
        "exceeded": exceeded,
        **kw,
    }


def disc(form: str = "khien_trach", date: str = f"{YEAR}-06-01", **kw: Any) -> dict[str, Any]:
    """A discipline decision."""
    d: dict[str, Any] = {"id": f"KL-{form}-{date}", "form": form, "date": date}
    d.update(kw)
    return d


def batch(
    ruleset: str,
    subjects: list[dict[str, Any]],
    *,
    options: dict[str, Any] | None = None,
    period: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A JSON batch."""
    if period is None:
        period = (
            {"kind": "month", "year": YEAR, "month": 5}
            if ruleset == "hn-3814-2018"
            else {"kind": "year", "year": YEAR}
        )
    return {"ruleset": ruleset, "period": period, "options": options or {}, "subjects": subjects}


def run(ruleset: str, subjects: list[dict[str, Any]], **kw: Any) -> dict[str, dict[str, Any]]:
    """Classify and return the decisions by id."""
    out = classify_json(batch(ruleset, subjects, **kw))
    return {d["id"]: d for d in out["decisions"]}


def level(ruleset: str, subject: dict[str, Any], *others: dict[str, Any], **kw: Any) -> str:
    """The level of the first subject."""
    return str(run(ruleset, [subject, *others], **kw)[subject["id"]]["level"])


def rules_in_trace(decision: dict[str, Any]) -> list[str]:
    """Rule ids of the trace, in order."""
    return [st["rule"] for st in decision["trace"]]
