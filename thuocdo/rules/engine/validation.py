"""Every problem of a batch, in Vietnamese, before it is classified: the period, repeated
ids, each subject's fields against the rule-set, its place in the structure, cycles of
parents, quota groups mixing kinds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from ..fmt import vn_threshold
from ..levels import COLLECTIVE, DISCIPLINE_FORMS, INDIVIDUAL, RATINGS
from ..model import Period, Subject
from .compiled import CompiledRuleSet


def check_batch(
    subjects: Sequence[Subject],
    compiled: CompiledRuleSet,
    period: Period,
    *,
    incomplete: Iterable[str] = (),
) -> list[str]:
    """Every problem of a batch in Vietnamese (empty if it can be classified).

    Subjects listed in ``incomplete`` had unreadable fields (already reported): only their
    place in the structure is checked.
    """
    return _batch_problems(subjects, compiled, period, {s.id: s for s in subjects}, incomplete)


def _batch_problems(
    subjects: Sequence[Subject],
    compiled: CompiledRuleSet,
    period: Period,
    by_id: Mapping[str, Subject],
    incomplete: Iterable[str],
) -> list[str]:
    """`check_batch` with the subjects by id (the last of a repeated id) already built."""
    problems: list[str] = []
    skip = set(incomplete)
    rs = compiled.ruleset
    if period.kind not in rs.period_kinds:
        problems.append(
            f"Kỳ đánh giá: bộ quy tắc {rs.id} không áp dụng cho kỳ '{period.kind}' "
            f"(chỉ: {', '.join(rs.period_kinds)})"
        )
    if len(by_id) != len(subjects):
        seen: set[str] = set()
        dups: set[str] = set()
        for s in subjects:
            if s.id in seen:
                dups.add(s.id)
            seen.add(s.id)
        for d in sorted(dups):
            problems.append(f"Đối tượng {d}: mã bị trùng trong lô")
    points = compiled.scale == "points"
    need_duty = compiled.requires_duty_related
    zero, hundred = Decimal(0), Decimal(100)
    per_subject: list[tuple[str, int, str]] = []
    # Every collective takes the slow path below: collected there, not by another pass.
    collectives: list[Subject] = []
    for pos, s in enumerate(subjects):
        # Fast path: a scored individual whose few facts are checked inline here.
        sc = s.score
        if (
            points
            and sc is not None
            and zero <= sc <= hundred
            and s.kind == INDIVIDUAL
            and s.parent is None
            and not s.leads
            and s.period_scores is None
            and s.parts is None
            and s.criteria is None
            and s.targets is None
            and s.subunits is None
            and s.absent_months is None
            and s.shortcomings is None
        ):
            h = s.heads
            t = s.tasks
            ds = s.disciplines
            if (
                (h is None or ((u := by_id.get(h)) is not None and u.kind == COLLECTIVE))
                and (
                    t is None
                    or (
                        0 <= t.on_time <= t.completed <= t.assigned
                        and 0 <= t.exceeded <= t.completed
                        and t.late is None
                    )
                )
                and (
                    not ds
                    or (
                        len(ds) == 1
                        and ds[0].form in DISCIPLINE_FORMS
                        and (ds[0].duty_related is not None or not need_duty)
                    )
                )
            ):
                continue
        if s.kind == COLLECTIVE:
            collectives.append(s)
        found = _structure_problems(s, by_id)
        if s.id not in skip and s.kind in (INDIVIDUAL, COLLECTIVE):
            found.extend(_subject_problems(s, compiled, f"Đối tượng {s.id}"))
        per_subject.extend((s.id, pos, p) for p in found)
    # Reported by subject id, so the list does not depend on the input order.
    problems.extend(p for _, _, p in sorted(per_subject))
    # The collectives by id, the last of a repeated id as in by_id.
    problems.extend(_cycles({s.id: s for s in collectives if by_id[s.id] is s}))
    q = compiled.quota
    if q is not None and len(q.kinds) > 1:
        kinds_of: dict[str, set[str]] = {}
        for s in by_id.values():
            if s.quota_group is not None:
                kinds_of.setdefault(s.quota_group, set()).add(s.kind)
        for g, ks in sorted(kinds_of.items()):
            if len(ks) > 1:
                problems.append(
                    f"Nhóm hạn mức {g}: gồm cả tập thể và cá nhân; tỷ lệ được tính riêng "
                    "cho từng loại, hãy dùng hai nhóm khác nhau"
                )
    return problems


def _structure_problems(s: Subject, by_id: Mapping[str, Subject]) -> list[str]:
    """Problems of a subject's place in the batch: kind, heads, leads, parent."""
    out: list[str] = []
    where = f"Đối tượng {s.id}"
    if s.kind not in (INDIVIDUAL, COLLECTIVE):
        out.append(f"{where}, trường kind: phải là individual hoặc collective")
        return out
    for field, ref in (("heads", s.heads), *(("leads", x) for x in s.leads)):
        if ref is None:
            continue
        u = by_id.get(ref)
        if u is None:
            out.append(f"{where}, trường {field}: đơn vị '{ref}' không có trong lô")
        elif u.kind != COLLECTIVE:
            out.append(f"{where}, trường {field}: '{ref}' không phải là tập thể")
    if s.kind == COLLECTIVE and (s.heads is not None or s.leads):
        out.append(f"{where}: tập thể không thể là người đứng đầu (heads, leads)")
    if s.parent is not None:
        par = by_id.get(s.parent)
        if par is not None and par.kind != COLLECTIVE:
            out.append(f"{where}, trường parent: '{s.parent}' không phải là tập thể")
        if s.parent == s.id:
            out.append(f"{where}, trường parent: đơn vị không thể là cấp trên của chính nó")
    return out


