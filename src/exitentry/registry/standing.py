"""Where a permit stands on a day, and since when: in force, expired, void or cancelled, with the ground.

A permit is expired after the last valid day it states (a visa's entry validity by Regulations
Art. 36(2); the sources define no such moment for the others, ``holding.last_day_cite``); it is void once the issuing
authority declares it so (Art. 34) and cancelled or confiscated under Art. 35, each naming the ground
the article lists. The holder's and the officer's pages and the QR check of a decision all read it
here, so they cannot disagree about a permit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from exitentry.bilingual import in_both
from exitentry.law.calendar import BEIJING
from exitentry.law.rules.endings import DEATH_CANCEL_GROUND
from exitentry.law.rules.grounds import Ground, UnknownGround, ground
from exitentry.law.rules.holding import Held
from exitentry.law.sources import Citation, cite, cited
from exitentry.law.text import Text
from exitentry.registry.models import Permit, PermitEvent

# A state by its name and the article that ends a permit so: a badge shows the name and links the article
# (``web/_cites.html``); an answer, a document or a status check says both at once (``STATE_LABELS``).
STATE_NAMES = {
    "valid": Text("In force", "有效"),
    "expired": Text("Expired", "已过期"),
    "void": Text("Declared void", "已宣布作废"),
    "cancelled": Text("Cancelled or confiscated", "已注销或收缴"),
}
STATE_CITES: dict[str, tuple[Citation, ...]] = {
    "void": (cite("regulations", "Art. 34"),),
    "cancelled": (cite("regulations", "Art. 35"),),
}


def labelled(name: Text, cites: tuple[Citation, ...]) -> Text:
    """``name`` with its citation in brackets (``law.sources.cited``), or the name alone where it cites none."""
    return cited(name, cites[0].source, cites[0].section) if cites else name


STATE_LABELS = {state: labelled(name, STATE_CITES.get(state, ())) for state, name in STATE_NAMES.items()}
EXPIRING = Text("Expiring", "即将到期")  # in force, inside the period the law core names (``rules.holding``)
ENDINGS = (PermitEvent.Kind.VOID, PermitEvent.Kind.CANCELLATION)


DIED = Text("Cancelled on the holder's death", "因持证人死亡注销")  # by its ground, not one of Art. 35's


def died_cites() -> tuple[Citation, ...]:
    """The article a cancellation on the holder's death rests on, which is not one of Art. 35's: its ground's
    (``law.rules.endings.DEATH_CANCEL_GROUND``)."""
    return ground(DEATH_CANCEL_GROUND).cite[:1]


def died_label() -> Text:
    """A cancellation on the holder's death by the article its ground cites, for a line that does not link
    the ground's citation."""
    return labelled(DIED, died_cites())


# A renewal, reissue or replacement gives the permit a new number: an earlier decision no longer describes it.
SUPERSEDING = (PermitEvent.Kind.RENEWAL, PermitEvent.Kind.REISSUE, PermitEvent.Kind.REPLACEMENT)


@dataclass(frozen=True, slots=True)
class Standing:
    """A permit's state on a day; ``ended_on`` is the day it was ended (or its last valid day)."""

    state: str
    ended_on: date | None = None
    ground: Ground | None = None

    @property
    def in_force(self) -> bool:
        return self.state == "valid"

    @property
    def died(self) -> bool:
        """Cancelled on the holder's death (Exit and Entry Administration Law Art. 40 para. 2)."""
        return self.ground is not None and self.ground.id == DEATH_CANCEL_GROUND

    @property
    def label(self) -> Text:
        return died_label() if self.died else STATE_LABELS[self.state]

    @property
    def name(self) -> Text:
        """The state by its name, for a badge that links ``cites`` after it."""
        return DIED if self.died else STATE_NAMES[self.state]

    @property
    def cites(self) -> tuple[Citation, ...]:
        return died_cites() if self.died else STATE_CITES.get(self.state, ())


def standing(permit: Permit, today: date) -> Standing:
    """How ``permit`` stands on ``today`` (Beijing); reads its events only when it was voided or cancelled."""
    state = permit.state_on(today)
    if state == "expired":
        return Standing(state, permit.valid_until)
    if state == "valid":
        return Standing(state)
    ending = max(
        (e for e in permit.events.all() if e.kind in ENDINGS), key=lambda e: (e.at, e.pk), default=None
    )
    if ending is None:  # ended by an import or a registry edit, with no event to say when or why
        return Standing(state)
    return Standing(state, beijing_date(ending), _ground(ending.ground_id))


_ENDED_AS = {PermitEvent.Kind.VOID: "void", PermitEvent.Kind.CANCELLATION: "cancelled"}


def event_label(event: PermitEvent, *, linked: bool = False) -> Text:
    """What a permit's history calls ``event``: a cancellation on the holder's death by its own article
    (``died_label``), any other event by its kind (with its article, for a voiding or a cancellation). Where
    the line links the ground's citation after its text (``linked``), an ending with a ground is named in
    plain words, as its badge names it (``STATE_NAMES``): the article is said once, on one line."""
    if event.ground_id == DEATH_CANCEL_GROUND:
        return DIED if linked else died_label()
    if linked and event.ground_id and event.kind in _ENDED_AS:
        return STATE_NAMES[_ENDED_AS[event.kind]]
    return in_both(PermitEvent.Kind(event.kind).label)


def held_on(permit: Permit, today: date) -> Held:
    """The permit as the law core's ``rules.holding`` reads it on ``today``."""
    return Held(permit.kind, permit.permit_type, permit.valid_until, permit.state_on(today) == "valid")


def superseded_after(permit: Permit, case_id: int) -> PermitEvent | None:
    """The first renewal, reissue or replacement of ``permit`` by another case after case ``case_id``'s own
    last change to it; None while that case's decision still describes the permit."""
    events = sorted(permit.events.all(), key=lambda e: (e.at, e.pk))
    own = [e for e in events if e.case_id == case_id]
    if not own:
        return None
    last = (own[-1].at, own[-1].pk)
    return next(
        (e for e in events if (e.at, e.pk) > last and e.kind in SUPERSEDING and e.case_id != case_id),
        None,
    )


def beijing_date(event: PermitEvent) -> date:
    return timezone.localtime(event.at, BEIJING).date()


def _ground(ground_id: str) -> Ground | None:
    try:
        return ground(ground_id) if ground_id else None
    except UnknownGround:  # a ground since withdrawn from the catalog: the state still stands
        return None
