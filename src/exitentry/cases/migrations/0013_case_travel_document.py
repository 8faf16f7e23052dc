"""A case keeps the travel document the hall received it on, so its receipt, notices and decision (and the
check of their QR codes) name that passport, not one the person was issued later. A case received before
gets the document the person held on the day it was received (issued by then, running longest)."""

import django.db.models.deletion
from django.db import migrations, models


def bind(apps, schema_editor) -> None:
    Case = apps.get_model("cases", "Case")
    TravelDocument = apps.get_model("registry", "TravelDocument")
    for case in Case.objects.filter(received_on__isnull=False, travel_document__isnull=True).iterator():
        held = (
            TravelDocument.objects.filter(person_id=case.person_id, issued_on__lte=case.received_on)
            .order_by("-expires_on", "-pk")
            .first()
        )
        if held is not None:
            Case.objects.filter(pk=case.pk).update(travel_document=held)


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
