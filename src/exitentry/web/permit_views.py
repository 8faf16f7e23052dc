"""A holder's own view of their permits and visas ("My permits"), and the same view of a person for a proxy
or unit handler who may see them (``access.people_rule``); a person or permit they may not see answers 404.

Each permit shows its state on today (in force, expiring, expired, void or cancelled with the Art. 34/35
ground), its history, the duties that follow from it with their dates, and what the holder may start from
it: the law core's ``rules.holding`` answers all of it but the state the registry keeps
(``registry.standing``). A start is a button into the procedure's advisor carrying the answers the registry
holds and the permit, so the draft it ends in acts on that permit. Every page records the read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from exitentry.accounts import policy
from exitentry.accounts.audit import record
from exitentry.accounts.models import Role
from exitentry.appointments import opening
from exitentry.cases import access, lifecycle, registry_facts
from exitentry.cases.models import Case, Receipt
from exitentry.cases.services import one_per_permit
from exitentry.compliance import change_reports, notices, reminders, report_receipts, scan
from exitentry.compliance.models import ChangeReport
from exitentry.compliance.scan import ISSUED
from exitentry.law.advice import Answer
from exitentry.law.catalog import catalog
from exitentry.law.halls import Changes
from exitentry.law.model import Procedure
from exitentry.law.rules import holding
from exitentry.law.rules.change_reports import (
    PARTICULARS,
    REASON,
    REPORT_IS_NOT_THE_CHANGE,
    REPORT_IS_NOT_THE_CHANGE_CITE,
    counts_as_report,
    reportable,
)
from exitentry.law.rules.duties import particulars_change_due, still_runs
from exitentry.law.rules.grounds import Ground
from exitentry.law.rules.holding import Held
from exitentry.law.rules.public_notice import holder_duty
from exitentry.law.rules.unit_reports import reason_change_events
from exitentry.law.text import Text
from exitentry.registry import roster
from exitentry.registry.models import Permit, PermitEvent, Person, TravelDocument, Visa
from exitentry.registry.standing import EXPIRING, STATE_NAMES, beijing_date, event_label, standing
from exitentry.registry.stay import visa_of_last_entry
from exitentry.web import case_pages as pages
from exitentry.web import change_report_form as report_form
from exitentry.web.advisor import ON, PERMIT, planned_day, posted

applicant_side = pages.signed_in(policy.may_start_case)

# How soon a duty on a permit page (My permits, the console's permit page) is marked near, a month ahead;
# the advice answers and the roster mark it at ``lawtext.DUE_NOTE_NEAR_DAYS``: presentation, not a rule of the law.
PERMIT_PAGE_NEAR_DAYS = 30
FIRST = ("expiring", "valid")  # the permits in force head the page, those needing action first
ACTION_LABELS = {
    "extension": _("Apply for an extension"),
    "renewal": _("Apply for a renewal"),
    "reissue": _("Apply for a reissue"),
    "replacement": _("Apply for a replacement"),
    "change": _("Apply for a change"),
    "endorsement": _("Apply to add part-time work"),
}
# How the change of particulars is applied for, by the procedure's casework (``counts_as_report``: a renewal
# re-issues the permit with the new particulars, Regulations Art. 17; Exit and Entry Administration Law Art. 33).
CHANGE_AS = {
    "renewal": _("handled as a renewal: the permit is re-issued with the new particulars"),
    "change": _("handled as a change of the permit"),
}
CHANGED = {"number": _("number"), "valid_until": _("valid until"), "permit_type": _("type")}


@dataclass(frozen=True, slots=True)
class Start:
    """A procedure the holder may start from the permit, and the form fields that carry it to the advisor."""

    procedure: Procedure
    label: str
    carry: list[tuple[str, str]]
    summary: Text  # what the procedure does, with the numbers of the page's day


@dataclass(frozen=True, slots=True)
class Blocked:
    """A draft on the permit in the way of the permit's change coming due (one application at a time, and
    the draft does not apply for the change): withdraw it, then apply for the change with one of ``then``."""

    draft: Case
    title: Text
    duty: Answer
    then: tuple[Start, ...]


@dataclass(frozen=True, slots=True)
class Change:
    name: str
    before: object
    after: object


@dataclass(frozen=True, slots=True)
class Event:
    """One line of a permit's history, in words."""

    kind: str
    label: Text
    on: date
    ground: Ground | None
    changes: tuple[Change, ...]
    case_id: int | None
    case_visible: bool


