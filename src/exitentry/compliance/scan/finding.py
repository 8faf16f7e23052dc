"""What the scan finds: the ids of its grounds of illegal residence and enforcement (the duties' ids are
``law.rules.duties``'s), a ``Finding`` (one ground holding for one person, with the cause that tells it
apart), and what an alert stores of its ground (``described``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from exitentry.law.rules import duties
from exitentry.law.rules.grounds import ground
from exitentry.law.rules.unit_reports import FOLLOW_UP_GROUNDS
from exitentry.law.sources import Citation
from exitentry.law.text import Text

OVERSTAY = "illegal-overstay"
VISA_FREE_OVERSTAY = "illegal-visa-free-overstay"
OUTSIDE_AREA = "illegal-outside-restricted-area"
EXIT_DEADLINE_PASSED = "exit-deadline-passed"
NO_ENTRY_BREACHED = "entry-inside-no-entry-period"
NO_ENTRY_APPLICATION = "application-inside-no-entry-period"
_GROUND_IDS = (
    OVERSTAY,
    VISA_FREE_OVERSTAY,
    OUTSIDE_AREA,
    EXIT_DEADLINE_PASSED,
    NO_ENTRY_BREACHED,
    NO_ENTRY_APPLICATION,
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One ground holding for one person on the day scanned, with the cause that tells it apart."""

    person_id: int
    ground_id: str
    cause_key: str
    due_on: date | None = None
    since: date | None = None


def described(ground_id: str, on: date) -> tuple[Text, Citation]:
    """What the ground or obligation ``ground_id`` says (numbers in force on ``on``) and its first
    citation, which an alert stores."""
    listed = ground_id in _GROUND_IDS or ground_id in FOLLOW_UP_GROUNDS
    said = ground(ground_id) if listed else duties.obligation(ground_id, on)
    return said.text, said.cite[0]
