"""A death a unit reported (Regulations Art. 26(4)) before the death had its own follow-up opened one only on
a running residence permit of the type the relation gives (work for an employee, study for a student); a
holder of another type got none, though the hall is to cancel that permit on the death certificate too
(Exit and Entry Administration Law Art. 40 para. 2). Each death report that names no follow-up gets the one
filing it today opens (``compliance.unit_reports``, ``law.rules.unit_reports.effect``): on the person's
latest residence permit of the types the follow-up concerns, issued by the day of the death and running
today, an open alert on the death's ground, its ``alert.open`` audit entry a system entry (no officer
decided it). A report it gave a follow-up names it, so a second run opens none.

What it reads of the law is frozen here as it was when it was written (the death events and the relations
that report them, the permit types the follow-up concerns, its ground and citation, its cause key): a later
change of the law core does not change what it does. The audit is written through this state's models and
sealed as its chain is (``record_each_migrating``)."""

from zoneinfo import ZoneInfo

from django.db import migrations

from exitentry import clock
from exitentry.accounts.audit import record_each_migrating

DEATHS = ("died",)  # the unit-report events that cancel the permit (law/catalog/unit_reports.yaml)
RELATIONS = ("employee", "student")  # who a unit reports a death of
# the follow-up concerns a running residence permit of any type (law/model.py RESIDENCE_PERMIT_TYPES)
PERMIT_TYPES = ("work", "study", "journalist", "family-reunion", "private-affairs")
GROUND = "follow-up-holder-died"  # the death's follow-up (law/catalog/grounds.yaml)
CITE = ("exit-entry-law", "Art. 40 para. 2")  # its citation: source and section
CAUSE = "report:{report}:permit:{permit}"  # a unit report's follow-up, by report and permit
BEIJING = ZoneInfo("Asia/Shanghai")

OPENED = (
    "A death reported by unit report {report} that opened no follow-up: the permit is to be cancelled on the"
    " death certificate (Exit and Entry Administration Law Art. 40 para. 2).\n"
    "单位报告{report}所报死亡未开启核查：凭死亡证明注销该证件（《中华人民共和国出境入境管理法》第四十条第二款）。"
)


def open_follow_ups(apps, schema_editor) -> None:
    Alert = apps.get_model("compliance", "Alert")
    UnitReport = apps.get_model("compliance", "UnitReport")
    Permit = apps.get_model("registry", "Permit")
    today = clock.now().astimezone(BEIJING).date()
    # read first, then write: SQLite must not be written while a cursor still reads the same table
    found = list(
        UnitReport.objects.filter(
            event__in=DEATHS, affiliation__relation__in=RELATIONS, follow_up__isnull=True
        )
        .order_by("pk")
        .values_list("pk", "person_id", "happened_on", "number")
    )
    opened = []
    for pk, person_id, happened_on, number in found:
        permit = (  # as ``unit_reports._running_permit`` found it
            Permit.objects.filter(
                person_id=person_id,
                kind="residence-permit",
                permit_type__in=PERMIT_TYPES,
                status="valid",
                issued_on__lte=happened_on,
                valid_until__gte=today,
            )
            .order_by("-issued_on", "-pk")
            .values_list("pk", flat=True)
            .first()
        )
        if permit is None:
            continue
        alert = Alert.objects.create(
            person_id=person_id,
            ground_id=GROUND,
            cause_key=CAUSE.format(report=pk, permit=permit),
            source_id=CITE[0],
            section=CITE[1],
            opened_on=today,
        )
        UnitReport.objects.filter(pk=pk).update(permit_id=permit, follow_up_id=alert.pk)
        opened.append(
            (
                alert.pk,
                None,
                {
                    "ground_id": GROUND,
                    "permit": permit,
                    "report": number,
                    "note": OPENED.format(report=number),
                },
            )
        )
    record_each_migrating(apps, "alert.open", "alert", opened)


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0016_death_follow_ups"),
        ("registry", "0016_unchecked_passports_are_claims"),  # the permits it reads, as they are now
        # the audit the opening writes to, as it was (the entries are sealed by the live helper: one chain, one seal)
        ("accounts", "0015_held_secrets"),
    ]

    operations = [migrations.RunPython(open_follow_ups, migrations.RunPython.noop)]
