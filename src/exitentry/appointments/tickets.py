"""The day at the hall: check-in of a booking, tickets for walk-ins, calling the next ticket at a counter,
marking it served, or not answered (``not_answered``: the first time it waits again, the second time it
did not come).

A ticket is a letter and a number per hall and day (``R001``): the letter says which kind of application
waits (``LETTERS``, from the catalog's hall categories), the number counts up per hall, day and letter.
Two officers issuing at once never share a number: the database refuses a second (``QueueTicket``'s
unique constraint) and the loser takes the next. Two counters calling at once never share a ticket: the
call is an ``UPDATE ... WHERE state = 'waiting'``, and the one that updates no row tries the next.

Every step is the officer's or supervisor's of the ticket's hall (``accounts.policy.hall_ids``) and is
audited (``accounts.audit``).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.db.models.functions import Coalesce

from exitentry import clock
from exitentry.accounts import audit
from exitentry.accounts.audit import Actor
from exitentry.accounts.policy import hall_ids, is_hall_side
from exitentry.appointments.models import Booking, BookingRules, Counter, QueueTicket
from exitentry.appointments.opening import closed_reason, hall_changes
from exitentry.appointments.services import Taken, lock_case_of, not_booked_here, open_slots
from exitentry.bilingual import in_both
from exitentry.cases import access
from exitentry.cases.lifecycle import CLOSED_STATES, TO_COLLECT, State, state_label
from exitentry.cases.models import Case
from exitentry.cases.services.reading import Refused, hall_label
from exitentry.law.calendar import BEIJING
from exitentry.law.catalog import catalog
from exitentry.law.halls import closed_sign, no_new_tickets, opening_state
from exitentry.law.rules.collection import collection_visit
from exitentry.law.text import Text, day_text

# The letter of a ticket, by the family of the procedure's hall categories (the part before ":" of
# ``rp:work``, ``pilot:chaoyang``; ``law/catalog/halls.yaml``): residence permits R, permanent residence
# P, visas and stay permits V, exit documents E, the pilot policies' employees T, the one-stop service's
# work permits with work-type residence permits W (at the one-stop counters).
LETTERS = {"rp": "R", "pr": "P", "visa-stay": "V", "exit": "E", "pilot": "T", "one-stop": "W"}

# Recorded choice, not law: the seeds say nothing of when to come for an appointment nor how early it is
# checked in. Check-in opens this long before the slot starts and closes when it ends: early enough for a
# queue at the door, and a booking whose time has passed is the next no-show, not a place in today's queue.
# The one setting of the window: ``check_in`` refuses by it, the booking confirmation tells it
# (``check_in_window``).
CHECK_IN_EARLY = timedelta(minutes=60)
_CHECK_IN_WINDOW = Text(
    "Check-in opens at {opens}, {minutes} minutes before your appointment, and closes at {ends}, when it "
    "ends. This is the hall's own arrangement, not a rule of the law.",
    "{opens}（预约时间前{minutes}分钟）开始签到，{ends}截止（预约时段结束）。此为大厅的办理安排，并非法律规定。",
)


def check_in_window(starts: datetime, ends: datetime) -> Text:
    """When an appointment from ``starts`` to ``ends`` is checked in (``CHECK_IN_EARLY``), for its holder."""
    opens = (starts - CHECK_IN_EARLY).astimezone(BEIJING)
    return _CHECK_IN_WINDOW.format(
        opens=f"{opens:%H:%M}", minutes=CHECK_IN_EARLY.seconds // 60, ends=f"{ends.astimezone(BEIJING):%H:%M}"
    )


_REFERENCE = re.compile(r"(?<![0-9A-Z])[2-9A-HJKMNP-Z]{10}(?![0-9A-Z])")  # services._REFERENCE_ALPHABET
_NUMBER_TRIES = 50


def letter_for(case: Case) -> str:
    """The ticket letter of ``case``'s kind of application (``LETTERS``)."""
    categories = sorted(catalog().procedure(case.procedure_id).hall_categories)
    return LETTERS[categories[0].split(":")[0]]


def require_hall(actor: Actor, hall_id: str) -> None:
    """Refuse (``access.Denied``) unless ``actor`` is an officer or supervisor of ``hall_id``."""
    user = actor.user
    if user is None or not is_hall_side(user) or hall_id not in hall_ids(user):
        raise access.Denied(
            Text("Only the officers of this hall work its queue.", "只有本大厅的工作人员可以操作其排队叫号。")
        )