@dataclass(frozen=True, slots=True)
class PermitCard:
    """A permit as its holder's page shows it."""

    permit: Permit
    kind: Text
    permit_type: Text | None
    state: str  # valid, expiring, expired, void or cancelled
    name: Text  # of the state, with the articles it rests on (``cites``) linked after it
    cites: tuple
    why: Text | None
    why_cite: tuple
    ended_on: date | None
    ground: Ground | None
    duties: tuple[Answer, ...]
    starts: tuple[Start, ...]
    events: tuple[Event, ...]
    under_way: tuple[tuple[Case, Text], ...] = ()  # open applications on it the user may open
    applied_on: date | None = None  # the latest acceptance receipt on it: its duties are applied for
    busy: bool = False  # an application acts on it, seen by the user or not: nothing more is offered
    blocked: Blocked | None = None  # a draft of the user's in the way of the change coming due
    in_place: tuple[Start, ...] = ()  # a permit no longer in force: what the law offers in its place
    last_day_cite: tuple = ()  # what defines its end on its last day (``holding.last_day_cite``)
    change: TravelDocument | None = None  # what changed the particulars: said beside the duty run from it
    reason_change: Text | None = None  # a unit reported the reason for residence changed: what to do, by when
    changed_on: date | None = None  # the day of the change the Art. 33 duty runs from (``scan.held``)
    reported_change: tuple[str, Text, date] | None = None  # who reported it ("unit", "holder"), what, when
    change_reports: tuple[tuple[ChangeReport, Text], ...] = ()  # reports of a change (Art. 33), what changed
    reported_not_changed: Text | None = None  # beside reports: a report is not the change Art. 33 asks for
    may_report: bool = False  # the user may report a change of its particulars for the holder
    also_changed: tuple[
        tuple[Text, date, date, bool], ...
    ] = ()  # later changes: what, on which day, last day, a claim
    new_employer_applies: tuple[Procedure, ...] = ()  # left out for the present employer: the new one applies
    employer_files: tuple[Procedure, ...] = ()  # left out for the holder: their employer files them

    @property
    def to_collect(self) -> bool:
        """An application under way on it was decided and waits to be collected: it can no longer be withdrawn."""
        return any(case.state in lifecycle.TO_COLLECT for case, _ in self.under_way)

    @property
    def new_employer_cite(self) -> tuple:
        """Where the law says the new employer applies (``holding.NEW_EMPLOYER_APPLIES``)."""
        return holding.NEW_EMPLOYER_APPLIES

    @property
    def employer_files_cite(self) -> tuple:
        """Where the law says the employer files them (``holding.EMPLOYER_FILES``)."""
        return holding.EMPLOYER_FILES

    @property
    def reported_not_changed_cite(self) -> tuple:
        return REPORT_IS_NOT_THE_CHANGE_CITE


@dataclass(frozen=True, slots=True)
class VisaCard:
    """A visa the registry holds that is not also recorded as a permit: valid or expired, and the duty
    to apply for a residence permit after the entry made on it, where it requires one."""

    visa: Visa
    category: Text  # its category in words, as an answer shows it ("L (tourism)")
    state: str
    label: Text
    duty: Answer | None
    applied_on: date | None = None  # a receipt given since the entry: the residence permit is applied for


# --- the pages ----------------------------------------------------------------------------------------


@require_GET
@applicant_side
def my_permits(request: HttpRequest) -> HttpResponse:
    """An applicant's own permits; a proxy or unit handler chooses among the people it acts for."""
    user = request.user
    if user.role == Role.APPLICANT:
        if user.person_id is None:
            return render(request, "my/permits/people.html", {"people": [], "own": True})
        return redirect("web:person_permits", person_id=user.person_id)
    people = list(Person.objects.filter(access.people_rule(user)).order_by("surname", "given_names", "pk"))
    if people:
        record(
            pages.actor(request), "person.list", "permits", "people", new={"people": [p.pk for p in people]}
        )
    return render(request, "my/permits/people.html", {"people": people, "own": False})


