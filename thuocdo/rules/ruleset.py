"""Rule-sets as TOML data: loading, validation with Vietnamese errors, listing, display."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import params as P
from .levels import PERIOD_KIND_LABELS, PERIOD_KINDS, SUBJECT_KIND_LABELS, SUBJECT_KINDS
from .model import RulesInputError

SHIPPED_DIR = Path(__file__).with_name("rulesets")
ENV_DIR = "THUOCDO_RULESETS_DIR"
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_OPTION_REF = "$"

_REQUIRED = object()

# The language a rule's quote was seen in: Vietnamese, or a translation whose Vietnamese
# wording is still to be checked (legal-basis.md marks such quotes EN or JP).
QUOTE_LANGS = {
    "vi": "nguyên văn",
    "en": "bản dịch tiếng Anh, chưa đối chiếu nguyên văn tiếng Việt",
    "ja": "bản dịch tiếng Nhật, chưa đối chiếu nguyên văn tiếng Việt",
}
UNCONFIRMED_LABEL = "chưa xác nhận căn cứ"

# Each rule kind: its parameters (validator, default or _REQUIRED) and the subjects it
# applies to by default. The engine implements exactly these kinds.
KINDS: dict[str, tuple[dict[str, tuple[P.Validator, Any]], tuple[str, ...]]] = {
    "score_band": ({"bands": (P.v_bands, _REQUIRED)}, SUBJECT_KINDS),
    "criteria_rating": (
        {
            "groups": (P.v_labels, _REQUIRED),
            "results_groups": (P.v_str_list, _REQUIRED),
            "requirements": (P.v_requirements, _REQUIRED),
            # By the share of groups not met (NĐ 90 Điều 14, 15) instead of "any kém → KHT":
            # a group rated at or below not_met_rating is not met; HTNV needs at most
            # htnv_max_not_met of them, more than kht_over_not_met is KHT.
            "not_met_rating": (P.v_rating, "kem"),
            "htnv_max_not_met": (P.v_ratio, None),
            "kht_over_not_met": (P.v_ratio, None),
        },
        SUBJECT_KINDS,
    ),
    "score_parts": ({"parts": (P.v_parts, _REQUIRED), "decimals": (P.v_int, 2)}, SUBJECT_KINDS),
    "score_mean": ({"decimals": (P.v_int, 2)}, SUBJECT_KINDS),
    "task_condition": (
        {
            "level": (P.v_classified_level, _REQUIRED),
            "min_on_time": (P.v_ratio, None),
            "min_exceeded": (P.v_ratio, None),
            "min_completed": (P.v_ratio, None),
            "max_late": (P.v_ratio, None),
        },
        SUBJECT_KINDS,
    ),
    "subunits_condition": (
        {
            "level": (P.v_classified_level, _REQUIRED),
            "max_disciplined_subunits": (P.v_int, 0),
            "max_leadership_disciplined": (P.v_int, 0),
        },
        ("collective",),
    ),
    "leader_units_condition": (
        {
            "level": (P.v_classified_level, _REQUIRED),
            "scope": (P.v_scope, "led"),
            "min_on_time": (P.v_ratio, None),
            "min_exceeded": (P.v_ratio, None),
            "min_share_pass": (P.v_ratio, None),
            "min_share_good": (P.v_ratio, None),
            # Targets of the units the leader heads or leads: at least / more than a share met.
            "min_targets_met": (P.v_ratio, None),
            "over_targets_met": (P.v_ratio, None),
        },
        ("individual",),
    ),
    "shortcomings_condition": (
        {"level": (P.v_classified_level, _REQUIRED), "min_remedied": (P.v_ratio, 1)},
        SUBJECT_KINDS,
    ),
    "state_level_condition": (
        {"level": (P.v_classified_level, _REQUIRED), "min_state_level": (P.v_level, None)},
        ("individual",),
    ),
    "discipline_veto": (
        {
            "min_form": (P.v_form, "khien_trach"),
            "require_duty_related": (P.v_bool, False),
            "self_remedied_exempt": (P.v_bool, False),
            "one_violation_one_year": (P.v_bool, False),
            "cap": (P.v_classified_level, "KHT"),
        },
        ("individual",),
    ),
    "subunits_discipline_veto": (
        {
            # More than max_share of the subordinate units, or more than max_count of them.
            "max_share": (P.v_ratio, None),
            "max_count": (P.v_int, None),
            "self_remedied_exempt": (P.v_bool, False),
            "cap": (P.v_classified_level, "KHT"),
        },
        ("collective",),
    ),
    "finding_veto": (
        {"kinds": (P.v_finding_kinds, ["degradation"]), "cap": (P.v_classified_level, "KHT")},
        ("individual",),
    ),
    "led_unit_finding_veto": (
        {
            "kinds": (P.v_finding_kinds, ["corruption"]),
            "scope": (P.v_scope, "both"),
            "cap": (P.v_classified_level, "KHT"),
        },
        ("individual",),
    ),
    "targets_veto": (
        {
            "min_met": (P.v_ratio, _REQUIRED),
            "require_main_missed": (P.v_bool, True),
            "force_majeure_exempt": (P.v_bool, True),
            "heads_follow_unit": (P.v_bool, True),
            "cap": (P.v_classified_level, "KHT"),
        },
        SUBJECT_KINDS,
    ),
    "state_level_cap": ({}, ("individual",)),
    "state_level_veto": (
        {"at": (P.v_classified_level, "KHT"), "cap": (P.v_classified_level, "KHT")},
        ("individual",),
    ),
    "absence": (
        {
            "cap_from_months": (P.v_number, _REQUIRED),
            "cap_until_months": (P.v_number, None),
            "cap": (P.v_classified_level, "HTNV"),
            "unclassified_from_months": (P.v_number, None),
            "unclassified_over_months": (P.v_number, None),
            "maternity_exempt": (P.v_bool, True),
        },
        ("individual",),
    ),
    "head_cap": ({"enabled": (P.v_bool, True)}, ("individual",)),
    "quota": (
        {
            "rate": (P.v_ratio, None),
            "base": (P.v_quota_base, "good_and_above"),
            "outstanding_rate": (P.v_ratio, None),
            "outstanding_groups": (P.v_str_list, []),
            # The outstanding rate as guidance over all the group's subjects (Hà Nội 3814's
            # "không nên vượt quá 40% tổng số"): above it the authority is warned, nobody moved.
            "outstanding_warn": (P.v_bool, False),
            "party_shares": (P.v_group_shares, {}),
        },
        SUBJECT_KINDS,
    ),
}

# Kinds that read the State level of a Party member (DESIGN §4.7.4): their rule-sets run after
# the State rule-sets of the same period.
STATE_LEVEL_KINDS = frozenset({"state_level_cap", "state_level_condition", "state_level_veto"})

# Kinds that may appear at most once in a rule-set.
SINGLE_KINDS = frozenset(
    {"score_band", "criteria_rating", "score_parts", "score_mean", "absence", "head_cap"}
)


@dataclass(frozen=True, slots=True)
class Option:
    """A configurable point: its default and what it means."""

    name: str
    default: Any
    description: str


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule as written in the file; ``params`` may refer to options as "$name"."""

    id: str
    kind: str
    label: str
    document: str
    article: str
    clause: str
    applies_to: tuple[str, ...]
    confirmed: bool
    note: str
    params: tuple[tuple[str, Any], ...]
    quote: str = ""
    quote_lang: str = "vi"

    @property
    def source(self) -> str:
        """The citation shown in traces: document, article, clause."""
        return ", ".join(p for p in (self.document, self.article, self.clause) if p)

    @property
    def citation(self) -> str:
        """The source as pages show it: with "chưa xác nhận căn cứ" when not confirmed."""
        return self.source if self.confirmed else f"{self.source} — {UNCONFIRMED_LABEL}"

    @property
    def quote_label(self) -> str:
        """How the quote was seen: the Vietnamese text, or a translation still to be checked."""
        return QUOTE_LANGS[self.quote_lang]


