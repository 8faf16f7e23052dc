"""A person's enforcement records in the officers' console (``compliance.services``): detention,
restriction of activities, repatriation and orders to leave, each deadline shown met, due or late.

For the officers and supervisors of the halls that see the person; anyone else gets 404 for a person they
do not see, as the API answers. The list itself is ``compliance/_enforcement_records.html``, which a
person page can include with ``records`` from ``services.records_of`` (and ``actions`` for the forms).

The forms work without JavaScript: an order to leave, the exit under it, a detention's transfer, a report.
Done, the page is shown again (a redirect); refused (16 days to leave, a value that is not a date), it is
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
from exitentry.law.calendar import BEIJING
from exitentry.law.text import Text
from exitentry.registry.models import Person
from exitentry.web import case_pages as pages

_INVALID = Text("Give a valid value here.", "请在此填写有效的值。")


@require_GET
@pages.signed_in(policy.is_hall_side)
def person_records(request: HttpRequest, person_id: int) -> HttpResponse:
    return _page(request, get_object_or_404(services.people_for(request.user), pk=person_id))


def _page(
    request: HttpRequest, person: Person, errors: dict | None = None, status: int = 200
) -> HttpResponse:
    records = services.records_of(pages.actor(request), person, clock.now())
    context = {"person": person, "records": records, "actions": True, "errors": errors or {}}
    context["posted"] = request.POST if errors else {}
    return render(request, "web/enforcement.html", context, status=status)


def _value(post: QueryDict, field: str, kind: type):
    """The posted ``field`` as a ``kind`` (a date, a whole number, a Beijing time, or text), else ``Refused``."""
    raw = post.get(field, "").strip()
    try:
        if kind is date:
            return date.fromisoformat(raw)
        if kind is int:
            return int(raw)
        if kind is datetime:
            return datetime.fromisoformat(raw).replace(tzinfo=BEIJING)
    except ValueError:
        raise Refused(field, _INVALID) from None
    if not raw:
        raise Refused(field, _INVALID)
    return raw


def _one(request: HttpRequest, person: Person, kind: str, field: str):
    found = services.records_for(request.user)[kind]
    owner = "restriction__person" if kind == "report" else "person"
    return get_object_or_404(found.filter(**{owner: person}), pk=_value(request.POST, field, int))


def _order(request: HttpRequest, actor: Actor, person: Person) -> None:
    post = request.POST
    services.order_to_leave(
        actor, person, ordered_on=_value(post, "ordered_on", date), days=_value(post, "days", int)
    )


def _exit(request: HttpRequest, actor: Actor, person: Person) -> None:
    order = _one(request, person, "order", "order")
    services.record_exit(
        actor, order, on=_value(request.POST, "on", date), port=_value(request.POST, "port", str)
    )


def _transfer(request: HttpRequest, actor: Actor, person: Person) -> None:
    detention = _one(request, person, "detention", "detention")
    at, to = _value(request.POST, "at", datetime), _value(request.POST, "to", str)
    services.transfer(actor, detention, at=at, to=to)


def _report(request: HttpRequest, actor: Actor, person: Person) -> None:
    services.report(actor, _one(request, person, "report", "report"), at=_value(request.POST, "at", datetime))


ACTIONS: dict[str, Callable[[HttpRequest, Actor, Person], None]] = {
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
