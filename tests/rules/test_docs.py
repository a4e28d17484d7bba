"""docs/rules.md holds, for every shipped rule-set, the table of its rules with their articles
and status exactly as `thuocdo rules show ID --markdown` prints it; its worked example of a
locality's rule-set (Hà Nội's newer monthly regulation) loads and runs, unconfirmed."""

from __future__ import annotations

from pathlib import Path

import pytest

from thuocdo.rules import classify_json, list_rulesets, load_ruleset
from thuocdo.rules.doc import ruleset_markdown

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "rules.md"
EXAMPLES = ROOT / "docs" / "examples" / "rulesets"


@pytest.mark.parametrize("rs_id", [info.id for info in list_rulesets()])
def test_the_documentation_holds_each_shipped_table(rs_id: str) -> None:
    assert ruleset_markdown(load_ruleset(rs_id)) in DOC.read_text(encoding="utf-8")


def test_the_hanoi_example_is_unconfirmed_and_caps_half_a_month_away() -> None:
    rs = load_ruleset("hn-thang-moi", extra_dir=EXAMPLES)
    assert rs.origin == "extra" and not any(r.confirmed for r in rs.rules)
    assert all(r.note for r in rs.rules)
    data = {
        "ruleset": "hn-thang-moi",
        "period": {"kind": "month", "year": 2026, "month": 5},
        "subjects": [
            {"id": "A", "score": 95, "absent_months": 0.5},
            {"id": "B", "score": 95, "absent_months": 0.4},
        ],
    }
    out = {d["id"]: d for d in classify_json(data, extra_dir=EXAMPLES)["decisions"]}
    assert (out["A"]["level"], out["B"]["level"]) == ("HTNV", "HTXS")
    assert out["A"]["flags"] == ["rule_unconfirmed"]
    assert out["A"]["trace"][-1]["confirmed"] is False
    assert out["A"]["trace"][-1]["reason"] == (
        "Vắng mặt 0,5 tháng trong kỳ (từ 0,5 tháng trở lên): tối đa HTNV"
    )