@dataclass(frozen=True, slots=True)
class RuleSet:
    """A validated rule-set."""

    id: str
    title: str
    applies_to: str
    scale: str
    period_kinds: tuple[str, ...]
    documents: tuple[str, ...]
    level_labels: tuple[tuple[str, str], ...]
    options: tuple[Option, ...]
    rules: tuple[Rule, ...]
    path: str
    origin: str

    def option_defaults(self) -> dict[str, Any]:
        """Default values of the configurable points."""
        return {o.name: o.default for o in self.options}

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id (KeyError if absent)."""
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)


@dataclass(frozen=True, slots=True)
class RuleSetInfo:
    """A line of the rule-set list."""

    id: str
    title: str
    applies_to: str
    origin: str
    path: str


def _str(
    data: Mapping[str, Any], key: str, where: str, problems: list[str], *, required: bool = True
) -> str:
    value = data.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        problems.append(f"{where}: thiếu hoặc sai trường '{key}' (phải là chuỗi không rỗng)")
        return ""
    return value


def resolve_params(rule: Rule, options: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Substitute option references and validate a rule's parameters; returns (params, problems)."""
    spec, _ = KINDS[rule.kind]
    raw = dict(rule.params)
    out: dict[str, Any] = {}
    problems: list[str] = []
    where = f"quy tắc '{rule.id}'"
    for name in raw:
        if name not in spec:
            problems.append(
                f"{where}: tham số '{name}' không được hỗ trợ; các tham số hợp lệ: "
                f"{', '.join(spec) or '(không có)'}"
            )
    for name, (validator, default) in spec.items():
        value = raw.get(name, default)
        label = f"{where}, tham số '{name}'"
        if isinstance(value, str) and value.startswith(_OPTION_REF):
            opt = value[1:]
            if opt not in options:
                problems.append(f"{label}: tham chiếu tới tùy chọn '{opt}' không tồn tại")
                continue
            value = options[opt]
            label = f"tùy chọn '{opt}' (dùng cho {where})"
        if value is _REQUIRED:
            problems.append(f"{label}: bắt buộc phải có")
            continue
        if value is None:
            out[name] = None
            continue
        try:
            out[name] = validator(value)
        except P.ParamError as exc:
            problems.append(f"{label}: {exc}")
    return out, problems


