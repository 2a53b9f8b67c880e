"""Verified reports that carry evidence files say so (ProgressReport.evidence_attached).

Evidence can change only while a report is with its partner, so for a report already
verified the files it has now are the ones it was verified with. The history rows of those
reports are left as they were: "as recorded on" an earlier day reads them without evidence,
as the figures of that day did not grade evidence.
"""

from django.db import migrations
from django.db.models import Exists, OuterRef


def mark(apps, schema_editor):
    ProgressReport = apps.get_model("progress", "ProgressReport")
    Evidence = apps.get_model("workflow", "Evidence")
    ProgressReport.objects.filter(
        Exists(Evidence.objects.filter(report_id=OuterRef("id"))), status="verified"
    ).update(evidence_attached=True)


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0004_comments_and_partner_documents"),
        ("progress", "0003_report_evidence_attached"),
    ]

    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
