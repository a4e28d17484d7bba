"""The corrections of DESIGN §4.7 (items 3–7), each table-driven and citing the article and
the quote it rests on (from legal-basis.md; article numbers as the cited pages give them).
No database: the engine alone."""

from __future__ import annotations

from typing import Any

import pytest

from thuocdo.rules import load_ruleset

from .helpers import col, crit, ind, rules_in_trace, run

ND335, ND90, QD124, QD366, HN = (
    "nd-335-2025",
    "nd-90-2020",
    "qd-124-2023",
    "qd-366-2025",
    "hn-3814-2018",
)


def _finding(kind: str = "corruption", date: str = "2026-05-10", **kw: Any) -> dict[str, Any]:
    return {"kind": kind, "date": date, **kw}


# -- §4.7.3 NĐ 335 -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("targets", "unit_level", "head_level"),
    [
        pytest.param({"assigned": 10, "met": 3, "main_missed": 1}, "HTXS", "HTXS", id="30pct"),
        pytest.param({"assigned": 10, "met": 0, "main_missed": 5}, "HTXS", "HTXS", id="none-met"),
    ],
)
def test_nd335_has_no_targets_veto(targets: dict[str, int], unit_level: str, head_level: str):
    """NĐ 335 Điều 20 k4 lists the KHT cases of a công chức as a closed list ("một trong các
    trường hợp sau", points a–d) and none is about targets: missed targets change nothing."""
    ds = run(ND335, [col("U", 95, targets=targets), ind("H", 95, heads="U")])
    assert (ds["U"]["level"], ds["H"]["level"]) == (unit_level, head_level)
    assert all(r.kind != "targets_veto" for r in load_ruleset(ND335).rules)


@pytest.mark.parametrize(
    ("subjects", "expected", "in_reason"),
    [
        pytest.param(
            [col("U", 95, findings=[_finding()]), ind("H", 95, heads="U", name="Trần Văn Hải")],
            "KHT",
            "Đơn vị U thuộc thẩm quyền phụ trách, quản lý trực tiếp có kết luận về tham ô, "
            "tham nhũng, lãng phí và đã bị xử lý theo quy định của pháp luật ngày 10/05/2026",
            id="k4d-unit-headed",
        ),
        pytest.param(
            [
                col("U", 95, name="UBND quận Một"),
                col("U1", 95, parent="U", findings=[_finding()], name="Phòng Tài chính"),
                ind("H", 95, heads="U"),
            ],
            "KHT",
            "Đơn vị Phòng Tài chính thuộc thẩm quyền phụ trách, quản lý trực tiếp",
            id="k4d-unit-under-the-head",
        ),
        pytest.param(
            [col("L", 95, findings=[_finding()]), ind("D", 95, leads=["L"])],
            "KHT",
            "Đơn vị L thuộc thẩm quyền phụ trách",
            id="k4d-unit-in-charge-of-a-deputy",
        ),
        pytest.param(
            [col("U", 95, findings=[_finding(date="2025-12-01")]), ind("H", 95, heads="U")],
            "HTXS",
            None,
            id="k4d-previous-year",
        ),
        pytest.param(
            [col("U", 95, findings=[_finding(concluded=False)]), ind("H", 95, heads="U")],
            "HTXS",
            None,
            id="k4d-not-handled-yet",
        ),
        pytest.param(
            [col("U", 95, findings=[_finding("degradation")]), ind("H", 95, heads="U")],
            "HTXS",
            None,
            id="k4d-other-finding-of-the-unit",
        ),
        pytest.param(
            [col("U", 95, findings=[_finding()]), ind("H", 95, unit="U")],
            "HTXS",
            None,
            id="k4d-a-member-who-leads-nothing",
        ),
    ],
)
def test_nd335_leader_veto_dieu_20_k4_d(
    subjects: list[dict[str, Any]], expected: str, in_reason: str | None
) -> None:
    """NĐ 335 Điều 20 k4 d: "Cơ quan, tổ chức, đơn vị thuộc thẩm quyền phụ trách, quản lý trực
    tiếp liên quan đến tham ô, tham nhũng, lãng phí và bị xử lý theo quy định của pháp luật"
    → the leader KHT."""
    person = subjects[-1]["id"]
    d = run(ND335, subjects)[person]
    assert d["level"] == expected
    if in_reason:
        assert d["trace"][-1]["rule"] == "leader-corruption-veto"
        assert in_reason in d["trace"][-1]["reason"]
        assert d["trace"][-1]["source"] == "Nghị định 335/2025/NĐ-CP, Điều 20, khoản 4 điểm d"


