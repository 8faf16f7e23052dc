"""The registry refuses records the law does not allow, naming the field."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from exitentry.law.rules.duties import still_runs
from exitentry.registry.models import Permit, Visa
from factories import PermitFactory, PersonFactory, TravelDocumentFactory, VisaFactory

pytestmark = pytest.mark.django_db


def _visa(category: str, valid_from: date) -> Visa:
    person = PersonFactory()
    doc = TravelDocumentFactory(person=person, issued_on=date(2024, 1, 1), expires_on=date(2034, 1, 1))
    return VisaFactory.build(
        travel_document=doc,
        category=category,
        duration_of_stay_days=30,
        valid_from=valid_from,
        residence_permit_within_days=None,
    )


def test_a_visa_category_the_regulations_do_not_list_is_refused() -> None:
    with pytest.raises(ValidationError) as invalid:
        _visa("Y", date(2026, 1, 1)).full_clean()
    assert "Art. 6" in str(invalid.value.message_dict["category"])


def test_a_k_visa_before_the_2025_revision_is_refused_and_after_it_is_taken() -> None:
    with pytest.raises(ValidationError, match="K visa exists from"):
        _visa("K", date(2025, 1, 1)).full_clean()
    _visa("K", date(2026, 1, 1)).full_clean()


def test_a_permit_is_expired_after_its_last_day_and_void_stays_void() -> None:
    permit = PermitFactory(valid_until=date(2026, 12, 1))
    assert permit.state_on(date(2026, 12, 1)) == "valid"
    assert permit.state_on(date(2026, 12, 2)) == "expired"
    permit.status = "void"
    assert permit.state_on(date(2026, 1, 1)) == "void"


def test_the_permits_in_force_on_a_day_are_those_the_law_says_still_run_and_not_ended() -> None:
    """``Permit.objects.in_force(on)`` is ``duties.still_runs`` (Art. 36(2): in force until 24:00 on the last
    day) on the last day, for permits not declared void or cancelled, as ``Permit.state_on`` says."""
    on = date(2026, 6, 10)
    person = PersonFactory()
    for offset in (-2, -1, 0, 1, None):
        for status in Permit.Status.values:
            last = None if offset is None else date(2026, 6, 10 + offset)
            PermitFactory(person=person, issued_on=date(2026, 1, 1), valid_until=last, status=status)
    found = set(Permit.objects.in_force(on).values_list("pk", flat=True))
    expected = {
        p.pk
        for p in Permit.objects.all()
        if p.status == Permit.Status.VALID and (p.valid_until is None or still_runs(p.valid_until, on))
    }
    assert found == expected == {p.pk for p in Permit.objects.all() if p.state_on(on) == "valid"}
    assert len(found) == 3  # the last day today or later, or none


def test_the_visas_in_force_on_a_day_are_those_the_law_says_still_run() -> None:
    on = date(2026, 6, 10)
    person = PersonFactory()
    doc = TravelDocumentFactory(person=person, issued_on=date(2024, 1, 1), expires_on=date(2034, 1, 1))
    for offset in (-1, 0, 1):
        VisaFactory(travel_document=doc, valid_from=date(2026, 1, 1), valid_until=date(2026, 6, 10 + offset))
    found = set(Visa.objects.in_force(on).values_list("valid_until", flat=True))
    assert found == {v.valid_until for v in Visa.objects.all() if still_runs(v.valid_until, on)}
    assert found == {date(2026, 6, 10), date(2026, 6, 11)}
