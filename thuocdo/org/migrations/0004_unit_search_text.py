"""Units get a search text: the name and code without diacritics, filled for existing units."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db import migrations, models


def _fold(text: str) -> str:
    # As thuocdo.org.names.fold at the time of writing; kept here so the migration never
    # changes with the code.
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fill_unit_search_text(apps: Any, schema_editor: Any) -> None:
    Unit = apps.get_model("org", "Unit")
    units = list(Unit.objects.only("pk", "name", "code"))
    for unit in units:
        unit.search_text = " " + " ".join(_fold(f"{unit.name} {unit.code}").split()) + " "
    Unit.objects.bulk_update(units, ["search_text"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0003_unit_party_grassroots"),
    ]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="search_text",
            field=models.CharField(default="", editable=False, max_length=320),
        ),
        migrations.RunPython(fill_unit_search_text, migrations.RunPython.noop),
    ]
