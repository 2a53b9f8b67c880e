"""The Spanish name of the "Convening and knowledge" focus area: "convocatoria" reads as a
call for proposals; "articulación" is what the region calls bringing actors together.

Only the seeded wording changes; a name an administrator already edited stays.
"""

from django.db import migrations

OLD = "Convocatoria y conocimiento"
NEW = "Articulación y conocimiento"


def forwards(apps, schema_editor):
    FocusArea = apps.get_model("catalogue", "FocusArea")
    FocusArea.objects.filter(code="partnership_building", name_es=OLD).update(name_es=NEW)


def backwards(apps, schema_editor):
    FocusArea = apps.get_model("catalogue", "FocusArea")
    FocusArea.objects.filter(code="partnership_building", name_es=NEW).update(name_es=OLD)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0005_statement_names")]
    operations = [migrations.RunPython(forwards, backwards)]
