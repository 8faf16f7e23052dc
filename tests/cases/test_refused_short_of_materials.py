"""A case of a procedure Regulations Art. 21 reaches (an extension, renewal or reissue of a visa or residence
permit, a stay permit), still short of materials after its resubmission (the one-time list given): the hall
may decide "not approved" on Art. 21(1), "failure to provide application materials as required", and the
decision notice cites it. Other procedures wait for the materials as before."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from case_helpers import client_for, hall_receives, submitted
from exitentry.accounts.models import AuditEntry
from exitentry.cases import notices, services
from exitentry.cases.lifecycle import IllegalTransition, State
from exitentry.cases.models import Decision
from exitentry.law.catalog import catalog
from exitentry.law.rulefunctions import RULE_FUNCTIONS
from exitentry.law.rules.grounds import refused_short_of_materials
from factories import TODAY, actor, applicant, officer

pytestmark = pytest.mark.django_db


def resubmitted_short(procedure_id: str = "rp-extension"):
    """Received with nothing handed in, the one-time notice issued, resubmitted still with nothing."""
    user = applicant()
    case = submitted(user, procedure_id)
    clerk = actor(officer(case.hall_id))
    hall_receives(clerk, case, on=TODAY)
    services.notify_deficiency(clerk, case, on=TODAY)
    services.resubmit(actor(user), case, on=TODAY)
    assert case.state == State.RECEIVED and services.outstanding(case, TODAY)
    return case, clerk, user


@pytest.mark.parametrize(
    ("procedure_id", "reached"),
    [
        ("rp-extension", True),
        ("rp-renewal", True),
        ("visa-extension", True),
        ("stay-permit", True),
        ("rp-work", False),  # a first residence permit: the Law's Art. 31, not Art. 21
        ("pr-application", False),
    ],
)
def test_the_law_core_says_which_procedures_art_21_reaches(procedure_id, reached) -> None:
    casework = catalog().procedure(procedure_id).casework
    assert refused_short_of_materials(casework) is reached
    rule = RULE_FUNCTIONS["exitentry.law.rules.grounds.refused_short_of_materials"]
    assert ("regulations", "Art. 21(1)") in {(c.source, c.section) for c in rule.cite}


def test_the_hall_refuses_a_resubmitted_case_still_short_citing_art_21_1() -> None:
    case, clerk, _ = resubmitted_short()
    decision = services.refuse_short_of_materials(clerk, case, on=TODAY)
    case.refresh_from_db()
    assert (case.state, case.decided_on, case.closed_on) == (State.REFUSED, TODAY, TODAY)
    assert (decision.outcome, decision.ground_id) == (
        Decision.Outcome.REFUSED,
        "refusal-materials-not-provided",
    )
    said = notices.decision(case).refusal_ground
    assert "not provided as required" in said.text.en and "不按照规定提供申请材料" in said.text.zh
    assert any("Art. 21(1)" in c.en and "第二十一条第（一）项" in c.zh for c in said.cite)
    entry = AuditEntry.objects.get(action="case.refuse_short", object_id=str(case.pk))
    assert entry.new["state"] == State.REFUSED


def test_not_before_the_one_time_notice_nor_once_nothing_is_missing() -> None:
    user = applicant()
    case = submitted(user, "rp-extension")
    clerk = actor(officer(case.hall_id))
    hall_receives(clerk, case, on=TODAY)
    with pytest.raises(services.Refused, match="one-time notice") as caught:
        services.refuse_short_of_materials(clerk, case, on=TODAY)
    assert "一次性告知书" in caught.value.message.zh
    assert not Decision.objects.exists()


def test_a_procedure_art_21_does_not_reach_keeps_waiting_for_the_materials() -> None:
    case, clerk, _ = resubmitted_short("rp-personal-affairs")
    with pytest.raises(IllegalTransition) as caught:
        services.refuse_short_of_materials(clerk, case, on=TODAY)
    assert "Art. 21" in caught.value.text.en and "第二十一条" in caught.value.text.zh
    case.refresh_from_db()
    assert case.state == State.RECEIVED and not Decision.objects.exists()


def test_only_the_officers_of_the_cases_hall_refuse_it() -> None:
    case, _, user = resubmitted_short()
    for who in (officer("zhongguancun"), user):
        with pytest.raises(PermissionDenied):
            services.refuse_short_of_materials(actor(who), case, on=TODAY)
    case.refresh_from_db()
    assert case.state == State.RECEIVED and not Decision.objects.exists()


@pytest.mark.parametrize(("lang", "says"), [("en", "Regulations"), ("zh-hans", "第二十一条第（一）项")])
def test_the_officer_refuses_it_on_the_case_page(lang, says) -> None:
    case, _, _ = resubmitted_short()
    hall = client_for(officer(case.hall_id))
    base = f"/{lang}/console/cases/{case.pk}"
    page = hall.get(f"{base}/").content.decode()
    assert "step-refuse_short" in page and says in page
    assert hall.post(f"{base}/refuse_short/").status_code == 422  # not confirmed
    assert hall.post(f"{base}/refuse_short/", {"confirm": "on"}).status_code == 302
    case.refresh_from_db()
    assert case.state == State.REFUSED
    assert "step-refuse_short" not in hall.get(f"{base}/").content.decode()
    other = client_for(officer("zhongguancun"))
    assert other.post(f"{base}/refuse_short/", {"confirm": "on"}).status_code in (403, 404)
