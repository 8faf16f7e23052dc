"""Overrides, open slots and bookings: the appointments app's face to the API, the pages and the command.

Who may book for a case is ``cases.access`` with the lifecycle table's ``book`` row (its states, its side);
where, is the hall the case was submitted to (the law core says which halls accept its procedure), at a
counter serving one of its categories. One active booking per slot and per case is the database's to guarantee (``models.Booking``):
the loser of a race is told the slot is taken (``Taken``), never booked twice. The limit per person per
week is counted under a lock of the person's row, so bookings racing for the same person are counted in
turn.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Min, QuerySet

from exitentry import clock
from exitentry.accounts import audit
from exitentry.accounts.audit import Actor
from exitentry.accounts.models import Role
from exitentry.accounts.policy import hall_ids
from exitentry.appointments import holding, notices
from exitentry.appointments.generation import Generated, generate, regenerate_day
from exitentry.appointments.models import Booking, BookingRules, Counter, DayOverride, Slot
from exitentry.appointments.noshow import mark_no_shows  # noqa: F401 - the app's face for the day's end
from exitentry.appointments.opening import closed_reason
from exitentry.cases import access
from exitentry.cases.models import Case
from exitentry.cases.services.reading import Refused, typed
from exitentry.law.calendar import BEIJING, monday_of
from exitentry.law.catalog import catalog
from exitentry.law.halls import halls_accepting
from exitentry.law.intake import NotBookedHere
from exitentry.law.intake import not_booked_here as law_not_booked_here
from exitentry.law.model import Hall
from exitentry.law.text import Text
from exitentry.registry.models import Person

_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud at a counter


class Taken(Exception):
    """The slot is booked by someone else (or no longer offered): choose another; ``text`` in both languages."""

    def __init__(self, text: Text, field: str = "slot_id"):
        self.text, self.field = text, field
        super().__init__(text.en)


_TAKEN = Text(
    "This time has just been booked by someone else; choose another.", "该时段刚被他人预约，请另选时间。"
)
_CASE_BOOKED = Text(
    "This case already has an appointment; cancel or move it instead.", "该申请已有预约，请取消或改约。"
)


def halls_for(case: Case) -> tuple[Hall, ...]:
    """Where the case books: the hall it was submitted to, among those that accept its procedure (the law
    core decides which do); before it is submitted, any of them."""
    accepting = halls_accepting(catalog().procedure(case.procedure_id), case.facts)
    chosen = tuple(h for h in accepting if h.id == case.hall_id)
    return chosen or accepting


def not_booked_here(case: Case) -> NotBookedHere | None:
    """Why this site books no time for the case, or None when it books one: where the law's advice says so
    (``law.intake.not_booked_here``: the one-stop service's category A needs none, B and C book in the
    Service System for Foreigners Working in China, seed 002 "4. How to apply" b), or where no hall takes
    the procedure (where to go instead)."""
    if not halls_for(case):
        procedure = catalog().procedure(case.procedure_id)
        return NotBookedHere(procedure.where, procedure.cite) if procedure.where else None
    return law_not_booked_here(case.advice_on(clock.now().astimezone(BEIJING).date()))


def open_slots(case: Case, hall_id: str, first: date, last: date, *, now: datetime | None = None) -> QuerySet:
    """The slots ``case`` may book at ``hall_id`` from ``first`` to ``last``: not taken, not withdrawn, not
    begun, at a counter serving the procedure (none at a hall that does not accept it)."""
    procedure = catalog().procedure(case.procedure_id)
    if hall_id not in {h.id for h in halls_for(case)}:
        return Slot.objects.none()
    active = list(Counter.objects.filter(hall_id=hall_id, active=True))
    serving = [c.pk for c in active if c.serves(procedure.hall_categories)]
    slots = Slot.objects.filter(
        hall_id=hall_id,
        day__gte=first,
        day__lte=last,
        withdrawn=False,
        held=False,
        starts_at__gt=now or clock.now(),
    )
    # Name the counters only where some do not serve the case: the list costs an index scan of its own.
    if len(serving) < len(active) or not active:
        slots = slots.filter(counter_id__in=serving)
    else:
        slots = slots.filter(counter__active=True)
    return slots.select_related("counter").order_by("starts_at", "counter__number")


@dataclass(frozen=True, slots=True)
class DayAvailability:
    day: date
    open: int  # bookable slots that day
    first: datetime  # the earliest of them


def availability(case: Case, hall_id: str, first: date, last: date, *, now: datetime | None = None) -> list:
    """Per day from ``first`` to ``last``, how many slots ``case`` may book at ``hall_id`` and the earliest:
    the picker's "which days have room", in one aggregate query over ``open_slots``."""
    rows = (
        open_slots(case, hall_id, first, last, now=now)
        .order_by()
        .values("day")
        .annotate(open=Count("pk"), first=Min("starts_at"))
        .order_by("day")
    )
    return [DayAvailability(r["day"], r["open"], r["first"].astimezone(BEIJING)) for r in rows]


