"""The careers rules are pure: no Django, no clock; table-driven, no database."""

from __future__ import annotations

import ast
import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from thuocdo.careers import rules

D = Decimal
MODULE = Path(rules.__file__)


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_the_rules_import_neither_django_nor_any_module_that_does() -> None:
    names = _imports(MODULE)
    assert not [n for n in names if n.split(".")[0] in ("django", "rest_framework")]
    # Its only project imports are themselves pure.
    for name in (n for n in names if n.startswith("thuocdo.")):
        path = Path(__file__).parents[2] / (name.replace(".", "/") + ".py")
        assert not [n for n in _imports(path) if n.startswith("django")], name


def test_the_rules_do_not_read_the_clock() -> None:
    text = MODULE.read_text(encoding="utf-8")
    assert "today()" not in text and ".now(" not in text


def _lv(year: int, level: str) -> rules.YearLevel:
    return rules.YearLevel(year, level, "Công chức", "Hệ thống")


@pytest.mark.parametrize(
    ("levels", "flagged"),
    [
        ([(2025, "KHT"), (2026, "KHT")], True),
        ([(2024, "KHT"), (2026, "KHT")], False),
        ([(2025, "KHT"), (2026, "HTNV")], False),
        ([(2026, "KHT")], False),
        ([(2024, "KHT"), (2025, "KHT")], False),  # flagged for 2025, not 2026
    ],
)
def test_kht_two_years_running(levels: list[tuple[int, str]], flagged: bool) -> None:
    found = rules.fail_two_years([_lv(y, lv) for y, lv in levels], 2026)
    assert (found is not None) is flagged


@pytest.mark.parametrize(
    ("levels", "year", "expected"),
    [
        pytest.param([(2026, "KHT", "civil_servant")], 2026, ["fail-one-year"], id="cc-2026-one"),
        pytest.param([(2025, "KHT", "civil_servant")], 2025, [], id="cc-2025-one-not-yet"),
        pytest.param(
            [(2024, "KHT", "civil_servant"), (2025, "KHT", "civil_servant")],
            2025,
            ["fail-two-years"],
            id="cc-before-2026-two-running",
        ),
        pytest.param(
            [(2025, "KHT", "civil_servant"), (2026, "KHT", "civil_servant")],
            2026,
            ["fail-one-year", "fail-two-years"],
            id="cc-2026-also-two-running",
        ),
        pytest.param([(2026, "KHT", "party_member")], 2026, [], id="party-member-one-year"),
        pytest.param([(2026, "KHT", "public_employee")], 2026, [], id="vien-chuc-one-year"),
        pytest.param([(2026, "HTNV", "civil_servant")], 2026, [], id="cc-2026-htnv"),
    ],
)
def test_kht_consequences_from_2026(
    levels: list[tuple[int, str, str]], year: int, expected: list[str]
) -> None:
    """DESIGN §4.7.8. Luật Cán bộ, công chức 2025, Điều 27 k1 c (EN, Lao Động): "Consider and
    arrange to a lower job position or dismiss in cases of failure to complete the task" — one
    year KHT for a công chức from 2026; before, two years running (Luật 52/2019)."""
    found = rules.person_flags(
        year=year,
        levels=[rules.YearLevel(y, lv, g, "Hệ thống", g) for y, lv, g in levels],
        votes=[],
        targets=[],
    )
    assert [f.rule for f in found] == expected
    for flag in found:
        if flag.rule == "fail-one-year":
            assert flag.source.startswith("Luật Cán bộ, công chức 2025, Điều 27, khoản 1 điểm c")
            assert flag.reason == (
                f"Công chức xếp loại Không hoàn thành nhiệm vụ năm {year}: xem xét bố trí vào vị "
                "trí việc làm thấp hơn hoặc cho thôi việc."
            )


