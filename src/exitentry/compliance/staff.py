"""A unit's foreign staff or students as its portal, its downloads and its API read them: the people on
its roster on a day (``registry.Affiliation``), each with their permits and visas, where they stand, the
duties that follow from them and the unit's open applications for them.

Where a person stands is where the permits the registry holds for them stand (``registry.standing``):
holding one in force ("valid", or "expiring" inside the period before its last day that the law core's
``rules.holding`` names), else as their latest permit ended ("expired", or "void" for a permit declared
void or cancelled, Arts. 34-35, which reads as the cancellation on the holder's death where it was one),
else "none". The list is filtered and sorted in the database (expiring within 30, 60 or 90 days of the day,
expired, void; by name or by the nearest last day of a permit in force), so a page of a roster of thousands
costs the same few queries as one of ten.
Recorded choice: "expiring within N days" counts the calendar days to a permit's last day; it is a view
of the calendar, not a rule of the law (the law's own period is what makes a permit "expiring").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from exitentry.cases import lifecycle
from exitentry.cases.models import Case as Application
from exitentry.compliance import scan
from exitentry.compliance.models import UnitReport
from exitentry.law.advice import Answer
from exitentry.law.catalog import catalog
from exitentry.law.rules import holding
from exitentry.law.rules.holding import Held
from exitentry.law.rules.unit_reports import RELATION_NAME, report_event
from exitentry.law.sources import Citation, cite
from exitentry.law.text import Text
from exitentry.registry.models import Affiliation, Permit, PermitEvent, Person, TravelDocument, Visa
from exitentry.registry.roster import open_on
from exitentry.registry.standing import (
    DIED,
    EXPIRING,
    STATE_CITES,
    STATE_NAMES,
    died_cites,
    labelled,
    standing,
)

WITHIN_CALENDAR_DAYS = {"30": 30, "60": 60, "90": 90}  # the filters "expiring within N days"
ENDED = (Permit.Status.VOID, Permit.Status.CANCELLED)  # every status but VALID
FILTERS = {
    "": _("Everyone"),
    "30": _("Expiring within 30 days"),
    "60": _("Expiring within 60 days"),
    "90": _("Expiring within 90 days"),
    "expired": _("Expired"),
    "void": _("Void or cancelled"),
}
SORTS = {
    "expiry": _("Nearest last day first"),
    "-expiry": _("Furthest last day first"),
    "name": _("Name"),
    "since": _("Newest on the roster first"),
}
# A person's standing by its name and the articles it rests on (``registry.standing.STATE_NAMES``): the roster's
# badge shows the name and links the articles; a download or the API says both at once (``labelled``).
STANDING_NAMES = {
    **STATE_NAMES,
    "expiring": EXPIRING,
    "void": Text("Void or cancelled", "已作废或注销"),
    "none": Text("No permit on record", "无证件记录"),
}
STANDING_CITES = {**STATE_CITES, "void": (cite("regulations", "Arts. 34–35"),)}


@dataclass(frozen=True, slots=True)
class Listing:
    """What a list asks for: a filter of ``FILTERS`` and an order of ``SORTS`` (unknown values fall back)."""

    filter: str = ""
    sort: str = "expiry"

    @classmethod
    def of(cls, params) -> Listing:
        chosen = params.get("filter", "")
        order = params.get("sort", "expiry")
        return cls(chosen if chosen in FILTERS else "", order if order in SORTS else "expiry")


def on_roster(unit_id: int, on: date) -> QuerySet[Person]:
    """The people with a place on the unit's roster on ``on``."""
    return Person.objects.filter(
        pk__in=Affiliation.objects.filter(open_on(on), unit_id=unit_id).values("person_id")
    )


