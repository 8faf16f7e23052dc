"""A case filed before a rule came to need a new fact (the one-stop procedures' validity, added with the
health certificate of Regulations Art. 16 para. 2) is not stuck: the hall records the missing answer at
the counter, and only an answer the rules still need, never one the filer gave."""

from __future__ import annotations

import pytest

from case_helpers import COUNTER_HALL, client_for, filed_before_a_fact_was_needed
from exitentry.accounts.audit import AuditEntry
from exitentry.appointments.opening import hall_changes
from exitentry.cases import services
from exitentry.cases.models import Case
from factories import TODAY, actor, officer

pytestmark = pytest.mark.django_db


def receive(case: Case) -> Case:
    changes = hall_changes(case.hall_id, TODAY)
    return services.receive(
        actor(officer(COUNTER_HALL)), case, applicant_present=False, on=TODAY, changes=changes
    )


def test_the_hall_records_the_answer_a_rule_came_to_need_and_the_case_goes_on() -> None:
    case = filed_before_a_fact_was_needed()
    receive(case)
    with pytest.raises(services.Refused) as stuck:
        services.outstanding(case, TODAY)  # the one-time list cannot be made
    assert stuck.value.field == "facts" and "valid" in stuck.value.message.en
    clerk = actor(officer(COUNTER_HALL))
    services.record_missing_facts(clerk, case, {"validity": "P2Y"}, on=TODAY)
    case.refresh_from_db()
    assert case.facts["validity"] == "P2Y"
    assert {d.item.id for d in services.outstanding(case, TODAY)} >= {"health-certificate"}
    entry = AuditEntry.objects.filter(action="case.record_facts", object_id=str(case.pk)).get()
    assert "validity" not in entry.old["facts"] and entry.new["facts"]["validity"] == "P2Y"


def test_the_counter_changes_no_answer_the_filer_gave() -> None:
    case = filed_before_a_fact_was_needed()
    clerk = actor(officer(COUNTER_HALL))
    with pytest.raises(services.Refused) as refused:
        services.record_missing_facts(
            clerk, case, {"validity": "P2Y", "household_registration_in_china": True}
        )
    assert refused.value.field == "facts.household_registration_in_china"
    case.refresh_from_db()
    assert "validity" not in case.facts


def test_the_hall_case_page_asks_the_missing_answer_and_records_it() -> None:
    case = filed_before_a_fact_was_needed()
    client = client_for(officer(COUNTER_HALL))
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


def test_only_a_case_someone_may_still_answer_for_still_needs_the_answer() -> None:
    """``services.missing_facts``, which the API and the hall case page both show: the fact while the hall
    may record it, or while the filer may give it in the draft; none once the case is decided."""
    case = filed_before_a_fact_was_needed()
    assert [f.id for f in services.missing_facts(case, TODAY)] == ["validity"]
    for state in ("refused", "approved", "withdrawn", "expired"):
        case.state = state
        assert services.missing_facts(case, TODAY) == (), state
    case.state = "draft"
    assert [f.id for f in services.missing_facts(case, TODAY)] == ["validity"]