def today(now: datetime | None = None):
    return (now or clock.now()).astimezone(BEIJING).date()


def references_in(text: str) -> list[str]:
    """The booking references in what was typed or scanned (a reference, or a URL or token holding one)."""
    return _REFERENCE.findall(text.upper())


_ENTER_REFERENCE = Text(
    "Enter the appointment's reference: scan its QR code or type its 10 characters.",
    "请扫描预约二维码或输入10位预约号。",
)


def check_in(actor: Actor, hall_id: str, scanned: str, *, now: datetime | None = None) -> QueueTicket:
    """Check in the booking whose reference ``scanned`` holds, at ``hall_id``: on its day, at its hall, from
    ``CHECK_IN_EARLY`` before its slot until the slot ends, the hall open at its time or now if later
    (``in_hours``: a day the supervisor closed since, after closing); a ticket is issued and the booking is
    checked in. A booking at a hall the officer does not work at is answered as a reference no booking has."""
    now = now or clock.now()
    require_hall(actor, hall_id)
    if not scanned.strip():
        raise Refused("reference", _ENTER_REFERENCE)
    # a booking at a hall the officer does not work at is not found: its hall and state are not theirs to learn
    mine = Booking.objects.filter(
        reference__in=references_in(scanned), slot__hall_id__in=hall_ids(actor.user)
    )
    found = list(mine.values_list("pk", "slot__hall_id", "state"))
    # at another of their halls: they may be told which, once it is still to be checked in (else its state)
    if len(found) == 1 and found[0][1] != hall_id and found[0][2] == Booking.State.ACTIVE:
        there, here = hall_label(found[0][1]), hall_label(hall_id)
        raise Refused(
            "reference",
            Text(
                f"This appointment is at {there.en}, not at {here.en}.",
                f"该预约的办理地点是{there.zh}，不是{here.zh}。",
            ),
        )
    if len(found) != 1:
        raise Refused(
            "reference",
            Text(
                "No appointment at this hall has this reference; check the code or type the 10 characters.",
                "本大厅没有该编号的预约，请核对二维码或输入10位预约号。",
            ),
        )
    with transaction.atomic():
        lock_case_of(found[0][0])
        rows = Booking.objects.select_for_update(of=("self",), no_key=True)  # the case's row is locked
        booking = rows.select_related("slot", "case").get(pk=found[0][0])
        _check_in_allowed(booking, hall_id, now)
        ticket = _issue(hall_id, booking.case, now, booking=booking)
        Booking.objects.filter(pk=booking.pk).update(state=Booking.State.CHECKED_IN)
        audit.record(
            actor,
            "booking.check_in",
            "booking",
            booking.reference,
            old={"state": booking.state},
            new={"state": Booking.State.CHECKED_IN, "ticket": ticket.label, "hall": hall_id},
        )
    return ticket


def _check_in_allowed(booking: Booking, hall_id: str, now: datetime) -> None:
    slot = booking.slot
    if booking.state == Booking.State.CHECKED_IN:
        raise Taken(Text("This appointment is already checked in.", "该预约已签到。"), "reference")
    if booking.state != Booking.State.ACTIVE:
        state = in_both(Booking.State(booking.state).label)
        ended = Text(f"This appointment is no longer active ({state.en}).", f"该预约已失效（{state.zh}）。")
        if booking.ended_because:  # why, as its booker's page says it (``booking_confirmation.html``)
            why = in_both(Booking.EndReason(booking.ended_because).label)
            ended = Text(f"{ended.en} {why.en}.", f"{ended.zh}{why.zh}。")
        raise Taken(ended, "reference")
    starts, ends = slot.starts_at.astimezone(BEIJING), slot.ends_at.astimezone(BEIJING)
    if today(now) != slot.day:
        raise Refused(
            "reference",
            Text(
                "This appointment is on {day}; check in on that day.", "该预约日期为{day}，请当天签到。"
            ).format(day=day_text(slot.day)),
        )
    early = CHECK_IN_EARLY.seconds // 60
    if now < starts - CHECK_IN_EARLY:
        opens = (starts - CHECK_IN_EARLY).strftime("%H:%M")
        raise Refused(
            "reference",
            Text(
                f"Too early: check-in for the appointment at {starts:%H:%M} opens at {opens} ({early} minutes before).",
                f"时间未到：{starts:%H:%M}的预约自{opens}起（提前{early}分钟）可以签到。",
            ),
        )
    if now >= ends:
        raise Refused(
            "reference",
            Text(
                f"Too late: the appointment ended at {ends:%H:%M}; book another time.",
                f"已过时间：该预约已于{ends:%H:%M}结束，请重新预约。",
            ),
        )
    in_hours(hall_id, max(now, starts), "reference")


