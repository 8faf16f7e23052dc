"""The public guide and the "what do I need?" advisor, rendered on the server from the law core.

Every rule, fee, time limit, material and hall shown comes from the catalog or from ``advise()``; the
views only choose what to show and in which language (the URL's prefix).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from exitentry.accounts import policy
from exitentry.accounts.audit import record
from exitentry.accounts.models import Role
from exitentry.appointments import opening
from exitentry.appointments import services as appointments
from exitentry.cases import access, first_application
from exitentry.cases.first_application import AlreadyHeld
from exitentry.law.advice import in_person_unless_proxy
from exitentry.law.calendar import beijing_now, beijing_today
from exitentry.law.catalog import UnknownProcedure, catalog
from exitentry.law.halls import OpeningState, halls_listed, hours, opening_state, opens_on
from exitentry.law.model import Hall, Obligation, Procedure
from exitentry.law.provisions import KINDS, what_cites
from exitentry.law.rules import acting
from exitentry.law.rules.visas import (
    common_visa_materials,
    interview_required,
    interview_triggers,
    visa_categories,
)
from exitentry.law.sources import Citation, Source, UnknownSource, all_sources, source
from exitentry.law.text import Text
from exitentry.registry.models import Permit, Person
from exitentry.web import apply_views, case_pages, labels, public_rate
from exitentry.web.advisor import PERMIT, address_date, carried_permit, step


@dataclass(frozen=True, slots=True)
class HallView:
    """A hall with its weekly hours in words, whether it is open now, and on the planned day if any."""

    hall: Hall
    hours: Text
    state: OpeningState
    closed_on_planned_day: bool = False
    changes: tuple = ()  # the supervisors' changes to its coming days (``appointments.DayOverride``)


def _hall_views(
    halls: tuple[Hall, ...] | list[Hall], now: datetime, planned: date | None = None
) -> list[HallView]:
    ids = [h.id for h in halls]
    changes = appointments.coming_overrides(ids, now.date())  # every coming one
    days = opening.changes(ids, min(now.date(), planned or now.date()))
    return [
        HallView(
            hall,
            hours(hall),
            opening_state(hall, now, days.get(hall.id, {})),
            planned is not None and not opens_on(hall, planned, days.get(hall.id, {})),
            tuple(changes.get(hall.id, ())),
        )
        for hall in halls
    ]


def _procedure(procedure_id: str) -> Procedure:
    try:
        return catalog().procedure(procedure_id)
    except UnknownProcedure:
        raise Http404(procedure_id) from None


def _sources(
    procedure: Procedure, halls: list[Hall] | tuple[Hall, ...], obligations: tuple[Obligation, ...] = ()
) -> list[Source]:
    """The sources a page cites, in the order they are first cited (``obligations``: those it lists beyond
    the procedure's own)."""
    citations: list[Citation] = list(procedure.cite)
    for rules in procedure.rules.values():
        for rule in rules:
            citations.extend(rule.cite)
    for obligation in (*procedure.obligations, *obligations):
        citations.extend(obligation.cite)
    for hall in halls:
        citations.extend(hall.cite)
        for choice in hall.choices:
            citations.extend((choice.chosen_source, choice.alternative_source))
    ids = list(dict.fromkeys(c.source for c in citations))
    return [source(i) for i in ids]


def _grouped(procedures: list[Procedure]) -> list[tuple[str, str, str, list[Procedure]]]:
    """The home page's groups in ``labels.AUDIENCES`` order, each with its key, heading, which-card line
    and procedures; empty groups left out."""
    groups: dict[str, list[Procedure]] = {key: [] for key in labels.AUDIENCES}
    for procedure in procedures:
        groups[labels.audience(procedure)].append(procedure)
    return [(key, *labels.AUDIENCES[key], found) for key, found in groups.items() if found]


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    procedures = catalog().procedures_on(beijing_today())
    return render(request, "web/home.html", {"groups": _grouped(procedures)})


@require_GET
def halls(request: HttpRequest) -> HttpResponse:
    all_halls = list(catalog().halls.values())
    sources = list(dict.fromkeys(c.source for h in all_halls for c in h.cite))
    return render(
        request,
        "web/halls.html",
        {"halls": _hall_views(all_halls, beijing_now()), "sources": [source(s) for s in sources]},
    )


@require_GET
def guide(request: HttpRequest, procedure_id: str) -> HttpResponse:
    procedure, today = _procedure(procedure_id), beijing_today()
    procedure_halls = halls_listed(procedure)  # the district centres too, each saying whom it takes
    follows = acting.what_follows(procedure, today)  # as My permits lists a permit's duties
    procedure = catalog().procedure_on(procedure.id, today)  # its numbers as in force today
    materials = [*procedure.rules["materials"], *procedure.rules["health"]]  # as the advisor's checklist
    context = {
        "procedure": procedure,
        "rules": procedure.rules,
        "submission": in_person_unless_proxy(procedure.rules["submission"]),  # as the advisor lists them
        "materials": materials,
        "materials_conditional": any(rule.why is not None for rule in materials),
        "obligations": follows,
        "in_force": procedure.in_force_on(today),
        "halls": _hall_views(procedure_halls, beijing_now()),
        "sources": _sources(procedure, procedure_halls, follows),
        "group": labels.group_label(procedure.group),
        "submission_modes": labels.SUBMISSION_MODES,
        "interview_modes": labels.INTERVIEW_MODES,
    }
    return render(request, "web/guide.html", context)


@require_http_methods(["GET", "POST"])
def advisor(request: HttpRequest, procedure_id: str) -> HttpResponse:
    """One question at a time; answers travel in the form. With htmx only the advisor area is sent. Anyone
    may post answers, so posts are held to the public rates (``public_rate``), as the API's advice is."""
    procedure = _procedure(procedure_id)
    if request.method == "POST" and (refused := public_rate.held_back(request, "advisor")) is not None:
        return refused
    from_address, address_error = ({}, "") if request.method == "POST" else address_date(request.GET)
    # a signed-in applicant's answers the registry holds are filled in, and any given otherwise said at once
    found = apply_views.recorded(
        request.user,
        procedure,
        request.POST if request.method == "POST" else from_address,
        case_pages.today(),
    )
    data = found.data
    current = step(
        procedure,
        data,
        beijing_today(),
        within_days=found.within_days,
        permit_since_entry=found.permit_since_entry,
    )
    advice = current.advice
    context = {
        "procedure": procedure,
        "held": _held_by_me(request, procedure),
        "nobody": request.user.is_authenticated
        and apply_views.nothing_to_act_on(request.user, procedure, case_pages.today()),
        "for_self": getattr(request.user, "role", None) == Role.APPLICANT,
        "grace_days": access.MANDATE_GRACE.days,
        "recorded": found,
        "started_from": None if request.headers.get("HX-Request") == "true" else _started_from(request, data),
        "step": current,
        "address_error": address_error,
        "advice": advice,
        "carry": current.carried + carried_permit(data),
        "halls": _hall_views(advice.halls, beijing_now(), advice.on) if current.complete else [],
        "sources": _sources(procedure, advice.halls) if advice else [],
        "counts": labels.COUNTS,
        "submission_modes": labels.SUBMISSION_MODES,
        "interview_modes": labels.INTERVIEW_MODES,
        "htmx": request.headers.get("HX-Request") == "true",
    }
    template = "web/_advisor.html" if context["htmx"] else "web/advisor.html"
    return render(request, template, context)


def _started_from(request: HttpRequest, data) -> Permit | None:
    """The permit the advisor was opened from (My permits, a unit's roster), when the signed-in user may
    read its holder (``access.people_rule``): the page says whose permit it is for. The read is audited."""
    carried = dict(carried_permit(data)).get(PERMIT)
    user = request.user
    if carried is None or not policy.may_start_case(user):
        return None
    permit = (
        Permit.objects.filter(pk=int(carried), person__in=Person.objects.filter(access.people_rule(user)))
        .select_related("person")
        .first()
    )
    if permit is not None:
        record(case_pages.actor(request), "permit.read", "permit", permit.pk, new={"page": "advisor"})
    return permit


def _held_by_me(request: HttpRequest, procedure: Procedure) -> AlreadyHeld | None:
    """The permit the signed-in applicant holds that this first application would duplicate: said at the
    advisor's start by the rule that refuses the start (``first_application.already_held``)."""
    user = request.user
    if not user.is_authenticated or user.role != Role.APPLICANT or user.person_id is None:
        return None
    return first_application.already_held(user.person, procedure, case_pages.today())  # as Start does


@require_GET
def sources(request: HttpRequest) -> HttpResponse:
    """Every source the rules cite, each with an anchor the citations on other pages link to; with
    ``?source=regulations&section=Art. 14``, every catalog line, rule function and parameter citing it."""
    source_id = request.GET.get("source", "").strip()
    section = request.GET.get("section", "").strip() or None
    chosen, found = None, ()
    if source_id:
        try:
            found = what_cites(source_id, section, beijing_today())
        except UnknownSource:
            raise Http404(source_id) from None
        chosen = source(source_id)
    context = {
        "sources": all_sources(),
        "chosen": chosen,
        "section": section or "",
        "found": [(KINDS[c.kind], c) for c in found],
    }
    return render(request, "web/sources.html", context)


@require_GET
def visas(request: HttpRequest) -> HttpResponse:
    """The ordinary visa categories in force today (Art. 6), what an application for each needs (Art. 7)
    and whether the overseas visa authority always interviews its applicants (Art. 8), for people and the
    units inviting them (Art. 4: the information foreigners need to know)."""
    today = beijing_today()
    categories = [
        (category, interview_required({"visa_category": category.code}, today))
        for category in visa_categories(today)
    ]
    context = {
        "categories": categories,
        "common": common_visa_materials(),
        "triggers": interview_triggers(),
    }
    return render(request, "web/visas.html", context)
