"""A death a unit reported (Regulations Art. 26(4)) before its own follow-up existed opened an Art. 34(3)
follow-up of a change of the reason for residence; its receipt already reads the cancellation on the death
certificate (Exit and Entry Administration Law Art. 40 para. 2). Such a follow-up, still open, opened by
that report and named by no other report, becomes the death's: its ground and citation change, nothing
else (its permit, actions and days stay), the audit saying so as a system entry (no officer decided it).

Left as they are: a closed one (how an officer closed it is the hall's record, under the ground it had), and
one a holder's report of a change or another unit's report joined (it follows a real change as well).

What it reads of the law is frozen here as it was when it was written (the death events, the two grounds
and their citations, the follow-up's cause key): a later change of the law core does not change what it
did. The audit is written through this state's models and sealed as its chain is (``record_each_migrating``)."""

from django.db import migrations

from exitentry.accounts.audit import record_each_migrating

DEATHS = ("died",)  # the unit-report events that cancel the permit (law/catalog/unit_reports.yaml)
FOLLOW_UP_GROUND = "follow-up-reason-for-residence-changed"  # Regulations Art. 34(3)
WAS = ("regulations", "Art. 34(3)")  # its citation: source and section
DEATH_FOLLOW_UP_GROUND = "follow-up-holder-died"  # Exit and Entry Administration Law Art. 40
CITE = ("exit-entry-law", "Art. 40")  # its citation as it stood
CAUSE = "report:{report}:permit:{permit}"  # a unit report's follow-up, by report and permit

MOVED = (
    "A death reported by unit report {report}: its follow-up is the cancellation of the permit on the death"
    " certificate (Exit and Entry Administration Law Art. 40 para. 2), not a change of the reason for"
    " residence (Regulations on the Administration of the Entry and Exit of Foreigners, Art. 34(3)).\n"
    "单位报告{report}所报死亡：其核查为凭死亡证明注销证件（《中华人民共和国出境入境管理法》第四十条第二款），"
    "而非居留事由变更（《中华人民共和国外国人入境出境管理条例》第三十四条第（三）项）。"
)


def move(apps, schema_editor) -> None:
    Alert = apps.get_model("compliance", "Alert")
    ChangeReport = apps.get_model("compliance", "ChangeReport")
    UnitReport = apps.get_model("compliance", "UnitReport")
    # read first, then write: SQLite must not be written while a cursor still reads the same table
    found = list(
        UnitReport.objects.filter(
            event__in=DEATHS, follow_up__ground_id=FOLLOW_UP_GROUND, follow_up__closed_on__isnull=True
        )
        .order_by("follow_up_id")
        .values_list("pk", "permit_id", "follow_up_id", "follow_up__cause_key", "number")
    )
    ids = [alert for _, _, alert, _, _ in found]
    named = list(UnitReport.objects.filter(follow_up_id__in=ids).values_list("follow_up_id", flat=True))
    named += ChangeReport.objects.filter(follow_up_id__in=ids).values_list("follow_up_id", flat=True)
    moving = {
        alert: number
        for pk, permit, alert, cause, number in found
        if cause == CAUSE.format(report=pk, permit=permit) and named.count(alert) == 1
    }
    if not moving:
        return
    Alert.objects.filter(pk__in=moving).update(
        ground_id=DEATH_FOLLOW_UP_GROUND, source_id=CITE[0], section=CITE[1]
    )
    record_each_migrating(
        apps,
        "alert.reground",
        "alert",
        [
            (
                pk,
                {"ground_id": FOLLOW_UP_GROUND, "source_id": WAS[0], "section": WAS[1]},
                {
                    "ground_id": DEATH_FOLLOW_UP_GROUND,
                    "source_id": CITE[0],
                    "section": CITE[1],
                    "note": MOVED.format(report=number),
                },
            )
            for pk, number in sorted(moving.items())
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0015_order_to_leave_documents_not_kept"),
        # the audit the move writes to, as it was (the entries are sealed by the live helper: one chain, one seal)
        ("accounts", "0015_held_secrets"),
    ]

    operations = [migrations.RunPython(move, migrations.RunPython.noop)]
