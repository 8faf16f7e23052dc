"""A holder's report of a change of the reason for residence names the hall's follow-up it opened or
joined, so a unit's report of the same change joins that follow-up instead of opening a second one
(Regulations Art. 26, Art. 34(3)). A report filed before names the follow-up it opened (its cause key,
``change:<report>:permit:<permit>``)."""

import django.db.models.deletion
from django.db import migrations, models


def bind(apps, schema_editor) -> None:
    Alert = apps.get_model("compliance", "Alert")
    ChangeReport = apps.get_model("compliance", "ChangeReport")
    # read first, then write: SQLite must not be written while a cursor still reads the same table
    opened = list(Alert.objects.filter(cause_key__startswith="change:").values_list("pk", "cause_key"))
    for pk, cause_key in opened:
        report = cause_key.split(":")[1]
        if report.isdigit():
            ChangeReport.objects.filter(pk=int(report), follow_up__isnull=True).update(follow_up_id=pk)


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0013_order_to_leave_documents"),
    ]

    operations = [
        migrations.AddField(
            model_name="changereport",
            name="follow_up",
            field=models.ForeignKey(
                blank=True,
                help_text="The hall's follow-up of the change of the reason for residence it opened or joined",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="compliance.alert",
            ),
        ),
        migrations.AddConstraint(
            model_name="changereport",
            constraint=models.CheckConstraint(
                condition=models.Q(("follow_up__isnull", True), ("particular", "reason"), _connector="OR"),
                name="change_report_follow_up_of_a_reason",
            ),
        ),
        migrations.RunPython(bind, migrations.RunPython.noop),
    ]
