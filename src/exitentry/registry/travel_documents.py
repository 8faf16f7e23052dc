"""Travel documents found by their number as typed, the read an Art. 27 verification request
(``verification.checks``) and a hall's lookup (``compliance.lookups``) share."""

from __future__ import annotations

from exitentry.compiled import STR_MARKER, KeyedQuery
from exitentry.registry.models import TravelDocument

# The travel documents with a number, with their holders: read by every such check, so compiled once
# (``exitentry.compiled``).
_DOCUMENTS = KeyedQuery(
    lambda number: TravelDocument.objects.select_related("person").filter(number=number, claim=False)[:5],
    marker=STR_MARKER,
)


def numbered(number: str) -> list[TravelDocument]:
    """The travel documents (with their holders) of a number as typed, spacing and case left aside. A claim
    the hall has not checked yet (``TravelDocument.claim``) is no registry fact and is not found."""
    return _DOCUMENTS("".join(number.split()).upper())
