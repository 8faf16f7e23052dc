"""A unit's report keeps the travel document the person held when it was filed, so its receipt (and the
check of the receipt's QR code) names that passport, not one the person was issued later. A report filed
before gets the document the person held on the day it was filed in Beijing (issued by then, running
longest), or, when none was issued by then (recorded later with a later date), the one that runs longest,
as its receipt showed before."""

from zoneinfo import ZoneInfo

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import ExpressionWrapper, OuterRef, Subquery
from django.db.models.functions import Coalesce, TruncDate

BEIJING = ZoneInfo("Asia/Shanghai")
BATCH = 1000  # reports bound by one UPDATE


def bind(apps, schema_editor) -> None:
    """Set-based: each batch of reports in one UPDATE, each report's document a subquery."""
    UnitReport = apps.get_model("compliance", "UnitReport")
    TravelDocument = apps.get_model("registry", "TravelDocument")
    documents = TravelDocument.objects.filter(person_id=OuterRef("person_id")).order_by("-expires_on", "-pk")
    filed_at = ExpressionWrapper(OuterRef("filed_at"), output_field=models.DateTimeField())  # typed for Trunc
    filed_on = TruncDate(filed_at, tzinfo=BEIJING)
    held = Coalesce(
        Subquery(documents.filter(issued_on__lte=filed_on).values("pk")[:1]),
        Subquery(documents.values("pk")[:1]),
    )
    # read first, then write: SQLite must not be written while a cursor still reads the same table
    unbound = list(UnitReport.objects.filter(travel_document__isnull=True).order_by("pk").values_list("pk"))
    for start in range(0, len(unbound), BATCH):
        batch = [pk for (pk,) in unbound[start : start + BATCH]]
        UnitReport.objects.filter(pk__in=batch).update(travel_document=held)


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
