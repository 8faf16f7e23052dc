"""Resubmitting after the one-time notice asks, as the submission does, for a travel document not expired
on that day (``law.rules.travel_documents.refused_as_expired``: the valid passport the materials require,
Regulations Arts. 16, 17): one check for both steps."""

from __future__ import annotations

from datetime import date

import pytest

from case_helpers import hall_receives, submitted, upload_everything
from exitentry.cases import services
from exitentry.cases.lifecycle import State
from factories import TODAY, TravelDocumentFactory, actor, applicant, officer

pytestmark = pytest.mark.django_db

NOTICE_DAY, BACK_DAY = TODAY.replace(day=3), TODAY.replace(day=5)


def _waiting_for_materials(expires_on):
    user = applicant()
    TravelDocumentFactory(person=user.person, issued_on=date(2016, 1, 4), expires_on=expires_on)
    case = submitted(user, "rp-personal-affairs")
    clerk = actor(officer(case.hall_id))
    hall_receives(clerk, case, on=TODAY)
    services.notify_deficiency(clerk, case, on=NOTICE_DAY)
    upload_everything(user, case)
    return user, case


def test_a_passport_that_expired_while_materials_were_awaited_stops_the_resubmission_saying_why():
    user, case = _waiting_for_materials(NOTICE_DAY)
    with pytest.raises(services.Refused) as refused:
        services.resubmit(actor(user), case, on=BACK_DAY)
    assert refused.value.field == "travel_document"
    assert "expired on 3 November 2026" in refused.value.message.en
    assert "2026年11月3日过期" in refused.value.message.zh
    assert [str(c.section) for c in refused.value.cite] == ["Materials", "Art. 16"]  # the procedure's line
    case.refresh_from_db()
    assert case.state == State.DEFICIENT


def test_a_passport_valid_on_the_day_of_resubmission_lets_it_through():
    user, case = _waiting_for_materials(BACK_DAY)
    assert services.resubmit(actor(user), case, on=BACK_DAY).state == State.RECEIVED