def people(unit_id: int, on: date, listing: Listing = Listing()) -> QuerySet[Person]:
    """The unit's people on ``on``, filtered and sorted as ``listing`` asks, each annotated with its place
    (``relation``, ``since``), ``standing`` and ``next_expiry`` (the nearest last day of a permit in force)."""
    permits = Permit.objects.filter(person=OuterRef("pk"))
    # ``in_force`` says "not ended" rather than "valid" (the same permits): with ``status = 'valid'`` SQLite
    # chose the (status, valid_until) index over the person's and read every valid permit for each person
    # (the first page of a 1,000-person roster: 2.2 s, now 0.7 s, on the shared test machine).
    in_force = permits.in_force(on)
    latest = permits.order_by("-issued_on", "-pk")
    place = Affiliation.objects.filter(open_on(on), unit_id=unit_id, person=OuterRef("pk")).order_by(
        "-started_on", "-pk"
    )
    found = on_roster(unit_id, on).annotate(
        relation=Subquery(place.values("relation")[:1]),
        since=Subquery(place.values("started_on")[:1]),
        next_expiry=Subquery(
            in_force.exclude(valid_until=None).order_by("valid_until").values("valid_until")[:1]
        ),
        last_expiry=Subquery(latest.values("valid_until")[:1]),
        last_status=Subquery(latest.values("status")[:1]),
        standing=Case(
            When(Exists(in_force), then=Value("valid")),
            When(last_status__in=ENDED, then=Value("void")),
            When(last_status__isnull=False, then=Value("expired")),
            default=Value("none"),
            output_field=CharField(),
        ),
    )
    if listing.filter in WITHIN_CALENDAR_DAYS:
        within = timedelta(days=WITHIN_CALENDAR_DAYS[listing.filter])
        found = found.filter(standing="valid", next_expiry__lte=on + within)
    elif listing.filter:
        found = found.filter(standing=listing.filter)
    name = ("surname", "given_names", "pk")
    if listing.sort == "name":
        return found.order_by(*name)
    if listing.sort == "since":
        return found.order_by(F("since").desc(), *name)
    expiry = (
        F("next_expiry").desc(nulls_last=True)
        if listing.sort == "-expiry"
        else F("next_expiry").asc(nulls_last=True)
    )
    return found.order_by(expiry, F("last_expiry").desc(nulls_last=True), *name)


@dataclass(frozen=True, slots=True)
class PermitLine:
    """One permit as a roster row shows it: kind and type in words, where it stands, why it is expiring."""

    permit: Permit
    kind: Text
    permit_type: Text | None
    state: str
    name: Text
    cites: tuple[Citation, ...]
    why: Text | None

    @property
    def label(self) -> Text:
        return labelled(self.name, self.cites)


@dataclass(frozen=True, slots=True)
class Row:
    """One person on the roster, as a list, a download or the API shows them."""

    person: Person
    relation: str
    since: date
    standing: str
    name: Text  # of the standing, with the articles it rests on (``cites``)
    cites: tuple[Citation, ...]
    next_expiry: date | None
    days_left: int | None  # to ``next_expiry``
    permits: tuple[PermitLine, ...]
    visas: tuple[Visa, ...]
    document: TravelDocument | None  # the registry's that runs longest (no claim): the number reports name
    open_cases: tuple[tuple[Application, Text], ...]
    duties: tuple[Answer, ...]  # of the permits in force, the nearest due first
    reports: tuple[tuple[UnitReport, Text], ...]  # the unit's Art. 26 reports of them, the event in words

    @property
    def label(self) -> Text:
        """The standing with its articles in brackets, for a download or the API."""
        return labelled(self.name, self.cites)

    @property
    def next_duty(self) -> Answer | None:
        return self.duties[0] if self.duties else None

    @property
    def relation_label(self) -> str:
        """The relation as the unit's reports name it (Art. 26), in the active language."""
        return RELATION_NAME[self.relation].get(get_language() or "en")


