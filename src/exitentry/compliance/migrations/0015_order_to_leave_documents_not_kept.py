"""An order to leave recorded before 0013 kept no documents: its ``documents`` is null (none were
recorded), no longer the empty list 0013 gave it, which says the order named none.

The limit: which orders came before 0013 is read from their ``recorded_at`` against the time 0013 was
applied, as nothing kept the highest order id of that moment; an order recorded later with an instant
stamped before it (a demo replay's past times) and naming no document is taken as one that kept none."""

from django.db import migrations, models
from django.db.migrations.recorder import MigrationRecorder

KEPT_SINCE = ("compliance", "0013_order_to_leave_documents")


def not_kept(apps, schema_editor):
    """Null the documents of the orders recorded before 0013 was applied (all of them where 0013 is
    applied in this same run)."""
    applied = (
        MigrationRecorder(schema_editor.connection)
        .migration_qs.filter(app=KEPT_SINCE[0], name=KEPT_SINCE[1])
        .values_list("applied", flat=True)
        .first()
    )
    if applied is not None:
        order = apps.get_model("compliance", "OrderToLeave")
        order.objects.filter(recorded_at__lt=applied, documents=[]).update(documents=None)


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0014_change_report_follow_up"),
    ]

    operations = [
        migrations.AlterField(
            model_name="ordertoleave",
            name="documents",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="The numbers of the permits the order named on its day (Art. 33), kept as they were",
                null=True,
                verbose_name="documents to cancel or confiscate",
            ),
        ),
        migrations.RunPython(not_kept, migrations.RunPython.noop),
    ]