def _books_here(case: Case) -> None:
    """``Refused``, saying where, when this site books no time for ``case`` (``not_booked_here``)."""
    if (elsewhere := not_booked_here(case)) is not None:
        raise Refused("case_id", elsewhere.text)


def active_booking(case: Case) -> Booking | None:
    return (
        Booking.objects.filter(case=case, state=Booking.State.ACTIVE)
        .select_related("slot", "slot__counter")
        .first()
    )


def bookings_for(user) -> QuerySet:
    """The bookings of the cases ``user`` sees, newest first."""
    return Booking.objects.filter(case__in=access.cases_for(user)).select_related(
        "slot", "slot__counter", "case", "case__person"
    )


def book(actor: Actor, case: Case | int, slot_id: int, *, now: datetime | None = None) -> Booking:
    """Book ``slot_id`` for ``case`` (or the case of that id); ``Refused`` (422), ``PermissionDenied``
    (``access.Unseen`` for a case the actor does not see), ``IllegalTransition`` (409) or ``Taken`` (409)
    say why not."""
    now = now or clock.now()
    with transaction.atomic():
        case = access.locked(actor.user, getattr(case, "pk", case))
        access.check(actor.user, "book", case, catalog().procedure(case.procedure_id), visible=True)
        _books_here(case)
        if Booking.objects.filter(case=case, state=Booking.State.ACTIVE).exists():
            raise Taken(_CASE_BOOKED, "case_id")
        booking = _insert(actor, case, _bookable(case, slot_id, now))
        audit.record(actor, "booking.create", "booking", booking.reference, new=_as_audit(booking))
        notices.booked(booking)
    return booking


def cancel(actor: Actor, booking: Booking, *, now: datetime | None = None) -> Booking:
    """Cancel an active booking, up to the cut-off before its slot (any time when the hall withdrew it)."""
    with transaction.atomic():
        lock_case_of(booking.pk)
        booking = _locked(actor, booking, now or clock.now())
        end_cancelled(actor, booking)
        booking.refresh_from_db()
        notices.cancelled(booking)
    return booking


def end_cancelled(
    actor: Actor, booking: Booking, because: str | None = None, *, ended_because: str = ""
) -> None:
    """The active booking is cancelled and its slot free (inside the caller's transaction), audited;
    ``ended_because`` says why when its booker did not cancel it (``Booking.EndReason``), else the actor
    is who cancelled it."""
    Booking.objects.filter(pk=booking.pk).update(
        state=Booking.State.CANCELLED,
        ended_at=clock.now(),
        ended_because=ended_because,
        ended_by=None if ended_because else actor.user,
    )
    holding.release([booking.slot_id])
    new = {"state": Booking.State.CANCELLED} | ({"because": because} if because else {})
    audit.record(actor, "booking.cancel", "booking", booking.reference, old={"state": "active"}, new=new)


def reschedule(actor: Actor, booking: Booking, slot_id: int, *, now: datetime | None = None) -> Booking:
    """Move an active booking to ``slot_id`` (up to the cut-off): the new booking in one transaction with
    the old one's end, so the case never holds two nor, if the new slot is taken, none."""
    now = now or clock.now()
    with transaction.atomic():
        lock_case_of(booking.pk)
        old = _locked(actor, booking, now)
        case = old.case
        access.check(actor.user, "book", case, catalog().procedure(case.procedure_id))
        _books_here(case)  # a booking made before the case was booked elsewhere is not moved here either
        slot = _bookable(case, slot_id, now, moving=old)
        Booking.objects.filter(pk=old.pk).update(state=Booking.State.MOVED, ended_at=clock.now())
        holding.release([old.slot_id])
        new = _insert(actor, case, slot, moving=old)
        Booking.objects.filter(pk=old.pk).update(moved_to=new)
        audit.record(actor, "booking.move", "booking", new.reference, old=_as_audit(old), new=_as_audit(new))
        notices.moved(old, new)
    return new


