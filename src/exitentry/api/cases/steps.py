"""The steps without input (``lifecycle.SIMPLE_STEPS``): each is the action its path names."""

from __future__ import annotations

from exitentry.accounts.audit import Actor
from exitentry.api.cases import reading
from exitentry.api.cases.guard import router, takes
from exitentry.api.cases.schemas import CaseOut
from exitentry.api.errors import ErrorOut
from exitentry.cases import lifecycle, services
from exitentry.cases.models import Case


@takes(lifecycle.SIMPLE_STEPS, from_path=True)
def step(request, case: Case, action: str):
    return reading.answer(request, getattr(services, action)(Actor.of(request), case))


def register() -> None:
    """Route ``/cases/{case_id}/{action}`` once every other case route is, so it matches only what no
    other path does: an ``{action}`` naming another case route that takes no POST (``facts``, PATCH)
    answers that route's 405, documented here."""
    router.post(
        "/cases/{case_id}/{action}",
        response={200: CaseOut, 405: ErrorOut},
        by_alias=True,
        summary="A step without input: " + ", ".join(lifecycle.SIMPLE_STEPS),
    )(step)
