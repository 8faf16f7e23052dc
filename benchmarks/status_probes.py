"""What a status check is made of, served on its own for ``benchmarks.cost_status_checks``: a URLconf with
the application's own URLs and, under ``/probe/``, a plain Django view and four ninja operations that each
add one part of a check (a body read and an answer written, an indexed permit lookup, an audit append,
both). Never mounted by the application; ``benchmarks.probe_settings`` serves it under gunicorn.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.http import JsonResponse
from django.urls import path
from ninja import NinjaAPI, Schema

from exitentry import urls as application
from exitentry.accounts.audit import Actor, record
from exitentry.registry.models import Permit, TravelDocument


class CheckIn(Schema):
    number: str
    surname: str


class CheckOut(Schema):
    match: bool
    valid: bool
    kind: str | None = None
    valid_until: date | None = None


def plain(request):
    return JsonResponse({"match": False, "valid": False})


api = NinjaAPI(urls_namespace="probe", docs_url=None, openapi_url=None)


def _lookup(body: CheckIn) -> dict:
    """The travel document by its number, its holder's name compared, the holder's latest permit."""
    doc = (
        TravelDocument.objects.select_related("person")
        .filter(issuing_country="DEU", number=body.number)
        .first()
    )
    if doc is None or doc.person.surname != body.surname:
        return {"match": False, "valid": False}
    permit = Permit.objects.filter(person_id=doc.person_id).order_by("-valid_until").first()
    if permit is None:
        return {"match": True, "valid": False}
    return {
        "match": True,
        "valid": permit.state_on(date(2026, 11, 16)) == "valid",
        "kind": permit.kind,
        "valid_until": permit.valid_until,
    }


def _audit(request, body: CheckIn, answer: dict) -> None:
    record(Actor(None, request.META.get("REMOTE_ADDR")), "status.check", "document", body.number, new=answer)


@api.post("/echo", response=CheckOut)
def echo(request, body: CheckIn):
    return {"match": False, "valid": False}


@api.post("/lookup", response=CheckOut)
def lookup(request, body: CheckIn):
    return _lookup(body)


@api.post("/audit", response=CheckOut)
def audited(request, body: CheckIn):
    answer = {"match": False, "valid": False}
    with transaction.atomic():
        _audit(request, body, answer)
    return answer


@api.post("/check", response=CheckOut)
def check(request, body: CheckIn):
    answer = _lookup(body)
    with transaction.atomic():
        _audit(request, body, {"match": answer["match"], "valid": answer["valid"]})
    return answer


urlpatterns = [path("probe/plain", plain), path("probe/", api.urls), *application.urlpatterns]