def in_hours(hall_id: str, at: datetime, field: str) -> None:
    """Refuse (``Refused`` on ``field``) a check-in or a new ticket at ``hall_id`` outside its hours at
    ``at``, the supervisor's changes to the day included: the law core's recorded choice
    (``law.halls.no_new_tickets``, on the seeds' "Where to apply" and "Opening hours"). Calling and serving
    the tickets issued before closing are never refused by the hours."""
    why = no_new_tickets(catalog().halls[hall_id], at, hall_changes(hall_id, today(at)))
    if why is not None:
        raise Refused(field, why)


_BOOKED_ON = Text(
    "This application is received by appointment; its appointment {reference} is on {day} at {time}: "
    "check it in then.",
    "此类申请须预约办理；其预约{reference}在{day} {time}，请届时签到。",
)


_BOOKED_TODAY = Text(
    "This application is booked here today at {time}: check in its appointment {reference} with the "
    "check-in form, not as a walk-in.",
    "此申请今日{time}在本大厅有预约：请在签到栏为其预约{reference}办理签到，不发放现场号。",
)


_BOOKS_FIRST = Text(
    "This application is received by appointment only, so it gets no walk-in ticket. The applicant books a "
    "time and is checked in then; ",
    "此类申请须预约办理，不发放现场号。请申请人预约后届时签到；",
)
_NEXT_FREE = Text("the next free time here is {day} at {time}.", "本大厅最近可约时间为{day} {time}。")
_NONE_FREE = Text(
    "this hall has no free time in the next {weeks} weeks.", "本大厅未来{weeks}周内暂无可约时间。"
)


def _books_first(case: Case, now: datetime) -> Text:
    """Why an officer issues no walk-in ticket for ``case``, and the next time it may book at its hall."""
    weeks = BookingRules.current().weeks_ahead
    free = open_slots(case, case.hall_id, today(now), today(now) + timedelta(weeks=weeks), now=now).first()
    if free is None:
        then = _NONE_FREE.format(weeks=weeks)
    else:
        starts = free.starts_at.astimezone(BEIJING)
        then = _NEXT_FREE.format(day=day_text(starts.date()), time=f"{starts:%H:%M}")
    return Text(_BOOKS_FIRST.en + then.en, _BOOKS_FIRST.zh + then.zh)


_LETTER_FIRST = Text(
    "This application is booked in the Service System for Foreigners Working in China: see its appointment "
    "letter, then issue the ticket with “appointment letter seen” ticked.",
    "此类申请在外国人来华工作管理服务系统中预约：请核验其预约函，勾选“已核验预约函”后再发号。",
)


_NOT_READY = Text(
    "The permit is not ready for pick-up yet (the application is {state}): it gets a ticket to collect the "
    "permit once it is. {why}",
    "证件尚未可领取（申请状态：{state}），可领取后再发放领证号码。{why}",
)


