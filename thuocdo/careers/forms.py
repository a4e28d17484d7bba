"""Forms of careers pages; every error names its field in Vietnamese."""

from __future__ import annotations

from typing import Any

from django import forms

from thuocdo.careers import rules
from thuocdo.careers.models import CaseOutcome, RotationKind, Training
from thuocdo.org.fields import ScopedUnitField
from thuocdo.org.models import Person, Post, Unit
from thuocdo.org.scope import today


class CaseFilterForm(forms.Form):
    """Which year (and optionally which unit's subtree) the cases page shows."""

    nam = forms.IntegerField(label="Năm", min_value=2000, max_value=2100, required=False)


class CaseDecisionForm(forms.Form):
    """The authority's decision on one case."""

    person = forms.IntegerField(widget=forms.HiddenInput)
    rule = forms.CharField(widget=forms.HiddenInput)
    year = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label="Quyết định", choices=CaseOutcome.choices)
    reason = forms.CharField(
        label="Lý do",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Lý do: phải ghi rõ lý do của quyết định."},
    )


class PoolForm(forms.Form):
    """A new planning pool; its rules start as the shipped defaults."""

    unit = ScopedUnitField()
    title = forms.CharField(
        label="Chức danh quy hoạch",
        max_length=120,
        error_messages={"required": "Chức danh quy hoạch: không được để trống."},
    )
    term_start = forms.IntegerField(label="Nhiệm kỳ từ năm", min_value=2000, max_value=2100)
    term_end = forms.IntegerField(label="Đến năm", min_value=2000, max_value=2100)
    posts = forms.IntegerField(label="Số chức danh", min_value=1, max_value=99, initial=1)
    women_min = forms.DecimalField(
        label="Tỷ lệ nữ tối thiểu (0–1)", min_value=0, max_value=1, required=False
    )
    minority_min = forms.DecimalField(
        label="Tỷ lệ dân tộc thiểu số tối thiểu (0–1)", min_value=0, max_value=1, required=False
    )
    ratio_min = forms.DecimalField(label="Số người tối thiểu mỗi chức danh", required=False)
    ratio_max = forms.DecimalField(label="Số người tối đa mỗi chức danh", required=False)

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, ScopedUnitField)
        field.queryset = Unit.objects.filter(pk__in=[u.pk for u in units])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("term_start"), data.get("term_end")
        if start and end and end <= start:
            self.add_error("term_end", "Đến năm: năm cuối nhiệm kỳ phải sau năm đầu.")
        return data


class PoolRulesForm(forms.Form):
    """A pool's eligibility rules as data (JSON), each with its source."""

    conditions = forms.JSONField(
        label="Điều kiện (JSON)",
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        error_messages={"invalid": "Điều kiện: không đúng định dạng JSON."},
        help_text=(
            "Mỗi điều kiện: rule (min-level-years, no-low-confidence, max-age, "
            "training-standards), source (căn cứ hoặc «Quyết định của cấp ủy»), và level, "
            "years hoặc age tùy điều kiện."
        ),
    )

    def clean_conditions(self) -> list[dict[str, Any]]:
        data = self.cleaned_data["conditions"]
        if not isinstance(data, list) or not all(isinstance(i, dict) for i in data):
            raise forms.ValidationError("Điều kiện: phải là một danh sách các đối tượng JSON.")
        try:
            rules.rules_parse(data)
        except rules.RuleError as error:
            raise forms.ValidationError([f"Điều kiện: {p}" for p in error.problems]) from None
        return data


class CandidateForm(forms.Form):
    """Propose a person (by code) into a pool."""

    code = forms.CharField(
        label="Mã cán bộ",
        max_length=40,
        error_messages={"required": "Mã cán bộ: không được để trống."},
    )
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = people

    def clean_code(self) -> Person:
        code = self.cleaned_data["code"].strip()
        person = self.people.filter(code=code).first()
        if person is None:
            raise forms.ValidationError(
                "Mã cán bộ: không tìm thấy cán bộ này trong phạm vi quản lý."
            )
        return person  # type: ignore[no-any-return]  # a Person from the scoped queryset


class TrainingForm(forms.ModelForm[Training]):
    """A course, degree or certificate of the person."""

    class Meta:
        model = Training
        fields = [
            "kind",
            "subject",
            "level",
            "name",
            "institution",
            "start_date",
            "end_date",
            "document_number",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }


class RotationForm(forms.Form):
    """Move the person from one of their current posts to a unit."""

    from_post = forms.ModelChoiceField(label="Chức vụ hiện tại", queryset=Post.objects.none())
    to_unit = ScopedUnitField(label="Đến đơn vị")
    title = forms.CharField(
        label="Chức danh mới",
        max_length=120,
        error_messages={"required": "Chức danh mới: không được để trống."},
    )
    kind = forms.ChoiceField(label="Hình thức", choices=RotationKind.choices)
    start_date = forms.DateField(
        label="Từ ngày",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Từ ngày: không được để trống."},
    )
    end_date = forms.DateField(
        label="Dự kiến đến ngày", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    purpose = forms.CharField(
        label="Mục đích",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Mục đích: phải ghi rõ mục đích luân chuyển, điều động."},
    )
    decision_number = forms.CharField(label="Số quyết định", max_length=60, required=False)
    is_head = forms.BooleanField(label="Người đứng đầu", required=False)
    duty_group = forms.CharField(label="Nhóm nhiệm vụ tương đồng", max_length=60, required=False)

    def __init__(self, *args: Any, person: Person, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        posts = self.fields["from_post"]
        target = self.fields["to_unit"]
        assert isinstance(posts, forms.ModelChoiceField)
        assert isinstance(target, ScopedUnitField)
        posts.queryset = Post.objects.active(today()).filter(person=person)
        target.queryset = units
