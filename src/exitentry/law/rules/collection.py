"""What follows an approval: the procedure's own lines on paying the fee and collecting the permit, in the
catalog's words with their sources (an approval's decision prints them as its next step)."""

from __future__ import annotations

from exitentry.law.advice import Advice, Answer
from exitentry.law.rulefunctions import cites

COLLECTION_LINES = ("pay-and-collect", "collect-at-service-centre")


@cites("bj-personal-affairs: Steps", "bj-permanent-residence: Collection")
def collection(advice: Advice) -> tuple[Answer, ...]:
    """The advice's lines on paying and collecting; none where the procedure's sources say nothing."""
    return tuple(a for a in advice.notes if a.id in COLLECTION_LINES)
