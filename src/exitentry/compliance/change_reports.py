"""A holder's report that their residence permit's registered particulars changed (Exit and Entry
Administration Law Art. 33): the one write path the holder's pages, the API and the officers' counter
share, and what the Art. 34(3) notice and voiding read of it.

Who reports for whom is ``cases.access.may_report_change``: the holder, a proxy or unit that reads them
under a mandate, an officer or supervisor of a hall that reads them (recorded at the counter). What may be
reported is the law core's (``law.rules.change_reports``). Each report gets a receipt number and one audit
entry. Applying to renew or change the permit reports the change too, on the day the application was
filed (``reported_on``).

The hall sees a report of the reason for residence (``hall_sees``), one follow-up per change whichever
report of it comes first: it joins the open follow-up of a unit's report of the same change
(``law.rules.change_reports.report_covers``) and closes it, as resolved, the note saying why; where none is
open, it opens one, for an officer to decide whether the permit still has a basis, which a unit's later
report of the same change joins (``holders_follow_up``).
"""

from __future__ import annotations

import re
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from exitentry import clock
from exitentry.accounts.audit import Actor, record
from exitentry.accounts.models import User
from exitentry.cases.access import people_rule
from exitentry.cases.models import Case
from exitentry.cases.services import Refused
from exitentry.cases.services.reading import typed
from exitentry.compliance import numbers
from exitentry.compliance.follow_ups import open_follow_up
from exitentry.compliance.models import Alert, ChangeReport, UnitReport
from exitentry.law.calendar import beijing_today
from exitentry.law.catalog import catalog
from exitentry.law.rules.change_reports import (
    REASON,
    counts_as_report,
    report_covers,
    report_refusal,
    reportable,
)
from exitentry.law.rules.unit_reports import FOLLOW_UP_GROUND, reason_change_events
from exitentry.law.sources import cite
from exitentry.law.text import Text, day_text
from exitentry.registry.models import Permit, Person

NUMBER_PREFIX = "BD"
PRINTED = re.compile(rf"{NUMBER_PREFIX}\d{{11,}}")  # the receipt number as made below: prefix, year, 7 digits
NOTE_LIMIT = 2000
PREFETCH = ("unit_reports", "change_reports__filed_by")  # what a page of permits reads for Art. 34(3)


def file(
    actor: Actor, permit: Permit, particular: str, changed_on: date, note: str = "", *, source: str
) -> ChangeReport:
    """Record that ``particular`` of ``permit`` changed on ``changed_on``, reported today; ``Refused``
    naming the field otherwise. The caller has checked that the actor may report for the holder
    (``cases.access.may_report_change``)."""
    on = beijing_today(clock.now())  # the day of its stamp, a replayed one too (``clock``)
    if not reportable(permit.kind, permit.state_on(on) == "valid"):
        raise Refused(
            "permit",
            Text(
                "Changes are reported for a residence permit in force.",
                "仅可为有效的居留证件报告登记事项变更。",
            ),
        )
    refused = report_refusal(particular, changed_on, permit.issued_on, on)
    if refused is not None:
        raise Refused(*refused)
    note = typed("note", note, limit=NOTE_LIMIT, required=False, lines=True)
    earlier = ChangeReport.objects.filter(permit=permit, particular=particular, changed_on=changed_on).first()
    if earlier is not None:
        raise Refused("changed_on", _already(earlier))
    try:
        with transaction.atomic():
            report = ChangeReport.objects.create(
                permit=permit,
                particular=particular,
                changed_on=changed_on,
                reported_on=on,
                note=note,
                filed_by=actor.user,
                filed_at=clock.now(),
                number=numbers.pending(),
                source=source,
            )
            report.number = numbers.receipt(NUMBER_PREFIX, on, report.pk)
            report.save(update_fields=["number"])
            record(
                actor,
                "permit.change_report",
                "permit",
                permit.pk,
                new={
                    "number": report.number,
                    "particular": particular,
                    "changed_on": changed_on,
                    "source": source,
                },
            )
            hall_sees(actor, report, on)
    except IntegrityError:  # the same report filed at the same moment beside this one
        earlier = ChangeReport.objects.get(permit=permit, particular=particular, changed_on=changed_on)
        raise Refused("changed_on", _already(earlier)) from None
    return report


_REPORTS, _NOTICE = cite("exit-entry-law", "Art. 33").label, cite("regulations", "Art. 34(3)").label
COVERS = Text(
    "The holder's report {number} of {reported} says the reason for residence changed on {changed}: it reports"
    f" the change the unit's report {{unit_number}} dates {{happened}} ({_REPORTS.en}; {_NOTICE.en})."
    " No public notice follows; whether the permit still has a basis is the officer's decision.",
    "持证人于{reported}提交的报告{number}称居留事由于{changed}发生变更，即单位报告{unit_number}所载{happened}的变更"
    f"（{_REPORTS.zh}，{_NOTICE.zh}）。不再发布公告；该证件是否仍有居留依据由民警核查决定。",
)


HOLDER_TOLD = Text(
    "The holder reported that the reason for residence of a running residence permit changed: decide whether"
    " the permit still has a basis",
    "持证人报告在有效期内的居留证件的居留事由发生变更：核查该证件是否仍有居留依据",
)  # the heading of a follow-up a holder's report opened, beside the ground's (a unit's report)


