"""A person's enforcement records in the officers' console (``compliance.services``): detention,
restriction of activities, repatriation and orders to leave, each deadline shown met, due or late.

For the officers and supervisors of the halls that see the person; anyone else gets 404 for a person they
do not see, as the API answers. The list itself is ``compliance/_enforcement_records.html``, which a
person page can include with ``records`` from ``services.records_of`` (and ``actions`` for the forms).

The forms work without JavaScript: a detention and its transfer, a restriction of activities with its
reporting times, each report and the lifting, a repatriation (the no-entry years, the facts that decide who
bears the costs) and when it was carried out, an order to leave and the exit under it. Done, the page is shown again (a redirect); refused (16 days to leave, a value that is not a date), it is
shown with the reason beside the field and status 422. Times typed in are Beijing time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from exitentry import clock
from exitentry.accounts import policy
from exitentry.accounts.audit import Actor
from exitentry.cases.services import Refused
from exitentry.compliance import services
from exitentry.law import districts
from exitentry.law.calendar import BEIJING, beijing_today
from exitentry.law.rules import enforcement as law
from exitentry.law.text import Text
from exitentry.registry.models import Person
from exitentry.web import case_pages as pages

REPORT_SLOTS = 3  # reporting times a restriction form offers; the decision may set fewer
_INVALID = Text("Give a valid value here.", "请在此填写有效的值。")


@require_GET
@pages.signed_in(policy.is_hall_side)
def person_records(request: HttpRequest, person_id: int) -> HttpResponse:
    return _page(request, get_object_or_404(services.people_for(request.user), pk=person_id))


def _page(
    request: HttpRequest, person: Person, errors: dict | None = None, status: int = 200
) -> HttpResponse:
    now = clock.now()
    records = services.records_of(pages.actor(request), person, now)
    context = {
        "person": person,
        "records": records,
        "actions": True,
        "errors": errors or {},
        "no_entry_years": law.no_entry_years_allowed(beijing_today(now)),
        "report_slots": range(REPORT_SLOTS),
        "areas": districts.AREAS,
    }
    context["posted"] = request.POST if errors else {}
    return render(request, "web/enforcement.html", context, status=status)


def posted_value(post: QueryDict, field: str, kind: type, label: Text | None = None):
    """The posted ``field`` as a ``kind`` (a date, a whole number, a Beijing time, a ticked box, or text),
    else ``Refused``, naming the field by its ``label`` where the error is not shown beside it."""
    if kind is bool:
        return post.get(field) == "on"
    return _parse(field, post.get(field, ""), kind, label)


def _invalid(label: Text | None) -> Text:
    if label is None:
        return _INVALID
    return Text(f"Give a valid value for “{label.en}”.", f"请为“{label.zh}”填写有效的值。")


def _parse(field: str, raw: str, kind: type, label: Text | None = None):
    raw = raw.strip()
    try:
        if kind is date:
            return date.fromisoformat(raw)
        if kind is int:
            return int(raw)
        if kind is datetime:
            return datetime.fromisoformat(raw).replace(tzinfo=BEIJING)
    except ValueError:
        raise Refused(field, _invalid(label)) from None
    if not raw:
        raise Refused(field, _invalid(label))
    return raw


def _one(request: HttpRequest, person: Person, kind: str, field: str):
    found = services.records_for(request.user)[kind]
    owner = "restriction__person" if kind == "report" else "person"
    return get_object_or_404(found.filter(**{owner: person}), pk=posted_value(request.POST, field, int))


def _order(request: HttpRequest, actor: Actor, person: Person) -> None:
    post = request.POST
    services.order_to_leave(
        actor, person, ordered_on=posted_value(post, "ordered_on", date), days=posted_value(post, "days", int)
    )


def _exit(request: HttpRequest, actor: Actor, person: Person) -> None:
    order = _one(request, person, "order", "order")
    services.record_exit(
        actor, order, on=posted_value(request.POST, "on", date), port=posted_value(request.POST, "port", str)
    )


def _transfer(request: HttpRequest, actor: Actor, person: Person) -> None:
    detention = _one(request, person, "detention", "detention")
    at, to = posted_value(request.POST, "at", datetime), posted_value(request.POST, "to", str)
    services.transfer(actor, detention, at=at, to=to)


def _detain(request: HttpRequest, actor: Actor, person: Person) -> None:
    post = request.POST
    services.detain(
        actor,
        person,
        detained_at=posted_value(post, "detained_at", datetime),
        place=posted_value(post, "place", str),
    )


def _restrict(request: HttpRequest, actor: Actor, person: Person) -> None:
    post = request.POST
    times = [_parse("report_times", raw, datetime) for raw in post.getlist("report_times") if raw.strip()]
    services.restrict(
        actor,
        person,
        decided_on=posted_value(post, "decided_on", date),
        area=posted_value(post, "area", str),
        residence=posted_value(post, "residence", str),
        report_times=times,
    )


def _lift(request: HttpRequest, actor: Actor, person: Person) -> None:
    restriction = _one(request, person, "restriction", "restriction")
    services.lift(actor, restriction, on=posted_value(request.POST, "on", date))


def _repatriate(request: HttpRequest, actor: Actor, person: Person) -> None:
    post = request.POST
    services.repatriate(
        actor,
        person,
        decided_on=posted_value(post, "decided_on", date),
        no_entry_years=posted_value(post, "no_entry_years", int),
        can_pay=posted_value(post, "can_pay", bool),
        illegally_employed=posted_value(post, "illegally_employed", bool),
        payer=post.get("payer", "").strip(),
    )


def _carry_out(request: HttpRequest, actor: Actor, person: Person) -> None:
    repatriation = _one(request, person, "repatriation", "repatriation")
    post = request.POST
    services.carry_out(
        actor, repatriation, on=posted_value(post, "on", date), port=posted_value(post, "port", str)
    )


def _report(request: HttpRequest, actor: Actor, person: Person) -> None:
    services.report(
        actor, _one(request, person, "report", "report"), at=posted_value(request.POST, "at", datetime)
    )


ACTIONS: dict[str, Callable[[HttpRequest, Actor, Person], None]] = {
    "detain": _detain,
    "restrict": _restrict,
    "lift": _lift,
    "repatriate": _repatriate,
    "carry-out": _carry_out,
    "order": _order,
    "exit": _exit,
    "transfer": _transfer,
    "report": _report,
}


@require_POST
@pages.signed_in(policy.is_hall_side)
def act(request: HttpRequest, person_id: int, action: str) -> HttpResponse:
    """Record one thing on the person's records; the services decide whether the law allows it."""
    if action not in ACTIONS:
        raise Http404(action)
    person = get_object_or_404(services.people_for(request.user), pk=person_id)
    try:
        ACTIONS[action](request, pages.actor(request), person)
    except Refused as refused:
        return _page(request, person, {"action": action, refused.field: refused.message}, status=422)
    return redirect("web:person_enforcement", person_id=person.pk)