def _bookable(case: Case, slot_id: int, now: datetime, moving: Booking | None = None) -> Slot:
    slot = (
        Slot.objects.filter(pk=slot_id)
        .select_related("counter")
        .annotate(weekly_limit=BookingRules.current_value("per_person_per_week"))
        .first()
    )
    if slot is None:
        raise Refused("slot_id", Text(f"There is no slot {slot_id}.", f"没有编号为{slot_id}的时段。"))
    procedure = catalog().procedure(case.procedure_id)
    hall = catalog().halls.get(slot.hall_id)
    if hall is None or hall not in halls_accepting(procedure, case.facts):
        name = hall.name if hall else Text(slot.hall_id, slot.hall_id)
        raise Refused(
            "slot_id",
            Text(
                f"{procedure.title.en} cannot be booked at {name.en}; choose a hall that takes it.",
                f"{name.zh}不受理“{procedure.title.zh}”，请选择受理该事项的大厅。",
            ),
        )
    if slot.hall_id not in {h.id for h in halls_for(case)}:
        submitted_to = catalog().halls[case.hall_id].name
        raise Refused(
            "slot_id",
            Text(
                f"This application was submitted to {submitted_to.en}; book a time there.",
                f"该申请递交至{submitted_to.zh}，请预约该大厅的时段。",
            ),
        )
    if not slot.counter.serves(procedure.hall_categories):
        raise Refused(
            "slot_id", Text("This counter does not serve this kind of application.", "该窗口不办理此类申请。")
        )
    if slot.withdrawn or slot.starts_at <= now:
        raise Taken(Text("This time is no longer offered; choose another.", "该时段已不再开放，请另选时间。"))
    _within_weekly_limit(case, slot, moving)
    return slot


def _within_weekly_limit(case: Case, slot: Slot, moving: Booking | None) -> None:
    """At most ``per_person_per_week`` active bookings of one person in a week. The person's row is locked
    first, so two bookings for the same person (of different cases) are counted one after the other; FOR NO
    KEY UPDATE, as ``claims.lock_people``: a row naming the person goes in meanwhile. The limit came with the
    slot (``_bookable``)."""
    Person.objects.select_for_update(no_key=True).filter(pk=case.person_id).values_list("pk").first()
    limit = slot.weekly_limit
    monday = monday_of(slot.day)
    held = Booking.objects.filter(
        person_id=case.person_id,
        state=Booking.State.ACTIVE,
        slot__day__gte=monday,
        slot__day__lt=monday + timedelta(days=7),
    )
    if moving is not None:
        held = held.exclude(pk=moving.pk)
    if held.count() >= limit:
        raise Refused(
            "slot_id",
            Text(
                f"This person already has {limit} appointments in the week of {monday}; choose another week.",
                f"此人在{monday}所在的一周内已有{limit}个预约，请选择其他周。",
            ),
        )


def _insert(actor: Actor, case: Case, slot: Slot, moving: Booking | None = None) -> Booking:
    """The booking row; the partial unique indexes refuse a second active one of the slot or the case.
    No savepoint: the caller's transaction (``book``, ``reschedule``) rolls back on ``Taken``."""
    try:
        with transaction.atomic(savepoint=False):
            if not holding.hold(slot.pk):
                raise IntegrityError("the slot is held")
            return Booking.objects.create(
                reference=_reference(), slot=slot, case=case, person_id=case.person_id, booked_by=actor.user
            )
    except IntegrityError:
        raise Taken(_TAKEN) from None