def _subject_problems(s: Subject, c: CompiledRuleSet, where: str) -> list[str]:
    out: list[str] = []
    given = [
        n
        for n, v in (("score", s.score), ("period_scores", s.period_scores), ("parts", s.parts))
        if v is not None
    ]
    if c.scale == "points":
        if len(given) != 1:
            out.append(
                f"{where}: cần đúng một trong các trường score, period_scores, parts "
                f"(đang có: {', '.join(given) or 'không có'})"
            )
        if s.criteria is not None:
            out.append(
                f"{where}, trường criteria: bộ quy tắc {c.id} dùng thang điểm, không dùng criteria"
            )
    else:
        if s.criteria is None:
            out.append(f"{where}: bộ quy tắc {c.id} xếp loại theo tiêu chí, cần trường criteria")
        else:
            names = {g for g, _ in c.criteria_groups}
            got = dict(s.criteria)
            missing = sorted(names - set(got))
            extra = sorted(set(got) - names)
            if missing:
                out.append(f"{where}, trường criteria: thiếu nhóm tiêu chí {', '.join(missing)}")
            if extra:
                out.append(
                    f"{where}, trường criteria: nhóm tiêu chí không có trong bộ quy tắc: "
                    f"{', '.join(extra)} (các nhóm: {', '.join(sorted(names))})"
                )
            for g, r in sorted(got.items()):
                if r not in RATINGS:
                    out.append(
                        f"{where}, trường criteria.{g}: mức '{r}' không hợp lệ "
                        f"(các mức: {', '.join(RATINGS)})"
                    )
        if s.period_scores is not None or s.parts is not None:
            out.append(f"{where}: bộ quy tắc {c.id} không dùng điểm (period_scores, parts)")
    if s.score is not None and not (0 <= s.score <= 100):
        out.append(f"{where}, trường score: điểm {s.score} nằm ngoài khoảng 0–100")
    if s.period_scores is not None:
        if c.scale == "points" and c.mean_rule is None:
            out.append(
                f"{where}, trường period_scores: bộ quy tắc {c.id} không tính điểm "
                "trung bình các kỳ"
            )
        if not s.period_scores:
            out.append(f"{where}, trường period_scores: danh sách rỗng")
        for i, v in enumerate(s.period_scores, 1):
            if not (0 <= v <= 100):
                out.append(f"{where}, trường period_scores[{i}]: điểm {v} nằm ngoài khoảng 0–100")
    if s.parts is not None:
        if c.scale == "points" and c.parts_rule is None:
            out.append(f"{where}, trường parts: bộ quy tắc {c.id} không cộng điểm thành phần")
        limits = {n: m for n, _, m in c.parts}
        for name, v in s.parts:
            if c.parts_rule is not None and name not in limits:
                out.append(
                    f"{where}, trường parts.{name}: phần điểm không có trong bộ quy tắc "
                    f"(các phần: {', '.join(limits)})"
                )
            elif name in limits and not (0 <= v <= limits[name]):
                out.append(
                    f"{where}, trường parts.{name}: {v} nằm ngoài khoảng "
                    f"0–{vn_threshold(limits[name])}"
                )
    t = s.tasks
    if t is not None:
        if min(t.assigned, t.completed, t.on_time, t.exceeded, t.late or 0) < 0:
            out.append(f"{where}, trường tasks: các số không được âm")
        elif not (t.on_time <= t.completed <= t.assigned and t.exceeded <= t.completed):
            out.append(
                f"{where}, trường tasks: phải có on_time ≤ completed ≤ assigned và "
                "exceeded ≤ completed"
            )
        elif t.late is not None and t.late > t.completed:
            out.append(f"{where}, trường tasks: late không được lớn hơn completed")
    tg = s.targets
    if tg is not None and (
        min(tg.assigned, tg.met, tg.main_missed) < 0
        or tg.met > tg.assigned
        or tg.main_missed > tg.assigned - tg.met
    ):
        out.append(
            f"{where}, trường targets: phải có met ≤ assigned, main_missed ≤ "
            "assigned − met, không số nào âm"
        )
    su = s.subunits
    if su is not None and (
        min(su.total, su.disciplined, su.self_remedied) < 0
        or su.disciplined > su.total
        or su.self_remedied > su.disciplined
    ):
        out.append(f"{where}, trường subunits: phải có 0 ≤ self_remedied ≤ disciplined ≤ total")
    sc = s.shortcomings
    if sc is not None and (min(sc.total, sc.remedied) < 0 or sc.remedied > sc.total):
        out.append(f"{where}, trường shortcomings: phải có 0 ≤ remedied ≤ total")
    if s.subunits is not None and s.kind != COLLECTIVE:
        out.append(f"{where}, trường subunits: chỉ dùng cho tập thể")
    if s.absent_months is not None and not (0 <= s.absent_months <= 12):
        out.append(f"{where}, trường absent_months: phải từ 0 đến 12 (nhận được {s.absent_months})")
    for d in s.disciplines:
        if d.form not in DISCIPLINE_FORMS:
            out.append(
                f"{where}, kỷ luật {d.id}: hình thức '{d.form}' không hợp lệ "
                f"(các hình thức: {', '.join(DISCIPLINE_FORMS)})"
            )
        if c.requires_duty_related and d.duty_related is None:
            out.append(
                f"{where}, kỷ luật {d.id}: bộ quy tắc {c.id} cần biết kỷ luật có liên "
                "quan đến thực thi nhiệm vụ hay không (duty_related)"
            )
    if len({d.id for d in s.disciplines}) != len(s.disciplines):
        out.append(f"{where}, trường disciplines: mã quyết định kỷ luật bị trùng")
    return out


def _cycles(by_id: Mapping[str, Subject]) -> list[str]:
    """Cycles in the parent links (each reported once, by its smallest id)."""
    out: list[str] = []
    state: dict[str, int] = {}
    for start in sorted(by_id):
        path: list[str] = []
        cur: str | None = start
        while cur is not None and cur in by_id and state.get(cur, 0) == 0:
            state[cur] = 1
            path.append(cur)
            cur = by_id[cur].parent
        if cur is not None and state.get(cur) == 1 and cur in path:
            cyc = path[path.index(cur) :]
            first = min(cyc)
            i = cyc.index(first)
            cyc = cyc[i:] + cyc[:i]
            out.append("Vòng lặp cấp trên (parent): " + " → ".join([*cyc, first]))
        for p in path:
            state[p] = 2
    return out