@pytest.mark.parametrize("months", [3, 5.9, 6, 9, 12])
def test_nd335_has_no_absence_thresholds(months: float) -> None:
    """NĐ 335 Điều 21 k3 (EN, Lao Động): "the ranking is carried out based on the total score …
    for the actual period of civil servant work in the year" — no 3 or 6 months threshold:
    the score of the time worked decides."""
    d = run(ND335, [ind("A", None, period_scores=[95, 93], absent_months=months)])["A"]
    assert d["level"] == "HTXS" and rules_in_trace(d) == ["score-band"]


@pytest.mark.parametrize(
    ("options", "expected", "flags"),
    [
        pytest.param({}, "HTXS", [], id="off-by-default"),
        pytest.param({"head_cap": True}, "HTT", ["rule_unconfirmed"], id="option-on"),
    ],
)
def test_nd335_head_cap_is_an_option_off_by_default(
    options: dict[str, Any], expected: str, flags: list[str]
) -> None:
    """DESIGN §4.7.3: the head cap is the Party's principle (HD 21 §II.B tiết 4: "Mức xếp loại
    của người đứng đầu không được cao hơn…"), not NĐ 335's; the decree ties the leader to the
    unit through the unit-results component of the score instead."""
    ds = run(ND335, [col("U", 72), ind("H", 95, heads="U")], options=options)
    assert ds["H"]["level"] == expected and ds["H"]["flags"] == flags


@pytest.mark.parametrize(
    ("base", "kept"),
    [
        pytest.param(None, 5, id="default-good-and-above-5-of-25"),
        pytest.param("good_only", 4, id="literal-good-only-4-of-20-htt"),
    ],
)
def test_nd335_quota_base_dieu_20_k5_a(base: str | None, kept: int) -> None:
    """NĐ 335 Điều 20 k5 a: "không vượt quá 20% tổng số công chức được xếp loại 'Hoàn thành tốt
    nhiệm vụ' … và trong từng nhóm công chức có nhiệm vụ tương đồng". DESIGN §4.7.1 keeps the
    default good_and_above (Cần Thơ 2021); good_only, the literal wording, is the option."""
    subs = [ind(f"X{i}", 95 - i, quota_group="CC:U:G") for i in range(5)]
    subs += [ind(f"H{i}", 80, quota_group="CC:U:G") for i in range(20)]
    ds = run(ND335, subs, options={"quota_base": base} if base else {})
    assert sum(d["level"] == "HTXS" for d in ds.values()) == kept


# -- §4.7.4 the State–Party link (HD 21) --------------------------------------------------------


@pytest.mark.parametrize("rs", [QD124, QD366])
@pytest.mark.parametrize(
    ("party_score", "state_level", "expected", "rule"),
    [
        pytest.param(95, "HTXS", "HTXS", None, id="htxs-both"),
        pytest.param(95, "HTT", "HTT", "state-htxs-condition", id="htxs-needs-state-htxs"),
        pytest.param(95, "HTNV", "HTT", "state-htxs-condition", id="state-htnv-party-htt"),
        pytest.param(80, "HTNV", "HTT", None, id="no-general-cap"),
        pytest.param(95, "KHT", "KHT", "state-kht-veto", id="state-kht-party-kht"),
        pytest.param(60, "KHT", "KHT", "state-kht-veto", id="state-kht-below-htt"),
        pytest.param(95, None, "HTXS", None, id="not-a-cbccvc"),
    ],
)
def test_state_party_link_hd21(
    rs: str, party_score: float, state_level: str | None, expected: str, rule: str | None
) -> None:
    """HD 21-HD/BTCTW §II 2.3 a: "Đảng viên là cán bộ, công chức, viên chức phải được xếp loại
    cán bộ, công chức, viên chức 'Hoàn thành xuất sắc nhiệm vụ'" (for party HTXS), and KHT as
    CBCCVC is a party-KHT case. No general "not higher than" rule: HTNV as CBCCVC leaves HTT."""
    subject = ind("A", party_score if rs == QD366 else None, state_level=state_level)
    if rs == QD124:
        subject["criteria"] = crit("xuat_sac") if party_score >= 90 else crit("tot")
        if party_score < 70:
            subject["criteria"] = crit("trung_binh", "trung_binh")
    d = run(rs, [subject])["A"]
    assert d["level"] == expected
    assert (d["trace"][-1]["rule"] if rule else None) == rule
    assert all(r.kind != "state_level_cap" for r in load_ruleset(rs).rules)


