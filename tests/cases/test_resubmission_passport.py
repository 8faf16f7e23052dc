"""Resubmitting after the one-time notice asks, as the submission does, for a travel document not expired
on that day (``law.rules.travel_documents.refused_as_expired``: the valid passport the materials require,
Regulations Arts. 16, 17): one check for both steps."""

from __future__ import annotations

from datetime import date

import pytest

from case_helpers import hall_receives, submitted, upload_everything
from exitentry.appointments.opening import hall_changes
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


def test_after_resubmission_with_items_still_missing_acceptance_waits_for_them_without_a_second_notice():
    """Regulations Art. 18: a receipt only once the application meets the acceptance requirements, and
    what is missing told at one time (para. 2). The case stays received, the hall holding the materials:
    the refusal to accept names the notice and the items it still waits for, never a second notice."""
    user, case = _waiting_for_materials(BACK_DAY)
    case.materials.all().delete()  # nothing brought after all
    services.resubmit(actor(user), case, on=BACK_DAY)
    clerk = actor(officer(case.hall_id))
    with pytest.raises(services.Refused) as refused:
        services.accept(clerk, case, on=BACK_DAY, changes=hall_changes(case.hall_id, BACK_DAY))
    notice = case.deficiency_notices.get().number
    assert "issue the one-time notice" not in refused.value.message.en
    assert "请先出具一次性告知书" not in refused.value.message.zh
    assert notice in refused.value.message.en and notice in refused.value.message.zh
    assert "no second notice" in refused.value.message.en and refused.value.cite
    with pytest.raises(services.Refused):
        services.notify_deficiency(clerk, case, on=BACK_DAY)
    case.refresh_from_db()
    assert case.state == State.RECEIVED