def lock_case_of(booking_id: int) -> None:
    """Lock the row of the booking's case, before the booking's own: a step on the case that ends its booking
    (``moot``) locks them in that order (``cases.services.steps``), so the two wait for each other rather
    than deadlock, and the later one finds the booking ended (``Taken``)."""
    list(
        Case.objects.select_for_update(of=("self",), no_key=True)
        .filter(bookings=booking_id)
        .values_list("pk")
    )


def _locked(actor: Actor, booking: Booking, now: datetime) -> Booking:
    """The active booking, locked with its slot (which cancelling or moving it frees), after its case's row
    (``lock_case_of``); none of them changes a key."""
    rows = Booking.objects.select_for_update(of=("self", "slot"), no_key=True)
    booking = rows.select_related("slot").get(pk=booking.pk)
    access.require(actor.user, "book", booking.case)  # the side that books, in whatever state the case is
    if booking.state != Booking.State.ACTIVE:
        raise Taken(Text("This appointment is no longer active.", "该预约已失效。"), "reference")
    if (why := too_close(booking, now)) is not None:
        raise why
    return booking


def current_cutoff_hours() -> int:
    """How many hours before its slot a booking can last be cancelled or moved (the booking rules')."""
    return BookingRules.current().cutoff_hours


def inside_cutoff(slot: Slot, now: datetime | None, cutoff_hours: int) -> bool:
    """Whether ``slot`` starts less than ``cutoff_hours`` after ``now``: a booking of it can no longer be
    cancelled or moved (``too_close``), which the picker says beside it before it is booked."""
    return slot.starts_at - (now or clock.now()) < timedelta(hours=cutoff_hours)


def too_close(
    booking: Booking, now: datetime | None = None, *, cutoff_hours: int | None = None
) -> Refused | None:
    """Why ``booking`` can no longer be cancelled or moved (inside the cut-off before its slot), or None;
    a slot the hall withdrew may be changed at any time. A list of bookings reads ``current_cutoff_hours``
    once and gives it for every row."""
    cutoff = current_cutoff_hours() if cutoff_hours is None else cutoff_hours
    if booking.slot.withdrawn or not inside_cutoff(booking.slot, now, cutoff):
        return None
    return Refused(
        "reference",
        Text(
            f"An appointment can be cancelled or moved up to {cutoff} hours before it; this one is too close.",
            f"预约须在开始前{cutoff}小时以前取消或改约，该预约已过时限。",
        ),
    )


def _reference() -> str:
    return "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(10))


def _as_audit(booking: Booking) -> dict:
    return {
        "case": booking.case_id,
        "slot": booking.slot_id,
        "starts_at": booking.slot.starts_at.isoformat(),
        "state": booking.state,
    }


# --- overrides -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OverrideRequest:
    hall_id: str
    day: date
    kind: str
    reason: str
    reason_zh: str = ""
    opens: time | None = None
    closes: time | None = None
    counters: int | None = None


class DayAlreadyChanged(Taken):
    """The hall's day already has this change (a closure, a number of counters, the same extra hours):
    the first stays as it is, listed and shown to the public once."""


_REASON_ZH = Text(
    "Give the reason in Chinese too: Chinese is the site's default language.",
    "请同时填写中文原因：中文是本网站的默认语言。",
)


class AlreadyWithdrawn(Taken):
    """The change was withdrawn already (by another request, or another supervisor)."""


def keeper(actor: Actor, hall_id: str):
    """The actor's user if they are a supervisor of ``hall_id`` (who keeps its days), else ``Denied``."""
    user = actor.user
    if user is None or user.role != Role.SUPERVISOR or hall_id not in hall_ids(user):
        raise access.Denied(
            Text(
                "Only a supervisor of this hall changes its days.", "只有本大厅的审批主管可以调整其开放日程。"
            )
        )
    return user


def coming(day: date, *, withdrawing: bool = False) -> None:
    """``Refused`` unless ``day`` is today or a coming day in Beijing: a change of a day gone by, made or
    withdrawn, would rewrite what the public was told and the day's slots and bookings, now history."""
    if day >= clock.now().astimezone(BEIJING).date():
        return
    raise Refused(
        "day",
        Text("A change of a day gone by is not withdrawn.", "已过去日期的调整不能撤回。")
        if withdrawing
        else Text("A change is for today or a coming day.", "只能调整今天或以后的日期。"),
    )


