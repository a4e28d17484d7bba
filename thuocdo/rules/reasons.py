"""Renderers of the Vietnamese reasons; a trace step stores one of these and its facts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from .fmt import vn_date, vn_number, vn_percent, vn_score, vn_threshold
from .levels import DISCIPLINE_FORM_LABELS, FINDING_KINDS, RATING_LABELS


def band(score: Decimal, lo: Decimal | None, hi: Decimal | None) -> str:
    """Tổng điểm 93,0 ≥ 90 / 75,0 ≥ 70 và < 90 / 40,0 < 50."""
    s = vn_score(score)
    if lo is None:
        return f"Tổng điểm {s} < {vn_threshold(hi or Decimal(0))}"
    if hi is None:
        return f"Tổng điểm {s} ≥ {vn_threshold(lo)}"
    return f"Tổng điểm {s} ≥ {vn_threshold(lo)} và < {vn_threshold(hi)}"


def criteria(level_name: str, items: tuple[tuple[str, str], ...]) -> str:
    """Level from the criterion ratings."""
    shown = "; ".join(f"{label}: {RATING_LABELS[r]}" for label, r in items)
    return f"Theo mức đánh giá các tiêu chí ({shown}) → {level_name}"


def criteria_share(
    level_name: str,
    items: tuple[tuple[str, str], ...],
    failed: int,
    total: int,
    htnv_max: Fraction | None,
    kht_over: Fraction | None,
) -> str:
    """Level from the share of criteria not met (NĐ 90 Điều 14, 15)."""
    shown = "; ".join(f"{label}: {RATING_LABELS[r]}" for label, r in items)
    pct = vn_percent(Fraction(failed, total)) if total else "0%"
    limits = []
    if htnv_max is not None:
        limits.append(f"HTNV khi không quá {vn_percent(htnv_max)}")
    if kht_over is not None:
        limits.append(f"KHT khi trên {vn_percent(kht_over)}")
    return (
        f"Theo mức đánh giá các tiêu chí ({shown}): {failed}/{total} tiêu chí chưa đạt ({pct}; "
        f"{', '.join(limits)}) → {level_name}"
    )


def ratio_fact(what: str, n: int, total: int, limit: Fraction, at_least: bool) -> str:
    """One failed ratio condition, e.g. "11/12 nhiệm vụ ... (91,7% < 100%)"."""
    pct = vn_percent(Fraction(n, total))
    op = "<" if at_least else ">"
    return f"{n}/{total} {what} ({pct} {op} {vn_percent(limit)})"


def not_met(level_name: str, facts: tuple[object, ...]) -> str:
    """Conditions of a level not met; a fact is a text or (prefix, what, n, total, limit,
    at_least) rendered by ratio_fact."""
    shown = [
        f if isinstance(f, str) else f[0] + ratio_fact(*f[1:])  # type: ignore[index]
        for f in facts
    ]
    return f"Chưa đủ điều kiện mức {level_name}: " + "; ".join(shown)


def discipline(items: tuple[tuple[str, dt.date], ...]) -> str:
    """Bị kỷ luật khiển trách ngày 01/06/2026."""
    return "Bị kỷ luật " + "; ".join(
        f"{DISCIPLINE_FORM_LABELS[form]} ngày {vn_date(d)}" for form, d in items
    )


def collective_discipline(items: tuple[tuple[str, dt.date], ...]) -> str:
    """Tập thể bị kỷ luật ..."""
    return "Tập thể bị kỷ luật " + "; ".join(
        f"{DISCIPLINE_FORM_LABELS[form]} ngày {vn_date(d)}" for form, d in items
    )


def discipline_not_counted(form: str, d: dt.date, why: str) -> str:
    """A discipline that does not count, and why."""
    return f"Kỷ luật {DISCIPLINE_FORM_LABELS[form]} ngày {vn_date(d)} không tính: {why}"


def subunits_disciplined(n: int, total: int, limit: Fraction) -> str:
    """More than the allowed share of subordinate units disciplined."""
    pct = vn_percent(Fraction(n, total))
    return f"Có {n}/{total} đơn vị trực thuộc bị kỷ luật ({pct} > {vn_percent(limit)})"


def subunits_violations(n: int, total: int, remedied: int) -> str:
    """Subordinate units with a disciplined violation not self-detected and remedied."""
    also = (
        f" (không tính {remedied} đơn vị tự phát hiện và khắc phục xong hậu quả)"
        if remedied
        else ""
    )
    return f"Có {n}/{total} đơn vị trực thuộc có vi phạm bị xử lý kỷ luật{also}"


def led_unit_finding(unit: str, kind: str, d: dt.date) -> str:
    """A unit under the leader's direct charge with a concluded finding."""
    return (
        f"Đơn vị {unit} thuộc thẩm quyền phụ trách, quản lý trực tiếp có kết luận về "
        f"{FINDING_KINDS[kind]} ngày {vn_date(d)}"
    )


