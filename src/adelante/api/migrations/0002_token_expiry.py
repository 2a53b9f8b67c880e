"""API tokens expire (docs/api.md, "Tokens"); existing tokens get ADELANTE_API_TOKEN_DAYS from
the day of this migration (not from their creation, which could stop scripts without warning
on the day of the upgrade)."""

import datetime

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def give_expiry(apps, schema_editor):
    ApiToken = apps.get_model("api", "ApiToken")
    days = int(getattr(settings, "ADELANTE_API_TOKEN_DAYS", 90))
    ApiToken.objects.filter(expires__isnull=True).update(
        expires=timezone.now() + datetime.timedelta(days=days)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires",
            field=models.DateTimeField(null=True, verbose_name="expires"),
        ),
        migrations.RunPython(give_expiry, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires",
            field=models.DateTimeField(verbose_name="expires"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="replaced_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="api.apitoken",
                verbose_name="replaced by",
            ),
        ),
    ]
