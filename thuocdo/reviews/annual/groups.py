"""Quota groups as people read them. A group is stored as a key built at opening from codes
(DESIGN §4.5: "ĐV:<grassroots organisation>", "LĐ:<equivalent title>", "CC:<unit>:<duty
group>", "TT:<parent unit>"); reasons, refusals and pages name it by the units' names instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from thuocdo.org.models import Post, Unit
from thuocdo.work.models import JobPosition

_PREFIXES = ("TT", "LĐ", "ĐV", "CC")


def _parts(group: str) -> tuple[str, str, str]:
    """(kind, unit code, duty) of a group key; unknown keys come back as ("", "", key)."""
    kind, _, rest = group.partition(":")
    if kind not in _PREFIXES or not rest:
        return "", "", group
    if kind == "LĐ":
        return kind, "", rest
    if kind == "CC":
        code, _, duty = rest.partition(":")
        return kind, code, duty
    return kind, rest, ""


def unit_names_of(groups: Iterable[str]) -> dict[str, str]:
    """The names of the units the groups are keyed by, by code (one query)."""
    codes = {code for code in (_parts(g)[1] for g in groups) if code}
    return dict(Unit.objects.filter(code__in=codes).values_list("code", "name"))


def duty_titles_of(groups: Iterable[str]) -> dict[str, str]:
    """The titles of the duty groups the groups are keyed by, by code: the title of a post that
    has the duty group, else the name of the catalogue position with that code (two queries)."""
    duties = {duty for duty in (_parts(g)[2] for g in groups) if duty}
    titles = dict(JobPosition.objects.filter(code__in=duties).values_list("code", "name"))
    posts = Post.objects.filter(duty_group__in=duties)
    titles.update(posts.values_list("duty_group", "title"))
    return titles


def quota_group_label(
    group: str, names: Mapping[str, str], duties: Mapping[str, str] | None = None
) -> str:
    """How a quota group is named to people: "đảng viên của Đảng bộ phường 1", never its key."""
    kind, code, duty = _parts(group)
    unit = names.get(code, code)
    title = (duties or {}).get(duty, duty)
    if kind == "ĐV":
        return f"đảng viên của {unit}"
    if kind == "LĐ":
        return f"cán bộ lãnh đạo chức danh tương đương «{title}»"
    if kind == "CC":
        return f"«{title}» của {unit}" if duty else f"công chức, viên chức của {unit}"
    if kind == "TT":
        return f"tập thể thuộc {unit}"
    return group


def quota_group_labels(groups: Iterable[str]) -> dict[str, str]:
    """Every group's label, by key."""
    keys = set(groups)
    names, duties = unit_names_of(keys), duty_titles_of(keys)
    return {g: quota_group_label(g, names, duties) for g in keys}
