"""The visa a person's stay is on (``registry.stay.visa_of_last_entry``): the one pages and the scan read
the after-entry duty from (Regulations Arts. 9, 36)."""

from __future__ import annotations

from datetime import date

import pytest

from exitentry.registry.models import EntryExit
from exitentry.registry.stay import visa_of_last_entry
from factories import PersonFactory, TravelDocumentFactory, VisaFactory

pytestmark = pytest.mark.django_db
ENTERED = date(2026, 6, 1)


def _move(person, direction: str, on: date, document) -> EntryExit:
    return EntryExit.objects.create(
        person=person, direction=direction, on=on, port="PEK", travel_document=document
    )


def test_the_visa_of_the_last_entry_is_in_its_travel_document_and_valid_on_its_day() -> None:
    person = PersonFactory()
    old, new = TravelDocumentFactory(person=person), TravelDocumentFactory(person=person)
    VisaFactory(travel_document=old, valid_from=date(2026, 1, 1), valid_until=date(2026, 12, 31))
    VisaFactory(travel_document=new, valid_from=date(2026, 6, 2), valid_until=date(2026, 12, 31))  # too late
    visa = VisaFactory(travel_document=new, valid_from=date(2026, 5, 1), valid_until=ENTERED)
    entry = _move(person, "entry", ENTERED, new)
    assert visa_of_last_entry(person, ENTERED) == (entry, visa)
    assert visa_of_last_entry(person, date(2026, 9, 1)) == (
        entry,
        visa,
    )  # the stay outlives the visa's validity
    assert visa_of_last_entry(person, date(2026, 5, 31)) is None  # not yet entered


def test_of_two_visas_valid_on_the_entry_day_the_newest_is_the_one() -> None:
    person = PersonFactory()
    doc = TravelDocumentFactory(person=person)
    VisaFactory(travel_document=doc, valid_from=date(2026, 1, 1), valid_until=date(2026, 12, 31))
    newest = VisaFactory(travel_document=doc, valid_from=date(2026, 3, 1), valid_until=date(2026, 12, 31))
    entry = _move(person, "entry", ENTERED, doc)
    assert visa_of_last_entry(person, ENTERED) == (entry, newest)


def test_after_an_exit_the_stay_of_the_last_entry_has_ended_and_there_is_no_visa_of_it() -> None:
    person = PersonFactory()
    doc = TravelDocumentFactory(person=person)
    VisaFactory(travel_document=doc, valid_from=date(2026, 1, 1), valid_until=date(2026, 12, 31))
    _move(person, "entry", ENTERED, doc)
    _move(person, "exit", date(2026, 6, 10), doc)
    assert visa_of_last_entry(person, date(2026, 6, 9)) is not None
    assert visa_of_last_entry(person, date(2026, 6, 10)) is None


def test_a_visa_free_entry_has_no_visa() -> None:
    person = PersonFactory()
    doc = TravelDocumentFactory(person=person)
    _move(person, "entry", ENTERED, doc)
    assert visa_of_last_entry(person, ENTERED) is None
