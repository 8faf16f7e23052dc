"""A death a unit reported (Regulations Art. 26(4)) before the death had its own follow-up opened one only on
a running residence permit of the type the relation gives (work for an employee, study for a student); a
holder of another type got none, though the hall is to cancel that permit on the death certificate too
(Exit and Entry Administration Law Art. 40 para. 2). Each death report that names no follow-up gets the one
filing it today opens (``compliance.unit_reports``, ``law.rules.unit_reports.effect``): on the person's
latest residence permit of the types the follow-up concerns, issued by the day of the death and running
today, an open alert on the death's ground, its ``alert.open`` audit entry a system entry (no officer
decided it). A report it gave a follow-up names it, so a second run opens none."""

from django.db import migrations

from exitentry import clock
from exitentry.accounts.audit import Actor, record_each
from exitentry.law.calendar import beijing_today
from exitentry.law.rules.grounds import ground
from exitentry.law.rules.unit_reports import DEATH_FOLLOW_UP_GROUND, ReportRefused, all_events, effect

OPENED = (
    "A death reported by unit report {report} that opened no follow-up: the permit is to be cancelled on the"
    " death certificate (Exit and Entry Administration Law Art. 40 para. 2).\n"
    "单位报告{report}所报死亡未开启核查：凭死亡证明注销该证件（《中华人民共和国出境入境管理法》第四十条第二款）。"
)


def open_follow_ups(apps, schema_editor) -> None:
    Alert = apps.get_model("compliance", "Alert")
    UnitReport = apps.get_model("compliance", "UnitReport")
    Permit = apps.get_model("registry", "Permit")
    today = beijing_today(clock.now())
    cite = ground(DEATH_FOLLOW_UP_GROUND).cite[0]
    deaths = [e.id for e in all_events() if e.cancels_permit]
    # read first, then write: SQLite must not be written while a cursor still reads the same table
    found = list(
        UnitReport.objects.filter(event__in=deaths, follow_up__isnull=True)
        .order_by("pk")
        .values_list("pk", "person_id", "event", "affiliation__relation", "happened_on", "number")
    )
    opened = []
    for pk, person_id, event, relation, happened_on, number in found:
        try:
            done = effect(event, relation, happened_on)
        except ReportRefused:  # an event or an item of Art. 26 the law core no longer has: nothing to follow
            continue
        if done.follow_up_ground != DEATH_FOLLOW_UP_GROUND:
            continue
        permit = (  # as ``unit_reports._running_permit`` finds it
            Permit.objects.filter(
                person_id=person_id,
                kind="residence-permit",
                permit_type__in=done.follow_up_of,
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
            ground_id=DEATH_FOLLOW_UP_GROUND,
            cause_key=f"report:{pk}:permit:{permit}",
            source_id=cite.source,
            section=cite.section,
            opened_on=today,
        )
        UnitReport.objects.filter(pk=pk).update(permit_id=permit, follow_up_id=alert.pk)
        opened.append(
            (
                alert.pk,
                None,
                {
                    "ground_id": DEATH_FOLLOW_UP_GROUND,
                    "permit": permit,
                    "report": number,
                    "note": OPENED.format(report=number),
                },
            )
        )
    record_each(Actor(None), "alert.open", "alert", opened)


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0016_death_follow_ups"),
        ("registry", "0016_unchecked_passports_are_claims"),  # the permits it reads, as they are now
        ("accounts", "0015_held_secrets"),  # the audit the opening writes to, as it is now
    ]

    operations = [migrations.RunPython(open_follow_ups, migrations.RunPython.noop)]
