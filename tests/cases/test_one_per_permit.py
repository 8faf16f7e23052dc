"""One application under way per permit, whatever the procedure acting on it: refused in the service
(409 by the API), and by the database against a race."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from case_helpers import client_for, started, submitted
from exitentry.cases import services
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Case
from factories import TODAY, actor, applicant

pytestmark = pytest.mark.django_db


def test_a_second_application_on_a_permit_is_refused_whatever_its_procedure() -> None:
    user = applicant()
    first = submitted(user, "rp-extension")
    for procedure_id in ("one-stop-work-permits-renewal", "rp-extension", "rp-renewal"):
        with pytest.raises(
            services.PermitBusy, match=f"already under way \\({first.reference}\\)"
        ) as refused:
            started(user, procedure_id, permit=first.permit)
        assert "正在办理" in refused.value.message.zh
    assert Case.objects.filter(permit=first.permit).count() == 1
    services.withdraw(actor(user), first, on=TODAY)
    second = started(user, "rp-renewal", permit=first.permit)  # a one-stop one is the employer's to file
    assert second.state == State.DRAFT


def test_a_draft_counts_as_under_way() -> None:
    user = applicant()
    draft = started(user, "rp-extension")
    with pytest.raises(services.PermitBusy, match=r"already under way \(a draft not yet submitted\)") as busy:
        started(user, "rp-personal-affairs-extension", permit=draft.permit)
    assert "（一份尚未提交的草稿）" in busy.value.message.zh


def test_the_database_refuses_a_second_open_case_on_a_permit() -> None:
    user = applicant()
    first = submitted(user, "rp-extension")

    def another_on_the_permit() -> Case:  # past the service, straight to the database
        return Case.objects.create(
            procedure_id="rp-renewal",
            person=first.person,
            submitted_by=user,
            acting_as=first.acting_as,
            permit=first.permit,
        )

    with pytest.raises(IntegrityError), transaction.atomic():
        another_on_the_permit()
    Case.objects.filter(pk=first.pk).update(state=State.COLLECTED)
    another_on_the_permit()


def test_the_api_answers_409() -> None:
    user = applicant()
    first = submitted(user, "rp-extension")
    response = client_for(user).post(
        "/api/v1/cases",
        {"procedure": "rp-renewal", "person_id": user.person_id, "permit_id": first.permit_id, "facts": {}},
        content_type="application/json",
    )
    assert response.status_code == 409, response.content
    assert "already under way" in response.content.decode()


def test_another_filers_application_is_not_named_to_a_unit_that_may_not_see_it() -> None:
    """The holder's own extension is under way; their employer, who reads them through its roster but
    not that case, is told only that someone else's application is, never its reference."""
    from factories import AffiliationFactory, unit_handler

    holder = applicant()
    own = submitted(holder, "rp-extension")
    handler = unit_handler()
    AffiliationFactory(unit=handler.unit, person=holder.person)
    with pytest.raises(services.PermitBusy) as refused:
        started(handler, "rp-renewal", person=holder.person, permit=own.permit)
    assert own.reference not in refused.value.message.en
    assert "an application someone else filed" in refused.value.message.en
    assert "他人提交的一项申请" in refused.value.message.zh
    with pytest.raises(services.PermitBusy, match=own.reference):  # the holder sees their own
        started(holder, "rp-renewal", permit=own.permit)
