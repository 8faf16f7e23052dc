"""Art. 25(3): the scan's SQL for "registered outside the restricted area" agrees with the law core's
``enforcement.in_restricted_area`` on every pair of area and division here."""

from __future__ import annotations

from datetime import date
from itertools import product

import pytest

from exitentry.compliance.models import ActivityRestriction
from exitentry.compliance.scan import _outside
from exitentry.law.rules.enforcement import in_restricted_area
from exitentry.registry.models import AccommodationRegistration
from factories import PersonFactory, UserFactory

ON = date(2026, 6, 1)
AREAS = ("11", "1101", "110105", "12", "1201", "110108")
DIVISIONS = ("110105", "110108", "110229", "120101", "110100", "111050")


@pytest.mark.django_db
def test_the_scan_finds_outside_exactly_the_divisions_in_restricted_area_leaves_out() -> None:
    user = UserFactory()
    expected = set()
    for area, division in product(AREAS, DIVISIONS):
        p = PersonFactory()
        restriction = ActivityRestriction.objects.create(
            person=p, recorded_by=user, decided_on=ON, area=area, residence="1 Test Road"
        )
        AccommodationRegistration.objects.create(
            person=p, address="1 Test Road", registered_on=ON, registered_with="Hotel", division=division
        )
        if not in_restricted_area(area, division):
            expected.add(restriction.pk)
    found = _outside(ActivityRestriction.objects.all(), ON, "person", "decided_on").values_list(
        "pk", flat=True
    )
    assert 0 < len(expected) < len(AREAS) * len(DIVISIONS)
    assert set(found) == expected
