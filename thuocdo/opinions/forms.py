"""Forms of the opinion pages: meeting, votes, survey, the respondent's answer, related bodies."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from thuocdo.opinions.models import LEVEL_CHOICES, SurveyRole
from thuocdo.org.fields import ScopedUnitField, UnitPicker
from thuocdo.org.models import Person, Unit
from thuocdo.reviews.models import Evaluation

BLANK_LEVEL = [("", "—")]


class MeetingUnitForm(forms.Form):
    """The collective whose meeting is recorded, typed and picked among `units` (a city-wide
    period has thousands); one out of them is refused exactly like an unknown code."""

    unit = ScopedUnitField(label="Tập thể (đơn vị)")

    def __init__(self, *args: Any, units: QuerySet[Unit], source: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, ScopedUnitField) and isinstance(field.widget, UnitPicker)
        field.queryset = units
        field.widget.source = source


class MeetingForm(forms.Form):
    """Date, chair, secretary, attendance, quorum rule and minutes of a collective meeting
    (its unit is the one picked with `MeetingUnitForm`)."""

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