def issue_walk_in(
    actor: Actor, case: Case, *, letter_seen: bool = False, now: datetime | None = None
) -> QueueTicket:
    """A ticket for ``case`` without a booking here, where the law books none here
    (``services.not_booked_here``), at the case's hall; one open ticket per case a day. Where the time is
    booked elsewhere (the one-stop service's B and C), the officer has seen its appointment letter
    (``letter_seen``) and the ticket says so. A case with an active booking at the hall today is checked in
    on it (``check_in``) instead, and where check-in refuses now the officer is sent to check it in; a case that books here is refused, its coming booking named. A permit
    ready for pick-up gets a ticket to collect it, which books no time (``law.rules.collection``); one
    approved and not ready yet is refused, saying so; a closed case (collected, withdrawn, refused) is refused
    as closed, before any booking rule; outside the hall's hours none is issued (``in_hours``)."""
    now = now or clock.now()
    require_hall(actor, case.hall_id)
    access.require(actor.user, "view", case)
    state = Case.objects.values_list("state", flat=True).get(pk=case.pk)
    if state in CLOSED_STATES:  # before the hours and the booking rules: a closed case books nothing
        raise Refused("case", _closed(case.pk))
    has = _open_ticket(case, now)
    if has is not None:  # checked in already, or a ticket issued: before the hours, which it is past
        raise Taken(_has_ticket(has), "case")
    if state in TO_COLLECT:
        in_hours(case.hall_id, now, "case")
        return _collection_ticket(actor, case, now)
    booked = (
        Booking.objects.filter(case=case, state=Booking.State.ACTIVE, slot__day__gte=today(now))
        .select_related("slot")
        .order_by("slot__starts_at")
        .first()
    )
    if booked is not None and booked.slot.day == today(now) and booked.slot.hall_id == case.hall_id:
        try:
            return check_in(actor, case.hall_id, booked.reference, now=now)
        except Refused as refused:  # not now (too early, too late): check it in on the booking's terms
            starts = booked.slot.starts_at.astimezone(BEIJING)
            here = _BOOKED_TODAY.format(reference=booked.reference, time=f"{starts:%H:%M}")
            why = Text(f"{here.en} {refused.message.en}", here.zh + refused.message.zh)
            raise Refused("case", why, refused.cite) from None
    in_hours(case.hall_id, now, "case")  # after its booking today, checked in on the booking's own terms
    elsewhere = not_booked_here(case)
    if elsewhere is None:
        if booked is not None:
            starts = booked.slot.starts_at.astimezone(BEIJING)
            why = _BOOKED_ON.format(
                reference=booked.reference, day=day_text(starts.date()), time=f"{starts:%H:%M}"
            )
            raise Refused("case", why)
        raise Refused("case", _books_first(case, now))
    with_letter = elsewhere.bring is not None
    if with_letter and not letter_seen:
        raise Refused("letter_seen", _LETTER_FIRST)
    with transaction.atomic():
        if not _open_case(case.pk):
            raise Refused("case", _closed(case.pk))
        ticket = _walk_in(actor, case, now, with_letter=with_letter)
    return ticket


def _collection_ticket(actor: Actor, case: Case, now: datetime) -> QueueTicket:
    """A walk-in ticket to collect the permit of ``case``, ready for pick-up (read again under the case's
    lock); refused while it is approved or issued and not ready yet."""
    with transaction.atomic():
        state = _locked_state(case.pk)
        if state != State.READY:
            if state in CLOSED_STATES:
                raise Refused("case", _closed(case.pk))
            label = state_label(state)
            why = collection_visit().text
            raise Refused("case", _NOT_READY.format(state=label, why=why))
        return _walk_in(actor, case, now, purpose=QueueTicket.Purpose.COLLECT)


def _closed(case_id: int) -> Text:
    closed = in_both(State(Case.objects.values_list("state", flat=True).get(pk=case_id)).label)
    return Text(
        f"This application is closed ({closed.en}): nothing is left to do at the counter.",
        f"该申请已结束（{closed.zh}），无需到窗口办理。",
    )


def _walk_in(
    actor: Actor,
    case: Case,
    now: datetime,
    *,
    with_letter: bool = False,
    purpose: str = QueueTicket.Purpose.HAND_IN,
) -> QueueTicket:
    """Issue the walk-in ticket (inside the caller's transaction, the case's row locked), unless the case
    has an open ticket today already (``_has_ticket``)."""
    open_ticket = _open_ticket(case, now)
    if open_ticket is not None:
        raise Taken(_has_ticket(open_ticket), "case")
    ticket = _issue(case.hall_id, case, now, with_letter=with_letter, purpose=purpose)
    audit.record(actor, "ticket.walk_in", "ticket", ticket.pk, new=_as_audit(ticket))
    return ticket


def _open_ticket(case: Case, now: datetime) -> QueueTicket | None:
    """The ticket of ``case`` today still waiting or at a counter (a booking checked in has one), if any."""
    open_states = (QueueTicket.State.WAITING, QueueTicket.State.CALLED)
    return QueueTicket.objects.filter(case=case, day=today(now), state__in=open_states).first()


_HAS_TICKET = Text("This application already has ticket {ticket} today: ", "该申请今日已有号码{ticket}：")
_WAITS = Text("it is not called yet; it waits in the queue.", "尚未叫号，正在排队等候。")
_WAITS_AGAIN = Text(
    "it was called and not answered, and waits in the queue again.", "叫号后未应答，已重新排队等候。"
)
_AT_COUNTER = Text("it was called to counter {counter} at {time}.", "已于{time}叫到{counter}号窗口。")
_CALLED = Text("it was called at {time}.", "已于{time}叫号。")  # a hall with no counters set up