# -- §4.7.5 NĐ 90 + NĐ 48 (viên chức) ---------------------------------------------------------


def test_nd90_has_no_20pct_quota() -> None:
    """NĐ 90 Điều 2 k6 (added by NĐ 48): the only cap is "không quá tỷ lệ đảng viên được xếp loại
    'Hoàn thành xuất sắc nhiệm vụ'"; no 20%-of-HTT rule. Without the Party share: no limit."""
    subs = [ind(f"X{i}", None, criteria=crit("xuat_sac"), quota_group="G") for i in range(5)]
    subs.append(ind("B", None, criteria=crit("tot"), quota_group="G"))
    ds = run(ND90, subs)
    assert sum(d["level"] == "HTXS" for d in ds.values()) == 5


@pytest.mark.parametrize(
    ("share", "n_htxs", "n_other", "kept"),
    [
        pytest.param(0.25, 3, 5, 2, id="25pct-of-8-is-2"),
        pytest.param(0.25, 2, 6, 2, id="exactly-the-share"),
        pytest.param(0.0, 2, 6, 0, id="no-party-member-htxs"),
        pytest.param(0.5, 6, 2, 4, id="half-of-8"),
    ],
)
def test_nd90_party_share_dieu_2_k6(share: float, n_htxs: int, n_other: int, kept: int) -> None:
    """NĐ 90 Điều 2 k6: "Tỷ lệ cán bộ, công chức, viên chức xếp loại 'Hoàn thành xuất sắc nhiệm
    vụ' trong tổng số … không quá tỷ lệ đảng viên được xếp loại 'Hoàn thành xuất sắc nhiệm vụ'"
    — counted over all those classified in the group ("trong tổng số")."""
    subs = [ind(f"X{i}", 99 - i, criteria=crit("xuat_sac"), quota_group="G") for i in range(n_htxs)]
    subs += [ind(f"B{i}", None, criteria=crit("tot"), quota_group="G") for i in range(n_other)]
    ds = run(ND90, subs, options={"party_shares": {"G": share}})
    assert sum(d["level"] == "HTXS" for d in ds.values()) == kept


_UNIT = {
    "HTXS": crit("xuat_sac", "tot"),
    "HTT": crit("tot", "tot"),
    "HTNV": crit("trung_binh", "trung_binh"),
    "KHT": {**crit("kem", "tot"), "style": "kem", "ethics": "kem"},
}


@pytest.mark.parametrize(
    ("units", "targets", "expected", "rule"),
    [
        pytest.param(["HTXS", "HTT", "HTT", "HTT"], None, "HTXS", None, id="all-good"),
        pytest.param(["HTT", "HTT", "HTT", "HTNV"], None, "HTXS", None, id="75pct-good"),
        pytest.param(
            ["HTT", "HTT", "HTNV", "HTNV"], None, "HTNV", "htt-managed-units", id="50pct-good"
        ),
        pytest.param(
            ["HTT", "HTT", "HTT", "KHT"], None, "HTNV", "htt-managed-units", id="one-unit-kht"
        ),
        pytest.param(
            ["HTT", "HTT", "KHT", "KHT"], None, "KHT", "htnv-managed-units", id="half-kht"
        ),
        pytest.param(["HTT"] * 4, (16, 20), "HTXS", None, id="targets-80pct"),
        pytest.param(["HTT"] * 4, (15, 20), "HTNV", "htt-managed-units", id="targets-75pct"),
        pytest.param(["HTT"] * 4, (14, 20), "KHT", "htnv-managed-units", id="targets-70pct"),
    ],
)
def test_nd90_manager_conditions_gate_htt_and_htnv(
    units: list[str], targets: tuple[int, int] | None, expected: str, rule: str | None
) -> None:
    """NĐ 90 Điều 12 k2 d (HTXS), Điều 13 k2 d (HTT): "100% cơ quan, tổ chức, đơn vị thuộc thẩm
    quyền phụ trách, quản lý trực tiếp được đánh giá hoàn thành nhiệm vụ trở lên, trong đó ít
    nhất 70% hoàn thành tốt hoặc hoàn thành xuất sắc nhiệm vụ", HTT also ≥ 80% of the unit's
    targets; Điều 14 k2 c–d (HTNV): > 70% of targets and ≥ 70% of units HTNV or better."""
    unit: dict[str, Any] = col("U", None, criteria=crit("xuat_sac"))
    if targets is not None:
        unit["targets"] = {"assigned": targets[1], "met": targets[0], "main_missed": 0}
    subs = [unit]
    subs += [col(f"U{i}", None, parent="U", criteria=_UNIT[lv]) for i, lv in enumerate(units)]
    subs.append(ind("M", None, criteria=crit("xuat_sac"), heads="U"))
    d = run(ND90, subs)["M"]
    assert d["level"] == expected
    assert (rules_in_trace(d)[-1] if rule else None) == rule


