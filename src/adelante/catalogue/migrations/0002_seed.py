"""The metric catalogue that the official statements use, and the focus-area taxonomy.

Both stay editable data afterwards (admin); this only gives a new database its starting set.
"""

from django.db import migrations

METRICS = [
    # code, English, Spanish, unit, by_sex
    ("usd_invested", "US dollars invested", "Dólares invertidos (US$)", "usd", False),
    ("jobs_created", "Jobs created", "Empleos creados", "jobs", True),
    ("people_trained", "People trained", "Personas capacitadas", "people", True),
    (
        "people_financially_included",
        "People financially included",
        "Personas incluidas financieramente",
        "people",
        True,
    ),
    (
        "people_digitally_connected",
        "People digitally connected",
        "Personas conectadas digitalmente",
        "people",
        True,
    ),
    (
        "small_businesses_supported",
        "Small businesses supported",
        "Pequeñas empresas apoyadas",
        "organisations",
        False,
    ),
    ("producers_supported", "Producers supported", "Productores apoyados", "people", True),
    ("women_reached", "Women reached", "Mujeres alcanzadas", "people", False),
]

FOCUS_AREAS = [
    # code, English, Spanish, keywords
    (
        "financial_inclusion",
        "Financial inclusion",
        "Inclusión financiera",
        "financial, finance, banking, bank, microfinance, payments, credit, fintech, loan",
    ),
    (
        "digital_connectivity",
        "Digital connectivity",
        "Conectividad digital",
        "digital, connectivity, broadband, telecom, internet",
    ),
    (
        "agriculture",
        "Agriculture and food",
        "Agricultura y alimentos",
        "agriculture, agribusiness, agroindustry, coffee, farmer, farmers, smallholders, food",
    ),
    (
        "manufacturing_sourcing",
        "Manufacturing and sourcing",
        "Manufactura y abastecimiento",
        "manufacturing, textile, textiles, apparel, sourcing, yarn, auto-parts, retail, "
        "nearshoring, distribution",
    ),
    (
        "education_skills",
        "Education and workforce skills",
        "Educación y habilidades laborales",
        "education, skills, learning, training, english, certification",
    ),
    (
        "entrepreneurship",
        "Entrepreneurship and small business",
        "Emprendimiento y pequeñas empresas",
        "entrepreneurship, entrepreneurs, sme, incubator, small business",
    ),
    (
        "women",
        "Women's empowerment",
        "Empoderamiento de las mujeres",
        "women, women's, gender",
    ),
    ("health", "Health", "Salud", "health, telemedicine"),
    (
        "governance",
        "Good governance and anti-corruption",
        "Buen gobierno y anticorrupción",
        "governance, corruption, transparency",
    ),
    (
        "labour_rights",
        "Labour rights and decent work",
        "Derechos laborales y trabajo decente",
        "labour, labor, decent work",
    ),
    ("climate", "Climate", "Clima", "climate, regenerative, recycled, environment"),
    (
        "violence_prevention",
        "Violence prevention and youth",
        "Prevención de la violencia y juventud",
        "violence, youth, service corps",
    ),
    (
        "jobs",
        "Jobs and economic growth",
        "Empleo y crecimiento económico",
        "jobs, livelihoods, investment",
    ),
    (
        "partnership_building",
        "Convening and knowledge",
        "Articulación y conocimiento",
        "convening, stakeholder, mobilization, knowledge, impact metrics",
    ),
]


def seed(apps, schema_editor):
    Metric = apps.get_model("catalogue", "Metric")
    FocusArea = apps.get_model("catalogue", "FocusArea")
    for code, en, es, unit, by_sex in METRICS:
        Metric.objects.get_or_create(
            code=code,
            defaults={"name_en": en, "name_es": es, "unit": unit, "by_sex": by_sex},
        )
    for code, en, es, keywords in FOCUS_AREAS:
        FocusArea.objects.get_or_create(
            code=code, defaults={"name_en": en, "name_es": es, "keywords": keywords}
        )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