def _has_ticket(ticket: QueueTicket) -> Text:
    """What the walk-in desk is told of the case's open ticket today: its number, and whether it was called
    (to which counter, when) or waits (again, once not answered)."""
    if ticket.state == QueueTicket.State.CALLED:
        called = ticket.called_at.astimezone(BEIJING)
        at_counter = _CALLED if ticket.counter is None else _AT_COUNTER
        state = at_counter.format(counter=ticket.counter, time=f"{called:%H:%M}")
    else:
        state = _WAITS_AGAIN if ticket.missed else _WAITS
    said = _HAS_TICKET.format(ticket=ticket.label)
    return Text(said.en + state.en, said.zh + state.zh)


def _issue(
    hall_id: str,
    case: Case,
    now: datetime,
    booking: Booking | None = None,
    with_letter: bool = False,
    purpose: str = QueueTicket.Purpose.HAND_IN,
) -> QueueTicket:
    """The next number of the case's letter at the hall today; a number taken in a race is passed over.
    ``with_letter``: it comes with an appointment letter of another system (``appointment_letter``);
    ``purpose``: what the visit is for."""
    day, letter = today(now), letter_for(case)
    for _ in range(_NUMBER_TRIES):
        last = QueueTicket.objects.filter(hall_id=hall_id, day=day, letter=letter).aggregate(n=Max("number"))
        try:
            with transaction.atomic():
                return QueueTicket.objects.create(
                    hall_id=hall_id,
                    day=day,
                    letter=letter,
                    number=(last["n"] or 0) + 1,
                    booking=booking,
                    case=case,
                    booked_for=booking.slot.starts_at if booking else None,
                    appointment_letter=with_letter,
                    purpose=purpose,
                    issued_at=now,
                )
        except IntegrityError:
            continue
    raise Taken(Text("The queue is busy; try again.", "排队系统繁忙，请重试。"), "hall_id")


def waiting_for(counter: Counter | None, hall_id: str, day) -> QuerySet:
    """The waiting tickets a counter serves at ``hall_id`` on ``day``, in calling order: the booked time
    (a walk-in's is its issue; a ticket not answered once, the moment it was marked so), then the issue. No
    counter row (a hall with no counters set up, such as the one-stop service): every ticket. A ticket of a
    closed case (``lifecycle.CLOSED_STATES``: withdrawn meanwhile) is not called: nothing is left to do at
    the counter."""
    tickets = QueueTicket.objects.filter(hall_id=hall_id, day=day, state=QueueTicket.State.WAITING).exclude(
        case__state__in=sorted(CLOSED_STATES)
    )
    if counter is not None and "*" not in counter.categories:
        served = set(counter.categories)
        procedures = [p.id for p in catalog().procedures.values() if p.hall_categories & served]
        tickets = tickets.filter(case__procedure_id__in=procedures)
    # Only a ticket put back by ``not_answered`` waits with a ``called_at``: it queues as if booked then.
    return tickets.order_by(Coalesce("called_at", "booked_for", "issued_at"), "issued_at", "pk")


class CounterBusy(Taken):
    """The counter still has a called ticket: the officer marks it served or not answered first."""


_STILL_AT = Text(
    "Ticket {ticket} is still at counter {counter}: mark it served or not answered, then call the next.",
    "号码{ticket}仍在{counter}号窗口：请先将其标记为办结或未应答，再叫下一号。",
)


def _counter_free(hall_id: str, day, counter: int) -> None:
    """``CounterBusy`` naming the ticket called to ``counter`` today and not finished yet, if any."""
    at_counter = QueueTicket.objects.filter(
        hall_id=hall_id, day=day, counter=counter, state=QueueTicket.State.CALLED
    ).first()
    if at_counter is not None:
        raise CounterBusy(_STILL_AT.format(ticket=at_counter.label, counter=counter), "counter")


def call_next(actor: Actor, hall_id: str, counter: int, *, now: datetime | None = None) -> QueueTicket | None:
    """Call the next waiting ticket counter ``counter`` serves (``waiting_for``), or None when none waits;
    ``CounterBusy`` while a ticket called there is not finished (served or not answered): one ticket at a
    counter at a time, as the screen shows it. The ticket is taken by a conditional update, so two counters
    calling at once get two tickets; its case's row is locked first (``_open_case``). Two calls at one
    counter at once (two officers, a double click) call one ticket: the database holds at most one called
    ticket per counter and day (``QueueTicket``'s ``one_called_ticket_per_counter``), and the other call
    waits for it and is refused, naming it."""
    now = now or clock.now()
    require_hall(actor, hall_id)
    desk = _counter(hall_id, counter)
    day = today(now)
    _counter_free(hall_id, day, counter)
    while True:
        candidates = list(waiting_for(desk, hall_id, day).values_list("pk", "case_id")[:10])
        if not candidates:
            return None
        for pk, case_id in candidates:
            try:
                ticket = _call(actor, pk, case_id, hall_id, day, counter, now)
            except IntegrityError:  # another call at this counter, committed meanwhile
                _counter_free(hall_id, day, counter)
                raise  # no ticket at the counter: another constraint, not this race
            if ticket is not None:
                return ticket