@pytest.mark.parametrize(
    ("targets", "expected", "rule"),
    [
        pytest.param(
            {"assigned": 10, "met": 4, "main_missed": 0}, "KHT", "targets-veto", id="no-main-missed"
        ),
        pytest.param(
            {"assigned": 10, "met": 4, "main_missed": 0, "force_majeure": True},
            "KHT",
            "targets-veto",
            id="no-force-majeure-exception",
        ),
        pytest.param(
            {"assigned": 10, "met": 5, "main_missed": 0},
            "KHT",
            "htnv-managed-units",
            id="half-met-fails-htnv-not-the-veto",
        ),
        pytest.param({"assigned": 10, "met": 8, "main_missed": 2}, "HTXS", None, id="80pct"),
    ],
)
def test_nd90_targets_veto_without_main_targets(
    targets: dict[str, Any], expected: str, rule: str | None
) -> None:
    """NĐ 90 Điều 15 k2 c (EN, LawNet): "Units or fields of work assigned to be in charge
    completing less than 50% of targets and tasks" → the manager KHT; no "main targets missed"
    condition and no force-majeure exception (50% is not under 50%, but fails HTNV's "> 70%",
    Điều 14 k2 c)."""
    ds = run(
        ND90,
        [col("U", None, criteria=crit("tot"), targets=targets), ind("M", None, **_leader())],
    )
    assert ds["M"]["level"] == expected
    assert (ds["M"]["trace"][-1]["rule"] if rule else None) == rule
    assert ds["U"]["level"] == "HTT"  # NĐ 90 classifies the manager, not the unit


def _leader() -> dict[str, Any]:
    return {"criteria": crit("xuat_sac"), "heads": "U"}


@pytest.mark.parametrize(
    ("months", "maternity", "expected"),
    [
        pytest.param(2.9, False, "HTXS", id="under-3"),
        pytest.param(3, False, "HTNV", id="3-months-cap"),
        pytest.param(5.9, False, "HTNV", id="under-6-cap"),
        pytest.param(6, False, "HTXS", id="exactly-6-classified"),
        pytest.param(6.5, False, "KXL", id="over-6-not-classified"),
        pytest.param(12, False, "KXL", id="whole-year"),
        pytest.param(8, True, "HTXS", id="maternity-time-worked"),
    ],
)
def test_nd90_absence_dieu_2_k3(months: float, maternity: bool, expected: str) -> None:
    """NĐ 90 Điều 2 k3: "nghỉ không tham gia công tác … từ 03 tháng đến dưới 06 tháng thì vẫn
    thực hiện đánh giá nhưng không xếp loại chất lượng ở mức hoàn thành tốt nhiệm vụ trở lên";
    the 6 months that make a person unclassified are months worked ("chưa đủ 06 tháng"), so
    exactly 6 months away is classified (DESIGN §4.7.5)."""
    subject = ind("A", None, criteria=crit("xuat_sac"), absent_months=months, maternity=maternity)
    assert run(ND90, [subject])["A"]["level"] == expected


