"""A trace stored as facts renders exactly the reasons the engine gives (`rules.stored`): every
rule-set, individuals and collectives with any mix of facts, quota groups included."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thuocdo.rules import classify, compile_ruleset, decision_json, load_ruleset
from thuocdo.rules.levels import COLLECTIVE, INDIVIDUAL
from thuocdo.rules.stored import steps_render, trace_facts

from .test_engine_paths import GROUPS, PERIOD, RULESETS, SETTINGS, UNITS, subjects


@SETTINGS
@given(st.sampled_from(RULESETS), st.data())
def test_a_stored_trace_renders_the_engines_reasons(rs: str, data: st.DataObject) -> None:
    ruleset = load_ruleset(rs)
    compiled = compile_ruleset(ruleset)
    drawn = data.draw(
        st.lists(st.sampled_from([INDIVIDUAL, COLLECTIVE]), min_size=1, max_size=8).flatmap(
            lambda kinds: st.tuples(*(subjects(kind, ["U0", "U1"]) for kind in kinds))
        )
    )
    batch = [
        dataclasses.replace(
            s,
            id=f"S{i}",
            criteria=None if compiled.scale == "points" else s.criteria,
            quota_group="G" if i % 2 else s.quota_group,
        )
        for i, s in enumerate(drawn)
    ]
    # The units the subjects head or belong to, rated on criteria where the rule-set is.
    rated = None if compiled.scale == "points" else tuple((g, "tot") for g in GROUPS)
    batch += [dataclasses.replace(unit, criteria=rated) for unit in UNITS]
    result = classify(batch, compiled, PERIOD, validate=False, group_names={"G": "Phường Một"})
    for decision in result.decisions:
        expected = decision_json(decision, result.unconfirmed)["trace"]
        assert steps_render(trace_facts(decision.trace), ruleset) == expected


def test_a_trace_stored_as_sentences_is_shown_as_it_was() -> None:
    old = [{"rule": "band", "source": "NĐ 335", "reason": "Tổng điểm 93,0 ≥ 90", "to": "HTXS"}]
    assert steps_render(old, load_ruleset("nd-335-2025")) == old


@pytest.mark.parametrize(
    "fact",
    [Decimal("93.50"), Fraction(1, 3), dt.date(2026, 6, 1), ("a", 1, None, True), None],
)
def test_each_kind_of_fact_keeps_its_exact_value(fact: object) -> None:
    from thuocdo.rules.stored import _decode, _encode

    assert _decode(_encode(fact)) == fact
    assert type(_decode(_encode(fact))) is type(fact)


def test_a_fact_of_an_unknown_kind_is_refused() -> None:
    from thuocdo.rules.stored import _encode

    with pytest.raises(TypeError):
        _encode(object())


def test_a_scored_subject_is_the_dataclasss_own() -> None:
    from thuocdo.rules.model import Subject, scored_subject

    built = scored_subject("7", Decimal("93.50"), "G")
    assert built == Subject(id="7", score=Decimal("93.50"), quota_group="G")
    assert scored_subject("8", Decimal(1)) == Subject(id="8", score=Decimal(1))
