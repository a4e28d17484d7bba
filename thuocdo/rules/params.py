"""Validators for rule parameters and options; each returns the typed value or raises
``ParamError`` with a Vietnamese message."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .levels import (
    DISCIPLINE_FORMS,
    FINDING_KINDS,
    LEVEL_BY_NAME,
    QUOTA_BASES,
    RATINGS,
    SUBJECT_KINDS,
    Level,
)


class ParamError(ValueError):
    """A parameter value is not acceptable; the message is Vietnamese."""


Validator = Callable[[Any], Any]


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def to_decimal(value: Any) -> Decimal:
    """Convert an int, float or Decimal to an exact Decimal (floats via their shortest repr)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    if _is_number(value):
        return Decimal(value)
    raise ParamError(f"phải là một số (nhận được {value!r})")


def v_number(value: Any) -> Decimal:
    """A non-negative number."""
    d = to_decimal(value)
    if not d.is_finite() or d < 0:
        raise ParamError(f"phải là số không âm (nhận được {value!r})")
    return d


def v_ratio(value: Any) -> Fraction:
    """A ratio between 0 and 1 (0,2 means 20%)."""
    d = to_decimal(value)
    if not d.is_finite() or d < 0 or d > 1:
        raise ParamError(f"phải là tỷ lệ từ 0 đến 1, ví dụ 0.2 cho 20% (nhận được {value!r})")
    return Fraction(d)