def _call(
    actor: Actor, pk: int, case_id: int, hall_id: str, day, counter: int, now: datetime
) -> QueueTicket | None:
    """Call ticket ``pk`` to ``counter`` if it still waits and its case is open, else None."""
    with transaction.atomic():
        if not _open_case(case_id):
            return None  # closed since the candidates were read: ``waiting_for`` leaves it out now
        _counter_free(hall_id, day, counter)  # a call at this counter committed while this one waited
        taken = QueueTicket.objects.filter(pk=pk, state=QueueTicket.State.WAITING).update(
            state=QueueTicket.State.CALLED, counter=counter, called_at=now
        )
        if not taken:
            return None
        ticket = QueueTicket.objects.get(pk=pk)
        audit.record(
            actor,
            "ticket.call",
            "ticket",
            pk,
            old={"state": QueueTicket.State.WAITING},
            new=_as_audit(ticket),
        )
        return ticket


_NO_SUCH_COUNTER = Text(
    "This hall has no open counter {number}; its open counters: {open}.",
    "本大厅没有开放的{number}号窗口；开放的窗口：{open}。",
)
# A number no counter can have (``Counter.number`` is a positive small integer): never echoed back.
COUNTER_NUMBERS = range(1, 32768)
_NOT_A_COUNTER = Text(
    "Enter the number of one of this hall's open counters: {open}.", "请输入本大厅开放窗口的号码：{open}。"
)
_NOT_A_COUNTER_NUMBER = Text(
    f"Enter the number of your counter: a whole number from 1 to {COUNTER_NUMBERS[-1]}.",
    f"请输入您的窗口号码：1至{COUNTER_NUMBERS[-1]}之间的整数。",
)


def open_counters(hall_id: str) -> list[int]:
    """The numbers of the hall's open counters, in order."""
    return list(
        Counter.objects.filter(hall_id=hall_id, active=True)
        .order_by("number")
        .values_list("number", flat=True)
    )


def counters_text(numbers: list[int]) -> Text:
    """Counter numbers as people read them: "1, 2" / "1号、2号"."""
    return Text(", ".join(map(str, numbers)), "、".join(f"{n}号" for n in numbers))


def _counter(hall_id: str, number: int) -> Counter | None:
    counters = Counter.objects.filter(hall_id=hall_id, active=True)
    if number not in COUNTER_NUMBERS:
        if not counters.exists():
            raise Refused("counter", _NOT_A_COUNTER_NUMBER)
        raise Refused("counter", _NOT_A_COUNTER.format(open=counters_text(open_counters(hall_id))))
    if not counters.exists():
        return None
    desk = counters.filter(number=number).first()
    if desk is None:
        raise Refused(
            "counter", _NO_SUCH_COUNTER.format(number=number, open=counters_text(open_counters(hall_id)))
        )
    return desk


def mark_served(actor: Actor, ticket: QueueTicket, *, now: datetime | None = None) -> QueueTicket:
    """The called ticket's applicant was served at the counter."""
    require_hall(actor, ticket.hall_id)
    with transaction.atomic():
        done = QueueTicket.objects.filter(pk=ticket.pk, state=QueueTicket.State.CALLED).update(
            state=QueueTicket.State.SERVED, served_at=now or clock.now()
        )
        if not done:
            raise Taken(
                Text("Only a called ticket can be marked served.", "只有已叫号的号码可以标记为办结。"),
                "ticket",
            )
        ticket.refresh_from_db()
        audit.record(
            actor, "ticket.serve", "ticket", ticket.pk, old={"state": "called"}, new=_as_audit(ticket)
        )
    return ticket


MAY_MISS = 1  # how often a called ticket may go unanswered and still wait; the next time, it did not come