def parse_ruleset(data: Mapping[str, Any], *, path: str, origin: str) -> RuleSet:
    """Validate a parsed TOML document; raises RulesInputError listing every problem."""
    fname = Path(path).name
    problems: list[str] = []
    top = f"Bộ quy tắc {fname}"
    rs_id = _str(data, "id", top, problems)
    if rs_id and not _ID_RE.match(rs_id):
        problems.append(f"{top}: mã '{rs_id}' chỉ được gồm chữ thường không dấu, số và '-'")
    title = _str(data, "title", top, problems)
    applies_to = _str(data, "applies_to", top, problems)
    scale = data.get("scale")
    if scale not in ("points", "criteria"):
        problems.append(f"{top}: trường 'scale' phải là 'points' (thang điểm) hoặc 'criteria'")
    pkinds = data.get("period_kinds", ["year"])
    if not isinstance(pkinds, list) or not pkinds or any(k not in PERIOD_KINDS for k in pkinds):
        problems.append(f"{top}: 'period_kinds' phải là danh sách gồm {', '.join(PERIOD_KINDS)}")
        pkinds = ["year"]
    documents = data.get("documents", [])
    if not isinstance(documents, list) or not all(isinstance(d, str) for d in documents):
        problems.append(f"{top}: 'documents' phải là danh sách tên văn bản")
        documents = []
    labels_raw = data.get("level_labels", {})
    level_labels: tuple[tuple[str, str], ...] = ()
    try:
        level_labels = P.v_labels(labels_raw) if labels_raw else ()
    except P.ParamError as exc:
        problems.append(f"{top}, 'level_labels': {exc}")

    options: list[Option] = []
    raw_opts = data.get("options", {})
    if not isinstance(raw_opts, Mapping):
        problems.append(f"{top}: 'options' phải là bảng")
        raw_opts = {}
    for name, spec in raw_opts.items():
        if not isinstance(spec, Mapping) or "default" not in spec:
            problems.append(f"{top}, tùy chọn '{name}': phải có 'default' và 'description'")
            continue
        desc = spec.get("description", "")
        if not isinstance(desc, str) or not desc.strip():
            problems.append(f"{top}, tùy chọn '{name}': thiếu 'description' (mô tả tiếng Việt)")
        options.append(Option(str(name), spec["default"], str(desc)))

    rules: list[Rule] = []
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list) or not raw_rules:
        problems.append(f"{top}: phải có ít nhất một quy tắc [[rules]]")
        raw_rules = []
    seen: set[str] = set()
    kind_count: dict[str, int] = {}
    for i, raw in enumerate(raw_rules, 1):
        where = f"{top}, quy tắc thứ {i}"
        if not isinstance(raw, Mapping):
            problems.append(f"{where}: phải là bảng")
            continue
        rid = _str(raw, "id", where, problems)
        if rid:
            where = f"{top}, quy tắc '{rid}'"
            if not _ID_RE.match(rid):
                problems.append(f"{where}: mã chỉ được gồm chữ thường không dấu, số và '-'")
            if rid in seen:
                problems.append(f"{where}: mã quy tắc bị trùng")
            seen.add(rid)
        kind = raw.get("kind")
        if kind not in KINDS:
            problems.append(
                f"{where}: loại '{kind}' không được hỗ trợ; các loại: {', '.join(KINDS)}"
            )
            continue
        kind_count[kind] = kind_count.get(kind, 0) + 1
        label = _str(raw, "label", where, problems)
        src = raw.get("source")
        if not isinstance(src, Mapping):
            problems.append(f"{where}: thiếu 'source' (document, article, clause)")
            src = {}
        document = _str(src, "document", f"{where}, source", problems)
        article = _str(src, "article", f"{where}, source", problems, required=False)
        clause = _str(src, "clause", f"{where}, source", problems, required=False)
        quote = _str(src, "quote", f"{where}, source", problems, required=False)
        quote_lang = src.get("quote_lang", "vi")
        if quote_lang not in QUOTE_LANGS:
            problems.append(
                f"{where}, source: 'quote_lang' phải là một trong {', '.join(QUOTE_LANGS)}"
            )
            quote_lang = "vi"
        for extra in sorted(set(src) - {"document", "article", "clause", "quote", "quote_lang"}):
            problems.append(f"{where}, source: trường '{extra}' không được hỗ trợ")
        try:
            applies = P.v_subject_kinds(raw.get("applies_to", list(KINDS[kind][1])))
        except P.ParamError as exc:
            problems.append(f"{where}, 'applies_to': {exc}")
            applies = KINDS[kind][1]
        confirmed = raw.get("confirmed", True)
        if not isinstance(confirmed, bool):
            problems.append(f"{where}: 'confirmed' phải là true hoặc false")
            confirmed = True
        note = raw.get("note", "")
        if not isinstance(note, str):
            problems.append(f"{where}: 'note' phải là chuỗi")
            note = ""
        if not confirmed and not note.strip():
            problems.append(f"{where}: quy tắc chưa xác nhận phải có 'note' giải thích")
        # DESIGN §4.7.9: a rule names its document and article, or says it has none yet.
        if confirmed and isinstance(src, Mapping) and not str(src.get("article", "")).strip():
            problems.append(
                f"{where}: quy tắc đã xác nhận phải nêu điều khoản căn cứ (source.article); "
                "nếu chưa tìm thấy, ghi confirmed = false và lý do trong 'note'"
            )
        prm = raw.get("params", {})
        if not isinstance(prm, Mapping):
            problems.append(f"{where}: 'params' phải là bảng")
            prm = {}
        known = {"id", "kind", "label", "source", "applies_to", "confirmed", "note", "params"}
        for extra in sorted(set(raw) - known):
            problems.append(f"{where}: trường '{extra}' không được hỗ trợ")
        rules.append(
            Rule(
                rid,
                kind,
                label,
                document,
                article,
                clause,
                applies,
                confirmed,
                note,
                tuple(prm.items()),
                quote,
                str(quote_lang),
            )
        )
    for kind, n in kind_count.items():
        if n > 1 and kind in SINGLE_KINDS:
            problems.append(f"{top}: loại quy tắc '{kind}' chỉ được xuất hiện một lần")
    if scale == "points" and kind_count.get("score_band", 0) != 1:
        problems.append(f"{top}: thang điểm (points) cần đúng một quy tắc loại score_band")
    if scale == "criteria" and kind_count.get("criteria_rating", 0) != 1:
        problems.append(f"{top}: thang tiêu chí (criteria) cần đúng một quy tắc criteria_rating")
    if scale == "criteria" and (kind_count.get("score_band") or kind_count.get("score_parts")):
        problems.append(f"{top}: thang tiêu chí không dùng score_band hoặc score_parts")
    opt_defaults = {o.name: o.default for o in options}
    for rule in rules:
        _, rule_problems = resolve_params(rule, opt_defaults)
        problems.extend(f"{top}, {p}" for p in rule_problems)
    if problems:
        raise RulesInputError(problems)
    return RuleSet(
        rs_id,
        title,
        applies_to,
        str(scale),
        tuple(pkinds),
        tuple(documents),
        level_labels,
        tuple(options),
        tuple(rules),
        path,
        origin,
    )