@require_GET
@applicant_side
def person_permits(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.filter(access.people_rule(request.user)), pk=person_id)
    on = pages.today()
    cards, visas = holder_cards(request.user, person, on)
    record(
        pages.actor(request),
        "person.permits.read",
        "person",
        person.pk,
        new={"permits": [c.permit.pk for c in cards]},
    )
    documents = list(person.travel_documents.order_by("-expires_on", "-pk"))
    return render(
        request,
        "my/permits/person.html",
        {
            "person": person,
            "own": person.pk == request.user.person_id,
            "cards": cards,
            "visas": visas,
            "documents": documents,  # a claim is marked as awaiting the hall's check (``cases.claims``)
            "claimed": any(d.claim for d in documents),
            **as_on(on),
        },
    )


def holder_cards(user, person: Person, on: date) -> tuple[list[PermitCard], list[VisaCard]]:
    """A person's permits as ``user`` reads them on ``on`` (those in force, needing action first) and
    their visas not also recorded as permits; what the holder's page and a unit's page of them show.
    A change of employer is not offered to the unit that employs the person (``roster.employs``), nor
    what the employer files to the holder themself."""
    by_employer = roster.employs(user.unit_id, person.pk, on)
    permits = list(
        person.permits.prefetch_related(_events(), *change_reports.PREFETCH).order_by(
            "kind", "-issued_on", "-pk"
        )
    )
    visible = _visible_cases(user, permits)
    open_cases = _under_way(user, permits)
    receipts = _receipts(user, person, on)
    held = scan.held(permits, on)
    taken = one_per_permit.busy(permits)
    days = opening.changes(catalog().halls, on)
    documents = list(person.travel_documents.all()) if any(h.changed_on for h in held.values()) else []
    cards = sorted(
        (
            permit_card(
                p,
                held[p.pk],
                on,
                visible,
                open_cases.get(p.pk, ()),
                receipts,
                p.pk in taken,
                days,
                documents,
                alongside=tuple(held.values()),
                by_employer=by_employer,
                by_holder=user.role == Role.APPLICANT,
            )
            for p in permits
        ),
        key=lambda card: FIRST.index(card.state) if card.state in FIRST else len(FIRST),
    )
    reports = access.may_report_change(user, person.pk)
    found = changes_found([person.pk], on) if any(c.changed_on for c in cards) else Found()
    return [with_reports(c, reports, found) for c in cards], visa_cards(person, permits, on, receipts)


@require_GET
@applicant_side
def permit_detail(request: HttpRequest, permit_id: int) -> HttpResponse:
    return _detail_page(request, _detail_card(request, _readable(request, permit_id)))


def _detail_card(request: HttpRequest, permit: Permit) -> PermitCard:
    on = pages.today()
    held = scan.held(permit.person.permits.all(), on)
    card = permit_card(
        permit,
        held[permit.pk],
        on,
        _visible_cases(request.user, [permit]),
        _under_way(request.user, [permit]).get(permit.pk, ()),
        _receipts(request.user, permit.person, on),
        permit.pk in one_per_permit.busy([permit]),
        alongside=tuple(held.values()),
        by_employer=roster.employs(request.user.unit_id, permit.person_id, on),
        by_holder=request.user.role == Role.APPLICANT,
    )
    found = changes_found([permit.person_id], on) if card.changed_on else Found()
    return with_reports(card, access.may_report_change(request.user, permit.person_id), found)


def _detail_page(request: HttpRequest, card: PermitCard, errors: dict | None = None) -> HttpResponse:
    """One permit's page, after a refused report too (422): every showing of it is audited as a read."""
    record(pages.actor(request), "permit.read", "permit", card.permit.pk)
    return render(
        request,
        "my/permits/permit.html",
        {
            "person": card.permit.person,
            "own": card.permit.person_id == request.user.person_id,
            "card": card,
            "particulars": report_form.choices(),
            "report_errors": errors or {},
            "posted": request.POST if errors else {},
            **as_on(pages.today()),
        },
        status=422 if errors else 200,
    )


