"""The query pieces the grounds share: who is in China on a day (``_in_china``, from the last movement),
the visas of their last entry, their valid permits and acceptance receipts, and a date plus days in SQL
(``PlusDays``). Each returns a queryset for a ground's query to join; only ``_anyone_moved_after`` reads
(once per scan, ``run.findings`` keeps its answer), to choose how ``_in_china`` finds the last movement.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import date

from django.db.models import Case, DateField, Exists, F, Func, OuterRef, Q, Subquery, When

from exitentry.cases.lifecycle import PASSPORT_HELD, State
from exitentry.cases.models import Receipt
from exitentry.registry.models import EntryExit, LatestMovement, Permit, Visa

STAY_PERMITS = ("residence-permit", "stay-permit")
ISSUED = (State.ISSUED, State.READY, State.COLLECTED)  # a case whose permit is in the registry


class PlusDays(Func):
    """A date column plus a whole number of days, as a date (PostgreSQL ``date + integer``; SQLite's
    ``date(d, '+N days')``)."""

    output_field = DateField()
    arity = 2

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" + ", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="date(%(expressions)s || ' days')", arg_joiner=", '+' || ", **extra
        )


_MOVED_AFTER: ContextVar[tuple[date, bool] | None] = ContextVar("moved_after", default=None)


def _anyone_moved_after(on: date) -> bool:
    """Whether any person's latest movement is after ``on`` (a scan of a past day); asked once per scan."""
    known = _MOVED_AFTER.get()
    if known is not None and known[0] == on:
        return known[1]
    return LatestMovement.objects.filter(on__gt=on).exists()


def _in_china(on: date):
    """The people in China on ``on``: those whose last movement on or before it is an entry, one row per
    person (``pk`` is the person's id), with that entry's day ``entered_on``, travel document
    ``entered_with`` and record ``entry_movement`` (its other columns are one primary-key lookup away;
    as ``cases.registry_facts`` reads the current entry).

    Read from ``LatestMovement``, the copy of each person's latest movement the database keeps: plain
    columns, so PostgreSQL can scan it in parallel and hash it. Only when someone moved after ``on`` (a
    scan of a past day) is the last movement by then looked up among the movements for those people."""
    entry = EntryExit.Direction.ENTRY
    if not _anyone_moved_after(on):
        return LatestMovement.objects.filter(direction=entry).annotate(
            entered_on=F("on"), entered_with=F("travel_document"), entry_movement=F("movement")
        )
    earlier = EntryExit.objects.filter(person=OuterRef("pk"), on__lte=on).order_by("-on", "-pk")
    field_of_id = LatestMovement._meta.get_field("movement")

    def then(column: str):
        field = EntryExit._meta.get_field(column)
        return Case(
            When(on__lte=on, then=F(column)), default=Subquery(earlier.values(column)[:1]), output_field=field
        )

    return LatestMovement.objects.annotate(
        entered_on=then("on"),
        entered_with=then("travel_document"),
        entry_movement=Case(
            When(on__lte=on, then=F("movement")),
            default=Subquery(earlier.values("pk")[:1]),
            output_field=field_of_id,
        ),
        direction_then=then("direction"),
    ).filter(Q(on__lte=on, direction=entry) | Q(on__gt=on, direction_then=entry))


def _visas_of_entry():
    """The visas in the last entry's travel document, in validity on its day (the outer query's
    ``entered_with`` and ``entered_on``)."""
    return Visa.objects.filter(
        travel_document=OuterRef("entered_with"),
        valid_from__lte=OuterRef("entered_on"),
        valid_until__gte=OuterRef("entered_on"),
    )


def _visa_of_entry():
    """The visa the last entry was made on: of ``_visas_of_entry``, the newest (by first valid day, then
    record), as ``registry.stay.visa_of_last_entry`` says for one person (``tests/compliance`` checks the
    two agree)."""
    return _visas_of_entry().order_by("-valid_from", "-pk")[:1]


def _last_movement(on: date, person: str = "pk"):
    return EntryExit.objects.filter(person=OuterRef(person), on__lte=on).order_by("-on", "-pk")


def _valid_permits(on: date, *kinds: str):
    return _valid(on, *kinds).filter(person=OuterRef("pk"))


def _receipts(on: date):
    return Receipt.objects.filter(case__person=OuterRef("pk"), issued_on__lte=on)


def _receipts_covering(on: date):
    """The receipts that stood in for the passport on ``on`` (``lifecycle.receipt_serves``, Regulations
    Arts. 13 and 18 para. 3): of a case holding it, or closed (collected, withdrawn, refused) only after
    ``on``; none of an application closed by then, whatever its last day."""
    return _receipts(on).filter(Q(case__state__in=PASSPORT_HELD) | Q(case__closed_on__gt=on))


def _valid(on: date, *kinds: str):
    """The valid permits of ``kinds`` issued by ``on``."""
    return Permit.objects.filter(kind__in=kinds, status=Permit.Status.VALID, issued_on__lte=on)


def _latest_valid(kind: str, on: date):
    """Each person in China's latest valid permit of ``kind`` (by last day, then by record) issued by
    ``on``: one with no later one beside it."""
    permits = _valid(on, kind).filter(valid_until__isnull=False)
    later = permits.filter(person=OuterRef("person")).filter(
        Q(valid_until__gt=OuterRef("valid_until"))
        | Q(valid_until=OuterRef("valid_until"), pk__gt=OuterRef("pk"))
    )
    return permits.filter(Exists(_in_china(on).filter(pk=OuterRef("person")))).exclude(Exists(later))