def not_answered(actor: Actor, ticket: QueueTicket, *, now: datetime | None = None) -> QueueTicket:
    """The called ticket's applicant did not come to the counter: the first time it waits again, queued as if
    booked for now (after the tickets due by now, before those booked later); the second time, or once its
    case is closed (``_open_case``: ``waiting_for`` would never call it again), it did not come (``no_show``)."""
    require_hall(actor, ticket.hall_id)
    now = now or clock.now()
    with transaction.atomic():
        is_open = _open_case(ticket.case_id)
        missed = QueueTicket.objects.filter(pk=ticket.pk, state=QueueTicket.State.CALLED).values_list(
            "missed", flat=True
        )
        found = list(missed.select_for_update())
        if not found:
            raise Taken(
                Text(
                    "Only a called ticket can be marked not answered.", "只有已叫号的号码可以标记为未应答。"
                ),
                "ticket",
            )
        if found[0] < MAY_MISS and is_open:  # waits again, queued from now (``waiting_for``), at no counter
            change = {"state": QueueTicket.State.WAITING, "counter": None, "called_at": now}
        else:
            change = {"state": QueueTicket.State.NO_SHOW}
        QueueTicket.objects.filter(pk=ticket.pk).update(missed=found[0] + 1, **change)
        ticket.refresh_from_db()
        audit.record(
            actor, "ticket.not_answered", "ticket", ticket.pk, old={"state": "called"}, new=_as_audit(ticket)
        )
    return ticket


def _open_case(case_id: int) -> bool:
    """Lock the row of a ticket's case, before the ticket's (the lock order of ``cases.services.steps``: a
    withdrawal or the no-show job at the same moment is waited for, or waits), and whether the case is still
    open (not in ``lifecycle.CLOSED_STATES``)."""
    return _locked_state(case_id) not in CLOSED_STATES


def _locked_state(case_id: int) -> str:
    """Lock the row of a ticket's case (``_open_case``) and read its state."""
    rows = Case.objects.select_for_update(no_key=True).filter(pk=case_id)
    return rows.values_list("state", flat=True).get()


def end_closed(actor: Actor, case: Case, *, now: datetime | None = None) -> list[int]:
    """End the waiting tickets of ``case``, just closed: collected, as ``SERVED`` (the permit was handed
    over at the hall, the holder there: the visit is done, ``served_at`` now, never called to a counter);
    otherwise (withdrawn, refused, expired) as ``WITHDRAWN``: nothing is left to do at the counter. Either
    way the hall's board and screen show it at once rather than after the no-show job. Inside the step's
    transaction, the case's row locked already (``cases.signals``: the lock order, case then tickets); a
    called ticket is left to the counter (served, or not answered). Audited; the ids of the tickets ended."""
    waiting = QueueTicket.objects.filter(case=case, state=QueueTicket.State.WAITING)
    ended = list(waiting.select_for_update(of=("self",), no_key=True).values_list("pk", flat=True))
    if case.state == State.COLLECTED:
        action, change = "ticket.served_on_collection", {"state": QueueTicket.State.SERVED}
        change["served_at"] = now or clock.now()
    else:
        action, change = "ticket.withdrawn", {"state": QueueTicket.State.WITHDRAWN}
    QueueTicket.objects.filter(pk__in=ended, state=QueueTicket.State.WAITING).update(**change)
    for pk in ended:
        audit.record(
            actor,
            action,
            "ticket",
            pk,
            old={"state": QueueTicket.State.WAITING},
            new={"state": change["state"], "case_state": case.state},
        )
    return ended


def tickets_of(actor: Actor, hall_id: str) -> QuerySet:
    """The tickets of a hall whose queue ``actor`` works (``require_hall``)."""
    require_hall(actor, hall_id)
    return QueueTicket.objects.filter(hall_id=hall_id)


def _as_audit(ticket: QueueTicket) -> dict:
    return {
        "ticket": ticket.label,
        "hall": ticket.hall_id,
        "day": ticket.day.isoformat(),
        "case": ticket.case_id,
        "state": ticket.state,
        "counter": ticket.counter,
        "missed": ticket.missed,
        "appointment_letter": ticket.appointment_letter,
        "purpose": ticket.purpose,
    }


