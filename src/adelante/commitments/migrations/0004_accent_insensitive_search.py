"""The database function `adelante_fold` (adelante/folding.py) on PostgreSQL; SQLite gets it
from Python on every connection, so there is nothing to create there."""

from django.db import migrations

from adelante.folding import FUNCTION, postgresql_function


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(postgresql_function())


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}(text)")


class Migration(migrations.Migration):
    dependencies = [("commitments", "0003_statement_year_precision")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
