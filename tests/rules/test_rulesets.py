"""Rule-sets as data: every shipped file loads, cites its sources, and bad files are
rejected with Vietnamese errors; organisations add their own without code."""

from __future__ import annotations

from pathlib import Path

import pytest

from thuocdo.rules import (
    RulesInputError,
    describe_ruleset,
    list_rulesets,
    load_ruleset,
)
from thuocdo.rules.ruleset import SHIPPED_DIR

from .helpers import batch, ind

SHIPPED = ["hn-3814-2018", "nd-335-2025", "nd-90-2020", "qd-124-2023", "qd-366-2025"]


def test_all_five_rulesets_are_shipped() -> None:
    assert [i.id for i in list_rulesets()] == SHIPPED


@pytest.mark.parametrize("rs_id", SHIPPED)
def test_every_rule_has_id_label_and_source(rs_id: str) -> None:
    rs = load_ruleset(rs_id)
    assert rs.rules
    for r in rs.rules:
        assert r.id and r.label and r.document
        assert r.source.startswith(r.document)
        if not r.confirmed:
            assert r.note


def _shipped_rules() -> list[tuple[str, str]]:
    return [(rs_id, r.id) for rs_id in SHIPPED for r in load_ruleset(rs_id).rules]


@pytest.mark.parametrize(("rs_id", "rule_id"), _shipped_rules())
def test_every_rule_names_document_and_article_or_says_why_not(rs_id: str, rule_id: str) -> None:
    """DESIGN §4.7.9: every rule names its document and article (khoản, điểm where known); a
    rule without a found basis says so (confirmed = false, with the reason)."""
    r = load_ruleset(rs_id).rule(rule_id)
    assert r.document.strip()
    if r.confirmed:
        assert r.article.strip(), f"{rs_id}/{rule_id} is confirmed but names no article"
        assert r.article in r.source
    else:
        assert len(r.note.strip()) > 20, f"{rs_id}/{rule_id} is unconfirmed without a reason"
        assert r.citation.endswith("— chưa xác nhận căn cứ")
    if r.quote:
        assert r.quote_lang in ("vi", "en", "ja")


def test_a_confirmed_rule_without_an_article_is_refused(tmp_path: Path) -> None:
    """A rule-set file may not present a rule as confirmed without naming its article."""
    text = (SHIPPED_DIR / "nd-335-2025.toml").read_text(encoding="utf-8")
    text = text.replace('id = "nd-335-2025"', 'id = "xx-2026"')
    cited = ', article = "Điều 20", clause = "khoản 4 điểm c"'
    assert cited in text
    path = tmp_path / "xx-2026.toml"
    path.write_text(text.replace(cited, ""), encoding="utf-8")
    with pytest.raises(RulesInputError) as exc:
        load_ruleset("xx-2026", extra_dir=tmp_path)
    assert exc.value.problems == [
        "Bộ quy tắc xx-2026.toml, quy tắc 'discipline-veto': quy tắc đã xác nhận phải nêu điều "
        "khoản căn cứ (source.article); nếu chưa tìm thấy, ghi confirmed = false và lý do "
        "trong 'note'"
    ]


def test_366_marks_carried_over_vetoes_as_unconfirmed() -> None:
    """DESIGN §4.4: 366's KHT cases carried over from 124, marked to be confirmed."""
    rs = load_ruleset("qd-366-2025")
    for rid in ("discipline-veto", "collective-discipline-veto", "subunits-discipline-veto"):
        r = rs.rule(rid)
        assert not r.confirmed and "124-QĐ/TW" in r.note


@pytest.mark.parametrize("rs_id", SHIPPED)
def test_show_prints_readable_vietnamese(rs_id: str) -> None:
    text = describe_ruleset(load_ruleset(rs_id))
    assert f"Bộ quy tắc: {rs_id}" in text and "Căn cứ:" in text


def test_unknown_ruleset_lists_available() -> None:
    with pytest.raises(RulesInputError) as exc:
        load_ruleset("qd-999")
    assert "Không có bộ quy tắc 'qd-999'" in exc.value.problems[0]
    assert "qd-366-2025" in exc.value.problems[0]


