"""What follows an approval: the procedure's own lines on paying the fee and collecting the permit, in the
catalog's words with their sources (an approval's decision prints them as its next step), and whether the
visit to collect books a time (``collection_visit``: it does not).

Collecting books no time. The guides book a time to hand in the materials ("Fill out the information here
and make an appointment", then the materials: bj-personal-affairs, Steps) and send the applicant to the hall
to collect with no appointment named ("Pay the application fee and pick up your documents at the visa
applications hall", bj-personal-affairs, Steps; "Please collect the certificate at service center",
bj-permanent-residence, Collection). The one-stop service's two permits are collected together at its
counter (its processing line), no appointment named either. The sources say nothing on whether someone
else may collect (``web.pick_up``).
"""

from __future__ import annotations

from exitentry.law.advice import Advice, Answer
from exitentry.law.intake import NotBookedHere
from exitentry.law.rulefunctions import cites
from exitentry.law.sources import cite
from exitentry.law.text import Text

COLLECTION_LINES = ("pay-and-collect", "collect-at-service-centre")

_COLLECTS_WITHOUT_BOOKING = Text(
    "Collecting the permit needs no appointment: the guides book a time only to hand in the materials, and "
    "send the applicant to the hall to collect the permit in its opening hours.",
    "领取证件无需预约：办事指南仅规定递交材料须预约，领取证件在办公时间内前往大厅办理即可。",
)


@cites("bj-personal-affairs: Steps", "bj-permanent-residence: Collection")
def collection(advice: Advice) -> tuple[Answer, ...]:
    """The advice's lines on paying and collecting; none where the procedure's sources say nothing."""
    return tuple(a for a in advice.notes if a.id in COLLECTION_LINES)


@cites("bj-personal-affairs: Steps", "bj-permanent-residence: Collection")
def collection_visit() -> NotBookedHere:
    """The visit to collect a permit books no time: the guides' appointment is for handing in the
    materials, and their collecting step names none. A permit ready for pick-up is collected on a ticket
    taken at the hall (``appointments.tickets.issue_walk_in``)."""
    return NotBookedHere(
        _COLLECTS_WITHOUT_BOOKING,
        (cite("bj-personal-affairs", "Steps"), cite("bj-permanent-residence", "Collection")),
    )
