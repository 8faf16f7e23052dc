"""A holder's report of a change of the reason for residence names the hall's follow-up it opened or
joined, so a unit's report of the same change joins that follow-up instead of opening a second one
(Regulations Art. 26, Art. 34(3)). A report filed before names the follow-up it opened (its cause key,
``change:<report>:permit:<permit>``); a unit's report of the same change that opened a second follow-up
beside it (before this, each source opened its own) joins the holder's, and the second one closes, the
audit saying into which."""

import django.db.models.deletion
from django.db import migrations, models

from exitentry.accounts.audit import Actor, record_each
from exitentry.law.calendar import beijing_today
from exitentry.law.rules.change_reports import report_covers

MERGED = (
    "A second follow-up of the same change of the reason for residence: the unit's report {report} joins the"
    " follow-up the holder's report opened (alert {into}); one follow-up per change (Regulations Art. 34(3)).\n"
    "同一居留事由变更的重复核查：单位报告{report}并入持证人报告所开启的核查（预警{into}）；每项变更仅一项核查"
    "（《中华人民共和国外国人入境出境管理条例》第三十四条第（三）项）。"
)


def bind(apps, schema_editor) -> None:
    Alert = apps.get_model("compliance", "Alert")
    ChangeReport = apps.get_model("compliance", "ChangeReport")
    # read first, then write: SQLite must not be written while a cursor still reads the same table
    opened = list(Alert.objects.filter(cause_key__startswith="change:").values_list("pk", "cause_key"))
    for pk, cause_key in opened:
        report = cause_key.split(":")[1]
        if report.isdigit():
            ChangeReport.objects.filter(pk=int(report), follow_up__isnull=True).update(follow_up_id=pk)
    merge(apps)


def merge(apps) -> None:
    """Each unit's report whose open follow-up duplicates the open one a holder's report of the same change
    (``report_covers``) opened joins the holder's; its own closes today once no report names it, as a
    system entry in the audit (no officer decided it)."""
    Alert = apps.get_model("compliance", "Alert")
    ChangeReport = apps.get_model("compliance", "ChangeReport")
    UnitReport = apps.get_model("compliance", "UnitReport")
    holders = list(
        ChangeReport.objects.filter(
            particular="reason", follow_up__isnull=False, follow_up__closed_on__isnull=True
        )
        .order_by("changed_on", "pk")
        .values_list("permit_id", "changed_on", "follow_up_id")
    )
    units = list(
        UnitReport.objects.filter(
            follow_up__closed_on__isnull=True, follow_up__cause_key__startswith="report:"
        ).values_list("pk", "permit_id", "happened_on", "follow_up_id", "number")
    )
    moved: dict[int, tuple[int, str]] = {}  # each duplicate: the holder's follow-up, a unit's report
    for pk, permit_id, happened_on, own, number in units:
        into = next(
            (a for p, changed, a in holders if p == permit_id and report_covers(changed, happened_on)), None
        )
        if into is not None:
            UnitReport.objects.filter(pk=pk).update(follow_up_id=into)
            moved.setdefault(own, (into, number))
    still_named = set(
        UnitReport.objects.filter(follow_up_id__in=moved).values_list("follow_up_id", flat=True)
    )
    today = beijing_today()
    closing = list(
        Alert.objects.filter(pk__in=set(moved) - still_named, closed_on__isnull=True, opened_on__lte=today)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    Alert.objects.filter(pk__in=closing).update(closed_on=today)
    record_each(
        Actor(None),
        "alert.merge",
        "alert",
        [
            (
                pk,
                {"closed_on": None},
                {
                    "closed_on": today,
                    "into": moved[pk][0],
                    "note": MERGED.format(report=moved[pk][1], into=moved[pk][0]),
                },
            )
            for pk in closing
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0013_order_to_leave_documents"),
        ("accounts", "0015_held_secrets"),  # the audit the merge writes to, as it is now
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