@pytest.mark.parametrize(
    ("criteria", "expected", "in_reason"),
    [
        pytest.param(crit("xuat_sac", "tot"), "HTXS", "0/5 tiêu chí chưa đạt", id="htxs"),
        pytest.param(crit("tot", "tot"), "HTT", "0/5", id="htt"),
        pytest.param({**crit("tot"), "ethics": "trung_binh"}, "HTNV", "0/5", id="trung-binh-met"),
        pytest.param(
            {**crit("xuat_sac"), "style": "kem"},
            "HTNV",
            "1/5 tiêu chí chưa đạt (20%",
            id="one-kem-20pct",
        ),
        pytest.param(crit("kem", "tot"), "HTNV", "1/5", id="results-kem-20pct"),
        pytest.param({**crit("kem"), "style": "kem"}, "KHT", "2/5", id="two-kem-40pct"),
        pytest.param(
            {**crit("kem"), "style": "kem", "ethics": "kem"}, "KHT", "3/5", id="three-kem-60pct"
        ),
    ],
)
def test_nd90_criteria_by_share_not_met(
    criteria: dict[str, str], expected: str, in_reason: str
) -> None:
    """NĐ 90 Điều 14 (HTNV): "không quá 20% tiêu chí chưa bảo đảm chất lượng, tiến độ hoặc hiệu
    quả thấp"; Điều 15 (KHT): more than 50% not met. A criterion rated kém is not met; over 20%
    fails HTNV and so is KHT (DESIGN §4.7.5; before, any kém was KHT)."""
    d = run(ND90, [ind("A", None, criteria=criteria)])["A"]
    assert d["level"] == expected
    assert in_reason in d["trace"][0]["reason"]
    assert d["trace"][0]["reason"].endswith(f"→ {expected}")


@pytest.mark.parametrize("options", [{}, {"head_cap": True}])
def test_nd90_head_cap_is_an_option_off_by_default(options: dict[str, Any]) -> None:
    """DESIGN §4.7.3: NĐ 90 Điều 2 k2 only ties a manager to the unit's results (EN, LawNet:
    "must be associated with the results of task performance"); the cap is an option."""
    ds = run(
        ND90, [col("U", None, criteria=crit("tot")), ind("H", None, **_leader())], options=options
    )
    assert ds["H"]["level"] == ("HTT" if options else "HTXS")


# -- §4.7.6 QĐ 124 and QĐ 366 ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("subunits", "expected", "rule"),
    [
        pytest.param({"total": 10, "disciplined": 0}, "HTXS", None, id="none"),
        pytest.param(
            {"total": 10, "disciplined": 1}, "KHT", "subunit-violation-veto", id="one-of-ten"
        ),
        pytest.param(
            {"total": 10, "disciplined": 1, "self_remedied": 1}, "HTXS", None, id="self-remedied"
        ),
        pytest.param(
            {"total": 10, "disciplined": 3, "self_remedied": 3},
            "KHT",
            "subunits-discipline-veto",
            id="over-20pct-even-if-remedied",
        ),
    ],
)
def test_qd124_any_disciplined_subunit(
    subunits: dict[str, int], expected: str, rule: str | None
) -> None:
    """QĐ 124 Điều 12, KHT of a collective: "Có đơn vị trực thuộc xảy ra vụ việc tham nhũng,
    lãng phí, tiêu cực hoặc các vi phạm khác bị xử lý kỷ luật" — any subordinate unit, unless
    it detected the violation itself and remedied it; "trên 20% số đơn vị trực thuộc bị kỷ
    luật" stays a case of its own."""
    d = run(QD124, [col("C", None, criteria=crit("xuat_sac"), subunits=subunits)])["C"]
    assert d["level"] == expected
    assert (d["trace"][-1]["rule"] if rule else None) == rule


@pytest.mark.parametrize(
    ("tasks", "expected"),
    [
        pytest.param((10, 10, 10, 5), "HTXS", id="100pct-on-time-50pct-exceeded"),
        pytest.param((10, 10, 10, 4), "HTT", id="under-50pct-exceeded"),
        pytest.param((10, 10, 9, 9), "HTT", id="not-all-on-time"),
    ],
)
def test_qd124_individual_htxs_tasks(tasks: tuple[int, int, int, int], expected: str) -> None:
    """QĐ 124 Điều 12, HTXS of an individual (legal-basis.md: "100 % of targets on time and
    ≥ 50 % exceeded")."""
    a, c, o, e = tasks
    t = {"assigned": a, "completed": c, "on_time": o, "exceeded": e}
    assert (
        run(QD124, [ind("A", None, criteria=crit("xuat_sac"), tasks=t)])["A"]["level"] == expected
    )