def day_board(actor: Actor, hall_id: str, *, now: datetime | None = None) -> dict:
    """A hall's day for its officers: why the hall is closed today if it is (the calendar or a
    supervisor's closure, ``opening.closed_reason``), bookings and tickets counted (a booking checked in
    whose ticket did not come counts as did not come, not checked in: the day's bookings add up), the average wait from
    issue to call, the day's bookings (with their procedures' titles) and tickets, and why collecting a
    permit books no time (``collection``)."""
    day = today(now)
    tickets = list(
        tickets_of(actor, hall_id)
        .filter(day=day)
        .select_related("booking", "case__person")
        .order_by("issued_at", "pk")
    )
    bookings = Booking.objects.filter(slot__hall_id=hall_id, slot__day=day)
    states = [t.state for t in tickets]
    # a booking checked in whose ticket then went unanswered did not come: counted there, once
    unanswered = {t.booking_id for t in tickets if t.booking_id and t.state == QueueTicket.State.NO_SHOW}
    waits = [
        (t.called_at - t.issued_at).total_seconds()
        for t in tickets
        if t.called_at and t.state != QueueTicket.State.WAITING
    ]
    return {
        "hall_id": hall_id,
        "day": day,
        "closed": closed_reason(catalog().halls[hall_id], day),
        "booked": bookings.exclude(state__in=(Booking.State.CANCELLED, Booking.State.MOVED)).count(),
        "checked_in": bookings.filter(state=Booking.State.CHECKED_IN).exclude(pk__in=unanswered).count(),
        "waiting": states.count(QueueTicket.State.WAITING),
        "called": states.count(QueueTicket.State.CALLED),
        "served": states.count(QueueTicket.State.SERVED),
        "no_show": bookings.filter(state=Booking.State.NO_SHOW).count()
        + states.count(QueueTicket.State.NO_SHOW),
        "withdrawn": states.count(QueueTicket.State.WITHDRAWN),
        "average_wait_minutes": round(sum(waits) / len(waits) / 60, 1) if waits else None,
        "tickets": tickets,
        "unanswered": unanswered,  # the bookings whose check-in ended so, which their rows say
        "bookings": [
            (b, catalog().procedure(b.case.procedure_id).title)
            for b in bookings.exclude(state__in=(Booking.State.CANCELLED, Booking.State.MOVED))
            .select_related("slot", "case", "case__person")
            .order_by("slot__starts_at", "reference")
        ],
        "counters": counters_text(numbers) if (numbers := open_counters(hall_id)) else None,
        "collection": collection_visit(),  # a permit ready for pick-up books no time: why, for the form
    }


def public_queue(hall_id: str, *, now: datetime | None = None, recent: int = 8) -> dict:
    """What the hall's screen shows, to anyone: the recently called tickets and their counters (``called``,
    latest first; of them ``calling``, those at a counter now, and ``served``, those done at one; a ticket
    served at the collection, its permit collected while it waited, was served at no counter, even one
    called before and not answered), the tickets
    withdrawn today because their application closed (``withdrawn``, latest first: their holders need not
    wait), and how many wait. Ticket numbers only, no personal data. While the hall is closed (its hours,
    the supervisor's changes: ``law.halls.opening_state``) and no ticket issued before closing waits or is at
    a counter, ``closed`` says when it opens next (``law.halls.closed_sign``) and nothing is called; else
    it is None."""
    now = now or clock.now()
    tickets = QueueTicket.objects.filter(hall_id=hall_id, day=today(now))
    state = opening_state(catalog().halls[hall_id], now, hall_changes(hall_id, today(now)))
    open_tickets = (QueueTicket.State.WAITING, QueueTicket.State.CALLED)
    if not state.open and not tickets.filter(state__in=open_tickets).exists():
        closed, tickets = closed_sign(state), tickets.none()
    else:
        closed = None
    called = [
        (t.state, {"ticket": t.label, "counter": t.counter})
        for t in tickets.filter(
            state__in=(QueueTicket.State.CALLED, QueueTicket.State.SERVED), counter__isnull=False
        ).order_by("-called_at", "-pk")[:recent]
    ]
    return {
        "hall_id": hall_id,
        "called": [line for _, line in called],
        "calling": [line for state, line in called if state == QueueTicket.State.CALLED],
        "served": [line for state, line in called if state == QueueTicket.State.SERVED],
        "withdrawn": [
            {"ticket": t.label}
            for t in tickets.filter(state=QueueTicket.State.WITHDRAWN).order_by("-pk")[:recent]
        ],
        "waiting": tickets.filter(state=QueueTicket.State.WAITING).count(),
        "closed": closed,
    }


def is_hall(hall_id: str) -> bool:
    """A hall of the catalog (the one-stop service's counters included)."""
    return hall_id in catalog().halls


def find_case(actor: Actor, text: str) -> Case | None:
    """The case ``actor`` sees whose id or reference number is ``text``."""
    text = text.strip()
    cases = access.cases_for(actor.user)
    number = text.isdecimal() and len(text) <= 18  # a longer one is no row's id (a 64-bit integer)
    match = Q(reference__iexact=text) | (Q(pk=int(text)) if number else Q(pk__in=[]))
    return cases.filter(match).first() if text else None