def v_int(value: Any) -> int:
    """A non-negative integer."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ParamError(f"phải là số nguyên không âm (nhận được {value!r})")
    return value


def v_bool(value: Any) -> bool:
    """true or false."""
    if not isinstance(value, bool):
        raise ParamError(f"phải là true hoặc false (nhận được {value!r})")
    return value


def v_level(value: Any) -> Level:
    """A level name."""
    if not isinstance(value, str) or value not in LEVEL_BY_NAME:
        raise ParamError(
            f"phải là một mức xếp loại ({', '.join(LEVEL_BY_NAME)}) (nhận được {value!r})"
        )
    return LEVEL_BY_NAME[value]


def v_classified_level(value: Any) -> Level:
    """A level other than KXL."""
    lv = v_level(value)
    if lv is Level.KXL:
        raise ParamError("không được là KXL ở đây")
    return lv


def v_form(value: Any) -> str:
    """A discipline form."""
    if not isinstance(value, str) or value not in DISCIPLINE_FORMS:
        raise ParamError(
            f"phải là hình thức kỷ luật ({', '.join(DISCIPLINE_FORMS)}) (nhận được {value!r})"
        )
    return value


def v_quota_base(value: Any) -> str:
    """good_only | good_and_above | classified."""
    if value not in QUOTA_BASES:
        raise ParamError(f"phải là một trong {', '.join(QUOTA_BASES)} (nhận được {value!r})")
    return str(value)


def v_str_list(value: Any) -> tuple[str, ...]:
    """A list of non-empty strings."""
    if not isinstance(value, (list, tuple)) or not all(isinstance(x, str) and x for x in value):
        raise ParamError(f"phải là danh sách chuỗi ký tự (nhận được {value!r})")
    return tuple(value)


def v_subject_kinds(value: Any) -> tuple[str, ...]:
    """A non-empty list of subject kinds."""
    kinds = v_str_list(value)
    bad = [k for k in kinds if k not in SUBJECT_KINDS]
    if bad or not kinds:
        raise ParamError(f"phải là danh sách gồm {', '.join(SUBJECT_KINDS)} (nhận được {value!r})")
    return kinds


def v_finding_kinds(value: Any) -> tuple[str, ...]:
    """A list of finding kinds."""
    kinds = v_str_list(value)
    bad = [k for k in kinds if k not in FINDING_KINDS]
    if bad:
        raise ParamError(
            f"loại kết luận không hợp lệ {bad}; các loại hợp lệ: {', '.join(FINDING_KINDS)}"
        )
    return kinds


def v_scope(value: Any) -> str:
    """led (the units the leader heads or leads) | managed (their subordinate units) | both."""
    if value not in ("led", "managed", "both"):
        raise ParamError(f"phải là 'led', 'managed' hoặc 'both' (nhận được {value!r})")
    return str(value)


def v_rating(value: Any) -> int:
    """A criterion rating (kem, trung_binh, tot, xuat_sac), as its rank."""
    if value not in RATINGS:
        raise ParamError(f"phải là một trong {', '.join(RATINGS)} (nhận được {value!r})")
    return RATINGS[value]


def v_bands(value: Any) -> tuple[tuple[Level, Decimal], ...]:
    """Lower bounds of HTXS, HTT, HTNV on 0–100, strictly decreasing."""
    if not isinstance(value, Mapping) or set(value) != {"HTXS", "HTT", "HTNV"}:
        raise ParamError(
            "phải là bảng gồm đúng ba ngưỡng HTXS, HTT, HTNV, ví dụ "
            f"{{HTXS = 90, HTT = 70, HTNV = 50}} (nhận được {value!r})"
        )
    out = []
    for name in ("HTXS", "HTT", "HTNV"):
        d = to_decimal(value[name])
        if not d.is_finite() or d < 0 or d > 100:
            raise ParamError(f"ngưỡng {name} phải từ 0 đến 100 (nhận được {value[name]!r})")
        out.append((LEVEL_BY_NAME[name], d))
    if not out[0][1] > out[1][1] > out[2][1]:
        raise ParamError("các ngưỡng phải giảm dần: HTXS > HTT > HTNV")
    return tuple(out)


def v_labels(value: Any) -> tuple[tuple[str, str], ...]:
    """A table of code → Vietnamese label, non-empty."""
    if not isinstance(value, Mapping) or not value:
        raise ParamError(f"phải là bảng mã → tên tiếng Việt (nhận được {value!r})")
    out = []
    for k, v in value.items():
        if not isinstance(v, str) or not v.strip():
            raise ParamError(f"tên của '{k}' phải là chuỗi không rỗng")
        out.append((str(k), v))
    return tuple(out)


def v_parts(value: Any) -> tuple[tuple[str, str, Decimal], ...]:
    """Parts of the 100 points: name → {label, max}; maxima add up to 100."""
    if not isinstance(value, Mapping) or not value:
        raise ParamError("phải là bảng các phần điểm, ví dụ general = {label = ..., max = 30}")
    out = []
    for k, v in value.items():
        if not isinstance(v, Mapping) or not isinstance(v.get("label"), str):
            raise ParamError(f"phần điểm '{k}' phải có label (tên) và max (điểm tối đa)")
        out.append((str(k), str(v["label"]), v_number(v.get("max"))))
    if sum(p[2] for p in out) != 100:
        raise ParamError("tổng điểm tối đa của các phần phải bằng 100")
    return tuple(out)


def v_group_shares(value: Any) -> tuple[tuple[str, Fraction], ...]:
    """A table of quota group → ratio."""
    if not isinstance(value, Mapping):
        raise ParamError(f"phải là bảng nhóm → tỷ lệ (nhận được {value!r})")
    return tuple((str(k), v_ratio(v)) for k, v in sorted(value.items()))


def v_requirements(value: Any) -> tuple[tuple[Level, int, int], ...]:
    """Per level the minimum rating of the result groups and of the others."""
    if not isinstance(value, Mapping) or set(value) != {"HTXS", "HTT", "HTNV"}:
        raise ParamError(
            "phải là bảng cho đúng ba mức HTXS, HTT, HTNV, mỗi mức {results = ..., others = ...}"
        )
    out = []
    for name in ("HTXS", "HTT", "HTNV"):
        req = value[name]
        if not isinstance(req, Mapping) or set(req) != {"results", "others"}:
            raise ParamError(f"mức {name} phải có đúng hai khóa results và others")
        for key in ("results", "others"):
            if req[key] not in RATINGS:
                raise ParamError(
                    f"mức {name}, {key}: phải là {', '.join(RATINGS)} (nhận được {req[key]!r})"
                )
        out.append((LEVEL_BY_NAME[name], RATINGS[req["results"]], RATINGS[req["others"]]))
    return tuple(out)