HOLDER_CAUSE = "change:"  # how the cause of a follow-up a holder's report opened begins (``hall_sees``)


def opened_by_holder(cause_key: str) -> bool:
    """Whether the follow-up of ``cause_key`` is one a holder's report opened (``hall_sees``), not a
    unit's report."""
    return cause_key.startswith(HOLDER_CAUSE)


def hall_sees(actor: Actor, report: ChangeReport, on: date) -> None:
    """What a report of the reason for residence does at the hall on ``on``: one follow-up per change
    (``law.rules.change_reports.report_covers`` tells which unit's report is of the same change). It joins
    the open follow-up of a unit's report of the same change, saying that no public notice follows, and
    leaves it open for the officer's decision on the basis (Regulations Art. 34(3)); with none open, it
    opens one. A report of another change, or of another permit, opens its own."""
    if report.particular != REASON:
        return
    followed = [
        unit_report
        for unit_report in UnitReport.objects.filter(
            permit=report.permit, follow_up__isnull=False, follow_up__closed_on__isnull=True
        )
        .select_related("follow_up")
        .order_by("happened_on", "pk")
        if unit_report.event in reason_change_events()
        and report_covers(report.changed_on, unit_report.happened_on)
    ]
    if not followed:
        _open_follow_up(actor, report, on)
        return
    report.follow_up = followed[0].follow_up
    report.save(update_fields=["follow_up"])
    unit_report = followed[0]
    why = joined_note(report, unit_report)
    record(
        actor,
        "alert.join",
        "alert",
        report.follow_up_id,
        new={"change_report": report.number, "note": f"{why.en}\n{why.zh}"},
    )


def joined_note(report: ChangeReport, unit_report: UnitReport) -> Text:
    """What the hall is told where the holder's ``report`` joined the follow-up of ``unit_report`` of the
    same change (``hall_sees``): the audit entry's note, and the alert's history on the officers' page."""
    return COVERS.format(
        number=report.number,
        reported=day_text(report.reported_on),
        changed=day_text(report.changed_on),
        unit_number=unit_report.number,
        happened=day_text(unit_report.happened_on),
    )


def _open_follow_up(actor: Actor, report: ChangeReport, on: date) -> None:
    permit = report.permit
    cause = f"{HOLDER_CAUSE}{report.pk}:permit:{permit.pk}"
    report.follow_up = open_follow_up(
        actor, permit.person_id, FOLLOW_UP_GROUND, cause, on, permit=permit.pk, change_report=report.number
    )
    report.save(update_fields=["follow_up"])


def holders_follow_up(permit: Permit, happened_on: date) -> Alert | None:
    """The open follow-up that a holder's report of the same change of the reason for residence of
    ``permit`` (``report_covers`` the change a unit's report dates ``happened_on``) opened or joined: the
    unit's report joins it rather than opening a second one (``compliance.unit_reports``)."""
    reports = (
        ChangeReport.objects.filter(
            permit=permit, particular=REASON, follow_up__isnull=False, follow_up__closed_on__isnull=True
        )
        .select_related("follow_up")
        .order_by("changed_on", "pk")
    )
    return next((r.follow_up for r in reports if report_covers(r.changed_on, happened_on)), None)


def _already(earlier: ChangeReport) -> Text:
    day = day_text(earlier.reported_on)
    return Text(
        f"This change is already reported: receipt {earlier.number} of {day.en}.",
        f"该变更已报告：回执{earlier.number}（{day.zh}）。",
    )


def readable_by(user: User) -> QuerySet[ChangeReport]:
    """The reports, with their receipts, ``user`` may read: those of the permits of the people they read
    (``cases.access.people_rule``: the holder, a proxy or unit under a mandate or roster, the halls that
    read them), as My permits and the console's permit page show them."""
    return ChangeReport.objects.filter(permit__person__in=Person.objects.filter(people_rule(user)))


def reports_of(permit: Permit) -> list[ChangeReport]:
    """The permit's reports, newest first (from ``PREFETCH`` where the caller read them for many)."""
    return sorted(permit.change_reports.all(), key=lambda r: (r.reported_on, r.pk), reverse=True)


def reported_on(permit: Permit, changed_on: date) -> date | None:
    """The first day the holder reported the change of the reason for residence on ``changed_on``: a report
    of it (``law.rules.change_reports.report_covers``: not one of an earlier change), or an application to
    renew or change the permit filed on or after the change (``counts_as_report``); None when neither."""
    reported = min(
        (
            r.reported_on
            for r in permit.change_reports.all()
            if r.particular == REASON and report_covers(r.changed_on, changed_on)
        ),
        default=None,
    )
    procedures = [p.id for p in catalog().procedures.values() if counts_as_report(p)]
    applied = (
        Case.objects.filter(permit=permit, procedure_id__in=procedures, submitted_on__gte=changed_on)
        .order_by("submitted_on")
        .values_list("submitted_on", flat=True)
        .first()
    )
    days = [d for d in (reported, applied) if d is not None]
    return min(days, default=None)