@lru_cache(maxsize=64)
def _load_file(path: str, mtime_ns: int, origin: str) -> RuleSet:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise RulesInputError(
            [f"Bộ quy tắc {Path(path).name}: tệp TOML không hợp lệ ({exc})"]
        ) from None
    return parse_ruleset(data, path=path, origin=origin)


def load_file(path: str | os.PathLike[str], origin: str = "extra") -> RuleSet:
    """Load and validate one rule-set file."""
    p = str(Path(path).resolve())
    return _load_file(p, os.stat(p).st_mtime_ns, origin)


def _dirs(extra_dir: str | os.PathLike[str] | None) -> list[tuple[Path, str]]:
    dirs = [(SHIPPED_DIR, "shipped")]
    for d in (os.environ.get(ENV_DIR), extra_dir):
        if d:
            dirs.append((Path(d), "extra"))
    return dirs


def _files(extra_dir: str | os.PathLike[str] | None) -> dict[str, tuple[Path, str]]:
    """Map rule-set id (file stem) to its file; an extra file may not shadow a shipped one."""
    found: dict[str, tuple[Path, str]] = {}
    problems: list[str] = []
    for d, origin in _dirs(extra_dir):
        if not d.is_dir():
            problems.append(f"Thư mục bộ quy tắc '{d}' không tồn tại")
            continue
        for f in sorted(d.glob("*.toml")):
            if f.stem in found and found[f.stem][0].resolve() != f.resolve():
                problems.append(
                    f"Bộ quy tắc '{f.stem}' trong '{f}' trùng mã với '{found[f.stem][0]}'; "
                    "hãy đặt mã (tên tệp) khác"
                )
                continue
            found[f.stem] = (f, origin)
    if problems:
        raise RulesInputError(problems)
    return found


