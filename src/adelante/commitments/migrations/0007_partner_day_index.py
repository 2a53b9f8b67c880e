# The same-pledge suggestions read a partner's commitments within a window of days.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('commitments', '0006_same_pledge_dismissal'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='commitment',
            index=models.Index(fields=['partner', 'announced_on'], name='commitment_partner_day'),
        ),
    ]
