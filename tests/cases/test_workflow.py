"""The state machine refuses every transition not in its table, for every state and every action."""

from __future__ import annotations

import pytest

from exitentry.cases import workflow
from exitentry.cases.workflow import TRANSITIONS, IllegalTransition, State
from exitentry.law.catalog import catalog

ALL = [(state, action) for state in State.values for action in TRANSITIONS]
WORK = catalog().procedure("rp-work")


@pytest.mark.parametrize(("state", "action"), ALL, ids=[f"{a} from {s}" for s, a in ALL])
def test_an_action_is_allowed_only_from_the_states_in_the_table(state: str, action: str) -> None:
    sources, _ = TRANSITIONS[action]
    procedure = {
        "pre_examine": catalog().procedure("one-stop-work-permits"),
        "forward_to_ministry": catalog().procedure("pr-application"),
    }.get(action, WORK)
    if state in sources:
        assert workflow.target(procedure, state, action, outcome="approved") in State.values
    else:
        with pytest.raises(IllegalTransition):
            workflow.target(procedure, state, action, outcome="approved")


@pytest.mark.parametrize("state", sorted({State.REFUSED, State.COLLECTED, State.WITHDRAWN}))
def test_nothing_moves_a_closed_case(state: str) -> None:
    for action in TRANSITIONS:
        with pytest.raises(IllegalTransition):
            workflow.target(WORK, state, action, outcome="approved")


def test_a_residence_permit_has_no_pre_examination_and_the_one_stop_service_must_have_one() -> None:
    with pytest.raises(IllegalTransition, match="no pre-examination"):
        workflow.target(WORK, State.SUBMITTED, "pre_examine")
    with pytest.raises(IllegalTransition, match="pre-examined online"):
        workflow.target(catalog().procedure("one-stop-work-permits"), State.SUBMITTED, "receive")


def test_only_permanent_residence_goes_to_the_ministry() -> None:
    with pytest.raises(IllegalTransition, match="not the Ministry"):
        workflow.target(WORK, State.ACCEPTED, "forward_to_ministry")
    with pytest.raises(IllegalTransition, match="forward it first"):
        workflow.target(catalog().procedure("pr-zhongguancun"), State.ACCEPTED, "decide", "approved")


def test_a_decision_either_approves_or_refuses() -> None:
    with pytest.raises(IllegalTransition, match="approves or refuses"):
        workflow.target(WORK, State.ACCEPTED, "decide", "maybe")
