"""Recording enforcement decisions (Regulations Chapter IV) and reading them back with each deadline met,
due or late: the one way the API and the pages write and read ``compliance.enforcement``.

Officers and supervisors record and read the people they read (``cases.access.hall_people``: current work
at their halls, an alert of their halls' district, an enforcement record of their halls); nobody else. Every write is audited with what it stored, and every read of a person's records too. The law
core decides each number (``law.rules.enforcement``): what it refuses is ``Refused``, saying why in both
languages (``cases.services.Refused``, a 422 in the API), never a stored value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Exists, QuerySet

from exitentry import clock
from exitentry.accounts.audit import Actor, record
from exitentry.accounts.models import User
from exitentry.accounts.policy import is_hall_side
from exitentry.cases.access import people_rule
from exitentry.cases.services import Refused
from exitentry.compliance.enforcement import (
    ActivityRestriction,
    Detention,
    OrderToLeave,
    Repatriation,
    RestrictionReport,
)
from exitentry.law.calendar import BEIJING, beijing_today
from exitentry.law.rules import enforcement as law
from exitentry.law.rules.endings import ORDER_TO_LEAVE, out_of_reach
from exitentry.law.rules.holding import kind_name
from exitentry.law.sources import Citation
from exitentry.law.text import Text
from exitentry.registry import ports
from exitentry.registry.models import EntryExit, Permit, PermitEvent, Person, TravelDocument


def people_for(user: User) -> QuerySet[Person]:
    """The people whose enforcement records ``user`` may read and write: those the hall side reads
    (``cases.access.hall_people``)."""
    if not is_hall_side(user):
        return Person.objects.none()
    return Person.objects.filter(people_rule(user))


def may_enforce(user: User, person: Person) -> bool:
    return people_for(user).filter(pk=person.pk).exists()


def records_for(user: User) -> dict[str, QuerySet]:
    """Each kind of record, limited to the people ``user`` may see (for looking one up by its id)."""
    people = people_for(user).values("pk")
    return {
        "detention": Detention.objects.filter(person__in=people),
        "restriction": ActivityRestriction.objects.filter(person__in=people),
        "report": RestrictionReport.objects.filter(restriction__person__in=people).select_related(
            "restriction"
        ),
        "repatriation": Repatriation.objects.filter(person__in=people),
        "order": OrderToLeave.objects.filter(person__in=people),
    }


def _audit(actor: Actor, action: str, obj, **new) -> None:
    record(
        actor,
        f"enforcement.{action}",
        type(obj).__name__.lower(),
        obj.pk,
        new={k: v.isoformat() if isinstance(v, date) else v for k, v in new.items()},
    )


def _aware(field: str, value: datetime) -> datetime:
    if value.utcoffset() is None:
        raise Refused(
            field,
            Text(
                "Give the time with its time zone, e.g. 2026-12-02T09:00:00+08:00.",
                "时间须带时区，例如 2026-12-02T09:00:00+08:00。",
            ),
        )
    return value


def _not_before(field: str, value: datetime | date, start: datetime | date) -> None:
    if value < start:
        raise Refused(
            field, Text("This cannot come before the decision it follows.", "该时间不能早于其所依据的决定。")
        )


def _recorded(field: str, day: date | datetime) -> None:
    """``Refused`` on ``field`` when the record's day (a Beijing day) is after today: a decision not taken
    yet, or a step on it not made yet (a transfer, a report, a lifting, a repatriation carried out, an exit),
    is not recorded (as a unit's report of an event, ``unit_reports.check``)."""
    if isinstance(day, datetime):
        day = day.astimezone(BEIJING).date()
    if day > beijing_today(clock.now()):
        raise Refused(field, Text("The date cannot be after today.", "日期不能晚于今天。"))


def _once(person: Person, records: QuerySet, field: str, what: Text) -> None:
    """``Refused`` on ``field`` when ``records`` (the person's same record, still open) holds one: a form
    sent twice records it once. Inside the caller's transaction, the person's row locked, so two sends at
    once wait for each other and the second finds the first."""
    Person.objects.select_for_update().filter(pk=person.pk).first()
    if records.exists():
        raise Refused(
            field,
            Text(
                f"This {what.en} is already recorded (the form was sent twice?): it is listed on the "
                "person's records.",
                f"该{what.zh}已登记（表单是否提交了两次？），见此人的执法记录。",
            ),
        )


def detain(actor: Actor, person: Person, *, detained_at: datetime, place: str) -> Detention:
    """Record a detention for examination (Art. 29), with the instant the transfer is due by."""
    due = law.detention_transfer(_aware("detained_at", detained_at), transferred_at=None, now=detained_at).due
    _recorded("detained_at", detained_at)
    with transaction.atomic():
        same = Detention.objects.filter(person=person, detained_at=detained_at, transferred_at__isnull=True)
        _once(person, same, "detained_at", Text("detention", "留置盘问"))
        d = Detention.objects.create(
            person=person, recorded_by=actor.user, detained_at=detained_at, place=place, transfer_due_at=due
        )
        _audit(actor, "detention", d, detained_at=detained_at.isoformat(), place=place)
    return d


def transfer(actor: Actor, detention: Detention, *, at: datetime, to: str) -> Detention:
    """Record that the detained person was sent to a detention centre or repatriation facility."""
    if detention.transferred_at is not None:
        raise Refused("at", Text("The transfer is already recorded.", "已登记送交。"))
    _not_before("at", _aware("at", at), detention.detained_at)
    _recorded("at", at)
    with transaction.atomic():
        detention.transferred_at, detention.transferred_to = at, to
        detention.save(update_fields=["transferred_at", "transferred_to"])
        _audit(actor, "transfer", detention, at=at.isoformat(), to=to)
    return detention


def restrict(
    actor: Actor, person: Person, *, decided_on: date, area: str, residence: str, report_times: list[datetime]
) -> ActivityRestriction:
    """Record a decision restricting activities (Art. 30) with the times the person reports."""
    if not law.is_area(area):
        raise Refused(
            "area",
            Text(
                "An area is an administrative division code of 2, 4 or 6 digits, e.g. 11 (Beijing) or 110105.",
                "限定区域须为2位、4位或6位行政区划代码，例如 11（北京市）或 110105。",
            ),
        )
    for at in report_times:
        _aware("report_times", at)
    _recorded("decided_on", decided_on)
    with transaction.atomic():
        same = ActivityRestriction.objects.filter(
            person=person, decided_on=decided_on, lifted_on__isnull=True
        )
        _once(person, same, "decided_on", Text("restriction of activities", "限制活动范围决定"))
        r = ActivityRestriction.objects.create(
            person=person, recorded_by=actor.user, decided_on=decided_on, area=area, residence=residence
        )
        RestrictionReport.objects.bulk_create(
            RestrictionReport(restriction=r, due_at=at) for at in report_times
        )
        _audit(actor, "restriction", r, decided_on=decided_on, area=area, reports=len(report_times))
    return r


def report(actor: Actor, due: RestrictionReport, *, at: datetime) -> RestrictionReport:
    """Record that the person reported (Art. 30), on time or not."""
    if due.reported_at is not None:
        raise Refused("at", Text("This report is already recorded.", "此次报到已登记。"))
    _recorded("at", _aware("at", at))
    with transaction.atomic():
        due.reported_at = at
        due.save(update_fields=["reported_at"])
        _audit(actor, "report", due, at=at.isoformat())
    return due


def lift(actor: Actor, restriction: ActivityRestriction, *, on: date) -> ActivityRestriction:
    """Record that the deciding authority lifted the restriction from ``on``."""
    if restriction.lifted_on is not None:
        raise Refused("on", Text("The restriction is already lifted.", "该限制已解除。"))
    _not_before("on", on, restriction.decided_on)
    _recorded("on", on)
    with transaction.atomic():
        restriction.lifted_on = on
        restriction.save(update_fields=["lifted_on"])
        _audit(actor, "lift", restriction, on=on)
    return restriction


def _no_entry(field: str, repatriated_on: date, years: int) -> law.NoEntryPeriod:
    try:
        return law.no_entry_period(repatriated_on, years)
    except law.NoEntryPeriodOutOfBounds as exc:
        raise Refused(field, exc.text) from None


def repatriate(
    actor: Actor,
    person: Person,
    *,
    decided_on: date,
    no_entry_years: int,
    can_pay: bool,
    illegally_employed: bool,
    payer: str = "",
) -> Repatriation:
    """Record a repatriation decision (Arts. 31, 32): the no-entry years within the law's bounds."""
    _no_entry("no_entry_years", decided_on, no_entry_years)
    _recorded("decided_on", decided_on)
    with transaction.atomic():
        same = Repatriation.objects.filter(person=person, decided_on=decided_on, repatriated_on__isnull=True)
        _once(person, same, "decided_on", Text("repatriation", "遣送出境决定"))
        r = Repatriation.objects.create(
            person=person,
            recorded_by=actor.user,
            decided_on=decided_on,
            no_entry_years=no_entry_years,
            can_pay=can_pay,
            illegally_employed=illegally_employed,
            payer=payer,
        )
        _audit(actor, "repatriation", r, decided_on=decided_on, years=no_entry_years, costs=r.costs().who)
    return r


def _port(entered: str) -> str:
    """The port to store for one entered by its code or name (``registry.ports.code_for``), else ``Refused``."""
    try:
        return ports.code_for(entered)
    except ports.BadPort as exc:
        raise Refused("port", exc.text) from None


def _exit(person: Person, on: date, port: str) -> EntryExit:
    document = TravelDocument.objects.filter(person=person).order_by("-issued_on", "-pk").first()
    if document is None:
        raise Refused(
            "on",
            Text("The person has no travel document to record an exit with.", "此人没有可登记出境的证件。"),
        )
    return EntryExit.objects.create(
        person=person, direction=EntryExit.Direction.EXIT, on=on, port=port, travel_document=document
    )


def carry_out(actor: Actor, repatriation: Repatriation, *, on: date, port: str) -> Repatriation:
    """Record the repatriation carried out on ``on`` (an exit through ``port``, its code or name), which
    starts the no-entry period."""
    port = _port(port)
    if repatriation.repatriated_on is not None:
        raise Refused("on", Text("The repatriation is already carried out.", "已登记遣送出境。"))
    _not_before("on", on, repatriation.decided_on)
    _recorded("on", on)
    period = _no_entry("on", on, repatriation.no_entry_years)
    with transaction.atomic():
        _exit(repatriation.person, on, port)
        repatriation.repatriated_on, repatriation.no_entry_until = on, period.last_day
        repatriation.save(update_fields=["repatriated_on", "no_entry_until"])
        _audit(actor, "repatriated", repatriation, on=on, no_entry_until=period.last_day, port=port)
    return repatriation


def no_entry_barring(person: Person, day: date) -> list[law.NoEntryPeriod]:
    """The no-entry periods of ``person``'s repatriations carried out that bar an entry on ``day`` (Art. 31,
    ``NoEntryPeriod.bars``): what a case page warns of when the person applies inside one."""
    done = Repatriation.objects.filter(person=person, repatriated_on__isnull=False).order_by("repatriated_on")
    return [period for r in done for period in [r.no_entry()] if period is not None and period.bars(day)]


def order_to_leave(actor: Actor, person: Person, *, ordered_on: date, days: int) -> OrderToLeave:
    """Record an order to leave within ``days`` (Art. 33: at most the law's maximum); its audit entry names
    the documents it is to cancel or confiscate (``to_cancel_by_order``)."""
    try:
        deadline = law.exit_deadline(ordered_on, days)
    except law.ExitDeadlineTooLong as exc:
        raise Refused("days", exc.text) from None
    _recorded("ordered_on", ordered_on)
    with transaction.atomic():
        left = EntryExit.objects.filter(person=person, direction=EntryExit.Direction.EXIT, on__gte=ordered_on)
        same = OrderToLeave.objects.filter(person=person, ordered_on=ordered_on, days=days)
        _once(person, same.exclude(Exists(left)), "ordered_on", Text("order to leave", "限期出境决定"))
        o = OrderToLeave.objects.create(
            person=person,
            recorded_by=actor.user,
            ordered_on=ordered_on,
            days=days,
            last_day=deadline.last_day,
            documents=[p.number for p in to_cancel_by_order(person, ordered_on)],
        )
        _audit(
            actor,
            "order",
            o,
            ordered_on=ordered_on,
            days=days,
            last_day=deadline.last_day,
            cancels=o.documents,
        )
    return o


NOT_KEPT = Text(
    "This order was recorded before orders kept the documents they name: none were recorded.",
    "此决定登记时系统尚未保存决定所列的证件：未记录应注销或收缴的证件。",
)


def to_cancel_by_order(person: Person, ordered_on: date) -> list[Permit]:
    """The documents an order to leave of ``ordered_on`` is to cancel or confiscate (Regulations Art. 33,
    ``law.rules.endings``): the person's permits issued by then and in force that day whose kind the
    article reaches. The order keeps their numbers (``OrderToLeave.documents``): a permit cancelled
    afterwards, as the order asks, stays named on it; an order recorded before they were kept has none
    (null, ``NOT_KEPT``)."""
    held = Permit.objects.filter(person=person, issued_on__lte=ordered_on).order_by("kind", "number")
    return [
        p for p in held if p.state_on(ordered_on) == "valid" and out_of_reach(p.kind, ORDER_TO_LEAVE) is None
    ]


def orders_to_cancel(permit: Permit) -> list[OrderToLeave]:
    """The orders to leave that named ``permit`` among the documents to cancel (``to_cancel_by_order``,
    Regulations Art. 33 and 35) while it is not cancelled yet; earliest first."""
    if permit.status == Permit.Status.CANCELLED:
        return []
    orders = OrderToLeave.objects.filter(person_id=permit.person_id).order_by("ordered_on", "pk")
    return [o for o in orders if permit.number in (o.documents or ())]


def record_exit(actor: Actor, order: OrderToLeave, *, on: date, port: str) -> EntryExit:
    """Record the person's exit under an order to leave, through ``port`` (its code or name)."""
    port = _port(port)
    _not_before("on", on, order.ordered_on)
    _recorded("on", on)
    if _left_on(order, on) is not None:
        raise Refused("on", Text("An exit since the order is already recorded.", "已登记该决定后的出境。"))
    with transaction.atomic():
        movement = _exit(order.person, on, port)
        _audit(actor, "exit", order, on=on, port=port)
    return movement


def _left_on(order: OrderToLeave, by: date) -> date | None:
    """The first exit recorded from the day of the order to ``by``."""
    exits = EntryExit.objects.filter(
        person_id=order.person_id, direction=EntryExit.Direction.EXIT, on__gte=order.ordered_on, on__lte=by
    )
    return exits.order_by("on").values_list("on", flat=True).first()


@dataclass(frozen=True, slots=True)
class Status:
    """A deadline's standing at an instant, in both languages, with where the law sets it."""

    key: str
    text: Text
    cite: tuple[Citation, ...]


def _status(key: str, *cites: Citation) -> Status:
    return Status(key, law.STATUS_TEXT[key], cites)


@dataclass(frozen=True, slots=True)
class OrderDocument:
    """A document an order to leave is to cancel or confiscate (Art. 33), by the number it named: the kind
    of the permit that holds the number now, in words, and whether it was cancelled since (Art. 35); kind
    and cancelled None where no permit holds it; ``cancelled_on``: the Beijing day of its cancellation
    event, where one is recorded."""

    number: str
    kind: str | None
    kind_text: Text | None
    cancelled: bool | None
    cancelled_on: date | None = None


def _order_documents(person: Person, orders: list[OrderToLeave]) -> dict[int, list[OrderDocument] | None]:
    """By order: its documents (one query for them all); None for an order recorded before orders kept
    them (``NOT_KEPT``)."""
    named = {
        p.number: p
        for p in Permit.objects.filter(
            person=person, number__in=[n for o in orders for n in o.documents or ()]
        )
    }
    cancelled_on = {
        permit_id: beijing_today(at)
        for permit_id, at in PermitEvent.objects.filter(
            permit__in=[p for p in named.values() if p.status == Permit.Status.CANCELLED],
            kind=PermitEvent.Kind.CANCELLATION,
        )
        .order_by("at")
        .values_list("permit_id", "at")
    }  # the latest cancellation of each, in order so the last one read stands
    return {
        o.pk: None
        if o.documents is None
        else [
            OrderDocument(
                n, p.kind, kind_name(p.kind), p.status == Permit.Status.CANCELLED, cancelled_on.get(p.pk)
            )
            if (p := named.get(n)) is not None
            else OrderDocument(n, None, None, None)
            for n in o.documents
        ]
        for o in orders
    }


@dataclass(frozen=True, slots=True)
class Records:
    """A person's enforcement records, each with its deadlines' standing at ``at``."""

    at: datetime
    detentions: list[tuple[Detention, Status]]
    restrictions: list[tuple[ActivityRestriction, list[tuple[RestrictionReport, Status]]]]
    repatriations: list[tuple[Repatriation, law.CostBearer, law.NoEntryPeriod | None, Text | None]]
    orders: list[tuple[OrderToLeave, date | None, Status]]
    documents: dict[int, list[OrderDocument] | None]  # by order: what it is to cancel or confiscate (Art. 33)
    cites: dict[str, tuple[Citation, ...]]  # by kind: where the law sets each record's deadline
    not_kept = NOT_KEPT  # what an order whose documents are null says of them

    def __bool__(self) -> bool:
        return bool(self.detentions or self.restrictions or self.repatriations or self.orders)


def records_of(actor: Actor, person: Person, at: datetime) -> Records:
    """``person``'s enforcement records with each deadline met, due or late at ``at`` (an aware instant);
    the read is audited."""
    cites = law.record_cites()
    day = beijing_today(at)
    orders = list(OrderToLeave.objects.filter(person=person).order_by("-ordered_on"))
    record(actor, "enforcement.read", "person", person.pk)
    return Records(
        at=at,
        cites=cites,
        detentions=[
            (d, _status(d.status(at), *cites["detention"]))
            for d in Detention.objects.filter(person=person).order_by("-detained_at")
        ],
        restrictions=[
            (r, [(x, _status(x.status(at), *cites["restriction"])) for x in r.reports.all()])
            for r in ActivityRestriction.objects.filter(person=person)
            .prefetch_related("reports")
            .order_by("-decided_on")
        ],
        repatriations=[
            (r, r.costs(), period, period.standing(day) if period else None)
            for r in Repatriation.objects.filter(person=person).order_by("-decided_on")
            for period in [r.no_entry()]
        ],
        orders=[
            (o, left, _status(o.status(left, at), *cites["order"]))
            for o in orders
            for left in [_left_on(o, day)]
        ],
        documents=_order_documents(person, orders),
    )
