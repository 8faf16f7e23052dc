"""After approval: the permit recorded in the registry, ready for pick-up, and collected (the fee paid
or waived)."""

from __future__ import annotations

from datetime import date

from exitentry.accounts.audit import Actor
from exitentry.bilingual import cny
from exitentry.cases.first_application import WORK_PERMIT
from exitentry.cases.models import Case
from exitentry.cases.services.payments import fee_of
from exitentry.cases.services.reading import Refused
from exitentry.cases.services.steps import transition
from exitentry.law.calendar import beijing_today
from exitentry.law.facts import Duration
from exitentry.law.model import Procedure
from exitentry.law.rules.permits import extended_last_day, last_valid_day
from exitentry.law.rules.stay import extended_stay_last_day
from exitentry.law.text import Text
from exitentry.registry import numbering, roster
from exitentry.registry import services as registry
from exitentry.registry.models import Permit


def issue(actor: Actor, case: Case, on: date | None = None) -> Case:
    """Record the approved permit in the registry: a new one, or an event on the one held; the holder
    joins the roster of the employer or school that filed for a work or study permit (``registry.roster``)."""
    on = on or beijing_today()

    def change(c: Case, procedure: Procedure) -> None:
        work, decision = procedure.casework, c.decision
        extends_stay = work.permit == "visa" and work.action == "extension"
        validity = Duration.parse(decision.validity) if decision.validity and not extends_stay else None
        valid_until = last_valid_day(on, validity) if validity else None
        if work.action == "issue" or c.permit is None:
            kind = work.permit
            c.permit = registry.issue_permit(
                c.person,
                kind,
                number=numbering.next_number(kind),
                issued_on=on,
                valid_until=valid_until,
                permit_type=work.permit_type or "",
                case=c,
            )
        elif work.action == "endorsement":
            registry.change_permit(
                c.permit, "endorsement", case=c, endorsement={"endorsed_on": on.isoformat()}
            )
        elif work.permit == "visa" and work.action == "extension":
            if c.permit.valid_until is not None:
                added = Duration.parse(decision.validity).days
                until = extended_stay_last_day(c.permit.valid_until, added)
                registry.change_permit(c.permit, "extension", case=c, valid_until=until)
        else:
            registry.change_permit(
                c.permit, work.action, case=c, **_changed(c.permit, work.action, on, validity)
            )
        if work.with_work_permit:
            _work_permit(c, work.action, on, validity)
        roster.join_on_issue(actor, c.unit, c.permit, on)

    return transition(actor, case, "issue", change, on=on)


def _changed(permit: Permit, action: str, on: date, validity: Duration | None) -> dict[str, object]:
    """A held permit's new particulars: its last day (an extension's runs on from the current one,
    ``extended_last_day``; another action's from ``on``), and a new number of its series
    (``registry.numbering``) where the permit is renewed, reissued or replaced."""
    changes: dict[str, object] = {}
    if validity is not None:
        extends = action == "extension" and permit.valid_until is not None
        changes["valid_until"] = (
            extended_last_day(permit.valid_until, validity) if extends else last_valid_day(on, validity)
        )
    if action in ("renewal", "reissue", "replacement"):
        changes["number"] = numbering.next_number(permit.kind)
    return changes


def _work_permit(case: Case, action: str, on: date, validity: Duration | None) -> None:
    """The one-stop service's work permit, decided with the work-type residence permit (seed 002, "2. Why
    to apply": the two permits issued together): a new one for a first application, else the same action
    on the work permit the person holds (renewed, or changed for a new employer)."""
    held = (
        None
        if action == "issue"
        else case.person.permits.filter(kind=WORK_PERMIT, status=Permit.Status.VALID).order_by("-pk").first()
    )
    if held is None:
        registry.issue_permit(
            case.person,
            WORK_PERMIT,
            number=numbering.next_number(WORK_PERMIT),
            issued_on=on,
            valid_until=last_valid_day(on, validity) if validity else None,
            case=case,
        )
    else:
        registry.change_permit(held, action, case=case, **_changed(held, action, on, validity))


def mark_ready(actor: Actor, case: Case, on: date | None = None) -> Case:
    on = on or beijing_today()
    return transition(actor, case, "mark_ready", lambda c, _: setattr(c, "ready_on", on), on=on)


def collect(actor: Actor, case: Case, on: date | None = None) -> Case:
    """The permit is handed over at the hall, once the fee is paid in full or its exemption recorded (the
    guides' "pay and collect" step: the fee is paid at the hall, at collection at the latest)."""
    on = on or beijing_today()

    def change(c: Case, _: Procedure) -> None:
        fee = fee_of(c, on)
        if fee.outstanding:
            raise Refused(
                "fee",
                Text(
                    "{outstanding} of the {due} fee is outstanding (paid: {paid}): take the payment, or record "
                    "an exemption with its reason, before the permit is collected.",
                    "应缴费用{due}，已缴{paid}，尚欠{outstanding}：请先收费，或登记免收费用及其理由，再办理领取。",
                ).format(outstanding=cny(fee.outstanding), due=cny(fee.due), paid=cny(fee.paid)),
            )

    return transition(actor, case, "collect", change, on=on)
