"""Passports recorded before claims existed (``0015_passport_claims`` made every one the registry's) become
claims unless the hall has had them in hand or recorded them itself. Stays the registry's: a document some
received case is bound to (``Case.travel_document`` with ``received_on``: checked at that intake), and one
the audit trail shows an officer or supervisor recorded (``person.document``, its person, country and
number). Any other is a claim until the hall confirms it at the next intake (``cases.services.intake``).

The audit trail names who recorded a document only for those added on their own (``person.document``),
not for those entered with a new person or case: a passport the hall entered that way, and no case has
yet brought to the counter, becomes a claim too, and is confirmed when its holder's case is received (the
safe side). One set-based UPDATE, however many documents."""

from django.db import migrations, models
from django.db.models import Exists, OuterRef
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

HALL_SIDE = ("officer", "supervisor")  # ``accounts.policy.is_hall_side`` when this was written


def unchecked_are_claims(apps, schema_editor) -> None:
    TravelDocument = apps.get_model("registry", "TravelDocument")
    Case = apps.get_model("cases", "Case")
    AuditEntry = apps.get_model("accounts", "AuditEntry")
    checked = Case.objects.filter(travel_document=OuterRef("pk"), received_on__isnull=False)
    recorded = AuditEntry.objects.annotate(number=KT("new__number"), country=KT("new__country")).filter(
        action="person.document",
        object_type="person",
        object_id=Cast(OuterRef("person_id"), models.CharField()),
        role__in=HALL_SIDE,
        number=OuterRef("number"),
        country=OuterRef("issuing_country"),
    )
    TravelDocument.objects.filter(claim=False).exclude(Exists(checked)).exclude(Exists(recorded)).update(
        claim=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0015_passport_claims"),
        ("cases", "0013_case_travel_document"),
        ("accounts", "0015_held_secrets"),
    ]

    operations = [migrations.RunPython(unchecked_are_claims, migrations.RunPython.noop)]
