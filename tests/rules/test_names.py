"""Reasons name subjects and quota groups by the names the caller gives (issue 18: «… không
được xếp cao hơn tập thể UBND Phường 1 (HTNV)», not «tập thể U4»); without a name, by the id
the caller typed."""

from __future__ import annotations

import pytest

from thuocdo.rules import RulesInputError, classify_json

from .helpers import batch, col, ind, run


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        pytest.param(
            col("U4", 60, name="UBND Phường 1"),
            "Người đứng đầu không được xếp cao hơn tập thể UBND Phường 1 (HTNV)",
            id="named",
        ),
        pytest.param(
            col("U4", 60),
            "Người đứng đầu không được xếp cao hơn tập thể U4 (HTNV)",
            id="the-id-the-caller-typed",
        ),
    ],
)
def test_the_head_cap_names_the_unit(unit: dict[str, object], expected: str) -> None:
    d = run("qd-366-2025", [unit, ind("H", 95, heads="U4", name="Trần Văn Hải")])["H"]
    assert d["trace"][-1]["reason"] == expected


def test_the_quota_names_its_group() -> None:
    subs = [ind(f"X{i}", 99 - i, quota_group="G7") for i in range(2)]
    subs += [ind(f"B{i}", 80, quota_group="G7") for i in range(3)]
    data = batch("nd-335-2025", subs)
    data["group_names"] = {"G7": "«Địa chính» của UBND Phường 1"}
    out = {d["id"]: d for d in classify_json(data)["decisions"]}
    assert out["X1"]["trace"][-1]["reason"].startswith(
        "Vượt tỷ lệ 20% của nhóm «Địa chính» của UBND Phường 1: 2/5"
    )


def test_the_targets_of_a_named_unit_and_of_a_unit_in_charge() -> None:
    t = {"assigned": 10, "met": 3, "main_missed": 1}
    ds = run(
        "qd-366-2025",
        [col("U4", 95, targets=t, name="UBND Phường 1"), ind("H", 95, heads="U4")],
    )
    assert ds["H"]["trace"][-1]["reason"].startswith(
        "Đơn vị UBND Phường 1 do đồng chí đứng đầu chỉ hoàn thành 3/10 chỉ tiêu"
    )


def test_group_names_must_be_a_table_of_names() -> None:
    data = batch("nd-335-2025", [ind("A", 80)])
    data["group_names"] = ["G7"]
    with pytest.raises(RulesInputError) as error:
        classify_json(data)
    assert error.value.problems == ["Trường group_names: phải là đối tượng JSON mã nhóm → tên nhóm"]