@pytest.mark.parametrize(
    ("met", "assigned", "flagged"), [(6, 10, True), (7, 10, False), (0, 0, False)]
)
def test_head_targets_under_seventy_percent(met: int, assigned: int, flagged: bool) -> None:
    found = rules.head_targets_under([rules.TargetFact("Quận Một", 2026, met, assigned)], 2026)
    assert (found is not None) is flagged


def _facts(**extra: object) -> rules.CandidateFacts:
    base: dict[str, object] = {
        "key": 1,
        "name": "Nguyễn Thị Hồng Nhung",
        "birth_date": datetime.date(1990, 3, 15),
        "female": True,
        "minority": False,
        "levels": {2023: "HTT", 2024: "HTXS", 2025: "HTT"},
    }
    base.update(extra)
    return rules.CandidateFacts(**base)  # type: ignore[arg-type]


DEFAULTS = rules.rules_parse(list(rules.DEFAULT_RULES))
ON = datetime.date(2026, 1, 1)


@pytest.mark.parametrize(
    ("extra", "why"),
    [
        ({}, []),
        ({"levels": {2023: "HTT", 2024: "HTNV", 2025: "HTT"}}, [("min-level-years", 2024)]),
        ({"levels": {2024: "HTT", 2025: "HTT"}}, [("min-level-years", 2023)]),
        ({"low_confidence_years": (2025,)}, [("no-low-confidence", 2025)]),
        ({"birth_date": datetime.date(1975, 1, 1)}, [("max-age", None)]),
        ({"birth_date": datetime.date(1975, 1, 2)}, []),  # 50 on the first day of the term
    ],
)
def test_eligibility_says_which_rule_and_which_year(
    extra: dict[str, object], why: list[tuple[str, int | None]]
) -> None:
    result = rules.eligibility(_facts(**extra), DEFAULTS, last_year=2025, on=ON)
    assert [(r.rule, r.year) for r in result.reasons] == why
    assert result.eligible is (not why)


def test_rules_as_data_are_checked_with_every_problem_listed() -> None:
    with pytest.raises(rules.RuleError) as error:
        rules.rules_parse([{"rule": "nope"}, {"rule": "max-age", "age": 5, "source": "x"}, {}])
    assert len(error.value.problems) == 3


def test_structure_counts_bands_women_and_minorities_and_warns() -> None:
    people = [
        _facts(key=1, birth_date=datetime.date(1990, 1, 1)),  # 36
        _facts(key=2, birth_date=datetime.date(1980, 1, 1), female=False, minority=True),  # 46
        _facts(key=3, birth_date=datetime.date(1970, 1, 1), female=False),  # 56
    ]
    targets = rules.StructureTargets(
        women_min=D("0.4"), ratio_min=D(2), band_min={"Dưới 40 tuổi": 2}
    )
    s = rules.structure(people, posts=1, on=ON, targets=targets)
    assert s.bands == (("Dưới 40 tuổi", 1), ("Từ 40 đến 50 tuổi", 1), ("Trên 50 tuổi", 1))
    assert (s.women_share, s.minority_share, s.ratio) == ("33,33%", "33,33%", "3")
    assert s.warnings == (
        "Tỷ lệ nữ 33,33% (1/3), dưới mục tiêu 40%.",
        "Độ tuổi «Dưới 40 tuổi»: 1 người, dưới mục tiêu 2 người.",
    )


@pytest.mark.parametrize(
    ("held", "gaps"),
    [
        ([], ["Lý luận chính trị Cao cấp", "Quản lý nhà nước Chuyên viên chính"]),
        (
            [("political_theory", "Trung cấp")],
            ["Lý luận chính trị Cao cấp", "Quản lý nhà nước Chuyên viên chính"],
        ),
        ([("political_theory", "Cao cấp"), ("state_management", "Chuyên viên cao cấp")], []),
    ],
)
def test_training_gaps(held: list[tuple[str, str]], gaps: list[str]) -> None:
    required = [
        rules.Standard("political_theory", "Cao cấp"),
        rules.Standard("state_management", "Chuyên viên chính"),
    ]
    assert rules.training_gaps(held, required) == gaps