def load_ruleset(ruleset_id: str, *, extra_dir: str | os.PathLike[str] | None = None) -> RuleSet:
    """Load a rule-set by id from the shipped files, THUOCDO_RULESETS_DIR and extra_dir."""
    files = _files(extra_dir)
    if ruleset_id not in files:
        raise RulesInputError(
            [
                f"Không có bộ quy tắc '{ruleset_id}'. Các bộ quy tắc hiện có: "
                f"{', '.join(sorted(files))}"
            ]
        )
    path, origin = files[ruleset_id]
    rs = load_file(path, origin)
    if rs.id != ruleset_id:
        raise RulesInputError(
            [
                f"Bộ quy tắc {path.name}: mã trong tệp ('{rs.id}') phải trùng tên tệp "
                f"('{ruleset_id}')"
            ]
        )
    return rs


def list_rulesets(*, extra_dir: str | os.PathLike[str] | None = None) -> list[RuleSetInfo]:
    """All available rule-sets (shipped first, then extra), each validated."""
    out = []
    for rid, (_, origin) in sorted(_files(extra_dir).items(), key=lambda kv: (kv[1][1], kv[0])):
        rs = load_ruleset(rid, extra_dir=extra_dir)
        out.append(RuleSetInfo(rs.id, rs.title, rs.applies_to, origin, rs.path))
    # Shipped before extra, each alphabetical.
    out.sort(key=lambda i: (i.origin != "shipped", i.id))
    return out


