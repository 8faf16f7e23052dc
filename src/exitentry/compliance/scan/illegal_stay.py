"""Illegal residence by time: Art. 25(1), every visa stay and stay or residence permit run out
(``overstays``), and Art. 25(2), a visa-free period run out (``visa_free_overstays``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.lookups import GreaterThan, LessThanOrEqual

from exitentry.compliance.scan.finding import OVERSTAY, VISA_FREE_OVERSTAY, Finding
from exitentry.compliance.scan.queries import (
    STAY_PERMITS,
    PlusDays,
    _in_china,
    _receipts_covering,
    _valid,
    _valid_permits,
    _visa_of_entry,
    _visas_of_entry,
)
from exitentry.law.model import PR_CARD
from exitentry.law.rules import duties
from exitentry.law.rules.residence import authorised_stay
from exitentry.registry.models import EntryExit, Visa


def _with_visa_free_until(people, on: date):
    """``people`` (from ``_in_china``) with ``visa_free_until``, the last day of the last entry's visa-free
    period (``residence.visa_free_last_day``), None when that entry was not visa-free."""
    days = Subquery(EntryExit.objects.filter(pk=OuterRef("entry_movement")).values("visa_free_days"))
    return people.annotate(visa_free_days=days).annotate(
        visa_free_until=PlusDays(F("entered_on"), F("visa_free_days"))
    )


def _entry_visa_free_running(on: date):
    """The last entry (the outer query's ``entry_movement``) when it was visa-free and its period still
    runs on ``on``: the same last day as ``_with_visa_free_until``, asked as a join."""
    return (
        EntryExit.objects.filter(pk=OuterRef("entry_movement"), visa_free_days__isnull=False)
        .annotate(visa_free_until=PlusDays(OuterRef("entered_on"), F("visa_free_days")))
        .filter(visa_free_until__gt=duties.run_out_by(on))
    )


def overstays(on: date) -> Iterator[Finding]:
    """Art. 25(1): the people in China on ``on`` whose visa stay and stay or residence permits have all run
    out, with no acceptance receipt still running. The visa stay is the one the visa the last entry was
    made on allows (``_visa_of_entry``, as ``registry.stay.visa_of_last_entry`` and the officer's page read
    it; Art. 36(3): "each time after entering"), not the longest of the visas in the passport on that day;
    its last day is the law core's (``residence.authorised_stay``).

    The conditions that leave most people out are anti-joins (a period still running, a card, a receipt).
    The visa of entry is the newest of the visas in validity on the entry's day, which the database can
    only find person by person; so the query leaves out whoever has a visa of that day whose stay runs and
    none whose stay does not (the visa of entry's stay runs, whichever it is), keeps whoever has both (few),
    and reads the visa of entry's days for the people left alone. Whether that stay still runs is then
    the law core's (``duties.still_runs``), and whoever has no last day at all is no overstayer."""
    ran_out = duties.run_out_by(on)
    permits = _valid(on, *STAY_PERMITS).filter(person=OuterRef("pk")).exclude(valid_until=None)
    # A stay still runs when the entry's day plus its days is later than ``ran_out``
    # (``residence.authorised_stay``'s last day, said as a query).
    until = PlusDays(OuterRef("entered_on"), F("duration_of_stay_days"))
    stay_runs = Q(duration_of_stay_days__gte=1) & Q(GreaterThan(until, ran_out))
    no_stay = Q(duration_of_stay_days=None) | Q(duration_of_stay_days__lt=1)
    people = (
        _in_china(on)
        .exclude(Exists(_entry_visa_free_running(on)))
        .exclude(Exists(permits.filter(valid_until__gt=ran_out)))
        .exclude(Exists(_receipts_covering(on).filter(valid_until__gt=ran_out)))
        .exclude(Exists(_valid(on, PR_CARD).filter(person=OuterRef("pk"))))
        .annotate(
            stay_days=Subquery(_visa_of_entry().values("duration_of_stay_days")),
            permit_until=Subquery(permits.order_by("-valid_until").values("valid_until")[:1]),
        )
    )
    running = Exists(_visas_of_entry().filter(stay_runs))
    not_running = Exists(_visas_of_entry().filter(no_stay | Q(LessThanOrEqual(until, ran_out))))
    columns = ("pk", "entered_on", "stay_days", "permit_until")
    candidates = (
        people.exclude(running)
        .values_list(*columns)
        .union(people.filter(running, not_running).values_list(*columns), all=True)
    )
    for pk, entered_on, stay_days, permit_until in candidates:
        stay_until = authorised_stay(entered_on, stay_days).last_day if stay_days else None
        ends = [d for d in (stay_until, permit_until) if d is not None]
        if ends and not duties.still_runs(last := max(ends), on):
            yield Finding(pk, OVERSTAY, f"until:{last.isoformat()}", since=last + timedelta(days=1))


def visa_free_overstays(on: date) -> Iterator[Finding]:
    """Art. 25(2): the people in China on ``on`` whose visa-free period has run out, with no visa or permit
    period (Art. 25(1) instead), no running acceptance receipt and no permanent residence."""
    ran_out = duties.run_out_by(on)
    ran_out_entries = (
        EntryExit.objects.filter(pk=OuterRef("entry_movement"), visa_free_days__isnull=False)
        .annotate(visa_free_until=PlusDays(OuterRef("entered_on"), F("visa_free_days")))
        .filter(visa_free_until__lte=ran_out)
    )
    people = (
        _with_visa_free_until(_in_china(on).filter(Exists(ran_out_entries)), on)
        .annotate(entry_visa=Subquery(_visa_of_entry().values("pk")))
        .exclude(Exists(Visa.objects.filter(pk=OuterRef("entry_visa"), duration_of_stay_days__gte=1)))
        .exclude(Exists(_valid_permits(on, *STAY_PERMITS).exclude(valid_until=None)))
        .exclude(Exists(_receipts_covering(on).filter(valid_until__gt=ran_out)))
        .exclude(Exists(_valid_permits(on, PR_CARD)))
    )
    for pk, until in people.values_list("pk", "visa_free_until"):
        yield Finding(pk, VISA_FREE_OVERSTAY, f"until:{until.isoformat()}", since=until + timedelta(days=1))
