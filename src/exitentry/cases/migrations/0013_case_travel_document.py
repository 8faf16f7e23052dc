"""A case keeps the travel document the hall received it on, so its receipt, notices and decision (and the
check of their QR codes) name that passport, not one the person was issued later. A case received before
gets the document the person held on the day it was received (issued by then, running longest), or, when
none was issued by then (recorded later with a later date), the one that runs longest, as its documents
showed before."""

import django.db.models.deletion
from django.db import migrations, models


def bind(apps, schema_editor) -> None:
    Case = apps.get_model("cases", "Case")
    TravelDocument = apps.get_model("registry", "TravelDocument")
    received = Case.objects.filter(received_on__isnull=False, travel_document__isnull=True)
    # read first, then write: SQLite must not be written while a cursor still reads the same table
    for pk, person_id, received_on in list(received.values_list("pk", "person_id", "received_on")):
        documents = TravelDocument.objects.filter(person_id=person_id).order_by("-expires_on", "-pk")
        held = documents.filter(issued_on__lte=received_on).first() or documents.first()
        if held is not None:
            Case.objects.filter(pk=pk).update(travel_document=held)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_draft_expiry"),
        ("registry", "0014_person_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="travel_document",
            field=models.ForeignKey(
                blank=True,
                help_text="The travel document the hall received the application on; its documents name it",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="registry.traveldocument",
            ),
        ),
        migrations.RunPython(bind, migrations.RunPython.noop),
    ]
