"""One application under way per permit, whatever the procedure acting on it: an extension, renewal,
change, reissue or endorsement all change the permit held (Regulations Art. 17), so two at once would
each be decided on a permit the other changes. Recorded choice: the sources name no such rule. A draft
counts as open, so a second is refused (``PermitBusy``) when it is started, and no draft can be submitted
beside another; the partial unique index ``case_one_open_per_permit`` stands behind that against a race."""

from __future__ import annotations

from collections.abc import Iterable

from exitentry.cases import access
from exitentry.cases.lifecycle import OPEN_STATES
from exitentry.cases.models import Case
from exitentry.cases.services.reading import Refused
from exitentry.law.text import Text
from exitentry.registry.models import Permit

_BUSY = Text(
    "An application on this permit is already under way ({reference}): finish or withdraw it before "
    "starting another on the same permit.",
    "该证件已有一项正在办理的申请（{reference}）：请办结或撤回该申请后，再就同一证件提出申请。",
)

_DRAFT = Text("a draft not yet submitted", "一份尚未提交的草稿")
_ELSEWHERE = Text("an application someone else filed", "他人提交的一项申请")


class PermitBusy(Refused):
    """Another open application acts on the permit (the API answers 409). It is named by its reference
    only to a ``user`` who may see it; to anyone else it is someone else's application."""

    def __init__(self, other: Case, user=None):
        if user is not None and not access.cases_for(user).filter(pk=other.pk).exists():
            reference = _ELSEWHERE
        else:
            reference = Text(other.reference, other.reference) if other.reference else _DRAFT
        super().__init__("permit", _BUSY.format(reference=reference))


def open_on(permit: Permit) -> Case | None:
    """The open application acting on ``permit``; None if there is none."""
    return Case.objects.filter(permit=permit, state__in=OPEN_STATES).order_by("pk").first()


def busy(permits: Iterable[Permit]) -> frozenset[int]:
    """The ids of ``permits`` an open application acts on."""
    return frozenset(open_cases(permits))


def open_cases(permits: Iterable[Permit]) -> dict[int, Case]:
    """The open application acting on each of ``permits`` that has one, by the permit's id."""
    return {c.permit_id: c for c in Case.objects.filter(permit__in=list(permits), state__in=OPEN_STATES)}


def refuse_second(permit: Permit | None, user) -> None:
    """Refuse ``user`` a new application on ``permit`` while an open one acts on it."""
    if permit is not None and (other := open_on(permit)) is not None:
        raise PermitBusy(other, user)