def _show_value(value: Any) -> str:
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k} = {_show_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_show_value(v) for v in value) + "]"
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if isinstance(value, str) and value.startswith(_OPTION_REF):
        return f"theo tùy chọn '{value[1:]}'"
    return str(value)


def describe_ruleset(rs: RuleSet) -> str:
    """A readable Vietnamese description of a rule-set (for `thuocdo rules show`)."""
    lines = [
        f"Bộ quy tắc: {rs.id}",
        f"Tên: {rs.title}",
        f"Áp dụng cho: {rs.applies_to}",
        "Thang đánh giá: " + ("thang điểm 100" if rs.scale == "points" else "theo tiêu chí"),
        "Kỳ đánh giá: " + ", ".join(PERIOD_KIND_LABELS[k] for k in rs.period_kinds),
        f"Nguồn: {'có sẵn' if rs.origin == 'shipped' else 'do tổ chức bổ sung'} ({rs.path})",
    ]
    if rs.documents:
        lines.append("Văn bản căn cứ:")
        lines.extend(f"  - {d}" for d in rs.documents)
    if rs.level_labels:
        lines.append("Tên các mức: " + "; ".join(f"{k} = {v}" for k, v in rs.level_labels))
    if rs.options:
        lines.append("Tùy chọn có thể cấu hình (ghi đè theo từng lượt qua 'options'):")
        for o in rs.options:
            lines.append(f"  - {o.name} = {_show_value(o.default)}: {o.description}")
    lines.append(
        "Các quy tắc (áp dụng theo thứ tự: mức theo điểm hoặc tiêu chí, điều kiện của từng "
        "mức, các trường hợp KHT và giới hạn, vắng mặt, người đứng đầu, tỷ lệ):"
    )
    for i, r in enumerate(rs.rules, 1):
        who = ", ".join(SUBJECT_KIND_LABELS[k] for k in r.applies_to)
        lines.append(f"  {i}. [{r.id}] {r.label}")
        status = "" if r.confirmed else f" ({UNCONFIRMED_LABEL})"
        lines.append(f"     Căn cứ: {r.source}{status}")
        if r.quote:
            lines.append(f"     Trích ({r.quote_label}): «{r.quote}»")
        lines.append(f"     Áp dụng cho: {who}")
        if r.params:
            shown = "; ".join(f"{k} = {_show_value(v)}" for k, v in r.params)
            lines.append(f"     Tham số: {shown}")
        if not r.confirmed:
            lines.append(f"     Chưa xác nhận căn cứ vì: {r.note}")
        elif r.note:
            lines.append(f"     Ghi chú: {r.note}")
    return "\n".join(lines) + "\n"
