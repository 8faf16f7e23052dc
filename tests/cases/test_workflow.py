"""The lifecycle table refuses every step from a state it does not leave, for every state and every step."""

from __future__ import annotations

import pytest

from exitentry.cases import lifecycle
from exitentry.cases.lifecycle import IllegalTransition, State
from exitentry.law.catalog import catalog

S = State
BEFORE_DECISION = {
    S.DRAFT,
    S.SUBMITTED,
    S.PRE_EXAMINED,
    S.RECEIVED,
    S.DEFICIENT,
    S.ACCEPTED,
    S.MINISTRY_REVIEW,
}
# step -> (the states it leaves, the state it leads to), written here and not read from the table.
MOVES = {
    "submit": ({S.DRAFT}, S.SUBMITTED),
    "pre_examine": ({S.SUBMITTED}, S.PRE_EXAMINED),
    "receive": ({S.SUBMITTED, S.PRE_EXAMINED}, S.RECEIVED),
    "notify_deficiency": ({S.RECEIVED}, S.DEFICIENT),
    "resubmit": ({S.DEFICIENT}, S.RECEIVED),
    "accept": ({S.RECEIVED}, S.ACCEPTED),
    "refuse_short": ({S.RECEIVED}, S.REFUSED),
    "forward_to_ministry": ({S.ACCEPTED}, S.MINISTRY_REVIEW),
    "decide": ({S.ACCEPTED, S.MINISTRY_REVIEW}, S.APPROVED),
    "issue": ({S.APPROVED}, S.ISSUED),
    "mark_ready": ({S.ISSUED}, S.READY),
    "collect": ({S.READY}, S.COLLECTED),
    "withdraw": (BEFORE_DECISION, S.WITHDRAWN),
}
ALL = [(state, action) for state in State.values for action in MOVES]
WORK = catalog().procedure("rp-work")


def _procedure_for(action: str, state: str):
    if action == "pre_examine" or (action == "receive" and state == S.PRE_EXAMINED):
        return catalog().procedure("one-stop-work-permits")
    if action == "forward_to_ministry" or (action == "decide" and state == S.MINISTRY_REVIEW):
        return catalog().procedure("pr-application")
    if action == "refuse_short":  # what Regulations Art. 21 reaches
        return catalog().procedure("rp-extension")
    return WORK


def test_the_table_moves_a_case_by_exactly_these_steps() -> None:
    assert {a.id for a in lifecycle.TABLE.values() if a.to is not None} == set(MOVES)


@pytest.mark.parametrize(("state", "action"), ALL, ids=[f"{a} from {s}" for s, a in ALL])
def test_a_step_is_allowed_only_from_the_states_it_leaves(state: str, action: str) -> None:
    sources, to = MOVES[action]
    procedure = _procedure_for(action, state)
    if state in sources:
        assert lifecycle.target(procedure, state, action, outcome="approved") == to
    else:
        with pytest.raises(IllegalTransition):
            lifecycle.target(procedure, state, action, outcome="approved")


@pytest.mark.parametrize("state", sorted({State.REFUSED, State.COLLECTED, State.WITHDRAWN}))
def test_nothing_moves_a_closed_case(state: str) -> None:
    for action in MOVES:
        with pytest.raises(IllegalTransition):
            lifecycle.target(WORK, state, action, outcome="approved")


def test_the_open_states_are_those_a_step_leaves_and_the_queue_those_after_submission() -> None:
    assert frozenset(State.values) - {S.REFUSED, S.COLLECTED, S.WITHDRAWN, S.EXPIRED} == lifecycle.OPEN_STATES
    assert set(lifecycle.QUEUE_STATES) == lifecycle.OPEN_STATES - {S.DRAFT}


def test_an_action_that_moves_no_state_leaves_the_case_where_it_is() -> None:
    assert lifecycle.target(WORK, S.RECEIVED, "upload") == S.RECEIVED
    with pytest.raises(IllegalTransition, match="materials are not taken"):
        lifecycle.target(WORK, S.ACCEPTED, "upload")


def test_a_residence_permit_has_no_pre_examination_and_the_one_stop_service_must_have_one() -> None:
    with pytest.raises(IllegalTransition, match="no pre-examination"):
        lifecycle.target(WORK, State.SUBMITTED, "pre_examine")
    with pytest.raises(IllegalTransition, match="pre-examined online"):
        lifecycle.target(catalog().procedure("one-stop-work-permits"), State.SUBMITTED, "receive")


def test_only_permanent_residence_goes_to_the_ministry() -> None:
    with pytest.raises(IllegalTransition, match="not the Ministry"):
        lifecycle.target(WORK, State.ACCEPTED, "forward_to_ministry")
    with pytest.raises(IllegalTransition, match="forward it first"):
        lifecycle.target(catalog().procedure("pr-zhongguancun"), State.ACCEPTED, "decide", "approved")


def test_a_decision_either_approves_or_refuses() -> None:
    with pytest.raises(IllegalTransition, match="approves or refuses"):
        lifecycle.target(WORK, State.ACCEPTED, "decide", "maybe")
