"""The API tokens of Django REST framework's authtoken were stored in clear: they are dropped
(django-rest-knox keeps only a digest). Holders of an old token ask /api/token/ again."""

from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", migrations.RunSQL.noop),
    ]