def _copy_with_bands(tmp_path: Path, new_id: str, bands: str) -> Path:
    text = (SHIPPED_DIR / "nd-335-2025.toml").read_text(encoding="utf-8")
    text = text.replace('id = "nd-335-2025"', f'id = "{new_id}"')
    text = text.replace("default = { HTXS = 90, HTT = 70, HTNV = 50 }", f"default = {bands}")
    path = tmp_path / f"{new_id}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_organisation_adds_its_own_ruleset_without_code(tmp_path: Path) -> None:
    """DESIGN §4.1: Khánh Hòa's 90/80/50 bands as a copied file in an extra directory."""
    from thuocdo.rules import classify_json

    _copy_with_bands(tmp_path, "kh-2024", "{ HTXS = 90, HTT = 80, HTNV = 50 }")
    assert "kh-2024" in [i.id for i in list_rulesets(extra_dir=tmp_path)]
    out = classify_json(batch("kh-2024", [ind("A", 75)]), extra_dir=tmp_path)
    assert out["decisions"][0]["level"] == "HTNV"


def test_env_var_adds_a_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """THUOCDO_RULESETS_DIR adds a directory of rule-sets."""
    _copy_with_bands(tmp_path, "kh-2024", "{ HTXS = 90, HTT = 80, HTNV = 50 }")
    monkeypatch.setenv("THUOCDO_RULESETS_DIR", str(tmp_path))
    assert load_ruleset("kh-2024").origin == "extra"


def test_extra_file_may_not_shadow_a_shipped_one(tmp_path: Path) -> None:
    (tmp_path / "nd-335-2025.toml").write_text(
        (SHIPPED_DIR / "nd-335-2025.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with pytest.raises(RulesInputError) as exc:
        load_ruleset("nd-335-2025", extra_dir=tmp_path)
    assert "trùng mã" in exc.value.problems[0]


def test_bad_ruleset_file_lists_every_problem(tmp_path: Path) -> None:
    """Validated on load with clear Vietnamese errors, all of them."""
    _copy_with_bands(tmp_path, "xau", "{ HTXS = 70, HTT = 80, HTNV = 50 }")
    p = tmp_path / "xau.toml"
    text = p.read_text(encoding="utf-8")
    text = text.replace('kind = "head_cap"', 'kind = "dau_vao"')
    text = text.replace('label = "Xếp loại theo khung điểm"\n', "")
    corruption = 'params = { kinds = ["corruption"], scope = "both" }'
    text = text.replace(corruption, "params = { kinds = 3 }")
    p.write_text(text, encoding="utf-8")
    with pytest.raises(RulesInputError) as exc:
        load_ruleset("xau", extra_dir=tmp_path)
    problems = "\n".join(exc.value.problems)
    assert "loại 'dau_vao' không được hỗ trợ" in problems
    assert "quy tắc 'score-band': thiếu hoặc sai trường 'label'" in problems
    assert "các ngưỡng phải giảm dần" in problems
    assert "tham số 'kinds'" in problems and "danh sách chuỗi ký tự" in problems
    assert len(exc.value.problems) >= 4


def test_invalid_toml_is_reported(tmp_path: Path) -> None:
    (tmp_path / "hong.toml").write_text("id = ", encoding="utf-8")
    with pytest.raises(RulesInputError) as exc:
        load_ruleset("hong", extra_dir=tmp_path)
    assert "tệp TOML không hợp lệ" in exc.value.problems[0]


def test_unknown_option_override_is_rejected() -> None:
    from thuocdo.rules import classify_json

    with pytest.raises(RulesInputError) as exc:
        classify_json(
            batch("qd-366-2025", [ind("A", 90)], options={"quota_bse": "x", "quota_base": "y"})
        )
    problems = "\n".join(exc.value.problems)
    assert "Tùy chọn 'quota_bse' không có" in problems


def test_bad_option_value_is_rejected() -> None:
    from thuocdo.rules import classify_json

    with pytest.raises(RulesInputError) as exc:
        classify_json(batch("qd-366-2025", [ind("A", 90)], options={"quota_base": "all"}))
    assert "tùy chọn 'quota_base'" in exc.value.problems[0]


def test_bands_overridable_per_batch() -> None:
    from thuocdo.rules import classify_json

    out = classify_json(
        batch("qd-366-2025", [ind("A", 85)], options={"bands": {"HTXS": 85, "HTT": 70, "HTNV": 50}})
    )
    assert out["decisions"][0]["level"] == "HTXS"
