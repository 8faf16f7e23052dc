"""The registry refuses records the law does not allow, naming the field."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from exitentry.registry.models import Visa
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
