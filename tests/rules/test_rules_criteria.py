"""Criteria-based rule-sets: qd-124-2023 (Quy định 124-QĐ/TW, HD 25) and nd-90-2020
(NĐ 90/2020 amended by NĐ 48/2023)."""

from __future__ import annotations

from typing import Any

import pytest

from .helpers import col, crit, disc, ind, run

RATINGS_TABLE = [
    pytest.param(crit("xuat_sac", "tot"), "HTXS", id="hd21-results-xs-others-tot"),
    pytest.param(crit("xuat_sac", "xuat_sac"), "HTXS", id="hd21-all-xs"),
    pytest.param(crit("tot", "xuat_sac"), "HTT", id="hd21-results-tot"),
    pytest.param(crit("tot", "tot"), "HTT", id="hd21-all-tot"),
    pytest.param(
        {**crit("xuat_sac", "tot"), "ethics": "trung_binh"}, "HTNV", id="hd21-one-trung-binh"
    ),
    pytest.param(crit("trung_binh", "trung_binh"), "HTNV", id="hd21-all-trung-binh"),
    pytest.param({**crit("xuat_sac", "xuat_sac"), "style": "kem"}, "KHT", id="124-any-kem-is-kht"),
    pytest.param(crit("kem", "tot"), "KHT", id="124-results-kem"),
]


@pytest.mark.parametrize(("criteria", "expected"), RATINGS_TABLE)
def test_criteria_rating(criteria: dict[str, str], expected: str) -> None:
    """124-QĐ/TW: criterion ratings → level (HD 21-HD/BTCTW mapping). NĐ 90 judges by the
    share of criteria not met instead (DESIGN §4.7.5, test_corrections.py)."""
    d = run("qd-124-2023", [ind("A", None, criteria=criteria)])["A"]
    assert d["level"] == expected and d["score_level"] == expected and d["score"] is None
    assert d["trace"][0]["rule"] == "criteria-rating"


def test_criteria_mapping_is_configurable() -> None:
    """HD 21 mapping is the default; an organisation may demand results at Tốt for HTNV."""
    req = {
        "HTXS": {"results": "xuat_sac", "others": "tot"},
        "HTT": {"results": "tot", "others": "tot"},
        "HTNV": {"results": "tot", "others": "trung_binh"},
    }
    d = run(
        "qd-124-2023",
        [ind("A", None, criteria=crit("trung_binh", "tot"))],
        options={"criteria_requirements": req},
    )["A"]
    assert d["level"] == "KHT"


def test_criteria_reason_lists_ratings() -> None:
    """The base step names each criterion group and its rating."""
    d = run("qd-124-2023", [ind("A", None, criteria=crit("xuat_sac", "tot"))])["A"]
    reason = d["trace"][0]["reason"]
    assert reason.startswith("Theo mức đánh giá các tiêu chí (chính trị tư tưởng: tốt")


@pytest.mark.parametrize(
    ("discipline", "expected"),
    [
        pytest.param(disc("khien_trach"), "KHT", id="124-discipline-in-year"),
        pytest.param(disc("canh_cao", self_remedied=True), "HTXS", id="124-self-remedied-exempt"),
        pytest.param(disc("khien_trach", "2025-06-01"), "HTXS", id="124-other-year"),
    ],
)
def test_discipline_veto_qd124(discipline: dict[str, Any], expected: str) -> None:
    """Quy định 124-QĐ/TW: a discipline in the year → KHT unless self-detected and remedied."""
    d = run("qd-124-2023", [ind("A", None, criteria=crit("xuat_sac"), disciplines=[discipline])])
    assert d["A"]["level"] == expected
    if discipline.get("self_remedied"):
        assert "tự phát hiện và chủ động khắc phục hậu quả" in d["A"]["trace"][-1]["reason"]


@pytest.mark.parametrize(
    ("collective", "expected"),
    [
        pytest.param(
            {"disciplines": [disc("canh_cao", self_remedied=True)]},
            "KHT",
            id="124-collective-disciplined-no-self-remedy-exemption",
        ),
        pytest.param(
            {"subunits": {"total": 10, "disciplined": 3}}, "KHT", id="124-over-20pct-subunits"
        ),
        pytest.param(
            {"subunits": {"total": 10, "disciplined": 2}}, "KHT", id="124-any-subunit-disciplined"
        ),
        pytest.param(
            {"subunits": {"total": 10, "disciplined": 2, "self_remedied": 2}},
            "HTXS",
            id="124-subunits-self-remedied",
        ),
    ],
)
def test_collective_vetoes_qd124(collective: dict[str, Any], expected: str) -> None:
    """Quy định 124-QĐ/TW: a collective → KHT if disciplined, if > 20% of subunits were, or
    if any subunit had a disciplined violation it did not detect and remedy itself (DESIGN
    §4.7.6; before, 20% of subunits passed)."""
    d = run("qd-124-2023", [col("C", None, criteria=crit("xuat_sac"), **collective)])["C"]
    assert d["level"] == expected