def finding(kind: str, d: dt.date) -> str:
    """A competent conclusion of degradation."""
    return f"Có kết luận của cấp có thẩm quyền về {FINDING_KINDS[kind]} ngày {vn_date(d)}"


def targets(who: str, met: int, assigned: int, limit: Fraction, main_missed: int) -> str:
    """Under half of the targets with main targets missed."""
    pct = vn_percent(Fraction(met, assigned))
    main = f" và không đạt {main_missed} chỉ tiêu chủ yếu" if main_missed else ""
    return f"{who} chỉ hoàn thành {met}/{assigned} chỉ tiêu ({pct} < {vn_percent(limit)}){main}"


def targets_force_majeure(who: str, met: int, assigned: int) -> str:
    """Targets missed for force majeure: not counted."""
    return (
        f"{who} hoàn thành {met}/{assigned} chỉ tiêu nhưng do nguyên nhân bất khả kháng "
        "được xác nhận: không áp dụng"
    )


def state_level(level_name: str) -> str:
    """Party level capped by the State level."""
    return f"Mức xếp loại cán bộ, công chức, viên chức là {level_name}"


def absence_cap(months: Decimal, lo: Decimal, hi: Decimal | None, level_name: str) -> str:
    """Away 3 to under 6 months."""
    span = (
        f"từ {vn_threshold(lo)} đến dưới {vn_threshold(hi)} tháng"
        if hi is not None
        else f"từ {vn_threshold(lo)} tháng trở lên"
    )
    return f"Vắng mặt {vn_number(months.normalize())} tháng trong kỳ ({span}): tối đa {level_name}"


def absence_kxl(months: Decimal, hi: Decimal, strict: bool = False) -> str:
    """Away 6 months or more (or more than 6 months)."""
    op = ">" if strict else "≥"
    return (
        f"Vắng mặt {vn_number(months.normalize())} tháng trong kỳ "
        f"({op} {vn_threshold(hi)} tháng): không xếp loại"
    )


def maternity(months: Decimal) -> str:
    """Maternity leave is judged on the time worked."""
    return (
        f"Nghỉ thai sản {vn_number(months.normalize())} tháng: xếp loại theo thời gian "
        "công tác thực tế, không áp dụng giới hạn do vắng mặt"
    )


def head_cap(unit: str, level_name: str) -> str:
    """Head not above the unit."""
    return f"Người đứng đầu không được xếp cao hơn tập thể {unit} ({level_name})"


def quota_prefix(rate: Fraction, group: str, cands: int, base: int) -> str:
    """Vượt tỷ lệ 20% của nhóm G-LD: 6/24."""
    return f"Vượt tỷ lệ {vn_percent(rate)} của nhóm {group}: {cands}/{base}"


def party_share_prefix(share: Fraction, group: str, cands: int, classified: int) -> str:
    """Share of HTXS above that of the Party members (NĐ 48/2023)."""
    return (
        f"Tỷ lệ HTXS của nhóm {group} không được vượt tỷ lệ HTXS của đảng viên "
        f"({vn_percent(share)}): {cands}/{classified}"
    )


def quota_warning(rate: Fraction, group: str, n: int, n_all: int, limit: int) -> str:
    """A guidance ceiling exceeded: nobody moved, the authority warned."""
    return (
        f"Đơn vị tiêu biểu {group}: {n}/{n_all} người xếp mức HTXS, vượt {vn_percent(rate)} "
        f"tổng số ({limit} người), mức văn bản khuyến nghị không nên vượt; không ai bị "
        "chuyển mức, cấp có thẩm quyền cân nhắc"
    )


def quota(prefix: str, limit: int, score: Decimal | None) -> str:
    """Moved to HTT: lower than those kept."""
    shown = f"điểm {vn_score(score)} " if score is not None else ""
    return f"{prefix}; chỉ giữ tối đa {limit} mức HTXS, {shown}thấp hơn những người được giữ"


def quota_tie(prefix: str, limit: int, score: Decimal | None, tied: int, slots: int) -> str:
    """Boundary tie: all tied moved, left to the authority."""
    shown = f"điểm {vn_score(score)}" if score is not None else "mức"
    return (
        f"{prefix}; chỉ giữ tối đa {limit} mức HTXS; {tied} người đồng {shown} tại ranh giới "
        f"nên đều chuyển xuống, cấp có thẩm quyền chọn trong số này tối đa {slots} người"
    )
