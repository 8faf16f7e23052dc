"""What other apps may do to the registry: record a permit's issue or change, void or cancel it.

Every change writes a ``PermitEvent`` with the particulars before and after, in the caller's
transaction, so the permit's history replays to its current state. A change or an ending reads the
permit's row again, locked, before it writes: two at the same moment go one after the other, and neither
decides on what it read before the other's write nor writes back particulars the other has just changed
(the lock order of the case services: a case's row, then its permit's: ``cases.services.steps``).
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import transaction
from django.utils.translation import override

from exitentry import clock
from exitentry.law.calendar import BEIJING, beijing_today
from exitentry.law.rules.endings import out_of_reach
from exitentry.law.rules.grounds import ground_for
from exitentry.law.text import Text
from exitentry.registry.models import Permit, PermitEvent, Person


def _event(
    permit: Permit,
    kind: str,
    before: dict,
    *,
    case=None,
    ground_id: str = "",
    notified_by=None,
    at: datetime | None = None,
) -> PermitEvent:
    at = at or clock.now()
    return PermitEvent.objects.create(
        permit=permit,
        kind=kind,
        at=at,
        case=case,
        ground_id=ground_id,
        before=before,
        after=permit.particulars(),
        authority_notified_by=notified_by,
        authority_notified_at=at if notified_by is not None else None,
    )


def issue_permit(
    person: Person,
    kind: str,
    *,
    number: str,
    issued_on: date,
    valid_until: date | None,
    permit_type: str = "",
    case=None,
) -> Permit:
    permit = Permit.objects.create(
        person=person,
        kind=kind,
        permit_type=permit_type,
        number=number,
        issued_on=issued_on,
        valid_until=valid_until,
    )
    _event(permit, PermitEvent.Kind.ISSUE, {}, case=case, at=_issued_at(issued_on))
    return permit


def _issued_at(issued_on: date) -> datetime:
    """When the issue happened: now if the permit is issued today (Beijing time), else the start of its
    issue day (a permit recorded later, as the demo's are), so its history agrees with its issue date."""
    now = clock.now()
    return now if beijing_today(now) == issued_on else datetime.combine(issued_on, time.min, BEIJING)


def change_permit(permit: Permit, kind: str, *, case=None, **changes: object) -> Permit:
    """Extension, renewal, reissue, replacement, change or endorsement: new particulars, one event."""
    unknown = set(changes) - set(Permit.PARTICULARS)
    if unknown:
        raise ValueError(f"not a permit particular: {sorted(unknown)}")
    with transaction.atomic():
        _read_locked(permit)
        before = permit.particulars()
        for name, value in changes.items():
            setattr(permit, name, value)
        permit.full_clean(validate_unique=False, validate_constraints=True)
        permit.save()
        _event(permit, kind, before, case=case)
    return permit


def _read_locked(permit: Permit) -> None:
    """``permit`` as stored now, its row locked until the transaction ends."""
    permit.refresh_from_db(from_queryset=Permit.objects.select_for_update())


class PermitAlreadyEnded(ValueError):
    """A permit already void or cancelled cannot be voided again; ``text`` says so in both languages."""

    def __init__(self, permit: Permit):
        label = permit.get_status_display
        with override("en"):
            en = str(label())
        with override("zh-hans"):
            zh = str(label())
        self.text = Text(f"This permit is already “{en}”.", f"该证件已处于“{zh}”状态。")
        super().__init__(self.text.en)


class OutOfReach(ValueError):
    """An ending the Regulations do not give the hall for this kind of document (``law.rules.endings``);
    ``text`` says why in both languages."""

    def __init__(self, text: Text):
        self.text = text
        super().__init__(text.en)


def check_reach(permit: Permit, ending: str, ground_id: str = "") -> None:
    """``OutOfReach`` unless the hall may end ``permit`` by ``ending`` (void, cancel, public-notice)."""
    if (why := out_of_reach(permit.kind, ending, ground_id)) is not None:
        raise OutOfReach(why)


def end_permit(
    permit: Permit, status: str, ground_id: str, *, on: date, case=None, notified_by=None
) -> Permit:
    """Declare void (Art. 34) or cancel/confiscate (Art. 35), naming a ground the law lists on ``on``;
    ``notified_by``: the user who notified the issuing authority of a cancellation (Art. 35), recorded
    on the event with the moment.

    An id that is not such a ground is ``UnknownGround`` listing the ids that are; a kind of permit the
    ending does not reach (a work permit) is ``OutOfReach``."""
    ground_for({Permit.Status.VOID: "void", Permit.Status.CANCELLED: "cancellation"}[status], ground_id, on)
    check_reach(permit, {Permit.Status.VOID: "void", Permit.Status.CANCELLED: "cancel"}[status], ground_id)
    with transaction.atomic():
        _read_locked(permit)
        if permit.status != Permit.Status.VALID and not (
            status == Permit.Status.CANCELLED and permit.status == Permit.Status.VOID
        ):
            raise PermitAlreadyEnded(permit)
        before = permit.particulars()
        permit.status = status
        permit.save(update_fields=["status"])
        event_kind = PermitEvent.Kind.VOID if status == Permit.Status.VOID else PermitEvent.Kind.CANCELLATION
        _event(permit, event_kind, before, case=case, ground_id=ground_id, notified_by=notified_by)
    return permit
