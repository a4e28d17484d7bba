"""The engine's shortcuts decide exactly as running every check would (DESIGN §4.4).

The engine runs, for each subject, only the checks whose facts the subject has (most have
none), keeps the individuals' decisions in a list and lets the quota replace the ones it
lowers in place. These tests hold it to the plain reading of the rules: every check in file
order, each decision written into one dict by id.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thuocdo.rules import Period, classify, compile_ruleset, load_ruleset
from thuocdo.rules import engine as E
from thuocdo.rules.engine import facts as F
from thuocdo.rules.levels import COLLECTIVE, INDIVIDUAL, Level
from thuocdo.rules.model import (
    Decision,
    Discipline,
    Finding,
    Subject,
    Subunits,
    Targets,
    Tasks,
    TraceStep,
)
from thuocdo.rules.ruleset import KINDS

RULESETS = ["qd-366-2025", "nd-335-2025", "hn-3814-2018", "qd-124-2023", "nd-90-2020"]
GROUPS = ["politics", "ethics", "style", "discipline", "results"]
PERIOD = Period("year", 2026)
# Rule kinds that set the base level or the quota rather than check a subject.
NOT_CHECKS = {"score_band", "criteria_rating", "score_parts", "score_mean", "quota"}
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

D = st.builds(
    lambda n: Decimal(n) / 10,
    st.sampled_from([0, 300, 450, 500, 699, 700, 850, 899, 900, 950, 1000]),
)


@st.composite
def subjects(draw: st.DrawFn, kind: str, units: list[str]) -> Subject:
    """A subject with any mix of the facts the checks read, each often absent."""

    def maybe(strategy: st.SearchStrategy[Any], absent: Any = None) -> Any:
        return draw(st.one_of(st.just(absent), strategy))

    tasks = st.integers(1, 10).flatmap(
        lambda a: st.tuples(st.just(a), st.integers(0, a)).flatmap(
            lambda ac: st.builds(
                Tasks,
                st.just(ac[0]),
                st.just(ac[1]),
                st.integers(0, ac[1]),
                st.integers(0, ac[1]),
                st.one_of(st.none(), st.integers(0, ac[1])),
            )
        )
    )
    targets = st.builds(Targets, st.just(10), st.integers(0, 10), st.integers(0, 1), st.booleans())
    discipline = st.builds(
        Discipline,
        st.sampled_from(["KL1", "KL2"]),
        st.sampled_from(["khien_trach", "canh_cao", "cach_chuc"]),
        st.sampled_from([dt.date(2026, 3, 1), dt.date(2025, 3, 1)]),
        duty_related=st.booleans(),
        self_remedied=st.booleans(),
        violation=st.sampled_from([None, "V"]),
        counted_year=st.sampled_from([None, 2025, 2026]),
    )
    finding = st.builds(
        Finding,
        st.just("F1"),
        st.sampled_from(["degradation", "other"]),
        st.just(dt.date(2026, 5, 1)),
        st.booleans(),
    )
    heads = maybe(st.sampled_from(units)) if kind == INDIVIDUAL else None
    return Subject(
        id="S",
        kind=kind,
        heads=heads,
        leads=maybe(st.lists(st.sampled_from(units), min_size=1, max_size=2).map(tuple), ())
        if kind == INDIVIDUAL
        else (),
        score=draw(D),
        criteria=tuple(
            (g, draw(st.sampled_from(["xuat_sac", "tot", "trung_binh"]))) for g in GROUPS
        ),
        tasks=maybe(tasks),
        targets=maybe(targets),
        subunits=maybe(
            st.integers(0, 5).flatmap(lambda t: st.builds(Subunits, st.just(t), st.integers(0, t)))
        ),
        leadership_disciplined=maybe(st.integers(0, 2)),
        disciplines=maybe(st.lists(discipline, min_size=1, max_size=2).map(tuple), ()),
        findings=maybe(st.lists(finding, min_size=1, max_size=1).map(tuple), ()),
        absent_months=maybe(st.sampled_from([Decimal(0), Decimal(2), Decimal(4), Decimal(7)])),
        maternity=draw(st.booleans()),
        state_level=maybe(st.sampled_from(list(Level))),
    )


def _context(units: list[Subject]) -> F._Ctx:
    ctx = F._Ctx(PERIOD, {u.id: u for u in units}, {"U0": ["U1"]})
    ctx.levels.update({"U0": Level.HTT, "U1": Level.HTXS})
    return ctx


UNITS = [
    Subject(id="U0", kind=COLLECTIVE, score=Decimal(80), tasks=Tasks(10, 10, 9, 1)),
    Subject(id="U1", kind=COLLECTIVE, parent="U0", score=Decimal(95), targets=Targets(10, 2, 1)),
]


def _every_check(compiled: E.CompiledRuleSet, s: Subject, ctx: F._Ctx) -> Decision:
    """The decision before the quota as the rules read: the base level, then every check of
    the subject's kind in order (the engine's guards only skip what would say nothing)."""
    bare = dataclasses.replace(
        s,
        heads=None,
        leads=(),
        tasks=None,
        targets=None,
        subunits=None,
        leadership_disciplined=None,
        disciplines=(),
        findings=(),
        absent_months=None,
        state_level=None,
    )
    out: list[Decision] = []
    compiled.run([bare], s.kind, ctx, out, False)
    first = out[0].trace[0]
    level = score_level = first.to_level
    assert level is not None
    steps: list[TraceStep] = [first]
    flags: tuple[str, ...] = ()
    for _, _, check in compiled.checks[s.kind]:
        st_ = check(s, level, ctx)
        if st_ is not None:
            steps.append(st_)
            if st_.to_level is not level and st_.rule in compiled.unconfirmed:
                flags = ("rule_unconfirmed",)
            assert st_.to_level is not None
            level = st_.to_level
    return Decision(s.id, level, out[0].score, score_level, flags, tuple(steps))


def test_every_check_kind_names_the_facts_it_reads() -> None:
    assert set(KINDS) - NOT_CHECKS == set(F._FACTS_READ)
    assert {f for fs in F._FACTS_READ.values() for f in fs} == set(F._ABSENT)


@SETTINGS
@given(st.sampled_from(RULESETS), st.sampled_from([INDIVIDUAL, COLLECTIVE]), st.data())
def test_running_only_the_checks_of_present_facts_changes_nothing(
    rs: str, kind: str, data: st.DataObject
) -> None:
    compiled = compile_ruleset(load_ruleset(rs))
    s = data.draw(subjects(kind, ["U0", "U1"]))
    if compiled.scale == "points":
        s = dataclasses.replace(s, criteria=None)
    ctx = _context(UNITS)
    out: list[Decision] = []
    compiled.run([s], kind, ctx, out, False)
    assert out == [_every_check(compiled, s, ctx)]


@SETTINGS
@given(st.sampled_from(RULESETS), st.sampled_from([INDIVIDUAL, COLLECTIVE]), st.data())
def test_a_check_says_nothing_without_its_facts(rs: str, kind: str, data: st.DataObject) -> None:
    """What the engine relies on to skip a check: with every fact it reads absent it returns
    None, whatever the level and the other facts."""
    compiled = compile_ruleset(load_ruleset(rs))
    s = data.draw(subjects(kind, ["U0", "U1"]))
    ctx = _context(UNITS)
    for _, _, check in compiled.checks[kind]:
        rule_kind = check.__qualname__.split(".")[0].removeprefix("_")  # "_absence.<locals>..."
        absent: dict[str, Any] = {f: F._ABSENT[f] for f in F._FACTS_READ[rule_kind]}
        bare = dataclasses.replace(s, **absent)
        for level in Level:
            assert check(bare, level, ctx) is None


def _subjects_with_a_repeated_id() -> list[Subject]:
    return [
        Subject(id="P1", quota_group="G", score=Decimal(95)),
        Subject(id="P2", quota_group="G", score=Decimal(95)),
        Subject(id="P3", quota_group="G", score=Decimal(80)),
        Subject(id="P4", quota_group="G", score=Decimal(80)),
        Subject(id="P5", quota_group="G", score=Decimal(80)),
        Subject(id="P1", quota_group="G", score=Decimal(60)),
        Subject(id="P6", quota_group="H", score=Decimal(75)),
        Subject(id="P6", quota_group="H", score=Decimal(40)),
    ]


def test_a_repeated_id_without_validation_keeps_one_decision() -> None:
    """Only without validation can an id repeat: as if every decision were written into one
    dict by id when made, the later wins, and a decision the quota lowers wins over those
    made before the quota."""
    compiled = compile_ruleset(load_ruleset("nd-335-2025"))
    result = classify(_subjects_with_a_repeated_id(), compiled, PERIOD, validate=False)
    by_id = {d.id: d for d in result.decisions}
    assert [d.id for d in result.decisions] == ["P1", "P2", "P3", "P4", "P5", "P6"]
    # Group G: two HTXS at 95 (the first P1 and P2) for one place: both lowered at the tie,
    # and the lowered first P1 wins over the later P1 at 60.
    assert by_id["P1"].level is Level.HTT
    assert by_id["P1"].score == Decimal(95)
    assert by_id["P1"].trace[-1].rule == "quota"
    assert by_id["P2"].level is Level.HTT
    # Group H: no quota at work, the later P6 wins.
    assert by_id["P6"].level is Level.KHT
    assert dict(result.by_level)[Level.HTT] == 5
