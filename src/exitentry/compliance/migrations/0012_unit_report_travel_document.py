"""A unit's report keeps the travel document the person held when it was filed, so its receipt (and the
check of the receipt's QR code) names that passport, not one the person was issued later. A report filed
before gets the document the person held on the day it was filed in Beijing (issued by then, running
longest), or, when none was issued by then (recorded later with a later date), the one that runs longest,
as its receipt showed before."""

from zoneinfo import ZoneInfo

import django.db.models.deletion
from django.db import migrations, models

BEIJING = ZoneInfo("Asia/Shanghai")


def bind(apps, schema_editor) -> None:
    UnitReport = apps.get_model("compliance", "UnitReport")
    TravelDocument = apps.get_model("registry", "TravelDocument")
    unbound = UnitReport.objects.filter(travel_document__isnull=True)
    # read first, then write: SQLite must not be written while a cursor still reads the same table
    for pk, person_id, filed_at in list(unbound.values_list("pk", "person_id", "filed_at")):
        documents = TravelDocument.objects.filter(person_id=person_id).order_by("-expires_on", "-pk")
        filed_on = filed_at.astimezone(BEIJING).date()
        held = documents.filter(issued_on__lte=filed_on).first() or documents.first()
        if held is not None:
            UnitReport.objects.filter(pk=pk).update(travel_document=held)


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0011_change_reports"),
        ("registry", "0014_person_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="unitreport",
            name="travel_document",
            field=models.ForeignKey(
                blank=True,
                help_text="The travel document the person held when the unit reported; its receipt names it",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="registry.traveldocument",
            ),
        ),
        migrations.RunPython(bind, migrations.RunPython.noop),
    ]