@require_POST
@applicant_side
def report_change(request: HttpRequest, permit_id: int) -> HttpResponse:
    """The holder's (or a proxy's or unit's for them) report that the permit's particulars changed."""
    permit = _readable(request, permit_id)
    if not access.may_report_change(request.user, permit.person_id):
        raise Http404
    errors = report_form.posted(request, permit, ChangeReport.Source.WEB)
    if not errors:
        return redirect(f"{reverse('web:permit_detail', args=[permit.pk])}#change-reports")
    return _detail_page(request, _detail_card(request, permit), errors)


@require_GET
@applicant_side
def change_receipt_pdf(request: HttpRequest, permit_id: int, report_id: int) -> HttpResponse:
    """The receipt of a report of a change of the permit's particulars, as a PDF."""
    permit = _readable(request, permit_id)
    found = get_object_or_404(permit.change_reports.select_related("filed_by"), pk=report_id)
    return report_receipts.change_pdf_response(
        pages.actor(request), found, request.build_absolute_uri("/").rstrip("/")
    )


def with_reports(card: PermitCard, may_report: bool, found: Found) -> PermitCard:
    """``card`` with what a change of the reason for residence asks of the holder (a unit reported it:
    ``law.rules.public_notice.holder_duty``), the holder's reports of changes with their receipts and the
    other changes ``found`` for the page (``changes_found``)."""
    permit = card.permit
    if permit.kind != "residence-permit":
        return card
    todo = None
    changed = notices.reason_changed_on(permit) if card.state in FIRST else None
    if changed is not None:
        todo = holder_duty(changed, change_reports.reported_on(permit, changed))
    reports = tuple((r, PARTICULARS[r.particular]) for r in change_reports.reports_of(permit))
    return replace(
        card,
        reason_change=todo,
        reported_change=_reported(permit, card, reports),
        change_reports=reports,
        reported_not_changed=REPORT_IS_NOT_THE_CHANGE if reports else None,
        may_report=may_report and reportable(permit.kind, card.state in FIRST),
        also_changed=_also_changed(permit, card, found),
    )


@dataclass(frozen=True, slots=True)
class Found:
    """The changes of particulars the scan's sources find for a page's people (``scan``: each permit's
    earliest new passport and earliest reported changes), read once for all its cards: by permit, each
    cause (``document:<id>``, ``report:<id>``, ``change:<id>``) with its day; the passports among them
    given online (``TravelDocument.claim``); what each holder's report changed
    (``reminders.reported_particulars``)."""

    causes: Mapping[int, tuple[tuple[str, date], ...]] = field(default_factory=dict)
    claims: frozenset[int] = frozenset()
    reported: Mapping[int, str] = field(default_factory=dict)


def changes_found(person_ids: Sequence[int], on: date) -> Found:
    """``Found`` for ``person_ids`` on ``on``: four queries, however many permits and reports."""
    found = [
        (p, f"document:{d}", day) for _, p, d, day in scan.particulars_changed(on, person_ids, claims=True)
    ]
    found += [(p, report, day) for _, p, report, day in scan.changes_reported(on, person_ids)]
    documents = [int(c.partition(":")[2]) for _, c, _ in found if c.startswith("document:")]
    given = TravelDocument.objects.filter(pk__in=documents, claim=True).values_list("pk", flat=True)
    causes: dict[int, list[tuple[str, date]]] = {}
    for permit_id, cause, day in found:
        causes.setdefault(permit_id, []).append((cause, day))
    return Found(
        causes={p: tuple(c) for p, c in causes.items()},
        claims=frozenset(given) if documents else frozenset(),
        reported=reminders.reported_particulars(f"permit:{p}:{c}" for p, c, _ in found),
    )


