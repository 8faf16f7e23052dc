"""A case filed before a rule came to need a new fact (the one-stop procedures' validity, added with the
health certificate of Regulations Art. 16 para. 2) is not stuck: the hall records the missing answer at
the counter, and only an answer the rules still need, never one the filer gave."""

from __future__ import annotations

import pytest

from case_helpers import client_for, started
from exitentry.accounts.audit import AuditEntry
from exitentry.accounts.models import Role
from exitentry.appointments.opening import hall_changes
from exitentry.cases import services
from exitentry.cases.models import Case
from factories import TODAY, PersonFactory, UnitFactory, UserFactory, actor, eligible_facts, officer

pytestmark = pytest.mark.django_db

PROCEDURE = "one-stop-work-permits-renewal"
HALL = "one-stop-counter"


def filed_before_the_change() -> Case:
    """A unit's one-stop extension submitted and pre-examined, its facts as they were saved before the
    procedure asked the validity."""
    unit_user = UserFactory(role=Role.UNIT, unit=UnitFactory())
    case = started(unit_user, PROCEDURE, person=PersonFactory(), facts=eligible_facts(PROCEDURE))
    services.submit(actor(unit_user), case, HALL, on=TODAY)
    services.pre_examine(actor(officer(HALL)), case, on=TODAY)
    old = {k: v for k, v in case.facts.items() if k != "validity"}
    Case.objects.filter(pk=case.pk).update(facts=old)
    case.refresh_from_db()
    return case


def receive(case: Case) -> Case:
    changes = hall_changes(case.hall_id, TODAY)
    return services.receive(actor(officer(HALL)), case, applicant_present=False, on=TODAY, changes=changes)


def test_the_hall_records_the_answer_a_rule_came_to_need_and_the_case_goes_on() -> None:
    case = filed_before_the_change()
    receive(case)
    with pytest.raises(services.Refused) as stuck:
        services.outstanding(case, TODAY)  # the one-time list cannot be made
    assert stuck.value.field == "facts" and "valid" in stuck.value.message.en
    clerk = actor(officer(HALL))
    services.record_missing_facts(clerk, case, {"validity": "P2Y"}, on=TODAY)
    case.refresh_from_db()
    assert case.facts["validity"] == "P2Y"
    assert {d.item.id for d in services.outstanding(case, TODAY)} >= {"health-certificate"}
    entry = AuditEntry.objects.filter(action="case.record_facts", object_id=str(case.pk)).get()
    assert "validity" not in entry.old["facts"] and entry.new["facts"]["validity"] == "P2Y"


def test_the_counter_changes_no_answer_the_filer_gave() -> None:
    case = filed_before_the_change()
    clerk = actor(officer(HALL))
    with pytest.raises(services.Refused) as refused:
        services.record_missing_facts(
            clerk, case, {"validity": "P2Y", "household_registration_in_china": True}
        )
    assert refused.value.field == "facts.household_registration_in_china"
    case.refresh_from_db()
    assert "validity" not in case.facts


def test_the_hall_case_page_asks_the_missing_answer_and_records_it() -> None:
    case = filed_before_the_change()
    client = client_for(officer(HALL))
    page = client.get(f"/en/console/cases/{case.pk}/").content.decode()
    assert f'action="/en/console/cases/{case.pk}/record_facts/"' in page
    assert "validity__years" in page
    done = client.post(
        f"/en/console/cases/{case.pk}/record_facts/", {"validity__years": "2", "validity__months": "0"}
    )
    assert done.status_code in (200, 302)
    case.refresh_from_db()
    assert case.facts["validity"] == "P2Y"
    zh = client.get(f"/zh-hans/console/cases/{case.pk}/").content.decode()
    assert "record_facts" not in zh
