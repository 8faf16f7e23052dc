"""Two officers deciding the same case at the same moment yield exactly one decision (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from case_helpers import hall_accepts, hall_receives, submitted, upload_everything
from exitentry.cases import services
from exitentry.cases.lifecycle import IllegalTransition
from exitentry.cases.models import Decision
from factories import TODAY, actor, applicant, officer


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_officers_deciding_at_once_make_exactly_one_decision() -> None:
    user = applicant()
    case = submitted(user, "rp-work")
    first, second = actor(officer(case.hall_id)), actor(officer(case.hall_id))
    hall_receives(first, case, on=TODAY)
    upload_everything(user, case)
    hall_accepts(first, case, on=TODAY)

    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(who, outcome: str, **kwargs) -> None:
        try:
            barrier.wait()
            services.decide(who, case, outcome, on=TODAY, **kwargs)
            outcomes.append(outcome)
        except IllegalTransition:
            outcomes.append("refused by the state machine")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(first, "approved"), kwargs={"validity": "P1Y"}),
        threading.Thread(
            target=decide, args=(second, "refused"), kwargs={"ground_id": "first-refusal-law-grounds"}
        ),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Decision.objects.filter(case=case).count() == 1
    assert sorted(outcomes).count("refused by the state machine") == 1
    decision = Decision.objects.get(case=case)
    case.refresh_from_db()
    assert case.state == decision.outcome
