"""The numbers of permits issued through the system: one series per kind, each a prefix and nine digits
(``BJR000000001`` for the first residence permit), given in the order of issue.

A permit has its own number, not its case's reference: the same case may issue two permits (the one-stop
service's pair), and a renewal or reissue gives a permit a new number on a later case. The database keeps
each series' last number in one row (``NumberSeries``); taking the next one updates that row, which locks
it until the issuing transaction ends, so concurrent issuing waits its turn and no number is given twice
(and the permit number's unique constraint would refuse one if it were). A rolled-back issue gives its
number back. Numbers recorded before (the demo's, those imported) are kept as they are: the prefixes
``BJ`` + a letter + nine digits are used by no other numbering here.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from exitentry.registry.models import NumberSeries

PREFIXES = {
    "residence-permit": "BJR",
    "stay-permit": "BJS",
    "visa": "BJV",
    "pr-card": "BJP",
    "exit-document": "BJE",
    "work-permit": "BJW",
}
DIGITS = 9


def next_number(kind: str) -> str:
    """The next number of ``kind``'s series, taken inside the caller's transaction (the series stays locked
    until it ends)."""
    if kind not in PREFIXES:
        raise ValueError(f"no number series for {kind!r}")
    with transaction.atomic():
        if not NumberSeries.objects.filter(kind=kind).update(last=F("last") + 1):
            try:
                with transaction.atomic():  # the first of its kind; another may be creating it at once
                    NumberSeries.objects.create(kind=kind, last=1)
            except IntegrityError:
                NumberSeries.objects.filter(kind=kind).update(last=F("last") + 1)
        last = NumberSeries.objects.get(kind=kind).last
    return f"{PREFIXES[kind]}{last:0{DIGITS}d}"
