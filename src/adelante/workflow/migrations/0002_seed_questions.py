"""The due-diligence checklist's starting questions (labour rights, anti-corruption, human
rights, environmental safeguards). They stay editable data (admin): add, reword, deactivate."""

from django.db import migrations

QUESTIONS = [
    # code, topic, English, Spanish, needs a document
    (
        "labour-core-standards",
        "labour_rights",
        "Does the organisation respect the ILO core labour standards (freedom of association "
        "and collective bargaining; no forced labour; no child labour; no discrimination) in "
        "its operations and its supply chain in the region?",
        "¿Respeta la organización las normas fundamentales del trabajo de la OIT (libertad de "
        "asociación y negociación colectiva; sin trabajo forzoso; sin trabajo infantil; sin "
        "discriminación) en sus operaciones y su cadena de suministro en la región?",
        True,
    ),
    (
        "labour-grievances",
        "labour_rights",
        "Can workers raise grievances without retaliation, and are there no unresolved "
        "findings of labour-law violations against the organisation in the last five years?",
        "¿Pueden los trabajadores presentar quejas sin represalias, y no hay hallazgos sin "
        "resolver de violaciones de la legislación laboral contra la organización en los "
        "últimos cinco años?",
        False,
    ),
    (
        "anti-corruption-policy",
        "anti_corruption",
        "Does the organisation have an anti-corruption and anti-bribery policy (covering "
        "facilitation payments, gifts and intermediaries), with someone responsible for it?",
        "¿Tiene la organización una política anticorrupción y antisoborno (que cubra pagos de "
        "facilitación, regalos e intermediarios), con una persona responsable de ella?",
        True,
    ),
    (
        "anti-corruption-record",
        "anti_corruption",
        "Are the organisation, its owners and its directors free of corruption convictions, "
        "debarments and open investigations?",
        "¿Están la organización, sus propietarios y sus directivos libres de condenas por "
        "corrupción, inhabilitaciones e investigaciones abiertas?",
        False,
    ),
    (
        "beneficial-ownership",
        "anti_corruption",
        "Are the organisation's beneficial owners known, and none of them a politically "
        "exposed person without disclosure?",
        "¿Se conocen los beneficiarios finales de la organización, y ninguno es una persona "
        "políticamente expuesta sin haberlo declarado?",
        False,
    ),
    (
        "human-rights-due-diligence",
        "human_rights",
        "Does the organisation carry out human-rights due diligence in line with the UN "
        "Guiding Principles on Business and Human Rights, including the rights of indigenous "
        "peoples and of human-rights defenders?",
        "¿Realiza la organización una debida diligencia en derechos humanos conforme a los "
        "Principios Rectores de la ONU sobre las Empresas y los Derechos Humanos, incluidos "
        "los derechos de los pueblos indígenas y de las personas defensoras?",
        False,
    ),
    (
        "environment-safeguards",
        "environment",
        "Does the commitment have environmental and social safeguards (for example the IFC "
        "Performance Standards), with an assessment of its main risks?",
        "¿Tiene el compromiso salvaguardas ambientales y sociales (por ejemplo las Normas de "
        "Desempeño de la IFC), con una evaluación de sus principales riesgos?",
        False,
    ),
    (
        "environment-record",
        "environment",
        "Is the organisation free of unresolved environmental violations in the region?",
        "¿Está la organización libre de infracciones ambientales sin resolver en la región?",
        False,
    ),
]


def seed(apps, schema_editor):
    Question = apps.get_model("workflow", "DueDiligenceQuestion")
    for order, (code, topic, en, es, document) in enumerate(QUESTIONS, start=1):
        Question.objects.update_or_create(
            code=code,
            defaults={
                "topic": topic,
                "text_en": en,
                "text_es": es,
                "requires_document": document,
                "order": order * 10,
                "active": True,
            },
        )


def unseed(apps, schema_editor):
    Question = apps.get_model("workflow", "DueDiligenceQuestion")
    Question.objects.filter(code__in=[q[0] for q in QUESTIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