def _already(o: DayOverride) -> DayAlreadyChanged:
    reason = o.reason_text()
    said = {
        DayOverride.Kind.CLOSED: Text(
            f"This hall is already closed on that day ({reason.en}).",
            f"该大厅当天已设为暂停办公（{reason.zh}）。",
        ),
        DayOverride.Kind.REDUCED_COUNTERS: Text(
            f"This hall already has fewer counters on that day ({o.counters} open).",
            f"该大厅当天已减少窗口（开放{o.counters}个）。",
        ),
        DayOverride.Kind.EXTRA_HOURS: Text(
            "This hall already has these extra hours on that day.", "该大厅当天已有相同的加开时段。"
        ),
    }[o.kind]
    return DayAlreadyChanged(said, field="kind")


def _fewer_than_serve(hall_id: str, keep: int) -> None:
    """``Refused`` unless ``keep`` counters are fewer than the hall's active counters: "fewer counters"
    leaves the lowest-numbered ``keep`` open (``opening.kept_counters``), so as many or more would change
    nothing and tell the public of a change that is none. Called inside the transaction that saves the
    change, the hall's counters locked (in a fixed order) so a counter switched at the same moment waits."""
    actives = Counter.objects.filter(hall_id=hall_id).order_by("pk").select_for_update(no_key=True)
    serving = sum(1 for active in actives.values_list("active", flat=True) if active)
    if keep < serving:
        return
    if serving == 0:
        raise Refused(
            "counters",
            Text(
                "No counter of this hall is serving, so none can be left out; to receive no one that day, "
                "choose Closed.",
                "该大厅没有窗口办公，无法减少；当天不接待的，请选择“暂停办公”。",
            ),
        )
    if serving == 1:
        raise Refused(
            "counters",
            Text(
                "This hall has only one counter serving, so none can be left out; to receive no one that "
                "day, choose Closed.",
                "该大厅只有一个窗口办公，无法再减少；当天不接待的，请选择“暂停办公”。",
            ),
        )
    raise Refused(
        "counters",
        Text(
            f"This hall has {serving} counters serving: fewer counters means at most {serving - 1} open.",
            f"该大厅有{serving}个窗口办公：减少窗口时最多开放{serving - 1}个。",
        ),
    )


def _not_closed_anyway(hall_id: str, day: date) -> None:
    """``Refused`` when the hall is closed on ``day`` without the closure (its weekdays, a statutory
    holiday: ``law.halls.closed_reason``), unless a supervisor opened it that day (extra hours)."""
    why = closed_reason(catalog().halls[hall_id], day)
    if why is None:
        return
    raise Refused(
        "day",
        Text(f"The hall is already closed on that day: {why.en}", f"该大厅当天本不开放：{why.zh}"),
    )


def _same_change(hall_id: str, day: date, kind: str, opens: time | None, closes: time | None):
    """The stored change the database would refuse beside this one (its unique constraints), or None."""
    same = DayOverride.objects.filter(hall_id=hall_id, day=day, kind=kind)
    if kind == DayOverride.Kind.EXTRA_HOURS:
        same = same.filter(opens=opens, closes=closes)
    return same.first()


