"""Forms of the opinion pages: meeting, votes, survey, the respondent's answer, related bodies."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from thuocdo.numbers import whole_number
from thuocdo.opinions.models import LEVEL_CHOICES, SurveyRole
from thuocdo.opinions.selectors import MemberRow
from thuocdo.org.fields import ScopedUnitField, UnitPicker
from thuocdo.org.models import Person, Unit
from thuocdo.reviews.models import Evaluation

BLANK_LEVEL = [("", "—")]


class MeetingUnitField(ScopedUnitField):
    """A unit among the queryset by its code, or by its number: links and bookmarks made before
    units were picked by code carry `?unit=<number>`. A code wins over a number that happens to
    be another unit's; a number outside the queryset is refused like an unknown code."""

    def clean(self, value: Any) -> Unit | None:
        try:
            return super().clean(value)
        except ValidationError as error:
            number = whole_number(str(value or "").strip())
            unit = self.queryset.filter(pk=number).first() if number is not None else None
            if unit is None:
                raise error from None
            return unit


class MeetingUnitForm(forms.Form):
    """The collective whose meeting is recorded, typed and picked among `units` (a city-wide
    period has thousands); one out of them is refused exactly like an unknown code."""

    unit = MeetingUnitField(label="Tập thể (đơn vị)")

    def __init__(self, *args: Any, units: QuerySet[Unit], source: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, MeetingUnitField) and isinstance(field.widget, UnitPicker)
        field.queryset = units
        field.widget.source = source


# The attendance buttons that change the page, not the records: filter the list by name, tick
# or untick every member it shows. JavaScript does the same in place; without it they post the
# form, which comes back as the user left it (`MeetingForm.redisplay`).
ATTENDANCE_ACTIONS = ("filter", "summon-all", "present-all", "clear-all")


@dataclass(frozen=True)
class AttendanceRow:
    """One member on the form's attendance list, with what is ticked for them."""

    member: MemberRow
    summoned: bool
    present: bool