def _also_changed(
    permit: Permit, card: PermitCard, found: Found
) -> tuple[tuple[Text, date, date, bool], ...]:
    """The other changes of particulars the scan's sources find (``found``), beyond the one the card's duty
    runs from (the one the person is reminded of, ``scan.first_changes``), each named as a reminder names
    it (``reminders.changed``) with its own last day, and whether it is a passport given online the hall
    has not checked yet (``TravelDocument.claim``). A second report of the same kind is not listed."""
    if card.changed_on is None:
        return ()
    causes = (
        (what, day, cause.startswith("document:") and int(cause.partition(":")[2]) in found.claims)
        for cause, day in found.causes.get(permit.pk, ())
        if day > card.changed_on
        and (what := reminders.changed(f"permit:{permit.pk}:{cause}", found.reported)) is not None
    )
    return tuple(
        (what, day, particulars_change_due(day), claim)
        for what, day, claim in sorted(set(causes), key=lambda f: f[1])
    )


def _reported(permit: Permit, card: PermitCard, reports) -> tuple[str, Text, date] | None:
    """Who reported the change the card's Art. 33 duty runs from ("unit" or "holder"), what changed and
    when; None when a new travel document changed it (``card.change``) or nothing did."""
    day = card.changed_on
    if card.change is not None or day is None:
        return None
    if any(r.happened_on == day and r.event in reason_change_events() for r in permit.unit_reports.all()):
        return "unit", PARTICULARS[REASON], day
    what = next((what for r, what in reports if r.changed_on == day), None)
    return ("holder", what, day) if what is not None else None


def _readable(request: HttpRequest, permit_id: int) -> Permit:
    return get_object_or_404(
        Permit.objects.filter(person__in=Person.objects.filter(access.people_rule(request.user)))
        .select_related("person")
        .prefetch_related(_events(), *change_reports.PREFETCH),
        pk=permit_id,
    )


def as_on(on: date) -> dict[str, object]:
    """What both pages say of the day they show: the day, how near is near, the law on a last day."""
    return {"today": on, "near": PERMIT_PAGE_NEAR_DAYS}


# --- what a page shows of a permit -------------------------------------------------------------------


def permit_card(
    permit: Permit,
    held: Held,
    on: date,
    visible_cases: frozenset[int],
    under_way: tuple[tuple[Case, Text], ...] = (),
    receipts: tuple[Receipted, ...] = (),
    busy: bool = False,
    days: Mapping[str, Changes] | None = None,
    documents: Sequence[TravelDocument] | None = None,
    alongside: tuple[Held, ...] = (),
    by_employer: bool = False,
    by_holder: bool = False,
) -> PermitCard:
    """The permit (``held``: as the law core reads it, ``compliance.scan.held``) on ``on``: its state and
    why, its duties, what may be started from it, its history, the open applications on it (``under_way``)
    and whether one was accepted (``receipts``: the person's). While an application acts on it (``busy``,
    whoever filed it) nothing more is offered: one at a time (``services.one_per_permit``). ``days``: the
    halls' changed days (``appointments.opening.changes``) and ``documents`` the holder's travel documents,
    when the page has read them for many cards; ``alongside`` the holder's permits as the law core reads
    them, which may change which procedure is offered first (``holding.procedures_for``); ``by_employer``:
    the page is the present employer's, which is not offered what the new employer applies for;
    ``by_holder``: the holder's own, which is told what their employer files (``holding.filed_by_employer``)
    in place of being offered it."""
    now = standing(permit, on)
    owed = holding.duties(held, on)
    soon = holding.expiring(held, on, alongside)
    if soon is not None:
        state, name, cites, why, why_cite = "expiring", EXPIRING, (), soon.why, soon.duty.cite
    else:  # on the holder's death the ground's citation, linked after its text, is the article
        state, name, cites, why, why_cite = now.state, now.name, () if now.died else now.cites, None, ()
    offered = (
        () if busy or under_way else holding.procedures_for(held, on, alongside, by_employer=by_employer)
    )
    employer_files = tuple(p for p in offered if by_holder and holding.filed_by_employer(p))
    return PermitCard(
        permit=permit,
        kind=holding.kind_name(permit.kind),
        permit_type=_visa_type(permit) if permit.kind == "visa" else holding.type_name(permit.permit_type),
        state=state,
        name=name,
        cites=cites,
        why=why,
        why_cite=why_cite,
        ended_on=now.ended_on,
        ground=now.ground,
        duties=owed,
        starts=tuple(_start(permit, p, on, days) for p in offered if p not in employer_files),
        employer_files=employer_files,
        events=tuple(_event(e, visible_cases) for e in permit.events.all()),
        under_way=under_way,
        busy=busy or bool(under_way),
        blocked=_blocked(permit, held, on, owed, under_way, days),
        in_place=tuple(
            Start(p, str(ACTION_LABELS[p.casework.action]), [], p.summary_on(catalog().parameters, on))
            for p in holding.in_place_of(permit.kind, now.ground.cite if now.ground else ())
        ),
        last_day_cite=holding.last_day_cite(permit.kind),
        applied_on=max((r.issued_on for r in receipts if r.permit_id == permit.pk), default=None),
        change=_change(permit, held, documents),
        changed_on=held.changed_on,
        new_employer_applies=holding.left_to_new_employer(held, on) if by_employer else (),
    )


