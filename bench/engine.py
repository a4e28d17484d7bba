"""Benchmark of the rules engine: classify N synthetic subjects (default 1,000,000) under
qd-366-2025 and nd-335-2025 and print subjects per second.

    python bench/engine.py            # 1,000,000 subjects
    python bench/engine.py --n 100000

The data: 10,000 quota groups (one per unit) for N = 1,000,000, a tree of collectives with
a head in each, 5% of the subjects disciplined, a few with targets and absences. The timed
part is `classify(...)` on frozen Subject records, validation of the batch included; the
generation of the data and the JSON rendering are not timed (the JSON path is timed
separately on a sample).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from thuocdo.rules import (  # the path above makes the package importable
    Discipline,
    Period,
    Subject,
    Subunits,
    Targets,
    Tasks,
    classify,
    classify_json,
    compile_ruleset,
    load_ruleset,
    result_json,
)


def generate(n: int, seed: int = 2026) -> list[Subject]:
    """N subjects: n/100 units (collectives) each with a head and ~98 members."""
    rnd = random.Random(seed)
    n_units = max(2, n // 100)
    per_unit = (n - n_units) // n_units
    scores = [Decimal(x) / 100 for x in range(3000, 10001)]
    weights = [1 + (x >= 7000) * 3 + (x >= 8500) * 4 for x in range(3000, 10001)]
    pick = rnd.choices
    task_pool = [
        Tasks(10, 10, 10, 4),
        Tasks(10, 10, 10, 2),
        Tasks(10, 10, 9, 1),
        Tasks(12, 12, 12, 6),
    ]
    d_date = dt.date(2026, 6, 1)
    disc_pool = [
        (Discipline("KL-1", "khien_trach", d_date, duty_related=True),),
        (Discipline("KL-2", "canh_cao", d_date, duty_related=False),),
        (Discipline("KL-3", "khien_trach", d_date, duty_related=True, self_remedied=True),),
    ]
    bad_targets = Targets(10, 4, 2)
    out: list[Subject] = []
    n_top = max(1, n_units // 100)
    unit_scores = pick(scores, weights, k=n_units)
    for u in range(n_units):
        uid = f"U{u:06d}"
        parent = None if u < n_top else f"U{u % n_top:06d}"
        out.append(
            Subject(
                id=uid,
                kind="collective",
                parent=parent,
                quota_group=f"GU{u % n_top:04d}",
                score=unit_scores[u],
                tasks=task_pool[u % 4],
                subunits=Subunits(5, 0) if u < n_top else None,
                targets=bad_targets if rnd.random() < 0.005 else None,
            )
        )
    total_people = n - n_units
    people_scores = pick(scores, weights, k=total_people)
    rand = rnd.random
    i = 0
    for u in range(n_units):
        uid = f"U{u:06d}"
        group = f"G{u:06d}"
        count = per_unit if u < n_units - 1 else total_people - per_unit * (n_units - 1)
        for j in range(count):
            r = rand()
            out.append(
                Subject(
                    id=f"P{i:07d}",
                    unit=uid,
                    heads=uid if j == 0 else None,
                    quota_group=group,
                    score=people_scores[i],
                    tasks=task_pool[i % 4] if i % 3 == 0 else None,
                    disciplines=disc_pool[i % 3] if r < 0.05 else (),
                    absent_months=Decimal(4) if 0.05 <= r < 0.06 else None,
                )
            )
            i += 1
    return out


def bench(ruleset_id: str, subjects: list[Subject], period: Period, repeat: int = 3) -> float:
    """Classify `repeat` times (after a warm-up on a slice); print every run and the median."""
    compiled = compile_ruleset(load_ruleset(ruleset_id))
    classify(subjects[:2000], compiled, period)
    rates = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        result = classify(subjects, compiled, period)  # the engine pauses the cyclic GC itself
        rates.append(len(subjects) / (time.perf_counter() - t0))
        del result
    counts = ", ".join(
        f"{lv.name} {n:,}".replace(",", ".") for lv, n in result_levels(subjects, compiled, period)
    )
    runs = " / ".join(f"{r:,.0f}" for r in rates)
    median = statistics.median(rates)
    print(
        f"{ruleset_id}: {len(subjects):,} subjects, median {median:,.0f} subjects/s "
        f"(runs: {runs})  ({counts})"
    )
    return median


def result_levels(subjects: list[Subject], compiled: Any, period: Period) -> Any:
    """The level counts of one more (untimed) run, printed as a sanity check."""
    return classify(subjects, compiled, period).by_level


def bench_json(ruleset_id: str, n: int) -> None:
    """The JSON path (parse, validate, classify, render) on a smaller batch, for reference."""
    subjects = generate(n, seed=7)
    compiled = compile_ruleset(load_ruleset(ruleset_id))
    data = result_json(classify(subjects, compiled, Period("year", 2026)))
    del data
    # Build the input JSON from the records.
    batch = {
        "ruleset": ruleset_id,
        "period": {"kind": "year", "year": 2026},
        "subjects": [
            {
                k: v
                for k, v in {
                    "id": s.id,
                    "kind": s.kind,
                    "parent": s.parent,
                    "heads": s.heads,
                    "quota_group": s.quota_group,
                    "score": float(s.score or 0),
                    "tasks": None
                    if s.tasks is None
                    else {
                        "assigned": s.tasks.assigned,
                        "completed": s.tasks.completed,
                        "on_time": s.tasks.on_time,
                        "exceeded": s.tasks.exceeded,
                    },
                    "disciplines": [
                        {
                            "id": d.id,
                            "form": d.form,
                            "date": d.date.isoformat(),
                            "duty_related": d.duty_related,
                            "self_remedied": d.self_remedied,
                        }
                        for d in s.disciplines
                    ],
                }.items()
                if v is not None
            }
            for s in subjects
        ],
    }
    text = json.dumps(batch)
    t0 = time.perf_counter()
    out = classify_json(json.loads(text))
    json.dumps(out, ensure_ascii=False)
    dt_s = time.perf_counter() - t0
    print(f"{ruleset_id} (JSON in → JSON out, {n:,} subjects): {n / dt_s:,.0f} subjects/s")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--n", type=int, default=1_000_000, help="number of subjects")
    ap.add_argument(
        "--json-n",
        type=int,
        default=50_000,
        help="subjects for the JSON-path measurement (0 to skip)",
    )
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    subjects = generate(args.n)
    n_groups = len({s.quota_group for s in subjects if s.kind == "individual"})
    n_disc = sum(1 for s in subjects if s.disciplines)
    print(
        f"generated {len(subjects):,} subjects ({n_groups:,} quota groups, "
        f"{n_disc / len(subjects):.1%} disciplined) in {time.perf_counter() - t0:.1f} s"
    )
    period = Period("year", 2026)
    for rs in ("qd-366-2025", "nd-335-2025"):
        bench(rs, subjects, period)
    if args.json_n:
        for rs in ("qd-366-2025", "nd-335-2025"):
            bench_json(rs, args.json_n)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
