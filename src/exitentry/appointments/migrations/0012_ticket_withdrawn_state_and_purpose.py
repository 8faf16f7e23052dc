from django.db import migrations, models

# The closed case states (``lifecycle.CLOSED_STATES`` when this was written).
CLOSED = ["refused", "collected", "withdrawn", "expired"]


def withdraw_tickets_of_closed_cases(apps, schema_editor):
    """Tickets left waiting on cases already closed end as ``tickets.withdraw_closed`` would end them now."""
    QueueTicket = apps.get_model("appointments", "QueueTicket")
    QueueTicket.objects.filter(state="waiting", case__state__in=CLOSED).update(state="withdrawn")


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0011_override_withdrawn_kept"),
        ("cases", "0017_material_on_paper"),
    ]

    operations = [
        migrations.AddField(
            model_name="queueticket",
            name="purpose",
            field=models.CharField(
                choices=[("hand_in", "Hand in materials"), ("collect", "Collect the permit")],
                default="hand_in",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="queueticket",
            name="state",
            field=models.CharField(
                choices=[
                    ("waiting", "Waiting"),
                    ("called", "Called"),
                    ("served", "Served"),
                    ("no_show", "Did not come"),
                    ("withdrawn", "Withdrawn: application closed"),
                ],
                default="waiting",
                max_length=10,
            ),
        ),
        migrations.RunPython(withdraw_tickets_of_closed_cases, migrations.RunPython.noop),
    ]
