"""A refused case is closed on the day of its decision, as the decision service now records it."""

from django.db import migrations
from django.db.models import F


def close_refusals(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Case.objects.filter(state="refused", closed_on__isnull=True).update(closed_on=F("decided_on"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0010_one_open_case_per_permit")]

    operations = [migrations.RunPython(close_refusals, migrations.RunPython.noop)]
