"""The one person the hand-made compliance tests build on: a passport and nothing else yet."""

from __future__ import annotations

from datetime import date

import pytest

from exitentry.registry.models import Person
from factories import TravelDocumentFactory

D = date.fromisoformat


@pytest.fixture
def person() -> Person:
    p = Person.objects.create(surname="Weber", sex="F", birth_date=D("1990-01-01"), nationality="DEU")
    TravelDocumentFactory(person=p, number="C01X00T47")
    return p
