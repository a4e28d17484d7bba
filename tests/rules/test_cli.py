"""The contract (DESIGN §5) through the CLI and the Python call: the example round-trips,
bad input is rejected whole with every problem listed and exit status 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from thuocdo.rules import RulesInputError, classify_json, cli_main

EXAMPLE_IN: dict[str, Any] = {
    "ruleset": "nd-335-2025",
    "period": {"kind": "year", "year": 2026},
    "options": {"quota_base": "good_and_above"},
    "subjects": [
        {
            "id": "DV-01",
            "kind": "collective",
            "parent": None,
            "quota_group": "G-DV",
            "score": 92.0,
            "tasks": {"assigned": 20, "completed": 20, "on_time": 20, "exceeded": 7},
            "targets": {"assigned": 18, "met": 18, "main_missed": 0},
            "subunits": {"total": 5, "disciplined": 0},
            "disciplines": [],
            "findings": [],
        },
        {
            "id": "CB-001",
            "kind": "individual",
            "unit": "DV-01",
            "heads": "DV-01",
            "group": "leader",
            "quota_group": "G-LD",
            "period_scores": [91, 93, 95],
            "tasks": {"assigned": 12, "completed": 12, "on_time": 12, "exceeded": 4},
            "disciplines": [
                {
                    "id": "VP-7",
                    "form": "khien_trach",
                    "date": "2026-06-01",
                    "duty_related": True,
                    "self_remedied": False,
                }
            ],
            "findings": [],
            "absent_months": 0,
            "maternity": False,
            "state_level": "HTT",
        },
    ],
}

EXAMPLE_CB001 = {
    "id": "CB-001",
    "level": "KHT",
    "score": 93.0,
    "score_level": "HTXS",
    "flags": [],
    "trace": [
        {
            "rule": "score-band",
            "source": "Nghị định 335/2025/NĐ-CP, Điều 20, khoản 1 đến khoản 3; khoản 4 điểm a",
            "from": None,
            "to": "HTXS",
            "reason": "Tổng điểm 93,0 ≥ 90",
            "confirmed": True,
        },
        {
            "rule": "discipline-veto",
            "source": "Nghị định 335/2025/NĐ-CP, Điều 20, khoản 4 điểm c",
            "from": "HTXS",
            "to": "KHT",
            "reason": "Bị kỷ luật khiển trách ngày 01/06/2026",
            "confirmed": True,
        },
    ],
}


def _write(tmp_path: Path, data: Any, name: str = "batch.json") -> Path:
    p = tmp_path / name
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return p


def test_cli_round_trips_the_design_example(tmp_path: Path) -> None:
    """DESIGN §5: the example in, the example out (file to file)."""
    out = tmp_path / "decisions.json"
    assert (
        cli_main(["classify", "--input", str(_write(tmp_path, EXAMPLE_IN)), "--output", str(out)])
        == 0
    )
    result = json.loads(out.read_text(encoding="utf-8"))
    assert set(result) == {"ruleset", "decisions", "summary"}
    assert result["ruleset"] == "nd-335-2025"
    assert result["decisions"][0] == EXAMPLE_CB001
    assert result["summary"] == {
        "total": 2,
        "by_level": {"HTXS": 1, "HTT": 0, "HTNV": 0, "KHT": 1, "KXL": 0},
    }
    assert result == classify_json(EXAMPLE_IN)


def test_cli_prints_to_stdout_without_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli_main(["classify", "--input", str(_write(tmp_path, EXAMPLE_IN))]) == 0
    assert json.loads(capsys.readouterr().out)["decisions"][0]["level"] == "KHT"


def test_cli_list_and_show(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["list"]) == 0
    assert "qd-366-2025" in capsys.readouterr().out
    assert cli_main(["show", "qd-366-2025"]) == 0
    out = capsys.readouterr().out
    assert "Chưa xác nhận căn cứ vì: Kế thừa từ Quy định 124-QĐ/TW" in out
    assert "Căn cứ: Quy định 366-QĐ/TW, Điều 11, khoản 1" in out
    # The article and the quote it rests on, and how the quote was seen.
    assert "Trích (nguyên văn): «Hoàn thành 100% các nhiệm vụ được giao, đúng hạn" in out
    assert "Trích (bản dịch tiếng Nhật, chưa đối chiếu nguyên văn tiếng Việt)" in out
    assert cli_main(["show", "khong-co"]) == 2


BAD = {
    "ruleset": "nd-335-2025",
    "period": {"kind": "year", "year": 2026},
    "subjects": [
        {"id": "A", "kind": "collective", "parent": "B", "score": 80},
        {"id": "B", "kind": "collective", "parent": "A", "score": 80},
        {"id": "C", "score": 120},
        {"id": "C", "score": 70},
        {"id": "D", "score": 80, "heads": "X-99"},
        {"id": "E", "score": "tám mươi"},
    ],
}


def test_bad_input_lists_every_problem() -> None:
    """DESIGN §5: rejected as a whole with every problem listed."""
    with pytest.raises(RulesInputError) as exc:
        classify_json(BAD)
    text = "\n".join(exc.value.problems)
    assert "Đối tượng C: mã bị trùng trong lô" in text
    assert "Đối tượng C, trường score: điểm 120 nằm ngoài khoảng 0–100" in text
    assert "Đối tượng D, trường heads: đơn vị 'X-99' không có trong lô" in text
    assert "Vòng lặp cấp trên (parent): A → B → A" in text
    assert "Đối tượng E, trường score: phải là một số" in text


def test_unknown_ruleset_is_one_of_the_problems() -> None:
    with pytest.raises(RulesInputError) as exc:
        classify_json({**BAD, "ruleset": "qd-000"})
    text = "\n".join(exc.value.problems)
    assert "Không có bộ quy tắc 'qd-000'" in text
    assert "Đối tượng E, trường score" in text  # the rest is still checked


@pytest.mark.parametrize(
    ("patch", "expected"),
    [
        pytest.param({"ruleset": "qd-000"}, "Không có bộ quy tắc", id="unknown-ruleset"),
        pytest.param(
            {"subjects": [{"id": "A", "score": 80}, {"id": "A", "score": 80}]},
            "mã bị trùng",
            id="duplicate-id",
        ),
        pytest.param(
            {"subjects": [{"id": "A", "score": -1}]},
            "nằm ngoài khoảng 0–100",
            id="score-out-of-range",
        ),
        pytest.param(
            {"subjects": [{"id": "A", "score": 80, "parts": {"general": 31, "results": 60}}]},
            "nằm ngoài khoảng 0–30",  # the maximum as written, never "3E+1"
            id="part-out-of-range",
        ),
        pytest.param(
            {"subjects": [{"id": "A", "score": 80, "heads": "U"}]},
            "không có trong lô",
            id="head-of-unknown-unit",
        ),
        pytest.param(
            {"subjects": [{"id": "U", "kind": "collective", "score": 80, "parent": "U"}]},
            "cấp trên của chính nó",
            id="self-parent",
        ),
        pytest.param(
            {"subjects": [{"id": "A", "score": 80, "period_scores": [80]}]},
            "cần đúng một trong các trường",
            id="two-scores",
        ),
        pytest.param(
            {
                "subjects": [
                    {
                        "id": "A",
                        "score": 80,
                        "disciplines": [{"form": "khien_trach", "date": "2026-01-01"}],
                    }
                ]
            },
            "duty_related",
            id="335-needs-duty-related",
        ),
        pytest.param(
            {"subjects": [{"id": "A", "score": 80, "colour": "đỏ"}]},
            "không có trong hợp đồng dữ liệu",
            id="unknown-field",
        ),
        pytest.param({"period": {"kind": "year", "year": "2026"}}, "period.year", id="bad-period"),
    ],
)
def test_cli_bad_input_exit_2_with_problems_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], patch: dict[str, Any], expected: str
) -> None:
    """DESIGN §5: bad input → exit status 2, every problem on stderr, nothing on stdout."""
    data = {
        "ruleset": "nd-335-2025",
        "period": {"kind": "year", "year": 2026},
        "subjects": [{"id": "A", "score": 80}],
        **patch,
    }
    out = tmp_path / "out.json"
    assert cli_main(["classify", "--input", str(_write(tmp_path, data)), "--output", str(out)]) == 2
    err = capsys.readouterr()
    assert expected in err.err and err.out == ""
    assert not out.exists()


def test_cli_all_problems_of_the_bad_batch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli_main(["classify", "--input", str(_write(tmp_path, BAD))]) == 2
    err = capsys.readouterr().err
    assert "Dữ liệu không hợp lệ (" in err
    assert err.count("\n  - ") >= 5


def test_cli_not_json_and_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "x.json"
    p.write_text("{", encoding="utf-8")
    assert cli_main(["classify", "--input", str(p)]) == 2
    assert "không phải JSON hợp lệ" in capsys.readouterr().err
    assert cli_main(["classify", "--input", str(tmp_path / "nope.json")]) == 2
    assert "Không đọc được tệp" in capsys.readouterr().err
    assert cli_main(["classify"]) == 2