def test_head_cap_qd124() -> None:
    """HD 21; principle of 124: a head is not above the collective he or she heads."""
    ds = run(
        "qd-124-2023",
        [
            col("U", None, criteria=crit("tot")),
            ind("H", None, criteria=crit("xuat_sac"), heads="U"),
        ],
    )
    assert ds["H"]["level"] == "HTT" and ds["H"]["trace"][-1]["rule"] == "head-cap"


def test_quota_ranks_by_score_when_given_else_ties() -> None:
    """Criteria rule-sets have no score: all HTXS candidates tie, all moved and flagged."""
    subs = [ind(f"A{i}", None, criteria=crit("xuat_sac"), quota_group="G") for i in range(3)]
    subs += [ind(f"B{i}", None, criteria=crit("tot"), quota_group="G") for i in range(7)]
    ds = run("qd-124-2023", subs)
    # 3 HTXS of 10 > 20%: limit 2, all three tie → all moved, flagged.
    assert [ds[f"A{i}"]["level"] for i in range(3)] == ["HTT"] * 3
    assert all("quota_tie" in ds[f"A{i}"]["flags"] for i in range(3))


# -- NĐ 90/2020 with NĐ 48/2023 -------------------------------------------------------------

NV = "nd-90-2020"


@pytest.mark.parametrize(
    ("t", "expected"),
    [
        pytest.param(
            {"assigned": 10, "completed": 10, "on_time": 10, "exceeded": 5},
            "HTXS",
            id="nd90-htxs-50pct-exceeded",
        ),
        pytest.param(
            {"assigned": 10, "completed": 10, "on_time": 10, "exceeded": 4},
            "HTT",
            id="nd90-htxs-under-50pct",
        ),
    ],
)
def test_htxs_needs_half_exceeded_nd90(t: dict[str, int], expected: str) -> None:
    """NĐ 90/2020: HTXS needs at least 50% of tasks exceeded."""
    assert run(NV, [ind("A", None, criteria=crit("xuat_sac"), tasks=t)])["A"]["level"] == expected


@pytest.mark.parametrize(
    ("disciplines", "expected"),
    [
        pytest.param([disc("khien_trach")], "KHT", id="nd48-any-discipline"),
        pytest.param(
            [disc("khien_trach", duty_related=False)], "KHT", id="nd48-party-or-admin-any"
        ),
        pytest.param([disc("khien_trach", self_remedied=True)], "KHT", id="nd48-no-self-remedy"),
        pytest.param(
            [disc("canh_cao", "2026-03-01", violation="V1", counted_year=2025)],
            "HTXS",
            id="nd48-violation-counted-last-year",
        ),
        pytest.param(
            [
                disc("khien_trach", "2025-11-20", violation="V1"),
                disc("canh_cao", "2026-02-01", violation="V1"),
            ],
            "HTXS",
            id="nd48-one-violation-one-year",
        ),
    ],
)
def test_discipline_veto_nd48(disciplines: list[dict[str, Any]], expected: str) -> None:
    """NĐ 48/2023: any Party or administrative discipline → KHT; one violation, one year."""
    d = run(NV, [ind("A", None, criteria=crit("xuat_sac"), disciplines=disciplines)])["A"]
    assert d["level"] == expected


def test_kxl_is_not_counted_in_quota() -> None:
    """A KXL subject is evaluated but not classified: out of every count (here the Party
    share of NĐ 90 Điều 2 k6: 20% of 4 classified is 0, of 5 it would be 1)."""
    subs = [ind("K", None, criteria=crit("xuat_sac"), absent_months=7, quota_group="G")]
    subs += [ind(f"B{i}", None, criteria=crit("tot"), quota_group="G") for i in range(3)]
    subs.append(ind("X", None, criteria=crit("xuat_sac"), quota_group="G"))
    ds = run(NV, subs, options={"party_shares": {"G": 0.2}})
    assert ds["K"]["level"] == "KXL"
    assert ds["X"]["level"] == "HTT"
    assert ds["X"]["trace"][-1]["reason"].endswith(
        "(20%): 1/4; chỉ giữ tối đa 0 mức HTXS, thấp hơn những người được giữ"
    )


def test_party_share_nd48() -> None:
    """NĐ 48/2023: the HTXS share of CBCCVC may not exceed the Party members' share."""
    subs = [ind(f"A{i}", 95 - i, criteria=crit("xuat_sac"), quota_group="G") for i in range(2)]
    subs += [ind(f"B{i}", None, criteria=crit("tot"), quota_group="G") for i in range(8)]
    ds = run(NV, subs, options={"party_shares": {"G": 0.1}})
    assert [ds["A0"]["level"], ds["A1"]["level"]] == ["HTXS", "HTT"]
    assert "không được vượt tỷ lệ HTXS của đảng viên (10%)" in ds["A1"]["trace"][-1]["reason"]
