"""Rule-sets by subject group, a Party-member evaluation beside the State one, criteria
ratings for rule-sets without points."""

from decimal import Decimal

import django.core.validators
from django.db import migrations, models


def evaluations_take_their_period_ruleset(apps, schema_editor):
    Evaluation = apps.get_model("reviews", "Evaluation")
    Period = apps.get_model("reviews", "Period")
    for pk, ruleset in Period.objects.values_list("pk", "ruleset"):
        Evaluation.objects.filter(period_id=pk).update(ruleset=ruleset)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0003_appeals"),
    ]

    operations = [
        migrations.AddField(
            model_name="period",
            name="rulesets",
            field=models.JSONField(
                blank=True, default=dict, verbose_name="bộ quy tắc theo nhóm đối tượng"
            ),
        ),
        migrations.AddField(
            model_name="evaluation",
            name="ruleset",
            field=models.CharField(default="", max_length=60, verbose_name="bộ quy tắc"),
            preserve_default=False,
        ),
        migrations.RunPython(
            evaluations_take_their_period_ruleset, reverse_code=migrations.RunPython.noop
        ),
        migrations.AddField(
            model_name="evaluation",
            name="criteria",
            field=models.JSONField(
                blank=True, default=dict, verbose_name="mức đánh giá các nhóm tiêu chí"
            ),
        ),
        migrations.AddField(
            model_name="annualassessment",
            name="criteria",
            field=models.JSONField(
                blank=True, default=dict, verbose_name="mức đánh giá các nhóm tiêu chí"
            ),
        ),
        migrations.AlterField(
            model_name="annualassessment",
            name="general",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=5,
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("0")),
                    django.core.validators.MaxValueValidator(Decimal("100")),
                ],
                verbose_name="điểm tiêu chí chung",
            ),
        ),
        migrations.AlterField(
            model_name="annualassessment",
            name="results",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=5,
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("0")),
                    django.core.validators.MaxValueValidator(Decimal("100")),
                ],
                verbose_name="điểm kết quả thực hiện nhiệm vụ",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="evaluation",
            name="evaluation_one_per_post",
        ),
        migrations.AddConstraint(
            model_name="evaluation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "individual")),
                fields=("period", "post", "group"),
                name="evaluation_one_per_post_and_group",
            ),
        ),
    ]
