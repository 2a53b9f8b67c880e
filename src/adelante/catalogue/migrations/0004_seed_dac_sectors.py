"""Default OECD DAC 5-digit purpose codes for the seeded focus areas (the IATI export's sectors).

A starting point only: staff edit them in the admin (Focus areas), and docs/iati.md explains
each choice. Areas whose code is already set, and areas added later, are left alone.
"""

from django.db import migrations

DAC_SECTORS = {
    "financial_inclusion": "24030",  # Formal sector financial intermediaries
    "digital_connectivity": "22040",  # Information and communication technology (ICT)
    "agriculture": "31120",  # Agricultural development
    "manufacturing_sourcing": "32120",  # Industrial development
    "education_skills": "11330",  # Vocational training
    "entrepreneurship": "32130",  # Small and medium-sized enterprises (SME) development
    "women": "15170",  # Women's rights organisations and movements, and government institutions
    "health": "12220",  # Basic health care
    "governance": "15113",  # Anti-corruption organisations and institutions
    "labour_rights": "16070",  # Labour rights
    "climate": "41010",  # Environmental policy and administrative management
    "violence_prevention": "15220",  # Civilian peace-building, conflict prevention and resolution
    "jobs": "16020",  # Employment creation
    "partnership_building": "43010",  # Multisector aid
}


def seed(apps, schema_editor):
    FocusArea = apps.get_model("catalogue", "FocusArea")
    for code, sector in DAC_SECTORS.items():
        FocusArea.objects.filter(code=code, dac_sector="").update(dac_sector=sector)


def unseed(apps, schema_editor):
    FocusArea = apps.get_model("catalogue", "FocusArea")
    for code, sector in DAC_SECTORS.items():
        FocusArea.objects.filter(code=code, dac_sector=sector).update(dac_sector="")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0003_focusarea_dac_sector")]
    operations = [migrations.RunPython(seed, unseed)]