def add_override(actor: Actor, request: OverrideRequest) -> tuple[DayOverride, Generated]:
    """A supervisor of the hall changes one of its days (today or a coming one, ``coming``), with the
    reason in English and in Chinese (the public reads it in both): stored, audited, and the day's slots
    regenerated (booked slots kept and flagged, ``generation``). The same change again is refused
    (``DayAlreadyChanged``)."""
    user = keeper(actor, request.hall_id)
    if request.hall_id not in catalog().halls:
        raise Refused(
            "hall_id", Text(f"There is no hall {request.hall_id!r}.", f"没有“{request.hall_id}”这个大厅。")
        )
    coming(request.day)
    kind = DayOverride.Kind
    if request.kind == kind.EXTRA_HOURS and not (
        request.opens and request.closes and request.opens < request.closes
    ):
        raise Refused(
            "opens",
            Text(
                "Extra hours need a start before their end.", "加开时段须有开始和结束时间，且开始早于结束。"
            ),
        )
    if request.kind == kind.REDUCED_COUNTERS and request.counters is None:
        raise Refused("counters", Text("Say how many counters stay open.", "请填写开放的窗口数。"))
    if request.kind == kind.REDUCED_COUNTERS and request.counters < 1:
        raise Refused(
            "counters",
            Text(
                "At least one counter stays open; to receive no one that day, choose Closed.",
                "至少开放一个窗口；当天不接待的，请选择“暂停办公”。",
            ),
        )
    reason = typed("reason", request.reason, limit=300)
    reason_zh = typed("reason_zh", request.reason_zh, limit=300, empty=_REASON_ZH)
    opens = request.opens if request.kind == kind.EXTRA_HOURS else None
    closes = request.closes if request.kind == kind.EXTRA_HOURS else None
    with transaction.atomic():
        if (same := _same_change(request.hall_id, request.day, request.kind, opens, closes)) is not None:
            raise _already(same)
        if request.kind == kind.CLOSED:
            _not_closed_anyway(request.hall_id, request.day)
        if request.kind == kind.REDUCED_COUNTERS:
            _fewer_than_serve(request.hall_id, request.counters)
        try:
            with transaction.atomic():
                override = DayOverride.objects.create(
                    hall_id=request.hall_id,
                    day=request.day,
                    kind=request.kind,
                    opens=opens,
                    closes=closes,
                    counters=request.counters if request.kind == kind.REDUCED_COUNTERS else None,
                    reason=reason,
                    reason_zh=reason_zh,
                    created_by=user,
                )
        except IntegrityError:  # the same change saved by another request at the same moment
            same = _same_change(request.hall_id, request.day, request.kind, opens, closes)
            if same is None:
                raise
            raise _already(same) from None
        audit.record(
            actor,
            "hall_day.override",
            "day_override",
            override.pk,
            new={
                "hall": override.hall_id,
                "day": override.day.isoformat(),
                "kind": override.kind,
                "reason": override.reason,
            },
        )
        changed = regenerate_day(override.hall_id, override.day)
    return override, changed


def _as_change(o: DayOverride) -> dict:
    """The change as the audit trail keeps it (the old value of a withdrawal)."""
    times = {
        "opens": o.opens.isoformat() if o.opens else None,
        "closes": o.closes.isoformat() if o.closes else None,
    }
    return {"hall": o.hall_id, "day": o.day.isoformat(), "kind": o.kind, **times, "counters": o.counters} | {
        "reason": o.reason,
        "reason_zh": o.reason_zh,
        "created_by": o.created_by_id,
        "created_at": o.created_at.isoformat(),
    }


def withdraw_override(
    actor: Actor, override_id: int, reason: str, reason_zh: str
) -> tuple[DayOverride, Generated]:
    """A supervisor of the hall withdraws a change of its day (to correct it, then make it again), with
    the reason in English and in Chinese: kept as history (who, when, why), audited with the change as it
    was, and the day's slots regenerated as adding a change does: a closure's or fewer counters' slots
    reopen, and a booking on a time no longer offered (withdrawn extra hours) is kept, flagged for the hall
    to contact and its people told why (``generation``, ``withdrawals``), never dropped; the people of a
    booking on a time it gives back are told their appointment stands (``withdrawals.tell_restored``).
    ``DayOverride.DoesNotExist`` for no such change, ``AlreadyWithdrawn`` for one withdrawn before,
    ``Refused`` for a change of a day gone by (``coming``)."""
    with transaction.atomic():
        override = DayOverride.everything.select_for_update().get(pk=override_id)
        user = keeper(actor, override.hall_id)
        if override.withdrawn_at is not None:
            raise AlreadyWithdrawn(
                Text("This change was already withdrawn.", "该调整已被撤回。"), field="override_id"
            )
        coming(override.day, withdrawing=True)
        override.withdrawn_reason = typed("reason", reason, limit=300)
        override.withdrawn_reason_zh = typed("reason_zh", reason_zh, limit=300, empty=_REASON_ZH)
        override.withdrawn_at, override.withdrawn_by = clock.now(), user
        override.save(
            update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason", "withdrawn_reason_zh"]
        )
        audit.record(
            actor,
            "hall_day.override.withdraw",
            "day_override",
            override.pk,
            old=_as_change(override),
            new={
                "withdrawn_reason": override.withdrawn_reason,
                "withdrawn_reason_zh": override.withdrawn_reason_zh,
            },
        )
        changed = regenerate_day(override.hall_id, override.day, given_back_by=override)
    return override, changed


