"""Forms of the confidence-vote pages: set-up, the voter's code and ballot, paper ballots."""

from __future__ import annotations

from typing import Any

from django import forms

from thuocdo.ballots.models import Candidate, Choice, ShareBase
from thuocdo.org.models import Person

BLANK = [("", "—")]


def _people(label: str, *, required: bool = True) -> forms.ModelMultipleChoiceField[Person]:
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=required,
    )


class CampaignForm(forms.Form):
    """Title, meeting date, rule option, who is voted on, who votes, the counting committee."""

    title = forms.CharField(label="Tên cuộc lấy phiếu", max_length=255)
    meeting_date = forms.DateField(
        label="Ngày hội nghị", widget=forms.DateInput(attrs={"type": "date"})
    )
    base = forms.ChoiceField(
        label="Tỷ lệ tín nhiệm thấp tính", choices=ShareBase.choices, initial=ShareBase.SUMMONED
    )
    candidates = _people("Người được lấy phiếu")
    summoned = _people("Người được triệu tập bỏ phiếu")
    committee = _people("Ban kiểm phiếu", required=False)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("candidates", "summoned", "committee"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = people


class CodeForm(forms.Form):
    """The code printed on the voter's slip."""

    code = forms.CharField(label="Mã bỏ phiếu", max_length=40)


class BallotForm(forms.Form):
    """One radio group per cadre, named by the cadre (its legend), three choices each."""

    code = forms.CharField(widget=forms.HiddenInput, max_length=40)

    def __init__(self, *args: Any, candidates: list[Candidate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.label_suffix = ""  # the legend is the group's accessible name: the cadre alone
        for c in candidates:
            self.fields[f"c{c.pk}"] = forms.ChoiceField(
                label=f"{c.person.full_name} — {c.post_title}",
                choices=Choice.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Chưa chọn mức tín nhiệm cho {c.person.full_name}."},
            )

    def marks(self) -> dict[str, str]:
        """The ballot in the shape the service stores."""
        return {str(c.pk): self.cleaned_data[f"c{c.pk}"] for c in self.candidates}


class PaperIssueForm(forms.Form):
    """Who receives a paper ballot (their code stops working)."""

    people = _people("Người nhận phiếu giấy")

    def __init__(self, *args: Any, roll: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["people"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = roll


class BatchForm(forms.Form):
    """`rows` paper ballots: a choice per cadre, or the ballot marked invalid; blank rows are
    left out."""

    def __init__(self, *args: Any, candidates: list[Candidate], rows: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates, self.row_count = candidates, rows
        for n in range(1, rows + 1):
            for c in candidates:
                self.fields[f"p{n}_c{c.pk}"] = forms.ChoiceField(
                    label=c.person.full_name,
                    choices=BLANK + Choice.choices,
                    required=False,
                    widget=forms.Select(attrs={"aria-label": f"Phiếu {n}: {c.person.full_name}"}),
                )
            self.fields[f"p{n}_invalid"] = forms.BooleanField(
                label=f"Phiếu {n} không hợp lệ", required=False
            )

    def clean(self) -> dict[str, Any]:
        """A row is blank, marked invalid, or has a choice for every cadre."""
        data = super().clean() or {}
        for n in range(1, self.row_count + 1):
            missing = [c.person.full_name for c in self.candidates if not data.get(f"p{n}_c{c.pk}")]
            if not data.get(f"p{n}_invalid") and 0 < len(missing) < len(self.candidates):
                self.add_error(None, f"Phiếu {n}: chưa chọn mức cho {', '.join(missing)}.")
        return data

    def rows(self) -> list[tuple[int, list[forms.BoundField], forms.BoundField]]:
        """The fields of each row, for the table."""
        return [
            (n, [self[f"p{n}_c{c.pk}"] for c in self.candidates], self[f"p{n}_invalid"])
            for n in range(1, self.row_count + 1)
        ]

    def ballots(self) -> list[dict[str, str] | None]:
        """The rows filled in, in order: marks, or None for an invalid ballot."""
        out: list[dict[str, str] | None] = []
        for n in range(1, self.row_count + 1):
            marks = {
                str(c.pk): self.cleaned_data.get(f"p{n}_c{c.pk}") or "" for c in self.candidates
            }
            if self.cleaned_data.get(f"p{n}_invalid"):
                out.append(None)
            elif any(marks.values()):
                out.append({k: v for k, v in marks.items() if v})
        return out
