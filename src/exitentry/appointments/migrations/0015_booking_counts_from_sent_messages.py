"""Each booking's withdrawals and restorations counted from the messages already sent (0014 adds the
counts): the keys of later messages name the count, so one already sent is never taken for a later one.
Frozen: the keys as they were written until 0014 (``booking:<ref>:withdrawn``, ``…:withdrawn:after-<change>``
to the account that booked, ``…:<user>`` for another account's copy; ``booking:<ref>:restored:<change>``),
read through the migration state's models; each booking changed is recorded in the audit trail."""

from django.db import migrations

from exitentry.accounts.audit import record_each_migrating


def counts_from_messages(apps, schema_editor):
    Message = apps.get_model("messaging", "Message")
    Booking = apps.get_model("appointments", "Booking")
    DayOverride = apps.get_model("appointments", "DayOverride")
    withdrawn: dict[str, int] = {}
    restored: dict[str, list[int]] = {}
    keys = Message.objects.filter(event_key__startswith="booking:").order_by("created_at", "pk")
    for key in keys.values_list("event_key", flat=True).iterator():
        _, reference, kind, *rest = key.split(":")
        if kind == "withdrawn" and (not rest or (len(rest) == 1 and rest[0].startswith("after-"))):
            withdrawn[reference] = withdrawn.get(reference, 0) + 1
        elif kind == "restored" and len(rest) == 1 and rest[0].isdigit():
            restored.setdefault(reference, []).append(int(rest[0]))
    changes = set(
        DayOverride.everything.filter(pk__in={o for os in restored.values() for o in os}).values_list(
            "pk", flat=True
        )
    )
    changed = []
    for booking in Booking.objects.filter(reference__in=set(withdrawn) | set(restored)).order_by("pk"):
        given_back = restored.get(booking.reference, [])
        booking.withdrawn_count = withdrawn.get(booking.reference, 0)
        booking.restored_count = len(given_back)
        booking.restored_by_id = given_back[-1] if given_back and given_back[-1] in changes else None
        booking.save(update_fields=["withdrawn_count", "restored_count", "restored_by"])
        new = {
            "withdrawn_count": booking.withdrawn_count,
            "restored_count": booking.restored_count,
            "restored_by": booking.restored_by_id,
            "note": "Counted from the messages already sent (appointments 0015).",
        }
        changed.append((booking.reference, None, new))
    record_each_migrating(apps, "booking.counts_from_messages", "booking", changed)


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0014_booking_withdrawn_count"),
        ("messaging", "0002_translated_model_names"),  # the messages it reads
        ("accounts", "0015_held_secrets"),  # the audit trail it writes to, as it is now
    ]

    operations = [migrations.RunPython(counts_from_messages, migrations.RunPython.noop)]
