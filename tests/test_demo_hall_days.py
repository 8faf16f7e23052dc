"""The demo loaded on awkward days: every back-dated visit to a hall (receiving the materials, bringing
what was missing, the acceptance, the collection) falls on a day that hall opens (``law.halls.opens_on``),
so none meets the closed-counter refusal, whatever day the demo is loaded on."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils.timezone import localdate

from exitentry.cases.models import CaseEvent
from exitentry.law.calendar import BEIJING
from exitentry.law.catalog import catalog
from exitentry.law.halls import opens_on

pytestmark = pytest.mark.django_db
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
VISITS = ("receive", "resubmit", "accept", "collect")


@pytest.mark.parametrize(
    "today",
    [
        date(2026, 2, 24),  # the day after the 2026 Spring Festival holiday (15-23 February)
        date(2026, 9, 20),  # a make-up working Sunday: a working day the halls do not open
        date(2026, 1, 5),  # the Monday after New Year's Day, with a make-up Sunday the day before
        date(2026, 10, 12),  # the Monday after the National Day holiday and its make-up Saturday
    ],
    ids=str,
)
def test_the_demo_loads_on_an_awkward_day_with_every_visit_on_a_day_its_hall_opens(
    today, monkeypatch, tmp_path
) -> None:
    monkeypatch.setattr("exitentry.cases.management.commands.load_demo.beijing_today", lambda: today)
    with override_settings(MEDIA_ROOT=tmp_path, PASSWORD_HASHERS=FAST_HASHER), transaction.atomic():
        call_command("load_demo", force=True, stdout=io.StringIO())
        visits = list(CaseEvent.objects.filter(action__in=VISITS).select_related("case"))
        assert {e.action for e in visits} == set(VISITS)
        for event in visits:
            day, hall = localdate(event.at, BEIJING), catalog().halls[event.case.hall_id]
            assert day <= today and opens_on(hall, day), (event.case.reference, event.action, day)
        for case_id in {e.case_id for e in visits}:
            stamps = list(
                CaseEvent.objects.filter(case_id=case_id).order_by("pk").values_list("at", flat=True)
            )
            assert stamps == sorted(stamps), case_id  # the history still reads in the order it was taken
        transaction.set_rollback(True)
