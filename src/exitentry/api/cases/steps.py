"""The steps without input (``lifecycle.SIMPLE_STEPS``): each is the action its path names, documented in
words from the lifecycle table (each step's label, who takes it, from which state to which)."""

from __future__ import annotations

from typing import Annotated

from django.utils.translation import gettext_lazy as _
from pydantic import WithJsonSchema

from exitentry.accounts.audit import Actor
from exitentry.api.cases import reading
from exitentry.api.cases.guard import router, takes
from exitentry.api.cases.schemas import CaseOut
from exitentry.api.errors import ErrorOut
from exitentry.api.language import filled, in_language, joined
from exitentry.api.routing import described
from exitentry.cases import lifecycle, services
from exitentry.cases.lifecycle import Side
from exitentry.cases.models import Case

_SIDES = {
    Side.APPLICANT: _("the applicant's side"),
    Side.HALL: _("an officer or supervisor of the case's hall"),
    Side.SUPERVISOR: _("a supervisor of the case's hall"),
}


def _step(step_id: str) -> str:
    """One step in words: its path value, its label, who takes it, and from which states to which."""
    action = lifecycle.TABLE[step_id]
    return filled(
        _("- `%(step)s`: **%(label)s** (%(sides)s); a case that is %(states)s becomes %(to)s."),
        step=step_id,
        label=in_language(action.label),
        sides=joined([_SIDES[s] for s in Side if s in action.sides], _(" or ")),
        states=joined(
            [in_language(lifecycle.state_label(s)) for s in lifecycle.State if s in action.states], _(", ")
        ),
        to=in_language(lifecycle.state_label(action.to)),
    )


DESCRIPTION = described(
    _("as each step says; a case the caller may not see is 404, one whose side may not take the step 403."),
    joined(
        (
            _(
                "Moves a case on by a step that takes no input and issues no document; the step is the last part of"
                " the path. A step the case's state does not allow is 409, saying why; a step the procedure does not"
                " have (e.g. pre-examination outside the one-stop service) is 409 too."
            ),
            joined(map(_step, lifecycle.SIMPLE_STEPS), "\n"),
        ),
        "\n\n",
    ),
)


# The path's step, listed as its values in the document (any other is answered 404 naming them, ``takes``).
StepName = Annotated[
    str,
    WithJsonSchema(
        {"type": "string", "enum": list(lifecycle.SIMPLE_STEPS), "description": _("the step, as listed")}
    ),
]


@takes(lifecycle.SIMPLE_STEPS, from_path=True)
def step(
    request,
    case: Case,
    action: StepName,
):
    return reading.answer(request, getattr(services, action)(Actor.of(request), case))


def register() -> None:
    """Route ``/cases/{case_id}/{action}`` once every other case route is, so it matches only what no
    other path does: an ``{action}`` naming another case route that takes no POST (``facts``, PATCH)
    answers that route's 405, documented here."""
    router.post(
        "/cases/{case_id}/{action}",
        response={200: CaseOut, 405: ErrorOut},
        by_alias=True,
        summary=_(
            "Move a case on by a step without input (pass pre-examination, resubmit, forward, issue, ...)"
        ),
        description=DESCRIPTION,
    )(step)
