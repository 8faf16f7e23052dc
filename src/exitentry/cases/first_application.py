"""A first application for a permit the person already holds in force is refused, pointing to the catalog's
procedures that extend, renew or change the held permit instead.

A person holds one residence permit of a type at a time (Exit and Entry Administration Law Art. 30 gives
it a validity that is then extended or renewed, Regulations Arts. 17-18), one permanent resident ID card,
and the one-stop service's work permit goes with a work-type residence permit. So a first application
(``casework.action == "issue"``) is refused while a permit of the same kind and type is in force on the day:
not void (Art. 34), not cancelled (Art. 35), not past its last valid day. A first residence permit is
refused too while a permanent resident ID card is in force: the holder resides on the card
(``holding.needs_no_residence_permit``); nothing applies instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from exitentry.law.model import PR_CARD, Procedure
from exitentry.law.rules import holding
from exitentry.law.rules.holding import WORK_PERMIT
from exitentry.law.text import Text, day_text
from exitentry.registry import roster
from exitentry.registry.models import Permit, Person
from exitentry.registry.standing import held_on

INSTEAD = ("extension", "renewal", "change")  # what is done to a permit held, in that order

_HELD = Text(
    "The applicant already holds a valid permit of this kind: No. {number}{until}. A first application "
    "cannot be made for another one.",
    "申请人已持有同类有效证件：编号{number}{until}。不能再次首次申请同类证件。",
)
_UNTIL = Text(", valid until {day}", "，有效期至{day}")
_APPLY_FOR = Text("Apply instead for: {titles}.", "请改为申请：{titles}。")
# The card held, then the rule in the law core's words (``holding.RESIDES_ON_PR_CARD_TEXT``, citing).
_ON_THE_CARD = Text(
    "The applicant holds a permanent resident ID card in force: No. {number}{until}. {rule}.",
    "申请人持有有效的外国人永久居留身份证：编号{number}{until}。{rule}。",
)
_ASK = Text("Ask at an exit-entry hall what applies instead.", "请向出入境接待大厅咨询应办理的业务。")


@dataclass(frozen=True, slots=True)
class AlreadyHeld:
    """The permit in force that a first application would duplicate, and what applies instead."""

    permit: Permit
    instead: tuple[Procedure, ...]
    on_card: bool = False  # a permanent resident ID card, where a residence permit is applied for

    @property
    def held(self) -> Text:
        """The permit held, in both languages: its number and last valid day (a permanent resident ID card
        standing in the way of a residence permit: why, citing)."""
        until = day_text(self.permit.valid_until) if self.permit.valid_until else None
        number = self.permit.number
        if self.on_card:
            rule = holding.RESIDES_ON_PR_CARD_TEXT
            return Text(
                _ON_THE_CARD.en.format(
                    number=number, until=_UNTIL.en.format(day=until.en) if until else "", rule=rule.en
                ),
                _ON_THE_CARD.zh.format(
                    number=number, until=_UNTIL.zh.format(day=until.zh) if until else "", rule=rule.zh
                ),
            )
        return Text(
            _HELD.en.format(number=number, until=_UNTIL.en.format(day=until.en) if until else ""),
            _HELD.zh.format(number=number, until=_UNTIL.zh.format(day=until.zh) if until else ""),
        )

    @property
    def text(self) -> Text:
        """What the refusal says: the permit held, and the procedures that apply instead (by title)."""
        held = self.held
        if self.on_card:
            return held
        if not self.instead:
            return Text(f"{held.en} {_ASK.en}", held.zh + _ASK.zh)
        return Text(
            f"{held.en} " + _APPLY_FOR.en.format(titles="; ".join(p.title.en for p in self.instead)),
            held.zh + _APPLY_FOR.zh.format(titles="；".join(f"“{p.title.zh}”" for p in self.instead)),
        )


def already_held(
    person: Person, procedure: Procedure, on: date, unit_id: int | None = None
) -> AlreadyHeld | None:
    """The permit ``person`` holds in force on ``on`` that a first application of ``procedure`` would
    duplicate, with the procedures that apply to it instead; None when there is none. ``unit_id``: the
    applying unit; where it employs the person now, the change of employer is not offered instead (the new
    employer applies, ``holding.left_to_new_employer``)."""
    work = procedure.casework
    if work.action != "issue" or person.pk is None:
        return None
    same = Q(kind=work.permit, permit_type=work.permit_type) if work.permit_type else Q(kind=work.permit)
    if work.with_work_permit:
        same |= Q(kind=WORK_PERMIT)
    in_force = Permit.objects.in_force(on).filter(person=person, issued_on__lte=on).order_by("pk")
    held = in_force.filter(same).first()
    if held is None and holding.needs_no_residence_permit(procedure):
        card = in_force.filter(kind=PR_CARD).first()
        return AlreadyHeld(card, (), on_card=True) if card is not None else None
    if held is None:
        return None
    return AlreadyHeld(held, _instead(held, on, by_employer=roster.employs(unit_id, person.pk, on)))


def _instead(held: Permit, on: date, *, by_employer: bool) -> tuple[Procedure, ...]:
    """The procedures in force that extend, renew or change ``held`` (its kind and type), but for those
    left to a new employer where the present one applies (``by_employer``)."""
    now = held_on(held, on)
    left = {p.id for p in holding.left_to_new_employer(now, on)} if by_employer else set()
    return tuple(p for p in holding.acting_on(now, on, INSTEAD) if p.id not in left)