def _blocked(
    permit: Permit,
    held: Held,
    on: date,
    owed: tuple[Answer, ...],
    under_way: tuple[tuple[Case, Text], ...],
    days: Mapping[str, Changes] | None,
) -> Blocked | None:
    """The draft in the way of the permit's change when that is due within ``PERMIT_PAGE_NEAR_DAYS`` (or
    overdue), with the procedures that apply for the change (``counts_as_report``); None otherwise."""
    due = next(
        (
            d
            for d in owed
            if d.due and (d.due - on).days <= PERMIT_PAGE_NEAR_DAYS and holding.runs_from_change(d)
        ),
        None,
    )
    drafts = (
        (c, t)
        for c, t in under_way
        if c.state == lifecycle.State.DRAFT and not counts_as_report(catalog().procedure(c.procedure_id))
    )
    if due is None or (draft := next(drafts, None)) is None:
        return None
    then = tuple(
        replace(_start(permit, p, on, days), label=str(CHANGE_AS[p.casework.action]))
        for p in holding.procedures_for(held, on)
        if counts_as_report(p)
    )
    return Blocked(draft[0], draft[1], due, then)


def _change(permit: Permit, held: Held, documents: Sequence[TravelDocument] | None) -> TravelDocument | None:
    """The travel document whose issue changed the permit's particulars on ``held.changed_on``: its number
    is a registered particular (the newest document, as ``compliance.scan.particulars_changed`` finds the
    day). ``documents``: the holder's, where the caller has read them."""
    if held.changed_on is None:
        return None
    if documents is None:
        documents = permit.person.travel_documents.filter(issued_on=held.changed_on)
    return max((d for d in documents if d.issued_on == held.changed_on), key=lambda d: d.pk, default=None)


def visa_cards(
    person: Person, permits: list[Permit], on: date, receipts: tuple[Receipted, ...] = ()
) -> list[VisaCard]:
    """The person's visas not also recorded as permits, newest first, with the after-entry duty of the
    visa of the stay they are on (``registry.stay.visa_of_last_entry``), within the days it states, while
    no residence permit has been issued since that entry."""
    as_permits = {p.number for p in permits if p.kind == "visa"}
    visas = [v for v in person.visas.order_by("-valid_from", "-pk") if v.number not in as_permits]
    entry, of_entry = visa_of_last_entry(person, on) or (None, None)
    entered = entry.on if entry is not None else None
    permit_since = entered is not None and any(
        p.kind == "residence-permit" and p.issued_on >= entered for p in permits
    )
    cards = []
    for v in visas:
        state = "valid" if still_runs(v.valid_until, on) else "expired"
        within = v.residence_permit_within_days
        due = v == of_entry and within is not None and not permit_since
        duty = holding.after_entry(entered, on, within) if due else None
        if state == "expired" and duty is not None and duty.due is not None and duty.due < on:
            due, duty = False, None  # an ended visa whose duty's last day is past: simply expired
        applied = max((r.issued_on for r in receipts if due and r.issued_on >= entered), default=None)
        cards.append(VisaCard(v, holding.visa_name(v.category), state, STATE_NAMES[state], duty, applied))
    return cards


