"""Verification (Art. 20): a task opened after acceptance, and closed with what it found."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from ninja import Status

from exitentry.accounts.audit import Actor
from exitentry.api.cases.guard import router, takes
from exitentry.api.cases.schemas import TaskClosedOut, TaskCloseIn, TaskIn, TaskOpenedOut
from exitentry.api.language import filled
from exitentry.api.routing import described
from exitentry.api.schemas import article
from exitentry.cases import services
from exitentry.cases.models import Case, VerificationTask


@router.post(
    "/cases/{case_id}/tasks",
    response={201: TaskOpenedOut},
    description=described(
        _("an officer or supervisor of the case's hall (the hall's side)."),
        _(
            "Opens a verification task of a kind (`kind`) on an accepted case before its decision (409 otherwise)."
        ),
        filled(
            _("the hall may verify an application's facts under the %(article)s."),
            article=article("regulations", "Art. 20"),
        ),
    ),
    summary=filled(_("Open a verification task (%(article)s)"), article=article("regulations", "Art. 20")),
)
@takes("verify")
def open_task(request, case: Case, payload: TaskIn):
    task = services.open_task(Actor.of(request), case, payload.kind)
    return Status(201, {"id": task.pk, "kind": task.kind})


@router.post(
    "/tasks/{task_id}/close",
    response=TaskClosedOut,
    description=described(
        _("an officer or supervisor of the case's hall (the hall's side)."),
        _(
            "Closes an open verification task with its outcome (`outcome`). 409 for a task already closed or a case past"
            " its decision."
        ),
    ),
    summary=_("Close a verification task"),
)
@takes("verify", via=(VerificationTask, "task"))
def close_task(request, task: VerificationTask, payload: TaskCloseIn):
    task = services.close_task(Actor.of(request), task, payload.outcome)
    return {"id": task.pk, "done_at": task.done_at, "outcome": task.outcome}
