"""Passports recorded before claims existed (``0015_passport_claims`` made every one the registry's) become
claims unless the hall has had them in hand: a document some received case is bound to
(``Case.travel_document`` with ``received_on``) was checked at that intake, and stays the registry's; any
other is a claim until the hall confirms it at the next intake (``cases.services.intake``).

The received-case rule alone decides: the audit trail names who recorded a document only for documents
added on their own (``person.document``), not for those entered with a new person or a new case, so it
cannot tell every hall-recorded passport apart. A passport the hall recorded but no case has yet brought
to the counter becomes a claim too, and is confirmed when its holder's case is received: the safe side.
One set-based UPDATE, however many documents."""

from django.db import migrations
from django.db.models import Exists, OuterRef


def unchecked_are_claims(apps, schema_editor) -> None:
    TravelDocument = apps.get_model("registry", "TravelDocument")
    Case = apps.get_model("cases", "Case")
    checked = Case.objects.filter(travel_document=OuterRef("pk"), received_on__isnull=False)
    TravelDocument.objects.filter(claim=False).exclude(Exists(checked)).update(claim=True)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0015_passport_claims"),
        ("cases", "0013_case_travel_document"),
    ]

    operations = [migrations.RunPython(unchecked_are_claims, migrations.RunPython.noop)]