def may_switch_counters(actor: Actor) -> None:
    """``Denied`` for anyone but an administrator (``switch_counter``; the admin form asks first)."""
    if actor.user is None or actor.user.role != Role.ADMINISTRATOR:
        raise access.Denied(
            Text("Only an administrator turns a counter on or off.", "只有系统管理员可以开启或关闭窗口。")
        )


def switch_counter(actor: Actor, counter_id: int, active: bool, reason: str) -> Generated:
    """An administrator turns a counter on or off, saying why: audited (who, when, why, and the counter as
    it was), and its hall's coming days (today and the weeks the booking rules offer) regenerated at once,
    so the people of a booking whose time it takes are told now that their counter closed, and those whose
    time it gives back that their appointment stands (``generation``, ``withdrawals``), not at the nightly
    run. A counter already so changes nothing. ``Denied`` for anyone but an administrator, ``Refused``
    without a reason, ``Counter.DoesNotExist`` for no such counter."""
    may_switch_counters(actor)
    reason = typed("reason", reason, limit=300)
    with transaction.atomic():
        counter = Counter.objects.select_for_update(no_key=True).get(pk=counter_id)  # only ``active`` changes
        if counter.active == active:
            return Generated()
        Counter.objects.filter(pk=counter.pk).update(active=active)
        audit.record(
            actor,
            "counter.switch",
            "counter",
            counter.pk,
            old={"hall": counter.hall_id, "number": counter.number, "active": counter.active},
            new={"active": active, "reason": reason},
        )
        switched_on = counter.pk if active else None  # the cause of the times it gives back
        return _coming_days(counter.hall_id, switched_on)


def add_counter(actor: Actor, counter: Counter, reason: str) -> Generated:
    """An administrator adds ``counter`` (unsaved, its fields checked by the caller's form) serving, saying
    why: stored serving at once, never first out of service, in one step audited as it was added (who,
    when, why), its hall's coming days regenerated as ``switch_counter`` regenerates them when it turns one
    on (its times offered, the people of a booking whose time comes back told). A counter added out of
    service needs no reason and no step of this: it offers nothing until turned on. ``Denied`` for anyone
    but an administrator, ``Refused`` without a reason."""
    may_switch_counters(actor)
    reason = typed("reason", reason, limit=300)
    with transaction.atomic():
        counter.active = True
        counter.save(force_insert=True)
        audit.record(
            actor,
            "counter.add",
            "counter",
            counter.pk,
            new={
                "hall": counter.hall_id,
                "number": counter.number,
                "categories": counter.categories,
                "active": True,
                "reason": reason,
            },
        )
        return _coming_days(counter.hall_id, counter.pk)


def _coming_days(hall_id: str, switched_on: int | None) -> Generated:
    """Regenerate the hall's coming days (today and the weeks the booking rules offer) at once, after a
    counter changed; ``switched_on``: the counter turned on, the cause of the times it gives back."""
    today = clock.now().astimezone(BEIJING).date()
    return generate(today, BookingRules.current().weeks_ahead, [hall_id], switched_on)


def overrides(hall_id: str, first: date, last: date | None = None) -> QuerySet:
    """A hall's overrides from ``first`` to ``last`` (None: every one from ``first`` on, however far
    ahead): public, with their reasons."""
    found = DayOverride.objects.filter(hall_id=hall_id, day__gte=first)
    return found if last is None else found.filter(day__lte=last)


def coming_overrides(
    hall_ids: list[str], first: date, last: date | None = None
) -> dict[str, list[DayOverride]]:
    """The overrides of several halls from ``first`` to ``last`` (None: every one from ``first`` on: a
    closure planned months ahead is listed, to the public and to the supervisor who may withdraw it), by
    hall, in one query."""
    by_hall: dict[str, list[DayOverride]] = {}
    found = DayOverride.objects.filter(hall_id__in=hall_ids, day__gte=first)
    for o in found if last is None else found.filter(day__lte=last):
        by_hall.setdefault(o.hall_id, []).append(o)
    return by_hall
