"""Every step into a closed state (``lifecycle.CLOSED_STATES``: refused, collected, withdrawn) closes the
case on the step's day, a back-dated step on the day it happened, through the one transition. (An expired
draft is closed by the daily expiry, which no one takes as a step: ``cases.expiry``.)"""

from __future__ import annotations

from datetime import timedelta

import pytest

from case_helpers import accepted, approval_validity, submitted
from exitentry.cases import lifecycle, services
from exitentry.cases.lifecycle import State
from exitentry.cases.services.steps import transition
from factories import TODAY, actor, applicant

pytestmark = pytest.mark.django_db

LATER = TODAY + timedelta(days=2)  # a working day after the acceptance, back-dated (before the real today)


def test_the_closing_paths_are_the_closed_states() -> None:
    assert {State.REFUSED, State.COLLECTED, State.WITHDRAWN, State.EXPIRED} == lifecycle.CLOSED_STATES


def test_the_transition_itself_closes_the_case_whatever_the_step_changes() -> None:
    user = applicant()
    case = submitted(user, "rp-work")
    transition(actor(user), case, "withdraw", lambda c, _: None, on=LATER)
    case.refresh_from_db()
    assert case.closed_on == LATER


def test_a_withdrawal_closes_the_case_on_its_day() -> None:
    user = applicant()
    case = submitted(user, "rp-work")
    services.withdraw(actor(user), case, on=LATER)
    case.refresh_from_db()
    assert (case.state, case.closed_on) == (State.WITHDRAWN, LATER)


def test_a_refusal_closes_the_case_on_its_day() -> None:
    case, clerk = accepted(applicant(), "rp-work")
    services.decide(clerk, case, "refused", ground_id="first-refusal-law-grounds", on=LATER)
    case.refresh_from_db()
    assert (case.state, case.closed_on) == (State.REFUSED, LATER)


def test_an_approval_issue_and_readiness_leave_it_open_and_the_collection_closes_it_on_its_day() -> None:
    case, clerk = accepted(applicant(), "rp-work")
    services.decide(clerk, case, "approved", validity=approval_validity(case, TODAY), on=TODAY)
    services.issue(clerk, case, on=TODAY)
    services.mark_ready(clerk, case, on=TODAY)
    case.refresh_from_db()
    assert case.closed_on is None
    if due := services.fee_of(case, LATER).due:
        services.record_payment(clerk, case, due, "cash", on=LATER)
    services.collect(clerk, case, on=LATER)
    case.refresh_from_db()
    assert (case.state, case.closed_on) == (State.COLLECTED, LATER)