@pytest.mark.parametrize(
    ("shortcomings", "expected"),
    [
        pytest.param({"total": 3, "remedied": 3}, "HTXS", id="all-remedied"),
        pytest.param({"total": 3, "remedied": 2}, "HTT", id="one-left"),
        pytest.param({"total": 0, "remedied": 0}, "HTXS", id="none-pointed-out"),
        pytest.param(None, "HTXS", id="not-given"),
    ],
)
def test_qd366_htxs_needs_shortcomings_remedied(
    shortcomings: dict[str, int] | None, expected: str
) -> None:
    """QĐ 366 Điều 11 k1: HTXS also needs "Đã khắc phục 100% các hạn chế, khuyết điểm …"."""
    extra = {"shortcomings": shortcomings} if shortcomings is not None else {}
    d = run(QD366, [ind("A", 95, **extra)])["A"]
    assert d["level"] == expected
    if expected == "HTT":
        assert d["trace"][-1]["reason"] == (
            "Chưa đủ điều kiện mức HTXS: 2/3 hạn chế, khuyết điểm đã được khắc phục (66,7% < 100%)"
        )


@pytest.mark.parametrize(
    "rule_id",
    [
        "discipline-veto",
        "collective-discipline-veto",
        "subunits-discipline-veto",
        "degradation-veto",
        "targets-veto",
    ],
)
def test_qd366_carried_vetoes_stay_to_be_confirmed(rule_id: str) -> None:
    """DESIGN §4.7.6: the KHT cases of 366 (Điều 11 k4) were not read; the vetoes carried from
    124 Điều 12, degradation and targets included, are marked to be confirmed, and a level they
    change is flagged."""
    rule = load_ruleset(QD366).rule(rule_id)
    assert not rule.confirmed and "124-QĐ/TW" in rule.note and rule.document == "Quy định 124-QĐ/TW"


def test_qd366_a_carried_veto_flags_the_decision() -> None:
    """A KHT given by a carried veto carries rule_unconfirmed for the authority to see."""
    d = run(QD366, [ind("A", 95, findings=[_finding("degradation")])])["A"]
    assert d["level"] == "KHT" and d["flags"] == ["rule_unconfirmed"]
    assert d["trace"][-1]["confirmed"] is False


# -- §4.7.7 Hà Nội 3814 --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "n_a", "outstanding", "kept", "warned"),
    [
        pytest.param(10, 4, True, 4, 0, id="outstanding-40pct-of-all"),
        pytest.param(10, 5, True, 5, 5, id="outstanding-over-40pct-warns"),
        pytest.param(10, 8, True, 8, 8, id="outstanding-80pct-warns-still"),
        pytest.param(10, 5, False, 3, 0, id="ordinary-30pct-refuses"),
    ],
)
def test_hn3814_40pct_is_a_warning(
    n: int, n_a: int, outstanding: bool, kept: int, warned: int
) -> None:
    """QĐ 3814-QĐ/TU: "Tỷ lệ … A không quá 30% tổng số … được xếp loại. Trường hợp … thành tích
    đặc biệt xuất sắc, nổi trội … cũng không nên vượt quá 40% tổng số … của cơ quan, đơn vị" —
    the 40% is counted over all the unit's staff and is guidance: a warning, not a refusal."""
    subs = [ind(f"A{i}", 99 - i, quota_group="U") for i in range(n_a)]
    subs += [ind(f"B{i}", 60, quota_group="U") for i in range(n - n_a)]
    opts = {"outstanding_groups": ["U"]} if outstanding else {}
    ds = run(HN, subs, options=opts, period=None)
    assert sum(d["level"] == "HTXS" for d in ds.values()) == kept
    flagged = [d for d in ds.values() if "quota_warning" in d["flags"]]
    assert len(flagged) == warned
    if warned:
        assert flagged[0]["trace"][-1]["reason"].startswith(
            f"Đơn vị tiêu biểu U: {n_a}/{n} người xếp mức HTXS, vượt 40% tổng số (4 người)"
        )
