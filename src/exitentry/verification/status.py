"""A foreigner's minimal status, as an institution sees it (Regulations Art. 27): valid or not on the day,
the document in words, its last valid day, the holder's initials and nationality; never a passport number,
a permit number or an address.

It is read from the registry as it stands: a permit declared void (Art. 34) or cancelled (Art. 35) is not
valid from that moment, one past its last valid day is expired (``Permit.state_on``).

Which document counts when a person holds several. Recorded choice (the sources name none): the
documents a foreigner stays or resides on, the permanent resident ID card, a residence permit or a stay
permit (Exit and Entry Administration Law Arts. 29-30; a visa, work permit or exit document is not
shown). Among those in force on the day, the PR card first, then the one that runs longest (a residence
permit before a stay permit on the same day); when none is, the one issued last, so the institution sees
why it is not valid. The registry holds no photographs, so none is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from exitentry.compiled import KeyedQuery
from exitentry.law.model import PR_CARD
from exitentry.law.rules.holding import kind_name, type_name
from exitentry.law.text import Text
from exitentry.registry import countries
from exitentry.registry.models import Permit, Person
from exitentry.registry.standing import standing

COUNTED = (PR_CARD, "residence-permit", "stay-permit")  # in this order when in force alike
NONE_HELD = Text("No residence or stay permit is held", "未持有居留或停留证件")


@dataclass(frozen=True, slots=True)
class Status:
    valid: bool
    state: str  # valid, expired, void, cancelled, or none
    label: Text
    document: Text | None
    permit_type: Text | None
    valid_until: date | None
    initials: str
    nationality: Text
    photo: None = None  # the registry holds none

    def as_dict(self) -> dict[str, object]:
        return {
            "valid": self.valid,
            "state": self.state,
            "label": self.label.as_dict(),
            "document": self.document.as_dict() if self.document else None,
            "permit_type": self.permit_type.as_dict() if self.permit_type else None,
            "valid_until": self.valid_until,
            "initials": self.initials,
            "nationality": self.nationality.as_dict(),
            "photo": self.photo,
        }


def counted(permits: list[Permit], today: date) -> Permit | None:
    """The permit that answers for the person on ``today`` (see the module's recorded choice)."""
    permits = [p for p in permits if p.kind in COUNTED]
    in_force = [p for p in permits if p.state_on(today) == "valid"]
    if in_force:
        return min(in_force, key=lambda p: (p.kind != PR_CARD, -_last_day(p), COUNTED.index(p.kind)))
    return max(permits, key=lambda p: (p.issued_on, p.pk), default=None)


def _last_day(permit: Permit) -> int:
    return permit.valid_until.toordinal() if permit.valid_until else date.max.toordinal()


# A person's counted permits, by the person's id (one query compiled once: every check reads it).
_PERMITS = KeyedQuery(
    lambda person: Permit.objects.filter(person_id=person, kind__in=COUNTED).only(
        "kind", "permit_type", "issued_on", "valid_until", "status"
    )
)


def status_of(person: Person, today: date) -> Status:
    """The person's minimal status on ``today`` (one query for their permits)."""
    permit = counted(_PERMITS(person.pk), today)
    who = {"initials": person.initials, "nationality": countries.text(person.nationality)}
    if permit is None:
        return Status(False, "none", NONE_HELD, None, None, None, **who)
    state = permit.state_on(today)
    return Status(
        valid=state == "valid",
        state=state,
        label=standing(permit, today).label,  # reads the ground only when it was ended
        document=kind_name(permit.kind),
        permit_type=type_name(permit.permit_type),
        valid_until=permit.valid_until,
        **who,
    )