def _visa_type(permit: Permit) -> Text | None:
    """A visa recorded as a permit: its category, from the visa of that number the registry holds."""
    visa = Visa.objects.filter(person_id=permit.person_id, number=permit.number).first()
    if visa is None:
        return None
    return holding.visa_name(visa.category)


def _start(permit: Permit, procedure: Procedure, on: date, days: Mapping[str, Changes] | None) -> Start:
    """The advisor's form for ``procedure``: the first day from the page's on which a hall opens, the answers
    the registry holds on the page's day, the permit."""
    held = registry_facts.held(permit.person, procedure, permit, on)
    carry = [
        (ON, planned_day(procedure, on, days).isoformat()),
        *((name, posted(v)) for name, v in held.items()),
        (PERMIT, str(permit.pk)),
    ]
    summary = procedure.summary_on(catalog().parameters, on)
    return Start(procedure, str(ACTION_LABELS[procedure.casework.action]), carry, summary)


def _event(event: PermitEvent, visible_cases: frozenset[int]) -> Event:
    changes = tuple(
        Change(str(label), _shown(name, event.before.get(name)), _shown(name, event.after.get(name)))
        for name, label in CHANGED.items()
        if event.before and event.before.get(name) != event.after.get(name)
    )
    return Event(
        kind=event.kind,
        label=event_label(event, linked=True),  # the card links the ground's citation after its text
        on=beijing_date(event),
        ground=pages.ground_of(event.ground_id),
        changes=changes,
        case_id=event.case_id,
        case_visible=event.case_id in visible_cases,
    )


def _shown(name: str, value: object) -> object:
    """A particular as recorded in an event (ISO dates, type codes), as the page shows it."""
    if value in (None, ""):
        return None
    if name == "valid_until":
        return date.fromisoformat(str(value))
    if name == "permit_type":
        return holding.type_name(str(value))
    return Text(str(value), str(value))


def _events() -> Prefetch:
    return Prefetch("events", queryset=PermitEvent.objects.order_by("at", "pk"))


def _under_way(user, permits: list[Permit]) -> dict[int, tuple[tuple[Case, Text], ...]]:
    """The open applications on these permits that ``user`` may open, by permit, with their titles."""
    found: dict[int, list[tuple[Case, Text]]] = {}
    cases = access.cases_for(user).filter(permit__in=permits, state__in=lifecycle.OPEN_STATES).order_by("pk")
    for case in cases:
        found.setdefault(case.permit_id, []).append((case, pages.procedure_title(case.procedure_id)))
    return {pk: tuple(rows) for pk, rows in found.items()}


@dataclass(frozen=True, slots=True)
class Receipted:
    """An acceptance receipt of one of the person's applications the user may open: the compliance scan
    counts a duty as applied for once one is given (on a case on the permit, or since the entry)."""

    permit_id: int | None
    issued_on: date


def _receipts(user, person: Person, on: date) -> tuple[Receipted, ...]:
    """The receipts, each on its permit unless its case issued the permit or gave it its last day (its
    receipt was for the days before: ``compliance.scan.ISSUED``)."""
    rows = Receipt.objects.filter(
        case__in=access.cases_for(user).filter(person=person), issued_on__lte=on
    ).values_list("case__permit_id", "case__state", "issued_on")
    return tuple(
        Receipted(None if state in ISSUED else permit_id, issued_on) for permit_id, state, issued_on in rows
    )


def _visible_cases(user, permits: list[Permit]) -> frozenset[int]:
    """The cases behind these permits' events that ``user`` may open (one query)."""
    ids = {e.case_id for p in permits for e in p.events.all() if e.case_id is not None}
    if not ids:
        return frozenset()
    return frozenset(access.cases_for(user).filter(pk__in=ids).values_list("pk", flat=True))
