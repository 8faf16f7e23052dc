"""At intake: the receipt waits for the originals the law core says the hall sees (the personal-affairs
guide, Points for Attention 2; the one-stop guide, 5. Materials; the Zhongguancun guide, Points for
Attention 3), and the officer records whether the applicant came in person, for every case (Regulations
Arts. 16, 19): nothing is presumed."""

from __future__ import annotations

import pytest

from case_helpers import filed_as_filed_in_life, hall_receives, originals_seen, submitted, upload_everything
from exitentry.accounts.models import AuditEntry
from exitentry.appointments.opening import hall_changes
from exitentry.cases import lifecycle, services
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Case
from exitentry.law.catalog import catalog
from factories import TODAY, actor, applicant, officer

pytestmark = pytest.mark.django_db


def accept(clerk, case):
    """The hall accepts ``case`` today, its supervisors' changes of the hall's days read as the pages do."""
    return services.accept(clerk, case, on=TODAY, changes=hall_changes(case.hall_id, TODAY))


def receive(clerk, case, **given):
    """The hall receives ``case`` today (``given``: whether the applicant is present), as ``accept``."""
    return services.receive(clerk, case, on=TODAY, changes=hall_changes(case.hall_id, TODAY), **given)


def received_complete(procedure_id: str):
    user, case = filed_as_filed_in_life(procedure_id)
    clerk = actor(officer(case.hall_id))
    if lifecycle.has_pre_examination(catalog().procedure(procedure_id)):
        services.pre_examine(clerk, case, on=TODAY)
    hall_receives(clerk, case, on=TODAY)
    upload_everything(user, case)
    return case, clerk


def test_acceptance_is_refused_naming_every_unseen_original_and_citing_the_guide_until_each_is_marked():
    case, clerk = received_complete("rp-personal-affairs")
    required = list(services.originals_unseen(case, TODAY))
    assert {i.id for i in required} == set(case.materials.values_list("material_id", flat=True))
    with pytest.raises(services.Refused) as refused:
        accept(clerk, case)
    assert refused.value.field == "original_seen"
    message = refused.value.message
    assert message.en.startswith("Acceptance waits for the originals")
    assert message.zh.startswith("受理前须核验原件")
    for item in required:
        assert item.text.en in message.en and item.text.zh in message.zh
    assert [str(c) for c in refused.value.cite] == [str(c) for c in required[0].original]
    assert "Points for Attention 2" in str(refused.value.cite[0])
    assert Case.objects.get(pk=case.pk).state == State.RECEIVED

    last = case.materials.get(material_id=required[-1].id)
    for m in case.materials.exclude(pk=last.pk):
        services.mark_material(clerk, m, original_seen=True)
    with pytest.raises(services.Refused) as still:
        accept(clerk, case)
    assert [i.id for i in services.originals_unseen(case, TODAY)] == [required[-1].id]
    assert (
        required[-1].text.en in still.value.message.en and required[0].text.en not in still.value.message.en
    )

    services.mark_material(clerk, last, original_seen=True)
    receipt = accept(clerk, case)
    assert receipt.case.state == State.ACCEPTED
    marks = AuditEntry.objects.filter(action="material.review", object_id=str(last.pk))
    assert marks.get().new["original_seen"] is True


def test_a_procedure_whose_sources_are_silent_on_originals_is_accepted_without_marks():
    case, clerk = received_complete("rp-work")
    assert services.originals_unseen(case, TODAY) == ()
    assert accept(clerk, case).case.state == State.ACCEPTED


def test_one_stop_waits_only_for_the_originals_the_one_stop_guide_names():
    case, clerk = received_complete("one-stop-work-permits")
    unseen = {i.id for i in services.originals_unseen(case, TODAY)}
    assert unseen and unseen <= {"online-attachments", "passport", "other-staff-introduction"}
    assert "application-form" in set(case.materials.values_list("material_id", flat=True)) - unseen
    originals_seen(clerk, case, on=TODAY)
    assert accept(clerk, case).case.state == State.ACCEPTED


def test_unmarking_an_original_makes_acceptance_wait_again():
    case, clerk = received_complete("rp-personal-affairs")
    originals_seen(clerk, case, on=TODAY)
    passport = case.materials.get(material_id="passport")
    services.mark_material(clerk, passport, original_seen=False)
    assert [i.id for i in services.originals_unseen(case, TODAY)] == ["passport"]
    with pytest.raises(services.Refused, match="original"):
        accept(clerk, case)


def test_the_applicants_own_case_is_received_only_with_their_presence_recorded():
    case = submitted(applicant(), "rp-work")
    clerk = actor(officer(case.hall_id))
    with pytest.raises(services.Refused) as unanswered:
        receive(clerk, case)
    assert unanswered.value.field == "applicant_present"
    assert "Choose who hands in" in unanswered.value.message.en and "请选择" in unanswered.value.message.zh
    with pytest.raises(services.Refused, match="must come in person") as alone:
        receive(clerk, case, applicant_present=False)
    assert "Art. 16" in alone.value.message.en and "第十六条" in alone.value.message.zh
    assert [c.section for c in alone.value.cite] == ["Art. 16"]
    case.refresh_from_db()
    assert case.state == State.SUBMITTED and case.applicant_present is None
    receive(clerk, case, applicant_present=True)
    case.refresh_from_db()
    assert case.state == State.RECEIVED and case.applicant_present is True