class MeetingForm(forms.Form):
    """Date, chair, secretary, attendance, quorum rule and minutes of a collective meeting
    (its unit is the one picked with `MeetingUnitForm`). The attendance is one list of members,
    each with its two boxes (summoned, present), drawn by the template from `attendance`."""

    held_on = forms.DateField(label="Ngày họp", widget=forms.DateInput(attrs={"type": "date"}))
    chair = forms.ModelChoiceField(label="Chủ trì", queryset=Person.objects.none())
    secretary = forms.ModelChoiceField(label="Thư ký", queryset=Person.objects.none())
    summoned = forms.ModelMultipleChoiceField(
        label="Thành viên được triệu tập",
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    present = forms.ModelMultipleChoiceField(
        label="Thành viên có mặt",
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    quorum_numerator = forms.IntegerField(label="Tỷ lệ tối thiểu: tử số", min_value=1, initial=2)
    quorum_denominator = forms.IntegerField(label="mẫu số", min_value=1, initial=3)
    minutes = forms.CharField(label="Biên bản", widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("chair", "secretary", "summoned", "present"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = people

    @classmethod
    def redisplay(
        cls,
        data: Mapping[str, Any],
        *,
        people: QuerySet[Person],
        action: str,
        shown: Iterable[int],
    ) -> MeetingForm:
        """The form as the user left it, not validated (no error for what is still to fill in),
        after an attendance button applied to the members `shown`; being present implies being
        summoned, so "all present" summons them too."""
        posted = cls(data, people=people)
        initial = {name: posted[name].value() for name in posted.fields}
        summoned, present = posted.ticked("summoned"), posted.ticked("present")
        members = {str(pk) for pk in shown}
        if action in ("summon-all", "present-all"):
            summoned |= members
        if action == "present-all":
            present |= members
        if action == "clear-all":
            summoned, present = summoned - members, present - members
        initial.update(summoned=sorted(summoned), present=sorted(present))
        return cls(initial=initial, people=people)

    def ticked(self, name: str) -> set[str]:
        """The people ticked in one of the attendance columns (posted, or initial), as the
        strings the boxes carry."""
        return {str(value) for value in self[name].value() or []}

    def counts(self) -> tuple[int, int, int | None]:
        """How many are ticked summoned and present, and how many must be present for the
        quorum as the form states it (None while the rule is not two whole numbers)."""
        summoned, present = self.ticked("summoned"), self.ticked("present")
        num = whole_number(str(self["quorum_numerator"].value() or ""), low=1, high=1000)
        den = whole_number(str(self["quorum_denominator"].value() or ""), low=1, high=1000)
        needed = -(-len(summoned) * num // den) if num and den and num <= den else None
        return len(summoned), len(present), needed

    def attendance(self, members: list[MemberRow]) -> list[AttendanceRow]:
        """The members with their boxes as posted (kept when the form comes back with an error)."""
        summoned, present = self.ticked("summoned"), self.ticked("present")
        return [
            AttendanceRow(m, str(m.person.pk) in summoned, str(m.person.pk) in present)
            for m in members
        ]


class VotesForm(forms.Form):
    """For each evaluation of the unit: the level put to the vote and the counts per level."""

    LEVEL_FIELDS = ("htxs", "htt", "htnv", "kht")

    def __init__(self, *args: Any, evaluations: list[Evaluation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.evaluations = evaluations
        for ev in evaluations:
            # The table cells carry no <label>: each input names its person and level itself.
            self.fields[f"e{ev.pk}_level"] = forms.ChoiceField(
                label=ev.subject_name,
                choices=BLANK_LEVEL + LEVEL_CHOICES,
                required=False,
                widget=forms.Select(attrs={"aria-label": f"Mức đưa ra: {ev.subject_name}"}),
            )
            for name in self.LEVEL_FIELDS:
                self.fields[f"e{ev.pk}_{name}"] = forms.IntegerField(
                    label=name.upper(),
                    min_value=0,
                    required=False,
                    widget=forms.NumberInput(
                        attrs={"aria-label": f"Số phiếu {name.upper()}: {ev.subject_name}"}
                    ),
                )

    def rows(self) -> list[tuple[Evaluation, list[forms.BoundField]]]:
        """The fields of each evaluation, for the table."""
        names = ("level", *self.LEVEL_FIELDS)
        return [(ev, [self[f"e{ev.pk}_{n}"] for n in names]) for ev in self.evaluations]

    def votes(self) -> list[tuple[Evaluation, str, dict[str, int]]]:
        """The evaluations with a level filled in, with their counts."""
        out = []
        for ev in self.evaluations:
            level = self.cleaned_data.get(f"e{ev.pk}_level") or ""
            if level:
                counts = {
                    n.upper(): int(self.cleaned_data.get(f"e{ev.pk}_{n}") or 0)
                    for n in self.LEVEL_FIELDS
                }
                out.append((ev, level, counts))
        return out


class MeetingCloseForm(forms.Form):
    """The final minutes."""

    minutes = forms.CharField(label="Biên bản", widget=forms.Textarea, required=False)


class SurveyOpenForm(forms.Form):
    """Whom to ask (peers or subordinates), how many codes, until when."""

    role = forms.ChoiceField(label="Lấy ý kiến", choices=SurveyRole.choices)
    count = forms.IntegerField(label="Số mã phát ra", min_value=3, max_value=500, initial=10)
    closes_on = forms.DateField(
        label="Hạn trả lời", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class MoreCodesForm(forms.Form):
    """How many more codes to issue."""

    count = forms.IntegerField(label="Số mã phát thêm", min_value=1, max_value=500, initial=1)


class CodeForm(forms.Form):
    """The code printed on the respondent's slip."""

    code = forms.CharField(label="Mã trả lời", max_length=40)


class AnswerForm(forms.Form):
    """A level and an optional comment per criterion group."""

    code = forms.CharField(widget=forms.HiddenInput, max_length=40)

    def __init__(self, *args: Any, criteria: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for key, label in criteria.items():
            self.fields[f"{key}_level"] = forms.ChoiceField(
                label=label, choices=LEVEL_CHOICES, widget=forms.RadioSelect
            )
            self.fields[f"{key}_comment"] = forms.CharField(
                label="Ý kiến (không bắt buộc)",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=2000,
            )

    def answers(self) -> dict[str, dict[str, str]]:
        """The answers in the shape the service stores."""
        return {
            key: {
                "level": self.cleaned_data[f"{key}_level"],
                "comment": self.cleaned_data.get(f"{key}_comment", ""),
            }
            for key in self.criteria
        }


class BodyRequestForm(forms.Form):
    """The body asked (a unit by its code, or a name) and the deadline."""

    body_unit_code = forms.CharField(label="Mã đơn vị (nếu có trong hệ thống)", required=False)
    body_name = forms.CharField(label="Tên cơ quan", required=False, max_length=255)
    question = forms.CharField(label="Nội dung xin ý kiến", widget=forms.Textarea, required=False)
    due_on = forms.DateField(label="Hạn trả lời", widget=forms.DateInput(attrs={"type": "date"}))

    def clean_body_unit_code(self) -> Unit | None:
        """The unit named by its code, if any."""
        code = self.cleaned_data.get("body_unit_code", "").strip()
        if not code:
            return None
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise forms.ValidationError("Không có đơn vị mang mã này.")
        return unit


class BodyAnswerForm(forms.Form):
    """The body's opinion, and the level it proposes if any."""

    opinion = forms.CharField(label="Ý kiến của cơ quan", widget=forms.Textarea)
    proposed_level = forms.ChoiceField(
        label="Mức đề xuất", choices=BLANK_LEVEL + LEVEL_CHOICES, required=False
    )
