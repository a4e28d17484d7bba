"""The grassroots Party organisation of a unit (DESIGN §4.7.2): the group in which the Party
members' HTXS quota is counted (HD 21-HD/BTCTW: "trong từng tổ chức cơ sở đảng").

A grassroots organisation is a đảng bộ cơ sở, or a chi bộ cơ sở that has no đảng bộ cơ sở above
it; units carry the mark `is_party_grassroots`. A chi bộ under a đảng bộ cơ sở counts in the
đảng bộ's group, so on a unit's path from the root the outermost marked unit wins. Where no
unit on the path is marked (a registry imported before the mark existed), the nearest Party
organisation or cell stands in, and failing that the unit itself.
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence

from thuocdo.org.models import UnitKind

PARTY_KINDS = frozenset({UnitKind.PARTY, UnitKind.PARTY_CELL})


def grassroots_of(
    chain: Sequence[int], grassroots: Container[int], kinds: Mapping[int, str]
) -> int:
    """The grassroots Party organisation of the last unit of `chain` (unit ids, root first)."""
    for unit_id in chain:
        if unit_id in grassroots:
            return unit_id
    for unit_id in reversed(chain):
        if kinds.get(unit_id) in PARTY_KINDS:
            return unit_id
    return chain[-1]
