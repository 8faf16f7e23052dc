"""What an officer may record about an alert, by its ground (``law.rules.alert_actions``): every action for
most grounds; for a holder a unit reported dead only closing the follow-up, with why, and the permit's
cancellation on the death certificate (Exit and Entry Administration Law Art. 40 para. 2) as a ground of its
own that reaches a stay or residence permit only."""

from __future__ import annotations

from datetime import date

import pytest

from exitentry.law.rules import alert_actions
from exitentry.law.rules.endings import CANCEL, DEATH_CANCEL_GROUND, out_of_reach
from exitentry.law.rules.grounds import ground_for
from exitentry.law.rules.unit_reports import DEATH_FOLLOW_UP_GROUND, FOLLOW_UP_GROUND

ON = date(2026, 12, 7)


@pytest.mark.parametrize("ground_id", [FOLLOW_UP_GROUND, "illegal-overstay", "some-duty"])
def test_other_grounds_offer_every_action_with_no_limit_to_explain(ground_id):
    offered = alert_actions.offered(ground_id)
    assert offered.actions == alert_actions.ACTIONS and offered.why is None
    assert all(alert_actions.refusal(ground_id, a) is None for a in alert_actions.ACTIONS)


def test_a_death_follow_up_offers_only_closing_it_and_says_why():
    offered = alert_actions.offered(DEATH_FOLLOW_UP_GROUND)
    assert offered.actions == ("resolved", "unfounded")
    assert "died" in offered.why.en and "死亡" in offered.why.zh
    assert [c.label.en for c in offered.cite] == [
        "Exit and Entry Administration Law of the People's Republic of China, Art. 40 para. 2"
    ]


@pytest.mark.parametrize("action", ["contacted", "order_to_leave", "case_opened"])
def test_a_death_follow_up_refuses_what_makes_no_sense_for_a_dead_holder_saying_why(action):
    why = alert_actions.refusal(DEATH_FOLLOW_UP_GROUND, action)
    assert "died" in why.en and "nobody to contact" in why.en and "死亡" in why.zh


def test_an_unknown_action_is_refused_for_any_ground():
    assert alert_actions.refusal(FOLLOW_UP_GROUND, "shrugged") is not None


def test_the_cancellation_on_death_is_a_cancellation_ground_citing_the_law():
    g = ground_for("cancellation", DEATH_CANCEL_GROUND, ON)
    assert [c.label.en for c in g.cite] == [
        "Exit and Entry Administration Law of the People's Republic of China, Art. 40 para. 2"
    ]
    assert "death certificate" in g.text.en and "死亡证明" in g.text.zh


@pytest.mark.parametrize(
    ("kind", "reached"),
    [("residence-permit", True), ("stay-permit", True), ("visa", False), ("work-permit", False)],
)
def test_the_cancellation_on_death_reaches_a_stay_or_residence_permit(kind, reached):
    assert (out_of_reach(kind, CANCEL, DEATH_CANCEL_GROUND) is None) is reached
    assert out_of_reach("visa", CANCEL, "cancel-ordered-out") is None  # Art. 35's grounds unchanged