def rows(unit_id: int, found: list[Person], on: date) -> list[Row]:
    """The rows of ``found`` (people of ``people``), in their order: six queries whatever their number
    (permits with the events that ended them, visas, travel documents, the unit's open applications,
    changes of particulars, the unit's reports of them)."""
    ids = [p.pk for p in found]
    ended = Prefetch("events", queryset=PermitEvent.objects.filter(kind__in=("void", "cancellation")))
    permits: dict[int, list[Permit]] = {}
    for permit in (
        Permit.objects.filter(person_id__in=ids)
        .prefetch_related(ended)
        .order_by("person_id", "-issued_on", "-pk")
    ):
        permits.setdefault(permit.person_id, []).append(permit)
    visas: dict[int, list[Visa]] = {}
    for visa in Visa.objects.filter(person_id__in=ids).order_by("person_id", "-valid_from", "-pk"):
        visas.setdefault(visa.person_id, []).append(visa)
    documents: dict[int, TravelDocument] = {}
    for document in TravelDocument.objects.filter(person_id__in=ids, claim=False).order_by(
        "person_id", "expires_on", "pk"
    ):
        documents[document.person_id] = document  # the last, in this order, runs longest
    cases: dict[int, list[tuple[Application, Text]]] = {}
    for case in Application.objects.filter(
        person_id__in=ids, unit_id=unit_id, state__in=lifecycle.OPEN_STATES
    ).order_by("pk"):
        cases.setdefault(case.person_id, []).append((case, catalog().procedure(case.procedure_id).title))
    reports: dict[int, list[tuple[UnitReport, Text]]] = {}
    for report in UnitReport.objects.filter(person_id__in=ids, unit_id=unit_id).order_by(
        "person_id", "-happened_on", "-pk"
    ):
        reports.setdefault(report.person_id, []).append((report, report_event(report.event).text))
    held = scan.held([p for of_one in permits.values() for p in of_one], on)
    return [
        _row(
            p,
            permits.get(p.pk, []),
            visas.get(p.pk, []),
            documents.get(p.pk),
            cases.get(p.pk, []),
            reports.get(p.pk, []),
            held,
            on,
        )
        for p in found
    ]


def _row(
    person: Person,
    permits: list[Permit],
    visas: list[Visa],
    document: TravelDocument | None,
    cases: list,
    reports: list[tuple[UnitReport, Text]],
    held: dict[int, Held],
    on: date,
) -> Row:
    alongside = tuple(held[p.pk] for p in permits)
    lines = tuple(_line(p, held[p.pk], on, alongside) for p in permits)
    dated = {(d.id, d.due): d for p in permits for d in holding.duties(held[p.pk], on) if d.due is not None}
    duties = sorted(dated.values(), key=lambda d: d.due)
    state = person.standing
    if state == "valid" and any(line.state == "expiring" for line in lines):
        state = "expiring"
    # ended as the latest permit ended (``people``): on the holder's death, by that article, not Arts. 34-35
    died = state == "void" and standing(permits[0], on).died
    return Row(
        person=person,
        relation=person.relation,
        since=person.since,
        standing=state,
        name=DIED if died else STANDING_NAMES[state],
        cites=died_cites() if died else STANDING_CITES.get(state, ()),
        next_expiry=person.next_expiry,
        days_left=(person.next_expiry - on).days if person.next_expiry else None,
        permits=lines,
        visas=tuple(visas),
        document=document,
        open_cases=tuple(cases),
        duties=tuple(duties),
        reports=tuple(reports),
    )


def _line(permit: Permit, held: Held, on: date, alongside: tuple[Held, ...]) -> PermitLine:
    now = standing(permit, on)
    soon = holding.expiring(held, on, alongside)
    state, name, cites = ("expiring", EXPIRING, ()) if soon else (now.state, now.name, now.cites)
    return PermitLine(
        permit=permit,
        kind=holding.kind_name(permit.kind),
        permit_type=holding.type_name(permit.permit_type),
        state=state,
        name=name,
        cites=cites,
        why=soon.why if soon else None,
    )
