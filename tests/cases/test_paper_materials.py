"""At the counter: a required item the applicant hands in on paper, not uploaded, is recorded by an officer
of the case's hall as received with its original seen, audited; the one-time list and the originals
acceptance waits for count it, and a defect the officer notes on it still stands."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from case_helpers import hall_receives, submitted
from exitentry.accounts.models import AuditEntry, Role
from exitentry.appointments.opening import hall_changes
from exitentry.cases import services
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Material
from factories import TODAY, PersonFactory, UnitFactory, UserFactory, actor, applicant, officer

pytestmark = pytest.mark.django_db


def received(user=None, procedure_id: str = "rp-personal-affairs"):
    """A case ``user`` (an applicant unless given) filed, received at the hall with nothing uploaded."""
    user = user or applicant()
    case = submitted(user, procedure_id)
    clerk = actor(officer(case.hall_id))
    hall_receives(clerk, case, on=TODAY)
    return case, clerk


def test_every_missing_item_recorded_on_paper_is_received_with_its_original_seen_and_the_case_is_accepted():
    case, clerk = received()
    missing = [d.item.id for d in services.outstanding(case, TODAY)]
    assert missing and all(d.kind == "missing" for d in services.outstanding(case, TODAY))
    for item in missing:
        paper = services.receive_on_paper(clerk, case, item, on=TODAY)
        assert paper.on_paper and paper.original_seen and not paper.file
        assert paper.uploaded_by == clerk.user
    assert services.outstanding(case, TODAY) == ()
    assert services.originals_unseen(case, TODAY) == ()
    entries = AuditEntry.objects.filter(action="material.paper", object_id=str(case.pk))
    assert sorted(e.new["material_id"] for e in entries) == sorted(missing)
    assert {e.actor_id for e in entries} == {clerk.user.pk}
    receipt = services.accept(clerk, case, on=TODAY, changes=hall_changes(case.hall_id, TODAY))
    assert receipt.case.state == State.ACCEPTED


def test_a_defect_noted_on_a_paper_item_puts_it_back_on_the_one_time_list():
    case, clerk = received()
    item = services.outstanding(case, TODAY)[0].item.id
    paper = services.receive_on_paper(clerk, case, item, on=TODAY)
    services.mark_material(clerk, paper, defect="Unsigned.", defect_zh="未签名。", original_seen=True)
    found = {d.item.id: d for d in services.outstanding(case, TODAY)}
    assert found[item].kind == "defective" and found[item].reason.zh == "未签名。"


def test_only_an_item_still_required_and_not_yet_received_is_recorded_once_the_case_is_received():
    case, clerk = received()
    with pytest.raises(services.Refused) as unknown:
        services.receive_on_paper(clerk, case, "no-such-item", on=TODAY)
    assert unknown.value.field == "material_id"
    item = services.outstanding(case, TODAY)[0].item.id
    services.receive_on_paper(clerk, case, item, on=TODAY)
    with pytest.raises(services.Refused) as twice:
        services.receive_on_paper(clerk, case, item, on=TODAY)
    assert twice.value.field == "material_id"
    assert Material.objects.filter(case=case, material_id=item).count() == 1

    waiting = submitted(applicant(), "rp-personal-affairs")
    with pytest.raises(services.Refused) as early:
        services.receive_on_paper(actor(officer(waiting.hall_id)), waiting, item, on=TODAY)
    assert early.value.field == "material_id" and not waiting.materials.exists()


@pytest.mark.parametrize("role", ["applicant", "unit", "proxy", "other hall"])
def test_only_an_officer_of_the_cases_hall_records_a_paper_item(role):
    if role == "unit":
        user = UserFactory(role=Role.UNIT, unit=UnitFactory())
    elif role == "proxy":
        user = UserFactory(role=Role.PROXY, unit=UnitFactory(kind="agency"))
    else:
        user = applicant()
    case = submitted(user, "rp-work", **({"person": PersonFactory()} if role in ("unit", "proxy") else {}))
    hall_receives(actor(officer(case.hall_id)), case, on=TODAY)
    item = services.outstanding(case, TODAY)[0].item.id
    if role == "other hall":
        user = officer("zhongguancun" if case.hall_id != "zhongguancun" else "reception-hall")
    with pytest.raises(PermissionDenied):
        services.receive_on_paper(actor(user), case, item, on=TODAY)
    assert not case.materials.exists()
