"""The visa a person's stay in China is on: what the after-entry duty (Regulations Art. 9: the visa says
whether, and within how many days, a residence permit is applied for after entry) and the stay a visa
allows (Art. 36(3)) are read from, on the holder's and the officer's pages alike. The compliance scan
says the same in SQL (``compliance.scan.queries._visa_of_entry``; ``tests/compliance`` checks they agree).

The reading: a stay is on the last entry while the person's last movement is that entry (an exit ends it;
the next entry begins another); the entry was made on a visa in the travel document presented at the
border, within the visa's validity for entry (Art. 36(2)); of two such visas, the newest (by the first day
of validity, then by record) is the one.
"""

from __future__ import annotations

from datetime import date

from exitentry.registry.models import EntryExit, Person, Visa


def last_entry(person: Person, on: date) -> EntryExit | None:
    """The entry of the stay ``person`` is on, on ``on``: their last movement on or before ``on``, when it
    was an entry; None when they are not in China on an entry (no movement, or an exit last), or the
    person is not recorded yet."""
    if person.pk is None:
        return None
    last = person.movements.filter(on__lte=on).order_by("-on", "-pk").first()
    return last if last is not None and last.direction == EntryExit.Direction.ENTRY else None


def visa_of_last_entry(person: Person, on: date) -> tuple[EntryExit, Visa] | None:
    """``person``'s last entry on or before ``on`` and the visa it was made on, while they are in China on
    ``on`` on that entry (``last_entry``); None when they are not or the entry was made on no visa
    (visa-free)."""
    last = last_entry(person, on)
    if last is None:
        return None
    visa = (
        Visa.objects.filter(travel_document_id=last.travel_document_id, valid_from__lte=last.on)
        .in_force(last.on)
        .order_by("-valid_from", "-pk")
        .first()
    )
    return None if visa is None else (last, visa)
