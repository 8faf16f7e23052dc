from django.db import migrations, models
from django.utils import timezone

# The case states that need no visit (``lifecycle.NEEDS_NO_VISIT`` when this was written).
NO_VISIT = ["approved", "refused", "issued", "ready", "collected", "withdrawn"]


def end_moot_bookings(apps, schema_editor):
    """Bookings left active on cases already decided or closed end as ``moot`` would end them now."""
    Booking = apps.get_model("appointments", "Booking")
    Slot = apps.get_model("appointments", "Slot")
    moot = Booking.objects.filter(state="active", case__state__in=NO_VISIT)
    slots = list(moot.values_list("slot_id", flat=True))
    moot.update(state="cancelled", ended_at=timezone.now(), ended_because="case_closed")
    Slot.objects.filter(pk__in=slots).update(held=False)


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0006_translated_model_names"),
        ("cases", "0009_translated_model_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="booking",
            name="ended_because",
            field=models.CharField(
                blank=True,
                choices=[("case_closed", "The application no longer needs a visit to the hall")],
                max_length=16,
            ),
        ),
        migrations.RunPython(end_moot_bookings, migrations.RunPython.noop),
    ]
