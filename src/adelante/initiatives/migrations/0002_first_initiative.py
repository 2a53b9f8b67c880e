"""The shipped record's initiative, Central America Forward, primary, with its three countries.

Made before the commitments take an initiative (commitments 0005), so that every existing round,
commitment and official statement, and every version in their history, joins it.
"""

from django.db import migrations


def make_first_initiative(apps, schema_editor):  # type: ignore[no-untyped-def]
    Initiative = apps.get_model("initiatives", "Initiative")
    InitiativeCountry = apps.get_model("initiatives", "InitiativeCountry")
    if Initiative.objects.filter(primary=True).exists():
        return
    first = Initiative.objects.create(
        slug="central-america-forward",
        name="Central America Forward",
        name_es="Central America Forward",
        description=(
            "The partnership in which companies and organisations pledged investment for "
            "Guatemala, El Salvador and Honduras, coordinated by a non-profit secretariat."
        ),
        description_es=(
            "La alianza en la que empresas y organizaciones comprometieron inversiones para "
            "Guatemala, El Salvador y Honduras, coordinada por una secretaría sin fines de lucro."
        ),
        written_in="en",
        translation_state="staff",
        primary=True,
    )
    for position, code in enumerate(("GT", "SV", "HN")):
        InitiativeCountry.objects.create(initiative=first, code=code, position=position)


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0001_initial")]

    operations = [migrations.RunPython(make_first_initiative, migrations.RunPython.noop)]
