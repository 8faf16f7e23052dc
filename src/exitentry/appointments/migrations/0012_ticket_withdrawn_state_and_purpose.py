"""A ticket's purpose (hand in materials, collect the permit) and its end when its case closes while it waits.

Forward, a ticket left waiting on a case already closed ends as ``tickets.end_closed`` ends one now: served
once the permit was collected (handed over at the hall: the visit is done), withdrawn otherwise (nothing is
left to do at the counter), each with the audit entry the app writes, as a system entry. Back, a withdrawn
ticket is one that did not come (``no_show``: what the no-show job made of it before this migration, and a
state the shorter column holds), audited saying so. What it reads of the app is frozen here as it was when
it was written; the audit is written through this state's models and sealed as its chain is
(``record_each_migrating``)."""

from django.db import migrations, models
from django.utils import timezone

from exitentry.accounts.audit import record_each_migrating

# The closed case states (``lifecycle.CLOSED_STATES`` when this was written).
CLOSED = ["refused", "collected", "withdrawn", "expired"]
COLLECTED = "collected"
UNDONE = (
    "Appointments migration 0012 undone: a ticket withdrawn because its application closed is kept as one "
    "that did not come, the state such a ticket had before."
)


def end_tickets_of_closed_cases(apps, schema_editor):
    """Tickets left waiting on cases already closed end as ``tickets.end_closed`` ends them now, audited."""
    QueueTicket = apps.get_model("appointments", "QueueTicket")
    # read first, then write: SQLite must not be written while a cursor still reads the same table
    waiting = list(
        QueueTicket.objects.filter(state="waiting", case__state__in=CLOSED)
        .order_by("pk")
        .values_list("pk", "case__state")
    )
    served = [(pk, case_state) for pk, case_state in waiting if case_state == COLLECTED]
    withdrawn = [(pk, case_state) for pk, case_state in waiting if case_state != COLLECTED]
    QueueTicket.objects.filter(pk__in=[pk for pk, _ in served], state="waiting").update(
        state="served", served_at=timezone.now()
    )
    QueueTicket.objects.filter(pk__in=[pk for pk, _ in withdrawn], state="waiting").update(state="withdrawn")
    for action, state, ended in (
        ("ticket.served_on_collection", "served", served),
        ("ticket.withdrawn", "withdrawn", withdrawn),
    ):
        record_each_migrating(
            apps,
            action,
            "ticket",
            [
                (pk, {"state": "waiting"}, {"state": state, "case_state": case_state})
                for pk, case_state in ended
            ],
        )


def withdrawn_did_not_come(apps, schema_editor):
    """Before the shorter state column is back: each withdrawn ticket becomes one that did not come, audited."""
    QueueTicket = apps.get_model("appointments", "QueueTicket")
    withdrawn = list(
        QueueTicket.objects.filter(state="withdrawn").order_by("pk").values_list("pk", flat=True)
    )
    QueueTicket.objects.filter(pk__in=withdrawn).update(state="no_show")
    record_each_migrating(
        apps,
        "ticket.withdrawn.undone",
        "ticket",
        [(pk, {"state": "withdrawn"}, {"state": "no_show", "note": UNDONE}) for pk in withdrawn],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0011_override_withdrawn_kept"),
        ("cases", "0017_material_on_paper"),
        # the audit the ends write to, as it was (the entries are sealed by the live helper: one chain, one seal)
        ("accounts", "0015_held_secrets"),
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
        # undone first, before the state column is shortened again
        migrations.RunPython(end_tickets_of_closed_cases, withdrawn_did_not_come),
    ]
